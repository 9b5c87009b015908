package sim_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"clusterscript/runtime/core"
	"clusterscript/runtime/sim"
)

// saveV1 writes a world as schema version 1 did (commit de361ff): every
// member through encoding/json and the struct tags, the event log as
// objects with their sequence numbers.
func saveV1(t *testing.T, w *sim.World) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteString(`{"format":"clusterscript-state","version":1,"world":{`)
	first := true
	member := func(key string, v any, omit bool) {
		if omit {
			return
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("encoding %s: %v", key, err)
		}
		if !first {
			buf.WriteByte(',')
		}
		first = false
		fmt.Fprintf(&buf, "%q:%s", key, b)
	}
	member("clock", w.Clock, false)
	member("events", w.Events, false)
	member("domains", w.Domains, len(w.Domains) == 0)
	member("servers", w.Servers, len(w.Servers) == 0)
	member("disks", w.Disks, len(w.Disks) == 0)
	member("clusters", w.MSCS.Clusters, len(w.MSCS.Clusters) == 0)
	member("nlb_clusters", w.NLB.Clusters, len(w.NLB.Clusters) == 0)
	member("asr_sets", w.AsrSets, len(w.AsrSets) == 0)
	member("timers", w.Timers(), false)
	buf.WriteString("}}\n")
	return buf.Bytes()
}

func mustSave(t *testing.T, w *sim.World) []byte {
	t.Helper()
	data, err := w.Save()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustLoad(t *testing.T, data []byte) *sim.World {
	t.Helper()
	w, err := sim.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestReadsVersion1Files loads the state files version 1 wrote and saves
// them as version 2: the world is the same (written the old way it gives
// the old file byte for byte), version 2 reads back to itself, and the
// simulation goes on from either world in the same way.
func TestReadsVersion1Files(t *testing.T) {
	for _, fixture := range []struct {
		file    string
		pending bool // timers are pending: settling adds events
	}{
		{"testdata/v1-lab.json", false},
		{"testdata/v1-clusters-nlb-timers.json", true},
	} {
		t.Run(fixture.file, func(t *testing.T) {
			v1, err := os.ReadFile(fixture.file)
			if err != nil {
				t.Fatal(err)
			}
			fromV1 := mustLoad(t, v1)
			if again := saveV1(t, fromV1); !bytes.Equal(again, v1) {
				t.Fatalf("the world read from version 1 is not the one written:\n%s", cmp.Diff(string(v1), string(again)))
			}
			v2 := mustSave(t, fromV1)
			if !bytes.HasPrefix(v2, []byte(`{"format":"clusterscript-state","version":2,"world":{`)) {
				t.Fatalf("saved as %.60s", v2)
			}
			fromV2 := mustLoad(t, v2)
			if again := mustSave(t, fromV2); !bytes.Equal(again, v2) {
				t.Fatalf("version 2 does not read back to itself:\n%s", cmp.Diff(string(v2), string(again)))
			}
			if again := saveV1(t, fromV2); !bytes.Equal(again, v1) {
				t.Fatalf("version 2 lost something version 1 had:\n%s", cmp.Diff(string(v1), string(again)))
			}
			// Pending timers and indexes came through: both worlds go on alike.
			logged := len(fromV1.Events)
			for _, w := range []*sim.World{fromV1, fromV2} {
				w.Settle()
				if err := w.Advance(6 * core.Hour); err != nil {
					t.Fatal(err)
				}
			}
			a, b := mustSave(t, fromV1), mustSave(t, fromV2)
			if !bytes.Equal(a, b) {
				t.Fatalf("the worlds read from version 1 and version 2 went on differently:\n%s", cmp.Diff(string(a), string(b)))
			}
			if settled := len(fromV1.Events) > logged; settled != fixture.pending {
				t.Errorf("settling logged %d events; pending timers: %v", len(fromV1.Events)-logged, fixture.pending)
			}
		})
	}
}

// TestCodecMatchesStructTags fills every exported field of every object in
// a world with a distinct value and checks that the state file holds each
// of them under the name its struct tag gives (what encoding/json writes,
// and what version 1 files hold), and that reading the file gives every
// value back. A field added to a type without a line in its codec fails
// here.
func TestCodecMatchesStructTags(t *testing.T) {
	w := sim.New()
	n := 0
	for _, p := range []any{&w.Domains, &w.Servers, &w.Disks, &w.AsrSets, &w.MSCS.Clusters, &w.NLB.Clusters} {
		fill(reflect.ValueOf(p).Elem(), &n)
	}
	w.Clock = 1 << 40
	for _, c := range w.MSCS.Clusters {
		for _, g := range c.Groups {
			g.Owner = c.Nodes[1].Name // indexing needs owners that are nodes
		}
	}
	for i, kinds := range [][3]string{{"note", "", ""}, {"world", "NODE1", ""}, {"state", "NODE1", "Up"}, {"state", "", "Down"}} {
		w.Emit(kinds[0], kinds[1], kinds[2], "event %d: \"quoted\", <html> & \\ \t\n ✓ \u2028", i)
	}
	w.EmitDecision("failover", "G", &core.Decision{From: "A", To: "B", Reason: "why", Skipped: []core.Skip{{Node: "C", Why: "Paused"}}}, "failed over")
	w.EmitDecision("failover", "", &core.Decision{}, "an empty decision")

	v2 := mustSave(t, w)
	got, want := generic(t, v2), generic(t, saveV1(t, w))
	// Version 2 writes each event [at, kind, text, subject, state,
	// decision] with empty trailing members left out; version 1 wrote an
	// object.
	events := []any{}
	for i, e := range got["world"].(map[string]any)["events"].([]any) {
		f := e.([]any)
		o := map[string]any{"seq": float64(i + 1), "at": f[0], "kind": f[1], "text": f[2]}
		if len(f) > 3 && f[3] != "" {
			o["subject"] = f[3]
		}
		if len(f) > 4 && f[4] != "" {
			o["state"] = f[4]
		}
		if len(f) > 5 {
			o["decision"] = f[5]
		}
		events = append(events, o)
	}
	got["world"].(map[string]any)["events"] = events
	got["version"] = want["version"]
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("the state file differs from encoding/json's rendering of the same world (-json +file):\n%s", diff)
	}

	// Every value reads back. The filled world makes no sense to the
	// engines, so the objects are compared as read, before any indexing.
	back := sim.New()
	if err := back.ReadStateUnchecked(string(v2)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(generic(t, saveV1(t, w)), generic(t, saveV1(t, back))); diff != "" {
		t.Fatalf("reading the file back lost values (-written +read):\n%s", diff)
	}
}

// generic decodes JSON into maps, slices and float64s.
func generic(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%v in:\n%s", err, data)
	}
	return v
}

// fill gives every exported field reachable from v a distinct non-zero
// value: strings "v1", "v2"…, numbers 1, 2…, true, lists of two.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() && !f.Anonymous {
				fill(v.Field(i), n)
			}
		}
	case reflect.String:
		v.SetString(fmt.Sprintf("v%d", *n))
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint64:
		v.SetUint(uint64(*n))
	case reflect.Float64:
		v.SetFloat(float64(*n) + 0.25)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(s.Index(i), n)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for range 2 {
			k, x := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(k, n)
			fill(x, n)
			m.SetMapIndex(k, x)
		}
		v.Set(m)
	default:
		panic("fill: no value for a " + v.Type().String())
	}
}
