package sim

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"clusterscript/runtime/core"

	"clusterscript/runtime/nlb"
)

// midFailover is the harness's lab caught in the middle of things: NODE2
// (owner of the Web group) has crashed and nobody has noticed yet, a
// resource of EVS1 waits for its restart, and the NLB farm, with open
// connections, converges on a new port rule while WEB2, just stopped, is
// about to be dropped.
func midFailover(t *testing.T) *World {
	w := txLab(t)
	ok := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	ok(w.FailServer("NODE2"))
	ok(w.MSCS.FailResource("EXCLUSTER", "EVS1 IP"))
	ok(w.NLB.Stop("owa.corp.example.com", "WEB2"))
	_, err := w.NLB.AddPortRule("owa.corp.example.com", nlb.PortRuleSpec{ClusterIP: "all", Start: 25, End: 25, Protocol: "tcp", Filtering: "single", Affinity: "none"})
	ok(err)
	for i := range 8 {
		_, _, err := w.NLB.Connect("owa.corp.example.com", nlb.Packet{Client: fmt.Sprintf("172.16.1.%d", i+1), AnyPort: true, Port: 443, Protocol: "tcp"})
		ok(err)
	}
	if len(w.NLB.Clusters[0].Connections) == 0 {
		t.Fatal("no connection is open")
	}
	ok(w.Advance(500))
	var kinds []string
	for _, tm := range w.PendingTimers() {
		kinds = append(kinds, tm.Kind)
	}
	for _, k := range []string{"cluster.regroup", "cluster.restart", "nlb-converge", "nlb-detect"} {
		if !slices.Contains(kinds, k) {
			t.Fatalf("no %s timer is pending (pending: %v)", k, kinds)
		}
	}
	return w
}

func mustSave(t *testing.T, w *World) []byte {
	t.Helper()
	b, err := w.Save()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A copy is the same world, state file and indexes; its timers fire on the
// copy, so it goes on exactly as the original does; and neither sees the
// other's changes.
func TestCloneIsIndependentAndIdentical(t *testing.T) {
	w := midFailover(t)
	orig := mustSave(t, w)
	c := w.Clone()
	if got := mustSave(t, c); !bytes.Equal(got, orig) {
		t.Fatalf("the copy's state file differs\n%s", core.FirstDifference(orig, got))
	}
	if err := c.CheckIndexes(); err != nil {
		t.Fatalf("the copy's indexes: %v", err)
	}

	c.Settle()
	if got := mustSave(t, w); !bytes.Equal(got, orig) {
		t.Fatalf("settling the copy changed the original (a timer of the copy fired on it?)\n%s", core.FirstDifference(orig, got))
	}
	settled := mustSave(t, c)
	if bytes.Equal(settled, orig) {
		t.Fatal("settling the copy changed nothing; the test proves nothing")
	}
	w.Settle()
	if got := mustSave(t, w); !bytes.Equal(got, settled) {
		t.Fatalf("the original and its copy settled differently\n%s", core.FirstDifference(settled, got))
	}

	// Changes to one side only.
	if err := c.BootServer("NODE2"); err != nil {
		t.Fatal(err)
	}
	if err := c.MSCS.MoveGroup("EXCLUSTER", "Web", "NODE3"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.NLB.Connect("owa.corp.example.com", nlb.Packet{Client: "172.16.0.1", AnyPort: true, Port: 80, Protocol: "tcp"}); err != nil {
		t.Fatal(err)
	}
	c.Settle()
	if got := mustSave(t, w); !bytes.Equal(got, settled) {
		t.Fatalf("changing the copy changed the original\n%s", core.FirstDifference(settled, got))
	}
	copied := mustSave(t, c)
	if err := w.InstallComponent("NODE4", "IIS"); err != nil {
		t.Fatal(err)
	}
	if err := w.MSCS.PauseNode("EXCLUSTER", "NODE1"); err != nil {
		t.Fatal(err)
	}
	if got := mustSave(t, c); !bytes.Equal(got, copied) {
		t.Fatalf("changing the original changed the copy\n%s", core.FirstDifference(copied, got))
	}
	for _, x := range []*World{w, c} {
		if err := x.CheckIndexes(); err != nil {
			t.Fatal(err)
		}
	}
}

// A copy taken inside a transaction holds the changes made so far and no
// transaction; its own transactions save every object afresh, even those
// the original's transaction had already saved.
func TestCloneInsideATransaction(t *testing.T) {
	w := txLab(t)
	before := mustSave(t, w)
	mark := w.Begin()
	if err := w.MSCS.PauseNode("EXCLUSTER", "NODE3"); err != nil {
		t.Fatal(err)
	}
	c := w.Clone()
	w.Rollback(mark)
	if got := mustSave(t, w); !bytes.Equal(got, before) {
		t.Fatalf("the rollback after a copy left traces\n%s", core.FirstDifference(before, got))
	}
	if c.InTransaction() {
		t.Fatal("the copy is in a transaction")
	}
	paused := mustSave(t, c)
	m := c.Begin()
	if err := c.MSCS.ResumeNode("EXCLUSTER", "NODE3"); err != nil {
		t.Fatal(err)
	}
	c.Rollback(m)
	if got := mustSave(t, c); !bytes.Equal(got, paused) {
		t.Fatalf("a rollback on the copy did not restore a node the original's transaction had saved\n%s", core.FirstDifference(paused, got))
	}
	if _, n, _ := c.MSCS.NodeOf("EXCLUSTER", "NODE3"); n.State != "Paused" {
		t.Errorf("NODE3 is %s on the copy, want Paused", n.State)
	}
}
