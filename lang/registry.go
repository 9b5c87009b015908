// Package lang hosts runbooks: the Starlark dialect, the loader, the thread
// set-up (transcript, step budget, cancellation), runbook structure, error
// rendering, the builtin registry and the REPL loop. It knows nothing of
// clusters: a Plugin (host.go) supplies the builtins and the world.
package lang

import (
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"

	"clusterscript/internal/spell"

	"go.starlark.net/starlark"
)

// BuiltinFunc is the Go signature of every builtin.
type BuiltinFunc func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)

// A Builtin is one entry of the registry: the single source for the
// function a runbook calls, `clusterscript doc`, and REPL completion.
type Builtin struct {
	Name    string
	Params  string // the parameter list, e.g. "(cluster, server, password=None)"
	Summary string // one line
	Doc     string // the full text; may be empty
	Topic   string // "runbook", "world", "faults", "cluster", "exchange", "nlb", "asr"
	Fn      BuiltinFunc
	// Enums holds the values a string parameter accepts, by parameter name
	// (for a list parameter, each of its items); `check` and `doc` read it.
	Enums map[string]*Enum
}

// Signature is the name followed by the parameter list.
func (b *Builtin) Signature() string { return b.Name + b.Params }

// Registry holds every builtin by name.
type Registry struct {
	byName    map[string]*Builtin
	topics    []string
	dict      starlark.StringDict
	types     map[string]*Type  // types.go
	topicDocs map[string]string // topic → its paragraph
}

// NewRegistry returns an empty registry whose documentation presents the
// builtins by topic in the order given.
func NewRegistry(topics ...string) *Registry {
	return &Registry{byName: map[string]*Builtin{}, topics: topics}
}

// Topics is the order of the topics given to NewRegistry.
func (r *Registry) Topics() []string { return r.topics }

// Add registers builtins. A duplicate name is a programming error.
func (r *Registry) Add(bs ...Builtin) {
	for i := range bs {
		b := bs[i]
		if _, dup := r.byName[b.Name]; dup {
			panic("lang: builtin registered twice: " + b.Name)
		}
		if b.Fn == nil || b.Summary == "" || b.Topic == "" {
			panic("lang: builtin " + b.Name + " lacks a function, summary or topic")
		}
		for p := range b.Enums {
			if !slices.Contains(b.ParamNames(), p) {
				panic("lang: builtin " + b.Name + " has values for " + p + ", which is not one of its parameters")
			}
		}
		r.byName[b.Name] = &b
	}
	r.dict = nil
}

// Lookup finds a builtin by name.
func (r *Registry) Lookup(name string) (*Builtin, bool) {
	b, ok := r.byName[name]
	return b, ok
}

// All returns the builtins sorted by name.
func (r *Registry) All() []*Builtin {
	out := make([]*Builtin, 0, len(r.byName))
	for _, b := range r.byName {
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Names returns the builtin names, sorted.
func (r *Registry) Names() []string {
	out := make([]string, 0, len(r.byName))
	for n := range r.byName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Predeclared returns every builtin wrapped for use by a runbook.
func (r *Registry) Predeclared() starlark.StringDict {
	if r.dict == nil {
		r.dict = make(starlark.StringDict, len(r.byName))
		for name, b := range r.byName {
			r.dict[name] = starlark.NewBuiltin(name, wrap(b))
		}
	}
	return r.dict
}

// wrap is the one wrapper around every builtin: it turns a panic into an
// error instead of a crash, and writes the transcript by the flush rule
// (transcript.go).
func wrap(b *Builtin) func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error) {
	return func(thread *starlark.Thread, fb *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (v starlark.Value, err error) {
		s := SessionOf(thread)
		if s == nil {
			return nil, fmt.Errorf("%s: no clusterscript session on this thread", b.Name)
		}
		if err := s.checkCallMemory(); err != nil {
			return nil, err
		}
		s.beforeOutput(thread)
		defer func() {
			if p := recover(); p != nil {
				v, err = nil, fmt.Errorf("internal error (please report it with the runbook): %v\n%s", p, debug.Stack())
			}
			s.afterOutput()
		}()
		v, err = b.Fn(thread, fb, args, kwargs)
		if err != nil {
			err = suggestKeyword(b, err)
		}
		return v, err
	}
}

// ByTopic groups the builtins by topic, in the registry's topic order (a
// topic not listed there comes last, by name); each group is sorted by name.
func (r *Registry) ByTopic() [][]*Builtin {
	rank := func(t string) int {
		for i, x := range r.topics {
			if x == t {
				return i
			}
		}
		return len(r.topics)
	}
	var groups [][]*Builtin
	at := map[string]int{}
	for _, b := range r.All() {
		i, ok := at[b.Topic]
		if !ok {
			i = len(groups)
			at[b.Topic] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], b)
	}
	sort.SliceStable(groups, func(i, j int) bool {
		ri, rj := rank(groups[i][0].Topic), rank(groups[j][0].Topic)
		if ri != rj {
			return ri < rj
		}
		return groups[i][0].Topic < groups[j][0].Topic
	})
	return groups
}

// suggestKeyword puts the nearest parameter name on an "unexpected keyword
// argument" error from starlark.UnpackArgs. UnpackArgs makes its own
// suggestion from only the first half of the parameters, so
// domain(netbois=...) got none; this one is made from the whole signature.
func suggestKeyword(b *Builtin, err error) error {
	prefix := b.Name + ": unexpected keyword argument "
	msg := err.Error()
	if !strings.HasPrefix(msg, prefix) {
		return err
	}
	quoted, _, _ := strings.Cut(msg[len(prefix):], " ")
	kw, uerr := strconv.Unquote(quoted)
	if uerr != nil {
		return err
	}
	out := prefix + quoted
	if s := spell.Nearest(kw, b.ParamNames()); s != "" {
		out += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return errors.New(out)
}
