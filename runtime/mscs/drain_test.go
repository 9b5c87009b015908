package mscs

import (
	"clusterscript/runtime/core"
	"strings"
	"testing"
)

// Drain exists from 2012; older versions refuse drain_node and
// resume_node(failback=True) naming 2012, and read no drain status.
func TestDrainVersions(t *testing.T) {
	for _, v := range []string{"2003", "2008", "2008 R2"} {
		t.Run(v, func(t *testing.T) {
			w := versionLab(t, v, 2)
			refused(t, w, core.ErrPrereq, "drain_node arrived in Windows Server 2012, and cluster EXCLUSTER runs Windows Server "+v, func() error {
				return w.DrainNode(labCluster, "NODE1")
			})
			mustDo(t, w.PauseNode(labCluster, "NODE2"))
			refused(t, w, core.ErrPrereq, "resume_node(failback=True) arrived in Windows Server 2012", func() error {
				return w.ResumeNodeWith(labCluster, "NODE2", true)
			})
			c, n := mustClusterOf(t, w), mustNode(t, w, "NODE2")
			if s, ok := c.DrainStatus(n); ok {
				t.Errorf("%s reads drain status %q", v, s)
			}
			mustDo(t, w.ResumeNodeWith(labCluster, "NODE2", false))
		})
	}
}

// A drain moves each group where a failover would send it (the next
// eligible node after the drained one in its list), keeping its state,
// highest priority first; then the node is Paused and the drain
// Completed. resume_node(failback=True) brings the groups back.
func TestDrainAndFailback(t *testing.T) {
	for _, v := range []string{"2012", "2012 R2", "2016", "2019", "2022"} {
		t.Run(v, func(t *testing.T) {
			w := versionLab(t, v, 4)
			c := mustClusterOf(t, w)
			web := appGroup(t, w, "Web", "NODE2", "NODE4")
			sql := appGroup(t, w, "SQL", "NODE2", "NODE1")
			idle, err := w.NewGroup(labCluster, GroupSpec{Name: "Idle", PreferredOwners: []string{"NODE2"}})
			mustDo(t, err)
			mustDo(t, w.SetGroupPriority(labCluster, "SQL", PriorityHigh))
			n2 := mustNode(t, w, "NODE2")
			if s, _ := c.DrainStatus(n2); s != DrainNotInitiated {
				t.Errorf("drain status %q before any drain", s)
			}
			before := len(w.Events)
			mustDo(t, w.DrainNode(labCluster, "NODE2"))
			if web.Owner != "NODE4" || sql.Owner != "NODE1" || idle.Owner != "NODE1" {
				t.Errorf("after the drain Web is on %s, SQL on %s, Idle on %s; want NODE4, NODE1 and NODE1 (the node after NODE2 in each list)", web.Owner, sql.Owner, idle.Owner)
			}
			if web.State() != Online || sql.State() != Online || idle.State() != Offline {
				t.Errorf("states after the drain: Web %s, SQL %s, Idle %s", web.State(), sql.State(), idle.State())
			}
			if s, _ := c.DrainStatus(n2); n2.State != NodePaused || s != DrainCompleted {
				t.Errorf("NODE2 is %s, drain %s; want Paused, Completed", n2.State, s)
			}
			if got := failoverOrder(eventsSince(w, before)); len(got) != 0 {
				t.Errorf("a drain counts as failover events %v", got)
			}
			var moved []string
			for _, e := range eventsSince(w, before) {
				if strings.HasPrefix(e.Text, "moving group ") && strings.Contains(e.Text, "(drain") {
					moved = append(moved, e.Subject)
				}
			}
			if strings.Join(moved, ",") != "SQL,Idle,Web" {
				t.Errorf("drain order %v, want SQL (high) then Idle, Web by name", moved)
			}
			if len(web.Failovers) != 0 {
				t.Errorf("a drain counted %d failovers", len(web.Failovers))
			}
			refused(t, w, core.ErrState, `group "Web" cannot move to NODE2: the node is Paused`, func() error { return w.MoveGroup(labCluster, "Web", "NODE2") })
			mustDo(t, w.ResumeNodeWith(labCluster, "NODE2", true))
			if web.Owner != "NODE2" || sql.Owner != "NODE2" || idle.Owner != "NODE2" || web.State() != Online || idle.State() != Offline {
				t.Errorf("after resume with failback: Web %s on %s, SQL on %s, Idle %s on %s", web.State(), web.Owner, sql.Owner, idle.State(), idle.Owner)
			}
			if s, _ := c.DrainStatus(n2); n2.State != NodeUp || s != DrainNotInitiated || web.DrainedFrom != "" {
				t.Errorf("after resume NODE2 is %s, drain %s, Web drained from %q", n2.State, s, web.DrainedFrom)
			}
		})
	}
}

// Resumed without failback, the drained groups stay where the drain put
// them (their own failback policy aside).
func TestResumeWithoutFailback(t *testing.T) {
	w := versionLab(t, "2016", 3)
	g := appGroup(t, w, "App", "NODE1")
	mustDo(t, w.DrainNode(labCluster, "NODE1"))
	mustDo(t, w.ResumeNode(labCluster, "NODE1"))
	if g.Owner != "NODE2" || g.DrainedFrom != "" {
		t.Errorf("App is on %s (drained from %q), want NODE2", g.Owner, g.DrainedFrom)
	}
	// A second drain and resume with failback does not bring back what
	// the first moved.
	mustDo(t, w.DrainNode(labCluster, "NODE3"))
	mustDo(t, w.ResumeNodeWith(labCluster, "NODE3", true))
	if g.Owner != "NODE2" {
		t.Errorf("App moved to %s", g.Owner)
	}
}

// A group with nowhere to go stays: the drain ends Failed and the node is
// Paused all the same.
func TestDrainFailed(t *testing.T) {
	w := versionLab(t, "2016", 2)
	c := mustClusterOf(t, w)
	g := appGroup(t, w, "Pinned", "NODE1")
	mustDo(t, w.SetPossibleOwners(labCluster, "Pinned Service", []string{"NODE1"}))
	other := appGroup(t, w, "Other", "NODE1")
	before := len(w.Events)
	mustDo(t, w.DrainNode(labCluster, "NODE1"))
	n1 := mustNode(t, w, "NODE1")
	if s, _ := c.DrainStatus(n1); s != DrainFailed || n1.State != NodePaused {
		t.Errorf("NODE1 is %s, drain %s; want Paused, Failed", n1.State, s)
	}
	if g.Owner != "NODE1" || g.State() != Online || other.Owner != "NODE2" {
		t.Errorf("Pinned %s on %s, Other on %s", g.State(), g.Owner, other.Owner)
	}
	if text := eventText(eventsSince(w, before), "NODE1"); !strings.Contains(text, `drain Failed: "Pinned" could not move and stays on NODE1`) {
		t.Errorf("the events do not say the drain failed:\n%s", text)
	}
	// Draining again once the cause is gone completes.
	mustDo(t, w.SetPossibleOwners(labCluster, "Pinned Service", []string{"NODE1", "NODE2"}))
	mustDo(t, w.DrainNode(labCluster, "NODE1"))
	if s, _ := c.DrainStatus(n1); s != DrainCompleted || g.Owner != "NODE2" {
		t.Errorf("the second drain: %s, Pinned on %s", s, g.Owner)
	}
}

// What drain_node refuses: a node that is not Up or Paused, a node whose
// server stopped unseen, a cluster without quorum; nothing changes.
func TestDrainRefusals(t *testing.T) {
	w := versionLab(t, "2012", 3)
	appGroup(t, w, "App", "NODE2")
	mustDo(t, w.StopClusterService(labCluster, "NODE3"))
	refused(t, w, core.ErrState, "node NODE3 is Down; only an Up or Paused node can be drained", func() error { return w.DrainNode(labCluster, "NODE3") })
	refused(t, w, core.ErrNotFound, `no node of cluster EXCLUSTER named "NODE9"`, func() error { return w.DrainNode(labCluster, "NODE9") })
	mustDo(t, w.FailServer("NODE2"))
	refused(t, w, core.ErrState, "cannot drain NODE2: node NODE2 does not respond", func() error { return w.DrainNode(labCluster, "NODE2") })
	refused(t, w, core.ErrState, "node NODE1 is Up, not Paused; there is nothing to resume", func() error { return w.ResumeNodeWith(labCluster, "NODE1", true) })
}

// Evicting a drained node forgets the groups drained from it.
func TestEvictDrainedNode(t *testing.T) {
	w := versionLab(t, "2012 R2", 3)
	g := appGroup(t, w, "App", "NODE3")
	mustDo(t, w.DrainNode(labCluster, "NODE3"))
	mustDo(t, w.EvictNode(labCluster, "NODE3"))
	if g.DrainedFrom != "" {
		t.Errorf("App still drained from %q", g.DrainedFrom)
	}
	if _, err := Load(mustSave(t, w)); err != nil {
		t.Errorf("the world after the eviction does not load: %v", err)
	}
}
