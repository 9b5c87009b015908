package runtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
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
	w.timers = timerQueue{nextSeq: doc.Timers.NextSeq}
	sortTimers(doc.Timers.Pending) // a slice sorted by (At, Seq) is a valid heap
	for i := range doc.Timers.Pending {
		t := &doc.Timers.Pending[i]
		k, ok := timerKinds[t.Kind]
		if !ok {
			return fmt.Errorf("pending timer of unknown kind %q", t.Kind)
		}
		w.timers.items = append(w.timers.items, t)
		if k.settles {
			w.timers.settling++
		}
	}
	w.reindex()
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
	w := &World{}
	if err := json.Unmarshal(doc.World, w); err != nil {
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
