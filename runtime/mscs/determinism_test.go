package mscs

import (
	"strings"
	"testing"

	"clusterscript/runtime/core"
	"clusterscript/runtime/enginetest"
)

// twoOnOneNode reaches, through the engine's API, a four-node cluster whose
// NODE1 runs two Exchange virtual servers: EVS1 and EVS2 share NODE1 while
// the cluster has two nodes (active/active allows it), then NODE3 and NODE4
// join and get Exchange, and EVS3 runs on NODE3. A third virtual server
// meeting NODE1 finds two others there, so whatever names "the other" must
// not depend on the order of a map.
func twoOnOneNode(t *testing.T) (*lab, *Cluster) {
	t.Helper()
	l := newLab(t, labSpec{nodes: 4, dataDisks: 3})
	all := l.servers
	l.servers = all[:2]
	c := l.cluster(t, "")
	l.exchangeReady(t)
	for _, i := range []int{1, 2} {
		g := l.evs(t, i, "NODE1")
		mustDo(t, l.w.BringOnline(labCluster, g.Name, true))
	}
	for _, s := range all[2:] {
		_, err := l.w.AddNode(labCluster, s, labPassword, true)
		mustDo(t, err)
		installPrereqs(t, l.w, s)
		mustDo(t, l.w.InstallExchange(ExchangeSpec{Server: s, Account: labExAdmin, Edition: "enterprise", Components: ExchangeComponents, Drive: "C:"}))
	}
	l.servers = all
	g3 := l.evs(t, 3, "NODE3")
	mustDo(t, l.w.BringOnline(labCluster, g3.Name, true))
	if g := mustGroup(t, l.w, "EVS2 Group"); g.Owner != "NODE1" || g.State() != Online || g3.Owner != "NODE3" {
		t.Fatalf("EVS2 %s on %s, EVS3 on %s; want EVS1 and EVS2 on NODE1, EVS3 on NODE3", g.State(), g.Owner, g3.Owner)
	}
	return l, c
}

// The refusals and the skip reasons that name another virtual server on a
// node name the same one every time: the first by name. (otherEVSOn once
// returned whichever a range over the node's groups met first.)
func TestTheOtherVirtualServerIsNamedTheSameEveryTime(t *testing.T) {
	l, c := twoOnOneNode(t)
	w := l.w
	// move_group to the node: refused by eligibility (refused asks again
	// and again, enginetest.SameRefusal).
	refused(t, w, core.ErrState, `group "EVS3 Group" cannot move to NODE1: the node already hosts Exchange virtual server "EVS1 Group"`, func() error {
		return w.MoveGroup(labCluster, "EVS3 Group", "NODE1")
	})

	// A move without a target skips NODE1 with a reason; each run starts
	// from a fresh copy of the world, with indexes built anew.
	mustDo(t, w.PauseNode(labCluster, "NODE4"))
	snapshot := mustSave(t, w)
	var first string
	for i := 0; i <= enginetest.Repeats; i++ {
		w2, err := Load(snapshot)
		mustDo(t, err)
		n := len(w2.Events)
		mustDo(t, w2.MoveGroup(labCluster, "EVS3 Group", ""))
		text := w2.Events[n].Text
		if i == 0 {
			first = text
			if want := `skipped NODE1 (already hosts Exchange virtual server "EVS1 Group")`; !strings.Contains(text, want) {
				t.Fatalf("the move says %q; want it to contain %q", text, want)
			}
		} else if text != first {
			t.Fatalf("the same move is explained two ways (map order?):\n  %s\n  %s", first, text)
		}
	}

	// bring_online of a virtual server already on the node: refused by the
	// System Attendant's check.
	g3 := mustGroup(t, w, "EVS3 Group")
	mustDo(t, w.TakeOffline(labCluster, g3.Name, true))
	w.setOwner(c, g3, "NODE1")
	refused(t, w, core.ErrState, `node NODE1 already hosts Exchange virtual server "EVS1 Group"; on a cluster of 4 nodes each node runs at most one`, func() error {
		return w.BringOnline(labCluster, g3.Name, true)
	})
}
