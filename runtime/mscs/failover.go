package mscs

import (
	"clusterscript/runtime/core"
	"fmt"
	"sort"
	"strings"
)

// Timer kinds of the server-cluster engine.
const (
	timerRegroup  = "cluster.regroup"  // heartbeats missed: find who is still reachable
	timerNodeJoin = "cluster.join"     // a node finishes joining
	timerRestart  = "cluster.restart"  // a failed resource is restarted
	timerFailback = "cluster.failback" // a failback window opens
)

// RestartDelay is how long after a failure the Cluster service tries to
// bring a resource online again on the same node.
const RestartDelay = 1 * core.Second

// running reports whether the cluster has quorum and runs its groups.
func (c *Cluster) running() bool { return !c.QuorumLost }

// ---- Quorum ----

// checkQuorum stops the cluster when it no longer has quorum.
func (e *Engine) checkQuorum(c *Cluster, why string) {
	if c.running() && !c.HasQuorum() {
		e.loseQuorum(c, why)
		return
	}
	e.adjustVotes(c, why, nil)
}

func (c *Cluster) majority() int { return len(c.Nodes)/2 + 1 }

func (e *Engine) loseQuorum(c *Cluster, why string) {
	e.touchCluster(c)
	c.QuorumLost, c.ForceQuorum = true, false
	switch {
	case c.countsVotes():
		have, total := c.tally(member, c.witnessOnline())
		e.Emit(core.KindFailover, c.Name, "", "cluster %s lost quorum: its running nodes hold %s, not more than half (%s); the Cluster service stops, every group goes offline and does not fail over, and the nodes wait to rejoin", c.Name, votesText(have, total), why)
	case c.QuorumModel == QuorumMajority:
		e.Emit(core.KindFailover, c.Name, "", "cluster %s lost quorum: %d of %d nodes remain, a majority node set needs %d (%s); every group goes offline", c.Name, c.votes(), len(c.Nodes), c.majority(), why)
	default:
		e.Emit(core.KindFailover, c.Name, "", "cluster %s lost quorum (%s); the Cluster service stops on every node", c.Name, why)
	}
	for _, g := range c.Groups {
		e.offlineResources(c, g, g.Resources, "quorum lost", false)
	}
	for _, n := range c.Nodes {
		e.CancelTimers(timerNodeJoin, c.Name+"/"+n.Name)
		if n.State == NodeDown {
			continue
		}
		e.touchNode(n)
		running := e.LookupServer(n.Name).Running
		if c.countsVotes() && running {
			n.State = NodeJoining
			e.Emit(core.KindState, n.Name, NodeJoining, "node %s is %s (its Cluster service restarts and waits for enough votes to rejoin)", n.Name, NodeJoining)
		} else if c.QuorumModel == QuorumMajority && running {
			n.State = NodeJoining
			e.Emit(core.KindState, n.Name, NodeJoining, "node %s is %s (waiting for a majority of the nodes)", n.Name, NodeJoining)
		} else {
			// The Service Control Manager starts a service that stopped
			// this way again every minute (retry.go).
			n.State, n.Retrying = NodeDown, running && c.QuorumModel != QuorumMajority
			e.Emit(core.KindState, n.Name, NodeDown, "node %s is %s (Cluster service stopped: no quorum)", n.Name, NodeDown)
		}
	}
	e.rearmServiceRetry(c)
}

// canForm reports whether the joining nodes can run the cluster.
func (e *Engine) canForm(c *Cluster, n *Node) (bool, string) {
	if c.countsVotes() {
		return e.canFormVotes(c, n)
	}
	switch c.QuorumModel {
	case QuorumMajority:
		votes := 0
		for _, x := range c.Nodes {
			if x.State != NodeDown && e.LookupServer(x.Name).Running {
				votes++
			}
		}
		if votes >= c.majority() {
			return true, ""
		}
		return false, fmt.Sprintf("%d of %d nodes are running, a majority node set needs %d", votes, len(c.Nodes), c.majority())
	case QuorumLocal:
		return true, ""
	}
	r := c.resources[core.Key(c.Quorum)]
	d := e.LookupDisk(r.Params["disk"])
	switch {
	case d.Failed:
		return false, fmt.Sprintf("the quorum disk %s has failed", d.Label)
	case !d.Sees(n.Name):
		return false, fmt.Sprintf("%s does not see the quorum disk %s", n.Name, d.Label)
	}
	// A cluster whose core resources cannot come online does not form
	// (reference/mscs.md §2.5): the node that forms it owns them.
	for _, cr := range c.groups[core.Key("Cluster Group")].Resources {
		if (cr.Name == c.Quorum || isCoreResource(cr)) && !c.canOwn(cr, n.Name) {
			return false, fmt.Sprintf("%s is not a possible owner of the core resource %q", n.Name, cr.Name)
		}
	}
	return true, ""
}

// regainQuorum restarts a stopped cluster: the joining nodes become members
// and the groups that were online come back on their preferred owners.
func (e *Engine) regainQuorum(c *Cluster, former *Node) {
	e.touchCluster(c)
	c.QuorumLost = false
	e.Emit(core.KindFailover, c.Name, "", "cluster %s has quorum again (%s); groups that were online come back", c.Name, c.quorumText(e))
	for _, n := range c.Nodes {
		if n.State == NodeJoining && e.LookupServer(n.Name).Running {
			e.CancelTimers(timerNodeJoin, c.Name+"/"+n.Name)
			how := "joined"
			if n == former && c.diskQuorum() {
				how = "it arbitrated for the quorum disk and formed the cluster"
			}
			e.memberUp(c, n, how)
		}
	}
	groups := append([]*Group(nil), c.Groups...)
	sortCoreFirst(groups)
	for _, g := range groups {
		if g.Name == "Cluster Group" && c.diskQuorum() && former != nil {
			// The node that formed the cluster arbitrated for the quorum disk.
			// Its resources that cannot run there fail, and their
			// restart policy takes over.
			e.setOwner(c, g, former.Name)
			e.onlineRunnable(c, g, g.persistentResources(), "cluster formed")
			continue
		}
		if !g.failsOver() && c.ownerDown(g) {
			e.handOver(c, g, c.groupList(g), "quorum regained and its node is Down")
			continue
		}
		e.place(c, g, "quorum regained")
	}
	e.rearmServiceRetry(c) // nodes still waiting to start their service join at its next start
	e.adjustVotes(c, "the cluster formed", nil)
}

func (c *Cluster) quorumText(e *Engine) string {
	if c.countsVotes() {
		if c.ForceQuorum {
			return "forced quorum"
		}
		in := func(n *Node) bool { return member(n) || e.joiner(n) }
		return votesText(c.tally(in, e.witnessReachable(c, in)))
	}
	switch c.QuorumModel {
	case QuorumMajority:
		votes := 0
		for _, n := range c.Nodes {
			if n.State != NodeDown && e.LookupServer(n.Name).Running {
				votes++
			}
		}
		return fmt.Sprintf("%d of %d nodes", votes, len(c.Nodes))
	case QuorumLocal:
		return "local quorum"
	}
	return "quorum disk online"
}

// place puts a group with resources to run on the first eligible node of
// its list and brings them online; the return of groups after quorum loss
// and the adoption of orphaned groups use it.
func (e *Engine) place(c *Cluster, g *Group, why string) {
	restore := g.persistentResources()
	if len(restore) == 0 {
		return
	}
	if g.noAutoStart() && e.heldFailover(c, g, c.groupList(g), why) { // placement: No Auto Start
		return
	}
	pl := e.placeGroup(c, g, c.groupList(g))
	target, skipped := pl.target, pl.skipped
	if target == "" {
		e.EmitDecision(core.KindWarning, g.Name, &core.Decision{From: g.Owner, Reason: why, Skipped: skipped},
			"group %q has no eligible node and stays offline%s", g.Name, skippedText(skipped))
		return
	}
	if !strings.EqualFold(target, g.Owner) {
		e.EmitDecision(core.KindFailover, g.Name, &core.Decision{From: g.Owner, To: target, Reason: why, Skipped: skipped},
			"group %q goes to %s (%s%s%s)", g.Name, target, why, skippedText(skipped), pl.note())
		e.setOwner(c, g, target)
	}
	e.onlineRunnable(c, g, restore, why)
}

// onlineRunnable brings resources online on the owner; those that cannot
// run there fail, and their restart policy takes over.
func (e *Engine) onlineRunnable(c *Cluster, g *Group, restore []*Resource, why string) {
	var ok []*Resource
	var bad []*Resource
	var reasons []error
	blocked := map[*Resource]bool{}
	for _, r := range c.onlineOrder(restore) {
		err := e.canRun(c, r, g.Owner)
		for _, d := range r.Dependencies {
			if blocked[c.resources[core.Key(d)]] {
				err = core.Errf(core.ErrState, "dependency %q is not online", d)
			}
		}
		if err != nil {
			blocked[r] = true
			if !isDependencyBlock(err) {
				bad = append(bad, r)
				reasons = append(reasons, err)
			}
			continue
		}
		ok = append(ok, r)
	}
	before := g.State()
	for _, r := range ok {
		e.touchResource(r)
		r.Persistent = true
		e.setState(r, Online, why)
	}
	e.groupChanged(g, before)
	for i, r := range bad {
		e.resourceFailed(c, r, reasons[i].Error())
	}
}

func isDependencyBlock(err error) bool {
	return strings.HasPrefix(err.Error(), "dependency ")
}

// ---- Joining ----

func (e *Engine) startJoin(c *Cluster, n *Node, why string) {
	if e.staysQuarantined(c, n) { // placement: quarantine.go
		return
	}
	e.touchNode(n)
	n.State, n.Retrying = NodeJoining, false
	e.Emit(core.KindState, n.Name, NodeJoining, "node %s is %s (%s)", n.Name, NodeJoining, why)
	e.CancelTimers(timerNodeJoin, c.Name+"/"+n.Name)
	e.Schedule(JoinTime, timerNodeJoin, c.Name+"/"+n.Name, "", 0)
}

func (e *Engine) finishJoin(c *Cluster, n *Node) {
	if !e.LookupServer(n.Name).Running {
		return
	}
	if c.running() {
		if !e.reachesMembers(c, n) {
			e.Emit(core.KindFailover, n.Name, "", "node %s cannot reach the other nodes over any heartbeat network and does not join; it waits as Joining", n.Name)
			return
		}
		e.memberUp(c, n, "joined")
		e.nodeCameUp(c, n)
		e.adjustVotes(c, n.Name+" joined", nil)
		return
	}
	if n.StartMode == StartForceQuorum {
		e.formForced(c, n)
		return
	}
	if ok, why := e.canForm(c, n); !ok {
		if c.diskQuorum() {
			e.stopForQuorum(c, n, why)
			return
		}
		e.Emit(core.KindFailover, n.Name, "", "node %s waits as Joining: cluster %s has no quorum (%s)", n.Name, c.Name, why)
		return
	}
	e.regainQuorum(c, n)
}

func (e *Engine) memberUp(c *Cluster, n *Node, how string) {
	e.touchNode(n)
	n.CutOff, n.StartMode = false, ""
	if n.Paused {
		n.State = NodePaused
		e.Emit(core.KindState, n.Name, NodePaused, "node %s is %s (%s; it was paused, and a pause survives a restart)", n.Name, NodePaused, how)
		return
	}
	n.State = NodeUp
	e.Emit(core.KindState, n.Name, NodeUp, "node %s is %s (%s)", n.Name, NodeUp, how)
}

// nodeCameUp runs when a node becomes available for groups: orphaned
// groups are placed and failback is considered.
func (e *Engine) nodeCameUp(c *Cluster, n *Node) {
	if !c.running() {
		return
	}
	for _, g := range c.Groups {
		if !c.ownerDown(g) || g.anyUp() {
			continue
		}
		why := "its node is down and " + n.Name + " is available"
		if g.failsOver() {
			e.place(c, g, why)
		} else {
			e.handOver(c, g, c.groupList(g), why)
		}
	}
	for _, g := range c.Groups {
		e.considerFailback(c, g)
	}
}

// ---- Heartbeats and partitions ----

// heartbeatNetworks lists the subnets of the networks that carry
// heartbeats (private and mixed roles).
func (c *Cluster) heartbeatNetworks() []string {
	var out []string
	for _, nw := range c.Networks {
		if nw.Role == "private" || nw.Role == "mixed" {
			out = append(out, nw.Subnet)
		}
	}
	return out
}

// reachesMembers reports whether n shares a working heartbeat network with
// at least one running member (or is alone).
func (e *Engine) reachesMembers(c *Cluster, n *Node) bool {
	others := 0
	for _, m := range c.Nodes {
		if m == n || (m.State != NodeUp && m.State != NodePaused) || !e.LookupServer(m.Name).Running {
			continue
		}
		others++
		if e.linked(c, n, m) {
			return true
		}
	}
	return others == 0
}

func (e *Engine) linked(c *Cluster, a, b *Node) bool {
	sa, sb := e.LookupServer(a.Name), e.LookupServer(b.Name)
	for _, subnet := range c.heartbeatNetworks() {
		if sa.HasWorkingAdapterOn(subnet) && sb.HasWorkingAdapterOn(subnet) {
			return true
		}
	}
	return false
}

// scheduleRegroup arranges for the surviving nodes to notice a change in
// heartbeats once the heartbeat timeout has passed.
func (e *Engine) scheduleRegroup(c *Cluster, why string) {
	e.Schedule(c.HeartbeatTimeout(), timerRegroup, c.Name, why, 0)
}

// regroup finds the nodes that still exchange heartbeats, marks the others
// Down and fails their groups over.
func (e *Engine) regroup(c *Cluster, why string) {
	if !c.running() {
		return
	}
	var alive []*Node
	var dead []*Node
	for _, n := range c.Nodes {
		if n.State != NodeUp && n.State != NodePaused {
			continue
		}
		if e.LookupServer(n.Name).Running {
			alive = append(alive, n)
		} else {
			dead = append(dead, n)
		}
	}
	parts := e.partitions(c, alive)
	survivor := e.survivor(c, parts)
	timeout := core.FormatDuration(c.HeartbeatTimeout())
	var lost []*Node
	for _, n := range dead {
		e.touchNode(n)
		n.State = NodeDown
		lost = append(lost, n)
		e.Emit(core.KindState, n.Name, NodeDown, "node %s is %s (no heartbeat for %s)", n.Name, NodeDown, timeout)
	}
	if survivor == nil {
		e.loseQuorum(c, why)
		return
	}
	for _, p := range parts {
		if p[0] == survivor[0] {
			continue
		}
		for _, n := range p {
			e.touchNode(n)
			n.State, n.CutOff = NodeDown, true
			lost = append(lost, n)
			e.Emit(core.KindState, n.Name, NodeDown, "node %s is %s (cut off from %s over every heartbeat network for %s; the partition with quorum keeps running and the Cluster service on %s stops)", n.Name, NodeDown, nodeNames(survivor), timeout, n.Name)
		}
	}
	e.failoverFrom(c, lost, why)
	e.failUnreachableAddresses(c)
}

// failoverFrom fails over the groups of nodes that just went Down, the
// Cluster Group first, or stops the cluster when it has lost quorum.
func (e *Engine) failoverFrom(c *Cluster, lost []*Node, why string) {
	if !c.hasQuorumAfter(e) {
		e.loseQuorum(c, why)
		return
	}
	e.countExits(c, lost) // placement: quarantine.go
	var moving []*Group
	for _, n := range lost {
		moving = append(moving, c.OwnedGroups(n.Name)...)
	}
	sortCoreFirst(moving)
	for _, g := range moving {
		why := fmt.Sprintf("node %s is Down", g.Owner)
		if !g.failsOver() {
			e.handOver(c, g, c.afterOwner(g), why)
			continue
		}
		e.failover(c, g, why)
	}
	e.checkQuorum(c, why)
}

func nodeNames(ns []*Node) string {
	names := make([]string, len(ns))
	for i, n := range ns {
		names[i] = n.Name
	}
	return strings.Join(names, ", ")
}

// hasQuorumAfter is HasQuorum for the moment after a regroup, before the
// Cluster Group has moved: a disk cluster keeps quorum while some member
// can arbitrate for a healthy quorum disk.
func (c *Cluster) hasQuorumAfter(e *Engine) bool {
	if c.countsVotes() {
		if c.ForceQuorum {
			return c.HasQuorum()
		}
		return quorate(c.tally(member, e.witnessReachable(c, member)))
	}
	switch c.QuorumModel {
	case QuorumDisk, QuorumDiskOnly:
		r := c.resources[core.Key(c.Quorum)]
		d := e.LookupDisk(r.Params["disk"])
		if d.Failed {
			return false
		}
		for _, n := range c.Nodes {
			if (n.State == NodeUp || n.State == NodePaused) && d.Sees(n.Name) {
				return true
			}
		}
		return false
	}
	return c.HasQuorum()
}

// partitions groups the alive nodes by heartbeat connectivity, each
// partition in name order, partitions by their first node.
func (e *Engine) partitions(c *Cluster, alive []*Node) [][]*Node {
	parent := map[*Node]*Node{}
	var find func(n *Node) *Node
	find = func(n *Node) *Node {
		if parent[n] == n {
			return n
		}
		parent[n] = find(parent[n])
		return parent[n]
	}
	for _, n := range alive {
		parent[n] = n
	}
	for _, subnet := range c.heartbeatNetworks() {
		var first *Node
		for _, n := range alive {
			if e.LookupServer(n.Name).HasWorkingAdapterOn(subnet) {
				if first == nil {
					first = n
				} else {
					parent[find(n)] = find(first)
				}
			}
		}
	}
	byRoot := map[*Node][]*Node{}
	var roots []*Node
	for _, n := range alive {
		r := find(n)
		if _, ok := byRoot[r]; !ok {
			roots = append(roots, r)
		}
		byRoot[r] = append(byRoot[r], n)
	}
	var out [][]*Node
	for _, r := range roots {
		p := byRoot[r]
		sort.Slice(p, func(i, j int) bool { return p[i].Name < p[j].Name })
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0].Name < out[j][0].Name })
	return out
}

// survivor picks the partition that keeps running: for a quorum disk, the
// one whose node holds the disk (or, when that node is gone, the largest);
// for a majority node set, one with a majority; nil when none qualifies.
func (e *Engine) survivor(c *Cluster, parts [][]*Node) []*Node {
	if len(parts) == 0 {
		return nil
	}
	if c.countsVotes() {
		return e.voteSurvivor(c, parts)
	}
	switch c.QuorumModel {
	case QuorumMajority:
		for _, p := range parts {
			if len(p) >= c.majority() {
				return p
			}
		}
		return nil
	case QuorumLocal:
		return parts[0]
	}
	owner := c.groups[core.Key("Cluster Group")].Owner
	for _, p := range parts {
		for _, n := range p {
			if strings.EqualFold(n.Name, owner) {
				return p
			}
		}
	}
	best := parts[0]
	for _, p := range parts[1:] {
		if len(p) > len(best) {
			best = p
		}
	}
	return best
}

// failUnreachableAddresses fails IP Address resources whose owner lost its
// adapter on their network.
// Only the groups of nodes missing a network are looked at, so the cost
// follows the nodes and groups affected, not the size of the cluster.
func (e *Engine) failUnreachableAddresses(c *Cluster) {
	for _, n := range c.Nodes {
		if n.State != NodeUp && n.State != NodePaused {
			continue
		}
		s := e.LookupServer(n.Name)
		lost := map[string]bool{}
		for _, nw := range c.Networks {
			if !s.HasWorkingAdapterOn(nw.Subnet) {
				lost[nw.Name] = true
			}
		}
		if len(lost) == 0 {
			continue
		}
		for _, g := range c.OwnedGroups(n.Name) {
			for _, r := range g.Resources {
				if r.Type == TypeIPAddress && r.State == Online && lost[r.Params["network"]] {
					e.resourceFailed(c, r, fmt.Sprintf("%s lost its adapter on network %s", g.Owner, r.Params["network"]))
				}
			}
		}
	}
}

// ---- Failover ----

// within keeps the instants of a sliding window: those less than period
// before now. Failover and restart counts use it.
func (e *Engine) within(times []int64, period int64) []int64 {
	kept := times[:0]
	for _, t := range times {
		if e.Clock-t < period {
			kept = append(kept, t)
		}
	}
	return kept
}

// failover moves a group to the next eligible node after its owner, or
// leaves it Failed when it has failed over too often or no node qualifies.
func (e *Engine) failover(c *Cluster, g *Group, why string) {
	if g.noAutoStart() && e.heldFailover(c, g, c.afterOwner(g), why) { // placement: No Auto Start
		return
	}
	e.touchGroup(g)
	g.Failovers = e.within(g.Failovers, int64(g.FailoverPeriod)*core.Hour)
	restore := g.persistentResources()
	if len(g.Failovers) >= c.FailoverThreshold(g) {
		e.leaveFailed(c, g, restore, fmt.Sprintf("%s, but it already failed over %d times in %d hours (threshold %s)", why, len(g.Failovers), g.FailoverPeriod, c.thresholdText(g)), nil)
		if c.ownerDown(g) {
			e.handOver(c, g, c.afterOwner(g), why)
		}
		return
	}
	pl := e.placeGroup(c, g, c.afterOwner(g))
	target, skipped := pl.target, pl.skipped
	if e.antiAffinityHold(c, g, pl, why) { // placement: enforced anti-affinity
		return
	}
	if target == "" {
		e.leaveFailed(c, g, restore, why+" and no node can take it", skipped)
		return
	}
	g.Failovers = append(g.Failovers, e.Clock)
	e.EmitDecision(core.KindFailover, g.Name, &core.Decision{From: g.Owner, To: target, Reason: why, Skipped: skipped},
		"group %q fails over from %s to %s (%s%s%s)", g.Name, g.Owner, target, why, skippedText(skipped), pl.note())
	e.offlineResources(c, g, g.Resources, "failing over", false)
	e.setOwner(c, g, target)
	e.onlineRunnable(c, g, restore, "failover")
}

func (e *Engine) leaveFailed(c *Cluster, g *Group, restore []*Resource, why string, skipped []core.Skip) {
	e.EmitDecision(core.KindFailover, g.Name, &core.Decision{From: g.Owner, Reason: why, Skipped: skipped},
		"group %q is left Failed: %s%s", g.Name, why, skippedText(skipped))
	before := g.State()
	for _, r := range c.offlineOrder(g.Resources) {
		e.CancelTimers(timerRestart, c.Name+"/"+r.Name)
		if r.Persistent {
			if r.State != Failed {
				e.setState(r, Failed, "group left failed")
			}
		} else if r.State != Offline {
			e.setState(r, Offline, "")
		}
	}
	e.groupChanged(g, before)
	e.scheduleRetries(c, g.Resources)
}

// ---- Resource failure and restart ----

// resourceFailed records a resource failure: its dependents go offline and
// the restart policy decides what follows.
func (e *Engine) resourceFailed(c *Cluster, r *Resource, why string) {
	g := r.group
	before := g.State()
	for _, d := range c.offlineOrder(c.dependentsOf(r)) {
		e.setState(d, Offline, fmt.Sprintf("%q failed", r.Name))
		e.CancelTimers(timerRestart, c.Name+"/"+d.Name)
	}
	e.setState(r, Failed, why)
	e.groupChanged(g, before)
	if c.hasWitness() && r.Name == c.Quorum {
		e.checkQuorum(c, fmt.Sprintf("the witness %q failed", r.Name))
		if !c.running() {
			return
		}
	}
	e.afterFailure(c, r)
}

// afterFailure applies the restart policy to a Failed resource.
func (e *Engine) afterFailure(c *Cluster, r *Resource) {
	period := int64(r.RestartPeriod) * core.Second
	e.touchResource(r)
	r.Restarts = e.within(r.Restarts, period)
	switch {
	case !r.Restart:
		e.Emit(core.KindFailover, r.Name, "", "resource %q stays Failed (its policy is not to restart)", r.Name)
	case e.notRestartedOnSilentNode(c, r):
	case len(r.Restarts) < r.RestartThreshold:
		e.Schedule(RestartDelay, timerRestart, c.Name+"/"+r.Name, "", 0)
		e.Emit(core.KindFailover, r.Name, "", "resource %q will be restarted on %s (restart %d of %d within %s)", r.Name, r.group.Owner, len(r.Restarts)+1, r.RestartThreshold, core.FormatDuration(period))
	case r.AffectGroup:
		e.Emit(core.KindFailover, r.Name, "", "resource %q failed again after %d restarts within %s (its restart threshold); it affects the group, so group %q fails over", r.Name, len(r.Restarts), core.FormatDuration(period), r.group.Name)
		e.failover(c, r.group, fmt.Sprintf("resource %q exceeded its restart threshold", r.Name))
		e.checkQuorum(c, fmt.Sprintf("resource %q failed", r.Name))
	default:
		e.Emit(core.KindFailover, r.Name, "", "resource %q failed again after %d restarts within %s (its restart threshold); it does not affect the group, so it stays Failed and the rest of group %q keeps running", r.Name, len(r.Restarts), core.FormatDuration(period), r.group.Name)
		e.scheduleRetries(c, []*Resource{r})
	}
}

func (e *Engine) restart(c *Cluster, r *Resource) {
	if !c.running() || e.notRestartedOnSilentNode(c, r) {
		return
	}
	e.touchResource(r)
	r.Restarts = append(r.Restarts, e.Clock)
	g := r.group
	if err := e.canRun(c, r, g.Owner); err != nil {
		e.Emit(core.KindFailover, r.Name, "", "restart of %q on %s failed: %v", r.Name, g.Owner, err)
		e.afterFailure(c, r)
		return
	}
	// The restart brings back the resource and whatever depended on it and
	// should be running.
	restore := []*Resource{r}
	for _, d := range c.allDependents(r) {
		if d.Persistent {
			restore = append(restore, d)
		}
	}
	e.onlineRunnable(c, g, restore, fmt.Sprintf("restarted, %d of %d", len(r.Restarts), r.RestartThreshold))
}

// allDependents lists every resource that depends on r, directly or not.
func (c *Cluster) allDependents(r *Resource) []*Resource {
	var out []*Resource
	seen := map[*Resource]bool{}
	var visit func(x *Resource)
	visit = func(x *Resource) {
		for _, d := range c.dependentsOf(x) {
			if !seen[d] {
				seen[d] = true
				out = append(out, d)
				visit(d)
			}
		}
	}
	visit(r)
	return out
}

// FailResource makes a resource fail now, as Cluster Administrator's
// "Initiate Failure" does; the restart policy decides what follows.
func (e *Engine) FailResource(cluster, resource string) error {
	c, r, err := e.ResourceOf(cluster, resource)
	if err != nil {
		return err
	}
	if r.State != Online {
		return core.Errf(core.ErrState, "resource %q is %s; only an Online resource can be made to fail", r.Name, r.State)
	}
	if err := e.mustRespond(c, r.group, fmt.Sprintf("initiate a failure of %q", r.Name)); err != nil {
		return err
	}
	e.resourceFailed(c, r, "failure initiated by the administrator")
	return nil
}

// ---- Failback ----

// InWindow reports whether hour falls in [start, end), wrapping past
// midnight when start > end.
func InWindow(hour, start, end int) bool {
	if start <= end {
		return hour >= start && hour < end
	}
	return hour >= start || hour < end
}

// considerFailback moves a group back to its most preferred eligible node
// when failback is allowed and that node is more preferred than the owner.
func (e *Engine) considerFailback(c *Cluster, g *Group) {
	if g.Failback == FailbackPrevent || len(g.PreferredOwners) == 0 || !c.running() {
		return
	}
	var target string
	var skipped []core.Skip
	for _, p := range g.PreferredOwners {
		if strings.EqualFold(p, g.Owner) {
			return
		}
		if why := e.eligible(c, g, p); why != "" {
			skipped = append(skipped, core.Skip{Node: p, Why: why})
			continue
		}
		target = p
		break
	}
	if target == "" {
		return
	}
	if o := c.nodes[core.Key(g.Owner)]; o.State != NodeUp && o.State != NodePaused {
		return // an orphaned group is placed, not failed back
	}
	if g.Failback == FailbackWindow && !InWindow(core.HourOfDay(e.Clock), g.WindowStart, g.WindowEnd) {
		subject := c.Name + "/" + g.Name
		if e.CancelTimers(timerFailback, subject) == 0 {
			e.EmitDecision(core.KindFailover, g.Name, &core.Decision{From: g.Owner, To: target, Reason: fmt.Sprintf("failback window opens at %02d:00", g.WindowStart), Skipped: skipped},
				"group %q will fail back to %s when its window opens at %02d:00", g.Name, target, g.WindowStart)
		}
		d, _ := e.UntilTimeOfDay(g.WindowStart, 0)
		e.Schedule(d, timerFailback, subject, "", 0)
		return
	}
	restore := g.persistentResources()
	if err := e.checkRestore(c, restore, target); err != nil {
		e.EmitDecision(core.KindFailover, g.Name, &core.Decision{From: g.Owner, To: target, Reason: err.Error(), Skipped: skipped},
			"group %q does not fail back to %s: %v", g.Name, target, err)
		return
	}
	how := "immediate"
	if g.Failback == FailbackWindow {
		how = fmt.Sprintf("window %02d:00–%02d:00", g.WindowStart, g.WindowEnd)
	}
	e.EmitDecision(core.KindFailover, g.Name, &core.Decision{From: g.Owner, To: target, Reason: "failback " + how, Skipped: skipped},
		"group %q fails back from %s to %s, its preferred owner (failback %s%s)", g.Name, g.Owner, target, how, skippedText(skipped))
	e.relocate(c, g, target, restore, "failed back")
}

// ---- Policies ----

// FailoverPolicy is a group's Failover and Failback tabs.
type FailoverPolicy struct {
	// DefaultThreshold: the version's default threshold (nodes − 1 from
	// 2008, 10 on 2003) instead of Threshold.
	DefaultThreshold bool
	Threshold        int    // failovers allowed in Period
	Period           int    // hours
	Failback         string // "prevent", "immediate" or "window"
	Window           []int  // [start_hour, end_hour] for "window"
}

// check refuses a policy out of range; it returns the window's hours, or
// -1 and -1 without a window. A loaded group's policy is checked by it too.
func (p FailoverPolicy) check() (start, end int, err error) {
	threshold, period, failback, window := p.Threshold, p.Period, p.Failback, p.Window
	if threshold < 0 || threshold > 0xFFFFFFFE {
		return -1, -1, core.Errf(core.ErrInvalid, "failover threshold %d is out of range; give 0 or more failovers (Microsoft advises no more than the number of nodes)", threshold)
	}
	if period < 1 || period > MaxFailoverPeriod {
		return -1, -1, core.Errf(core.ErrInvalid, "failover period %d is out of range; it is 1 to %d hours", period, MaxFailoverPeriod)
	}
	if err := core.OneOf("failback policy", failback, FailbackPolicies...); err != nil {
		return -1, -1, err
	}
	start, end = -1, -1
	switch {
	case failback == FailbackWindow && window == nil:
		return -1, -1, core.Errf(core.ErrInvalid, "failback \"window\" needs window=(start_hour, end_hour), e.g. window=(22, 2) for 22:00–02:00")
	case failback != FailbackWindow && window != nil:
		return -1, -1, core.Errf(core.ErrInvalid, "window= applies only with failback=\"window\"; drop it or set failback=\"window\"")
	case window != nil:
		if len(window) != 2 {
			return -1, -1, core.Errf(core.ErrInvalid, "window must be (start_hour, end_hour), got %d values", len(window))
		}
		start, end = window[0], window[1]
		for _, h := range window {
			if h < 0 || h > 23 {
				return -1, -1, core.Errf(core.ErrInvalid, "failback window hour %d is outside 0–23", h)
			}
		}
		if start == end {
			return -1, -1, core.Errf(core.ErrInvalid, "failback window %02d:00–%02d:00 is empty; use failback=\"immediate\" to allow failback at any hour", start, end)
		}
	}
	return start, end, nil
}

// SetFailoverPolicy sets a group's failover threshold and period and its
// failback policy.
func (e *Engine) SetFailoverPolicy(cluster, group string, p FailoverPolicy) error {
	threshold, period, failback := p.Threshold, p.Period, p.Failback
	c, g, err := e.GroupOf(cluster, group)
	if err != nil {
		return err
	}
	if err := e.requireQuorum(c, fmt.Sprintf("change the failover policy of %q", g.Name)); err != nil {
		return err
	}
	if p.DefaultThreshold {
		p.Threshold, threshold = 0, c.defaultFailoverThreshold()
	}
	start, end, err := p.check()
	if err != nil {
		return err
	}
	e.touchGroup(g)
	g.FailoverThreshold, g.FailoverPeriod, g.Failback = threshold, period, failback
	g.WindowStart, g.WindowEnd = start, end
	e.CancelTimers(timerFailback, c.Name+"/"+g.Name)
	text := fmt.Sprintf("failover policy of %q: at most %s failovers in %d hours, failback %s", g.Name, c.thresholdText(g), period, failback)
	if failback == FailbackWindow {
		text += fmt.Sprintf(" between %02d:00 and %02d:00", start, end)
	}
	e.EmitText(core.KindCluster, g.Name, "", text)
	e.recordGroup("failover_policy", c, g)
	e.considerFailback(c, g)
	return nil
}

// RestartPolicy is a resource's Advanced tab.
type RestartPolicy struct {
	// DefaultThreshold: the version's default RestartThreshold (1 from
	// 2008, 3 on 2003) instead of Threshold.
	DefaultThreshold bool
	Restart          bool // false: "Do not restart"
	Threshold        int  // restarts allowed in Period
	Period           int  // seconds
	AffectGroup      bool // the group fails over once restarts are exhausted
	// RetryPeriod is RetryPeriodOnFailure in seconds, at least Period;
	// 0 means the default (one hour, or Period when that is longer).
	RetryPeriod int
}

// check refuses a restart threshold or period out of range.
func (p RestartPolicy) check() error {
	if p.Threshold < 0 || p.Threshold > 0xFFFFFFFE {
		return core.Errf(core.ErrInvalid, "restart threshold %d is out of range; give 0 or more restarts", p.Threshold)
	}
	if p.Period < 1 || p.Period > 0xFFFFFFFE/1000 {
		return core.Errf(core.ErrInvalid, "restart period %d is out of range; it is 1 to %d seconds", p.Period, 0xFFFFFFFE/1000)
	}
	return nil
}

// SetRestartPolicy sets a resource's restart policy.
func (e *Engine) SetRestartPolicy(cluster, resource string, p RestartPolicy) error {
	restart, threshold, period, affectGroup := p.Restart, p.Threshold, p.Period, p.AffectGroup
	c, r, err := e.ResourceOf(cluster, resource)
	if err != nil {
		return err
	}
	if err := e.requireQuorum(c, fmt.Sprintf("change the restart policy of %q", r.Name)); err != nil {
		return err
	}
	if p.DefaultThreshold {
		p.Threshold, threshold = c.profile().restartThreshold, c.profile().restartThreshold
	}
	if err := p.check(); err != nil {
		return err
	}
	retry := p.RetryPeriod
	if retry == 0 {
		retry = defaultRetryPeriod(period)
	}
	if err := CheckRetryPeriod(retry, period); err != nil {
		return err
	}
	e.touchResource(r)
	r.Restart, r.RestartThreshold, r.RestartPeriod, r.AffectGroup = restart, threshold, period, affectGroup
	r.RetryPeriod = retry
	if retry == DefaultRetryPeriod {
		r.RetryPeriod = 0 // the default, as a state file leaves it out
	}
	text := fmt.Sprintf("restart policy of %q: do not restart", r.Name)
	if restart {
		affect := "does not affect the group"
		if affectGroup {
			affect = "affects the group"
		}
		text = fmt.Sprintf("restart policy of %q: restart up to %d times in %s, then %s", r.Name, threshold, core.FormatDuration(int64(period)*core.Second), affect)
		if retry != DefaultRetryPeriod {
			text += fmt.Sprintf("; left Failed, it is tried again after %s", core.FormatDuration(int64(retry)*core.Second))
		}
	}
	e.EmitText(core.KindCluster, r.Name, "", text)
	e.recordResource("restart_policy", c, r)
	return nil
}
