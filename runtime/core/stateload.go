package core

import "fmt"

// A loaded world must be one the builtins could have built. Decoding
// checks the shape of a state file; CheckLoaded, then each engine's
// Validate, check what the shape cannot say: names unique, every name
// used for another object naming one that exists, states and numbers
// within the vocabulary and ranges the builtins keep to. A refusal names
// the field as a path into the file, like the decoder's errors.

// A FieldError is a loaded world's impossible field, at its path in the
// state file (world.clusters[0].groups[3].owner).
type FieldError struct {
	Path string
	Msg  string
}

func (e *FieldError) Error() string { return fmt.Sprintf("at %s: %s", e.Path, e.Msg) }

// BadField returns a FieldError.
func BadField(path, format string, args ...any) error {
	return &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)}
}

// Path joins a field path: Path("world.clusters", 0, "nodes", 2, "state")
// is "world.clusters[0].nodes[2].state".
func Path(parts ...any) string {
	s := ""
	for _, p := range parts {
		switch p := p.(type) {
		case int:
			s += fmt.Sprintf("[%d]", p)
		case string:
			if s != "" {
				s += "."
			}
			s += p
		}
	}
	return s
}

// A NameSet collects names, case-folded as the world compares them, to
// find repeats and dangling references.
type NameSet map[string]bool

// Add records name; it returns false when name is empty or was there.
func (s NameSet) Add(name string) bool {
	k := Key(name)
	if name == "" || s[k] {
		return false
	}
	s[k] = true
	return true
}

// Has says whether name was added.
func (s NameSet) Has(name string) bool { return s[Key(name)] }

// checkCoreLoaded is the part of CheckLoaded past the name checks: the
// event log, the servers' adapters and the ASR sets.
func (w *World) checkCoreLoaded() error {
	last := int64(0)
	for i, ev := range w.Events {
		switch {
		case ev.At < 0:
			return BadField(Path("world.events", i, "at"), "event time %d is before the start of virtual time (%s)", ev.At, FormatTime(0))
		case ev.At < last:
			return BadField(Path("world.events", i, "at"), "event at %s comes after one at %s; the log is in time order", FormatTime(ev.At), FormatTime(last))
		}
		last = ev.At
	}
	if w.Clock < last {
		return BadField("world.clock", "the clock reads %s, before the last event (%s)", FormatTime(w.Clock), FormatTime(last))
	}
	servers := NameSet{}
	for i, s := range w.Servers {
		servers.Add(s.Name)
		adapters := NameSet{}
		for j, a := range s.Adapters {
			if !adapters.Add(a.Name) {
				return BadField(Path("world.servers", i, "adapters", j, "name"), "server %s has an unnamed adapter or two named %q", s.Name, a.Name)
			}
		}
	}
	ids := NameSet{}
	for i, set := range w.AsrSets {
		if set == nil {
			return BadField(Path("world.asr_sets", i), "an ASR set is null")
		}
		if !ids.Add(set.ID) {
			return BadField(Path("world.asr_sets", i, "id"), "ASR set id %q is empty or repeated", set.ID)
		}
		if !servers.Has(set.Server) {
			return BadField(Path("world.asr_sets", i, "server"), "ASR set %s is of server %q, which does not exist", set.ID, set.Server)
		}
		if set.Taken < 0 || set.Taken > w.Clock {
			return BadField(Path("world.asr_sets", i, "taken"), "ASR set %s was taken at %s, outside virtual time so far", set.ID, FormatTime(set.Taken))
		}
	}
	return nil
}
