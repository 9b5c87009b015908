package core

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The change log. Every configuration change a builtin makes (a cluster
// formed, a group created, an owner list set, a node paused, an NLB port
// rule added) appends one Change, after all its checks pass and its
// effects are done, so a refused call leaves no record. The log lives
// beside the event log: Begin saves its length and a rollback cuts it
// back, so what catch() undoes leaves no record either. Faults, repairs,
// the clock, checks, lookups and client traffic are not changes.
//
// The log is what `clusterscript export` turns into a script for a real
// cluster. It is not saved in the state file: it belongs to the run that
// made it, so a run with --state F holds exactly the changes made on top
// of F. An engine adds an operation with one RecordChange call; a
// translation that has no mapping for an operation writes it as a comment,
// so nothing is dropped silently.

// A Change is one configuration change: the operation (the builtin's name,
// e.g. "set_preferred_owners"), what it acted on and its settings as they
// took effect (defaults filled in, names in their canonical spelling).
type Change struct {
	Op string
	// Target is the server cluster or NLB cluster changed; "" for the
	// world outside them (domains, servers, disks).
	Target string
	// Object names what the change acts on: a node, group, resource, NLB
	// host, server or disk ("" when it acts on Target itself).
	Object   string
	Settings []Setting
	// Events is how many events the log held when the change was made: the
	// procedure and step in progress are the last such events before it.
	Events int
}

// SettingKind says which of a Setting's values is set.
type SettingKind uint8

const (
	SettingText SettingKind = iota
	SettingInt
	SettingBool
	SettingList  // names or values, in order
	SettingPairs // key/value settings, sorted by key
)

// A Setting is one typed value of a change.
type Setting struct {
	Name  string
	Kind  SettingKind
	Text  string
	Int   int64
	Bool  bool
	List  []string
	Pairs []Pair
}

// A Pair is one key/value setting: a private property, a load weight.
type Pair struct{ Key, Value string }

// Text, Int, Bool, List and Pairs make settings of each kind.
func Text(name, v string) Setting      { return Setting{Name: name, Kind: SettingText, Text: v} }
func Int(name string, v int64) Setting { return Setting{Name: name, Kind: SettingInt, Int: v} }
func Bool(name string, v bool) Setting { return Setting{Name: name, Kind: SettingBool, Bool: v} }

// List copies v: the setting must not change when the caller's slice does.
func List(name string, v []string) Setting {
	return Setting{Name: name, Kind: SettingList, List: append([]string{}, v...)}
}

// Pairs takes a map's entries, sorted by key.
func Pairs(name string, m map[string]string) Setting {
	f := Setting{Name: name, Kind: SettingPairs, Pairs: make([]Pair, 0, len(m))}
	for _, k := range SortedKeys(m) {
		f.Pairs = append(f.Pairs, Pair{k, m[k]})
	}
	return f
}

// String shows a setting as name=value, lists comma-separated: the form the
// translations use in comments.
func (f Setting) String() string {
	switch f.Kind {
	case SettingInt:
		return f.Name + "=" + strconv.FormatInt(f.Int, 10)
	case SettingBool:
		return f.Name + "=" + strconv.FormatBool(f.Bool)
	case SettingList:
		return f.Name + "=[" + strings.Join(f.List, ", ") + "]"
	case SettingPairs:
		parts := make([]string, len(f.Pairs))
		for i, p := range f.Pairs {
			parts[i] = p.Key + "=" + p.Value
		}
		return f.Name + "={" + strings.Join(parts, ", ") + "}"
	}
	return f.Name + "=" + quoteText(f.Text)
}

// quoteText puts a value in double quotes for a comment: as written when
// it holds no double quote, control character or invalid UTF-8 (so a
// domain account such as CORP\user stays readable), else Go-quoted.
func quoteText(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return r == '"' || r < ' ' || r == 0x7f }) {
		return `"` + s + `"`
	}
	return strconv.Quote(s)
}

// Setting returns the setting of that name.
func (c Change) Setting(name string) (Setting, bool) {
	for _, f := range c.Settings {
		if f.Name == name {
			return f, true
		}
	}
	return Setting{}, false
}

// Has reports whether the change has a setting of that name.
func (c Change) Has(name string) bool { _, ok := c.Setting(name); return ok }

// Text, Int, Bool, List and Pairs read a setting, or its zero value.
func (c Change) Text(name string) string   { f, _ := c.Setting(name); return f.Text }
func (c Change) Int(name string) int64     { f, _ := c.Setting(name); return f.Int }
func (c Change) Bool(name string) bool     { f, _ := c.Setting(name); return f.Bool }
func (c Change) List(name string) []string { f, _ := c.Setting(name); return f.List }
func (c Change) Pairs(name string) []Pair  { f, _ := c.Setting(name); return f.Pairs }

// String shows the whole change on one line: op, target, object, settings.
func (c Change) String() string {
	var b strings.Builder
	b.WriteString(c.Op)
	if c.Target != "" {
		b.WriteString(" " + c.Target)
	}
	if c.Object != "" {
		b.WriteString(" " + quoteText(c.Object))
	}
	for _, f := range c.Settings {
		b.WriteString(" " + f.String())
	}
	return b.String()
}

// RecordChange appends a change to the log. Call it once a change has
// been made, never before a check that may still refuse it.
func (w *World) RecordChange(op, target, object string, settings ...Setting) {
	if w.noChanges {
		return
	}
	if len(w.changes) == cap(w.changes) {
		// Double, as the event log does: a big build records tens of
		// thousands of changes.
		w.changes = slices.Grow(w.changes, max(len(w.changes), 256))
	}
	w.changes = append(w.changes, Change{Op: op, Target: target, Object: object, Settings: settings, Events: len(w.Events)})
}

// Changes is the change log of this run so far. The slice must not be
// modified.
func (w *World) Changes() []Change { return w.changes }

// cloneChanges gives a copy its own log: records are never changed, so
// they are shared, and the copy's first append reallocates.
func cloneChanges(c []Change) []Change { return slices.Clip(c) }

// DiscardChanges stops keeping the change log (and drops what it holds):
// a run whose changes nothing will read (run, repl, explore, report,
// graph) then skips the cost of recording them; export keeps it. Engines
// that build a record's settings ask ChangesKept first.
func (w *World) DiscardChanges() { w.noChanges, w.changes = true, nil }

// ChangesKept reports whether the change log records changes.
func (w *World) ChangesKept() bool { return !w.noChanges }
