package core

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// StateFormat names the state-file document; StateVersion is the schema
// version this engine writes. It reads that version and every older one.
const (
	StateFormat  = "clusterscript-state"
	StateVersion = 2
)

// ErrStateFile is wrapped by every error about an unreadable state file.
var ErrStateFile = errors.New("bad state file")

func sortTimers(ts []Timer) {
	sort.Slice(ts, func(i, j int) bool {
		if ts[i].At != ts[j].At {
			return ts[i].At < ts[j].At
		}
		return ts[i].Seq < ts[j].Seq
	})
}

// TimersDoc is how a state file carries the timer queue.
type TimersDoc struct {
	Pending []Timer `json:"pending"`
	NextSeq uint64  `json:"next_seq"`
}

// Timers returns the timer queue as a state file carries it.
func (w *World) Timers() TimersDoc {
	return TimersDoc{Pending: w.timers.sorted(), NextSeq: w.timers.nextSeq}
}

// SetTimers replaces the timer queue with one read from a state file,
// refusing timers of unknown kinds and impossible sequence numbers.
func (w *World) SetTimers(doc TimersDoc) error {
	q := timerQueue{kinds: w.timers.kinds, nextSeq: doc.NextSeq}
	sortTimers(doc.Pending) // a slice sorted by (At, Seq) is a valid heap
	for i := range doc.Pending {
		t := &doc.Pending[i]
		k, ok := q.kinds[t.Kind]
		if !ok {
			return fmt.Errorf("pending timer of unknown kind %q", t.Kind)
		}
		if t.Seq == 0 || t.Seq > doc.NextSeq || (i > 0 && t.Seq == doc.Pending[i-1].Seq) {
			return fmt.Errorf("pending timer %s %s has sequence number %d, which is zero, repeated or past next_seq %d", t.Kind, t.Subject, t.Seq, doc.NextSeq)
		}
		t.index = len(q.items)
		q.items = append(q.items, t)
		if k.Settles {
			q.settling++
		}
	}
	w.timers = q
	return nil
}

// CheckLoaded refuses what decoding accepts but the builtins could not
// have built: missing objects (null entries), names used twice, an event
// log out of time order, names of things that do not exist; then it asks
// each engine to Validate its own objects (see stateload.go).
func (w *World) CheckLoaded() error {
	if err := w.checkNames(); err != nil {
		return err
	}
	if err := w.checkCoreLoaded(); err != nil {
		return err
	}
	for _, e := range w.engines {
		if err := e.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// checkNames refuses what the indexes cannot hold: null objects and names
// used twice.
func (w *World) checkNames() error {
	if w.Clock < 0 {
		return fmt.Errorf("the clock reads %d, before the start of virtual time", w.Clock)
	}
	seen := map[string]string{}
	unique := func(what, name string) error {
		if name == "" {
			return fmt.Errorf("a %s has no name", what)
		}
		if prev, dup := seen[Key(name)]; dup {
			return fmt.Errorf("%s %q is also the name of a %s", what, name, prev)
		}
		seen[Key(name)] = what
		return nil
	}
	for _, d := range w.Domains {
		if d == nil {
			return fmt.Errorf("a domain is null")
		}
		if err := unique("domain", d.Name); err != nil {
			return err
		}
		if !strings.EqualFold(d.NetBIOS, d.Name) {
			if err := unique("NetBIOS domain", d.NetBIOS); err != nil {
				return err
			}
		}
		users := map[string]bool{}
		for _, u := range d.Users {
			if u == nil || u.Name == "" || users[Key(u.Name)] {
				return fmt.Errorf("domain %s has a null, unnamed or repeated account", d.Name)
			}
			users[Key(u.Name)] = true
		}
	}
	for _, s := range w.Servers {
		if s == nil {
			return fmt.Errorf("a server is null")
		}
		if err := unique("server", s.Name); err != nil {
			return err
		}
		for _, a := range s.Adapters {
			if a == nil {
				return fmt.Errorf("server %s has a null adapter", s.Name)
			}
		}
	}
	labels := map[string]bool{}
	for _, d := range w.Disks {
		if d == nil || d.Label == "" || labels[Key(d.Label)] {
			return fmt.Errorf("a disk is null, unlabelled or labelled like another")
		}
		labels[Key(d.Label)] = true
	}
	return nil
}
