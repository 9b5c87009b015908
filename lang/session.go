package lang

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"sync"

	"clusterscript/runtime/core"
	"clusterscript/runtime/sim"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// DefaultMaxSteps is the step budget of a run unless --max-steps says
// otherwise.
const DefaultMaxSteps = 100_000_000

// FileOptions is the dialect: while loops, sets, top-level if/for and global
// reassignment; recursion stays off.
var FileOptions = &syntax.FileOptions{
	Set:             true,
	While:           true,
	TopLevelControl: true,
	GlobalReassign:  true,
}

const sessionKey = "clusterscript.session"

// SessionOf returns the session a thread belongs to, or nil.
func SessionOf(thread *starlark.Thread) *Session {
	s, _ := thread.Local(sessionKey).(*Session)
	return s
}

// Progress is where a runbook is in its documented procedure.
type Progress struct {
	Runbook   string
	Procedure string
	Step      int
	StepText  string
}

// A Session runs runbooks against one world and writes the transcript.
type Session struct {
	World    *sim.World
	Registry *Registry

	// Out receives the transcript: one line per event, or one JSON object
	// per event when JSON is set.
	Out  io.Writer
	JSON bool

	// Files is the folder the main runbook lives in; load() reaches only
	// .star files inside it (and the embedded stdlib). Dir is how that
	// folder is shown in messages.
	Files fs.FS
	Dir   string

	MaxSteps uint64
	Params   map[string]starlark.Value

	Progress Progress

	flushed   int
	hold      int // catch() nesting: output is held until the transaction commits
	writeErr  error
	usedSteps uint64
	paramsUse map[string]bool
	modules   map[string]*module
	files     map[string]*syntax.File // parsed runbooks and modules, for their load statements
	loading   []string

	mu      sync.Mutex
	threads []*starlark.Thread
	cancel  string
}

type module struct {
	globals starlark.StringDict
	err     error
}

// NewSession returns a session on world w with the builtins of reg.
func NewSession(w *sim.World, reg *Registry, out io.Writer) *Session {
	if out == nil {
		out = io.Discard
	}
	return &Session{
		World:     w,
		Registry:  reg,
		Out:       out,
		MaxSteps:  DefaultMaxSteps,
		Params:    map[string]starlark.Value{},
		paramsUse: map[string]bool{},
		modules:   map[string]*module{},
		files:     map[string]*syntax.File{},
		flushed:   len(w.Log()),
	}
}

// Flush writes the events appended since the last flush to Out, unless a
// catch() transaction is holding output back.
func (s *Session) Flush() {
	if s.hold > 0 {
		return
	}
	log := s.World.Log()
	if s.flushed > len(log) { // the world was replaced by a shorter one
		s.flushed = len(log)
	}
	for _, e := range log[s.flushed:] {
		s.write(e)
	}
	s.flushed = len(log)
}

// MarkFlushed treats every event so far as already written.
func (s *Session) MarkFlushed() { s.flushed = len(s.World.Log()) }

type jsonEvent struct {
	Seq     int    `json:"seq"`
	Time    string `json:"time"`
	Kind    string `json:"kind"`
	Subject string `json:"subject,omitempty"`
	State   string `json:"state,omitempty"`
	Text    string `json:"text"`
}

func (s *Session) write(e core.Event) {
	if s.writeErr != nil {
		return
	}
	var err error
	if s.JSON {
		var b []byte
		b, err = json.Marshal(jsonEvent{e.Seq, e.Time(), e.Kind, e.Subject, e.State, e.Text})
		if err == nil {
			_, err = s.Out.Write(append(b, '\n'))
		}
	} else {
		_, err = io.WriteString(s.Out, e.String()+"\n")
	}
	s.writeErr = err
}

// WriteErr reports the first error writing the transcript, if any.
func (s *Session) WriteErr() error { return s.writeErr }

// Transaction runs fn with output held back. When fn fails, every change it
// made to the world and to the runbook's progress is rolled back and its
// events are never written.
func (s *Session) Transaction(fn func() error) error {
	mark := s.World.Begin()
	progress := s.Progress
	s.hold++
	err := fn()
	s.hold--
	if err != nil {
		s.World.Rollback(mark)
		s.Progress = progress
	} else {
		s.World.Commit(mark)
	}
	s.Flush()
	return err
}

// Param returns the value given with --set name=..., marking it used.
func (s *Session) Param(name string) (starlark.Value, bool) {
	s.paramsUse[name] = true
	v, ok := s.Params[name]
	return v, ok
}

// UnusedParams lists --set names no param() call asked for.
func (s *Session) UnusedParams() []string {
	var out []string
	for n := range s.Params {
		if !s.paramsUse[n] {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// Interrupt cancels every running thread of the session (Ctrl-C). It is
// safe to call from another goroutine.
func (s *Session) Interrupt(reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cancel = reason
	for _, t := range s.threads {
		t.Cancel(reason)
	}
}

// ClearInterrupt forgets an earlier Interrupt so that the next statement
// can run (the REPL does this after Ctrl-C).
func (s *Session) ClearInterrupt() {
	s.mu.Lock()
	s.cancel = ""
	s.mu.Unlock()
}

// NewThread returns a thread bound to the session, with the transcript as
// print, the loader, and what is left of the step budget.
func (s *Session) NewThread(name string) *starlark.Thread {
	t := &starlark.Thread{
		Name: name,
		Print: func(_ *starlark.Thread, msg string) {
			s.World.Record(core.KindPrint, "", msg)
			s.Flush()
		},
		Load: s.load,
	}
	t.SetLocal(sessionKey, s)
	max := s.MaxSteps
	t.OnMaxSteps = func(t *starlark.Thread) {
		t.Cancel(fmt.Sprintf("the step budget of %d steps (--max-steps) is used up; a loop may not terminate", max))
	}
	s.mu.Lock()
	t.SetMaxExecutionSteps(max1(s.stepsLeft()))
	s.threads = append(s.threads, t)
	if s.cancel != "" {
		t.Cancel(s.cancel)
	}
	s.mu.Unlock()
	return t
}

// stepsLeft is what remains of the budget after the finished threads and
// the steps the running ones (a runbook and the modules it is loading)
// have taken so far. The caller holds s.mu.
func (s *Session) stepsLeft() uint64 {
	used := s.usedSteps
	for _, t := range s.threads {
		used += t.ExecutionSteps()
	}
	if used >= s.MaxSteps {
		return 0
	}
	return s.MaxSteps - used
}

// max1 avoids 0, which SetMaxExecutionSteps reads as "no limit".
func max1(n uint64) uint64 { return max(n, 1) }

// releaseThread counts a finished thread's steps against the budget and
// takes them off what the threads still running (those waiting on the
// load it served) may use.
func (s *Session) releaseThread(t *starlark.Thread) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.usedSteps += t.ExecutionSteps()
	for i, x := range s.threads {
		if x == t {
			s.threads = append(s.threads[:i], s.threads[i+1:]...)
			break
		}
	}
	left := s.stepsLeft()
	for _, x := range s.threads {
		x.SetMaxExecutionSteps(max1(x.ExecutionSteps() + left))
	}
}

// Stopped reports whether the run must end whatever the runbook does: the
// session was interrupted or the step budget is used up. catch() does not
// turn these into a message.
func (s *Session) Stopped() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cancel != "" || s.stepsLeft() == 0
}

// predeclared is what every runbook and module starts with: the builtins.
func (s *Session) predeclared() starlark.StringDict { return s.Registry.Predeclared() }

// ExecFile runs a runbook file given by its path inside Files, shown as
// display in messages.
func (s *Session) ExecFile(name string) (starlark.StringDict, error) {
	src, err := fs.ReadFile(s.Files, name)
	if err != nil {
		return nil, fmt.Errorf("cannot read runbook %s: %w", s.display(name), err)
	}
	return s.ExecSource(name, src)
}

// ExecSource runs a runbook's source, named name inside Files.
func (s *Session) ExecSource(name string, src []byte) (starlark.StringDict, error) {
	t := s.NewThread(name)
	defer s.releaseThread(t)
	// The main file is in progress like a module being loaded, so that a
	// module loading it back is a cycle, not a second run of the file.
	prev, had := s.modules[name]
	s.modules[name] = nil
	s.loading = append(s.loading, name)
	defer func() {
		s.loading = s.loading[:len(s.loading)-1]
		if had {
			s.modules[name] = prev
		} else {
			delete(s.modules, name)
		}
	}()
	t.SetLocal(fromKey, name)
	g, err := s.exec(t, name, src)
	s.Flush()
	return g, err
}

// exec parses, resolves and runs a runbook or module on thread t, keeping
// its syntax tree so that load() can check what the file asks of a module.
func (s *Session) exec(t *starlark.Thread, name string, src []byte) (starlark.StringDict, error) {
	pre := s.predeclared()
	f, prog, err := starlark.SourceProgramOptions(FileOptions, s.display(name), src, pre.Has)
	if err != nil {
		return nil, s.hintUndefined(err)
	}
	s.files[name] = f
	g, err := prog.Init(t, pre)
	g.Freeze()
	return g, err
}

func (s *Session) display(name string) string {
	if isStdlib(name) || s.Dir == "" || s.Dir == "." {
		return name
	}
	return s.Dir + "/" + name
}
