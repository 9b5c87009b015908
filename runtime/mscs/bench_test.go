package mscs_test

import (
	goruntime "runtime"
	"testing"

	"clusterscript/runtime/mscs"
	"clusterscript/runtime/sim"
	"clusterscript/runtime/sim/simtest"
)

// The SPEC §11 cluster (simtest.BigCluster): a "2022" cluster of 64 nodes
// with 8,000 groups of 4 resources.

// heapMB is the live heap after a full collection, in MB.
func heapMB() float64 {
	goruntime.GC()
	var m goruntime.MemStats
	goruntime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / 1e6
}

// reportWorldSize reports the live heap with the world built (heap-MB,
// measured with runtime.ReadMemStats after a collection) and how much of it
// the world accounts for (world-MB).
func reportWorldSize(b *testing.B, w *sim.World) {
	with := heapMB()
	_ = w.Events // w stays live until here
	w = nil
	b.ReportMetric(with, "heap-MB")
	b.ReportMetric(with-heapMB(), "world-MB")
}

// BenchmarkBuildBigCluster builds the whole cluster: servers, nodes,
// groups and resources, all Offline.
func BenchmarkBuildBigCluster(b *testing.B) {
	b.ReportAllocs()
	var w *sim.World
	for b.Loop() {
		w = simtest.BigCluster(b, simtest.Nodes, simtest.Groups)
	}
	b.StopTimer()
	reportWorldSize(b, w)
}

// BenchmarkBringAllOnline brings the 8,000 groups online, each on its
// preferred node.
func BenchmarkBringAllOnline(b *testing.B) {
	b.ReportAllocs()
	var w *sim.World
	for b.Loop() {
		b.StopTimer()
		w = simtest.BigCluster(b, simtest.Nodes, simtest.Groups)
		b.StartTimer()
		simtest.BringAllOnline(b, w)
	}
	b.StopTimer()
	c, _ := w.MSCS.Cluster(simtest.Cluster)
	if got := len(c.OwnedGroups(c.Nodes[1].Name)); got != simtest.Groups/simtest.Nodes {
		b.Fatalf("node 2 owns %d groups, want %d", got, simtest.Groups/simtest.Nodes)
	}
	for _, g := range c.Groups {
		if g.State() != mscs.Online {
			b.Fatalf("group %s is %s", g.Name, g.State())
		}
	}
	reportWorldSize(b, w)
}

// BenchmarkNodeFailure measures one node failure in the SPEC §11 cluster
// (64 nodes, 8,000 groups, 32,000 resources, all placed and online): the
// crash, detection after the heartbeat timeout, and the failover of the
// 125 groups the node owned. Each iteration fails another node of a fresh
// copy of the world.
func BenchmarkNodeFailure(b *testing.B) { benchmarkNodeFailure(b, simtest.Nodes, simtest.Groups) }

// BenchmarkNodeFailureSmallCluster fails a node owning as many groups (125)
// in a cluster a quarter of the size: the cost follows the groups moved, so
// it should match BenchmarkNodeFailure.
func BenchmarkNodeFailureSmallCluster(b *testing.B) { benchmarkNodeFailure(b, 16, 2000) }

func benchmarkNodeFailure(b *testing.B, nodes, groups int) {
	base := simtest.OnlineCluster(b, nodes, groups)
	b.ReportAllocs()
	moved, i := 0, 0
	for b.Loop() {
		b.StopTimer()
		w := base.Clone()
		c, err := w.MSCS.Cluster(simtest.Cluster)
		if err != nil {
			b.Fatal(err)
		}
		victim := c.Nodes[i%len(c.Nodes)].Name
		moved = len(c.OwnedGroups(victim))
		i++
		goruntime.GC() // the copy's making is not the failure's cost
		b.StartTimer()
		if err := w.FailServer(victim); err != nil {
			b.Fatal(err)
		}
		if err := w.Advance(c.HeartbeatTimeout()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(moved), "groups-moved")
}

// BenchmarkClusterInvariants checks the SPEC §11 cluster (64 nodes, 8,000
// groups, 32,000 resources, all Online): what check_invariants costs there.
func BenchmarkClusterInvariants(b *testing.B) {
	w := simtest.OnlineCluster(b, simtest.Nodes, simtest.Groups)
	c, err := w.MSCS.Cluster(simtest.Cluster)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if got := w.MSCS.ClusterInvariants(c); got != nil {
			b.Fatalf("the benchmark cluster breaks %q", got[0])
		}
	}
}
