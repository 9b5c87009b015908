package mscs

import (
	"clusterscript/runtime/core"
	"slices"
	"strings"
	"testing"
)

// eventTexts lists the texts of evs.
func eventTexts(evs []core.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Text
	}
	return out
}

func anyContains(texts []string, substr string) bool {
	return slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, substr) })
}

// A resource whose server crashed before the cluster noticed is not
// restarted there: its resource monitor died with the server. It stays
// Failed until the node is declared Down, then its group fails over as
// usual. (Before: "Online on NODE2 (restarted, 1 of 2)" on a dead node.)
func TestNothingRestartsOnADeadServer(t *testing.T) {
	w, c := smallCluster(t, 3, "")
	g := appGroup(t, w, "App", "NODE2")
	r := g.Resources[0]
	mustDo(t, w.SetRestartPolicy(labCluster, r.Name, RestartPolicy{Restart: true, Threshold: 2, Period: 900, AffectGroup: true}))
	mustDo(t, w.FailResource(labCluster, r.Name))
	mustDo(t, w.FailServer("NODE2"))
	n0 := len(w.Events)
	mustDo(t, w.Advance(2*core.Second))
	if r.State != Failed || g.Owner != "NODE2" || len(r.Restarts) != 0 {
		t.Fatalf("2 s after the crash: %s on %s with %d restarts counted; want Failed on NODE2, none counted", r.State, g.Owner, len(r.Restarts))
	}
	texts := eventTexts(eventsSince(w, n0))
	if !anyContains(texts, `resource "App Service" is not restarted: node NODE2 does not respond (its server has stopped, and the cluster declares the node Down only after the 6s heartbeat timeout), and its resource monitor died with the server; it stays Failed until NODE2 is declared Down and group "App" fails over`) {
		t.Errorf("no event says why the restart did not happen: %q", texts)
	}
	if anyContains(texts, "restarted") && !anyContains(texts, "not restarted") {
		t.Errorf("a restart happened on a dead server: %q", texts)
	}
	mustDo(t, w.Advance(4*core.Second))
	if c.nodes["NODE2"].State != NodeDown || g.Owner == "NODE2" || r.State != Online {
		t.Fatalf("after detection: NODE2 %s, group on %s, resource %s; want Down, elsewhere, Online", c.nodes["NODE2"].State, g.Owner, r.State)
	}
	if len(g.Failovers) != 1 {
		t.Errorf("%d failovers counted, want 1", len(g.Failovers))
	}
}

// A resource that fails while its server is down but not yet declared Down
// (its disk fails under it) is not even scheduled for a restart.
func TestNoRestartIsScheduledOnADeadServer(t *testing.T) {
	w, _ := smallCluster(t, 2, "")
	g := appGroup(t, w, "App", "NODE2")
	_, err := w.NewResource(labCluster, ResourceSpec{Group: "App", Name: "App Disk", Type: TypePhysicalDisk, Params: map[string]string{"disk": "Data1"}})
	mustDo(t, err)
	mustDo(t, w.BringOnline(labCluster, "App", true))
	mustDo(t, w.FailServer("NODE2"))
	mustDo(t, w.FailDisk("Data1"))
	if r := mustResource(t, w, "App Disk"); r.State != Failed || g.Owner != "NODE2" {
		t.Fatalf("%s on %s, want Failed on NODE2", r.State, g.Owner)
	}
	for _, tm := range w.PendingTimers() {
		if tm.Kind == timerRestart {
			t.Errorf("a restart is scheduled on a dead server: %+v", tm)
		}
	}
}

// Requests sent to a node that crashed unnoticed fail and change nothing:
// moving a group to or off it, bringing online, taking offline or failing
// what it owns, stopping its Cluster service.
func TestRequestsToASilentNodeAreRefused(t *testing.T) {
	const silent = "node NODE2 does not respond (its server has stopped, and the cluster declares the node Down only after the 6s heartbeat timeout)"
	tests := []struct {
		name   string
		op     func(w *World) error
		substr string
	}{
		{"move_group to it", func(w *World) error { return w.MoveGroup(labCluster, "Web", "NODE2") },
			`group "Web" cannot move to NODE2: ` + silent + "; move it to another node, or wait until the cluster declares NODE2 Down"},
		{"move_group to the first eligible node, which is it", func(w *World) error { return w.MoveGroup(labCluster, "Web", "") },
			`group "Web" cannot move to NODE2 (the first eligible node of its list): ` + silent},
		{"move_group off it", func(w *World) error { return w.MoveGroup(labCluster, "App", "NODE1") },
			`cannot move group "App": group "App" is owned by NODE2, and ` + silent + `; wait until the cluster declares NODE2 Down and fails the group over`},
		{"bring_online on it", func(w *World) error { return w.BringOnline(labCluster, "Spare", true) },
			silent + `; "Spare Service" cannot come online there — wait until the cluster declares NODE2 Down and group "Spare" fails over`},
		{"take_offline on it", func(w *World) error { return w.TakeOffline(labCluster, "App Service", false) },
			`cannot take "App Service" offline: group "App" is owned by NODE2, and ` + silent},
		{"fail_resource on it", func(w *World) error { return w.FailResource(labCluster, "App Service") },
			`cannot initiate a failure of "App Service": group "App" is owned by NODE2, and ` + silent},
		{"stop_cluster_service on it", func(w *World) error { return w.StopClusterService(labCluster, "NODE2") },
			"cannot stop the Cluster service on NODE2: " + silent + "; the cluster declares it Down by itself"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, _ := smallCluster(t, 3, "")
			appGroup(t, w, "Web", "NODE1", "NODE2")
			appGroup(t, w, "App", "NODE2")
			_, err := w.NewGroup(labCluster, GroupSpec{Name: "Spare", PreferredOwners: []string{"NODE2"}})
			mustDo(t, err)
			_, err = w.NewResource(labCluster, ResourceSpec{Group: "Spare", Name: "Spare Service", Type: TypeGenericService, Params: map[string]string{"service": "spare"}})
			mustDo(t, err)
			mustDo(t, w.FailServer("NODE2"))
			refused(t, w, core.ErrState, tt.substr, func() error { return tt.op(w) })
		})
	}
}

// Automatic target choice skips nodes only for what the cluster knows: a
// crashed node not yet declared Down is still Up to it. A failover that
// picks it hands the group over; nothing comes online there, nothing
// restarts, and once the node is declared Down the group fails over again,
// to the next node.
func TestFailoverOntoASilentNode(t *testing.T) {
	w, c := smallCluster(t, 3, "")
	g := appGroup(t, w, "App", "NODE1", "NODE2", "NODE3")
	r := g.Resources[0]
	mustDo(t, w.SetRestartPolicy(labCluster, r.Name, RestartPolicy{Restart: true, Threshold: 0, Period: 900, AffectGroup: true}))
	mustDo(t, w.FailServer("NODE2"))
	n0 := len(w.Events)
	mustDo(t, w.FailResource(labCluster, r.Name))
	texts := eventTexts(eventsSince(w, n0))
	if !slices.Contains(texts, `group "App" fails over from NODE1 to NODE2 (resource "App Service" exceeded its restart threshold)`) {
		t.Errorf("the failover skipped the silent node or went elsewhere: %q", texts)
	}
	if g.Owner != "NODE2" || r.State != Failed {
		t.Fatalf("after the failover: %s on %s; want Failed on NODE2", r.State, g.Owner)
	}
	if !anyContains(texts, `resource "App Service" is Failed (node NODE2 does not respond`) || !anyContains(texts, `resource "App Service" is not restarted`) {
		t.Errorf("the events do not say why nothing runs on NODE2: %q", texts)
	}
	w.Settle()
	if c.nodes["NODE2"].State != NodeDown || g.Owner != "NODE3" || r.State != Online {
		t.Fatalf("after detection: NODE2 %s, %s on %s; want Down, Online on NODE3", c.nodes["NODE2"].State, r.State, g.Owner)
	}
	if len(g.Failovers) != 2 {
		t.Errorf("%d failovers counted, want 2 (onto NODE2, then off it)", len(g.Failovers))
	}
}
