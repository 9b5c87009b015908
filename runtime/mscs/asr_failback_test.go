package mscs

import (
	"slices"
	"strings"
	"testing"

	"clusterscript/runtime/core"
)

// The ASR restore warns about exactly the groups that would fail back onto
// the restored node: failback allowed, the node preferred to the group's
// owner. A group already held by a node it prefers to the restored one is
// not named, and indeed stays where it is once the node is back.
func TestAsrRestoreNamesOnlyGroupsThatWouldFailBack(t *testing.T) {
	w, _ := smallCluster(t, 3, "")
	groups := []struct {
		name      string
		preferred []string
		failback  string
		named     bool
	}{
		{"Back", []string{"NODE2", "NODE1"}, FailbackImmediate, true},            // fails over to NODE1, comes back
		{"Unlisted", []string{"NODE2"}, FailbackImmediate, true},                 // on NODE1, which it does not list
		{"Windowed", []string{"NODE2", "NODE3"}, FailbackWindow, true},           // a window still fails back
		{"Home", []string{"NODE1", "NODE2"}, FailbackImmediate, false},           // NODE1, preferred to NODE2, holds it
		{"Prevented", []string{"NODE2", "NODE1"}, FailbackPrevent, false},        // failback off
		{"Elsewhere", []string{"NODE3"}, FailbackImmediate, false},               // does not list NODE2
		{"Unordered", nil, FailbackImmediate, false},                             // no preferred owners: never fails back
		{"Third", []string{"NODE3", "NODE2", "NODE1"}, FailbackImmediate, false}, // on NODE3, its first choice
	}
	var want []string
	for _, g := range groups {
		appGroup(t, w, g.name, g.preferred...)
		p := FailoverPolicy{Threshold: 10, Period: 6, Failback: g.failback}
		if g.failback == FailbackWindow {
			p.Window = []int{1, 5}
		}
		mustDo(t, w.SetFailoverPolicy("EXCLUSTER", g.name, p))
		if g.named {
			want = append(want, g.name)
		}
	}
	set, err := w.AsrBackup("NODE2", "tape")
	mustDo(t, err)
	mustDo(t, w.LoseSystemDisk("NODE2"))
	w.Settle()
	if o := mustGroup(t, w, "Home").Owner; o != "NODE1" {
		t.Fatalf("Home is on %s, want NODE1", o)
	}
	n := len(w.Log())
	mustDo(t, w.AsrRestore("NODE2", set.ID))
	var named []string
	for _, e := range eventsSince(w, n) {
		if e.Kind == core.KindWarning {
			named = append(named, e.Subject)
			if !strings.Contains(e.Text, "prefers NODE2 to its owner") || !strings.Contains(e.Text, `failback="prevent"`) {
				t.Errorf("warning %q does not say why and what to do", e.Text)
			}
		}
	}
	if !slices.Equal(named, want) {
		t.Errorf("warned about %v, want %v", named, want)
	}
	// The warning told the truth: the immediate ones named came back, the
	// others did not move.
	w.Settle()
	for _, g := range groups {
		owner := mustGroup(t, w, g.name).Owner
		back := owner == "NODE2"
		if g.failback == FailbackImmediate && back != g.named {
			t.Errorf("group %s is on %s after the restore (named: %v)", g.name, owner, g.named)
		}
	}
}
