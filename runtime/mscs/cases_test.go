package mscs

import (
	"bytes"
	"clusterscript/runtime/core"
	"slices"
	"strings"
	"testing"
)

// ---- A Failed or Offline group on a node that dies ----

// When a node dies, every group it hosted goes to a node that is up (MSDN
// "Failback": the Cluster service fails over any groups hosted by the
// node). A group with nothing to run (Offline) only changes owner, without
// counting a failover; a Failed group whose resources the administrator
// wants online fails over and comes back online there. Neither fails back
// unless its policy allows failback; an Offline group that may fail back
// moves back and stays Offline.
func TestGroupsOfADeadNode(t *testing.T) {
	w, c := smallCluster(t, 3, "")
	off := appGroup(t, w, "Off", "NODE2")
	mustDo(t, w.TakeOffline(labCluster, "Off", true))
	bad := appGroup(t, w, "Bad", "NODE2")
	mustDo(t, w.SetRestartPolicy(labCluster, "Bad Service", RestartPolicy{Restart: false, Threshold: 3, Period: 900}))
	mustDo(t, w.FailResource(labCluster, "Bad Service"))
	back := appGroup(t, w, "Back", "NODE2")
	mustDo(t, w.TakeOffline(labCluster, "Back", true))
	mustDo(t, w.SetFailoverPolicy(labCluster, "Back", FailoverPolicy{Threshold: 10, Period: 6, Failback: FailbackImmediate}))
	if off.State() != Offline || bad.State() != Failed {
		t.Fatalf("before: Off %s, Bad %s", off.State(), bad.State())
	}

	n0 := len(w.Events)
	mustDo(t, w.FailServer("NODE2"))
	w.Settle()
	texts := eventTexts(eventsSince(w, n0))
	for _, want := range []string{
		`group "Off" moves from NODE2 to NODE1 and stays Offline (node NODE2 is Down)`,
		`group "Bad" fails over from NODE2 to NODE1 (node NODE2 is Down)`,
		`resource "Bad Service" is Online on NODE1 (failover)`,
	} {
		if !slices.Contains(texts, want) {
			t.Errorf("no event %q in %q", want, texts)
		}
	}
	if off.Owner != "NODE1" || off.State() != Offline || len(off.Failovers) != 0 {
		t.Errorf("Off: %s on %s, %d failovers; want Offline on NODE1, none counted", off.State(), off.Owner, len(off.Failovers))
	}
	if bad.Owner != "NODE1" || bad.State() != Online || len(bad.Failovers) != 1 {
		t.Errorf("Bad: %s on %s, %d failovers; want Online on NODE1, one counted", bad.State(), bad.Owner, len(bad.Failovers))
	}
	if len(c.OwnedGroups("NODE2")) != 0 {
		t.Errorf("the Down node still owns %v", c.OwnedGroups("NODE2"))
	}

	// NODE2 returns: failback is prevented by default, so Off and Bad stay;
	// Back, which allows failback, moves home and stays Offline.
	n0 = len(w.Events)
	mustDo(t, w.BootServer("NODE2"))
	w.Settle()
	if off.Owner != "NODE1" || bad.Owner != "NODE1" {
		t.Errorf("groups that prevent failback moved: Off on %s, Bad on %s", off.Owner, bad.Owner)
	}
	if back.Owner != "NODE2" || back.State() != Offline {
		t.Errorf("Back is %s on %s; want Offline on NODE2 (failed back)", back.State(), back.Owner)
	}
	if texts := eventTexts(eventsSince(w, n0)); !slices.Contains(texts, `group "Back" fails back from NODE1 to NODE2, its preferred owner (failback immediate)`) {
		t.Errorf("events %q", texts)
	}
}

// A group left Failed because it exhausted its failover threshold does not
// stay on a node that dies: it goes to a node that is up, still Failed,
// without another failover counted.
func TestGroupLeftFailedOnADeadNode(t *testing.T) {
	w, c := smallCluster(t, 3, "")
	g := appGroup(t, w, "App", "NODE2")
	r := g.Resources[0]
	mustDo(t, w.SetFailoverPolicy(labCluster, "App", FailoverPolicy{Threshold: 0, Period: 6, Failback: FailbackPrevent}))
	mustDo(t, w.SetRestartPolicy(labCluster, r.Name, RestartPolicy{Restart: true, Threshold: 0, Period: 900, AffectGroup: true}))
	mustDo(t, w.FailResource(labCluster, r.Name))
	if g.State() != Failed || g.Owner != "NODE2" {
		t.Fatalf("App %s on %s; want left Failed on NODE2", g.State(), g.Owner)
	}
	n0 := len(w.Events)
	mustDo(t, w.FailServer("NODE2"))
	w.Settle()
	texts := eventTexts(eventsSince(w, n0))
	if !anyContains(texts, `group "App" is left Failed: node NODE2 is Down, but it already failed over 0 times in 6 hours (threshold 0)`) ||
		!slices.Contains(texts, `group "App" moves from NODE2 to NODE1 and stays Failed (node NODE2 is Down)`) {
		t.Errorf("events %q", texts)
	}
	if g.Owner != "NODE1" || g.State() != Failed || len(g.Failovers) != 0 || len(c.OwnedGroups("NODE2")) != 0 {
		t.Errorf("App %s on %s with %d failovers; want Failed on NODE1, none counted", g.State(), g.Owner, len(g.Failovers))
	}
}

// An Offline group whose owner dies with no node able to take it stays on
// the Down node, and goes to the first node that comes up.
func TestOfflineGroupWaitsForANode(t *testing.T) {
	w, _ := smallCluster(t, 3, "")
	g := appGroup(t, w, "App", "NODE2")
	mustDo(t, w.TakeOffline(labCluster, "App", true))
	mustDo(t, w.SetPossibleOwners(labCluster, "App Service", []string{"NODE2", "NODE3"}))
	mustDo(t, w.StopClusterService(labCluster, "NODE3"))
	n0 := len(w.Events)
	mustDo(t, w.FailServer("NODE2"))
	w.Settle()
	if texts := eventTexts(eventsSince(w, n0)); !slices.Contains(texts, `group "App" stays on NODE2 (node NODE2 is Down), which is Down, until a node can take it; skipped NODE1 (not a possible owner of "App Service"), NODE3 (Down)`) {
		t.Errorf("events %q", texts)
	}
	if g.Owner != "NODE2" {
		t.Fatalf("App on %s, want NODE2", g.Owner)
	}
	mustDo(t, w.StartClusterService(labCluster, "NODE3"))
	w.Settle()
	if g.Owner != "NODE3" || g.State() != Offline {
		t.Errorf("App %s on %s; want Offline on NODE3", g.State(), g.Owner)
	}
}

// ---- A failover target on which a resource cannot come online ----

// webOnThree is a 3-node cluster with group Web (Web IP on network Public
// ← Web Name ← Web Service, Web Share) Online on NODE1, list NODE1, NODE2,
// NODE3.
func webOnThree(t *testing.T) (*lab, *Group) {
	t.Helper()
	l := newLab(t, labSpec{nodes: 3, dataDisks: 1})
	l.cluster(t, "")
	g := l.webGroup(t, "Web", "10.0.0.150", "WEB", "NODE1", "NODE2", "NODE3")
	mustDo(t, l.w.BringOnline(labCluster, "Web", true))
	return l, g
}

// NODE2 has lost its adapter on network Public but still exchanges
// heartbeats over Private, so it stays Up and eligible (target choice looks
// at node state and possible owners, not at adapters). When Web fails over
// there its IP Address cannot come online: that failure runs through the
// restart policy like any other, and once the restarts are spent the group
// fails over again — the second failover counted — to NODE3.
func TestFailoverTargetWhereAResourceCannotComeOnline(t *testing.T) {
	l, g := webOnThree(t)
	w := l.w
	mustDo(t, w.FailAdapter("NODE2", "Public"))
	w.Settle()
	ip := mustResource(t, w, "Web IP")
	mustDo(t, w.SetRestartPolicy(labCluster, "Web Service", RestartPolicy{Restart: true, Threshold: 0, Period: 900, AffectGroup: true}))
	n0 := len(w.Events)
	mustDo(t, w.FailResource(labCluster, "Web Service"))
	if g.Owner != "NODE2" || ip.State != Failed {
		t.Fatalf("Web on %s with Web IP %s; want NODE2 with Web IP Failed", g.Owner, ip.State)
	}
	w.Settle()
	texts := eventTexts(eventsSince(w, n0))
	for _, want := range []string{
		`group "Web" fails over from NODE1 to NODE2 (resource "Web Service" exceeded its restart threshold)`,
		`resource "Web IP" is Failed (node NODE2 has no working adapter on network Public for "Web IP"; repair or configure one)`,
		`resource "Web IP" will be restarted on NODE2 (restart 3 of 3 within 15m)`,
		`group "Web" fails over from NODE2 to NODE3 (resource "Web IP" exceeded its restart threshold)`,
	} {
		if !slices.Contains(texts, want) {
			t.Errorf("no event %q in\n%s", want, strings.Join(texts, "\n"))
		}
	}
	if g.Owner != "NODE3" || g.State() != Online || len(g.Failovers) != 2 {
		t.Errorf("Web %s on %s after %d failovers; want Online on NODE3 after 2", g.State(), g.Owner, len(g.Failovers))
	}
}

// The same with a failover threshold of 1: the failure on NODE2 would be a
// second failover, so the threshold leaves the group Failed on NODE2.
func TestFailoverTargetFailureCountsAgainstTheThreshold(t *testing.T) {
	l, g := webOnThree(t)
	w := l.w
	mustDo(t, w.FailAdapter("NODE2", "Public"))
	w.Settle()
	mustDo(t, w.SetFailoverPolicy(labCluster, "Web", FailoverPolicy{Threshold: 1, Period: 6, Failback: FailbackPrevent}))
	mustDo(t, w.SetRestartPolicy(labCluster, "Web Service", RestartPolicy{Restart: true, Threshold: 0, Period: 900, AffectGroup: true}))
	n0 := len(w.Events)
	mustDo(t, w.FailResource(labCluster, "Web Service"))
	w.Settle()
	if texts := eventTexts(eventsSince(w, n0)); !slices.Contains(texts, `group "Web" is left Failed: resource "Web IP" exceeded its restart threshold, but it already failed over 1 times in 6 hours (threshold 1)`) {
		t.Errorf("events\n%s", strings.Join(texts, "\n"))
	}
	if g.Owner != "NODE2" || g.State() != Failed || len(g.Failovers) != 1 {
		t.Errorf("Web %s on %s after %d failovers; want left Failed on NODE2 after 1", g.State(), g.Owner, len(g.Failovers))
	}
}

// A disk that has failed comes online nowhere: each target in turn spends
// the restarts, each failover counts, and the threshold leaves the group
// Failed.
func TestFailedDiskExhaustsTheFailoverThreshold(t *testing.T) {
	l := newLab(t, labSpec{nodes: 4, dataDisks: 1})
	w := l.w
	l.cluster(t, "")
	g, err := w.NewGroup(labCluster, GroupSpec{Name: "Files", PreferredOwners: []string{"NODE1"}})
	mustDo(t, err)
	_, err = w.NewResource(labCluster, ResourceSpec{Group: "Files", Name: "Files Disk", Type: TypePhysicalDisk, Params: map[string]string{"disk": "Data1"}})
	mustDo(t, err)
	mustDo(t, w.BringOnline(labCluster, "Files", true))
	mustDo(t, w.SetFailoverPolicy(labCluster, "Files", FailoverPolicy{Threshold: 2, Period: 6, Failback: FailbackPrevent}))
	mustDo(t, w.FailDisk("Data1"))
	w.Settle()
	if g.State() != Failed || g.Owner != "NODE3" || len(g.Failovers) != 2 {
		t.Errorf("Files %s on %s after %d failovers; want left Failed on NODE3 after 2 (NODE1 → NODE2 → NODE3)", g.State(), g.Owner, len(g.Failovers))
	}
}

// ---- Restart counts across a failover ----

// Restart counts belong to the node that ran the resource: after a
// failover they start again, so a resource that spent its restarts on
// NODE1 gets its full allowance on NODE2.
func TestRestartCountsStartAgainAfterAFailover(t *testing.T) {
	w, _ := smallCluster(t, 2, "")
	g := appGroup(t, w, "App", "NODE1")
	r := g.Resources[0]
	mustDo(t, w.SetRestartPolicy(labCluster, r.Name, RestartPolicy{Restart: true, Threshold: 2, Period: 900, AffectGroup: true}))
	for i := 0; i < 2; i++ {
		mustDo(t, w.FailResource(labCluster, r.Name))
		w.Settle()
	}
	if g.Owner != "NODE1" || len(r.Restarts) != 2 {
		t.Fatalf("after two restarts: on %s with %d counted", g.Owner, len(r.Restarts))
	}
	mustDo(t, w.FailResource(labCluster, r.Name))
	w.Settle()
	if g.Owner != "NODE2" || r.State != Online || len(r.Restarts) != 0 {
		t.Fatalf("after the third failure: %s on %s with %d restarts counted; want Online on NODE2 with none", r.State, g.Owner, len(r.Restarts))
	}
	n0 := len(w.Events)
	mustDo(t, w.FailResource(labCluster, r.Name))
	if texts := eventTexts(eventsSince(w, n0)); !slices.Contains(texts, `resource "App Service" will be restarted on NODE2 (restart 1 of 2 within 15m)`) {
		t.Errorf("on the new node the count did not start again: %q", texts)
	}
	w.Settle()
	if g.Owner != "NODE2" || r.State != Online {
		t.Errorf("%s on %s; want restarted Online on NODE2", r.State, g.Owner)
	}
}

// ---- set_params on an Online resource ----

// A parameter changed while the resource runs is stored at once (the
// params attribute shows it) and takes effect the next time the resource
// comes online (ERROR_RESOURCE_PROPERTIES_STORED); until then the resource
// keeps what it runs with, and both values stay held.
func TestSetParamsOnAnOnlineResource(t *testing.T) {
	l, g := webOnThree(t)
	w := l.w
	ip := mustResource(t, w, "Web IP")
	n0 := len(w.Events)
	mustDo(t, w.SetParams(labCluster, "Web IP", map[string]string{"address": "10.0.0.160"}))
	if texts := eventTexts(eventsSince(w, n0)); !slices.Equal(texts, []string{`parameters of "Web IP" stored: address=10.0.0.160; it is Online and keeps address=10.0.0.150 until it next comes online, when they take effect`}) {
		t.Errorf("events %q", texts)
	}
	if ip.State != Online || ip.Params["address"] != "10.0.0.150" || ip.StoredParams()["address"] != "10.0.0.160" {
		t.Fatalf("%s, running %s, stored %s; want Online, 10.0.0.150, 10.0.0.160", ip.State, ip.Params["address"], ip.StoredParams()["address"])
	}
	for _, a := range []string{"10.0.0.150", "10.0.0.160"} {
		if use, _ := w.AddressInUse(a); !strings.Contains(use, `"Web IP"`) {
			t.Errorf("address %s is used by %q, want Web IP", a, use)
		}
	}
	refused(t, w, core.ErrConflict, `address 10.0.0.160 is already used by IP Address resource "Web IP"`, func() error {
		_, err := w.NewResource(labCluster, ResourceSpec{Group: "Web", Name: "Other IP", Type: TypeIPAddress, Params: map[string]string{"address": "10.0.0.160", "subnet_mask": "255.255.255.0"}})
		return err
	})
	mustDo(t, w.World.CheckIndexes())

	// Stored values survive a state file.
	w2, err := Load(mustSave(t, w))
	mustDo(t, err)
	if r := mustResource(t, w2, "Web IP"); r.PendingParams["address"] != "10.0.0.160" {
		t.Errorf("after a reload the stored parameters are %v", r.PendingParams)
	}
	mustDo(t, w2.World.CheckIndexes())

	// A move takes the group offline and brings it online: the change
	// takes effect, and the old address is free.
	mustDo(t, w.MoveGroup(labCluster, "Web", "NODE2"))
	if ip.State != Online || ip.Params["address"] != "10.0.0.160" || ip.PendingParams != nil {
		t.Errorf("after the move: %s with %v (stored %v)", ip.State, ip.Params, ip.PendingParams)
	}
	if _, used := w.AddressInUse("10.0.0.150"); used {
		t.Error("the old address is still held")
	}
	mustDo(t, w.World.CheckIndexes())
	_ = g
}

// A second change while the resource still runs replaces the first: the
// first stored value is released.
func TestSetParamsOnlineTwice(t *testing.T) {
	l, _ := webOnThree(t)
	w := l.w
	mustDo(t, w.SetParams(labCluster, "Web Name", map[string]string{"name": "WEB2"}))
	mustDo(t, w.SetParams(labCluster, "Web Name", map[string]string{"name": "WEB3"}))
	if owner := w.computerNameOwner("WEB2", nil); owner != "" {
		t.Errorf("WEB2 is still held by %s", owner)
	}
	for _, n := range []string{"WEB", "WEB3"} {
		if owner := w.computerNameOwner(n, nil); !strings.Contains(owner, `"Web Name"`) {
			t.Errorf("%s is held by %q", n, owner)
		}
	}
	// Back to what it runs with: nothing waits any more.
	n0 := len(w.Events)
	mustDo(t, w.SetParams(labCluster, "Web Name", map[string]string{"name": "WEB"}))
	if r := mustResource(t, w, "Web Name"); r.PendingParams != nil {
		t.Errorf("stored %v after returning to the running values", r.PendingParams)
	}
	if texts := eventTexts(eventsSince(w, n0)); !slices.Equal(texts, []string{`parameters of "Web Name" stored: name=WEB; it is Online and already runs with them`}) {
		t.Errorf("events %q", texts)
	}
	mustDo(t, w.World.CheckIndexes())
}

// The cluster's own address follows its Cluster IP Address resource when
// the stored address takes effect, not before; the quorum resource keeps
// its disk.
func TestSetParamsOnlineCoreResources(t *testing.T) {
	l := newLab(t, labSpec{nodes: 2, dataDisks: 1})
	w := l.w
	c := l.cluster(t, "")
	mustDo(t, w.SetParams(labCluster, "Cluster IP Address", map[string]string{"address": "10.0.0.99"}))
	if c.IP != labIP {
		t.Errorf("the cluster address is %s while the old one still runs", c.IP)
	}
	mustDo(t, w.TakeOffline(labCluster, "Cluster IP Address", false))
	if c.IP != "10.0.0.99" {
		t.Errorf("the cluster address is %s after the stored one took effect", c.IP)
	}
	refused(t, w, core.ErrState, `resource "Disk Q:" is the quorum resource of cluster EXCLUSTER and keeps its quorum log on disk Quorum; its disk cannot change`, func() error {
		return w.SetParams(labCluster, "Disk Q:", map[string]string{"disk": "Data1"})
	})
}

// A Physical Disk given another disk while Online holds both; the stored
// disk cannot be formatted under it, and its failure does not fail a
// resource that does not use it yet.
func TestSetParamsOnlineDisk(t *testing.T) {
	l := newLab(t, labSpec{nodes: 2, dataDisks: 2})
	w := l.w
	l.cluster(t, "")
	_, err := w.NewGroup(labCluster, GroupSpec{Name: "Files"})
	mustDo(t, err)
	_, err = w.NewResource(labCluster, ResourceSpec{Group: "Files", Name: "Files Disk", Type: TypePhysicalDisk, Params: map[string]string{"disk": "Data1"}})
	mustDo(t, err)
	mustDo(t, w.BringOnline(labCluster, "Files", true))
	mustDo(t, w.SetParams(labCluster, "Files Disk", map[string]string{"disk": "Data2"}))
	refused(t, w, core.ErrState, `disk Data2 belongs to cluster resource "Files Disk"`, func() error { return w.FormatDisk("Data2", "U:", "NTFS") })
	r := mustResource(t, w, "Files Disk")
	mustDo(t, w.FailDisk("Data2"))
	if r.State != Online {
		t.Errorf("the stored disk failed and the resource running on Data1 is %s", r.State)
	}
	mustDo(t, w.FailDisk("Data1"))
	w.Settle()
	// Data1 failed under it: it stops, Data2 becomes its disk — and Data2
	// has failed too, so it cannot come back.
	if r.Params["disk"] != "Data2" || r.State != Failed {
		t.Errorf("after Data1 failed: %s on %s", r.State, r.Params["disk"])
	}
	mustDo(t, w.World.CheckIndexes())
}

// A rolled-back set_params on a running resource leaves no trace.
func TestSetParamsOnlineRollsBack(t *testing.T) {
	l, _ := webOnThree(t)
	w := l.w
	before := mustSave(t, w)
	mark := w.Begin()
	mustDo(t, w.SetParams(labCluster, "Web IP", map[string]string{"address": "10.0.0.160"}))
	mustDo(t, w.SetParams(labCluster, "Web Name", map[string]string{"name": "WEB2"}))
	w.Rollback(mark)
	if after := mustSave(t, w); !bytes.Equal(before, after) {
		t.Fatalf("the rollback left traces: %s", firstDifference(before, after))
	}
	mustDo(t, w.World.CheckIndexes())
}

// When quorum returns, an Offline group whose node is still Down goes to a
// node of the new membership, like every other group.
func TestOfflineGroupOfADownNodeAfterQuorumReturns(t *testing.T) {
	l := guardLab(t)
	w := l.w
	g := mustGroup(t, w, "Spare")
	mustDo(t, w.SetPreferredOwners(labCluster, "Spare", []string{"NODE3"}))
	mustDo(t, w.MoveGroup(labCluster, "Spare", "NODE3"))
	mustDo(t, w.FailServer("NODE2"))
	mustDo(t, w.FailServer("NODE3"))
	w.Settle()
	if g.Owner != "NODE3" {
		t.Fatalf("without quorum Spare moved to %s", g.Owner)
	}
	mustDo(t, w.BootServer("NODE2"))
	w.Settle()
	if g.Owner != "NODE1" || g.State() != Offline {
		t.Errorf("Spare %s on %s; want Offline on NODE1, the first node of its list that is up", g.State(), g.Owner)
	}
}
