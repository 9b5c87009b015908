package core

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Save encodes the whole world, the core's objects and each engine's, as a
// versioned JSON document.
func (w *World) Save() ([]byte, error) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "{\"format\":%q,\"version\":%d,\"world\":{", StateFormat, StateVersion)
	first := true
	member := func(key string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("encoding %s: %w", key, err)
		}
		if !first {
			buf.WriteByte(',')
		}
		first = false
		fmt.Fprintf(&buf, "%q:", key)
		buf.Write(b)
		return nil
	}
	type part struct {
		key  string
		v    any
		omit bool
	}
	parts := []part{
		{"clock", w.Clock, false},
		{"events", w.Events, false},
		{"domains", w.Domains, len(w.Domains) == 0},
		{"servers", w.Servers, len(w.Servers) == 0},
		{"disks", w.Disks, len(w.Disks) == 0},
	}
	for _, e := range w.engines {
		v := e.StateValue()
		parts = append(parts, part{e.StateKey(), v, v == nil})
	}
	parts = append(parts,
		part{"asr_sets", w.AsrSets, len(w.AsrSets) == 0},
		part{"timers", w.Timers(), false})
	for _, p := range parts {
		if p.omit {
			continue
		}
		if err := member(p.key, p.v); err != nil {
			return nil, err
		}
	}
	buf.WriteString("}}\n")
	return buf.Bytes(), nil
}

type stateDoc struct {
	Format  string          `json:"format"`
	Version int             `json:"version"`
	World   json.RawMessage `json:"world"`
}

type coreDoc struct {
	Clock   int64     `json:"clock"`
	Events  []Event   `json:"events"`
	Domains []*Domain `json:"domains"`
	Servers []*Server `json:"servers"`
	Disks   []*Disk   `json:"disks"`
	AsrSets []*AsrSet `json:"asr_sets"`
	Timers  TimersDoc `json:"timers"`
}

// ReadState reads a document written by Save into w, a new world with its
// engines attached and nothing in it yet. A document of another format or
// version, one that does not parse, or one describing a world the engines
// cannot index is an error wrapping ErrStateFile.
func (w *World) ReadState(data []byte) (err error) {
	var doc stateDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%w: not valid JSON (%v)", ErrStateFile, err)
	}
	if doc.Format != StateFormat {
		return fmt.Errorf("%w: not a clusterscript state file (format %q, want %q)", ErrStateFile, doc.Format, StateFormat)
	}
	if doc.Version != StateVersion {
		return fmt.Errorf("%w: schema version %d is not supported by this clusterscript, which reads version %d", ErrStateFile, doc.Version, StateVersion)
	}
	if body := bytes.TrimSpace(doc.World); len(body) == 0 || body[0] != '{' {
		return fmt.Errorf("%w: it holds no world (\"world\" must be an object)", ErrStateFile)
	}
	// Each part of the engine indexes what it loads. A document that decodes
	// but describes an impossible world must be refused, never crash them.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: the world it describes is inconsistent (%v)", ErrStateFile, p)
		}
	}()
	var members map[string]json.RawMessage
	if err := json.Unmarshal(doc.World, &members); err != nil {
		return fmt.Errorf("%w: %v", ErrStateFile, err)
	}
	var c coreDoc
	if err := json.Unmarshal(doc.World, &c); err != nil {
		return fmt.Errorf("%w: %v", ErrStateFile, err)
	}
	w.Clock, w.Events = c.Clock, c.Events
	w.Domains, w.Servers, w.Disks, w.AsrSets = c.Domains, c.Servers, c.Disks, c.AsrSets
	for _, e := range w.engines {
		if raw, ok := members[e.StateKey()]; ok {
			if err := e.LoadState(raw); err != nil {
				return fmt.Errorf("%w: %s: %v", ErrStateFile, e.StateKey(), err)
			}
		}
	}
	if err := w.CheckLoaded(); err != nil {
		return fmt.Errorf("%w: %v", ErrStateFile, err)
	}
	if err := w.SetTimers(c.Timers); err != nil {
		return fmt.Errorf("%w: %v", ErrStateFile, err)
	}
	w.Reindex()
	return nil
}
