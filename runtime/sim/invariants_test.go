package sim

import (
	"clusterscript/runtime/core"
	"math"
	"slices"
	"strings"
	"testing"
)

// The world's list is the server clusters', then the NLB clusters', then
// the state file's; nil for a healthy world, and for an empty one.
func TestWorldInvariants(t *testing.T) {
	if got := New().Invariants(); got != nil {
		t.Errorf("an empty world breaks %q", got)
	}
	for _, tc := range []struct {
		name string
		edit func(t *testing.T, w *World)
		want []string // prefixes of the sentences, in order
	}{
		{"healthy", func(*testing.T, *World) {}, nil},
		{
			"both engines and the state file",
			func(t *testing.T, w *World) {
				c, err := w.MSCS.Cluster("EXCLUSTER")
				ok(t, err)
				c.QuorumLost = true
				n, err := w.NLB.Cluster("owa.corp.example.com")
				ok(t, err)
				n.Rules[0].Owners = n.Rules[0].Owners[:10]
				// A note that is not UTF-8 is stored escaped and read back
				// as U+FFFD, which is saved differently.
				w.Record("note", "", "caf\xe9")
			},
			[]string{
				"cluster EXCLUSTER: it has lost quorum, but node NODE1 is Up",
				"cluster EXCLUSTER: it has lost quorum, but node NODE2 is Up",
				"cluster EXCLUSTER: it has lost quorum, but resource \"Cluster IP Address\" is Online",
				"cluster EXCLUSTER: it has lost quorum, but resource \"Cluster Name\" is Online",
				"cluster EXCLUSTER: it has lost quorum, but resource \"Majority Node Set\" is Online",
				"NLB cluster owa.corp.example.com: rule 0-65535/both has 10 buckets; a multiple-host rule has 60",
				`state file: saving the world, loading it and saving it again changes its "events" member; a state file must describe the world exactly`,
			},
		},
		{
			"a world that cannot be saved",
			func(t *testing.T, w *World) {
				d, err := w.CreateSharedDisk(core.DiskSpec{Label: "Data", SizeGB: 1, Servers: []string{"NODE1"}, Kind: "basic", FS: "NTFS", Letter: "R:"})
				ok(t, err)
				d.SizeGB = math.NaN()
			},
			[]string{"state file: the world cannot be saved: encoding the state file: the number NaN has no JSON form"},
		},
		{
			"a saved world that does not load",
			func(t *testing.T, w *World) { w.Servers[len(w.Servers)-1].Name = "" },
			[]string{"state file: a saved world does not load again: bad state file: a server has no name"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := lab(t)
			before, err := w.Save()
			ok(t, err)
			tc.edit(t, w)
			got := w.Invariants()
			if len(got) != len(tc.want) {
				t.Fatalf("got %d sentences, want %d:\n  %s", len(got), len(tc.want), strings.Join(got, "\n  "))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.want[i]) {
					t.Errorf("sentence %d is\n  %s\nwant it to start\n  %s", i, got[i], tc.want[i])
				}
			}
			if again := w.Invariants(); !slices.Equal(again, got) {
				t.Errorf("a second call gave another list:\n  %s", strings.Join(again, "\n  "))
			}
			if tc.name == "healthy" {
				after, err := w.Save()
				ok(t, err)
				if string(after) != string(before) {
					t.Error("checking the invariants changed the world")
				}
			}
		})
	}
}
