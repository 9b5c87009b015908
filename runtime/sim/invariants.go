package sim

import (
	"bytes"
	"encoding/json"
	"fmt"

	"clusterscript/runtime/core"
)

// Invariants lists every invariant of SPEC §13 the world breaks, one
// sentence each naming the object and the rule: the server clusters' (by
// name), the NLB clusters' (by name), then the state file's round trip. It
// is nil when all hold. It changes nothing.
func (w *World) Invariants() []string {
	var out []string
	out = append(out, w.MSCS.Invariants()...)
	out = append(out, w.NLB.Invariants()...)
	if p := w.roundTripBreach(); p != "" {
		out = append(out, p)
	}
	return out
}

// roundTripBreach saves the world, loads the result and saves that: the two
// documents must be identical. It names the first member of the world
// object that differs.
func (w *World) roundTripBreach() string {
	first, err := w.Save()
	if err != nil {
		return "state file: the world cannot be saved: " + err.Error()
	}
	reloaded, err := Load(first)
	if err != nil {
		return "state file: a saved world does not load again: " + err.Error()
	}
	second, err := reloaded.Save()
	if err != nil {
		return "state file: a reloaded world cannot be saved again: " + err.Error()
	}
	if bytes.Equal(first, second) {
		return ""
	}
	return fmt.Sprintf("state file: saving the world, loading it and saving it again changes %s; a state file must describe the world exactly", differingMember(first, second))
}

// differingMember names the first member of the world object (by name)
// whose value differs between two state files.
func differingMember(a, b []byte) string {
	var da, db struct {
		World map[string]json.RawMessage `json:"world"`
	}
	if json.Unmarshal(a, &da) != nil || json.Unmarshal(b, &db) != nil {
		return "the document"
	}
	keys := map[string]bool{}
	for k := range da.World {
		keys[k] = true
	}
	for k := range db.World {
		keys[k] = true
	}
	names := core.SortedKeys(keys)
	for _, k := range names {
		if !bytes.Equal(da.World[k], db.World[k]) {
			return fmt.Sprintf("its %q member", k)
		}
	}
	return "the document around the world object"
}
