// Package explore answers "what if something breaks while this runbook
// runs?" (clusterscript explore, SPEC §13). It runs the runbook once without
// a fault to find the places a fault can strike (the points) and the faults
// that can strike at each, then once per case, from the start, with the
// case's fault injected at its point, to the end and a settle(). Each case
// ends in an outcome: survived, runbook-failed, unavailable, broken or
// step-limit.
//
// Like golden/, the package sits above builtins and lang: it runs runbooks
// through lang's sessions and reads the world through runtime/sim. A case
// costs one run of the runbook with no transcript written (nothing is
// formatted), no state file read or written (a --state world is loaded once
// and copied), and each file compiled once for all cases.
package explore

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"

	"clusterscript/builtins"
	"clusterscript/lang"
	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/sim"
)

// Options say what to explore and how.
type Options struct {
	Path    string // the runbook file
	Display string // the runbook as the report and replay commands name it; "" for Path
	// World is the world to start from (--state), or nil for an empty one.
	// It is copied for each run, never changed.
	World     *sim.World
	StateFile string   // the --state file as given, for replay commands
	Sets      []string // --set name=value
	MaxSteps  uint64   // the step budget of each run; 0 for lang.DefaultMaxSteps
	Kinds     []Kind   // the kinds of fault to inject; nil for every kind
	Depth     int      // 1: one fault per case; 2: also every pair
	Jobs      int      // cases run at once; below 1 means 1
	Version   string   // the program's version, for the JSON header
}

// A Point is a place in the runbook where a fault can strike: the start of
// a step(), or the moment after a top-level call that changed the world.
type Point struct {
	Where  string  // e.g. `after add_node (runbook.star:23)`
	Faults []Fault // every fault that can strike there, every kind
}

// An Explorer holds what the fault-free run found: the points, the faults
// at each, and the end state the cases are compared with.
type Explorer struct {
	opt      Options
	name     string // the runbook inside files
	files    *cachedFS
	dir      string
	source   string // a digest of the runbook's text
	programs lang.Programs
	worldMu  sync.Mutex // Options.World is copied by one run at a time

	// Points are the points of the fault-free run, numbered from 1.
	Points []Point
	online []groupRef // the groups Online at the end of the fault-free run
	quorum []string   // the clusters with quorum at its end
	cases  []Case

	mu          sync.Mutex
	running     map[*lang.Session]bool
	interrupted string
}

type groupRef struct{ cluster, group string }

// A UsageError is a problem with how explore was asked: a bad option, a
// case that does not exist (exit 2).
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// A FaultFreeError is a runbook that fails, or leaves a world that breaks
// an invariant, without any fault: there is nothing to explore.
type FaultFreeError struct {
	Err  error  // the run's error, or nil when the invariants broke
	Text string // what to print: the error as `run` prints it, or the invariants
}

func (e *FaultFreeError) Error() string { return e.Text }

// New runs the runbook without a fault and lists the points and the cases.
func New(opt Options) (*Explorer, error) {
	if opt.Depth == 0 {
		opt.Depth = 1
	}
	if opt.Depth != 1 && opt.Depth != 2 {
		return nil, &UsageError{fmt.Sprintf("--depth %d: give 1 (one fault per case) or 2 (also every pair of faults)", opt.Depth)}
	}
	if opt.Kinds == nil {
		opt.Kinds = Kinds
	}
	if opt.Display == "" {
		opt.Display = opt.Path
	}
	if opt.MaxSteps == 0 {
		opt.MaxSteps = lang.DefaultMaxSteps
	}
	x := &Explorer{opt: opt, running: map[*lang.Session]bool{}}
	src, err := os.ReadFile(opt.Path)
	if err != nil {
		return nil, &lang.FileError{What: "runbook", Path: opt.Path, Err: err}
	}
	sum := sha256.Sum256(src)
	x.source = hex.EncodeToString(sum[:8])
	w := x.newWorld()
	s, name, err := lang.Prepare(builtins.Plugin, opt.Path, lang.RunOptions{Out: io.Discard, MaxSteps: opt.MaxSteps, Sets: opt.Sets, World: builtins.NewWorld(w)})
	if err != nil {
		return nil, &UsageError{err.Error()}
	}
	x.name, x.dir = name, s.Dir
	x.files = &cachedFS{fsys: s.Files, files: map[string]cachedFile{}}
	s.Files, s.Programs = x.files, &x.programs
	r := x.start(s, w, nil)
	r.record = true
	r.exec()
	if r.err != nil {
		return nil, &FaultFreeError{Err: r.err, Text: strings.TrimRight(lang.FormatError(r.err, s.Progress()), "\n")}
	}
	if inv := invariants(w); len(inv) > 0 {
		return nil, &FaultFreeError{Text: "without any fault, the world the runbook leaves breaks " + plural(len(inv), "invariant") + ":\n  " + strings.Join(inv, "\n  ")}
	}
	x.Points = r.points
	for _, c := range w.MSCS.Clusters {
		if c.HasQuorum() {
			x.quorum = append(x.quorum, c.Name)
		}
		for _, g := range c.Groups {
			if g.State() == mscs.Online {
				x.online = append(x.online, groupRef{c.Name, g.Name})
			}
		}
	}
	x.enumerate()
	return x, nil
}

// invariants lists what a world breaks: SPEC §13's one list, in the
// engine (sim.World.Invariants). A variable so that a test can break one.
var invariants = (*sim.World).Invariants

// newWorld is the world a run starts from.
func (x *Explorer) newWorld() *sim.World {
	var w *sim.World
	if x.opt.World == nil {
		w = sim.New()
	} else {
		x.worldMu.Lock()
		w = x.opt.World.Clone()
		x.worldMu.Unlock()
	}
	w.DiscardChanges() // no case is exported
	return w
}

// session makes the session of one case: the fault-free run's folder,
// parameters and step budget, and the compiled files shared.
func (x *Explorer) session(w *sim.World, out io.Writer) *lang.Session {
	s := lang.NewSession(builtins.NewWorld(w), builtins.Registry(), out)
	s.Files, s.Dir = x.files, x.dir
	s.MaxSteps = x.opt.MaxSteps
	s.Programs = &x.programs
	// The heap is shared by the cases running at once, so a budget per
	// case means nothing; the step budget still stops a runaway case.
	s.MaxMemory = 0
	for _, kv := range x.opt.Sets {
		if name, v, err := lang.ParseSet(kv); err == nil { // the fault-free run checked them
			s.Params[name] = v
		}
	}
	return s
}

// A run is one run of the runbook, watched by its probe: it counts the
// points, injects the case's faults at theirs, and in the fault-free run
// records each point and the faults that can strike there.
type run struct {
	x       *Explorer
	s       *lang.Session
	w       *sim.World
	targets []target // what to inject, in order
	next    int      // the next target to inject
	record  bool     // the fault-free run: record the points
	points  []Point
	seen    map[string]int // how often a point's label came up

	mark  int   // the events seen at the last place
	clock int64 // the clock at the last place
	point int   // the points passed

	err       error    // the run's error
	stepLimit bool     // it stopped on the step budget
	misses    []string // faults that did not apply
}

func (x *Explorer) start(s *lang.Session, w *sim.World, targets []target) *run {
	r := &run{x: x, s: s, w: w, targets: targets, seen: map[string]int{}, mark: len(w.Log()), clock: w.Now()}
	s.Probe = r.probe
	return r
}

// exec runs the runbook to its end, then settles the world.
func (r *run) exec() {
	x := r.x
	x.mu.Lock()
	if x.interrupted != "" {
		r.s.Interrupt(x.interrupted)
	}
	x.running[r.s] = true
	x.mu.Unlock()
	var src []byte
	if src, r.err = fs.ReadFile(x.files, x.name); r.err == nil {
		_, r.err = r.s.ExecSource(x.name, src)
	} else {
		r.err = &lang.FileError{What: "runbook", Path: x.opt.Path, Err: r.err}
	}
	r.stepLimit = r.err != nil && r.s.Stopped()
	x.mu.Lock()
	delete(x.running, r.s)
	x.mu.Unlock()
	d := r.w.Settle()
	r.w.Record(core.KindClock, "", fmt.Sprintf("explore: settled after %s at %s", core.FormatDuration(d), core.FormatClock(r.w.Now())))
	r.s.Flush()
}

// A cachedFS reads each file of the runbook's folder once for all runs.
type cachedFS struct {
	fsys  fs.FS
	mu    sync.Mutex
	files map[string]cachedFile
}

type cachedFile struct {
	data []byte
	err  error
}

func (c *cachedFS) Open(name string) (fs.File, error) { return c.fsys.Open(name) }

// ReadFile returns the file's bytes as first read; callers do not change
// them (lang parses them).
func (c *cachedFS) ReadFile(name string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.files[name]
	if !ok {
		f.data, f.err = fs.ReadFile(c.fsys, name)
		c.files[name] = f
	}
	return f.data, f.err
}

// lineKinds are the events that record what a runbook writes, not a
// change of the world.
var lineKinds = map[string]bool{
	core.KindRunbook: true, core.KindProcedure: true, core.KindStep: true, core.KindNote: true,
	core.KindPrint: true, core.KindCheck: true, core.KindClock: true,
}

// changed reports whether the world changed since the last place: the
// clock moved or an event other than a runbook's line was logged.
func (r *run) changed() bool {
	if r.w.Now() != r.clock {
		return true
	}
	log := r.w.Log()
	for i := min(r.mark, len(log)); i < len(log); i++ {
		if !lineKinds[log[i].Kind] {
			return true
		}
	}
	return false
}

// probe is told each place the run passes (lang.Probe).
func (r *run) probe(at lang.ProbeAt) {
	if r.next == len(r.targets) && !r.record {
		return // nothing left to inject: the rest of the run is the case's
	}
	if at.Step || r.changed() {
		r.point++
		if r.record {
			r.points = append(r.points, Point{Where: r.where(at), Faults: faultsAt(r.w)})
		}
		for r.next < len(r.targets) && r.targets[r.next].point == r.point {
			r.inject(r.targets[r.next])
			r.next++
		}
	}
	r.mark, r.clock = len(r.w.Log()), r.w.Now()
}

// inject strikes the world with a target's fault, saying so in the
// transcript; a fault that no longer applies (a pair's second fault whose
// server the first one took down) is noted instead.
func (r *run) inject(t target) {
	f := r.x.Points[t.point-1].Faults[t.fault]
	r.w.Record(core.KindNote, "", fmt.Sprintf("explore: %s at point %d, %s", f.Call(), t.point, r.x.Points[t.point-1].Where))
	if err := f.inject(r.w); err != nil {
		r.w.Record(core.KindNote, "", fmt.Sprintf("explore: %s does not apply: %v", f.Call(), err))
		r.misses = append(r.misses, fmt.Sprintf("%s did not apply: %v", f.Call(), err))
	}
}

// where labels a point: `step 3 "Add the node" (runbook.star:40)` or
// `after add_node (runbook.star:23)`, with " #2" and on when a label
// repeats (a loop).
func (r *run) where(at lang.ProbeAt) string {
	file, line := path.Base(at.Pos.Filename()), at.Pos.Line
	var label string
	if at.Step {
		p := r.s.Progress()
		label = fmt.Sprintf("step %d %q (%s:%d)", p.Step, p.StepText, file, line)
	} else {
		label = fmt.Sprintf("after %s (%s:%d)", at.Call, file, line)
	}
	r.seen[label]++
	if n := r.seen[label]; n > 1 {
		label += fmt.Sprintf(" #%d", n)
	}
	return label
}

// Interrupt stops the exploration (Ctrl-C): running cases stop with the
// reason, and no case starts after. Safe to call from another goroutine.
func (x *Explorer) Interrupt(reason string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.interrupted = reason
	for s := range x.running {
		s.Interrupt(reason)
	}
}

// Interrupted is the reason Interrupt gave, or "".
func (x *Explorer) Interrupted() string {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.interrupted
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
