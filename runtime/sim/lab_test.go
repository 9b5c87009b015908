package sim

import (
	"fmt"
	"testing"

	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/nlb"
)

// txLab builds the world the transaction and copy tests start from: a four-node Windows 2003 cluster with a
// quorum disk, MSDTC, Exchange on three nodes, a web group and an Exchange
// virtual server; two spare servers; three NLB hosts on a unicast farm with
// OWA's port rules; a raw dynamic disk.
func txLab(t testing.TB) *World {
	w := New()
	do := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("building the lab: %v", err)
		}
	}
	do2 := func(_ any, err error) { t.Helper(); do(err) }
	do2(w.CreateDomain("corp.example.com", ""))
	do2(w.CreateUser("corp.example.com", "clussvc", "pw", []string{core.GroupDomainAdmins}))
	do2(w.CreateUser("corp.example.com", "exadmin", "pw", []string{core.GroupDomainAdmins, core.GroupExchangeAdmins}))
	var nodes []string
	for i, n := range []string{"NODE1", "NODE2", "NODE3", "NODE4", "SPARE1", "SPARE2"} {
		do2(w.InstallServer(n, "enterprise", "2003", []string{"Public", "Private"}))
		do(w.ConfigureTCPIP(n, "Public", core.TCPIPSpec{IP: fmt.Sprintf("10.0.0.%d", 11+i), Mask: "255.255.255.0", Gateway: "10.0.0.1"}))
		do(w.ConfigureTCPIP(n, "Private", core.TCPIPSpec{IP: fmt.Sprintf("192.168.1.%d", 11+i), Mask: "255.255.255.0"}))
		do(w.JoinDomain(n, "CORP"))
		nodes = append(nodes, n)
	}
	for i, d := range []string{"Quorum", "Data1", "Data2", "Data3"} {
		do2(w.CreateSharedDisk(core.DiskSpec{Label: d, SizeGB: 10, Servers: nodes, Kind: "basic", FS: "NTFS", Letter: string(rune('Q'+i)) + ":"}))
	}
	do2(w.CreateSharedDisk(core.DiskSpec{Label: "Scratch", SizeGB: 10, Servers: nodes[:2], Kind: "dynamic", FS: "raw"}))
	m := w.MSCS
	do2(m.CreateCluster(mscs.ClusterSpec{Name: "EXCLUSTER", Domain: "corp.example.com", Node: "NODE1", IP: "10.0.0.100", Account: `CORP\clussvc`, Mask: "255.255.255.0", Quorum: "Quorum"}))
	for _, n := range nodes[1:4] {
		do2(m.AddNode("EXCLUSTER", n, "pw", true))
	}
	do2(m.NewResource("EXCLUSTER", mscs.ResourceSpec{Group: "Cluster Group", Name: "MSDTC", Type: mscs.TypeDTC, Dependencies: []string{"Cluster Name", "Disk Q:"}}))
	do(m.BringOnline("EXCLUSTER", "MSDTC", false))
	for _, n := range nodes[:3] {
		for _, c := range core.Components {
			do(w.InstallComponent(n, c))
		}
		do(m.InstallExchange(mscs.ExchangeSpec{Server: n, Account: `CORP\exadmin`, Edition: "enterprise", Components: mscs.ExchangeComponents, Drive: "C:"}))
	}
	do2(m.NewGroup("EXCLUSTER", mscs.GroupSpec{Name: "Web", PreferredOwners: []string{"NODE2"}}))
	do2(m.NewResource("EXCLUSTER", mscs.ResourceSpec{Group: "Web", Name: "Web IP", Type: mscs.TypeIPAddress, Params: map[string]string{"address": "10.0.0.120", "subnet_mask": "255.255.255.0"}}))
	do2(m.NewResource("EXCLUSTER", mscs.ResourceSpec{Group: "Web", Name: "Web Name", Type: mscs.TypeNetworkName, Dependencies: []string{"Web IP"}, Params: map[string]string{"name": "WEBVS"}}))
	do2(m.NewResource("EXCLUSTER", mscs.ResourceSpec{Group: "Web", Name: "Web Service", Type: mscs.TypeGenericService, Dependencies: []string{"Web Name"}, Params: map[string]string{"service": "W3SVC"}}))
	do2(m.NewResource("EXCLUSTER", mscs.ResourceSpec{Group: "Web", Name: "Web Share", Type: mscs.TypeFileShare, Dependencies: []string{"Web Name"}, Params: map[string]string{"path": `C:\web`, "share": "web"}}))
	do(m.BringOnline("EXCLUSTER", "Web", true))
	do2(m.NewGroup("EXCLUSTER", mscs.GroupSpec{Name: "EVS1 Group", PreferredOwners: []string{"NODE1", "NODE3"}}))
	do2(m.NewResource("EXCLUSTER", mscs.ResourceSpec{Group: "EVS1 Group", Name: "EVS1 IP", Type: mscs.TypeIPAddress, Params: map[string]string{"address": "10.0.0.101", "subnet_mask": "255.255.255.0"}}))
	do2(m.NewResource("EXCLUSTER", mscs.ResourceSpec{Group: "EVS1 Group", Name: "EVS1 Name", Type: mscs.TypeNetworkName, Dependencies: []string{"EVS1 IP"}, Params: map[string]string{"name": "EVS1"}}))
	do2(m.NewResource("EXCLUSTER", mscs.ResourceSpec{Group: "EVS1 Group", Name: "EVS1 Disk", Type: mscs.TypePhysicalDisk, Params: map[string]string{"disk": "Data1"}}))
	do2(m.NewResource("EXCLUSTER", mscs.ResourceSpec{Group: "EVS1 Group", Name: "EVS1 SA", Type: mscs.TypeSA, PossibleOwners: []string{"NODE1", "NODE2", "NODE3"}, Dependencies: []string{"EVS1 Name", "EVS1 Disk"}, Params: map[string]string{"data_directory": `R:\Exchsrvr`}}))
	do(m.BringOnline("EXCLUSTER", "EVS1 Group", true))

	do2(w.NLB.CreateCluster(nlb.ClusterSpec{IP: "10.0.0.200", Mask: "255.255.255.0", Name: "owa.corp.example.com", Mode: "unicast"}))
	for i, n := range []string{"WEB1", "WEB2", "WEB3"} {
		ip := fmt.Sprintf("10.0.0.%d", 21+i)
		do2(w.InstallServer(n, "standard", "2003", []string{"Public", "Private"}))
		do(w.ConfigureTCPIP(n, "Public", core.TCPIPSpec{IP: ip, Mask: "255.255.255.0", ExtraIPs: []string{"10.0.0.200"}}))
		do(w.ConfigureTCPIP(n, "Private", core.TCPIPSpec{IP: fmt.Sprintf("192.168.2.%d", 21+i), Mask: "255.255.255.0"}))
		do(w.JoinDomain(n, "CORP"))
		do2(w.NLB.AddHost("owa.corp.example.com", nlb.HostSpec{Server: n, Adapter: "Public", Priority: i + 1, DedicatedIP: ip, Mask: "255.255.255.0", InitialState: "started"}))
	}
	do(w.NLB.RemovePortRule("owa.corp.example.com", nlb.RuleRef{}))
	for _, p := range []int{80, 443} {
		do2(w.NLB.AddPortRule("owa.corp.example.com", nlb.PortRuleSpec{ClusterIP: "all", Start: p, End: p, Protocol: "tcp", Filtering: "multiple", Affinity: "single"}))
	}
	w.Settle()
	return w
}
