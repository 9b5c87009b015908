// Package simtest builds the big worlds that benchmarks and tests of
// several packages share: the SPEC §11 cluster (64 nodes, 8,000 groups of 4
// resources) and its variants. It drives the engines through their API,
// as a runbook would.
package simtest

import (
	"fmt"
	"testing"

	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/sim"
)

// The SPEC §11 size and the names the builder uses.
const (
	Nodes   = 64
	Groups  = 8000
	Cluster = "EXCLUSTER"
	Domain  = "corp.example.com"
)

const (
	account  = `CORP\clussvc`
	password = "Cl-2004-svc"
	clusIP   = "10.0.0.100"
	mask     = "255.255.0.0"
)

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// NodeName numbers servers NODE1… below ten and NODE01… from ten up, so
// that name order is number order.
func NodeName(i, n int) string {
	if n > 9 {
		return fmt.Sprintf("NODE%02d", i)
	}
	return fmt.Sprintf("NODE%d", i)
}

// BigCluster builds a "2022" cluster of nodes nodes on a /16 public
// network (room for 8,000 addresses) with node and disk majority (the
// witness disk Q:), and groups
// groups, each preferring one node in turn, holding
//
//	IP Address ← Network Name ← {Generic Service, File Share}
//
// all Offline. No Physical Disk: a server gives drive letters D:–Z: to at
// most 23 shared volumes, so 8,000 lettered disks cannot be on any node's
// bus. The Generic Service and File Share stand for the application and
// its data; the tree keeps two levels and two siblings, as an EVS has.
func BigCluster(tb testing.TB, nodes, groups int) *sim.World {
	tb.Helper()
	w := sim.New()
	_, err := w.CreateDomain(Domain, "")
	must(tb, err)
	_, err = w.CreateUser(Domain, "clussvc", password, nil)
	must(tb, err)
	var servers []string
	for i := 1; i <= nodes; i++ {
		name := NodeName(i, nodes)
		_, err := w.InstallServer(name, "enterprise", "2022", []string{"Public", "Private"})
		must(tb, err)
		must(tb, w.ConfigureTCPIP(name, "Public", core.TCPIPSpec{IP: fmt.Sprintf("10.0.0.%d", 10+i), Mask: mask, Gateway: "10.0.0.1"}))
		must(tb, w.ConfigureTCPIP(name, "Private", core.TCPIPSpec{IP: fmt.Sprintf("192.168.1.%d", 10+i), Mask: "255.255.255.0"}))
		must(tb, w.JoinDomain(name, Domain))
		servers = append(servers, name)
	}
	_, err = w.CreateSharedDisk(core.DiskSpec{Label: "Quorum", SizeGB: 0.5, Servers: servers, Kind: "basic", FS: "NTFS", Letter: "Q:"})
	must(tb, err)
	_, err = w.MSCS.CreateCluster(mscs.ClusterSpec{Name: Cluster, Domain: Domain, Node: servers[0], IP: clusIP, Account: account, Mask: mask, Quorum: "Quorum"})
	must(tb, err)
	for _, s := range servers[1:] {
		_, err := w.MSCS.AddNode(Cluster, s, password, true)
		must(tb, err)
	}
	for i := range groups {
		AddGroup(tb, w, i, servers[i%nodes])
	}
	return w
}

// AddGroup adds group number i (G0001…), preferring node, with its four
// resources, Offline.
func AddGroup(tb testing.TB, w *sim.World, i int, node string) {
	tb.Helper()
	g := GroupName(i)
	m := w.MSCS
	_, err := m.NewGroup(Cluster, mscs.GroupSpec{Name: g, PreferredOwners: []string{node}})
	must(tb, err)
	_, err = m.NewResource(Cluster, mscs.ResourceSpec{Group: g, Name: g + " IP", Type: mscs.TypeIPAddress, Params: map[string]string{"address": fmt.Sprintf("10.0.%d.%d", 1+i/250, 1+i%250), "subnet_mask": mask}})
	must(tb, err)
	_, err = m.NewResource(Cluster, mscs.ResourceSpec{Group: g, Name: g + " Name", Type: mscs.TypeNetworkName, Dependencies: []string{g + " IP"}, Params: map[string]string{"name": fmt.Sprintf("VS%04d", i+1)}})
	must(tb, err)
	_, err = m.NewResource(Cluster, mscs.ResourceSpec{Group: g, Name: g + " Service", Type: mscs.TypeGenericService, Dependencies: []string{g + " Name"}, Params: map[string]string{"service": "AppSvc"}})
	must(tb, err)
	_, err = m.NewResource(Cluster, mscs.ResourceSpec{Group: g, Name: g + " Share", Type: mscs.TypeFileShare, Dependencies: []string{g + " Name"}, Params: map[string]string{"path": `C:\data`, "share": fmt.Sprintf("data%04d", i+1)}})
	must(tb, err)
}

// GroupName is the name of group number i: G0001 for 0.
func GroupName(i int) string { return fmt.Sprintf("G%04d", i+1) }

// BringAllOnline brings every group but the Cluster Group online, each on
// its preferred node.
func BringAllOnline(tb testing.TB, w *sim.World) {
	tb.Helper()
	c, err := w.MSCS.Cluster(Cluster)
	must(tb, err)
	for _, g := range c.Groups {
		if g.Name != "Cluster Group" {
			must(tb, w.MSCS.BringOnline(Cluster, g.Name, true))
		}
	}
}

// OnlineCluster is BigCluster with every group online.
func OnlineCluster(tb testing.TB, nodes, groups int) *sim.World {
	tb.Helper()
	w := BigCluster(tb, nodes, groups)
	BringAllOnline(tb, w)
	return w
}
