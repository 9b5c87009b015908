package lang

import (
	"fmt"
	"strings"

	"clusterscript/internal/spell"

	"go.starlark.net/resolve"
	"go.starlark.net/syntax"
)

// checkCalls finds, without running anything, the calls to builtins that
// would be refused whatever the world holds: too many or too few
// arguments, an unknown keyword, a keyword given twice, and a literal
// string outside the parameter's enumeration. f must have been resolved.
func checkCalls(reg *Registry, f *syntax.File, add func(pos syntax.Position, format string, args ...any)) {
	syntax.Walk(f, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok {
			return true
		}
		id, ok := call.Fn.(*syntax.Ident)
		if !ok {
			return true
		}
		// Only a name the runbook has not rebound means the builtin.
		if bind, _ := id.Binding.(*resolve.Binding); bind == nil || bind.Scope != resolve.Predeclared {
			return true
		}
		if b, ok := reg.Lookup(id.Name); ok {
			checkCall(b, call, add)
		}
		return true
	})
}

func checkCall(b *Builtin, call *syntax.CallExpr, add func(pos syntax.Position, format string, args ...any)) {
	params := b.Parameters()
	var named []Param // the parameters that have a name, in order
	star, starstar := false, false
	for _, p := range params {
		switch {
		case p.Star:
			star = true
		case p.StarStar:
			starstar = true
		default:
			named = append(named, p)
		}
	}
	given := map[string]bool{}
	npos := 0
	unpacked := false // f(*xs) or f(**kw): the counts are not known
	for _, arg := range call.Args {
		switch x := arg.(type) {
		case *syntax.UnaryExpr:
			if x.Op == syntax.STAR || x.Op == syntax.STARSTAR {
				unpacked = true
				continue
			}
		case *syntax.BinaryExpr:
			if x.Op == syntax.EQ {
				checkKeyword(b, x, named, starstar, given, add)
				continue
			}
		}
		if npos < len(named) {
			given[named[npos].Name] = true
			checkValue(b, named[npos].Name, arg, add)
		}
		npos++
	}
	if unpacked {
		return
	}
	if npos > len(named) && !star {
		add(call.Lparen, "%s: got %d arguments, want at most %d", b.Name, npos, len(named))
	}
	var missing []string
	for _, p := range named {
		if p.Required() && !given[p.Name] {
			missing = append(missing, p.Name)
		}
	}
	switch len(missing) {
	case 0:
	case 1:
		add(call.Lparen, "%s: missing argument for %s", b.Name, missing[0])
	default:
		add(call.Lparen, "%s: missing arguments for %s", b.Name, strings.Join(missing, ", "))
	}
}

// checkKeyword checks one name=value argument. A builtin with **kwargs
// takes any other keyword, and one that repeats a positional parameter
// (new_resource(g, "EVS1 Network Name", "Network Name", name="EVS1") gives
// the resource a parameter called name).
func checkKeyword(b *Builtin, kv *syntax.BinaryExpr, named []Param, starstar bool, given map[string]bool, add func(pos syntax.Position, format string, args ...any)) {
	id, ok := kv.X.(*syntax.Ident)
	if !ok {
		return
	}
	known := false
	for _, p := range named {
		known = known || p.Name == id.Name
	}
	switch {
	case starstar && (!known || given[id.Name]):
		return
	case !known:
		msg := fmt.Sprintf("%s: unexpected keyword argument %q", b.Name, id.Name)
		if s := spell.Nearest(id.Name, b.ParamNames()); s != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", s)
		}
		add(id.NamePos, "%s", msg)
		return
	case given[id.Name]:
		add(id.NamePos, "%s: got multiple values for keyword argument %q", b.Name, id.Name)
		return
	}
	given[id.Name] = true
	checkValue(b, id.Name, kv.Y, add)
}

// checkValue checks a literal string, or each literal string of a literal
// list or tuple, given to a parameter with an enumeration.
func checkValue(b *Builtin, param string, v syntax.Expr, add func(pos syntax.Position, format string, args ...any)) {
	e := b.Enums[param]
	if e == nil {
		return
	}
	switch x := v.(type) {
	case *syntax.Literal:
		s, ok := x.Value.(string)
		if !ok || e.Lookup(s) {
			return
		}
		if msg := e.Refuse(s); msg != "" {
			add(x.TokenPos, "%s: %s", b.Name, msg)
		}
	case *syntax.ListExpr:
		for _, y := range x.List {
			checkValue(b, param, y, add)
		}
	case *syntax.TupleExpr:
		for _, y := range x.List {
			checkValue(b, param, y, add)
		}
	case *syntax.ParenExpr:
		checkValue(b, param, x.X, add)
	}
}
