package mscs

import (
	"strings"
	"testing"
)

// TestCanHost: a node can host a group when it may own it and every
// resource could come online there; each reason it cannot is named.
func TestCanHost(t *testing.T) {
	l := newLab(t, labSpec{nodes: 3, dataDisks: 1})
	c := l.cluster(t, "")
	l.exchangeReady(t)
	g := l.evsGroup(t, 1, "NODE1")
	for _, tc := range []struct {
		name, node, want string
		setup            func()
	}{
		{"an Up node", "NODE2", "", func() {}},
		{"a Paused node", "NODE2", "Paused", func() { mustDo(t, l.w.PauseNode(labCluster, "NODE2")) }},
		{"not a possible owner", "NODE3", `not a possible owner of "EVS1 Disk"`, func() {
			mustDo(t, l.w.SetPossibleOwners(labCluster, "EVS1 Disk", []string{"NODE1", "NODE2"}))
		}},
		{"a failed disk", "NODE1", "disk Data1 of \"EVS1 Disk\" has failed", func() { mustDo(t, l.w.FailDisk("Data1")) }},
	} {
		tc.setup()
		if got := l.w.CanHost(c, g, tc.node); tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
			t.Errorf("%s: CanHost(%s) = %q, want %q", tc.name, tc.node, got, tc.want)
		}
	}
}
