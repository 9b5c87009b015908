package nlb

import (
	"clusterscript/runtime/core"
	"fmt"
	"sort"
	"strings"
)

// Membership and convergence on the virtual clock.
//
// A host that starts heartbeats at once; the others hear it and converge.
// A host that stops, suspends, finishes draining, crashes or loses its
// cluster adapter (nlb_adapter.go) falls silent: its peers drop it
// Tolerance heartbeats later and converge. Every
// convergence (a host joining or dropped, a port rule added or removed, a
// host changing how it handles a rule) completes ConvergeBeats
// heartbeats after it starts; a new cause restarts it. A convergence
// cannot complete while a host the others still count present is silent:
// it waits for that host to be dropped.
//
// While a convergence runs the old map keeps working: hosts keep the
// buckets they own; buckets of a host that left drop their traffic; a
// joining host takes nothing. At completion each rule's buckets are shared
// anew (assignBuckets), moving as few as possible.

const (
	timerNLBDetect   = "nlb-detect"   // a silent host is dropped (Subject: cluster, Arg: host)
	timerNLBConverge = "nlb-converge" // a convergence completes (Subject: cluster)
)

func (e *Engine) nlbByName(name string) *Cluster {
	for _, c := range e.Clusters {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func (e *Engine) cancelNLBDetect(c *Cluster, h *Host) {
	e.CancelTimersWhere(func(t *core.Timer) bool {
		return t.Kind == timerNLBDetect && t.Subject == c.Name && t.Arg == h.Server
	})
}

// nlbJoin: the host heartbeats from now on; the others hear it and
// converge. It takes no traffic until the convergence completes. A host
// whose cluster adapter has failed is heard by nobody: it converges alone.
func (e *Engine) nlbJoin(c *Cluster, h *Host) {
	if !e.adapterUp(h) {
		e.nlbGoAlone(c, h)
		return
	}
	e.nlbEndAlone(c, h)
	e.cancelNLBDetect(c, h)
	e.touchHost(h)
	h.Heard, h.Member = true, false
	e.nlbStartConvergence(c, h.label()+" joined")
}

// nlbSilence: the host leaves cluster operations and its heartbeats stop;
// the others drop it once they have missed Tolerance of them. A host cut
// off by its adapter has been silent since the adapter failed, and the
// others are already counting.
func (e *Engine) nlbSilence(c *Cluster, h *Host) {
	e.nlbEndAlone(c, h)
	if e.adapterUp(h) {
		e.nlbHeartbeatsStop(c, h)
	}
}

// nlbHeartbeatsStop: the others stop hearing the host now.
func (e *Engine) nlbHeartbeatsStop(c *Cluster, h *Host) {
	if !h.Heard {
		return
	}
	e.cancelNLBDetect(c, h)
	e.Schedule(Tolerance*Heartbeat, timerNLBDetect, c.Name, h.Server, 0)
}

func (e *Engine) detectFire(t *core.Timer) {
	c := e.nlbByName(t.Subject)
	if c == nil {
		return
	}
	h := c.host(t.Arg)
	if h == nil || !h.Heard || e.nlbHeartbeats(h) {
		return
	}
	e.touchHost(h)
	h.Heard, h.Member = false, false
	e.nlbLog(c, "%s missed %d heartbeats; the other hosts drop it", h.label(), Tolerance)
	if !e.nlbAnyHeartbeat(c) {
		e.CancelTimers(timerNLBConverge, c.Name)
		e.touchCluster(c)
		c.Converging, c.DefaultHost = false, 0
		e.nlbLog(c, "no host is left running; the cluster handles no traffic")
	} else {
		e.nlbStartConvergence(c, h.label()+" lost")
	}
	if e.nlbActive(h) && h.Alone == "" {
		// Cut off by its adapter, it misses the others' heartbeats as
		// they miss its own, and drops them at the same moment.
		e.nlbGoAlone(c, h)
	}
	e.nlbRefresh(c)
}

func (e *Engine) nlbAnyHeartbeat(c *Cluster) bool {
	for _, h := range c.Hosts {
		if e.nlbHeartbeats(h) {
			return true
		}
	}
	return false
}

// nlbStartConvergence starts (or restarts) a convergence, unless no host
// runs to converge.
func (e *Engine) nlbStartConvergence(c *Cluster, cause string) {
	if !e.nlbAnyHeartbeat(c) {
		return
	}
	e.touchCluster(c)
	if c.Converging {
		e.CancelTimers(timerNLBConverge, c.Name)
		e.nlbLog(c, "convergence restarted: %s", cause)
	} else {
		c.Converging, c.ConvergeStart = true, e.Clock
		e.nlbLog(c, "convergence started: %s", cause)
	}
	c.Convergences++
	e.Schedule(ConvergeBeats*Heartbeat, timerNLBConverge, c.Name, "", c.Convergences)
}

func (e *Engine) convergeFire(t *core.Timer) {
	c := e.nlbByName(t.Subject)
	if c == nil || !c.Converging || t.N != c.Convergences {
		return
	}
	for _, h := range c.Hosts {
		if h.Heard && !e.nlbHeartbeats(h) {
			return // a silent host is still counted; its drop restarts the convergence
		}
	}
	e.nlbCompleteConvergence(c)
	e.nlbRefresh(c)
}

// nlbParticipant is a host taking a share of a rule's new traffic.
type nlbParticipant struct {
	prio   int
	weight int
}

// nlbCompleteConvergence fixes the membership and every rule's map.
func (e *Engine) nlbCompleteConvergence(c *Cluster) {
	var members []string
	e.touchCluster(c)
	c.DefaultHost = 0
	for _, h := range c.sortedHosts() {
		e.touchHost(h)
		h.Member = e.nlbHeartbeats(h)
		if h.Member {
			members = append(members, fmt.Sprint(h.Priority))
			if c.DefaultHost == 0 && h.Control == ctlStarted {
				c.DefaultHost = h.Priority
			}
		}
	}
	c.Converging = false
	def := "no default host"
	if h := c.hostByPrio(c.DefaultHost); h != nil {
		def = "default host " + h.label()
	}
	e.nlbLog(c, "converged after %s with host(s) %s; %s", core.FormatDuration(e.Clock-c.ConvergeStart), strings.Join(members, ", "), def)
	for _, r := range c.Rules {
		e.nlbMapRule(c, r)
	}
}

// nlbMapRule gives one rule its new map and logs who owns what, and why a
// member takes no share.
func (e *Engine) nlbMapRule(c *Cluster, r *PortRule) {
	var parts []nlbParticipant
	var left []string
	for _, h := range c.sortedHosts() {
		if !h.Member {
			continue
		}
		why := ""
		switch {
		case h.Control != ctlStarted:
			why = "draining"
		case r.HostRuleState(h.Server) == RuleDisabled:
			why = "rule disabled"
		case r.HostRuleState(h.Server) == RuleDraining:
			why = "rule drained"
		case r.Filtering == "multiple" && r.Weight(h.Server) == 0:
			why = "load weight 0"
		}
		if why != "" {
			left = append(left, fmt.Sprintf("%s (%s)", h.Server, why))
			continue
		}
		parts = append(parts, nlbParticipant{h.Priority, r.Weight(h.Server)})
	}
	rd := r.Describe()
	tail := ""
	if len(left) > 0 {
		tail = "; none for " + strings.Join(left, ", ")
	}
	e.touchRule(r)
	switch r.Filtering {
	case "multiple":
		prev := r.Owners
		owners, counts := assignBuckets(prev, parts)
		r.Owners = owners
		if len(parts) == 0 {
			e.nlbLog(c, "rule %s: no host takes its traffic, which is dropped%s", rd, tail)
			return
		}
		var shares []string
		for _, p := range parts {
			shares = append(shares, fmt.Sprintf("%s %d", c.hostByPrio(p.prio).Server, counts[p.prio]))
		}
		moved := 0
		fresh := true
		for b := range owners {
			if b < len(prev) && prev[b] != 0 {
				fresh = false
			}
			if b >= len(prev) || prev[b] != owners[b] {
				moved++
			}
		}
		how := fmt.Sprintf("%d moved", moved)
		if fresh {
			how = "new map"
		}
		e.nlbLog(c, "rule %s: buckets %s (%s)%s", rd, strings.Join(shares, ", "), how, tail)
	case "single":
		best, bestHP := 0, 0
		hp := map[string]int{}
		for _, hv := range c.HandlingPriorities(r) {
			hp[core.Key(hv.Host)] = hv.Value
		}
		for _, p := range parts {
			v := hp[core.Key(c.hostByPrio(p.prio).Server)]
			if best == 0 || v < bestHP {
				best, bestHP = p.prio, v
			}
		}
		r.Owners = []int{best}
		if best == 0 {
			e.nlbLog(c, "rule %s: single host: none available, traffic dropped%s", rd, tail)
			return
		}
		e.nlbLog(c, "rule %s: single host %s (handling priority %d)%s", rd, c.hostByPrio(best).Server, bestHP, tail)
	default:
		r.Owners = nil
	}
}

// assignBuckets shares Buckets buckets among participants in
// proportion to their weights and returns the new owner of each bucket
// (a host priority, 0 for none) and each participant's count.
//
// Targets: largest remainder — each gets floor(60·w/W), and the buckets
// left over go to the largest remainders, ties to the lower priority.
// Movement: walking the buckets in order, a bucket stays with its previous
// owner while that owner is under target; the rest (buckets of hosts that
// left, surplus of hosts over target) are dealt round-robin, in priority
// order, to the participants still under target.
func assignBuckets(prev []int, parts []nlbParticipant) ([]int, map[int]int) {
	owners := make([]int, Buckets)
	counts := map[int]int{}
	target, sorted := bucketTargets(parts)
	if target == nil {
		return owners, counts
	}
	var released []int
	for b := 0; b < Buckets; b++ {
		p := 0
		if b < len(prev) {
			p = prev[b]
		}
		if p != 0 && counts[p] < target[p] {
			owners[b] = p
			counts[p]++
		} else {
			released = append(released, b)
		}
	}
	next := 0
	for _, b := range released {
		for counts[sorted[next].prio] >= target[sorted[next].prio] {
			next = (next + 1) % len(sorted)
		}
		owners[b] = sorted[next].prio
		counts[sorted[next].prio]++
		next = (next + 1) % len(sorted)
	}
	return owners, counts
}

// bucketTargets is how many buckets each participant owns after a
// convergence (largest remainder, see assignBuckets), by host priority, and
// the participants in priority order; nil when their weights sum to 0.
func bucketTargets(parts []nlbParticipant) (map[int]int, []nlbParticipant) {
	total := 0
	for _, p := range parts {
		total += p.weight
	}
	if total == 0 {
		return nil, nil
	}
	sorted := append([]nlbParticipant(nil), parts...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].prio < sorted[j].prio })
	target := map[int]int{}
	given := 0
	for _, p := range sorted {
		target[p.prio] = Buckets * p.weight / total
		given += target[p.prio]
	}
	byRem := append([]nlbParticipant(nil), sorted...)
	sort.SliceStable(byRem, func(i, j int) bool {
		return Buckets*byRem[i].weight%total > Buckets*byRem[j].weight%total
	})
	for i := 0; given < Buckets; i++ {
		target[byRem[i%len(byRem)].prio]++
		given++
	}
	return target, sorted
}
