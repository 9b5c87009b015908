package lang

import "sort"

// An Attr is one attribute of a value type and a line saying what it holds.
type Attr struct{ Name, Doc string }

// A Type documents a kind of value the builtins return (a Group, an
// Event): the same attribute list its values answer dir() with.
type Type struct {
	Name    string
	Summary string
	Attrs   []Attr
}

// AttrNames returns the attribute names, sorted, as dir() lists them.
func (t *Type) AttrNames() []string {
	names := make([]string, len(t.Attrs))
	for i, a := range t.Attrs {
		names[i] = a.Name
	}
	sort.Strings(names)
	return names
}

// SortedAttrs returns the attributes sorted by name.
func (t *Type) SortedAttrs() []Attr {
	out := append([]Attr(nil), t.Attrs...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// AddTypes registers value types for `doc`. A duplicate name or an
// undocumented attribute is a programming error.
func (r *Registry) AddTypes(ts ...*Type) {
	if r.types == nil {
		r.types = map[string]*Type{}
	}
	for _, t := range ts {
		if _, dup := r.types[t.Name]; dup {
			panic("lang: value type registered twice: " + t.Name)
		}
		if t.Summary == "" {
			panic("lang: value type " + t.Name + " has no summary")
		}
		for _, a := range t.Attrs {
			if a.Doc == "" {
				panic("lang: attribute " + t.Name + "." + a.Name + " has no doc")
			}
		}
		r.types[t.Name] = t
	}
}

// Types returns the value types sorted by name.
func (r *Registry) Types() []*Type {
	out := make([]*Type, 0, len(r.types))
	for _, t := range r.types {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LookupType finds a value type by name.
func (r *Registry) LookupType(name string) (*Type, bool) {
	t, ok := r.types[name]
	return t, ok
}

// DocumentTopic gives a topic of the registry a paragraph for `doc TOPIC`
// and the reference.
func (r *Registry) DocumentTopic(topic, doc string) {
	if r.topicDocs == nil {
		r.topicDocs = map[string]string{}
	}
	r.topicDocs[topic] = doc
}

// TopicDoc is the paragraph of a topic, or "".
func (r *Registry) TopicDoc(topic string) string { return r.topicDocs[topic] }
