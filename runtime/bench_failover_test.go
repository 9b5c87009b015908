package runtime

import (
	"fmt"
	"runtime"
	"testing"
)

// bigCluster builds a "2022" cluster of nodes nodes and groups groups of
// four resources each (IP Address → Network Name → Generic Service, and a
// File Share), all online, spread evenly over the nodes by preferred owner.
func bigCluster(tb testing.TB, nodes, groups int) *World {
	tb.Helper()
	w := NewWorld()
	must := func(err error) {
		if err != nil {
			tb.Fatal(err)
		}
	}
	_, err := w.CreateDomain("corp.example.com", "")
	must(err)
	_, err = w.CreateUser("corp.example.com", "clussvc", "pw", nil)
	must(err)
	for i := 1; i <= nodes; i++ {
		name := fmt.Sprintf("N%02d", i)
		_, err := w.InstallServer(name, "datacenter", "2022", []string{"Public", "Private"})
		must(err)
		must(w.ConfigureTCPIP(name, "Public", fmt.Sprintf("10.0.0.%d", i), "255.255.0.0", "", nil, ""))
		must(w.ConfigureTCPIP(name, "Private", fmt.Sprintf("192.168.1.%d", i), "255.255.255.0", "", nil, ""))
		must(w.JoinDomain(name, "corp.example.com"))
	}
	_, err = w.CreateCluster("BIG", "corp.example.com", "N01", "10.0.255.1", `CORP\clussvc`, "255.255.0.0", QuorumMajority)
	must(err)
	for i := 2; i <= nodes; i++ {
		_, err := w.AddNode("BIG", fmt.Sprintf("N%02d", i), "", false)
		must(err)
	}
	for i := 0; i < groups; i++ {
		owner := fmt.Sprintf("N%02d", i%nodes+1)
		g := fmt.Sprintf("G%05d", i)
		_, err := w.NewGroup("BIG", g, "", []string{owner})
		must(err)
		ip := fmt.Sprintf("10.0.%d.%d", 1+i/250, 1+i%250)
		_, err = w.NewResource("BIG", g, g+" IP", TypeIPAddress, "", nil, nil, map[string]string{"address": ip, "subnet_mask": "255.255.0.0"})
		must(err)
		_, err = w.NewResource("BIG", g, g+" Name", TypeNetworkName, "", nil, []string{g + " IP"}, map[string]string{"name": fmt.Sprintf("VS%05d", i)})
		must(err)
		_, err = w.NewResource("BIG", g, g+" Service", TypeGenericService, "", nil, []string{g + " Name"}, map[string]string{"service": "App"})
		must(err)
		_, err = w.NewResource("BIG", g, g+" Share", TypeFileShare, "", nil, []string{g + " Name"}, map[string]string{"path": `C:\data`, "share": "data"})
		must(err)
		must(w.BringOnline("BIG", g, true))
	}
	return w
}

// BenchmarkNodeFailure measures one node failure in a 64-node cluster of
// 8,000 groups and 32,000 resources: detection after the heartbeat
// timeout and the failover of the 125 groups the node owned.
func BenchmarkNodeFailure(b *testing.B) {
	base := bigCluster(b, 64, 8000)
	data, err := base.Save()
	if err != nil {
		b.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	b.Logf("world: %.0f MB of heap, state file %.1f MB", float64(ms.HeapAlloc)/(1<<20), float64(len(data))/(1<<20))
	moved := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		w, err := Load(data)
		if err != nil {
			b.Fatal(err)
		}
		victim := fmt.Sprintf("N%02d", i%64+1)
		moved = len(w.clusters["BIG"].owned[victim])
		b.StartTimer()
		if err := w.FailServer(victim); err != nil {
			b.Fatal(err)
		}
		w.Advance(w.clusters["BIG"].HeartbeatTimeout())
	}
	b.ReportMetric(float64(moved), "groups-moved")
}
