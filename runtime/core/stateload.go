package core

import (
	"fmt"
	"slices"
)

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
	if name == "" || s.Has(name) {
		return false
	}
	s[Key(name)] = true
	return true
}

// Has says whether name was added.
func (s NameSet) Has(name string) bool {
	var buf [64]byte
	return s[string(AppendKey(buf[:0], name))]
}

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
	if err := ValidClock("the clock", w.Clock); err != nil {
		return BadField("world.clock", "%v", err)
	}
	if w.Clock < last {
		return BadField("world.clock", "the clock reads %s, before the last event (%s)", FormatTime(w.Clock), FormatTime(last))
	}
	servers := NameSet{}
	for i, s := range w.Servers {
		servers.Add(s.Name)
		if err := w.checkServerLoaded(i, s); err != nil {
			return err
		}
	}
	if err := w.checkDisksLoaded(servers); err != nil {
		return err
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

// checkServerLoaded checks one server against the rules of add_server,
// join_domain and configure_tcpip.
func (w *World) checkServerLoaded(i int, s *Server) error {
	at := func(parts ...any) string { return Path(append([]any{"world.servers", i}, parts...)...) }
	if err := OneOf("edition", s.Edition, Editions...); err != nil {
		return BadField(at("edition"), "server %s: %v", s.Name, err)
	}
	if err := OneOf("version", s.Version, Versions...); err != nil {
		return BadField(at("version"), "server %s: %v", s.Name, err)
	}
	if s.Domain != "" && !slices.ContainsFunc(w.Domains, func(d *Domain) bool { return Key(d.Name) == Key(s.Domain) }) {
		return BadField(at("domain"), "server %s is a member of domain %q, which does not exist", s.Name, s.Domain)
	}
	adapters := NameSet{}
	for j, a := range s.Adapters {
		if a == nil {
			return BadField(at("adapters", j), "an adapter is null")
		}
		if !adapters.Add(a.Name) {
			return BadField(at("adapters", j, "name"), "server %s has an unnamed adapter or two named %q", s.Name, a.Name)
		}
		if a.IP == "" && a.Mask == "" && a.Gateway == "" && len(a.ExtraIPs) == 0 && a.Role == "" {
			continue // not configured yet
		}
		p, err := HostAddress("address", a.IP, a.Mask)
		if err != nil {
			return BadField(at("adapters", j, "ip"), "%s adapter %s: %v", s.Name, a.Name, err)
		}
		if err := OneOf("adapter role", a.Role, Roles...); err != nil {
			return BadField(at("adapters", j, "role"), "%s adapter %s: %v", s.Name, a.Name, err)
		}
		if err := ValidGateway(p, a.Gateway); err != nil {
			return BadField(at("adapters", j, "gateway"), "%s adapter %s: %v", s.Name, a.Name, err)
		}
		seen := map[string]bool{a.IP: true}
		for k, x := range a.ExtraIPs {
			if err := ValidExtraIP(p, x); err != nil {
				return BadField(at("adapters", j, "extra_ips", k), "%s adapter %s: %v", s.Name, a.Name, err)
			}
			if seen[x] {
				return BadField(at("adapters", j, "extra_ips", k), "address %s is listed twice on %s %s", x, s.Name, a.Name)
			}
			seen[x] = true
		}
		for k, other := range s.Adapters[:j] {
			if other.IP != "" && other.Prefix().Overlaps(p.Masked()) {
				return BadField(at("adapters", j, "ip"), "%s adapters %s and %s are on one subnet, %s; configure_tcpip puts each on its own", s.Name, s.Adapters[k].Name, a.Name, p.Masked())
			}
		}
	}
	return nil
}

// checkDisksLoaded checks the shared disks against the rules of add_disk
// and format_disk.
func (w *World) checkDisksLoaded(servers NameSet) error {
	for i, d := range w.Disks {
		at := func(parts ...any) string { return Path(append([]any{"world.disks", i}, parts...)...) }
		if err := OneOf("disk kind", d.Kind, DiskKinds...); err != nil {
			return BadField(at("kind"), "disk %s: %v", d.Label, err)
		}
		if err := OneOf("file system", d.FS, FileSystems...); err != nil {
			return BadField(at("fs"), "disk %s: %v", d.Label, err)
		}
		if d.Letter != "" {
			if l, err := normLetter(d.Letter); err != nil || l != d.Letter {
				return BadField(at("letter"), "disk %s has drive letter %q, not one format_disk gives (such as \"Q:\")", d.Label, d.Letter)
			}
		}
		for j, s := range d.Servers {
			if !servers.Has(s) {
				return BadField(at("servers", j), "disk %s is on the bus of %q, which is no server", d.Label, s)
			}
		}
	}
	return nil
}

// checkIndexed is the part of the load checks that needs the indexes:
// addresses unique as configure_tcpip keeps them, pending timers on the
// clock and about objects that exist, then each engine's own (an engine
// implementing IndexedValidator).
func (w *World) checkIndexed() error {
	for i, s := range w.Servers {
		for j, a := range s.Adapters {
			owner := s.Name + " " + a.Name
			if a.IP != "" {
				if u, ok := w.AddrConflict(a.IP, AddrAdapter, owner); ok {
					return BadField(Path("world.servers", i, "adapters", j, "ip"), "address %s of %s is also used by %s; every address on the network must be unique", a.IP, owner, u.Describe())
				}
			}
			for k, x := range a.ExtraIPs {
				if u, ok := w.AddrConflict(x, AddrExtra, owner); ok {
					return BadField(Path("world.servers", i, "adapters", j, "extra_ips", k), "extra address %s of %s is also used by %s; an extra address may be shared only with other adapters' extra addresses", x, owner, u.Describe())
				}
			}
		}
	}
	for i, t := range w.timers.sorted() {
		at := func(field string) string { return Path("world.timers.pending", i, field) }
		if t.At < w.Clock || t.At > MaxClock+1 {
			return BadField(at("at"), "timer %s of %s is due at %d, outside %d (the clock) to %d (past the end of time: never due)", t.Kind, t.Subject, t.At, w.Clock, MaxClock+1)
		}
		if check := w.timers.kinds[t.Kind].Subject; check != nil {
			if err := check(&t); err != nil {
				return BadField(at("subject"), "timer %s of %q: %v", t.Kind, t.Subject, err)
			}
		}
	}
	for _, e := range w.engines {
		if v, ok := e.(IndexedValidator); ok {
			if err := v.ValidateIndexed(); err != nil {
				return err
			}
		}
	}
	return nil
}

// An IndexedValidator is an engine with load checks that need its indexes
// (invariants shared with the stdlib's checks); ValidateIndexed runs after
// Reindex.
type IndexedValidator interface {
	ValidateIndexed() error
}
