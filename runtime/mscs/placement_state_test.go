package mscs

import (
	"bytes"
	"clusterscript/runtime/core"
	"strings"
	"testing"
)

// placedWorld is a 2016 cluster with every piece of placement state set: a
// priority, anti-affinity classes, sites, a drained node with its group
// drained from it, a node with recent exits and a quarantined node with
// its timer pending.
func placedWorld(t *testing.T) *World {
	t.Helper()
	w := versionLab(t, "2016", 4)
	appGroup(t, w, "SQL1", "NODE2")
	appGroup(t, w, "SQL2", "NODE3")
	mustDo(t, w.SetGroupPriority(labCluster, "SQL1", PriorityHigh))
	mustDo(t, w.SetAntiAffinity(labCluster, "SQL1", []string{"SQL"}))
	mustDo(t, w.SetAntiAffinity(labCluster, "SQL2", []string{"SQL"}))
	setSites(t, w, "A", "A", "B", "B")
	mustDo(t, w.SetClusterProperty(labCluster, []PropertySetting{{"PreferredSite", "A"}}))
	mustDo(t, w.DrainNode(labCluster, "NODE2"))
	for range 3 {
		flap(t, w, "NODE4")
	}
	flap(t, w, "NODE1")
	return w
}

// cloneOf copies a test world the way sim.World.Clone does.
func cloneOf(w *World) *World {
	c := NewWorld()
	w.World.CloneInto(c.World)
	w.Engine.CloneInto(c.Engine)
	w.NLB.CloneInto(c.NLB)
	return c
}

// Placement state is saved and loaded, copied by Clone, and the copy goes
// on as the original does (the quarantine timer fires on each).
func TestPlacementStateSavedAndCloned(t *testing.T) {
	w := placedWorld(t)
	data := mustSave(t, w)
	for _, member := range []string{`"priority":"high"`, `"anti_affinity_class_names":["SQL"]`, `"site":"B"`, `"drain_status":"Completed"`,
		`"drained_from":"NODE2"`, `"quarantined":true`, `"quarantine_ends":`, `"exits":[`, `"cluster.quarantine"`} {
		if !bytes.Contains(data, []byte(member)) {
			t.Errorf("the state file has no %s", member)
		}
	}
	loaded, err := Load(data)
	mustDo(t, err)
	if got := mustSave(t, loaded); !bytes.Equal(got, data) {
		t.Fatalf("saved, loaded and saved again differs: %s", firstDifference(data, got))
	}
	c := cloneOf(w)
	if got := mustSave(t, c); !bytes.Equal(got, data) {
		t.Fatalf("the copy differs: %s", firstDifference(data, got))
	}
	mustDo(t, c.Engine.CheckIndexes())
	// The copy goes on alone: its changes do not reach the original.
	mustDo(t, c.SetAntiAffinity(labCluster, "SQL2", []string{"Other"}))
	mustDo(t, c.ResumeNodeWith(labCluster, "NODE2", true))
	flap(t, c, "NODE1")
	if got := mustSave(t, w); !bytes.Equal(got, data) {
		t.Fatalf("changing the copy changed the original: %s", firstDifference(data, got))
	}
	// Both reach the end of the quarantine the same way.
	for _, x := range []*World{w, loaded} {
		mustDo(t, x.Advance(3*core.Hour))
		x.Settle()
	}
	if a, b := mustSave(t, w), mustSave(t, loaded); !bytes.Equal(a, b) {
		t.Errorf("the original and the loaded world went on differently: %s", firstDifference(a, b))
	}
	if mustNode(t, w, "NODE4").Quarantined {
		t.Error("the quarantine did not end")
	}
}

// Every placement call made in a transaction and rolled back leaves the
// world byte for byte as it was.
func TestPlacementRollsBack(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func(w *World) error
	}{
		{"priority", func(w *World) error { return w.SetGroupPriority(labCluster, "SQL2", PriorityNoAutoStart) }},
		{"anti-affinity", func(w *World) error { return w.SetAntiAffinity(labCluster, "SQL1", []string{"X", "Y"}) }},
		{"site", func(w *World) error { return w.SetSite(labCluster, "NODE3", "C") }},
		{"drain", func(w *World) error { return w.DrainNode(labCluster, "NODE3") }},
		{"resume with failback", func(w *World) error { return w.ResumeNodeWith(labCluster, "NODE2", true) }},
		{"quarantine ends", func(w *World) error { return w.Advance(3 * core.Hour) }},
		{"exit counted", func(w *World) error { return w.FailServer("NODE1") }},
		{"evict drained node", func(w *World) error {
			mustDo(t, w.MoveGroup(labCluster, "Cluster Group", "NODE1"))
			return w.EvictNode(labCluster, "NODE2")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := placedWorld(t)
			before := mustSave(t, w)
			mark := w.Begin()
			mustDo(t, tc.fn(w))
			w.Settle()
			if bytes.Equal(mustSave(t, w), before) {
				t.Fatal("the call changed nothing; the test proves nothing")
			}
			w.Rollback(mark)
			if after := mustSave(t, w); !bytes.Equal(after, before) {
				t.Fatalf("the rollback left a difference: %s", firstDifference(before, after))
			}
			mustDo(t, w.Engine.CheckIndexes())
		})
	}
}

// Loading refuses placement state the cluster's version lacks or the
// builtins could not have made.
func TestPlacementLoadRefusals(t *testing.T) {
	data := mustSave(t, placedWorld(t))
	for _, tc := range []struct{ from, to, msg string }{
		{`"priority":"high"`, `"priority":"urgent"`, `group "SQL1" has priority "urgent"`},
		{`"priority":"high"`, `"priority":"medium"`, "medium is left out"},
		{`"anti_affinity_class_names":["SQL"]`, `"anti_affinity_class_names":["SQL","sql"]`, `anti-affinity class name "sql" is given twice`},
		{`"drained_from":"NODE2"`, `"drained_from":"NODE9"`, `group "SQL1" was drained from "NODE9", no node of cluster EXCLUSTER`},
		{`"drain_status":"Completed"`, `"drain_status":"Done"`, `node NODE2 has drain status "Done"`},
		{`"site":"B"`, `"site":" B"`, `node NODE3: " B" is not a site name`},
		{`"quarantined":true`, `"quarantined":true,"paused":true`, ""},
	} {
		if !bytes.Contains(data, []byte(tc.from)) {
			t.Fatalf("the state file has no %s", tc.from)
		}
		if tc.msg == "" {
			continue
		}
		bad := bytes.Replace(data, []byte(tc.from), []byte(tc.to), 1)
		if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("loading with %s: %v, want an error saying %q", tc.to, err, tc.msg)
		}
	}
	// State a version lacks.
	old := mustSave(t, versionLab(t, "2008", 2))
	for _, tc := range []struct{ from, to, msg string }{
		{`"name":"NODE2","state":"Up"`, `"name":"NODE2","state":"Up","site":"A"`, "node NODE2 is in a site, which Windows Server 2008 does not have"},
		{`"name":"NODE2","state":"Up"`, `"name":"NODE2","state":"Up","exits":[1]`, "node NODE2 has quarantine state, which Windows Server 2008 does not have"},
		{`"name":"Cluster Group"`, `"name":"Cluster Group","priority":"high"`, `group "Cluster Group" has a priority, which Windows Server 2008 does not have`},
	} {
		bad := bytes.Replace(old, []byte(tc.from), []byte(tc.to), 1)
		if bytes.Equal(bad, old) {
			t.Fatalf("the state file has no %s", tc.from)
		}
		if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("loading with %s: %v, want an error saying %q", tc.to, err, tc.msg)
		}
	}
	// A quarantined node is Down.
	bad := bytes.Replace(data, []byte(`"name":"NODE4","state":"Down"`), []byte(`"name":"NODE4","state":"Up"`), 1)
	if bytes.Equal(bad, data) {
		t.Fatal("the state file does not hold NODE4 Down")
	}
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), "node NODE4 is quarantined but Up; a quarantined node is Down") {
		t.Errorf("loading an Up quarantined node: %v", err)
	}
}
