package builtins

import (
	"fmt"
	"sort"

	"clusterscript/lang"
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
	name  string     // Starlark type name, e.g. "Server"
	doc   *lang.Type // its attributes, documented
	attrs []string   // sorted attribute names
	// attr reads an attribute; it returns (nil, nil) for an unknown name.
	attr func(o *Object, name string) (starlark.Value, error)
	// str renders the handle, e.g. `<server NODE1 enterprise 2003>`.
	str func(o *Object) string
}

var (
	_ starlark.HasAttrs   = (*Object)(nil)
	_ starlark.Comparable = (*Object)(nil)
)

// newKind makes a handle type; summary and attrs document it for `doc`
// and are the attribute list dir() shows.
func newKind(name, summary string, attrs []lang.Attr, attr func(*Object, string) (starlark.Value, error), str func(*Object) string) *objectKind {
	doc := &lang.Type{Name: name, Summary: summary, Attrs: attrs}
	return &objectKind{name: name, doc: doc, attrs: doc.AttrNames(), attr: attr, str: str}
}

// attrs pairs attribute names with their docs: attrs("name", "its name",
// "state", "Online, Offline, …").
func attrs(nameDoc ...string) []lang.Attr {
	out := make([]lang.Attr, len(nameDoc)/2)
	for i := range out {
		out[i] = lang.Attr{Name: nameDoc[2*i], Doc: nameDoc[2*i+1]}
	}
	return out
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

// A record is an immutable value with named fields: an adapter, an event.
type record struct {
	typ    *lang.Type
	fields []string
	values map[string]starlark.Value
	repr   string
}

var _ starlark.HasAttrs = (*record)(nil)

func (r *record) String() string       { return r.repr }
func (r *record) Type() string         { return r.typ.Name }
func (r *record) Freeze()              {}
func (r *record) Truth() starlark.Bool { return starlark.True }
func (r *record) Hash() (uint32, error) {
	return 0, fmt.Errorf("unhashable type: %s", r.typ.Name)
}
func (r *record) AttrNames() []string { return r.fields }
func (r *record) Attr(name string) (starlark.Value, error) {
	return r.values[name], nil // nil, nil for an unknown name lets Starlark suggest one
}

// newRecord makes a value of type typ with one value per attribute of
// typ, in the order typ lists them.
func newRecord(typ *lang.Type, repr string, values ...starlark.Value) *record {
	if len(values) != len(typ.Attrs) {
		panic(fmt.Sprintf("builtins: a %s has %d attributes, given %d values", typ.Name, len(typ.Attrs), len(values)))
	}
	r := &record{typ: typ, repr: repr, fields: typ.AttrNames(), values: make(map[string]starlark.Value, len(values))}
	for i, a := range typ.Attrs {
		r.values[a.Name] = values[i]
	}
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
