package mscs

import (
	"fmt"
	"strings"

	"clusterscript/runtime/core"
)

// Drain (Windows Server 2012 and later): Suspend-ClusterNode -Drain moves
// every group off a node by the failover rules, then pauses it;
// Resume-ClusterNode -Failback Immediate brings the drained groups back.
// NodeDrainStatus tracks it.

// Drain statuses (NodeDrainStatus 0–3).
const (
	DrainNotInitiated = "NotInitiated"
	DrainInProgress   = "InProgress"
	DrainCompleted    = "Completed"
	DrainFailed       = "Failed"
)

// DrainStatuses lists the statuses a node can show.
var DrainStatuses = []string{DrainNotInitiated, DrainInProgress, DrainCompleted, DrainFailed}

// DrainStatus is a node's drain status and whether the cluster's version
// drains (Windows Server 2012 and later).
func (c *Cluster) DrainStatus(n *Node) (string, bool) {
	if !c.profile().drain {
		return "", false
	}
	if n.DrainStatus == "" {
		return DrainNotInitiated, true
	}
	return n.DrainStatus, true
}

// DrainNode moves each group a node owns to the node the failover rules
// choose (the next eligible node after it in the group's list, with
// anti-affinity and sites), restoring its state there, highest priority
// first; then it pauses the node. A group that cannot move stays where it
// is and the drain ends Failed, with the node Paused all the same.
func (e *Engine) DrainNode(cluster, node string) error {
	c, n, err := e.NodeOf(cluster, node)
	if err != nil {
		return err
	}
	if err := c.needVersion("drain_node", features["drain"]); err != nil {
		return err
	}
	if !c.running() {
		return core.Errf(core.ErrState, "cluster %s has lost quorum and runs nothing; restore quorum before draining %s", c.Name, n.Name)
	}
	if n.State != NodeUp && n.State != NodePaused {
		return core.Errf(core.ErrState, "node %s is %s; only an Up or Paused node can be drained", n.Name, n.DisplayState())
	}
	if why := e.silent(c, n.Name); why != "" {
		return core.Errf(core.ErrState, "cannot drain %s: %s; the cluster fails its groups over once it declares the node Down", n.Name, why)
	}
	groups := c.OwnedGroups(n.Name)
	sortCoreFirst(groups)
	e.touchNode(n)
	e.RecordChange("drain_node", c.Name, n.Name)
	n.DrainStatus = DrainInProgress
	what := fmt.Sprintf("its %d groups move", len(groups))
	if len(groups) == 1 {
		what = "its group moves"
	}
	e.Emit(core.KindCluster, n.Name, "", "draining node %s (drain %s): %s by the failover rules, highest priority first, then the node pauses", n.Name, DrainInProgress, what)
	var stuck []string
	for _, g := range groups {
		if !e.drainGroup(c, g, n) {
			stuck = append(stuck, g.Name)
		}
	}
	n.State, n.Paused = NodePaused, true
	if len(stuck) > 0 {
		n.DrainStatus = DrainFailed
		e.Emit(core.KindState, n.Name, NodePaused, "node %s is %s (drain %s: %s could not move and stays on %s; move it by hand or take it offline, then resume_node and drain again)", n.Name, NodePaused, DrainFailed, quoteList(stuck), n.Name)
		return nil
	}
	n.DrainStatus = DrainCompleted
	e.Emit(core.KindState, n.Name, NodePaused, "node %s is %s (drain %s: it owns no groups and none can move to it)", n.Name, NodePaused, DrainCompleted)
	return nil
}

// drainGroup moves one group off a node being drained; it reports whether
// the group left.
func (e *Engine) drainGroup(c *Cluster, g *Group, n *Node) bool {
	p := e.placeGroup(c, g, c.afterOwner(g))
	if p.target == "" {
		e.EmitDecision(core.KindWarning, g.Name, &core.Decision{From: n.Name, Reason: "drain", Skipped: p.skipped},
			"group %q has no node to move to and stays on %s%s", g.Name, n.Name, skippedText(p.skipped))
		return false
	}
	restore := g.persistentResources()
	if err := e.checkRestore(c, restore, p.target); err != nil {
		e.EmitDecision(core.KindWarning, g.Name, &core.Decision{From: n.Name, To: p.target, Reason: err.Error(), Skipped: p.skipped},
			"group %q cannot move to %s (%v) and stays on %s", g.Name, p.target, err, n.Name)
		return false
	}
	e.EmitDecision(core.KindCluster, g.Name, &core.Decision{From: n.Name, To: p.target, Reason: "drain", Skipped: p.skipped},
		"moving group %q from %s to %s (drain%s%s)", g.Name, n.Name, p.target, skippedText(p.skipped), p.note())
	e.relocate(c, g, p.target, restore, "drained")
	e.touchGroup(g)
	g.DrainedFrom = n.Name
	return true
}

// ResumeNodeWith resumes a paused node; its drain status goes back to
// NotInitiated. With failback (Resume-ClusterNode -Failback Immediate,
// Windows Server 2012 and later) the groups drained from it come back,
// highest priority first, restoring their state; without it they stay
// where the drain put them (their own failback policy still applies).
func (e *Engine) ResumeNodeWith(cluster, node string, failback bool) error {
	c, n, err := e.NodeOf(cluster, node)
	if err != nil {
		return err
	}
	if failback {
		if err := c.needVersion("resume_node(failback=True)", features["drain"]); err != nil {
			return err
		}
	}
	if n.State != NodePaused {
		return core.Errf(core.ErrState, "node %s is %s, not Paused; there is nothing to resume", n.Name, n.DisplayState())
	}
	var drained []*Group
	for _, g := range c.Groups {
		if strings.EqualFold(g.DrainedFrom, n.Name) {
			drained = append(drained, g)
		}
	}
	sortCoreFirst(drained)
	e.touchNode(n)
	n.State, n.Paused, n.DrainStatus = NodeUp, false, ""
	e.Emit(core.KindState, n.Name, NodeUp, "node %s is %s (resumed)", n.Name, NodeUp)
	if failback {
		e.RecordChange("resume_node", c.Name, n.Name, core.Text("failback", "immediate"))
	} else {
		e.RecordChange("resume_node", c.Name, n.Name)
	}
	for _, g := range drained {
		e.touchGroup(g)
		g.DrainedFrom = ""
	}
	if failback {
		for _, g := range drained {
			e.failBackDrained(c, g, n)
		}
	}
	e.nodeCameUp(c, n)
	return nil
}

// failBackDrained brings a drained group back to the node it was drained
// from, if that node can run it.
func (e *Engine) failBackDrained(c *Cluster, g *Group, n *Node) {
	if strings.EqualFold(g.Owner, n.Name) {
		return
	}
	why := e.eligible(c, g, n.Name)
	if why == "" {
		if err := e.enforcedConflict(c, g, n.Name); err != nil && g.failsOver() {
			why = err.Error()
		}
	}
	restore := g.persistentResources()
	if why == "" {
		if err := e.checkRestore(c, restore, n.Name); err != nil {
			why = err.Error()
		}
	}
	if why == "" {
		why = e.silent(c, g.Owner)
	}
	if why != "" {
		e.EmitDecision(core.KindFailover, g.Name, &core.Decision{From: g.Owner, To: n.Name, Reason: why},
			"group %q does not fail back to %s: %s", g.Name, n.Name, why)
		return
	}
	e.EmitDecision(core.KindFailover, g.Name, &core.Decision{From: g.Owner, To: n.Name, Reason: "resume with failback"},
		"group %q fails back from %s to %s (drained from it; resumed with failback)", g.Name, g.Owner, n.Name)
	e.relocate(c, g, n.Name, restore, "failed back")
}

// forgetDrained clears what names a node being evicted: the groups drained
// from it no longer return anywhere.
func (e *Engine) forgetDrained(c *Cluster, n *Node) {
	for _, g := range c.Groups {
		if strings.EqualFold(g.DrainedFrom, n.Name) {
			e.touchGroup(g)
			g.DrainedFrom = ""
		}
	}
}
