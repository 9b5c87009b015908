package builtins_test

import (
	"testing"

	"clusterscript/builtins"
)

// invariants() hands the engine's sentences through unchanged, in the
// engine's order, for the scope asked: a server cluster, an NLB cluster,
// or the whole world (clusters, NLB clusters, then the state file).
func TestInvariantsReportsTheEngine(t *testing.T) {
	ss := newStarSession(t, `
load("@stdlib//procedures.star", "lab_with_cluster")
load("@stdlib//owa.star", "owa_farm")
cl = lab_with_cluster(nodes = 2)["cluster"]
nlb = owa_farm(get_domain("corp.example.com"))["nlb"]
`)
	ss.is("invariants()", "[]")
	w := builtins.SimOf(ss.s)
	c, err := w.MSCS.Cluster("EXCLUSTER")
	if err != nil {
		t.Fatal(err)
	}
	c.Nodes[1].State = "Paused"
	c.QuorumLost = true
	n, err := w.NLB.Cluster("owa.corp.example.com")
	if err != nil {
		t.Fatal(err)
	}
	n.Rules[1].Owners = n.Rules[1].Owners[:30]
	w.Record("note", "", "caf\xe9")

	mscs := `"cluster EXCLUSTER: it has lost quorum, but node NODE2 is Paused; without quorum every node is Joining or Down"`
	ss.is("invariants(cl)[1]", mscs)
	ss.is("len(invariants(cl))", "5") // NODE1 Up, NODE2 Paused, three resources Online
	nlbWant := `["NLB cluster owa.corp.example.com: rule 443/tcp has 30 buckets; a multiple-host rule has 60"]`
	ss.is("invariants(nlb)", nlbWant)
	ss.is(`invariants("owa.corp.example.com")`, nlbWant)
	ss.is("invariants()[:5] == invariants(cl)", "True")
	ss.is("invariants()[5]", nlbWant[1:len(nlbWant)-1])
	ss.is("invariants()[6]", `"state file: saving the world, loading it and saving it again changes its \"events\" member; a state file must describe the world exactly"`)
	ss.is("len(invariants())", "7")
}
