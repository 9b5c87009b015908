package nlb

import (
	"fmt"
	"sort"
	"strings"

	"clusterscript/runtime/core"
)

// The invariant of an NLB cluster (SPEC §13): once a convergence has
// completed, each multiple-host rule's 60 buckets are divided exactly among
// the converged hosts that take its traffic, in proportion to their load
// weights (largest remainder, as assignBuckets computes), and a single-host
// rule is handled by one of those hosts. While a convergence runs the old
// map stands, and a cluster with no converged host handles nothing, so
// neither is checked.

// Invariants lists the invariants the NLB clusters break, clusters by name,
// one sentence each; nil when they keep them all.
func (e *Engine) Invariants() []string {
	return core.EachByName(e.Clusters, func(c *Cluster) string { return c.Name }, e.ClusterInvariants)
}

// ClusterInvariants lists the invariants one NLB cluster breaks, rule by
// rule in the cluster's order.
func (e *Engine) ClusterInvariants(c *Cluster) []string {
	b := core.NewBreaches("NLB cluster " + c.Name)
	if c.Converging || !c.anyMember() {
		return nil
	}
	for _, r := range c.Rules {
		switch r.Filtering {
		case "multiple":
			c.bucketBreaches(r, b)
		case "single":
			c.singleHostBreaches(r, b)
		}
	}
	return b.List()
}

func (c *Cluster) anyMember() bool {
	for _, h := range c.Hosts {
		if h.Member {
			return true
		}
	}
	return false
}

// shareOf says whether a host takes a share of a rule's traffic in the map
// of the last convergence: why it does not, or "" when it does. A host
// stopped or suspended since then keeps its buckets until the others drop
// it, and the map cannot tell whether it had any: stopped is true for it.
func (c *Cluster) shareOf(h *Host, r *PortRule) (why string, stopped bool) {
	switch {
	case !h.Member:
		return "it is not a converged host", false
	case r.HostRuleState(h.Server) == RuleDisabled:
		return "the rule is disabled on it", false
	case r.HostRuleState(h.Server) == RuleDraining:
		return "the rule is drained on it", false
	case r.Filtering == "multiple" && r.Weight(h.Server) == 0:
		return "its load weight is 0", false
	case h.Control == ctlDraining:
		return "it is draining", false
	}
	return "", h.Control == ctlStopped || h.Control == ctlSuspended
}

// bucketBreaches checks a multiple-host rule's map.
func (c *Cluster) bucketBreaches(r *PortRule, b *core.Breaches) {
	rd := r.Describe()
	if len(r.Owners) != 0 && len(r.Owners) != Buckets {
		b.Addf("rule %s has %d buckets; a multiple-host rule has %d", rd, len(r.Owners), Buckets)
		return
	}
	count := map[int]int{}
	unowned := 0
	for _, p := range r.Owners {
		if p == 0 {
			unowned++
		} else {
			count[p]++
		}
	}
	clean := true
	var unknown []int
	for p := range count {
		if c.hostByPrio(p) == nil {
			unknown = append(unknown, p)
		}
	}
	sort.Ints(unknown)
	for _, p := range unknown {
		b.Addf("rule %s: host priority %d owns %s, but no host of the cluster has that priority", rd, p, plural(count[p], "bucket"))
		clean = false
	}
	var parts []nlbParticipant
	var sharing []string
	for _, h := range c.sortedHosts() {
		n := count[h.Priority]
		why, stopped := c.shareOf(h, r)
		switch {
		case why != "" && n > 0:
			b.Addf("rule %s: %s owns %s, but %s", rd, h.Server, plural(n, "bucket"), why)
			clean = false
		case why == "" && (!stopped || n > 0):
			parts = append(parts, nlbParticipant{h.Priority, r.Weight(h.Server)})
			sharing = append(sharing, h.Server)
		}
	}
	if len(parts) == 0 {
		return
	}
	switch {
	case len(r.Owners) == 0:
		b.Addf("rule %s has no bucket map, yet %s its traffic", rd, take(sharing))
		return
	case unowned > 0:
		b.Addf("rule %s leaves %s of %d without an owner, yet %s its traffic", rd, plural(unowned, "bucket"), Buckets, take(sharing))
		return
	case !clean:
		return
	}
	target, _ := bucketTargets(parts)
	var got, want, weights []string
	differ := false
	for i, p := range parts {
		got = append(got, fmt.Sprint(count[p.prio]))
		want = append(want, fmt.Sprint(target[p.prio]))
		weights = append(weights, fmt.Sprint(p.weight))
		differ = differ || count[p.prio] != target[p.prio]
		if i == 0 {
			got[0] = fmt.Sprintf("%s owns %s", sharing[0], plural(count[p.prio], "bucket"))
		} else {
			got[i] = sharing[i] + " " + got[i]
		}
	}
	if !differ {
		return
	}
	by := "equal load"
	if r.LoadWeights != nil {
		by = "load weights " + strings.Join(weights, ", ")
	}
	b.Addf("rule %s: %s; by %s they own %s", rd, strings.Join(got, ", "), by, strings.Join(want, ", "))
}

// take says that hosts take something: "WEB1 takes", "WEB1, WEB2 take".
func take(hosts []string) string {
	if len(hosts) == 1 {
		return hosts[0] + " takes"
	}
	return strings.Join(hosts, ", ") + " take"
}

// singleHostBreaches checks that a single-host rule is handled by a
// converged host that takes its traffic, when there is one.
func (c *Cluster) singleHostBreaches(r *PortRule, b *core.Breaches) {
	rd := r.Describe()
	if len(r.Owners) > 1 {
		b.Addf("single-host rule %s names %d handling hosts; it has one", rd, len(r.Owners))
		return
	}
	if len(r.Owners) == 1 && r.Owners[0] != 0 {
		h := c.hostByPrio(r.Owners[0])
		if h == nil {
			b.Addf("single-host rule %s is handled by host priority %d, which no host of the cluster has", rd, r.Owners[0])
		} else if why, _ := c.shareOf(h, r); why != "" {
			b.Addf("single-host rule %s is handled by %s, but %s", rd, h.Server, why)
		}
		return
	}
	var takers []string
	for _, h := range c.sortedHosts() {
		if why, stopped := c.shareOf(h, r); why == "" && !stopped {
			takers = append(takers, h.Server)
		}
	}
	if len(takers) > 0 {
		b.Addf("single-host rule %s is handled by no host, yet %s its traffic", rd, take(takers))
	}
}
