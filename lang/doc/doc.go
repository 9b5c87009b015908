// Package doc renders the reference of clusterscript from its one source:
// the registry (builtins with their parameters and enumerations, value
// types with their attributes, topics), the standard library's docstrings
// and the lint warnings. `clusterscript doc` prints it for a terminal,
// `doc --markdown` as docs/reference.md.
package doc

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"clusterscript/internal/spell"
	"clusterscript/lang"
	"clusterscript/lang/format"
)

// Topics of the reference that are not topics of builtins.
const (
	TopicStdlib = "stdlib"
	TopicTypes  = "types"
	TopicLint   = "lint"
)

// A Reference is everything `doc` can show.
type Reference struct {
	Reg     *lang.Registry
	Modules []*Module
}

// New reads the standard library's docstrings.
func New(reg *lang.Registry) (*Reference, error) {
	mods, err := Stdlib()
	if err != nil {
		return nil, fmt.Errorf("reading the standard library's docstrings: %w", err)
	}
	return &Reference{Reg: reg, Modules: mods}, nil
}

// Funcs returns every function of the standard library, sorted by name.
func (r *Reference) Funcs() []*Func {
	var out []*Func
	for _, m := range r.Modules {
		out = append(out, m.Funcs...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (r *Reference) lookupFunc(name string) *Func {
	for _, f := range r.Funcs() {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func (r *Reference) lookupModule(name string) *Module {
	name = strings.TrimPrefix(name, lang.StdlibPrefix)
	for _, m := range r.Modules {
		if m.Name == name || strings.TrimSuffix(m.Name, ".star") == name && !r.isTopic(name) {
			return m
		}
	}
	return nil
}

func (r *Reference) isTopic(name string) bool {
	for _, t := range r.topics() {
		if t == name {
			return true
		}
	}
	return false
}

// topics are the builtins' topics, then the reference's own.
func (r *Reference) topics() []string {
	return append(append([]string(nil), r.Reg.Topics()...), TopicStdlib, TopicTypes, TopicLint)
}

// Names lists every name `doc NAME` knows, for suggestions and tests.
func (r *Reference) Names() []string {
	var out []string
	out = append(out, r.Reg.Names()...)
	for _, f := range r.Funcs() {
		out = append(out, f.Name)
	}
	for _, t := range r.Reg.Types() {
		out = append(out, t.Name)
	}
	out = append(out, r.topics()...)
	for _, m := range r.Modules {
		out = append(out, m.Name)
	}
	return out
}

// A NotFoundError is a `doc NAME` that names nothing.
type NotFoundError struct {
	Name, Nearest string
}

func (e *NotFoundError) Error() string {
	msg := fmt.Sprintf("no builtin, stdlib function, value type or topic named %q", e.Name)
	if e.Nearest != "" {
		msg += fmt.Sprintf("; did you mean %q?", e.Nearest)
	}
	return msg
}

// WriteIndex lists everything in short: the builtins by topic, the
// standard library's functions and the value types.
func (r *Reference) WriteIndex(w io.Writer) {
	for _, group := range r.Reg.ByTopic() {
		fmt.Fprintf(w, "%s:\n", group[0].Topic)
		for _, b := range group {
			fmt.Fprintf(w, "  %s\n      %s\n", b.Signature(), b.Summary)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%s (load(\"@stdlib//MODULE.star\", NAME...)):\n", TopicStdlib)
	for _, m := range r.Modules {
		for _, f := range m.Funcs {
			fmt.Fprintf(w, "  %s  [%s]\n      %s\n", f.Signature(), m.Name, f.Summary)
		}
	}
	fmt.Fprintf(w, "\n%s:\n", TopicTypes)
	for _, t := range r.Reg.Types() {
		fmt.Fprintf(w, "  %s\n      %s\n", t.Name, t.Summary)
	}
	fmt.Fprintf(w, "\ntopics: %s\n", strings.Join(r.topics(), ", "))
	fmt.Fprintf(w, "\n`clusterscript doc NAME` shows a builtin, stdlib function, value type, topic or stdlib module in full.\n")
}

// WriteEntry shows one name in full: a builtin, a stdlib function, a
// value type, a topic or a stdlib module, in that order. A value type's
// name is also found in lower case (doc group) when nothing else has it.
func (r *Reference) WriteEntry(w io.Writer, name string) error {
	if b, ok := r.Reg.Lookup(name); ok {
		writeBuiltin(w, b)
		if r.isTopic(name) { // runbook() and the runbook topic
			fmt.Fprintln(w)
			r.writeTopic(w, name)
		}
		return nil
	}
	if f := r.lookupFunc(name); f != nil {
		fmt.Fprintf(w, "%s\n\n    %s\n\n    load(%q, %q)\n", f.Signature(), f.Summary, f.Module.Path(), f.Name)
		if f.Doc != "" {
			fmt.Fprintf(w, "\n%s\n", f.Doc)
		}
		return nil
	}
	if t, ok := r.Reg.LookupType(name); ok {
		writeType(w, t)
		return nil
	}
	if r.isTopic(name) {
		r.writeTopic(w, name)
		return nil
	}
	if m := r.lookupModule(name); m != nil {
		r.writeModule(w, m)
		return nil
	}
	if t := r.lookupType(name); t != nil {
		writeType(w, t)
		return nil
	}
	return &NotFoundError{Name: name, Nearest: spell.Nearest(name, r.Names())}
}

// lookupType finds a value type whatever the letter case of name.
func (r *Reference) lookupType(name string) *lang.Type {
	for _, t := range r.Reg.Types() {
		if strings.EqualFold(t.Name, name) {
			return t
		}
	}
	return nil
}

func writeBuiltin(w io.Writer, b *lang.Builtin) {
	fmt.Fprintf(w, "%s\n\n    %s\n", b.Signature(), b.Summary)
	if b.Doc != "" {
		fmt.Fprintf(w, "\n%s\n", b.Doc)
	}
	if vs := enumLines(b); len(vs) > 0 {
		fmt.Fprintf(w, "\nValues:\n")
		for _, v := range vs {
			fmt.Fprintf(w, "  %s\n", v)
		}
	}
}

// enumLines says, in parameter order, which values each enumerated
// parameter takes: `edition: "standard", "enterprise", …`.
func enumLines(b *lang.Builtin) []string {
	var out []string
	for _, p := range b.ParamNames() {
		e := b.Enums[p]
		if e == nil {
			continue
		}
		quoted := make([]string, len(e.Values))
		for i, v := range e.Values {
			quoted[i] = fmt.Sprintf("%q", v)
		}
		line := p + ": " + strings.Join(quoted, ", ")
		if e.Open != "" {
			line += ", or " + e.Open
		}
		if e.FoldCase {
			line += " (any letter case)"
		}
		out = append(out, line)
	}
	return out
}

func writeType(w io.Writer, t *lang.Type) {
	fmt.Fprintf(w, "%s: %s\n\n", t.Name, t.Summary)
	width := 0
	for _, a := range t.Attrs {
		width = max(width, len(a.Name))
	}
	for _, a := range t.SortedAttrs() {
		fmt.Fprintf(w, "  .%-*s  %s\n", width, a.Name, a.Doc)
	}
}

func (r *Reference) writeTopic(w io.Writer, topic string) {
	switch topic {
	case TopicStdlib:
		fmt.Fprintf(w, "%s\n", wrap("stdlib: helpers written in Starlark, embedded in clusterscript; a runbook loads them with load(\"@stdlib//MODULE.star\", NAME...).", 78))
		for _, m := range r.Modules {
			fmt.Fprintf(w, "\n%s: %s\n", m.Path(), m.Summary)
			for _, f := range m.Funcs {
				fmt.Fprintf(w, "  %s\n      %s\n", f.Signature(), f.Summary)
			}
		}
	case TopicTypes:
		fmt.Fprintf(w, "%s\n\n", wrap("types: the values builtins return. Their attributes are read live from the world; `doc TYPE` lists them.", 78))
		for _, t := range r.Reg.Types() {
			fmt.Fprintf(w, "  %s\n      %s\n", t.Name, t.Summary)
		}
	case TopicLint:
		fmt.Fprintf(w, "%s\n\n", wrap(lintIntro, 78))
		for _, c := range format.Warnings {
			fmt.Fprintf(w, "  %s\n      %s\n", c, format.WarningDocs[c])
		}
	default:
		fmt.Fprintf(w, "%s\n", wrap(topic+": "+r.Reg.TopicDoc(topic), 78))
		for _, group := range r.Reg.ByTopic() {
			if group[0].Topic != topic {
				continue
			}
			fmt.Fprintln(w)
			for _, b := range group {
				fmt.Fprintf(w, "  %s\n      %s\n", b.Signature(), b.Summary)
			}
		}
	}
}

const lintIntro = "lint: `clusterscript lint PATH...` reports these warnings of buildifier (github.com/bazelbuild/buildtools), " +
	"as file:line:col: message (category), and exits 1 when there is any. A comment `# buildifier: disable=CATEGORY` on a statement " +
	"silences one there; `# @unused` keeps a load or variable that is never read."

func (r *Reference) writeModule(w io.Writer, m *Module) {
	fmt.Fprintf(w, "%s: %s\n", m.Path(), m.Summary)
	if m.Doc != "" {
		fmt.Fprintf(w, "\n%s\n", m.Doc)
	}
	fmt.Fprintln(w)
	for _, f := range m.Funcs {
		fmt.Fprintf(w, "  %s\n      %s\n", f.Signature(), f.Summary)
	}
	if len(m.Constants) > 0 {
		fmt.Fprintf(w, "\nconstants:\n")
		for _, c := range m.Constants {
			fmt.Fprintf(w, "  %s = %s\n", c.Name, c.Value)
		}
	}
}

// wrap breaks text into lines of at most width columns, at spaces.
func wrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for _, word := range strings.Fields(text) {
		switch {
		case n == 0:
		case n+1+len(word) > width:
			b.WriteByte('\n')
			n = 0
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}
