package mscs

import (
	"clusterscript/runtime/core"
	"slices"
	"strings"
	"testing"
)

// failoverOrder lists the groups whose failover (or hold) events appear
// among evs, in order.
func failoverOrder(evs []core.Event) []string {
	var out []string
	for _, e := range evs {
		if e.Kind == core.KindFailover && strings.HasPrefix(e.Text, "group ") && !slices.Contains(out, e.Subject) {
			out = append(out, e.Subject)
		}
	}
	return out
}

// Group priority exists from 2012; older versions refuse it naming 2012
// and read no priority.
func TestGroupPriorityVersions(t *testing.T) {
	for _, v := range []string{"2003", "2008", "2008 R2"} {
		t.Run(v, func(t *testing.T) {
			w := versionLab(t, v, 2)
			g := appGroup(t, w, "App")
			refused(t, w, core.ErrPrereq, "set_group_priority arrived in Windows Server 2012, and cluster EXCLUSTER runs Windows Server "+v, func() error {
				return w.SetGroupPriority(labCluster, "App", PriorityHigh)
			})
			c, _ := w.Cluster(labCluster)
			if p, ok := c.GroupPriority(g); ok {
				t.Errorf("%s reads priority %q", v, p)
			}
		})
	}
	for _, v := range []string{"2012", "2012 R2", "2016", "2019", "2022"} {
		t.Run(v, func(t *testing.T) {
			w := versionLab(t, v, 2)
			g := appGroup(t, w, "App")
			c, _ := w.Cluster(labCluster)
			if p, ok := c.GroupPriority(g); !ok || p != PriorityMedium {
				t.Errorf("a new group's priority is %q (%v), want medium", p, ok)
			}
			before := len(w.Events)
			mustDo(t, w.SetGroupPriority(labCluster, "App", PriorityLow))
			if p, _ := c.GroupPriority(g); p != PriorityLow {
				t.Errorf("priority %q after set to low", p)
			}
			if evs := eventsSince(w, before); len(evs) != 1 || !strings.Contains(evs[0].Text, `priority of group "App": low (1000;`) {
				t.Errorf("events %v", evs)
			}
			refused(t, w, core.ErrInvalid, `unknown group priority "highest"`, func() error { return w.SetGroupPriority(labCluster, "App", "highest") })
			refused(t, w, core.ErrNotFound, `no group of cluster EXCLUSTER named "Nope"`, func() error { return w.SetGroupPriority(labCluster, "Nope", PriorityHigh) })
			// Medium is the default and is not stored.
			mustDo(t, w.SetGroupPriority(labCluster, "App", PriorityMedium))
			if g.Priority != "" || strings.Contains(string(mustSave(t, w)), `"priority"`) {
				t.Errorf("medium is stored as %q", g.Priority)
			}
		})
	}
}

// Among groups failing over at the same moment, higher priority goes
// first, the Cluster Group before all (2012+); on 2008 R2 name order.
func TestPriorityFailoverOrder(t *testing.T) {
	for _, tc := range []struct {
		version string
		want    []string
	}{
		{"2008 R2", []string{"Cluster Group", "A", "B", "C", "D"}},
		{"2012", []string{"Cluster Group", "C", "A", "D", "B"}},
		{"2022", []string{"Cluster Group", "C", "A", "D", "B"}},
	} {
		t.Run(tc.version, func(t *testing.T) {
			w := versionLab(t, tc.version, 3)
			for _, n := range []string{"A", "B", "C", "D"} {
				appGroup(t, w, n, "NODE1")
			}
			if tc.version != "2008 R2" {
				mustDo(t, w.SetGroupPriority(labCluster, "B", PriorityLow))
				mustDo(t, w.SetGroupPriority(labCluster, "C", PriorityHigh))
			}
			before := len(w.Events)
			crash(t, w, "NODE1")
			if got := failoverOrder(eventsSince(w, before)); !slices.Equal(got, tc.want) {
				t.Errorf("failover order %v, want %v", got, tc.want)
			}
		})
	}
}

// A No Auto Start group is not started after a failover: it moves to the
// node the rules choose and stays Offline there until started; a manual
// move restores its state as for any group.
func TestNoAutoStartStaysOffline(t *testing.T) {
	w := versionLab(t, "2012", 3)
	g := appGroup(t, w, "Batch", "NODE1", "NODE2")
	mustDo(t, w.SetGroupPriority(labCluster, "Batch", PriorityNoAutoStart))
	mustDo(t, w.MoveGroup(labCluster, "Batch", "NODE3"))
	if g.State() != Online {
		t.Fatalf("a manual move left it %s", g.State())
	}
	mustDo(t, w.MoveGroup(labCluster, "Batch", "NODE1"))
	before := len(w.Events)
	crash(t, w, "NODE1")
	if g.Owner != "NODE2" || g.State() != Offline {
		t.Fatalf("after NODE1 crashed: %s on %s, want Offline on NODE2", g.State(), g.Owner)
	}
	var held bool
	for _, e := range eventsSince(w, before) {
		if e.Subject == "Batch" && strings.Contains(e.Text, `group "Batch" moves from NODE1 to NODE2 and stays Offline`) && strings.Contains(e.Text, "No Auto Start") {
			held = true
		}
	}
	if !held {
		t.Errorf("no event says why Batch stays Offline: %v", eventsSince(w, before))
	}
	if len(g.Failovers) != 0 {
		t.Errorf("a group that was not started counts %d failovers", len(g.Failovers))
	}
	mustDo(t, w.BringOnline(labCluster, "Batch", true))
	if g.State() != Online || g.Owner != "NODE2" {
		t.Errorf("bring_online: %s on %s", g.State(), g.Owner)
	}
}

// When a cluster forms again after losing quorum, groups start highest
// priority first and a No Auto Start group stays Offline.
func TestPriorityStartOrderWhenTheClusterForms(t *testing.T) {
	l := newLab(t, labSpec{nodes: 3, version: "2012"})
	c := l.cluster(t, QuorumMajority)
	w := l.w
	for _, n := range []string{"A", "B", "C"} {
		appGroup(t, w, n, "NODE3")
	}
	mustDo(t, w.SetGroupPriority(labCluster, "A", PriorityLow))
	mustDo(t, w.SetGroupPriority(labCluster, "C", PriorityHigh))
	mustDo(t, w.SetGroupPriority(labCluster, "B", PriorityNoAutoStart))
	crash(t, w, "NODE1")
	crash(t, w, "NODE2")
	if c.running() {
		t.Fatal("1 of 3 nodes kept quorum")
	}
	before := len(w.Events)
	// Dynamic quorum left the last vote with NODE2: the cluster forms again
	// once that node is back (NODE1 alone with NODE3 holds no vote), as on
	// Windows, where the node holding the latest vote must return or
	// quorum be forced.
	mustDo(t, w.BootServer("NODE2"))
	w.Settle()
	if !c.running() {
		t.Fatal("2 of 3 nodes did not form the cluster")
	}
	var started []string
	for _, e := range eventsSince(w, before) {
		if e.Kind == core.KindState && e.State == Online && strings.HasPrefix(e.Text, "group ") {
			started = append(started, e.Subject)
		}
	}
	if want := []string{"Cluster Group", "C", "A"}; !slices.Equal(started, want) {
		t.Errorf("groups came online in the order %v, want %v", started, want)
	}
	if b := mustGroup(t, w, "B"); b.State() != Offline {
		t.Errorf("the No Auto Start group is %s", b.State())
	}
}

// Anti-affinity exists from 2008 R2; enforcement from 2012.
func TestAntiAffinityVersions(t *testing.T) {
	for _, v := range []string{"2003", "2008"} {
		w := versionLab(t, v, 2)
		appGroup(t, w, "SQL1")
		refused(t, w, core.ErrPrereq, "set_anti_affinity arrived in Windows Server 2008 R2, and cluster EXCLUSTER runs Windows Server "+v, func() error {
			return w.SetAntiAffinity(labCluster, "SQL1", []string{"SQL"})
		})
	}
	w := versionLab(t, "2008 R2", 2)
	g := appGroup(t, w, "SQL1")
	before := len(w.Events)
	mustDo(t, w.SetAntiAffinity(labCluster, "SQL1", []string{"SQL", "Tier1"}))
	if evs := eventsSince(w, before); len(evs) != 1 || !strings.Contains(evs[0].Text, `anti-affinity class names of "SQL1": "SQL", "Tier1"`) {
		t.Errorf("events %v", evs)
	}
	c, _ := w.Cluster(labCluster)
	if got, ok := c.AntiAffinityClasses(g); !ok || !slices.Equal(got, []string{"SQL", "Tier1"}) {
		t.Errorf("classes %v (%v)", got, ok)
	}
	for _, tc := range []struct {
		classes []string
		msg     string
	}{
		{[]string{""}, "anti-affinity class name 1 is empty"},
		{[]string{"SQL", " x"}, `anti-affinity class name " x" has leading or trailing spaces`},
		{[]string{"SQL", "sql"}, `anti-affinity class name "sql" is given twice`},
		{[]string{strings.Repeat("x", 256)}, "is longer than 255 characters"},
	} {
		refused(t, w, core.ErrInvalid, tc.msg, func() error { return w.SetAntiAffinity(labCluster, "SQL1", tc.classes) })
	}
	mustDo(t, w.SetAntiAffinity(labCluster, "SQL1", nil))
	if g.AntiAffinityClassNames != nil {
		t.Errorf("[] left %v", g.AntiAffinityClassNames)
	}
}

// antiAffinityPair builds SQL1 on NODE1 and SQL2 on NODE2 sharing the
// class "SQL", on a cluster of n nodes.
func antiAffinityPair(t *testing.T, version string, n int) (*World, *Group, *Group) {
	t.Helper()
	w := versionLab(t, version, n)
	// Disk only quorum: the cluster runs while one node holds the disk,
	// so these tests can take nodes away down to the last.
	mustDo(t, w.SetQuorum(labCluster, QuorumSpec{Mode: QuorumDiskOnly, Witness: "Quorum", WitnessIsDisk: true}))
	a := appGroup(t, w, "SQL1", "NODE1")
	b := appGroup(t, w, "SQL2", "NODE2")
	mustDo(t, w.SetAntiAffinity(labCluster, "SQL1", []string{"SQL"}))
	mustDo(t, w.SetAntiAffinity(labCluster, "SQL2", []string{"sql", "Other"}))
	return w, a, b
}

// Soft anti-affinity: the failover skips the node running the other group
// of the class; when every node does, it goes there anyway and says so.
func TestAntiAffinitySoft(t *testing.T) {
	for _, v := range []string{"2008 R2", "2012", "2016", "2019"} {
		t.Run(v, func(t *testing.T) {
			w, a, _ := antiAffinityPair(t, v, 3)
			before := len(w.Events)
			crash(t, w, "NODE1")
			if a.Owner != "NODE3" || a.State() != Online {
				t.Fatalf("SQL1 is %s on %s, want Online on NODE3 (NODE2 runs SQL2)", a.State(), a.Owner)
			}
			if !strings.Contains(eventText(eventsSince(w, before), "SQL1"), `skipped NODE2 (hosts "SQL2" of anti-affinity class SQL)`) {
				t.Errorf("the failover does not say why NODE2 was skipped: %s", eventText(eventsSince(w, before), "SQL1"))
			}
			before = len(w.Events)
			crash(t, w, "NODE3")
			if a.Owner != "NODE2" || a.State() != Online {
				t.Fatalf("with every node in conflict SQL1 is %s on %s, want Online on NODE2", a.State(), a.Owner)
			}
			if !strings.Contains(eventText(eventsSince(w, before), "SQL1"), "which is a preference (ClusterEnforcedAntiAffinity 0), so it goes to NODE2 anyway") {
				t.Errorf("the failover does not say anti-affinity gave way: %s", eventText(eventsSince(w, before), "SQL1"))
			}
		})
	}
}

// eventText joins the texts of the events about subject.
func eventText(evs []core.Event, subject string) string {
	var b strings.Builder
	for _, e := range evs {
		if e.Subject == subject {
			b.WriteString(e.Text + "\n")
		}
	}
	return b.String()
}

// An Offline or Failed group takes nothing on its node: it is no conflict.
func TestAntiAffinityIgnoresGroupsNotRunning(t *testing.T) {
	w, a, _ := antiAffinityPair(t, "2012", 3)
	mustDo(t, w.TakeOffline(labCluster, "SQL2", true))
	crash(t, w, "NODE1")
	if a.Owner != "NODE2" {
		t.Errorf("SQL1 went to %s; NODE2 only holds an Offline SQL2", a.Owner)
	}
}

// Enforced anti-affinity (2012+): with every node in conflict the group
// stays Offline (Anti-Affinity Conflict); moving it onto, or starting it
// on, a node running the other group is refused.
func TestAntiAffinityEnforced(t *testing.T) {
	w := versionLab(t, "2008 R2", 2)
	refused(t, w, core.ErrPrereq, "ClusterEnforcedAntiAffinity arrived in Windows Server 2012", func() error {
		return w.SetClusterProperty(labCluster, []PropertySetting{{"ClusterEnforcedAntiAffinity", int64(1)}})
	})
	for _, v := range []string{"2012", "2016", "2022"} {
		t.Run(v, func(t *testing.T) {
			w, a, b := antiAffinityPair(t, v, 3)
			mustDo(t, w.SetClusterProperty(labCluster, []PropertySetting{{"ClusterEnforcedAntiAffinity", int64(1)}}))
			refused(t, w, core.ErrConflict, `group "SQL1" cannot run on NODE2, which hosts group "SQL2" of the same anti-affinity class SQL, and ClusterEnforcedAntiAffinity is 1`, func() error {
				return w.MoveGroup(labCluster, "SQL1", "NODE2")
			})
			mustDo(t, w.MoveGroup(labCluster, "SQL1", "NODE3"))
			before := len(w.Events)
			crash(t, w, "NODE3")
			if a.Owner != "NODE1" || a.State() != Online {
				t.Fatalf("SQL1 is %s on %s, want Online on NODE1, the one node without SQL2", a.State(), a.Owner)
			}
			crash(t, w, "NODE1")
			if a.Owner != "NODE2" || a.State() != Offline {
				t.Fatalf("SQL1 is %s on %s, want Offline on NODE2", a.State(), a.Owner)
			}
			if b.State() != Online {
				t.Errorf("SQL2 is %s", b.State())
			}
			text := eventText(eventsSince(w, before), "SQL1")
			if !strings.Contains(text, `group "SQL1" moves from NODE1 to NODE2 and stays Offline (node NODE1 is Down): Anti-Affinity Conflict`) ||
				!strings.Contains(text, `NODE2 (hosts "SQL2" of anti-affinity class SQL, enforced)`) {
				t.Errorf("the events do not say why SQL1 stays Offline:\n%s", text)
			}
			refused(t, w, core.ErrConflict, `group "SQL1" cannot run on NODE2`, func() error { return w.BringOnline(labCluster, "SQL1", true) })
			// SQL2 goes away: SQL1 may start.
			mustDo(t, w.TakeOffline(labCluster, "SQL2", true))
			mustDo(t, w.BringOnline(labCluster, "SQL1", true))
		})
	}
}

// Without anti-affinity classes, or on 2003, target choice is KB 299631's
// exactly: the skipped list names the nodes before the target only.
func TestPlacementKeepsKB299631(t *testing.T) {
	for _, v := range []string{"2003", "2016"} {
		w := versionLab(t, v, 4)
		g := appGroup(t, w, "App", "NODE3", "NODE4")
		mustDo(t, w.MoveGroup(labCluster, "App", "NODE4"))
		mustDo(t, w.PauseNode(labCluster, "NODE1"))
		c, _ := w.Cluster(labCluster)
		p := w.placeGroup(c, g, c.afterOwner(g))
		if p.target != "NODE2" || len(p.skipped) != 1 || p.skipped[0] != (core.Skip{Node: "NODE1", Why: "Paused"}) {
			t.Errorf("%s: target %s, skipped %v; want NODE2 after NODE1 (Paused)", v, p.target, p.skipped)
		}
	}
}
