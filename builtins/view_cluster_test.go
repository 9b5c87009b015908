package builtins

import (
	"strings"
	"testing"

	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/sim"
)

func TestRenderClusters(t *testing.T) {
	w := sim.New()
	ok := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := w.CreateDomain("corp.example.com", "")
	ok(err)
	_, err = w.CreateUser("corp.example.com", "clussvc", "", nil)
	ok(err)
	for i, n := range []string{"NODE1", "NODE2"} {
		_, err := w.InstallServer(n, "enterprise", "2003", []string{"Public", "Private"})
		ok(err)
		ok(w.ConfigureTCPIP(n, "Public", core.TCPIPSpec{IP: []string{"10.0.0.11", "10.0.0.12"}[i], Mask: "255.255.255.0"}))
		ok(w.JoinDomain(n, "corp.example.com"))
	}
	_, err = w.MSCS.CreateCluster(mscs.ClusterSpec{Name: "EXCLUSTER", Domain: "corp.example.com", Node: "NODE1", IP: "10.0.0.100", Account: `CORP\clussvc`, Mask: "255.255.255.0", Quorum: "majority"})
	ok(err)
	_, err = w.MSCS.AddNode("EXCLUSTER", "NODE2", "", false)
	ok(err)
	_, err = w.MSCS.NewGroup("EXCLUSTER", mscs.GroupSpec{Name: "App", PreferredOwners: []string{"NODE2"}})
	ok(err)
	_, err = w.MSCS.NewResource("EXCLUSTER", mscs.ResourceSpec{Group: "App", Name: "App Service", Type: mscs.TypeGenericService, Params: map[string]string{"service": "x"}})
	ok(err)
	ok(w.MSCS.SetFailoverPolicy("EXCLUSTER", "App", mscs.FailoverPolicy{Threshold: 10, Period: 6, Failback: mscs.FailbackWindow, Window: []int{22, 2}}))
	ok(w.MSCS.PauseNode("", "NODE1"))

	got := drawWorld(w)
	for _, want := range []string{
		"Server clusters\n  EXCLUSTER  10.0.0.100, Windows Server 2003, quorum Majority Node Set (majority), has quorum\n",
		"      NODE1  Paused   owns Cluster Group\n",
		"      NODE2  Up       owns App\n",
		"      App  Offline on NODE2, preferred NODE2, failback 22:00–02:00\n",
		"        App Service  Offline         Generic Service\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf(":state lacks %q in\n%s", want, got)
		}
	}
	names := worldNames(w)
	for _, want := range []string{"EXCLUSTER", "App", "App Service", "Cluster Group"} {
		found := false
		for _, n := range names {
			found = found || n == want
		}
		if !found {
			t.Errorf("completion names lack %q", want)
		}
	}
}
