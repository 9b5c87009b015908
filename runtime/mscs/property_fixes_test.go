package mscs

import (
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
