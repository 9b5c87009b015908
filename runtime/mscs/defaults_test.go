package mscs

import (
	"strings"
	"testing"
)

// versionApp is a cluster of n nodes of a version with group App (one
// Generic Service) Online on NODE1, preferring it.
func versionApp(t *testing.T, version string, n int) (*World, *Cluster, *Group) {
	t.Helper()
	w := versionLab(t, version, n)
	c, _ := w.Cluster(labCluster)
	return w, c, appGroup(t, w, "App", "NODE1")
}

// A group fails over at most FailoverThreshold times in its period: 10 on
// 2003; from 2008 the default is nodes − 1, counted as nodes join and
// leave, and failover_policy(threshold=None) restores it.
func TestFailoverThresholdDefault(t *testing.T) {
	for _, tc := range []struct {
		version string
		nodes   int
		want    int
	}{{"2003", 3, 10}, {"2008", 3, 2}, {"2008 R2", 4, 3}, {"2012", 5, 4}, {"2016", 2, 1}, {"2022", 6, 5}} {
		t.Run(tc.version, func(t *testing.T) {
			w, c, g := versionApp(t, tc.version, tc.nodes)
			if got := c.FailoverThreshold(g); got != tc.want {
				t.Fatalf("failover threshold %d, want %d", got, tc.want)
			}
			mustDo(t, w.SetFailoverPolicy(labCluster, "App", FailoverPolicy{Threshold: 7, Period: 6, Failback: FailbackPrevent}))
			if got := c.FailoverThreshold(g); got != 7 {
				t.Fatalf("set to 7, the threshold reads %d", got)
			}
			before := len(w.Events)
			mustDo(t, w.SetFailoverPolicy(labCluster, "App", FailoverPolicy{DefaultThreshold: true, Period: 6, Failback: FailbackPrevent}))
			if got := c.FailoverThreshold(g); got != tc.want {
				t.Fatalf("restored to the default, the threshold reads %d, want %d", got, tc.want)
			}
			want := "at most 10 failovers"
			if tc.version != "2003" {
				want = "at most nodes − 1 = "
			}
			if text := eventsSince(w, before)[0].Text; !strings.Contains(text, want) {
				t.Errorf("event %q does not say %q", text, want)
			}
		})
	}
	// nodes − 1 follows the membership.
	w, c, g := versionApp(t, "2012", 3)
	mustDo(t, w.EvictNode(labCluster, "NODE3"))
	if got := c.FailoverThreshold(g); got != 1 {
		t.Errorf("after an eviction the threshold is %d, want 1", got)
	}
}

// From 2008 a group of a three-node cluster fails over twice in six hours
// (nodes − 1); the third failure leaves it Failed, naming the threshold.
func TestNodesMinusOneFailovers(t *testing.T) {
	w, _, g := versionApp(t, "2008", 3)
	r := g.Resources[0]
	mustDo(t, w.SetRestartPolicy(labCluster, r.Name, RestartPolicy{Restart: true, Threshold: 0, Period: 900, AffectGroup: true}))
	for i, want := range []string{"NODE2", "NODE3"} {
		mustDo(t, w.FailResource(labCluster, r.Name))
		w.Settle()
		if g.Owner != want || r.State != Online {
			t.Fatalf("failure %d: %s on %s, want Online on %s", i+1, r.State, g.Owner, want)
		}
	}
	before := len(w.Events)
	mustDo(t, w.FailResource(labCluster, r.Name))
	w.Settle()
	if r.State != Failed {
		t.Fatalf("the third failure left the resource %s, want Failed", r.State)
	}
	found := false
	for _, ev := range eventsSince(w, before) {
		found = found || strings.Contains(ev.Text, "already failed over 2 times in 6 hours (threshold nodes − 1 = 2)")
	}
	if !found {
		t.Errorf("no event names the nodes − 1 threshold: %v", eventsSince(w, before))
	}
}

// A resource restarts in place RestartThreshold times in its period: 3 on
// 2003, 1 from 2008; then its group fails over. restart_policy
// (threshold=None) restores the version's default.
func TestRestartThresholdDefault(t *testing.T) {
	for _, tc := range []struct {
		version  string
		restarts int
	}{{"2003", 3}, {"2008", 1}, {"2012 R2", 1}, {"2019", 1}} {
		t.Run(tc.version, func(t *testing.T) {
			w, _, g := versionApp(t, tc.version, 2)
			r := g.Resources[0]
			if r.RestartThreshold != tc.restarts || r.RestartPeriod != 900 || r.RetryPeriodOnFailure() != 3600 {
				t.Fatalf("restart %d in %d s, retry %d s; want %d in 900 s, retry 3600 s", r.RestartThreshold, r.RestartPeriod, r.RetryPeriodOnFailure(), tc.restarts)
			}
			for i := 0; i < tc.restarts; i++ {
				mustDo(t, w.FailResource(labCluster, r.Name))
				w.Settle()
				if g.Owner != "NODE1" {
					t.Fatalf("failure %d moved the group to %s; it should restart in place", i+1, g.Owner)
				}
			}
			mustDo(t, w.FailResource(labCluster, r.Name))
			w.Settle()
			if g.Owner != "NODE2" {
				t.Fatalf("past %d restarts the group is on %s, want NODE2", tc.restarts, g.Owner)
			}
			mustDo(t, w.SetRestartPolicy(labCluster, r.Name, RestartPolicy{Restart: true, Threshold: 5, Period: 900, AffectGroup: true}))
			mustDo(t, w.SetRestartPolicy(labCluster, r.Name, RestartPolicy{Restart: true, DefaultThreshold: true, Period: 900, AffectGroup: true}))
			if r.RestartThreshold != tc.restarts {
				t.Errorf("restored to the default, the threshold is %d, want %d", r.RestartThreshold, tc.restarts)
			}
		})
	}
}

// A crashed node is Down after delay × threshold without heartbeats: 1.2 s
// × 5 on 2003, 1 s × 5 to 2012 R2, 1 s × 10 on 2016, 1 s × 20 on 2019 and
// 2022; SameSubnetThreshold changes it.
func TestDetectionPerVersion(t *testing.T) {
	for _, tc := range []struct {
		version string
		ms      int64
	}{{"2003", 6000}, {"2008", 5000}, {"2008 R2", 5000}, {"2012", 5000}, {"2012 R2", 5000}, {"2016", 10000}, {"2019", 20000}, {"2022", 20000}} {
		t.Run(tc.version, func(t *testing.T) {
			w, c, _ := versionApp(t, tc.version, 3)
			detect := func(ms int64) {
				t.Helper()
				mustDo(t, w.FailServer("NODE1"))
				mustDo(t, w.Advance(ms-1))
				if n := c.nodes["NODE1"]; n.State != NodeUp {
					t.Fatalf("NODE1 is %s after %d ms, before the %d ms detection", n.State, ms-1, ms)
				}
				mustDo(t, w.Advance(1))
				if n := c.nodes["NODE1"]; n.State != NodeDown {
					t.Fatalf("NODE1 is %s after %d ms, want Down", n.State, ms)
				}
			}
			detect(tc.ms)
			if tc.version == "2003" {
				return
			}
			mustDo(t, w.BootServer("NODE1"))
			w.Settle()
			mustDo(t, w.SetClusterProperty(labCluster, []PropertySetting{{"SameSubnetThreshold", int64(8)}, {"SameSubnetDelay", int64(500)}}))
			detect(4000)
		})
	}
}

// The cross-subnet settings are the version's, and read as the timeout of
// a route across subnets.
func TestCrossSubnetTimeout(t *testing.T) {
	for v, want := range map[string]int64{"2003": 6000, "2008": 5000, "2016": 20000, "2022": 20000} {
		w := versionLab(t, v, 2)
		c, _ := w.Cluster(labCluster)
		if got := c.CrossSubnetTimeout(); got != want {
			t.Errorf("%s: cross-subnet timeout %d ms, want %d", v, got, want)
		}
	}
}
