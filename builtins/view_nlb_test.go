package builtins

import (
	"strings"
	"testing"

	"clusterscript/runtime/core"
	"clusterscript/runtime/nlb"
	"clusterscript/runtime/sim"
)

func TestRenderNLB(t *testing.T) {
	w := sim.New()
	ok := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for i, n := range []string{"OWA1", "OWA2"} {
		_, err := w.InstallServer(n, "standard", "2003", []string{"Public", "Private"})
		ok(err)
		ok(w.ConfigureTCPIP(n, "Public", core.TCPIPSpec{IP: []string{"10.0.0.21", "10.0.0.22"}[i], Mask: "255.255.255.0", ExtraIPs: []string{"10.0.0.100"}}))
	}
	_, err := w.NLB.CreateCluster(nlb.ClusterSpec{IP: "10.0.0.100", Mask: "255.255.255.0", Name: "owa.corp.example.com", Mode: "unicast"})
	ok(err)
	_, err = w.NLB.AddHost("owa.corp.example.com", nlb.HostSpec{Server: "OWA1", Adapter: "Public", Priority: 1, DedicatedIP: "10.0.0.21", Mask: "255.255.255.0", InitialState: "started"})
	ok(err)
	_, err = w.NLB.AddHost("owa.corp.example.com", nlb.HostSpec{Server: "OWA2", Adapter: "Public", Priority: 2, DedicatedIP: "10.0.0.22", Mask: "255.255.255.0", InitialState: "stopped"})
	ok(err)
	w.Settle()
	got := drawWorld(w)
	for _, want := range []string{
		"NLB clusters\n  owa.corp.example.com  10.0.0.100/255.255.255.0, unicast, MAC 02-BF-0A-00-00-64, default host OWA1\n",
		"      OWA1  priority 1   10.0.0.21 on Public  Converged as DEFAULT\n",
		"      OWA2  priority 2   10.0.0.22 on Public  Stopped\n",
		"    Port rules\n      all 0-65535 both, multiple, affinity single\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf(":state lacks %q in\n%s", want, got)
		}
	}
}
