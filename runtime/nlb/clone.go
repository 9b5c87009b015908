package nlb

import (
	"slices"

	"clusterscript/runtime/core"
)

// CloneInto makes dst, a new engine on a copy of this engine's core
// (core.World.CloneInto), an independent copy of the NLB clusters, with
// their indexes and compiled routers.
func (e *Engine) CloneInto(dst *Engine) {
	dst.Clusters = core.Slots(e.Clusters)
	for i, c := range e.Clusters {
		dst.Clusters[i] = c.clone()
	}
}

func (c *Cluster) clone() *Cluster {
	nc := new(Cluster)
	*nc = *c // byPrio is an array: copied
	nc.Hosts = core.Slots(c.Hosts)
	for i, h := range c.Hosts {
		nh := *h
		nc.Hosts[i] = &nh
	}
	nc.Rules = core.Slots(c.Rules)
	for i, r := range c.Rules {
		nr := *r
		nr.LoadWeights = slices.Clone(r.LoadWeights)
		nr.HandlingPriorities = slices.Clone(r.HandlingPriorities)
		nr.DisabledOn = slices.Clone(r.DisabledOn)
		nr.DrainingOn = slices.Clone(r.DrainingOn)
		nr.Owners = slices.Clone(r.Owners)
		nc.Rules[i] = &nr
	}
	nc.Connections = core.Slots(c.Connections)
	nc.conns = make(map[connKey]*Connection, len(c.conns))
	for i, k := range c.Connections {
		nk := *k
		nc.Connections[i] = &nk
		nc.conns[nk.key()] = &nk
	}
	nc.router.rules = slices.Clone(c.router.rules) // host indexes: the same in the copy
	return nc
}
