package mscs

import (
	"clusterscript/runtime/core"
	"testing"
)

// BenchmarkNodeFailure measures one node failure in the SPEC §11 cluster
// (64 nodes, 8,000 groups, 32,000 resources, all placed and online): the
// crash, detection after the heartbeat timeout, and the failover of the
// 125 groups the node owned. Each iteration fails another node of a fresh
// copy of the world.
func BenchmarkNodeFailure(b *testing.B) { benchmarkNodeFailure(b, benchNodes, benchGroups) }

// BenchmarkNodeFailureSmallCluster fails a node owning as many groups (125)
// in a cluster a quarter of the size: the cost follows the groups moved, so
// it should match BenchmarkNodeFailure.
func BenchmarkNodeFailureSmallCluster(b *testing.B) { benchmarkNodeFailure(b, 16, 2000) }

func benchmarkNodeFailure(b *testing.B, nodes, groups int) {
	base := buildClusterOf(b, nodes, groups)
	bringAllOnline(b, base)
	data, err := base.Save()
	mustDo(b, err)
	b.ReportAllocs()
	moved, i := 0, 0
	for b.Loop() {
		b.StopTimer()
		w, err := Load(data)
		mustDo(b, err)
		c := w.clusters[core.Key(labCluster)]
		victim := c.Nodes[i%len(c.Nodes)].Name
		moved = len(c.owned[core.Key(victim)])
		i++
		b.StartTimer()
		mustDo(b, w.FailServer(victim))
		mustDo(b, w.Advance(c.HeartbeatTimeout()))
	}
	b.ReportMetric(float64(moved), "groups-moved")
}
