package builtins

import (
	"strings"
	"testing"

	"clusterscript/runtime/core"
	"clusterscript/runtime/nlb"
	"clusterscript/runtime/sim"
)

// owaFarm is two servers behind the NLB cluster owa.corp.example.com,
// OWA1 started and OWA2 stopped.
func owaFarm(t *testing.T) *sim.World {
	t.Helper()
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
	return w
}

func TestRenderNLB(t *testing.T) {
	w := owaFarm(t)
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

// TestDrawObject: one object is drawn as :state draws it, inside what
// contains it: an NLB host under its cluster, without the port rules.
func TestDrawObject(t *testing.T) {
	w := owaFarm(t)
	world := NewWorld(w)
	ok := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	got, err := world.DrawObject("owa.corp.example.com/owa2")
	ok(err)
	want := `World at 2004-01-05 08:00:03: 13 events, no timers pending
NLB clusters
  owa.corp.example.com  10.0.0.100/255.255.255.0, unicast, MAC 02-BF-0A-00-00-64, default host OWA1
    Hosts
      OWA2  priority 2   10.0.0.22 on Public  Stopped
`
	if got != want {
		t.Errorf("DrawObject(owa.corp.example.com/owa2):\n%s\nwant:\n%s", got, want)
	}
	// Unqualified, the name is the server and the host.
	got, err = world.DrawObject("OWA2")
	ok(err)
	if !strings.Contains(got, "Servers\n  OWA2  Windows Server 2003 Standard, running\n    Public   10.0.0.22/24 mixed, also 10.0.0.100\n") || !strings.Contains(got, "      OWA2  priority 2") || strings.Contains(got, "OWA1  ") {
		t.Errorf("DrawObject(OWA2):\n%s", got)
	}
	// The whole cluster keeps its port rules.
	if got, _ := world.DrawObject("OWA.corp.example.com"); !strings.Contains(got, "    Port rules\n") || !strings.Contains(got, "OWA1  priority 1") {
		t.Errorf("DrawObject(OWA):\n%s", got)
	}
	if _, err := world.DrawObject("OWA3"); err == nil || !strings.Contains(err.Error(), `named "OWA3"; did you mean "OWA1"?`) {
		t.Errorf("DrawObject(OWA3): %v", err)
	}
	if _, err := world.DrawObject("other/OWA1"); err == nil {
		t.Error("a host of another NLB cluster was found")
	}
}
