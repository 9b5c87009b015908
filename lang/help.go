package lang

import (
	"fmt"
	"sort"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// help(x) is the REPL's way to read documentation without leaving the
// expression it is writing: help(move_group), help("move_group"),
// help(get_group(cl, "EVS1 Group")). It is a global of every REPL session,
// not a builtin of runbooks (a runbook documents itself; its transcript is
// no place for manuals), and :save leaves its calls out.

func (r *REPL) helpBuiltin(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value = starlark.None
	if err := starlark.UnpackPositionalArgs("help", args, kwargs, 0, &x); err != nil {
		return nil, err
	}
	if s := SessionOf(thread); s != nil {
		s.Flush() // what the statement printed so far comes first
	}
	switch x := x.(type) {
	case starlark.NoneType:
		r.help("")
	case starlark.String:
		r.help(string(x))
	case *starlark.Builtin:
		if bi, ok := r.reg.Lookup(x.Name()); ok && r.reg.Predeclared()[x.Name()] == x {
			fmt.Fprint(r.out, builtinDoc(bi))
		} else {
			fmt.Fprintf(r.out, "%s is a function built into Starlark; the Starlark specification documents it.\n", x.Name())
		}
	case *starlark.Function:
		fmt.Fprint(r.out, functionDoc(x))
	default:
		fmt.Fprint(r.out, valueDoc(x))
	}
	return starlark.None, nil
}

// callsHelp reports whether statements mention the REPL's help(), which a
// runbook saved by :save would not have.
func (r *REPL) callsHelp(f *syntax.File) bool {
	// A session may bind the name to something of its own.
	return r.globals["help"] == r.helpFn && mentions(f, "help")
}

// builtinDoc is a builtin's signature, summary and documentation.
func builtinDoc(b *Builtin) string {
	s := fmt.Sprintf("%s\n\n    %s\n", b.Signature(), b.Summary)
	if b.Doc != "" {
		s += fmt.Sprintf("\n%s\n", b.Doc)
	}
	return s
}

// functionDoc is a Starlark function's signature, where it is defined and
// its docstring.
func functionDoc(fn *starlark.Function) string {
	s := fmt.Sprintf("%s%s, defined at %s\n", fn.Name(), funcParams(fn), fn.Position())
	if doc := fn.Doc(); doc != "" {
		s += fmt.Sprintf("\n%s\n", doc)
	}
	return s
}

// valueDoc describes a value: its type and, for a value with attributes (a
// handle on an object of the world, a record), each attribute with what it
// holds now; methods are listed by name.
func valueDoc(x starlark.Value) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, a value of type %s\n", shorten(x.String(), 100), x.Type())
	ha, ok := x.(starlark.HasAttrs)
	if !ok {
		return b.String()
	}
	names := ha.AttrNames()
	sort.Strings(names)
	var methods, attrs []string
	width := 0
	for _, n := range names {
		v, err := ha.Attr(n)
		if err != nil || v == nil {
			continue
		}
		if _, ok := v.(starlark.Callable); ok {
			methods = append(methods, n+"()")
			continue
		}
		attrs = append(attrs, n)
		width = max(width, len(n))
	}
	if len(attrs) > 0 {
		b.WriteString("\nAttributes, as they are now:\n")
		for _, n := range attrs {
			v, _ := ha.Attr(n)
			fmt.Fprintf(&b, "  %-*s  %s\n", width, n, shorten(v.String(), 76-width))
		}
	}
	if len(methods) > 0 {
		b.WriteString("\n")
		b.WriteString(WrapList("Methods: ", methods, 78))
	}
	return b.String()
}

// shorten cuts a long rendering to n characters, ending in "…".
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n || n < 2 {
		return s
	}
	return string(r[:n-1]) + "…"
}
