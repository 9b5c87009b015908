package mscs

import (
	"fmt"

	"clusterscript/runtime/core"
)

// A node whose server has crashed stays Up in the cluster's eyes until the
// heartbeat timeout has passed. Until then it answers nothing: its resource
// monitors died with the server, so no resource comes online or restarts
// there, and a request sent to it fails. Target choice does not skip it (the
// cluster does not know yet); what is sent to it fails instead.

// silent explains that node is Up or Paused for the cluster but its server
// has stopped, or returns "".
func (e *Engine) silent(c *Cluster, node string) string {
	n := c.nodes[core.Key(node)]
	if n == nil || (n.State != NodeUp && n.State != NodePaused) {
		return ""
	}
	if s := e.LookupServer(n.Name); s == nil || s.Running {
		return ""
	}
	return fmt.Sprintf("node %s does not respond (its server has stopped, and the cluster declares the node Down only after the %s heartbeat timeout)", n.Name, core.FormatDuration(c.HeartbeatTimeout()))
}

// mustRespond refuses to act on a group whose owner does not respond.
func (e *Engine) mustRespond(c *Cluster, g *Group, act string) error {
	if why := e.silent(c, g.Owner); why != "" {
		return core.Errf(core.ErrState, "cannot %s: group %q is owned by %s, and %s; wait until the cluster declares %s Down and fails the group over", act, g.Name, g.Owner, why, g.Owner)
	}
	return nil
}

// notRestartedOnSilentNode reports, with an event, that a Failed resource's
// owner does not respond, so nothing restarts it there: it stays Failed
// until the cluster declares the node Down and fails its group over.
func (e *Engine) notRestartedOnSilentNode(c *Cluster, r *Resource) bool {
	g := r.group
	if why := e.silent(c, g.Owner); why != "" {
		e.Emit(core.KindFailover, r.Name, "", "resource %q is not restarted: %s, and its resource monitor died with the server; it stays Failed until %s is declared Down and group %q fails over", r.Name, why, g.Owner, g.Name)
		return true
	}
	return false
}
