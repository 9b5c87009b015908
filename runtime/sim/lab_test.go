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
		do(w.ConfigureTCPIP(n, "Public", fmt.Sprintf("10.0.0.%d", 11+i), "255.255.255.0", "10.0.0.1", nil, ""))
		do(w.ConfigureTCPIP(n, "Private", fmt.Sprintf("192.168.1.%d", 11+i), "255.255.255.0", "", nil, ""))
		do(w.JoinDomain(n, "CORP"))
		nodes = append(nodes, n)
	}
	for i, d := range []string{"Quorum", "Data1", "Data2", "Data3"} {
		do2(w.CreateSharedDisk(d, 10, nodes, "basic", "NTFS", string(rune('Q'+i))+":"))
	}
	do2(w.CreateSharedDisk("Scratch", 10, nodes[:2], "dynamic", "raw", ""))
	m := w.MSCS
	do2(m.CreateCluster("EXCLUSTER", "corp.example.com", "NODE1", "10.0.0.100", `CORP\clussvc`, "255.255.255.0", "Quorum"))
	for _, n := range nodes[1:4] {
		do2(m.AddNode("EXCLUSTER", n, "pw", true))
	}
	do2(m.NewResource("EXCLUSTER", "Cluster Group", "MSDTC", mscs.TypeDTC, "", nil, []string{"Cluster Name", "Disk Q:"}, nil))
	do(m.BringOnline("EXCLUSTER", "MSDTC", false))
	for _, n := range nodes[:3] {
		for _, c := range core.Components {
			do(w.InstallComponent(n, c))
		}
		do(m.InstallExchange(n, `CORP\exadmin`, "enterprise", mscs.ExchangeComponents, "C:"))
	}
	do2(m.NewGroup("EXCLUSTER", "Web", "", []string{"NODE2"}))
	do2(m.NewResource("EXCLUSTER", "Web", "Web IP", mscs.TypeIPAddress, "", nil, nil, map[string]string{"address": "10.0.0.120", "subnet_mask": "255.255.255.0"}))
	do2(m.NewResource("EXCLUSTER", "Web", "Web Name", mscs.TypeNetworkName, "", nil, []string{"Web IP"}, map[string]string{"name": "WEBVS"}))
	do2(m.NewResource("EXCLUSTER", "Web", "Web Service", mscs.TypeGenericService, "", nil, []string{"Web Name"}, map[string]string{"service": "W3SVC"}))
	do2(m.NewResource("EXCLUSTER", "Web", "Web Share", mscs.TypeFileShare, "", nil, []string{"Web Name"}, map[string]string{"path": `C:\web`, "share": "web"}))
	do(m.BringOnline("EXCLUSTER", "Web", true))
	do2(m.NewGroup("EXCLUSTER", "EVS1 Group", "", []string{"NODE1", "NODE3"}))
	do2(m.NewResource("EXCLUSTER", "EVS1 Group", "EVS1 IP", mscs.TypeIPAddress, "", nil, nil, map[string]string{"address": "10.0.0.101", "subnet_mask": "255.255.255.0"}))
	do2(m.NewResource("EXCLUSTER", "EVS1 Group", "EVS1 Name", mscs.TypeNetworkName, "", nil, []string{"EVS1 IP"}, map[string]string{"name": "EVS1"}))
	do2(m.NewResource("EXCLUSTER", "EVS1 Group", "EVS1 Disk", mscs.TypePhysicalDisk, "", nil, nil, map[string]string{"disk": "Data1"}))
	do2(m.NewResource("EXCLUSTER", "EVS1 Group", "EVS1 SA", mscs.TypeSA, "", []string{"NODE1", "NODE2", "NODE3"}, []string{"EVS1 Name", "EVS1 Disk"}, map[string]string{"data_directory": `R:\Exchsrvr`}))
	do(m.BringOnline("EXCLUSTER", "EVS1 Group", true))

	do2(w.NLB.CreateCluster("10.0.0.200", "255.255.255.0", "owa.corp.example.com", "unicast"))
	for i, n := range []string{"WEB1", "WEB2", "WEB3"} {
		ip := fmt.Sprintf("10.0.0.%d", 21+i)
		do2(w.InstallServer(n, "standard", "2003", []string{"Public", "Private"}))
		do(w.ConfigureTCPIP(n, "Public", ip, "255.255.255.0", "", []string{"10.0.0.200"}, ""))
		do(w.ConfigureTCPIP(n, "Private", fmt.Sprintf("192.168.2.%d", 21+i), "255.255.255.0", "", nil, ""))
		do(w.JoinDomain(n, "CORP"))
		do2(w.NLB.AddHost("owa.corp.example.com", n, "Public", i+1, ip, "255.255.255.0", "started"))
	}
	do(w.NLB.RemovePortRule("owa.corp.example.com", 0, "", ""))
	for _, p := range []int{80, 443} {
		do2(w.NLB.AddPortRule("owa.corp.example.com", nlb.PortRuleSpec{ClusterIP: "all", Start: p, End: p, Protocol: "tcp", Filtering: "multiple", Affinity: "single"}))
	}
	w.Settle()
	return w
}
