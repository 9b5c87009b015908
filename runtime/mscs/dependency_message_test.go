package mscs

import (
	"bytes"
	"clusterscript/runtime/core"
	"strings"
	"testing"
)

// A Network Name created without its IP Address is refused with a message
// naming the missing type with the right article, and the refusal changes
// nothing.
func TestMissingDependencyMessage(t *testing.T) {
	w := NewWorld()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := w.CreateDomain("corp.example.com", "")
	must(err)
	_, err = w.CreateUser("corp.example.com", "clussvc", "pw", nil)
	must(err)
	_, err = w.InstallServer("NODE1", "enterprise", "2003", []string{"Public", "Private"})
	must(err)
	must(w.ConfigureTCPIP("NODE1", "Public", core.TCPIPSpec{IP: "10.0.0.11", Mask: "255.255.255.0"}))
	must(w.ConfigureTCPIP("NODE1", "Private", core.TCPIPSpec{IP: "192.168.1.11", Mask: "255.255.255.0"}))
	must(w.JoinDomain("NODE1", "corp.example.com"))
	_, err = w.CreateCluster(ClusterSpec{Name: "EXCLUSTER", Domain: "corp.example.com", Node: "NODE1", IP: "10.0.0.100", Account: `CORP\clussvc`, Mask: "255.255.255.0", Quorum: QuorumMajority})
	must(err)
	_, err = w.NewGroup("EXCLUSTER", GroupSpec{Name: "EVS1 Group"})
	must(err)
	_, err = w.NewResource("EXCLUSTER", ResourceSpec{Group: "EVS1 Group", Name: "EVS1 IP Address", Type: TypeIPAddress, Params: map[string]string{"address": "10.0.0.101", "subnet_mask": "255.255.255.0"}})
	must(err)
	before, err := w.Save()
	must(err)

	for _, tc := range []struct {
		typ, want string
		params    map[string]string
	}{
		{TypeNetworkName, "must depend on an IP Address resource", map[string]string{"name": "EVS1"}},
		{TypeDTC, "must depend on a Network Name resource", nil},
	} {
		_, err := w.NewResource("EXCLUSTER", ResourceSpec{Group: "EVS1 Group", Name: "X", Type: tc.typ, Params: tc.params})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("new %s without dependencies: got %v, want an error containing %q", tc.typ, err, tc.want)
		}
	}
	after, err := w.Save()
	must(err)
	if !bytes.Equal(before, after) {
		t.Error("a refused new_resource changed the world")
	}
}

func TestWithArticle(t *testing.T) {
	for in, want := range map[string]string{
		"IP Address":       "an IP Address",
		"Network Name":     "a Network Name",
		"Physical Disk":    "a Physical Disk",
		"Exchange Service": "an Exchange Service",
		"":                 "a ",
	} {
		if got := core.WithArticle(in); got != want {
			t.Errorf("WithArticle(%q) = %q, want %q", in, got, want)
		}
	}
}
