package mscs

import "clusterscript/runtime/core"

// A node that is Down hosts nothing: when it goes Down the Cluster service
// fails over every group it hosted (MSDN "Failback": "When a node becomes
// inactive for any reason, the Cluster service fails over any groups hosted
// by the node"). A group with resources the administrator wants online
// fails over as usual (failover). A group with none — an Offline group —
// has nothing to bring online and cannot fail: it only changes owner,
// without counting against its failover threshold. So does a group left
// Failed because it exhausted that threshold: it stays Failed, on a node
// that is up.

// ownerDown reports whether a group's owner is Down or Joining: a node that
// hosts nothing.
func (c *Cluster) ownerDown(g *Group) bool {
	n := c.nodes[core.Key(g.Owner)]
	return n == nil || (n.State != NodeUp && n.State != NodePaused)
}

// handOver gives a group of a node that is Down to the first eligible node
// of candidates, bringing nothing online; with no eligible node the group
// stays where it is until a node comes up (nodeCameUp).
func (e *Engine) handOver(c *Cluster, g *Group, candidates []string, why string) {
	target, skipped := e.pick(c, g, candidates)
	if target == "" {
		e.Emit(core.KindFailover, g.Name, "", "group %q stays on %s (%s), which is Down, until a node can take it%s", g.Name, g.Owner, why, skippedText(skipped))
		return
	}
	e.Emit(core.KindFailover, g.Name, "", "group %q moves from %s to %s and stays %s (%s%s)", g.Name, g.Owner, target, g.State(), why, skippedText(skipped))
	e.setOwner(c, g, target)
}

// failsOver reports whether a group of a node that went Down fails over (it
// has resources to bring online) or only changes owner.
func (g *Group) failsOver() bool {
	for _, r := range g.Resources {
		if r.Persistent {
			return true
		}
	}
	return false
}
