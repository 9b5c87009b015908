package sim

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"clusterscript/runtime/core"
	"clusterscript/runtime/enginetest"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/nlb"
)

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("setting up: %v", err)
	}
}

func refused(t *testing.T, w *World, kind error, words string, op func() error) {
	t.Helper()
	before, err := w.Save()
	ok(t, err)
	err = op()
	if err == nil || !errors.Is(err, kind) || !strings.Contains(err.Error(), words) {
		t.Fatalf("got %v, want a %v error saying %q", err, kind, words)
	}
	after, err2 := w.Save()
	ok(t, err2)
	if !bytes.Equal(before, after) {
		t.Fatalf("a refused call changed the world")
	}
	enginetest.SameRefusal(t, err, op)
}

// lab builds a two-node cluster (NODE1, NODE2 on 10.0.0.0/24 and
// 192.168.1.0/24) and a two-host NLB farm (WEB1, WEB2 on 10.0.0.0/24 with
// cluster address 10.0.0.100): both engines on one core.
func lab(t *testing.T) *World {
	t.Helper()
	w := New()
	_, err := w.CreateDomain("corp.example.com", "")
	ok(t, err)
	_, err = w.CreateUser("corp.example.com", "clussvc", "pw", []string{"Domain Admins"})
	ok(t, err)
	for i, n := range []string{"NODE1", "NODE2"} {
		_, err := w.InstallServer(n, "enterprise", "2003", []string{"Public", "Private"})
		ok(t, err)
		ok(t, w.ConfigureTCPIP(n, "Public", core.TCPIPSpec{IP: "10.0.0.1" + string(rune('1'+i)), Mask: "255.255.255.0"}))
		ok(t, w.ConfigureTCPIP(n, "Private", core.TCPIPSpec{IP: "192.168.1.1" + string(rune('1'+i)), Mask: "255.255.255.0"}))
		ok(t, w.JoinDomain(n, "CORP"))
	}
	_, err = w.MSCS.CreateCluster(mscs.ClusterSpec{Name: "EXCLUSTER", Domain: "corp.example.com", Node: "NODE1", IP: "10.0.0.10", Account: `CORP\clussvc`, Mask: "255.255.255.0", Quorum: "majority"})
	ok(t, err)
	_, err = w.MSCS.AddNode("EXCLUSTER", "NODE2", "pw", true)
	ok(t, err)
	_, err = w.NLB.CreateCluster(nlb.ClusterSpec{IP: "10.0.0.100", Mask: "255.255.255.0", Name: "owa.corp.example.com", Mode: "unicast"})
	ok(t, err)
	for i, n := range []string{"WEB1", "WEB2"} {
		_, err := w.InstallServer(n, "enterprise", "2003", []string{"Public"})
		ok(t, err)
		ip := "10.0.0.2" + string(rune('1'+i))
		ok(t, w.ConfigureTCPIP(n, "Public", core.TCPIPSpec{IP: ip, Mask: "255.255.255.0", ExtraIPs: []string{"10.0.0.100"}}))
		ok(t, w.JoinDomain(n, "CORP"))
		_, err = w.NLB.AddHost("owa.corp.example.com", nlb.HostSpec{Server: n, Adapter: "Public", Priority: i + 1, DedicatedIP: ip, Mask: "255.255.255.0", InitialState: "started"})
		ok(t, err)
	}
	w.Settle()
	return w
}

// An adapter an engine relies on cannot be readdressed from under it, and a
// server belongs to one engine: each engine's guard reaches the core
// through the Engine interface.
func TestEnginesGuardTheCore(t *testing.T) {
	w := lab(t)
	refused(t, w, core.ErrState, "dedicated address 10.0.0.21", func() error {
		return w.ConfigureTCPIP("WEB1", "Public", core.TCPIPSpec{IP: "10.0.0.41", Mask: "255.255.255.0", ExtraIPs: []string{"10.0.0.100"}})
	})
	refused(t, w, core.ErrState, "keep cluster address 10.0.0.100", func() error {
		return w.ConfigureTCPIP("WEB1", "Public", core.TCPIPSpec{IP: "10.0.0.21", Mask: "255.255.255.0"})
	})
	ok(t, w.ConfigureTCPIP("WEB1", "Public", core.TCPIPSpec{IP: "10.0.0.21", Mask: "255.255.255.0", Gateway: "10.0.0.1", ExtraIPs: []string{"10.0.0.100"}}))
	refused(t, w, core.ErrState, "cluster network", func() error {
		return w.ConfigureTCPIP("NODE2", "Public", core.TCPIPSpec{IP: "10.9.0.12", Mask: "255.255.255.0"})
	})
	ok(t, w.ConfigureTCPIP("NODE2", "Public", core.TCPIPSpec{IP: "10.0.0.42", Mask: "255.255.255.0"}))

	refused(t, w, core.ErrConflict, "a host of NLB cluster owa.corp.example.com", func() error {
		_, err := w.MSCS.CreateCluster(mscs.ClusterSpec{Name: "WEBCLUS", Domain: "corp.example.com", Node: "WEB1", IP: "10.0.0.11", Account: `CORP\clussvc`, Mask: "255.255.255.0", Quorum: "majority"})
		return err
	})
	refused(t, w, core.ErrConflict, "node of server cluster EXCLUSTER", func() error {
		_, err := w.NLB.AddHost("owa.corp.example.com", nlb.HostSpec{Server: "NODE1", Adapter: "Public", Priority: 9, DedicatedIP: "10.0.0.11", Mask: "255.255.255.0", InitialState: "started"})
		return err
	})
}

// A crash reaches both engines: the cluster regroups, the farm drops the
// host.
func TestServerDownReachesEveryEngine(t *testing.T) {
	w := lab(t)
	from := len(w.Log())
	ok(t, w.FailServer("NODE2"))
	ok(t, w.FailServer("WEB2"))
	w.Settle()
	var lines []string
	for _, e := range w.Log()[from:] {
		lines = append(lines, e.Text)
	}
	all := strings.Join(lines, "\n")
	for _, want := range []string{"node NODE2 is Down", "WEB2"} {
		if !strings.Contains(all, want) {
			t.Errorf("after the crashes the log does not mention %q:\n%s", want, all)
		}
	}
	if q, _ := w.NLB.Query("owa.corp.example.com"); len(q) != 1 {
		t.Errorf("nlb_query after WEB2 crashed lists %d hosts, want 1", len(q))
	}
}
