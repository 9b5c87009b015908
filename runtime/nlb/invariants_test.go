package nlb

import (
	"slices"
	"strings"
	"testing"
)

// rulesFarm is a converged three-host farm with a weighted rule for port
// 80, an equal one for 443, a single-host rule for 25 and a disabled one
// for 135-139.
func rulesFarm(t *testing.T) (*World, *Cluster) {
	t.Helper()
	w, c := farm(t, 3)
	nlbMust(t, w.RemovePortRule(tNLB, RuleRef{}))
	web := rule(80, 80, "tcp")
	web.LoadWeights = []HostValue{{"WEB1", 50}, {"WEB2", 30}, {"WEB3", 20}}
	smtp := rule(25, 25, "tcp")
	smtp.Filtering = "single"
	netbios := rule(135, 139, "both")
	netbios.Filtering = "disabled"
	for _, s := range []PortRuleSpec{web, rule(443, 443, "tcp"), smtp, netbios} {
		_, err := w.AddPortRule(tNLB, s)
		nlbMust(t, err)
	}
	w.Settle()
	return w, c
}

func ruleFor(t *testing.T, c *Cluster, port int) *PortRule {
	t.Helper()
	for _, r := range c.Rules {
		if r.Contains(port) {
			return r
		}
	}
	t.Fatalf("no rule covers port %d", port)
	return nil
}

// A farm keeps its invariant after every operation, not only at rest:
// while a stopped or crashed host waits to be dropped, while a convergence
// runs, while a host drains, and with no host left.
func TestNLBKeepsItsInvariantThroughOperations(t *testing.T) {
	w, c := rulesFarm(t)
	var k *Connection
	steps := []struct {
		what string
		do   func()
	}{
		{"converged", func() {}},
		{"a connection on WEB2", func() { k = connectTo(t, w, "WEB2", 80, 7) }},
		{"WEB1 stopped, not yet dropped", func() { nlbMust(t, w.Stop(tNLB, "WEB1")) }},
		{"WEB1 dropped", func() { w.Settle() }},
		{"WEB2 draining", func() { nlbMust(t, w.DrainStop(tNLB, "WEB2")) }},
		{"converged around the draining WEB2", func() { w.Settle() }},
		{"WEB2's last connection closed", func() { nlbMust(t, w.Close(tNLB, k.ID)) }},
		{"WEB2 dropped", func() { w.Settle() }},
		{"WEB1 and WEB2 started", func() {
			nlbMust(t, w.Start(tNLB, "WEB1"))
			nlbMust(t, w.Start(tNLB, "WEB2"))
		}},
		{"converged again", func() { w.Settle() }},
		{"port 80 disabled on WEB3", func() { nlbMust(t, w.SetRuleState(tNLB, "WEB3", RuleRef{Port: 80}, RuleDisabled)) }},
		{"port 443 drained on WEB1", func() { nlbMust(t, w.SetRuleState(tNLB, "WEB1", RuleRef{Port: 443}, RuleDraining)) }},
		{"converged with both", func() { w.Settle() }},
		{"WEB3 suspended", func() { nlbMust(t, w.Suspend(tNLB, "WEB3")) }},
		{"WEB2 crashed, not yet noticed", func() { nlbMust(t, w.FailServer("WEB2")) }},
		{"both dropped", func() { w.Settle() }},
		{"WEB1 crashed too", func() { nlbMust(t, w.FailServer("WEB1")) }},
		{"no host left", func() { w.Settle() }},
		{"WEB1 and WEB2 back", func() {
			nlbMust(t, w.BootServer("WEB1"))
			nlbMust(t, w.BootServer("WEB2"))
			w.Settle()
		}},
	}
	for _, s := range steps {
		s.do()
		if got := w.ClusterInvariants(c); got != nil {
			t.Fatalf("after %s the farm breaks:\n  %s", s.what, strings.Join(got, "\n  "))
		}
	}
	if q := query(t, w); q["WEB1"] != ConvergedDefault || q["WEB2"] != Converged {
		t.Fatalf("the story did not end converged: %v", q)
	}
}

// Each case breaks the map behind the engine's back and requires exactly
// the sentences naming it.
func TestNLBEachBrokenInvariantIsNamed(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(t *testing.T, w *World, c *Cluster)
		want []string
	}{
		{
			name: "a bucket too few",
			edit: func(t *testing.T, w *World, c *Cluster) { r := ruleFor(t, c, 443); r.Owners = r.Owners[:59] },
			want: []string{"rule 443/tcp has 59 buckets; a multiple-host rule has 60"},
		},
		{
			name: "a bucket of no host",
			edit: func(t *testing.T, w *World, c *Cluster) { ruleFor(t, c, 443).Owners[0] = 9 },
			want: []string{"rule 443/tcp: host priority 9 owns 1 bucket, but no host of the cluster has that priority"},
		},
		{
			name: "buckets of a host that is not converged",
			edit: func(t *testing.T, w *World, c *Cluster) { c.host("WEB3").Member = false },
			want: []string{
				"rule 80/tcp: WEB3 owns 12 buckets, but it is not a converged host",
				"rule 443/tcp: WEB3 owns 20 buckets, but it is not a converged host",
			},
		},
		{
			name: "buckets where the rule is disabled",
			edit: func(t *testing.T, w *World, c *Cluster) { ruleFor(t, c, 443).DisabledOn = []string{"WEB2"} },
			want: []string{"rule 443/tcp: WEB2 owns 20 buckets, but the rule is disabled on it"},
		},
		{
			name: "buckets where the rule is drained",
			edit: func(t *testing.T, w *World, c *Cluster) { ruleFor(t, c, 443).DrainingOn = []string{"WEB1"} },
			want: []string{"rule 443/tcp: WEB1 owns 20 buckets, but the rule is drained on it"},
		},
		{
			name: "buckets at load weight 0",
			edit: func(t *testing.T, w *World, c *Cluster) { ruleFor(t, c, 80).LoadWeights[2].Value = 0 },
			want: []string{"rule 80/tcp: WEB3 owns 12 buckets, but its load weight is 0"},
		},
		{
			name: "buckets of a draining host",
			edit: func(t *testing.T, w *World, c *Cluster) { c.host("WEB2").Control = ctlDraining },
			want: []string{
				"rule 80/tcp: WEB2 owns 18 buckets, but it is draining",
				"rule 443/tcp: WEB2 owns 20 buckets, but it is draining",
			},
		},
		{
			name: "a bucket without an owner",
			edit: func(t *testing.T, w *World, c *Cluster) { ruleFor(t, c, 80).Owners[7] = 0 },
			want: []string{"rule 80/tcp leaves 1 bucket of 60 without an owner, yet WEB1, WEB2, WEB3 take its traffic"},
		},
		{
			name: "no map",
			edit: func(t *testing.T, w *World, c *Cluster) { ruleFor(t, c, 443).Owners = nil },
			want: []string{"rule 443/tcp has no bucket map, yet WEB1, WEB2, WEB3 take its traffic"},
		},
		{
			name: "shares off the load weights",
			edit: func(t *testing.T, w *World, c *Cluster) {
				r := ruleFor(t, c, 80)
				r.Owners[slices.Index(r.Owners, 1)] = 3
			},
			want: []string{"rule 80/tcp: WEB1 owns 29 buckets, WEB2 18, WEB3 13; by load weights 50, 30, 20 they own 30, 18, 12"},
		},
		{
			name: "shares off equal load",
			edit: func(t *testing.T, w *World, c *Cluster) {
				r := ruleFor(t, c, 443)
				r.Owners[slices.Index(r.Owners, 2)] = 1
			},
			want: []string{"rule 443/tcp: WEB1 owns 21 buckets, WEB2 19, WEB3 20; by equal load they own 20, 20, 20"},
		},
		{
			name: "single host not converged",
			edit: func(t *testing.T, w *World, c *Cluster) {
				ruleFor(t, c, 25).Owners = []int{3}
				c.host("WEB3").Member = false
			},
			want: []string{
				"single-host rule 25/tcp is handled by WEB3, but it is not a converged host",
				"rule 80/tcp: WEB3 owns 12 buckets, but it is not a converged host",
				"rule 443/tcp: WEB3 owns 20 buckets, but it is not a converged host",
			},
		},
		{
			name: "single host of no host",
			edit: func(t *testing.T, w *World, c *Cluster) { ruleFor(t, c, 25).Owners = []int{9} },
			want: []string{"single-host rule 25/tcp is handled by host priority 9, which no host of the cluster has"},
		},
		{
			name: "single host missing",
			edit: func(t *testing.T, w *World, c *Cluster) { ruleFor(t, c, 25).Owners = []int{0} },
			want: []string{"single-host rule 25/tcp is handled by no host, yet WEB1, WEB2, WEB3 take its traffic"},
		},
		{
			name: "two single hosts",
			edit: func(t *testing.T, w *World, c *Cluster) { ruleFor(t, c, 25).Owners = []int{1, 2} },
			want: []string{"single-host rule 25/tcp names 2 handling hosts; it has one"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, c := rulesFarm(t)
			if got := w.ClusterInvariants(c); got != nil {
				t.Fatalf("before the edit the farm already breaks:\n  %s", strings.Join(got, "\n  "))
			}
			tc.edit(t, w, c)
			var want []string
			for _, s := range tc.want {
				want = append(want, "NLB cluster "+tNLB+": "+s)
			}
			got := w.ClusterInvariants(c)
			if !slices.Equal(got, want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
			if !slices.Equal(w.Invariants(), got) {
				t.Errorf("the engine's list differs from its only cluster's: %q", w.Invariants())
			}
			// While a convergence runs the old map stands: nothing is checked.
			c.Converging = true
			if got := w.ClusterInvariants(c); got != nil {
				t.Errorf("mid-convergence the map was checked: %q", got)
			}
		})
	}
}
