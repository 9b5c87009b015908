package runtime

import (
	"fmt"
	"sort"
	"strings"
)

// Membership and convergence on the virtual clock.
//
// A host that starts heartbeats at once; the others hear it and converge.
// A host that stops, suspends, finishes draining or crashes falls silent:
// its peers drop it NLBTolerance heartbeats later and converge. Every
// convergence (a host joining or dropped, a port rule added or removed, a
// host changing how it handles a rule) completes NLBConvergeBeats
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

func init() {
	registerTimer(timerNLBDetect, true, nlbDetectFire)
	registerTimer(timerNLBConverge, true, nlbConvergeFire)
}

func (w *World) nlbByName(name string) *NLBCluster {
	for _, c := range w.NLBClusters {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func (w *World) cancelNLBDetect(c *NLBCluster, h *NLBHost) {
	w.timers.cancel(func(t *Timer) bool {
		return t.Kind == timerNLBDetect && t.Subject == c.Name && t.Arg == h.Server
	})
}

// nlbJoin: the host heartbeats from now on; the others hear it and
// converge. It takes no traffic until the convergence completes.
func (w *World) nlbJoin(c *NLBCluster, h *NLBHost) {
	w.cancelNLBDetect(c, h)
	h.Heard, h.Member = true, false
	w.nlbStartConvergence(c, h.label()+" joined")
}

// nlbSilence: the host's heartbeats stop; the others drop it once they
// have missed NLBTolerance of them.
func (w *World) nlbSilence(c *NLBCluster, h *NLBHost) {
	if !h.Heard {
		return
	}
	w.cancelNLBDetect(c, h)
	w.schedule(NLBTolerance*NLBHeartbeat, timerNLBDetect, c.Name, h.Server, 0)
}

func nlbDetectFire(w *World, t *Timer) {
	c := w.nlbByName(t.Subject)
	if c == nil {
		return
	}
	h := c.host(t.Arg)
	if h == nil || !h.Heard || w.nlbHeartbeats(h) {
		return
	}
	h.Heard, h.Member = false, false
	w.nlbLog(c, "%s missed %d heartbeats; the other hosts drop it", h.label(), NLBTolerance)
	if !w.nlbAnyHeartbeat(c) {
		w.cancelTimers(timerNLBConverge, c.Name)
		c.Converging, c.DefaultHost = false, 0
		w.nlbLog(c, "no host is left running; the cluster handles no traffic")
	} else {
		w.nlbStartConvergence(c, h.label()+" lost")
	}
	w.nlbRefresh(c)
}

func (w *World) nlbAnyHeartbeat(c *NLBCluster) bool {
	for _, h := range c.Hosts {
		if w.nlbHeartbeats(h) {
			return true
		}
	}
	return false
}

// nlbStartConvergence starts (or restarts) a convergence, unless no host
// runs to converge.
func (w *World) nlbStartConvergence(c *NLBCluster, cause string) {
	if !w.nlbAnyHeartbeat(c) {
		return
	}
	if c.Converging {
		w.cancelTimers(timerNLBConverge, c.Name)
		w.nlbLog(c, "convergence restarted: %s", cause)
	} else {
		c.Converging, c.ConvergeStart = true, w.Clock
		w.nlbLog(c, "convergence started: %s", cause)
	}
	c.Convergences++
	w.schedule(NLBConvergeBeats*NLBHeartbeat, timerNLBConverge, c.Name, "", c.Convergences)
}

func nlbConvergeFire(w *World, t *Timer) {
	c := w.nlbByName(t.Subject)
	if c == nil || !c.Converging || t.N != c.Convergences {
		return
	}
	for _, h := range c.Hosts {
		if h.Heard && !w.nlbHeartbeats(h) {
			return // a silent host is still counted; its drop restarts the convergence
		}
	}
	w.nlbCompleteConvergence(c)
	w.nlbRefresh(c)
}

// nlbParticipant is a host taking a share of a rule's new traffic.
type nlbParticipant struct {
	prio   int
	weight int
}

// nlbCompleteConvergence fixes the membership and every rule's map.
func (w *World) nlbCompleteConvergence(c *NLBCluster) {
	var members []string
	c.DefaultHost = 0
	for _, h := range c.sortedHosts() {
		h.Member = w.nlbHeartbeats(h)
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
	w.nlbLog(c, "converged after %s with host(s) %s; %s", FormatDuration(w.Clock-c.ConvergeStart), strings.Join(members, ", "), def)
	for _, r := range c.Rules {
		w.nlbMapRule(c, r)
	}
}

// nlbMapRule gives one rule its new map and logs who owns what, and why a
// member takes no share.
func (w *World) nlbMapRule(c *NLBCluster, r *PortRule) {
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
	switch r.Filtering {
	case "multiple":
		prev := r.Owners
		owners, counts := assignBuckets(prev, parts)
		r.Owners = owners
		if len(parts) == 0 {
			w.nlbLog(c, "rule %s: no host takes its traffic, which is dropped%s", rd, tail)
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
		w.nlbLog(c, "rule %s: buckets %s (%s)%s", rd, strings.Join(shares, ", "), how, tail)
	case "single":
		best, bestHP := 0, 0
		hp := map[string]int{}
		for _, hv := range c.HandlingPriorities(r) {
			hp[key(hv.Host)] = hv.Value
		}
		for _, p := range parts {
			v := hp[key(c.hostByPrio(p.prio).Server)]
			if best == 0 || v < bestHP {
				best, bestHP = p.prio, v
			}
		}
		r.Owners = []int{best}
		if best == 0 {
			w.nlbLog(c, "rule %s: single host: none available, traffic dropped%s", rd, tail)
			return
		}
		w.nlbLog(c, "rule %s: single host %s (handling priority %d)%s", rd, c.hostByPrio(best).Server, bestHP, tail)
	default:
		r.Owners = nil
	}
}

// assignBuckets shares NLBBuckets buckets among participants in
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
	owners := make([]int, NLBBuckets)
	counts := map[int]int{}
	total := 0
	for _, p := range parts {
		total += p.weight
	}
	if total == 0 {
		return owners, counts
	}
	sorted := append([]nlbParticipant(nil), parts...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].prio < sorted[j].prio })
	target := map[int]int{}
	given := 0
	for _, p := range sorted {
		target[p.prio] = NLBBuckets * p.weight / total
		given += target[p.prio]
	}
	byRem := append([]nlbParticipant(nil), sorted...)
	sort.SliceStable(byRem, func(i, j int) bool {
		return NLBBuckets*byRem[i].weight%total > NLBBuckets*byRem[j].weight%total
	})
	for i := 0; given < NLBBuckets; i++ {
		target[byRem[i%len(byRem)].prio]++
		given++
	}
	var released []int
	for b := 0; b < NLBBuckets; b++ {
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
