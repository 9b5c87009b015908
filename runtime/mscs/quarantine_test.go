package mscs

import (
	"clusterscript/runtime/core"
	"strings"
	"testing"
)

// flap crashes a node's server, lets the cluster notice, boots it and lets
// it rejoin (when it may).
func flap(t *testing.T, w *World, node string) {
	t.Helper()
	crash(t, w, node)
	mustDo(t, w.BootServer(node))
	w.Settle()
}

// A node that leaves ungracefully QuarantineThreshold times within an
// hour is Quarantined for QuarantineDuration seconds (2016+): it does not
// join when its server boots, start_cluster_service is refused, it is
// never a target; when the time is up it joins by itself.
func TestQuarantine(t *testing.T) {
	for _, v := range []string{"2016", "2019", "2022"} {
		t.Run(v, func(t *testing.T) {
			w := versionLab(t, v, 4)
			c := mustClusterOf(t, w)
			g := appGroup(t, w, "App", "NODE4", "NODE1")
			n4 := mustNode(t, w, "NODE4")
			flap(t, w, "NODE4")
			flap(t, w, "NODE4")
			if n4.State != NodeUp || n4.Quarantined {
				t.Fatalf("after two exits NODE4 is %s", n4.DisplayState())
			}
			before := len(w.Events)
			crash(t, w, "NODE4")
			if n4.DisplayState() != NodeQuarantined || n4.State != NodeDown {
				t.Fatalf("after three exits within an hour NODE4 shows %s (state %s), want Quarantined", n4.DisplayState(), n4.State)
			}
			ends := w.Clock + 7200*core.Second
			text := eventText(eventsSince(w, before), "NODE4")
			if !strings.Contains(text, "node NODE4 is Quarantined (3 ungraceful exits within an hour, QuarantineThreshold 3): it may not join the cluster or host groups for 2h, until "+core.FormatClock(ends)) {
				t.Errorf("the events do not say NODE4 is quarantined:\n%s", text)
			}
			mustDo(t, w.BootServer("NODE4"))
			w.Settle()
			if n4.DisplayState() != NodeQuarantined {
				t.Fatalf("NODE4 joined while quarantined: %s", n4.DisplayState())
			}
			refused(t, w, core.ErrState, "node NODE4 is quarantined until "+core.FormatClock(ends), func() error { return w.StartClusterService(labCluster, "NODE4") })
			refused(t, w, core.ErrState, `group "App" cannot move to NODE4: the node is Quarantined`, func() error { return w.MoveGroup(labCluster, "App", "NODE4") })
			if p := w.placeGroup(c, g, c.groupList(g)); p.skipped[0] != (core.Skip{Node: "NODE4", Why: NodeQuarantined}) {
				t.Errorf("placement skipped %v, want NODE4 (Quarantined) first", p.skipped)
			}
			mustDo(t, w.Advance(7200*core.Second-1))
			if !n4.Quarantined {
				t.Fatal("the quarantine ended early")
			}
			mustDo(t, w.Advance(1))
			w.Settle()
			if n4.Quarantined || n4.State != NodeUp {
				t.Errorf("after the quarantine NODE4 is %s, want Up", n4.DisplayState())
			}
		})
	}
}

// Before 2016 there is no quarantine; QuarantineThreshold 0 turns it off;
// exits more than an hour apart do not add up; a restart the cluster did
// not see counts as an exit.
func TestQuarantineCounting(t *testing.T) {
	for _, tc := range []struct {
		name    string
		version string
		setup   func(w *World)
		exits   func(t *testing.T, w *World)
		want    bool
	}{
		{"2012 R2 has none", "2012 R2", nil, func(t *testing.T, w *World) {
			for range 4 {
				flap(t, w, "NODE2")
			}
		}, false},
		{"threshold 0", "2016", func(w *World) {
			mustDo(t, w.SetClusterProperty(labCluster, []PropertySetting{{"QuarantineThreshold", int64(0)}}))
		}, func(t *testing.T, w *World) {
			for range 4 {
				flap(t, w, "NODE2")
			}
		}, false},
		{"an hour apart", "2016", nil, func(t *testing.T, w *World) {
			for range 4 {
				flap(t, w, "NODE2")
				mustDo(t, w.Advance(31*core.Minute))
			}
		}, false},
		{"threshold 2", "2016", func(w *World) {
			mustDo(t, w.SetClusterProperty(labCluster, []PropertySetting{{"QuarantineThreshold", int64(2)}}))
		}, func(t *testing.T, w *World) {
			flap(t, w, "NODE2")
			crash(t, w, "NODE2")
		}, true},
		{"unseen restarts", "2016", nil, func(t *testing.T, w *World) {
			for range 3 {
				mustDo(t, w.FailServer("NODE2"))
				mustDo(t, w.BootServer("NODE2"))
				w.Settle()
			}
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := versionLab(t, tc.version, 4)
			if tc.setup != nil {
				tc.setup(w)
			}
			tc.exits(t, w)
			if got := mustNode(t, w, "NODE2").Quarantined; got != tc.want {
				t.Errorf("quarantined %v, want %v", got, tc.want)
			}
		})
	}
}

// At most a quarter of the nodes (at least one) are quarantined at once;
// QuarantineDuration 4294967295 keeps a node out for good.
func TestQuarantineLimit(t *testing.T) {
	w := versionLab(t, "2016", 4)
	mustDo(t, w.SetClusterProperty(labCluster, []PropertySetting{{"QuarantineDuration", int64(maxDWORD)}}))
	for range 3 {
		flap(t, w, "NODE3")
	}
	before := len(w.Events)
	for range 3 {
		flap(t, w, "NODE4")
	}
	n3, n4 := mustNode(t, w, "NODE3"), mustNode(t, w, "NODE4")
	if !n3.Quarantined || n4.Quarantined {
		t.Fatalf("NODE3 quarantined %v, NODE4 %v; want only NODE3 (one of four nodes)", n3.Quarantined, n4.Quarantined)
	}
	if !strings.Contains(eventText(eventsSince(w, before), "NODE4"), "but 1 of the 4 nodes are already quarantined, the most allowed") {
		t.Errorf("no warning says why NODE4 is not quarantined")
	}
	if len(w.PendingTimers()) != 0 {
		for _, tm := range w.PendingTimers() {
			if tm.Kind == timerQuarantine {
				t.Errorf("a quarantine until cleared has a timer: %+v", tm)
			}
		}
	}
	mustDo(t, w.Advance(30*core.Day))
	if !n3.Quarantined || !strings.Contains(eventText(w.Events, "NODE3"), "until it is cleared (QuarantineDuration 4294967295)") {
		t.Errorf("NODE3 left a quarantine until cleared")
	}
}
