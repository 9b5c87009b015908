package mscs

import (
	"testing"

	"clusterscript/runtime/core"
)

// MSDTC stays while a node of the cluster has cluster-aware Exchange
// (SPEC §13): deleting it is refused, whatever its state, and allowed again
// once no Exchange node is left in the cluster.
func TestDeleteDTCWhileExchangeNeedsIt(t *testing.T) {
	l, c := exchangeLab(t, 2, 0)
	w := l.w
	mustDo(t, w.TakeOffline(labCluster, "MSDTC", false))
	want := `resource "MSDTC" is the Distributed Transaction Coordinator of cluster EXCLUSTER, which cluster-aware Exchange on NODE1, NODE2 needs; it cannot be deleted while a node of the cluster has cluster-aware Exchange (evict those nodes first)`
	refused(t, w, core.ErrState, want, func() error { return w.DeleteResource(labCluster, "MSDTC") })
	if p := w.ClusterInvariants(c); len(p) != 0 {
		t.Fatalf("invariants after the refusal: %q", p)
	}

	// Failed, with only one Exchange node left: still refused.
	mustDo(t, w.EvictNode(labCluster, "NODE2"))
	mustDo(t, w.BringOnline(labCluster, "MSDTC", false))
	mustDo(t, w.SetRestartPolicy(labCluster, "MSDTC", RestartPolicy{Threshold: 0, Period: 900}))
	mustDo(t, w.FailResource(labCluster, "MSDTC"))
	refused(t, w, core.ErrState, "which cluster-aware Exchange on NODE1 needs", func() error { return w.DeleteResource(labCluster, "MSDTC") })
}

// Without cluster-aware Exchange in the cluster, MSDTC can go.
func TestDeleteDTCWithoutExchange(t *testing.T) {
	l := newLab(t, labSpec{nodes: 2})
	c := l.cluster(t, "")
	w := l.w
	_, err := w.NewResource(labCluster, ResourceSpec{Group: "Cluster Group", Name: "MSDTC", Type: TypeDTC, Dependencies: []string{"Cluster Name", "Disk Q:"}})
	mustDo(t, err)
	mustDo(t, w.DeleteResource(labCluster, "MSDTC"))
	if p := w.ClusterInvariants(c); len(p) != 0 {
		t.Fatalf("invariants: %q", p)
	}
}
