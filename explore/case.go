package explore

import (
	"errors"
	"fmt"
	"io"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"clusterscript/lang"
	"clusterscript/runtime/mscs"

	"go.starlark.net/starlark"
)

// A target is one fault at one point: the point's number (from 1) and the
// fault's place in the point's list (from 0).
type target struct{ point, fault int }

func (t target) id() string { return fmt.Sprintf("%d.%d", t.point, t.fault+1) }

func (t target) before(u target) bool {
	return t.point < u.point || t.point == u.point && t.fault < u.fault
}

// A Case is one run with one fault, or (--depth 2) two, the second at the
// same point as the first or later.
type Case struct {
	// ID names the case: "12.3" is the third fault of point 12's list (all
	// kinds counted, so --faults does not change it), "12.3+15.1" a pair.
	ID string
	// Index is the case's place in the exploration, from 0: --shard I/N
	// runs the cases whose index is I modulo N.
	Index   int
	targets []target
}

// The outcomes of a case, worst first.
const (
	Broken        = "broken"
	Unavailable   = "unavailable"
	RunbookFailed = "runbook-failed"
	StepLimit     = "step-limit"
	Survived      = "survived"
)

// Outcomes lists the outcomes worst first: the report's order.
var Outcomes = []string{Broken, Unavailable, RunbookFailed, StepLimit, Survived}

// enumerate lists the cases: each fault of a chosen kind at each point,
// and at depth 2 each one followed by every later one.
func (x *Explorer) enumerate() {
	var singles []target
	for p, pt := range x.Points {
		for i, f := range pt.Faults {
			if slices.Contains(x.opt.Kinds, f.Kind) {
				singles = append(singles, target{p + 1, i})
			}
		}
	}
	add := func(ts ...target) {
		ids := make([]string, len(ts))
		for i, t := range ts {
			ids[i] = t.id()
		}
		x.cases = append(x.cases, Case{ID: strings.Join(ids, "+"), Index: len(x.cases), targets: ts})
	}
	for i, t := range singles {
		add(t)
		if x.opt.Depth == 2 {
			for _, u := range singles[i+1:] {
				add(t, u)
			}
		}
	}
}

// Cases lists the cases of the exploration, in index order.
func (x *Explorer) Cases() []Case { return x.cases }

// Case finds a case by its ID, whatever --faults and --depth say: any
// fault of the fault-free run's points, or two in order.
func (x *Explorer) Case(id string) (Case, error) {
	parts := strings.Split(id, "+")
	if len(parts) > 2 {
		return Case{}, &UsageError{fmt.Sprintf("--case %q: a case has one fault (12.3) or two (12.3+15.1)", id)}
	}
	c := Case{ID: id, Index: -1}
	for _, p := range parts {
		t, err := x.parseTarget(p)
		if err != nil {
			return Case{}, &UsageError{fmt.Sprintf("--case %q: %v", id, err)}
		}
		c.targets = append(c.targets, t)
	}
	if len(c.targets) == 2 && !c.targets[0].before(c.targets[1]) {
		return Case{}, &UsageError{fmt.Sprintf("--case %q: the second fault must come after the first (a later point, or later in the same point's list)", id)}
	}
	for _, k := range x.cases {
		if k.ID == id {
			c.Index = k.Index
		}
	}
	return c, nil
}

func (x *Explorer) parseTarget(s string) (target, error) {
	ps, fs, ok := strings.Cut(s, ".")
	p, err1 := strconv.Atoi(ps)
	f, err2 := strconv.Atoi(fs)
	if !ok || err1 != nil || err2 != nil {
		return target{}, fmt.Errorf("%q is not a case ID; write POINT.FAULT, e.g. 12.3, as the report and --json name cases", s)
	}
	if p < 1 || p > len(x.Points) {
		return target{}, fmt.Errorf("there is no point %d; the runbook has %s", p, plural(len(x.Points), "point"))
	}
	if n := len(x.Points[p-1].Faults); f < 1 || f > n {
		return target{}, fmt.Errorf("point %d (%s) has %s, so there is no fault %d", p, x.Points[p-1].Where, plural(n, "fault"), f)
	}
	return target{p, f - 1}, nil
}

// A Result is what one case came to.
type Result struct {
	Case    Case
	Outcome string
	Reason  string // one line; empty when the case survived
}

// RunCase runs one case with its transcript written to out.
func (x *Explorer) RunCase(c Case, out io.Writer) (Result, *lang.Session) {
	w := x.newWorld()
	s := x.session(w, out)
	r := x.start(s, w, c.targets)
	r.exec()
	res := Result{Case: c}
	res.Outcome, res.Reason = x.judge(r)
	if len(r.misses) > 0 {
		res.Reason = strings.TrimPrefix(res.Reason+"; "+strings.Join(r.misses, "; "), "; ")
	}
	return res, s
}

// Run runs the cases of a shard (all of them for Shard{}), jobs at a time,
// and returns their results in index order. After Interrupt it returns
// what finished, and false.
func (x *Explorer) Run(sh Shard) ([]Result, bool) {
	var todo []Case
	for _, c := range x.cases {
		if sh.Has(c.Index) {
			todo = append(todo, c)
		}
	}
	results := make([]Result, len(todo))
	done := make([]bool, len(todo))
	jobs := min(max(x.opt.Jobs, 1), max(len(todo), 1))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(todo) || x.Interrupted() != "" {
					return
				}
				results[i], _ = x.RunCase(todo[i], io.Discard)
				done[i] = x.Interrupted() == ""
			}
		}()
	}
	wg.Wait()
	out := results[:0]
	for i, r := range results {
		if done[i] {
			out = append(out, r)
		}
	}
	return out, len(out) == len(todo)
}

// judge decides a finished run's outcome and its one-line reason.
func (x *Explorer) judge(r *run) (string, string) {
	if inv := invariants(r.w); len(inv) > 0 {
		return Broken, summary(inv)
	}
	if r.err != nil {
		if r.stepLimit {
			return StepLimit, oneLine(lang.ErrorMessage(r.err))
		}
		return RunbookFailed, failure(r.err, r.s.Progress())
	}
	if why := x.unavailable(r); len(why) > 0 {
		return Unavailable, summary(why)
	}
	return Survived, ""
}

// unavailable lists what the fault-free run left running and the case did
// not: a cluster's quorum, or a group Online that could have been, since a
// node could own it.
func (x *Explorer) unavailable(r *run) []string {
	var out []string
	e := r.w.MSCS
	for _, name := range x.quorum {
		if c, err := e.Cluster(name); err == nil && !c.HasQuorum() {
			out = append(out, fmt.Sprintf("cluster %s has lost quorum (it keeps quorum without the fault)", c.Name))
		}
	}
	for _, ref := range x.online {
		c, err := e.Cluster(ref.cluster)
		if err != nil {
			continue
		}
		g, err := c.Group(ref.group)
		if err != nil || g.State() == mscs.Online {
			continue
		}
		for _, n := range c.NodeNames() {
			if e.CanHost(c, g, n) == "" {
				out = append(out, fmt.Sprintf("group %q of cluster %s is %s though %s could own it (it is Online without the fault)", g.Name, c.Name, g.State(), n))
				break
			}
		}
	}
	return out
}

// failure words a runbook's failure on one line: the message, where in the
// runbook's own code it happened, and the procedure and step in progress.
func failure(err error, p lang.Progress) string {
	var where []string
	var ee *starlark.EvalError
	if errors.As(err, &ee) {
		for i := len(ee.CallStack) - 1; i >= 0; i-- {
			pos := ee.CallStack[i].Pos
			if f := pos.Filename(); f != "<builtin>" && !strings.HasPrefix(f, lang.StdlibPrefix) {
				where = append(where, fmt.Sprintf("%s:%d", path.Base(f), pos.Line))
				break
			}
		}
	}
	if p.Procedure != "" {
		w := fmt.Sprintf("procedure %q", p.Procedure)
		if p.Step > 0 {
			w += fmt.Sprintf(", step %d", p.Step)
		}
		where = append(where, w)
	}
	msg := oneLine(lang.ErrorMessage(err))
	if len(where) > 0 {
		msg += " (" + strings.Join(where, ", ") + ")"
	}
	return msg
}

// summary is the first of a list of problems, with how many more follow.
func summary(list []string) string {
	s := oneLine(list[0])
	if len(list) > 1 {
		s += fmt.Sprintf(" (and %d more)", len(list)-1)
	}
	return s
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// DefaultJobs is how many cases run at once unless --jobs says otherwise:
// one per CPU.
func DefaultJobs() int { return runtime.NumCPU() }
