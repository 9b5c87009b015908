package mscs

import (
	"slices"

	"clusterscript/runtime/core"
)

// CloneInto makes dst, a new engine on a copy of this engine's core
// (core.World.CloneInto), an independent copy of the clusters: every node,
// network, group and resource copied, and each index copied with its
// pointers moved to the copies.
func (e *Engine) CloneInto(dst *Engine) {
	dst.Clusters = core.Slots(e.Clusters)
	dst.clusters = make(map[string]*Cluster, len(e.clusters))
	for i, c := range e.Clusters {
		nc := c.clone()
		dst.Clusters[i] = nc
		dst.clusters[core.Key(c.Name)] = nc
	}
}

func (c *Cluster) clone() *Cluster {
	nc := new(Cluster)
	*nc = *c
	nc.nodeNames = nil // recomputed on demand

	networks := make([]Network, len(c.Networks))
	nc.Networks = core.Slots(c.Networks)
	for i, n := range c.Networks {
		networks[i] = *n
		nc.Networks[i] = &networks[i]
	}
	nodes := make([]Node, len(c.Nodes))
	nc.Nodes = core.Slots(c.Nodes)
	nc.nodes = make(map[string]*Node, len(c.nodes))
	for i, n := range c.Nodes {
		nodes[i] = *n
		nodes[i].Exits = slices.Clip(n.Exits) // shared: replaced, never changed in place
		nc.Nodes[i] = &nodes[i]
		nc.nodes[core.Key(n.Name)] = &nodes[i]
	}

	// Groups and resources are copied into one array each; the maps from
	// the old objects to their copies move the indexes over.
	nres := 0
	for _, g := range c.Groups {
		nres += len(g.Resources)
	}
	groups := make([]Group, len(c.Groups))
	resources := make([]Resource, nres)
	resPtrs := make([]*Resource, nres)
	groupOf := make(map[*Group]*Group, len(c.Groups))
	resOf := make(map[*Resource]*Resource, nres)
	nc.Groups = core.Slots(c.Groups)
	k := 0
	for i, g := range c.Groups {
		ng := &groups[i]
		*ng = *g
		ng.PreferredOwners = slices.Clip(g.PreferredOwners) // shared: replaced, never changed in place
		ng.Failovers = slices.Clone(g.Failovers)
		ng.AntiAffinityClassNames = slices.Clip(g.AntiAffinityClassNames) // shared: replaced, never changed in place
		from := k
		for _, r := range g.Resources {
			nr := &resources[k]
			*nr = *r
			// Shared with the original: replaced, never changed in place
			// (clipped, so that an append copies).
			nr.PossibleOwners = slices.Clip(r.PossibleOwners)
			nr.Dependencies = slices.Clip(r.Dependencies)
			nr.Restarts = slices.Clone(r.Restarts)
			nr.group = ng
			resPtrs[k] = nr
			resOf[r] = nr
			k++
		}
		if g.Resources != nil {
			ng.Resources = resPtrs[from:k:k] // an append reallocates
		}
		nc.Groups[i] = ng
		groupOf[g] = ng
	}

	nc.groups = moved(c.groups, groupOf)
	nc.resources = moved(c.resources, resOf)
	nc.owned = make(map[string]map[*Group]bool, len(c.owned))
	for node, set := range c.owned {
		ns := make(map[*Group]bool, len(set))
		for g, v := range set {
			ns[groupOf[g]] = v
		}
		nc.owned[node] = ns
	}
	ndeps := 0
	for _, ds := range c.dependents {
		ndeps += len(ds)
	}
	deps := make([]*Resource, 0, ndeps)
	nc.dependents = make(map[*Resource][]*Resource, len(c.dependents))
	// maporder: copies into one backing array; the order of the copies is never seen
	for p, ds := range c.dependents {
		from := len(deps)
		for _, d := range ds {
			deps = append(deps, resOf[d])
		}
		nc.dependents[resOf[p]] = deps[from:len(deps):len(deps)]
	}
	nc.netNames = moved(c.netNames, resOf)
	nc.diskHolder = moved(c.diskHolder, resOf)
	return nc
}

// moved is a name index whose objects are replaced by their copies.
func moved[T any](index map[string]*T, copyOf map[*T]*T) map[string]*T {
	out := make(map[string]*T, len(index))
	for key, x := range index {
		out[key] = copyOf[x]
	}
	return out
}
