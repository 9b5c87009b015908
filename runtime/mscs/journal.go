package mscs

import (
	"fmt"
	"slices"

	"clusterscript/runtime/core"
)

// Saving objects for the open transaction (core/journal.go): call a touch
// before changing any field of the object. The indexes are maps whose
// entries the changes record one by one (core.SetKey, core.DeleteKey).

func (e *Engine) touchCluster(c *Cluster) {
	core.Touch(e.World, c, &c.saved, func(c *Cluster) Cluster { return *c })
}

func (e *Engine) touchNode(n *Node) {
	core.Touch(e.World, n, &n.saved, func(n *Node) Node { return *n })
}

func (e *Engine) touchGroup(g *Group) {
	core.Touch(e.World, g, &g.saved, func(g *Group) Group {
		c := *g
		c.Failovers = slices.Clone(g.Failovers) // filtered in place by within
		return c
	})
}

func (e *Engine) touchResource(r *Resource) {
	core.Touch(e.World, r, &r.saved, func(r *Resource) Resource {
		c := *r
		c.Restarts = slices.Clone(r.Restarts) // filtered in place by within
		return c
	})
}

// CheckIndexes compares every cluster's indexes with what its nodes,
// groups and resources say.
func (e *Engine) CheckIndexes() error {
	if err := core.CheckNames("cluster", e.clusters, e.Clusters, func(c *Cluster) []string { return []string{c.Name} }); err != nil {
		return err
	}
	for _, c := range e.Clusters {
		if err := c.checkIndexes(); err != nil {
			return fmt.Errorf("cluster %s: %w", c.Name, err)
		}
	}
	return nil
}

func (c *Cluster) checkIndexes() error {
	if err := core.CheckNames("node", c.nodes, c.Nodes, func(n *Node) []string { return []string{n.Name} }); err != nil {
		return err
	}
	if c.nodeNames != nil && !slices.Equal(c.nodeNames, sortedNames(c.Nodes)) {
		return fmt.Errorf("the cached node names %v are not the nodes %v", c.nodeNames, sortedNames(c.Nodes))
	}
	if err := core.CheckNames("group", c.groups, c.Groups, func(g *Group) []string { return []string{g.Name} }); err != nil {
		return err
	}
	all := c.allResources()
	if err := core.CheckNames("resource", c.resources, all, func(r *Resource) []string { return []string{r.Name} }); err != nil {
		return err
	}
	if len(c.owned) != len(c.Nodes) {
		return fmt.Errorf("the owner index has %d nodes, want %d", len(c.owned), len(c.Nodes))
	}
	owners := map[string]int{}
	for _, g := range c.Groups {
		if !c.owned[core.Key(g.Owner)][g] {
			return fmt.Errorf("the owner index does not list group %q under its owner %s", g.Name, g.Owner)
		}
		owners[core.Key(g.Owner)]++
		for _, r := range g.Resources {
			if r.group != g {
				return fmt.Errorf("resource %q does not point back at its group %q", r.Name, g.Name)
			}
		}
	}
	// maporder: names a broken index entry for a failing consistency check; any entry will do
	for node, gs := range c.owned {
		if len(gs) != owners[node] {
			return fmt.Errorf("the owner index lists %d groups under %s, which owns %d", len(gs), node, owners[node])
		}
	}
	want := map[*Resource][]string{}
	netNames, disks := map[string]*Resource{}, map[string]*Resource{}
	for _, r := range all {
		for _, d := range r.Dependencies {
			p := c.resources[core.Key(d)]
			want[p] = append(want[p], r.Name)
		}
		for _, v := range r.held() {
			switch r.Type {
			case TypeNetworkName:
				netNames[core.Key(v)] = r
			case TypePhysicalDisk:
				disks[core.Key(v)] = r
			}
		}
	}
	// maporder: names a broken index entry for a failing consistency check; any entry will do
	for p, ds := range c.dependents {
		if len(ds) == 0 {
			continue
		}
		if p == nil || c.resources[core.Key(p.Name)] != p {
			return fmt.Errorf("the dependents index lists resource %q, which is not in the cluster", p.Name)
		}
		var got []string
		for _, d := range ds {
			if c.resources[core.Key(d.Name)] != d {
				return fmt.Errorf("the dependents index lists %q, which is not in the cluster, as depending on %q", d.Name, p.Name)
			}
			got = append(got, d.Name)
		}
		if slices.Sort(got); !slices.Equal(got, sorted(want[p])) {
			return fmt.Errorf("the dependents index says %v depend on %q, want %v", got, p.Name, sorted(want[p]))
		}
	}
	// maporder: names a broken index entry for a failing consistency check; any entry will do
	for p, ds := range want {
		if len(c.dependents[p]) != len(ds) {
			return fmt.Errorf("the dependents index lists %d dependents of %q, want %d", len(c.dependents[p]), p.Name, len(ds))
		}
	}
	for _, ix := range []struct {
		what      string
		got, want map[string]*Resource
	}{{"network name", c.netNames, netNames}, {"disk holder", c.diskHolder, disks}} {
		if len(ix.got) != len(ix.want) {
			return fmt.Errorf("the %s index has %d entries, want %d", ix.what, len(ix.got), len(ix.want))
		}
		// maporder: names a broken index entry for a failing consistency check; any entry will do
		for k, r := range ix.want {
			if ix.got[k] != r {
				return fmt.Errorf("the %s index does not lead from %s to %q", ix.what, k, r.Name)
			}
		}
	}
	return nil
}

func sortedNames(nodes []*Node) []string {
	out := make([]string, len(nodes))
	for i, n := range nodes {
		out[i] = n.Name
	}
	slices.Sort(out)
	return out
}

func sorted(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}
