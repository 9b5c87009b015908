// Package simtest builds the large worlds that benchmarks across the project
// measure, through the engines' own API (no Starlark), so that a state-file
// benchmark and a command-line benchmark measure the same world.
package simtest

import (
	"fmt"

	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/sim"
)

// The size SPEC §11 measures: a "2022" cluster of 64 nodes with 8,000
// groups of 4 resources.
const (
	BigNodes  = 64
	BigGroups = 8000
)

// Names in the worlds built here.
const (
	Domain  = "corp.example.com"
	Cluster = "EXCLUSTER"
)

// BigCluster builds the SPEC §11 world, every group online on its
// preferred node; see ClusterOf.
func BigCluster() (*sim.World, error) { return ClusterOf(BigNodes, BigGroups) }

// ClusterOf builds a world of one Windows Server 2022 cluster EXCLUSTER of
// nodes servers NODE01… (NODE1… below ten) on a /16 public network and
// groups groups G0001…, each preferring one node in turn and brought online
// there, holding
//
//	IP Address ← Network Name ← {Generic Service, File Share}
//
// The event log holds everything that happened, as a runbook's would.
func ClusterOf(nodes, groups int) (*sim.World, error) {
	w := sim.New()
	var b builder
	b.do(w.CreateDomain(Domain, ""))
	b.do(w.CreateUser(Domain, "clussvc", "Cl-2004-svc", nil))
	var servers []string
	for i := 1; i <= nodes; i++ {
		name := fmt.Sprintf("NODE%d", i)
		if nodes > 9 {
			name = fmt.Sprintf("NODE%02d", i)
		}
		b.do(w.InstallServer(name, "enterprise", "2022", []string{"Public", "Private"}))
		b.check(w.ConfigureTCPIP(name, "Public", core.TCPIPSpec{IP: fmt.Sprintf("10.0.0.%d", 10+i), Mask: "255.255.0.0", Gateway: "10.0.0.1"}))
		b.check(w.ConfigureTCPIP(name, "Private", core.TCPIPSpec{IP: fmt.Sprintf("192.168.1.%d", 10+i), Mask: "255.255.255.0"}))
		b.check(w.JoinDomain(name, Domain))
		servers = append(servers, name)
	}
	b.do(w.CreateSharedDisk(core.DiskSpec{Label: "Quorum", SizeGB: 0.5, Servers: servers, Kind: "basic", FS: "NTFS", Letter: "Q:"}))
	b.do(w.MSCS.CreateCluster(mscs.ClusterSpec{Name: Cluster, Domain: Domain, Node: servers[0], IP: "10.0.0.100", Account: `CORP\clussvc`, Mask: "255.255.0.0"}))
	for _, s := range servers[1:] {
		b.do(w.MSCS.AddNode(Cluster, s, "Cl-2004-svc", true))
	}
	for i := range groups {
		g := fmt.Sprintf("G%04d", i+1)
		b.do(w.MSCS.NewGroup(Cluster, mscs.GroupSpec{Name: g, PreferredOwners: []string{servers[i%nodes]}}))
		b.do(w.MSCS.NewResource(Cluster, mscs.ResourceSpec{Group: g, Name: g + " IP", Type: mscs.TypeIPAddress, Params: map[string]string{"address": fmt.Sprintf("10.0.%d.%d", 1+i/250, 1+i%250), "subnet_mask": "255.255.0.0"}}))
		b.do(w.MSCS.NewResource(Cluster, mscs.ResourceSpec{Group: g, Name: g + " Name", Type: mscs.TypeNetworkName, Dependencies: []string{g + " IP"}, Params: map[string]string{"name": fmt.Sprintf("VS%04d", i+1)}}))
		b.do(w.MSCS.NewResource(Cluster, mscs.ResourceSpec{Group: g, Name: g + " Service", Type: mscs.TypeGenericService, Dependencies: []string{g + " Name"}, Params: map[string]string{"service": "AppSvc"}}))
		b.do(w.MSCS.NewResource(Cluster, mscs.ResourceSpec{Group: g, Name: g + " Share", Type: mscs.TypeFileShare, Dependencies: []string{g + " Name"}, Params: map[string]string{"path": `C:\data`, "share": fmt.Sprintf("data%04d", i+1)}}))
		b.check(w.MSCS.BringOnline(Cluster, g, true))
	}
	if b.err != nil {
		return nil, b.err
	}
	return w, nil
}

// builder keeps the first error of a build, so that the steps read as a list.
type builder struct{ err error }

func (b *builder) check(err error) {
	if b.err == nil && err != nil {
		b.err = fmt.Errorf("simtest: %w", err)
	}
}

func (b *builder) do(_ any, err error) { b.check(err) }
