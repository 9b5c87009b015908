package mscs

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"clusterscript/runtime/core"
)

// The engine violations the property test found (docs/reliability-testing.md),
// each with the sequence that showed it.

// A cluster without quorum takes nothing offline: the wish that a resource
// be online lives in the cluster database, which only a running cluster
// changes. Before the fix, take_offline of the Cluster Group while the
// quorum disk had failed marked the quorum resource as wanted offline, and
// the cluster formed again with it Offline.
func TestTakeOfflineWithoutQuorumIsRefused(t *testing.T) {
	l := newLab(t, labSpec{nodes: 2})
	c := l.cluster(t, "")
	w := l.w
	mustDo(t, w.FailDisk(l.quorum))
	want := `cannot take "Cluster Group" offline: cluster EXCLUSTER has no quorum (its quorum disk Quorum (Q:) has failed), and without quorum its configuration cannot change; repair the quorum disk with repair_disk("Quorum")`
	refused(t, w, core.ErrState, want, func() error { return w.TakeOffline(labCluster, "Cluster Group", true) })
	refused(t, w, core.ErrState, `cannot take "Cluster IP Address" offline: cluster EXCLUSTER has no quorum`, func() error { return w.TakeOffline(labCluster, "Cluster IP Address", false) })

	mustDo(t, w.RepairDisk(l.quorum))
	w.Settle()
	if !c.running() {
		t.Fatal("the cluster did not form again after the quorum disk was repaired")
	}
	for _, name := range []string{"Disk Q:", "Cluster IP Address", "Cluster Name"} {
		if r := mustResource(t, w, name); r.State != Online {
			t.Errorf("%q is %s after the cluster formed again, want Online", name, r.State)
		}
	}
	if p := w.ClusterInvariants(c); len(p) != 0 {
		t.Fatalf("invariants: %q", p)
	}
	// On the running cluster the quorum resource still cannot go offline.
	refused(t, w, core.ErrState, `"Disk Q:" is the quorum resource of cluster EXCLUSTER and must stay online while the cluster runs`, func() error { return w.TakeOffline(labCluster, "Cluster Group", true) })
}

// On a cluster of three or more nodes a node runs at most one Exchange
// virtual server, and "runs" has one meaning for bring_online, target
// choice and the invariants: an Exchange resource of the group is up. The
// disk, address or name of a second virtual server may come online alone on
// a node that runs the first; its System Attendant may not. Before the fix
// the invariant counted any resource, the gate only Exchange ones.
func TestSecondVirtualServerOnOneNode(t *testing.T) {
	l, c := exchangeLab(t, 3, 2)
	w := l.w
	l.evs(t, 1, "NODE1")
	l.evs(t, 2, "NODE1")
	mustDo(t, w.BringOnline(labCluster, "EVS1 Group", true))
	for _, name := range []string{"EVS2 Disk", "EVS2 Network Name"} {
		mustDo(t, w.BringOnline(labCluster, name, false))
		if r := mustResource(t, w, name); r.State != Online {
			t.Fatalf("%q is %s, want Online", name, r.State)
		}
		if p := w.ClusterInvariants(c); len(p) != 0 {
			t.Fatalf("invariants with %q online beside EVS1: %q", name, p)
		}
	}
	if g := mustGroup(t, w, "EVS2 Group"); g.runsVirtualServer() {
		t.Error("EVS2 Group counts as running a virtual server with only its disk, address and name online")
	}
	want := `node NODE1 already hosts Exchange virtual server "EVS1 Group"; on a cluster of 3 nodes each node runs at most one (the System Attendant fails with error 5018) — move the group to a passive node`
	for _, name := range []string{"EVS2 System Attendant", "Exchange Information Store Instance (EVS2)"} {
		refused(t, w, core.ErrState, want, func() error { return w.BringOnline(labCluster, name, false) })
	}
	refused(t, w, core.ErrState, want, func() error { return w.BringOnline(labCluster, "EVS2 Group", true) })

	// Moved to a passive node, the whole virtual server runs.
	mustDo(t, w.MoveGroup(labCluster, "EVS2 Group", "NODE2"))
	w.Settle()
	if g := mustGroup(t, w, "EVS2 Group"); g.Owner != "NODE2" {
		t.Fatalf("EVS2 Group is on %s, want NODE2", g.Owner)
	}
	mustDo(t, w.BringOnline(labCluster, "EVS2 Group", true))
	if p := w.ClusterInvariants(c); len(p) != 0 {
		t.Fatalf("invariants: %q", p)
	}
}

// The System Attendant depends on every Physical Disk of its group (SPEC
// §6, KB 821833). A disk added to a virtual server's group needs the System
// Attendant offline, and the System Attendant then depends on it. Before
// the fix new_resource took the disk whatever the SA's state and left the
// SA without the dependency.
func TestDiskAddedToAVirtualServer(t *testing.T) {
	l, c := exchangeLab(t, 2, 2)
	w := l.w
	l.evs(t, 1)
	mustDo(t, w.BringOnline(labCluster, "EVS1 Group", true))
	spec := ResourceSpec{Group: "EVS1 Group", Name: "EVS1 Logs", Type: TypePhysicalDisk, Params: map[string]string{"disk": l.data[1]}}
	want := `cannot add Physical Disk "EVS1 Logs" to Exchange virtual server group "EVS1 Group": its System Attendant "EVS1 System Attendant" must depend on every Physical Disk of its group, and it is Online; take "EVS1 System Attendant" offline first, then add the disk (the System Attendant then depends on it)`
	refused(t, w, core.ErrState, want, func() error { _, err := w.NewResource(labCluster, spec); return err })

	mustDo(t, w.TakeOffline(labCluster, "EVS1 System Attendant", false))
	_, err := w.NewResource(labCluster, spec)
	mustDo(t, err)
	sa := mustResource(t, w, "EVS1 System Attendant")
	if !slices.Equal(sa.Dependencies, []string{"EVS1 Network Name", "EVS1 Disk", "EVS1 Logs"}) {
		t.Errorf("the System Attendant depends on %q, want the new disk too", sa.Dependencies)
	}
	mustDo(t, w.BringOnline(labCluster, "EVS1 Group", true))
	if p := w.ClusterInvariants(c); len(p) != 0 {
		t.Fatalf("invariants: %q", p)
	}
	if r := mustResource(t, w, "EVS1 Logs"); r.State != Online {
		t.Errorf("the new disk is %s after the group came online, want Online", r.State)
	}
}

// The Message Transfer Agent goes with its virtual server (SPEC §6): it
// cannot be deleted while its System Attendant exists, and deleting the
// System Attendant deletes it too. Before the fix the MTA of the only
// virtual server could be deleted once its group was offline, leaving a
// virtual server and no MTA.
func TestMTAGoesWithItsVirtualServer(t *testing.T) {
	l, c := exchangeLab(t, 2, 1)
	w := l.w
	l.evs(t, 1)
	mta := fmt.Sprintf(mtaName, "EVS1")
	mustDo(t, w.TakeOffline(labCluster, "EVS1 Group", true))
	want := `resource "Exchange Message Transfer Agent Instance (EVS1)" is the Message Transfer Agent of Exchange virtual server group "EVS1 Group" and goes with it; it cannot be deleted while System Attendant "EVS1 System Attendant" exists (delete the System Attendant's other dependents, then the System Attendant: the Message Transfer Agent is deleted with it)`
	refused(t, w, core.ErrState, want, func() error { return w.DeleteResource(labCluster, mta) })
	if p := w.ClusterInvariants(c); len(p) != 0 {
		t.Fatalf("invariants after the refusal: %q", p)
	}

	// The System Attendant with only its MTA left depending on it: both go.
	refused(t, w, core.ErrState, `resource "EVS1 System Attendant" is needed by`, func() error { return w.DeleteResource(labCluster, "EVS1 System Attendant") })
	n := len(w.Events)
	removeEVS(t, w, 1)
	var deleted []string
	for _, e := range eventsSince(w, n) {
		if strings.Contains(e.Text, "deleted from group") {
			deleted = append(deleted, e.Text)
		}
	}
	if len(deleted) < 2 || deleted[len(deleted)-2] != `resource "Exchange Message Transfer Agent Instance (EVS1)" deleted from group "EVS1 Group" with System Attendant "EVS1 System Attendant"` || deleted[len(deleted)-1] != `resource "EVS1 System Attendant" deleted from group "EVS1 Group"` {
		t.Errorf("deletions %q: the MTA must go with its System Attendant, and say so", deleted)
	}
	if _, err := c.Resource(mta); err == nil {
		t.Error("the MTA outlived its System Attendant")
	}
	if p := w.ClusterInvariants(c); len(p) != 0 {
		t.Fatalf("invariants: %q", p)
	}
}
