package builtins

import (
	"fmt"
	"math"
	"strings"

	"clusterscript/lang"

	"go.starlark.net/starlark"
)

// oneOf is the enumeration of a string parameter, from the values the
// engine validates it with; `check` reports a literal outside it.
func oneOf(what string, values ...string) *lang.Enum {
	return &lang.Enum{What: what, Values: values}
}

// oneOfFold is an enumeration the engine reads in any letter case.
func oneOfFold(what string, values ...string) *lang.Enum {
	return &lang.Enum{What: what, Values: values, FoldCase: true}
}

// ref is an argument naming one object: its handle, or its name as a
// string. kinds lists the handle types accepted.
type ref struct {
	what  string
	kinds []*objectKind
	name  string
	scope string // the cluster of a node, group or resource handle
	obj   *Object
}

func refTo(what string, kinds ...*objectKind) *ref { return &ref{what: what, kinds: kinds} }

func (r *ref) Unpack(v starlark.Value) error {
	switch x := v.(type) {
	case starlark.String:
		if x == "" {
			return fmt.Errorf("the %s name is empty", r.what)
		}
		r.name = string(x)
		return nil
	case *Object:
		for _, k := range r.kinds {
			if x.kind == k {
				r.name, r.scope, r.obj = x.name, x.scope, x
				return nil
			}
		}
	}
	return fmt.Errorf("got %s, want a %s or its name", v.Type(), r.describe())
}

func (r *ref) describe() string {
	names := make([]string, len(r.kinds))
	for i, k := range r.kinds {
		names[i] = k.name
	}
	return strings.Join(names, " or ")
}

// refList is a list of refs.
type refList struct {
	what  string
	kinds []*objectKind
	names []string
}

func refsTo(what string, kinds ...*objectKind) *refList {
	return &refList{what: what, kinds: kinds}
}

func (l *refList) Unpack(v starlark.Value) error {
	it, ok := v.(starlark.Iterable)
	if !ok || isString(v) {
		return fmt.Errorf("got %s, want a list of %s handles or names", v.Type(), l.what)
	}
	iter := it.Iterate()
	defer iter.Done()
	var x starlark.Value
	l.names = nil
	for i := 0; iter.Next(&x); i++ {
		r := refTo(l.what, l.kinds...)
		if err := r.Unpack(x); err != nil {
			return fmt.Errorf("item %d: %v", i, err)
		}
		l.names = append(l.names, r.name)
	}
	return nil
}

func isString(v starlark.Value) bool { _, ok := v.(starlark.String); return ok }

// optString accepts a string or None.
type optString struct {
	s   string
	set bool
}

func (o *optString) Unpack(v starlark.Value) error {
	switch x := v.(type) {
	case starlark.NoneType:
		o.s, o.set = "", false
		return nil
	case starlark.String:
		o.s, o.set = string(x), true
		return nil
	}
	return fmt.Errorf("got %s, want string or None", v.Type())
}

// stringList accepts a list or tuple of strings.
type stringList []string

func (l *stringList) Unpack(v starlark.Value) error {
	it, ok := v.(starlark.Iterable)
	if !ok || isString(v) {
		return fmt.Errorf("got %s, want a list of strings", v.Type())
	}
	iter := it.Iterate()
	defer iter.Done()
	var x starlark.Value
	*l = (*l)[:0]
	for i := 0; iter.Next(&x); i++ {
		s, ok := x.(starlark.String)
		if !ok {
			return fmt.Errorf("item %d: got %s, want string", i, x.Type())
		}
		*l = append(*l, string(s))
	}
	return nil
}

// number accepts an int or a float.
type number float64

func (n *number) Unpack(v starlark.Value) error {
	switch x := v.(type) {
	case starlark.Int:
		i, ok := x.Int64()
		if !ok {
			return fmt.Errorf("%s is too large", x)
		}
		*n = number(i)
		return nil
	case starlark.Float:
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return fmt.Errorf("got %s, want a finite number", x)
		}
		*n = number(x)
		return nil
	}
	return fmt.Errorf("got %s, want int or float", v.Type())
}

// account accepts a User handle or "DOMAIN\\name".
type account struct{ name string }

func (a *account) Unpack(v starlark.Value) error {
	switch x := v.(type) {
	case starlark.String:
		a.name = string(x)
		return nil
	case *Object:
		if x.kind == userKind {
			a.name = x.name
			return nil
		}
	}
	return fmt.Errorf(`got %s, want a User or "DOMAIN\\name"`, v.Type())
}
