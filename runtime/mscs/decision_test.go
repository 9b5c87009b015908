package mscs

import (
	"slices"
	"strings"
	"testing"

	"clusterscript/runtime/core"
)

// TestDecisionsAreRecorded: failovers, failbacks and moves carry their
// decision as fields (Event.Decision) as well as in their text, and the
// two say the same.
func TestDecisionsAreRecorded(t *testing.T) {
	l, _, g := operateLab(t, 4, "NODE3", "NODE4")
	w := l.w
	mustDo(t, w.BringOnline(labCluster, "Web", true))
	mustDo(t, w.SetFailoverPolicy(labCluster, "Web", FailoverPolicy{Threshold: 10, Period: 6, Failback: FailbackImmediate}))
	mustDo(t, w.PauseNode(labCluster, "NODE4"))

	n0 := len(w.Events)
	mustDo(t, w.FailServer("NODE3"))
	mustDo(t, w.Advance(10*core.Second))
	failover := findDecision(t, w.Events[n0:], core.KindFailover, "fails over")
	want := core.Decision{From: "NODE3", To: "NODE1", Reason: "node NODE3 is Down", Skipped: []core.Skip{{Node: "NODE4", Why: "Paused"}}}
	if !sameDecision(*failover.Decision, want) {
		t.Errorf("failover decision %+v, want %+v", *failover.Decision, want)
	}
	if g.Owner != "NODE1" {
		t.Fatalf("the group went to %s", g.Owner)
	}

	n0 = len(w.Events)
	mustDo(t, w.BootServer("NODE3"))
	mustDo(t, w.Advance(5*core.Minute))
	failback := findDecision(t, w.Events[n0:], core.KindFailover, "fails back")
	if d := failback.Decision; d.From != "NODE1" || d.To != "NODE3" || d.Reason != "failback immediate" {
		t.Errorf("failback decision %+v", *d)
	}

	n0 = len(w.Events)
	mustDo(t, w.MoveGroup(labCluster, "Web", ""))
	move := findDecision(t, w.Events[n0:], core.KindCluster, "manual move")
	if d := move.Decision; d.From != "NODE3" || d.To != "NODE1" || d.Reason != "manual move" || len(d.Skipped) != 1 || d.Skipped[0].Node != "NODE4" {
		t.Errorf("move decision %+v", *d)
	}

	// Every decision's text names its nodes and lists what it skipped as
	// the fields do; events that decide nothing carry none.
	for _, e := range w.Events {
		d := e.Decision
		if d == nil {
			if e.Kind == core.KindFailover && strings.Contains(e.Text, " fail") && strings.HasPrefix(e.Text, "group ") {
				t.Errorf("event %q has no decision", e.Text)
			}
			continue
		}
		for _, name := range []string{d.From, d.To} {
			if name != "" && !strings.Contains(e.Text, name) && !strings.Contains(e.Text, "goes to") {
				t.Errorf("event %q does not name %s", e.Text, name)
			}
		}
		if len(d.Skipped) > 0 && !strings.Contains(e.Text, skippedText(d.Skipped)) {
			t.Errorf("event %q does not list %v", e.Text, d.Skipped)
		}
	}
}

func findDecision(t *testing.T, evs []core.Event, kind, text string) core.Event {
	t.Helper()
	i := slices.IndexFunc(evs, func(e core.Event) bool { return e.Kind == kind && strings.Contains(e.Text, text) })
	if i < 0 {
		t.Fatalf("no %s event saying %q among:\n%v", kind, text, evs)
	}
	if evs[i].Decision == nil {
		t.Fatalf("event %q carries no decision", evs[i].Text)
	}
	return evs[i]
}

func sameDecision(a, b core.Decision) bool {
	return a.From == b.From && a.To == b.To && a.Reason == b.Reason && slices.Equal(a.Skipped, b.Skipped)
}
