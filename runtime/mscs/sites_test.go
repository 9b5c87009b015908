package mscs

import (
	"clusterscript/runtime/core"
	"strings"
	"testing"
)

// setSites puts NODE1…NODEn in the sites given in order ("" for none).
func setSites(t *testing.T, w *World, sites ...string) {
	t.Helper()
	for i, s := range sites {
		mustDo(t, w.SetSite(labCluster, serverName(i+1, len(sites)), s))
	}
}

// Sites exist from 2016; older versions refuse set_site naming 2016.
func TestSiteVersions(t *testing.T) {
	for _, v := range []string{"2003", "2012", "2012 R2"} {
		w := versionLab(t, v, 2)
		refused(t, w, core.ErrPrereq, "set_site arrived in Windows Server 2016, and cluster EXCLUSTER runs Windows Server "+v, func() error {
			return w.SetSite(labCluster, "NODE1", "Redmond")
		})
		if _, ok := mustClusterOf(t, w).NodeSite(mustNode(t, w, "NODE1")); ok {
			t.Errorf("%s reads a site", v)
		}
	}
	w := versionLab(t, "2016", 2)
	before := len(w.Events)
	mustDo(t, w.SetSite(labCluster, "NODE1", "Redmond"))
	if evs := eventsSince(w, before); len(evs) != 1 || evs[0].Text != "node NODE1 is in site Redmond" {
		t.Errorf("events %v", evs)
	}
	refused(t, w, core.ErrInvalid, `" Redmond" is not a site name`, func() error { return w.SetSite(labCluster, "NODE1", " Redmond") })
	refused(t, w, core.ErrNotFound, `no node of cluster EXCLUSTER named "NODE7"`, func() error { return w.SetSite(labCluster, "NODE7", "Redmond") })
	mustDo(t, w.SetSite(labCluster, "NODE1", ""))
	if s, ok := mustClusterOf(t, w).NodeSite(mustNode(t, w, "NODE1")); !ok || s != "" {
		t.Errorf("site %q (%v) after clearing", s, ok)
	}
}

// Failover prefers a node of the failed owner's site, else of the
// cluster's PreferredSite, keeping KB 299631's order within each part;
// without sites (2012 R2) the order is KB 299631's alone.
func TestSiteFailover(t *testing.T) {
	for _, tc := range []struct {
		name, version string
		sites         []string
		preferred     string
		want          string
		skipped       string
	}{
		{"owner's site", "2016", []string{"A", "A", "B", "B"}, "", "NODE1", "skipped NODE3 (site B, not A)"},
		{"preferred site", "2019", []string{"B", "", "A", "A"}, "B", "NODE1", "skipped NODE3 (site A, not B)"},
		{"no site anywhere", "2016", []string{"", "", "", ""}, "", "NODE3", ""},
		{"2012 R2", "2012 R2", nil, "", "NODE3", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := versionLab(t, tc.version, 4)
			if tc.sites != nil {
				setSites(t, w, tc.sites...)
			}
			if tc.preferred != "" {
				mustDo(t, w.SetClusterProperty(labCluster, []PropertySetting{{"PreferredSite", tc.preferred}}))
			}
			// Its list: NODE2, NODE3, then NODE1, NODE4.
			g := appGroup(t, w, "App", "NODE2", "NODE3")
			before := len(w.Events)
			crash(t, w, "NODE2")
			if g.Owner != tc.want {
				t.Errorf("App went to %s, want %s", g.Owner, tc.want)
			}
			text := eventText(eventsSince(w, before), "App")
			if tc.skipped != "" && !strings.Contains(text, tc.skipped) {
				t.Errorf("the failover does not say %q:\n%s", tc.skipped, text)
			}
			if tc.skipped == "" && strings.Contains(text, "skipped") {
				t.Errorf("the failover skipped nodes:\n%s", text)
			}
		})
	}
}

// Drain sends each group to a node of the drained node's site first.
func TestSiteDrain(t *testing.T) {
	w := versionLab(t, "2016", 4)
	setSites(t, w, "A", "B", "B", "A")
	g := appGroup(t, w, "App", "NODE1")
	mustDo(t, w.DrainNode(labCluster, "NODE1"))
	if g.Owner != "NODE4" {
		t.Errorf("App drained to %s, want NODE4, the other node of site A", g.Owner)
	}
}

// A 50 % split: the tie-breaker (2012 R2+) has already taken one vote, so
// one half keeps quorum. With a PreferredSite (2016+) the vote taken is
// outside it and the preferred site keeps running; without one it is the
// highest-numbered voter not owning the Cluster Group (NODE4), so the half
// of NODE1, which owns it, keeps running.
func TestSitePreferredHalfKeepsQuorum(t *testing.T) {
	for _, tc := range []struct {
		name, version, preferred string
		keep, lose               []string
		owner                    string
	}{
		{"2016 preferred B", "2016", "B", []string{"NODE3", "NODE4"}, []string{"NODE1", "NODE2"}, "NODE3"},
		{"2016 no preferred site", "2016", "", []string{"NODE1", "NODE2"}, []string{"NODE3", "NODE4"}, "NODE1"},
		{"2012 R2", "2012 R2", "", []string{"NODE1", "NODE2"}, []string{"NODE3", "NODE4"}, "NODE1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newLab(t, labSpec{nodes: 4, version: tc.version})
			c := l.cluster(t, QuorumMajority)
			w := l.w
			if tc.version == "2016" {
				setSites(t, w, "A", "A", "B", "B")
			}
			if tc.preferred != "" {
				mustDo(t, w.SetClusterProperty(labCluster, []PropertySetting{{"PreferredSite", tc.preferred}}))
			}
			g := appGroup(t, w, "App", "NODE1")
			// NODE1 and NODE2 hear each other over Private only, NODE3 and
			// NODE4 over Public only: two halves.
			for _, n := range []string{"NODE1", "NODE2"} {
				mustDo(t, w.FailAdapter(n, "Public"))
			}
			for _, n := range []string{"NODE3", "NODE4"} {
				mustDo(t, w.FailAdapter(n, "Private"))
			}
			w.Settle()
			if !c.running() {
				t.Fatal("neither half kept quorum after a 2/2 split; the tie-breaker should have decided")
			}
			for _, n := range tc.lose {
				if s := mustNode(t, w, n).State; s == NodeUp {
					t.Errorf("%s is Up, want it out of the cluster", n)
				}
			}
			for _, n := range tc.keep {
				if s := mustNode(t, w, n).State; s != NodeUp {
					t.Errorf("%s is %s, want Up", n, s)
				}
			}
			if g.Owner != tc.owner || g.State() != Online || len(w.Invariants()) != 0 {
				t.Errorf("App %s on %s, want Online on %s; invariants %v", g.State(), g.Owner, tc.owner, w.Invariants())
			}
		})
	}
}
