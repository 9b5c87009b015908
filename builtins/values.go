package builtins

import (
	"fmt"
	"sort"

	"clusterscript/runtime/sim"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// An Object is a live, read-only view of one object of the world: a domain,
// server, disk, cluster, node, group, resource, NLB cluster or host. It
// holds only the object's identity; every attribute is read from the world
// when asked for, so a handle never goes stale.
type Object struct {
	kind  *objectKind
	scope string // the owning cluster or NLB cluster, for nested objects
	name  string
	w     *sim.World
}

// objectKind describes one type of handle.
type objectKind struct {
	name  string   // Starlark type name, e.g. "Server"
	attrs []string // sorted attribute names
	// attr reads an attribute; it returns (nil, nil) for an unknown name.
	attr func(o *Object, name string) (starlark.Value, error)
	// str renders the handle, e.g. `<server NODE1 enterprise 2003>`.
	str func(o *Object) string
}

var (
	_ starlark.HasAttrs   = (*Object)(nil)
	_ starlark.Comparable = (*Object)(nil)
)

func newKind(name string, attrs []string, attr func(*Object, string) (starlark.Value, error), str func(*Object) string) *objectKind {
	sorted := append([]string(nil), attrs...)
	sort.Strings(sorted)
	return &objectKind{name: name, attrs: sorted, attr: attr, str: str}
}

func (o *Object) String() string       { return o.kind.str(o) }
func (o *Object) Type() string         { return o.kind.name }
func (o *Object) Freeze()              {}
func (o *Object) Truth() starlark.Bool { return starlark.True }
func (o *Object) Hash() (uint32, error) {
	return starlark.String(o.kind.name + "\x00" + o.scope + "\x00" + o.name).Hash()
}
func (o *Object) AttrNames() []string { return o.kind.attrs }

func (o *Object) Attr(name string) (starlark.Value, error) {
	v, err := o.kind.attr(o, name)
	if err != nil {
		return nil, fmt.Errorf("%s.%s: %w", o.String(), name, err)
	}
	return v, nil
}

func (o *Object) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	p := y.(*Object)
	eq := o.kind == p.kind && o.scope == p.scope && o.name == p.name
	switch op {
	case syntax.EQL:
		return eq, nil
	case syntax.NEQ:
		return !eq, nil
	}
	return false, fmt.Errorf("%s values cannot be ordered; compare their .name", o.kind.name)
}

// Name is the object's own name.
func (o *Object) Name() string { return o.name }

// Scope is the cluster an object such as a node or group belongs to.
func (o *Object) Scope() string { return o.scope }

// ---- conversions ----

func str(s string) starlark.Value { return starlark.String(s) }

func strOrNone(s string) starlark.Value {
	if s == "" {
		return starlark.None
	}
	return starlark.String(s)
}

func strList(xs []string) *starlark.List {
	vs := make([]starlark.Value, len(xs))
	for i, x := range xs {
		vs[i] = starlark.String(x)
	}
	return starlark.NewList(vs)
}

func sortedStrList(xs []string) *starlark.List {
	s := append([]string(nil), xs...)
	sort.Strings(s)
	return strList(s)
}

// A record is an immutable value with named fields: an adapter, an event,
// a connection snapshot.
type record struct {
	typ    string
	fields []string
	values map[string]starlark.Value
	repr   string
}

var _ starlark.HasAttrs = (*record)(nil)

func (r *record) String() string       { return r.repr }
func (r *record) Type() string         { return r.typ }
func (r *record) Freeze()              {}
func (r *record) Truth() starlark.Bool { return starlark.True }
func (r *record) Hash() (uint32, error) {
	return 0, fmt.Errorf("unhashable type: %s", r.typ)
}
func (r *record) AttrNames() []string { return r.fields }
func (r *record) Attr(name string) (starlark.Value, error) {
	return r.values[name], nil // nil, nil for an unknown name lets Starlark suggest one
}

func newRecord(typ, repr string, kv ...any) *record {
	r := &record{typ: typ, repr: repr, values: map[string]starlark.Value{}}
	for i := 0; i < len(kv); i += 2 {
		name := kv[i].(string)
		r.fields = append(r.fields, name)
		r.values[name] = kv[i+1].(starlark.Value)
	}
	sort.Strings(r.fields)
	return r
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
