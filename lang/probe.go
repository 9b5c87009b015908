package lang

import (
	"strconv"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Fault exploration (clusterscript explore) runs one runbook many times and
// injects a fault at one place of each run. The places are the start of
// every step() and the moment after each call made by the runbook file's
// own top-level code, loops and comprehensions included; a call into a
// function is one place, after it returns, whatever it calls inside. A
// session with a Probe reports each place to it; the explorer decides there
// whether the place counts and what to inject.
//
// To see a top-level call return, the main file's syntax tree is rewritten
// before it is compiled: each call f(x) outside def and lambda bodies
// becomes __probe__(f(x), i), i numbering the call sites. Positions are
// kept, so error messages and backtraces read as in a plain run. Only a
// session with a Probe is rewritten.

// A Probe is told each place a run passes where a fault may be injected. It
// runs on the runbook's thread between two calls and may change the world.
type Probe func(at ProbeAt)

// ProbeAt is one place a run passes.
type ProbeAt struct {
	// Step is set at the start of a step(): the step is recorded
	// (Session.Progress names it) and nothing of it has run yet.
	Step bool
	// Call is the function a top-level call named, as written: "add_node",
	// "lab.build"; empty for a step.
	Call string
	// Pos is the position of the call, or of the step() call.
	Pos syntax.Position
}

// probeName is the builtin the rewritten main file calls after each
// top-level call; a runbook cannot name it (identifiers with two leading
// underscores are not written in runbooks, and the name is never exported).
const probeName = "__probe__"

// A probeSite is one call of the main file's top-level code.
type probeSite struct {
	call string
	pos  syntax.Position
}

// probeBuiltin passes its first argument through, reporting the call site
// its second argument numbers to the session's probe.
var probeBuiltin = starlark.NewBuiltin(probeName, func(thread *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
	s := SessionOf(thread)
	i, _ := starlark.AsInt32(args[1])
	if s != nil && s.Probe != nil && i >= 0 && i < len(s.sites) {
		s.Probe(ProbeAt{Call: s.sites[i].call, Pos: s.sites[i].pos})
	}
	return args[0], nil
})

// probeStep reports the start of a step to the probe, with the position of
// the step() call: the caller of the builtin running on the innermost
// thread.
func (s *Session) probeStep() {
	if s.Probe == nil {
		return
	}
	s.mu.Lock()
	var t *starlark.Thread
	if n := len(s.threads); n > 0 {
		t = s.threads[n-1]
	}
	s.mu.Unlock()
	var pos syntax.Position
	if t != nil && t.CallStackDepth() > 1 {
		pos = t.CallFrame(1).Pos
	}
	s.Probe(ProbeAt{Step: true, Pos: pos})
}

// instrument rewrites the top-level code of f so that each call reports its
// return (see above) and returns the call sites by number.
func instrument(f *syntax.File) []probeSite {
	in := &instrumenter{}
	in.stmts(f.Stmts)
	return in.sites
}

type instrumenter struct{ sites []probeSite }

func (in *instrumenter) stmts(list []syntax.Stmt) {
	for _, st := range list {
		in.stmt(st)
	}
}

func (in *instrumenter) stmt(st syntax.Stmt) {
	switch st := st.(type) {
	case *syntax.ExprStmt:
		st.X = in.expr(st.X)
	case *syntax.AssignStmt:
		st.LHS = in.target(st.LHS)
		st.RHS = in.expr(st.RHS)
	case *syntax.IfStmt:
		st.Cond = in.expr(st.Cond)
		in.stmts(st.True)
		in.stmts(st.False)
	case *syntax.ForStmt:
		st.Vars = in.target(st.Vars)
		st.X = in.expr(st.X)
		in.stmts(st.Body)
	case *syntax.WhileStmt:
		st.Cond = in.expr(st.Cond)
		in.stmts(st.Body)
	case *syntax.DefStmt:
		in.params(st.Params) // default values run at the top level; the body does not
	case *syntax.ReturnStmt:
		if st.Result != nil {
			st.Result = in.expr(st.Result)
		}
	}
}

// params rewrites the default values of a def's or lambda's parameters.
func (in *instrumenter) params(ps []syntax.Expr) {
	for _, p := range ps {
		if b, ok := p.(*syntax.BinaryExpr); ok && b.Op == syntax.EQ {
			b.Y = in.expr(b.Y)
		}
	}
}

// target rewrites what an assignment target evaluates (indexes, the
// objects of attributes), keeping it a target.
func (in *instrumenter) target(e syntax.Expr) syntax.Expr {
	switch x := e.(type) {
	case *syntax.IndexExpr:
		x.X, x.Y = in.expr(x.X), in.expr(x.Y)
	case *syntax.DotExpr:
		x.X = in.expr(x.X)
	case *syntax.ParenExpr:
		x.X = in.target(x.X)
	case *syntax.ListExpr:
		for i := range x.List {
			x.List[i] = in.target(x.List[i])
		}
	case *syntax.TupleExpr:
		for i := range x.List {
			x.List[i] = in.target(x.List[i])
		}
	}
	return e
}

func (in *instrumenter) exprs(list []syntax.Expr) {
	for i := range list {
		list[i] = in.expr(list[i])
	}
}

func (in *instrumenter) expr(e syntax.Expr) syntax.Expr {
	switch x := e.(type) {
	case *syntax.CallExpr:
		x.Fn = in.expr(x.Fn)
		in.exprs(x.Args)
		return in.wrap(x)
	case *syntax.BinaryExpr:
		if x.Op == syntax.EQ { // a keyword argument: name = value
			x.Y = in.expr(x.Y)
		} else {
			x.X, x.Y = in.expr(x.X), in.expr(x.Y)
		}
	case *syntax.UnaryExpr:
		if x.X != nil {
			x.X = in.expr(x.X)
		}
	case *syntax.ParenExpr:
		x.X = in.expr(x.X)
	case *syntax.ListExpr:
		in.exprs(x.List)
	case *syntax.TupleExpr:
		in.exprs(x.List)
	case *syntax.DictExpr:
		for _, d := range x.List {
			in.entry(d)
		}
	case *syntax.DictEntry:
		in.entry(x)
	case *syntax.Comprehension:
		if d, ok := x.Body.(*syntax.DictEntry); ok {
			in.entry(d)
		} else {
			x.Body = in.expr(x.Body)
		}
		for _, c := range x.Clauses {
			switch c := c.(type) {
			case *syntax.ForClause:
				c.Vars = in.target(c.Vars)
				c.X = in.expr(c.X)
			case *syntax.IfClause:
				c.Cond = in.expr(c.Cond)
			}
		}
	case *syntax.CondExpr:
		x.Cond, x.True, x.False = in.expr(x.Cond), in.expr(x.True), in.expr(x.False)
	case *syntax.DotExpr:
		x.X = in.expr(x.X)
	case *syntax.IndexExpr:
		x.X, x.Y = in.expr(x.X), in.expr(x.Y)
	case *syntax.SliceExpr:
		x.X = in.expr(x.X)
		for _, p := range []*syntax.Expr{&x.Lo, &x.Hi, &x.Step} {
			if *p != nil {
				*p = in.expr(*p)
			}
		}
	case *syntax.LambdaExpr:
		in.params(x.Params)
	}
	return e
}

func (in *instrumenter) entry(e syntax.Expr) {
	if d, ok := e.(*syntax.DictEntry); ok {
		d.Key, d.Value = in.expr(d.Key), in.expr(d.Value)
	}
}

// wrap turns the call c into __probe__(c, i).
func (in *instrumenter) wrap(c *syntax.CallExpr) syntax.Expr {
	i := len(in.sites)
	start, _ := c.Span()
	in.sites = append(in.sites, probeSite{call: callName(c.Fn), pos: start})
	return &syntax.CallExpr{
		Fn:     &syntax.Ident{NamePos: start, Name: probeName},
		Lparen: c.Lparen,
		Args:   []syntax.Expr{c, &syntax.Literal{Token: syntax.INT, TokenPos: c.Rparen, Raw: strconv.Itoa(i), Value: int64(i)}},
		Rparen: c.Rparen,
	}
}

// callName is the called expression as written when it is a name or an
// attribute: "add_node", "lab.build"; else "a call".
func callName(fn syntax.Expr) string {
	switch x := fn.(type) {
	case *syntax.Ident:
		return x.Name
	case *syntax.DotExpr:
		if inner := callName(x.X); inner != "a call" {
			return inner + "." + x.Name.Name
		}
		return x.Name.Name
	case *syntax.ParenExpr:
		return callName(x.X)
	}
	return "a call"
}
