package mscs

import (
	"bytes"
	"clusterscript/runtime/core"
	"slices"
	"strings"
	"testing"
)

// operateLab is a cluster of n nodes with the group "Web": Web IP ←
// Web Name ← {Web Service, Web Share}, Offline on NODE1.
func operateLab(t *testing.T, nodes int, preferred ...string) (*lab, *Cluster, *Group) {
	t.Helper()
	l := newLab(t, labSpec{nodes: nodes, dataDisks: 1})
	c := l.cluster(t, "")
	g := l.webGroup(t, "Web", "10.0.0.150", "WEB", preferred...)
	return l, c, g
}

func TestOnlineOfflineDependencyOrder(t *testing.T) {
	l, _, g := operateLab(t, 2)
	w := l.w
	_, err := w.NewResource(labCluster, ResourceSpec{Group: "Web", Name: "Web Disk", Type: TypePhysicalDisk, Params: map[string]string{"disk": "Data1"}})
	mustDo(t, err)

	// A resource brings up what it depends on, first, and nothing else.
	n0 := len(w.Events)
	mustDo(t, w.BringOnline(labCluster, "Web Service", false))
	want := []string{"Web IP=Online", "Web Name=Online", "Web Service=Online", "Web=" + PartialOnline}
	if got := stateChanges(eventsSince(w, n0)); !slices.Equal(got, want) {
		t.Errorf("bring_online(Web Service): %v, want %v", got, want)
	}
	if e := w.Events[n0]; e.Text != `resource "Web IP" is Online on NODE1` || e.Subject != "Web IP" {
		t.Errorf("event %+v", e)
	}
	// The group brings the rest, siblings in name order.
	n0 = len(w.Events)
	mustDo(t, w.BringOnline(labCluster, "Web", true))
	want = []string{"Web Disk=Online", "Web Share=Online", "Web=Online"}
	if got := stateChanges(eventsSince(w, n0)); !slices.Equal(got, want) {
		t.Errorf("bring_online(Web): %v, want %v", got, want)
	}
	// Offline takes dependents down first, deepest first.
	n0 = len(w.Events)
	mustDo(t, w.TakeOffline(labCluster, "Web IP", false))
	want = []string{"Web Service=Offline", "Web Share=Offline", "Web Name=Offline", "Web IP=Offline", "Web=" + PartialOnline}
	if got := stateChanges(eventsSince(w, n0)); !slices.Equal(got, want) {
		t.Errorf("take_offline(Web IP): %v, want %v", got, want)
	}
	n0 = len(w.Events)
	mustDo(t, w.TakeOffline(labCluster, "Web", true))
	if got := stateChanges(eventsSince(w, n0)); !slices.Equal(got, []string{"Web Disk=Offline", "Web=Offline"}) {
		t.Errorf("take_offline(Web): %v", got)
	}
	// Asking for what already is changes nothing and logs nothing.
	n0 = len(w.Events)
	mustDo(t, w.TakeOffline(labCluster, "Web", true))
	if len(w.Events) != n0 {
		t.Errorf("an Offline group taken offline logged %v", eventsSince(w, n0))
	}
	if g.State() != Offline {
		t.Errorf("group %s", g.State())
	}
}

func TestGroupStateIsDerived(t *testing.T) {
	tests := []struct {
		states []string
		want   string
	}{
		{nil, Offline},
		{[]string{Online, Online}, Online},
		{[]string{Offline, Offline}, Offline},
		{[]string{Online, Offline}, PartialOnline},
		{[]string{Online, Failed}, Failed},
		{[]string{Offline, Failed}, Failed},
		{[]string{OnlinePending, Online}, Pending},
		{[]string{OfflinePending, Offline}, Pending},
		{[]string{OnlinePending, Failed}, Failed},
	}
	for _, tt := range tests {
		g := &Group{}
		for _, s := range tt.states {
			g.Resources = append(g.Resources, &Resource{State: s})
		}
		if got := g.State(); got != tt.want {
			t.Errorf("resources %v: group %s, want %s", tt.states, got, tt.want)
		}
	}
}

func TestOnlineRefusals(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(t *testing.T, w *World)
		op     func(w *World) error
		kind   error
		substr string
	}{
		{"unknown group", nil, func(w *World) error { return w.BringOnline(labCluster, "Wbe", true) }, core.ErrNotFound, `did you mean "Web"?`},
		{"unknown resource", nil, func(w *World) error { return w.BringOnline(labCluster, "Web Nam", false) }, core.ErrNotFound, `did you mean "Web Name"?`},
		{"empty group", func(t *testing.T, w *World) {
			_, err := w.NewGroup(labCluster, GroupSpec{Name: "Empty"})
			mustDo(t, err)
		}, func(w *World) error { return w.BringOnline(labCluster, "Empty", true) }, core.ErrState, `group "Empty" is empty; add resources to it first`},
		{"owner not a possible owner", func(t *testing.T, w *World) {
			mustDo(t, w.SetPossibleOwners(labCluster, "Web Share", []string{"NODE2"}))
		}, func(w *World) error { return w.BringOnline(labCluster, "Web", true) }, core.ErrPrereq, `node NODE1 is not a possible owner of "Web Share" (possible owners: NODE2)`},
		{"a dependency cannot run there", func(t *testing.T, w *World) {
			mustDo(t, w.SetPossibleOwners(labCluster, "Web IP", []string{"NODE2"}))
		}, func(w *World) error { return w.BringOnline(labCluster, "Web Service", false) }, core.ErrPrereq, `not a possible owner of "Web IP"`},
		{"owner paused", func(t *testing.T, w *World) {
			mustDo(t, w.PauseNode(labCluster, "NODE1"))
		}, func(w *World) error { return w.BringOnline(labCluster, "Web", true) }, core.ErrState, `node NODE1 is Paused and cannot bring resources online; resume it or move group "Web"`},
		{"owner down", func(t *testing.T, w *World) {
			mustDo(t, w.SetPossibleOwners(labCluster, "Web IP", []string{"NODE1"}))
			mustDo(t, w.StopClusterService(labCluster, "NODE1"))
		}, func(w *World) error { return w.BringOnline(labCluster, "Web", true) }, core.ErrState, "node NODE1 is Down"},
		{"failed disk", func(t *testing.T, w *World) {
			_, err := w.NewResource(labCluster, ResourceSpec{Group: "Web", Name: "Web Disk", Type: TypePhysicalDisk, Params: map[string]string{"disk": "Data1"}})
			mustDo(t, err)
			mustDo(t, w.FailDisk("Data1"))
		}, func(w *World) error { return w.BringOnline(labCluster, "Web", true) }, core.ErrState, `disk Data1 of "Web Disk" has failed; repair it first`},
		{"quorum offline", nil, func(w *World) error { return w.TakeOffline(labCluster, "Disk Q:", false) }, core.ErrState, "quorum resource"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _, _ := operateLab(t, 2)
			if tt.setup != nil {
				tt.setup(t, l.w)
			}
			refused(t, l.w, tt.kind, tt.substr, func() error { return tt.op(l.w) })
		})
	}
}

func TestMoveGroupRestoresState(t *testing.T) {
	l, c, g := operateLab(t, 2)
	w := l.w
	// Online: comes back online on the target.
	mustDo(t, w.BringOnline(labCluster, "Web", true))
	n0 := len(w.Events)
	mustDo(t, w.MoveGroup(labCluster, "Web", "node2"))
	if g.Owner != "NODE2" || g.State() != Online {
		t.Fatalf("after the move: %s on %s", g.State(), g.Owner)
	}
	evs := eventsSince(w, n0)
	if !strings.Contains(evs[0].Text, `moving group "Web" from NODE1 to NODE2 (manual move)`) {
		t.Errorf("first event %q", evs[0].Text)
	}
	want := []string{"Web Service=Offline", "Web Share=Offline", "Web Name=Offline", "Web IP=Offline", "Web=Offline",
		"Web IP=Online", "Web Name=Online", "Web Service=Online", "Web Share=Online", "Web=Online"}
	if got := stateChanges(evs); !slices.Equal(got, want) {
		t.Errorf("move: %v, want %v", got, want)
	}
	if !slices.Contains(c.OwnedGroups("NODE2"), g) || slices.Contains(c.OwnedGroups("NODE1"), g) {
		t.Error("the node → groups index does not follow the move")
	}
	if len(g.Failovers) != 0 {
		t.Errorf("a manual move counted as a failover: %v", g.Failovers)
	}
	// Partially Online: what the administrator took offline stays offline.
	mustDo(t, w.TakeOffline(labCluster, "Web Share", false))
	mustDo(t, w.MoveGroup(labCluster, "Web", "NODE1"))
	if g.State() != PartialOnline || mustResource(t, w, "Web Share").State != Offline || mustResource(t, w, "Web Service").State != Online {
		t.Errorf("after moving a partially online group: %s", g.State())
	}
	// Offline stays Offline.
	mustDo(t, w.TakeOffline(labCluster, "Web", true))
	n0 = len(w.Events)
	mustDo(t, w.MoveGroup(labCluster, "Web", "NODE2"))
	if g.Owner != "NODE2" || g.State() != Offline || len(stateChanges(eventsSince(w, n0))) != 0 {
		t.Errorf("an Offline group: %s on %s, events %v", g.State(), g.Owner, eventsSince(w, n0))
	}
	// A Failed resource that should run is restored too.
	mustDo(t, w.BringOnline(labCluster, "Web", true))
	mustDo(t, w.SetRestartPolicy(labCluster, "Web Share", RestartPolicy{Threshold: 3, Period: 900}))
	mustDo(t, w.FailResource(labCluster, "Web Share"))
	mustDo(t, w.MoveGroup(labCluster, "Web", ""))
	if g.Owner != "NODE1" || g.State() != Online {
		t.Errorf("a group with a Failed resource after the move: %s on %s", g.State(), g.Owner)
	}
}

func TestMoveGroupWithoutTarget(t *testing.T) {
	tests := []struct {
		name      string
		preferred []string
		owner     string
		setup     func(t *testing.T, w *World)
		want      string
	}{
		{"preferred owners first", []string{"NODE3", "NODE4"}, "NODE3", nil, "NODE4"},
		{"the first of the list other than the owner", []string{"NODE3", "NODE4"}, "NODE4", nil, "NODE3"},
		{"others by name after the preferred", []string{"NODE3"}, "NODE3", nil, "NODE1"},
		{"no preferred owners: by name", nil, "NODE1", nil, "NODE2"},
		{"no preferred owners, from the middle", nil, "NODE2", nil, "NODE1"},
		{"a Paused node is skipped", []string{"NODE3", "NODE4"}, "NODE3", func(t *testing.T, w *World) {
			mustDo(t, w.PauseNode(labCluster, "NODE4"))
		}, "NODE1"},
		{"a Down node is skipped", nil, "NODE1", func(t *testing.T, w *World) {
			mustDo(t, w.StopClusterService(labCluster, "NODE2"))
		}, "NODE3"},
		{"a node that is not a possible owner is skipped", nil, "NODE1", func(t *testing.T, w *World) {
			mustDo(t, w.SetPossibleOwners(labCluster, "Web Share", []string{"NODE1", "NODE4"}))
		}, "NODE4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _, g := operateLab(t, 4, tt.preferred...)
			w := l.w
			mustDo(t, w.BringOnline(labCluster, "Web", true))
			if g.Owner != tt.owner {
				mustDo(t, w.MoveGroup(labCluster, "Web", tt.owner))
			}
			if tt.setup != nil {
				tt.setup(t, w)
			}
			n0 := len(w.Events)
			mustDo(t, w.MoveGroup(labCluster, "Web", ""))
			if g.Owner != tt.want || g.State() != Online {
				t.Errorf("moved to %s (%s), want %s", g.Owner, g.State(), tt.want)
			}
			// Skipped nodes are explained.
			if tt.setup != nil && !strings.Contains(w.Events[n0].Text, "skipped") {
				t.Errorf("event %q does not say which nodes were skipped", w.Events[n0].Text)
			}
		})
	}
}

func TestMoveGroupRefusals(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(t *testing.T, w *World)
		target string
		kind   error
		substr string
	}{
		{"to its owner", nil, "NODE1", core.ErrState, `group "Web" is already on NODE1`},
		{"to an unknown node", nil, "NODE9", core.ErrNotFound, `no node of cluster EXCLUSTER named "NODE9"`},
		{"to a Paused node", func(t *testing.T, w *World) { mustDo(t, w.PauseNode(labCluster, "NODE2")) }, "NODE2", core.ErrState, `group "Web" cannot move to NODE2: the node is Paused`},
		{"to a Down node", func(t *testing.T, w *World) { mustDo(t, w.StopClusterService(labCluster, "NODE2")) }, "NODE2", core.ErrState, "the node is Down"},
		{"to a Joining node", func(t *testing.T, w *World) {
			mustDo(t, w.StopClusterService(labCluster, "NODE2"))
			mustDo(t, w.StartClusterService(labCluster, "NODE2"))
		}, "NODE2", core.ErrState, "the node is Joining"},
		{"to a node that is not a possible owner", func(t *testing.T, w *World) {
			mustDo(t, w.SetPossibleOwners(labCluster, "Web Service", []string{"NODE1", "NODE3"}))
		}, "NODE2", core.ErrState, `not a possible owner of "Web Service"`},
		{"nowhere to go", func(t *testing.T, w *World) {
			mustDo(t, w.PauseNode(labCluster, "NODE2"))
			mustDo(t, w.StopClusterService(labCluster, "NODE3"))
		}, "", core.ErrState, `group "Web" has no other node to move to; skipped NODE2 (Paused), NODE3 (Down)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _, _ := operateLab(t, 3)
			mustDo(t, l.w.BringOnline(labCluster, "Web", true))
			if tt.setup != nil {
				tt.setup(t, l.w)
			}
			refused(t, l.w, tt.kind, tt.substr, func() error { return l.w.MoveGroup(labCluster, "Web", tt.target) })
		})
	}
}

// A node whose server crashed is still Up until the heartbeat timeout;
// a move to it must be refused with a sentence that says why.
func TestMoveGroupToUnresponsiveNode(t *testing.T) {
	l, _, _ := operateLab(t, 2)
	w := l.w
	mustDo(t, w.BringOnline(labCluster, "Web", true))
	mustDo(t, w.FailServer("NODE2"))
	refused(t, w, core.ErrState, `group "Web" cannot move to NODE2: node NODE2 does not respond`, func() error { return w.MoveGroup(labCluster, "Web", "NODE2") })
}

// A move must check that what it restores can run on the target: here the
// target's adapter on the group's network has failed.
func TestMoveGroupChecksTheTarget(t *testing.T) {
	l, _, g := operateLab(t, 2)
	w := l.w
	mustDo(t, w.BringOnline(labCluster, "Web", true))
	mustDo(t, w.FailAdapter("NODE2", "Public"))
	refused(t, w, core.ErrState, `node NODE2 has no working adapter on network Public for "Web IP"`, func() error {
		return w.MoveGroup(labCluster, "Web", "NODE2")
	})
	if g.Owner != "NODE1" {
		t.Errorf("Web moved to %s", g.Owner)
	}
}

// A move restores what should run: a resource that went Offline only
// because its dependency failed comes back with it, as after a failover or
// a graceful stop.
func TestMoveGroupRestoresDependentsOfAFailure(t *testing.T) {
	l, _, g := operateLab(t, 2)
	w := l.w
	mustDo(t, w.BringOnline(labCluster, "Web", true))
	mustDo(t, w.SetRestartPolicy(labCluster, "Web Name", RestartPolicy{Threshold: 3, Period: 900}))
	mustDo(t, w.FailResource(labCluster, "Web Name"))
	mustDo(t, w.MoveGroup(labCluster, "Web", "NODE2"))
	if g.State() != Online {
		for _, r := range g.Resources {
			t.Logf("%s: %s", r.Name, r.State)
		}
		t.Errorf("after the move the group is %s, want Online", g.State())
	}
}

func TestPauseAndResume(t *testing.T) {
	l, c, g := operateLab(t, 3)
	w := l.w
	mustDo(t, w.BringOnline(labCluster, "Web", true))
	n0 := len(w.Events)
	mustDo(t, w.PauseNode(labCluster, "NODE1"))
	n := mustNode(t, w, "NODE1")
	if n.State != NodePaused || g.Owner != "NODE1" || g.State() != Online {
		t.Errorf("after pausing: node %s, group %s on %s; a paused node keeps its groups", n.State, g.State(), g.Owner)
	}
	if got := stateChanges(eventsSince(w, n0)); !slices.Equal(got, []string{"NODE1=Paused"}) {
		t.Errorf("events %v", got)
	}
	if !c.HasQuorum() {
		t.Error("pausing the quorum owner lost quorum")
	}
	// Its groups can go offline, but not online again.
	mustDo(t, w.TakeOffline(labCluster, "Web Share", false))
	refused(t, w, core.ErrState, "node NODE1 is Paused", func() error { return w.BringOnline(labCluster, "Web Share", false) })
	// Never a target.
	mustDo(t, w.MoveGroup(labCluster, "Web", "NODE2"))
	refused(t, w, core.ErrState, "the node is Paused", func() error { return w.MoveGroup(labCluster, "Web", "NODE1") })
	mustDo(t, w.MoveGroup(labCluster, "Web", ""))
	if g.Owner != "NODE3" {
		t.Errorf("a move without a target went to %s, want NODE3 (NODE1 is Paused)", g.Owner)
	}
	_, err := w.NewGroup(labCluster, GroupSpec{Name: "New", PreferredOwners: []string{"NODE1"}})
	mustDo(t, err)
	if ng := mustGroup(t, w, "New"); ng.Owner == "NODE1" {
		t.Error("a new group was given to the Paused node")
	}

	refused(t, w, core.ErrState, "node NODE1 is already Paused", func() error { return w.PauseNode(labCluster, "NODE1") })
	refused(t, w, core.ErrState, "node NODE2 is Up, not Paused; there is nothing to resume", func() error { return w.ResumeNode(labCluster, "NODE2") })
	mustDo(t, w.ResumeNode(labCluster, "NODE1"))
	if n.State != NodeUp || n.Paused {
		t.Errorf("resumed node %s (paused flag %v)", n.State, n.Paused)
	}
	mustDo(t, w.StopClusterService(labCluster, "NODE2"))
	refused(t, w, core.ErrState, "node NODE2 is Down; only an Up node can be paused", func() error { return w.PauseNode(labCluster, "NODE2") })
	refused(t, w, core.ErrNotFound, `did you mean "NODE3"?`, func() error { return w.PauseNode(labCluster, "NODE33") })
}

func TestStopAndStartClusterService(t *testing.T) {
	l, c, g := operateLab(t, 3, "NODE1", "NODE3")
	w := l.w
	mustDo(t, w.BringOnline(labCluster, "Web", true))
	cg := c.Groups[0]
	start := w.Now()
	n0 := len(w.Events)
	mustDo(t, w.StopClusterService(labCluster, "NODE1"))
	if w.Now() != start {
		t.Errorf("the clock moved %dms: a graceful stop moves groups at once", w.Now()-start)
	}
	if cg.Owner != "NODE2" || cg.State() != Online {
		t.Errorf("Cluster Group %s on %s, want Online on NODE2 (first of its list after NODE1)", cg.State(), cg.Owner)
	}
	if g.Owner != "NODE3" || g.State() != Online {
		t.Errorf("Web %s on %s, want Online on NODE3 (its next preferred owner)", g.State(), g.Owner)
	}
	if n := mustNode(t, w, "NODE1"); n.State != NodeDown {
		t.Errorf("NODE1 is %s", n.State)
	}
	got := stateChanges(eventsSince(w, n0))
	if got[len(got)-1] != "NODE1=Down" {
		t.Errorf("the node goes Down after its groups moved: %v", got)
	}
	if i := slices.Index(got, "Cluster Group=Online"); i < 0 || i > slices.Index(got, "Web=Online") {
		t.Errorf("the Cluster Group moves first: %v", got)
	}
	if len(cg.Failovers)+len(g.Failovers) != 0 {
		t.Error("a graceful stop counted as failovers")
	}
	if !c.HasQuorum() {
		t.Error("no quorum after a graceful stop")
	}

	refused(t, w, core.ErrState, "the Cluster service on NODE1 is already stopped", func() error { return w.StopClusterService(labCluster, "NODE1") })
	refused(t, w, core.ErrState, "the Cluster service on NODE2 is already running (node is Up)", func() error { return w.StartClusterService(labCluster, "NODE2") })

	mustDo(t, w.StartClusterService(labCluster, "NODE1"))
	if n := mustNode(t, w, "NODE1"); n.State != NodeJoining {
		t.Fatalf("NODE1 is %s right after the start, want Joining", n.State)
	}
	refused(t, w, core.ErrState, "the node is Joining", func() error { return w.MoveGroup(labCluster, "Web", "NODE1") })
	if d := w.Settle(); d != JoinTime {
		t.Errorf("settle took %dms, want the join time %dms", d, JoinTime)
	}
	if n := mustNode(t, w, "NODE1"); n.State != NodeUp {
		t.Errorf("NODE1 is %s after the join", n.State)
	}
	// Failback is off by default: the groups stay.
	if g.Owner != "NODE3" || cg.Owner != "NODE2" {
		t.Errorf("groups moved back without failback: Web on %s, Cluster Group on %s", g.Owner, cg.Owner)
	}

	mustDo(t, w.StopClusterService(labCluster, "NODE3"))
	mustDo(t, w.FailServer("NODE3"))
	refused(t, w, core.ErrState, "server NODE3 is not running; boot it first", func() error { return w.StartClusterService(labCluster, "NODE3") })
}

// A group no other node can run stays Offline on the stopped node, and the
// log says why.
func TestStopClusterServiceWithNowhereToGo(t *testing.T) {
	l, _, g := operateLab(t, 2)
	w := l.w
	mustDo(t, w.SetPossibleOwners(labCluster, "Web Service", []string{"NODE1"}))
	mustDo(t, w.BringOnline(labCluster, "Web", true))
	n0 := len(w.Events)
	mustDo(t, w.StopClusterService(labCluster, "NODE1"))
	if g.Owner != "NODE1" || g.State() != Offline {
		t.Errorf("Web %s on %s, want Offline on NODE1", g.State(), g.Owner)
	}
	warned := false
	for _, e := range eventsSince(w, n0) {
		warned = warned || e.Kind == core.KindWarning && strings.Contains(e.Text, `group "Web" has no node to move to`)
	}
	if !warned {
		t.Error("no warning about the group left behind")
	}
	refused(t, w, core.ErrState, `group "Web" is on node NODE1, which is not running the Cluster service`, func() error {
		return w.TakeOffline(labCluster, "Web", true)
	})
}

func TestFailResource(t *testing.T) {
	l, _, g := operateLab(t, 2)
	w := l.w
	mustDo(t, w.BringOnline(labCluster, "Web", true))
	n0 := len(w.Events)
	mustDo(t, w.FailResource(labCluster, "Web Name"))
	name := mustResource(t, w, "Web Name")
	if name.State != Failed || g.State() != Failed {
		t.Errorf("Web Name %s, group %s; want both Failed", name.State, g.State())
	}
	if s := mustResource(t, w, "Web Service").State; s != Offline {
		t.Errorf("a dependent of the failed resource is %s, want Offline", s)
	}
	want := []string{"Web Service=Offline", "Web Share=Offline", "Web Name=Failed", "Web=Failed"}
	if got := stateChanges(eventsSince(w, n0)); !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
	// The default restart policy restarts it, with its dependents, on the same node.
	w.Settle()
	if g.State() != Online || g.Owner != "NODE1" || len(name.Restarts) != 1 {
		t.Errorf("after the restart: %s on %s, %d restarts", g.State(), g.Owner, len(name.Restarts))
	}
	// Without restart it stays Failed.
	mustDo(t, w.SetRestartPolicy(labCluster, "Web Name", RestartPolicy{Threshold: 3, Period: 900, AffectGroup: true}))
	mustDo(t, w.FailResource(labCluster, "Web Name"))
	w.Settle()
	if name.State != Failed || g.Owner != "NODE1" {
		t.Errorf("with restart=False: %s on %s", name.State, g.Owner)
	}
	refused(t, w, core.ErrState, `resource "Web Name" is Failed; only an Online resource can be made to fail`, func() error {
		return w.FailResource(labCluster, "Web Name")
	})
	refused(t, w, core.ErrNotFound, `did you mean "Web Name"?`, func() error { return w.FailResource(labCluster, "Web Nme") })
}

func TestPolicies(t *testing.T) {
	l, _, g := operateLab(t, 2, "NODE1")
	w := l.w
	r := mustResource(t, w, "Web Service")
	mustDo(t, w.SetRestartPolicy(labCluster, "Web Service", RestartPolicy{Restart: true, Threshold: 5, Period: 60}))
	if !r.Restart || r.RestartThreshold != 5 || r.RestartPeriod != 60 || r.AffectGroup {
		t.Errorf("restart policy %v %d %d %v", r.Restart, r.RestartThreshold, r.RestartPeriod, r.AffectGroup)
	}
	mustDo(t, w.SetFailoverPolicy(labCluster, "Web", FailoverPolicy{Threshold: 3, Period: 2, Failback: FailbackWindow, Window: []int{22, 2}}))
	if g.FailoverThreshold != 3 || g.FailoverPeriod != 2 || g.Failback != FailbackWindow || g.WindowStart != 22 || g.WindowEnd != 2 {
		t.Errorf("failover policy %d %d %s %d–%d", g.FailoverThreshold, g.FailoverPeriod, g.Failback, g.WindowStart, g.WindowEnd)
	}
	mustDo(t, w.SetFailoverPolicy(labCluster, "Web", FailoverPolicy{Period: 1193, Failback: FailbackImmediate}))
	if g.WindowStart != -1 || g.WindowEnd != -1 || g.Failback != FailbackImmediate || g.FailoverPeriod != 1193 {
		t.Errorf("failover policy %d %s %d–%d", g.FailoverPeriod, g.Failback, g.WindowStart, g.WindowEnd)
	}

	tests := []struct {
		name   string
		op     func() error
		substr string
	}{
		{"negative failover threshold", func() error {
			return w.SetFailoverPolicy(labCluster, "Web", FailoverPolicy{Threshold: -1, Period: 6, Failback: FailbackPrevent})
		}, "failover threshold -1 is out of range"},
		{"failover period 0", func() error {
			return w.SetFailoverPolicy(labCluster, "Web", FailoverPolicy{Threshold: 10, Failback: FailbackPrevent})
		}, "failover period 0 is out of range; it is 1 to 1193 hours"},
		{"failover period 1194", func() error {
			return w.SetFailoverPolicy(labCluster, "Web", FailoverPolicy{Threshold: 10, Period: 1194, Failback: FailbackPrevent})
		}, "1 to 1193 hours"},
		{"unknown failback", func() error {
			return w.SetFailoverPolicy(labCluster, "Web", FailoverPolicy{Threshold: 10, Period: 6, Failback: "imediate"})
		}, `unknown failback policy "imediate" (did you mean "immediate"?)`},
		{"window without failback=window", func() error {
			return w.SetFailoverPolicy(labCluster, "Web", FailoverPolicy{Threshold: 10, Period: 6, Failback: FailbackImmediate, Window: []int{1, 2}})
		}, `window= applies only with failback="window"`},
		{"failback=window without a window", func() error {
			return w.SetFailoverPolicy(labCluster, "Web", FailoverPolicy{Threshold: 10, Period: 6, Failback: FailbackWindow})
		}, "needs window=(start_hour, end_hour)"},
		{"window hour 24", func() error {
			return w.SetFailoverPolicy(labCluster, "Web", FailoverPolicy{Threshold: 10, Period: 6, Failback: FailbackWindow, Window: []int{22, 24}})
		}, "failback window hour 24 is outside 0–23"},
		{"window of three", func() error {
			return w.SetFailoverPolicy(labCluster, "Web", FailoverPolicy{Threshold: 10, Period: 6, Failback: FailbackWindow, Window: []int{1, 2, 3}})
		}, "got 3 values"},
		{"empty window", func() error {
			return w.SetFailoverPolicy(labCluster, "Web", FailoverPolicy{Threshold: 10, Period: 6, Failback: FailbackWindow, Window: []int{5, 5}})
		}, "failback window 05:00–05:00 is empty"},
		{"negative restart threshold", func() error {
			return w.SetRestartPolicy(labCluster, "Web Service", RestartPolicy{Restart: true, Threshold: -2, Period: 900, AffectGroup: true})
		}, "restart threshold -2 is out of range"},
		{"restart period 0", func() error {
			return w.SetRestartPolicy(labCluster, "Web Service", RestartPolicy{Restart: true, Threshold: 3, AffectGroup: true})
		}, "restart period 0 is out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { refused(t, w, core.ErrInvalid, tt.substr, tt.op) })
	}
	refused(t, w, core.ErrNotFound, `did you mean "Web"?`, func() error {
		return w.SetFailoverPolicy(labCluster, "Wbe", FailoverPolicy{Threshold: 10, Period: 6, Failback: FailbackPrevent})
	})
}

// buildFullWorld makes a world with a bit of everything: a four-node
// cluster with MSDTC, two Exchange virtual servers, a web group, policies,
// a paused node, a stopped node, a failed resource waiting for its restart
// and a failback window pending.
func buildFullWorld(t *testing.T) *World {
	t.Helper()
	l, _ := exchangeLab(t, 4, 3)
	w := l.w
	g1 := l.evs(t, 1, "NODE1", "NODE4")
	g2 := l.evs(t, 2, "NODE2")
	_, err := w.NewResource(labCluster, ResourceSpec{Group: g1.Name, Name: "Exchange IMAP4 Virtual Server Instance (EVS1)", Type: TypeIMAP4, Dependencies: []string{"EVS1 System Attendant"}})
	mustDo(t, err)
	mustDo(t, w.BringOnline(labCluster, g1.Name, true))
	mustDo(t, w.BringOnline(labCluster, g2.Name, true))
	l.webGroup(t, "Web", "10.0.0.150", "WEB", "NODE3")
	mustDo(t, w.SetPossibleOwners(labCluster, "Web Share", []string{"NODE3", "NODE4"}))
	mustDo(t, w.BringOnline(labCluster, "Web", true))
	mustDo(t, w.SetFailoverPolicy(labCluster, g1.Name, FailoverPolicy{Threshold: 3, Period: 4, Failback: FailbackWindow, Window: []int{22, 6}}))
	mustDo(t, w.SetRestartPolicy(labCluster, "Web Service", RestartPolicy{Restart: true, Threshold: 2, Period: 600}))
	mustDo(t, w.MoveGroup(labCluster, g1.Name, "NODE4"))
	mustDo(t, w.PauseNode(labCluster, "NODE2"))
	mustDo(t, w.FailResource(labCluster, "Web Service")) // restart pending
	mustDo(t, w.TakeOffline(labCluster, "Exchange HTTP Virtual Server Instance (EVS2)", false))
	_, err = w.NewGroup(labCluster, GroupSpec{Name: "Empty", Description: "nothing yet", PreferredOwners: []string{"NODE4", "NODE3"}})
	mustDo(t, err)
	return w
}

func TestClusterStateRoundTrip(t *testing.T) {
	w := buildFullWorld(t)
	if len(w.PendingTimers()) == 0 {
		t.Fatal("the world has no pending timer to carry")
	}
	a := mustSave(t, w)
	w2, err := Load(a)
	mustDo(t, err)
	b := mustSave(t, w2)
	if !bytes.Equal(a, b) {
		t.Fatalf("Save → Load → Save differs: %s", firstDifference(a, b))
	}
	for _, s := range []string{`"quorum_model":"disk"`, `"evs":2`, `"paused":true`, `"failback":"window"`, `"window_start":22`,
		`"restart_threshold":2`, `"possible_owners":["NODE3","NODE4"]`, `"exchange":"cluster-aware"`, `"kind":"cluster.restart"`} {
		if !bytes.Contains(a, []byte(s)) {
			t.Errorf("the state file lacks %s", s)
		}
	}

	// The reloaded world behaves as the original: the same calls give the
	// same log and the same state, including what its indexes decide.
	ops := []func(w *World) error{
		func(w *World) error { w.Settle(); return nil },
		func(w *World) error { return w.MoveGroup(labCluster, "EVS2 Group", "") },
		func(w *World) error { return w.MoveGroup(labCluster, "Web", "NODE4") },
		func(w *World) error { return w.ResumeNode(labCluster, "NODE2") },
		func(w *World) error { return w.StopClusterService(labCluster, "NODE4") },
		func(w *World) error { return w.Advance(12 * core.Hour) },
		func(w *World) error { return w.EvictNode(labCluster, "NODE2") },
		func(w *World) error {
			_, err := w.NewResource(labCluster, ResourceSpec{Group: "Empty", Name: "IP3", Type: TypeIPAddress, Params: map[string]string{"address": "10.0.0.150", "subnet_mask": "255.255.255.0"}})
			return err
		},
		func(w *World) error {
			_, err := w.NewResource(labCluster, ResourceSpec{Group: "Empty", Name: "IP3", Type: TypeIPAddress, Params: map[string]string{"address": "10.0.0.160", "subnet_mask": "255.255.255.0"}})
			return err
		},
		func(w *World) error {
			_, err := w.NewResource(labCluster, ResourceSpec{Group: "Empty", Name: "Name3", Type: TypeNetworkName, Dependencies: []string{"IP3"}, Params: map[string]string{"name": "evs2"}})
			return err
		},
		func(w *World) error {
			_, err := w.NewResource(labCluster, ResourceSpec{Group: "Empty", Name: "Disk3", Type: TypePhysicalDisk, Params: map[string]string{"disk": "data1"}})
			return err
		},
		func(w *World) error {
			_, err := w.NewResource(labCluster, ResourceSpec{Group: "Empty", Name: "Name3", Type: TypeNetworkName, Dependencies: []string{"IP3"}, Params: map[string]string{"name": "EVS4"}})
			return err
		},
		func(w *World) error {
			return w.DeleteResource(labCluster, "Exchange IMAP4 Virtual Server Instance (EVS1)")
		},
	}
	for i, op := range ops {
		e1, e2 := op(w), op(w2)
		if (e1 == nil) != (e2 == nil) || e1 != nil && e1.Error() != e2.Error() {
			t.Fatalf("op %d: original %v, reloaded %v", i, e1, e2)
		}
		if a, b := mustSave(t, w), mustSave(t, w2); !bytes.Equal(a, b) {
			t.Fatalf("op %d: the worlds diverge: %s", i, firstDifference(a, b))
		}
	}
	// And the moves happened.
	if g := mustGroup(t, w2, "Web"); g.Owner == "" {
		t.Error("Web has no owner")
	}
}
