package runtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// StateFormat names the state-file document; StateVersion is the schema
// version this engine writes and reads.
const (
	StateFormat  = "clusterscript-state"
	StateVersion = 1
)

// ErrStateFile is wrapped by every error about an unreadable state file.
var ErrStateFile = errors.New("bad state file")

type stateDoc struct {
	Format  string          `json:"format"`
	Version int             `json:"version"`
	World   json.RawMessage `json:"world"`
}

type timersDoc struct {
	Pending []Timer `json:"pending"`
	NextSeq uint64  `json:"next_seq"`
}

func sortTimers(ts []Timer) {
	sort.Slice(ts, func(i, j int) bool {
		if ts[i].At != ts[j].At {
			return ts[i].At < ts[j].At
		}
		return ts[i].Seq < ts[j].Seq
	})
}

// MarshalJSON writes the world with its pending timers.
func (w *World) MarshalJSON() ([]byte, error) {
	type plain World
	return json.Marshal(struct {
		*plain
		Timers timersDoc `json:"timers"`
	}{(*plain)(w), timersDoc{Pending: w.timers.sorted(), NextSeq: w.timers.nextSeq}})
}

// UnmarshalJSON reads a world written by MarshalJSON and rebuilds its
// indexes.
func (w *World) UnmarshalJSON(b []byte) error {
	type plain World
	doc := struct {
		*plain
		Timers timersDoc `json:"timers"`
	}{plain: (*plain)(w)}
	if err := json.Unmarshal(b, &doc); err != nil {
		return err
	}
	if err := w.checkLoaded(); err != nil {
		return err
	}
	w.timers = timerQueue{nextSeq: doc.Timers.NextSeq}
	sortTimers(doc.Timers.Pending) // a slice sorted by (At, Seq) is a valid heap
	for i := range doc.Timers.Pending {
		t := &doc.Timers.Pending[i]
		k, ok := timerKinds[t.Kind]
		if !ok {
			return fmt.Errorf("pending timer of unknown kind %q", t.Kind)
		}
		if t.Seq == 0 || t.Seq > doc.Timers.NextSeq || (i > 0 && t.Seq == doc.Timers.Pending[i-1].Seq) {
			return fmt.Errorf("pending timer %s %s has sequence number %d, which is zero, repeated or past next_seq %d", t.Kind, t.Subject, t.Seq, doc.Timers.NextSeq)
		}
		w.timers.items = append(w.timers.items, t)
		if k.settles {
			w.timers.settling++
		}
	}
	w.reindex()
	return nil
}

// checkLoaded refuses what decoding accepts but the engine cannot index:
// missing objects (null entries) and names used twice.
func (w *World) checkLoaded() error {
	if w.Clock < 0 {
		return fmt.Errorf("the clock reads %d, before the start of virtual time", w.Clock)
	}
	seen := map[string]string{}
	unique := func(what, name string) error {
		if name == "" {
			return fmt.Errorf("a %s has no name", what)
		}
		if prev, dup := seen[key(name)]; dup {
			return fmt.Errorf("%s %q is also the name of a %s", what, name, prev)
		}
		seen[key(name)] = what
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
			if u == nil || u.Name == "" || users[key(u.Name)] {
				return fmt.Errorf("domain %s has a null, unnamed or repeated account", d.Name)
			}
			users[key(u.Name)] = true
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
		if d == nil || d.Label == "" || labels[key(d.Label)] {
			return fmt.Errorf("a disk is null, unlabelled or labelled like another")
		}
		labels[key(d.Label)] = true
	}
	return nil
}

// Save encodes the whole world as a versioned JSON document.
func (w *World) Save() ([]byte, error) {
	body, err := json.Marshal(w)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(len(body) + 64)
	fmt.Fprintf(&buf, "{\"format\":%q,\"version\":%d,\"world\":", StateFormat, StateVersion)
	buf.Write(body)
	buf.WriteString("}\n")
	return buf.Bytes(), nil
}

// Load decodes a document written by Save. A document of another format or
// version, or one that does not parse, is an error wrapping ErrStateFile.
func Load(data []byte) (*World, error) {
	var doc stateDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%w: not valid JSON (%v)", ErrStateFile, err)
	}
	if doc.Format != StateFormat {
		return nil, fmt.Errorf("%w: not a clusterscript state file (format %q, want %q)", ErrStateFile, doc.Format, StateFormat)
	}
	if doc.Version != StateVersion {
		return nil, fmt.Errorf("%w: schema version %d is not supported by this clusterscript, which reads version %d", ErrStateFile, doc.Version, StateVersion)
	}
	if body := bytes.TrimSpace(doc.World); len(body) == 0 || body[0] != '{' {
		return nil, fmt.Errorf("%w: it holds no world (\"world\" must be an object)", ErrStateFile)
	}
	return decodeWorld(doc.World)
}

func decodeWorld(data []byte) (w *World, err error) {
	// Each part of the engine indexes what it loads. A document that decodes
	// but describes an impossible world must be refused, never crash them.
	defer func() {
		if p := recover(); p != nil {
			w, err = nil, fmt.Errorf("%w: the world it describes is inconsistent (%v)", ErrStateFile, p)
		}
	}()
	w = &World{}
	if err := json.Unmarshal(data, w); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrStateFile, err)
	}
	return w, nil
}

// Clone returns an independent deep copy of the world.
func (w *World) Clone() *World {
	data, err := w.Save()
	if err != nil {
		panic("runtime: world does not encode: " + err.Error())
	}
	c, err := Load(data)
	if err != nil {
		panic("runtime: world does not decode: " + err.Error())
	}
	return c
}

// Restore replaces the world's contents with those of a snapshot taken by
// Clone, keeping the *World itself (which handles point at) the same.
func (w *World) Restore(snapshot *World) { *w = *snapshot }
