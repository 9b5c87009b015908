package mscs

import (
	"fmt"
	goruntime "runtime"
	"testing"
)

// The size SPEC §11 measures: a "2022" cluster of 64 nodes with 8,000
// groups of 4 resources.
const (
	benchNodes  = 64
	benchGroups = 8000
)

// buildBigCluster builds the SPEC §11 cluster: 64 Windows Server 2022 nodes
// on a /16 public network (room for 8,000 addresses) and 8,000 groups, each
// preferring one node in turn, holding
//
//	IP Address ← Network Name ← {Generic Service, File Share}
//
// No Physical Disk: a server gives drive letters D:–Z: to at most 23 shared
// volumes, so 8,000 lettered disks cannot be on any node's bus. The
// Generic Service and File Share stand for the application and its data;
// the tree keeps two levels and two siblings, as an EVS has.
func buildBigCluster(tb testing.TB) *World { return buildClusterOf(tb, benchNodes, benchGroups) }

// buildClusterOf builds such a cluster of any size.
func buildClusterOf(tb testing.TB, nodes, groups int) *World {
	tb.Helper()
	l := newLab(tb, labSpec{nodes: nodes, version: "2022", publicMask: "255.255.0.0"})
	w := l.w
	_, err := w.CreateCluster(ClusterSpec{Name: labCluster, Domain: labDomain, Node: l.servers[0], IP: labIP, Account: labAccount, Mask: "255.255.0.0"})
	mustDo(tb, err)
	for _, s := range l.servers[1:] {
		_, err := w.AddNode(labCluster, s, labPassword, true)
		mustDo(tb, err)
	}
	for i := range groups {
		g := fmt.Sprintf("G%04d", i+1)
		_, err := w.NewGroup(labCluster, GroupSpec{Name: g, PreferredOwners: []string{l.servers[i%nodes]}})
		mustDo(tb, err)
		_, err = w.NewResource(labCluster, ResourceSpec{Group: g, Name: g + " IP", Type: TypeIPAddress, Params: map[string]string{"address": fmt.Sprintf("10.0.%d.%d", 1+i/250, 1+i%250), "subnet_mask": "255.255.0.0"}})
		mustDo(tb, err)
		_, err = w.NewResource(labCluster, ResourceSpec{Group: g, Name: g + " Name", Type: TypeNetworkName, Dependencies: []string{g + " IP"}, Params: map[string]string{"name": fmt.Sprintf("VS%04d", i+1)}})
		mustDo(tb, err)
		_, err = w.NewResource(labCluster, ResourceSpec{Group: g, Name: g + " Service", Type: TypeGenericService, Dependencies: []string{g + " Name"}, Params: map[string]string{"service": "AppSvc"}})
		mustDo(tb, err)
		_, err = w.NewResource(labCluster, ResourceSpec{Group: g, Name: g + " Share", Type: TypeFileShare, Dependencies: []string{g + " Name"}, Params: map[string]string{"path": `C:\data`, "share": fmt.Sprintf("data%04d", i+1)}})
		mustDo(tb, err)
	}
	return w
}

func bringAllOnline(tb testing.TB, w *World) {
	tb.Helper()
	c, err := w.Cluster(labCluster)
	mustDo(tb, err)
	for _, g := range c.Groups {
		if g.Name != "Cluster Group" {
			mustDo(tb, w.BringOnline(labCluster, g.Name, true))
		}
	}
}

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
func reportWorldSize(b *testing.B, w *World) {
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
	var w *World
	for b.Loop() {
		w = buildBigCluster(b)
	}
	b.StopTimer()
	reportWorldSize(b, w)
}

// BenchmarkBringAllOnline brings the 8,000 groups online, each on its
// preferred node.
func BenchmarkBringAllOnline(b *testing.B) {
	b.ReportAllocs()
	var w *World
	for b.Loop() {
		b.StopTimer()
		w = buildBigCluster(b)
		b.StartTimer()
		bringAllOnline(b, w)
	}
	b.StopTimer()
	c, _ := w.Cluster(labCluster)
	if got := len(c.OwnedGroups(c.Nodes[1].Name)); got != benchGroups/benchNodes {
		b.Fatalf("node 2 owns %d groups, want %d", got, benchGroups/benchNodes)
	}
	for _, g := range c.Groups {
		if g.State() != Online {
			b.Fatalf("group %s is %s", g.Name, g.State())
		}
	}
	reportWorldSize(b, w)
}
