package lang

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"clusterscript/internal/spell"

	"go.starlark.net/resolve"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// A StaticError is found without running anything: a syntax error, an
// undefined name, a load() that cannot be resolved, a name a module does
// not define, or a call to a builtin that would be refused whatever the
// world holds (checkcalls.go).
type StaticError struct {
	Pos syntax.Position
	Msg string
}

func (e *StaticError) Error() string { return fmt.Sprintf("%s: %s", e.Pos, e.Msg) }

// CheckFile parses and resolves the runbook at path and every module it
// loads, and returns every static error found, in file order.
func CheckFile(reg *Registry, path string) []error {
	s := NewSession(nil, reg, nil)
	name := s.openFolder(path)
	if _, err := fs.Stat(s.Files, name); err != nil {
		return []error{fmt.Errorf("cannot read runbook %s: %w", s.display(name), err)}
	}
	c := &checker{s: s, done: map[string]map[string]bool{}}
	c.check(name, nil)
	return c.errs
}

type checker struct {
	s     *Session
	errs  []error
	done  map[string]map[string]bool // module → its top-level names; nil while in progress
	stack []string
}

func (c *checker) add(pos syntax.Position, format string, args ...any) {
	c.errs = append(c.errs, &StaticError{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// check checks one module and returns the names it defines at top level.
func (c *checker) check(name string, at *syntax.Position) map[string]bool {
	if names, ok := c.done[name]; ok {
		if names == nil && at != nil {
			chain := append(append([]string(nil), c.stack...), name)
			for i := range chain {
				chain[i] = c.s.display(chain[i])
			}
			c.add(*at, "load cycle: %s", strings.Join(chain, " → "))
		}
		return names
	}
	src, err := c.s.readModule(name)
	if err != nil {
		var le *LoadError
		if errors.As(err, &le) && at != nil {
			c.add(*at, "%s", le.Error())
		} else {
			c.errs = append(c.errs, err)
		}
		return nil
	}
	c.done[name] = nil
	c.stack = append(c.stack, name)
	defer func() { c.stack = c.stack[:len(c.stack)-1] }()

	f, err := parseSource(c.s.display(name), src)
	if err != nil {
		var se syntax.Error
		var ste *StaticError
		switch {
		case errors.As(err, &se):
			c.add(se.Pos, "%s", se.Msg)
		case errors.As(err, &ste):
			c.add(ste.Pos, "%s", ste.Msg)
		default:
			c.errs = append(c.errs, err)
		}
		return nil
	}
	pre := c.s.predeclared()
	if err := resolve.File(f, func(n string) bool { _, ok := pre[n]; return ok }, starlark.Universe.Has); err != nil {
		err = c.s.hintUndefined(err)
		var el resolve.ErrorList
		if errors.As(err, &el) {
			for _, e := range el {
				c.add(e.Pos, "%s", e.Msg)
			}
		} else {
			c.errs = append(c.errs, err)
		}
	}
	checkCalls(c.s.Registry, f, c.add)
	names := map[string]bool{}
	collectTopLevel(f.Stmts, names)
	for _, st := range f.Stmts {
		c.checkLoads(name, st)
	}
	c.done[name] = names
	return names
}

func (c *checker) checkLoads(from string, st syntax.Stmt) {
	switch x := st.(type) {
	case *syntax.LoadStmt:
		pos, _ := x.Span()
		mod := x.ModuleName()
		target, err := ResolveModule(from, mod)
		if err != nil {
			c.add(pos, "%s", err)
			return
		}
		defined := c.check(target, &pos)
		if defined == nil {
			return
		}
		for _, id := range x.From {
			// The resolver has already reported a name starting with _.
			if !defined[id.Name] && !strings.HasPrefix(id.Name, "_") {
				c.add(id.NamePos, "load: %s", notDefined(mod, id.Name, sortedKeys(defined)))
			}
		}
	case *syntax.IfStmt:
		for _, y := range x.True {
			c.checkLoads(from, y)
		}
		for _, y := range x.False {
			c.checkLoads(from, y)
		}
	case *syntax.ForStmt:
		for _, y := range x.Body {
			c.checkLoads(from, y)
		}
	case *syntax.WhileStmt:
		for _, y := range x.Body {
			c.checkLoads(from, y)
		}
	}
}

// collectTopLevel records the global names a module binds. Names bound by
// its own load statements are file-local (FileOptions.LoadBindsGlobally is
// off), so they are not among them.
func collectTopLevel(stmts []syntax.Stmt, names map[string]bool) {
	for _, st := range stmts {
		switch x := st.(type) {
		case *syntax.DefStmt:
			names[x.Name.Name] = true
		case *syntax.AssignStmt:
			bindTargets(x.LHS, names)
		case *syntax.ForStmt:
			bindTargets(x.Vars, names)
			collectTopLevel(x.Body, names)
		case *syntax.WhileStmt:
			collectTopLevel(x.Body, names)
		case *syntax.IfStmt:
			collectTopLevel(x.True, names)
			collectTopLevel(x.False, names)
		}
	}
}

func bindTargets(e syntax.Expr, names map[string]bool) {
	switch x := e.(type) {
	case *syntax.Ident:
		names[x.Name] = true
	case *syntax.TupleExpr:
		for _, y := range x.List {
			bindTargets(y, names)
		}
	case *syntax.ListExpr:
		for _, y := range x.List {
			bindTargets(y, names)
		}
	case *syntax.ParenExpr:
		bindTargets(x.X, names)
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// hintUndefined adds the nearest builtin or universal name to the
// resolver's "undefined: x" errors: the resolver suggests only among the
// file's own names, as it cannot list the predeclared ones.
func (s *Session) hintUndefined(err error) error {
	el, ok := err.(resolve.ErrorList)
	if !ok {
		return err
	}
	names := append(s.Registry.Names(), starlark.Universe.Keys()...)
	out := make(resolve.ErrorList, len(el))
	for i, e := range el {
		if name, ok := strings.CutPrefix(e.Msg, "undefined: "); ok && !strings.Contains(name, " ") {
			if n := spell.Nearest(name, names); n != "" {
				e.Msg += fmt.Sprintf(" (did you mean %s?)", n)
			}
		}
		out[i] = e
	}
	return out
}
