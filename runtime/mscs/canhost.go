package mscs

// CanHost says why group g of cluster c could not be Online on node now,
// or returns "" when it could: the node may own the group (Up, not Paused,
// a possible owner of every resource, and for an Exchange virtual server
// cluster-aware Exchange and no other virtual server there) and every
// resource of the group could come online on it (its disk works, the node
// has a working adapter on its network, …). These are the rules failover,
// move_group and bring_online go by; the fault explorer asks them whether
// a group left offline had somewhere to run. node must be a node of c.
func (e *Engine) CanHost(c *Cluster, g *Group, node string) string {
	if why := e.eligible(c, g, node); why != "" {
		return why
	}
	for _, r := range g.Resources {
		if err := e.canRun(c, r, node); err != nil {
			return err.Error()
		}
	}
	return ""
}
