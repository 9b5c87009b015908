package mscs

import (
	"fmt"
	"sort"
	"strings"

	"clusterscript/runtime/core"
)

// The invariants of a server cluster (SPEC §13, the MSCS and Exchange part):
// rules the engine keeps whatever the runbook does, once the work settle()
// waits for is done. They read the model and its indexes and change
// nothing. While timers are pending a rule may be broken for a moment (a
// failed quorum disk resource waiting for its restart leaves the cluster
// running without quorum), so check at rest, after settle().

// Invariants lists the invariants the clusters break, clusters by name, one
// sentence each naming the cluster, the object and the rule; nil when every
// cluster keeps them all.
func (e *Engine) Invariants() []string {
	return core.EachByName(e.Clusters, func(c *Cluster) string { return c.Name }, e.ClusterInvariants)
}

// ClusterInvariants lists the invariants one cluster breaks, in a fixed
// order: quorum, then each group by name (its owner, then its resources by
// name), then Exchange.
func (e *Engine) ClusterInvariants(c *Cluster) []string {
	b := core.NewBreaches("cluster " + c.Name)
	groups := c.groupsByName()
	e.quorumBreaches(c, groups, b)
	listings := map[*Group]int{}
	for _, name := range c.NodeNames() {
		for g := range c.owned[core.Key(name)] {
			listings[g]++
		}
	}
	for _, g := range groups {
		res := byName(g.Resources)
		c.ownerBreaches(g, res, listings[g], b)
		for _, r := range res {
			c.resourceBreaches(g, r, b)
		}
	}
	c.strayGroupBreaches(b)
	e.exchangeBreaches(c, groups, b)
	return b.List()
}

func (c *Cluster) groupsByName() []*Group {
	gs := append([]*Group(nil), c.Groups...)
	sort.Slice(gs, func(i, j int) bool { return gs[i].Name < gs[j].Name })
	return gs
}

// quorumBreaches: a cluster runs exactly when it has quorum by its model
// (a majority of the nodes Up or Paused, the quorum resource Online on an
// Up or Paused node, or its single node Up or Paused); without quorum no
// node is Up or Paused and no resource is Online.
func (e *Engine) quorumBreaches(c *Cluster, groups []*Group, b *core.Breaches) {
	if c.QuorumLost {
		for _, n := range sortedNodes(c) {
			if n.State == NodeUp || n.State == NodePaused {
				b.Addf("it has lost quorum, but node %s is %s; without quorum every node is Joining or Down", n.Name, n.State)
			}
		}
		for _, g := range groups {
			for _, r := range byName(g.Resources) {
				if r.State == Online {
					b.Addf("it has lost quorum, but resource %q is Online on %s; without quorum nothing runs", r.Name, g.Owner)
				}
			}
		}
		return
	}
	if c.HasQuorum() {
		return
	}
	if c.countsVotes() {
		have, total := c.tally(member, c.witnessOnline())
		b.Addf("it runs without quorum: its members hold %s", votesText(have, total))
		return
	}
	switch c.QuorumModel {
	case QuorumMajority:
		b.Addf("it runs without quorum: %d of its %d nodes are Up or Paused, and a majority node set needs %d", c.votes(), len(c.Nodes), c.majority())
	case QuorumLocal:
		if len(c.Nodes) == 0 {
			b.Addf("it runs without quorum: it has no node")
			return
		}
		b.Addf("it runs without quorum: its local quorum is on node %s, which is %s", c.Nodes[0].Name, c.Nodes[0].State)
	default:
		r := c.resources[core.Key(c.Quorum)]
		switch {
		case r == nil:
			b.Addf("it runs without quorum: its quorum resource %q does not exist", c.Quorum)
		case r.State != Online:
			b.Addf("it runs without quorum: its quorum resource %q is %s", r.Name, r.State)
		default:
			state := "not a node of the cluster"
			if n := c.nodes[core.Key(r.group.Owner)]; n != nil {
				state = n.State
			}
			b.Addf("it runs without quorum: its quorum resource %q is Online on %s, which is %s", r.Name, r.group.Owner, state)
		}
	}
}

func sortedNodes(c *Cluster) []*Node {
	out := make([]*Node, 0, len(c.Nodes))
	for _, name := range c.NodeNames() {
		out = append(out, c.nodes[core.Key(name)])
	}
	return out
}

// ownerBreaches: a group is owned by one node of the cluster, which alone
// lists it (listings nodes list it), and a group that runs anything is on
// an Up or Paused node. res is the group's resources by name.
func (c *Cluster) ownerBreaches(g *Group, res []*Resource, listings int, b *core.Breaches) {
	owner := c.nodes[core.Key(g.Owner)]
	if owner == nil {
		if g.Owner == "" {
			b.Addf("group %q has no owner; every group is owned by one node", g.Name)
		} else {
			b.Addf("group %q is owned by %s, which is not a node of the cluster", g.Name, g.Owner)
		}
	}
	if ok := owner != nil && listings == 1 && c.owned[core.Key(owner.Name)][g]; !ok && (owner != nil || listings > 0) {
		var listed []string
		for _, name := range c.NodeNames() {
			if c.owned[core.Key(name)][g] {
				listed = append(listed, name)
			}
		}
		b.Addf("group %q has owner %s but is listed by nodes [%s]; a group lives on exactly one node", g.Name, g.Owner, strings.Join(listed, ", "))
	}
	if owner == nil || owner.State == NodeUp || owner.State == NodePaused {
		return
	}
	for _, r := range res {
		if r.State == Online {
			b.Addf("group %q runs %q on %s, which is %s; a running group needs an Up or Paused node", g.Name, r.Name, owner.Name, owner.State)
			return
		}
	}
}

// resourceBreaches: an Online resource runs on its group's owner, which is
// one of its possible owners, with every dependency Online.
func (c *Cluster) resourceBreaches(g *Group, r *Resource, b *core.Breaches) {
	if r.group != g {
		linked := "no group"
		if r.group != nil {
			linked = fmt.Sprintf("group %q", r.group.Name)
		}
		if r.State == Online && r.group != nil && !strings.EqualFold(r.group.Owner, g.Owner) {
			b.Addf("resource %q is Online on %s but its group %q is owned by %s", r.Name, r.group.Owner, g.Name, g.Owner)
		} else {
			b.Addf("resource %q is in group %q but the engine runs it with %s", r.Name, g.Name, linked)
		}
	}
	if c.resources[core.Key(r.Name)] != r {
		b.Addf("resource %q of group %q is missing from the cluster's resource index", r.Name, g.Name)
	}
	if r.State != Online {
		return
	}
	for _, d := range r.Dependencies {
		p := c.resources[core.Key(d)]
		switch {
		case p == nil:
			b.Addf("resource %q is Online but its dependency %q does not exist", r.Name, d)
		case p.State != Online:
			b.Addf("resource %q is Online but its dependency %q is %s", r.Name, d, p.State)
		}
	}
	if !c.canOwn(r, g.Owner) {
		b.Addf("resource %q is Online on %s, which is not one of its possible owners (%s)", r.Name, g.Owner, strings.Join(c.PossibleOwnerNames(r), ", "))
	}
}

// strayGroupBreaches: the nodes list no group the cluster does not have.
func (c *Cluster) strayGroupBreaches(b *core.Breaches) {
	holders := map[string][]string{}
	var stray []string
	for _, name := range c.NodeNames() {
		var here []string
		for g := range c.owned[core.Key(name)] {
			if c.groups[core.Key(g.Name)] != g {
				here = append(here, g.Name)
			}
		}
		sort.Strings(here)
		for _, gname := range here {
			if holders[gname] == nil {
				stray = append(stray, gname)
			}
			holders[gname] = append(holders[gname], name)
		}
	}
	sort.Strings(stray)
	for _, gname := range stray {
		b.Addf("nodes [%s] list group %q, which the cluster does not have", strings.Join(holders[gname], ", "), gname)
	}
}

// exchangeBreaches: the Exchange Server 2003 rules of SPEC §6. MSDTC exists
// while a node has cluster-aware Exchange; a virtual server is a group with
// one System Attendant, on which its other Exchange resources depend, and
// which depends on a Network Name and every Physical Disk of its group and
// runs only on nodes with cluster-aware Exchange; at most N-1 virtual
// servers on 3 or more nodes and one running per node, one per node on 1 or
// 2; exactly one Message Transfer Agent once there is a virtual server.
func (e *Engine) exchangeBreaches(c *Cluster, groups []*Group, b *core.Breaches) {
	evs, mtas := e.exchangeStructureBreaches(c, groups, b)
	nodes := len(c.Nodes)
	limit, rule := nodes, "one per node on a cluster of 1 or 2 nodes"
	if nodes >= 3 {
		limit, rule = nodes-1, "N-1 on a cluster of 3 or more nodes"
	}
	if len(evs) > limit {
		of := fmt.Sprintf("%d nodes", nodes)
		if nodes == 1 {
			of = "1 node"
		}
		b.Addf("it has %s and %d Exchange virtual servers; Exchange 2003 allows at most %d (%s)", of, len(evs), limit, rule)
	}
	if nodes >= 3 {
		for _, name := range c.NodeNames() {
			var here []string
			for _, g := range evs {
				if strings.EqualFold(g.Owner, name) && g.runsVirtualServer() {
					here = append(here, fmt.Sprintf("%q", g.Name))
				}
			}
			if len(here) > 1 {
				b.Addf("node %s runs Exchange virtual servers %s; on %d nodes each node runs at most one", name, strings.Join(here, ", "), nodes)
			}
		}
	}
	if len(evs) > 0 && mtas != 1 {
		b.Addf("it has %d Exchange virtual servers and %d Message Transfer Agents; the first virtual server holds the only one", len(evs), mtas)
	}
}

// exchangeStructureBreaches checks the Exchange rules about what exists,
// not about where it runs: MSDTC while a node has cluster-aware Exchange
// (dtcBreaches), each virtual server's resources. It returns the virtual
// servers and the count of Message Transfer Agents.
func (e *Engine) exchangeStructureBreaches(c *Cluster, groups []*Group, b *core.Breaches) (evs []*Group, mtas int) {
	mtas = e.dtcBreaches(c, groups, b)
	for _, g := range groups {
		if sa := e.virtualServerBreaches(c, g, b); sa != nil {
			evs = append(evs, g)
		}
	}
	return evs, mtas
}

// dtcBreaches: a cluster with a node that has cluster-aware Exchange has a
// Distributed Transaction Coordinator. It returns the count of Message
// Transfer Agents. Loading checks this rule (ValidateIndexed).
func (e *Engine) dtcBreaches(c *Cluster, groups []*Group, b *core.Breaches) (mtas int) {
	aware := e.exchangeNodes(c)
	dtc := false
	for _, g := range groups {
		for _, r := range g.Resources {
			dtc = dtc || r.Type == TypeDTC
			if r.Type == TypeMTA {
				mtas++
			}
		}
	}
	if len(aware) > 0 && !dtc {
		b.Addf("cluster-aware Exchange is installed on %s but the cluster has no Distributed Transaction Coordinator; Exchange needs MSDTC in the cluster", strings.Join(aware, ", "))
	}
	return mtas
}

// virtualServerBreaches checks one group's Exchange resources and returns
// its System Attendant, or nil when it is not a virtual server.
func (e *Engine) virtualServerBreaches(c *Cluster, g *Group, b *core.Breaches) *Resource {
	var sas []*Resource
	exchange := false
	for _, r := range g.Resources {
		if r.Type == TypeSA {
			sas = append(sas, r)
		} else if rt := resourceTypes[r.Type]; rt != nil && rt.exchange {
			exchange = true
		}
	}
	switch {
	case len(sas) > 1:
		b.Addf("group %q has %d System Attendants; a virtual server has one", g.Name, len(sas))
	case len(sas) == 0 && exchange:
		b.Addf("group %q holds Exchange resources but no System Attendant", g.Name)
	}
	switch {
	case len(sas) > 0 && g.EVS == 0:
		b.Addf("group %q has a System Attendant but is not numbered as an Exchange virtual server", g.Name)
	case len(sas) == 0 && g.EVS > 0:
		b.Addf("group %q is numbered as Exchange virtual server %d but has no System Attendant", g.Name, g.EVS)
	}
	if len(sas) == 0 {
		return nil
	}
	res := byName(g.Resources)
	sa := byName(sas)[0]
	nn := false
	for _, d := range sa.Dependencies {
		if p := c.resources[core.Key(d)]; p != nil && p.Type == TypeNetworkName {
			nn = true
		}
	}
	if !nn {
		b.Addf("System Attendant %q does not depend on a Network Name", sa.Name)
	}
	for _, r := range res {
		if r.Type == TypePhysicalDisk && !core.ContainsFold(sa.Dependencies, r.Name) {
			b.Addf("System Attendant %q does not depend on %q, a Physical Disk of group %q", sa.Name, r.Name, g.Name)
		}
	}
	for _, n := range c.PossibleOwnerNames(sa) {
		if s := e.LookupServer(n); s == nil || s.Exchange != "cluster-aware" {
			b.Addf("node %s is a possible owner of System Attendant %q but has no cluster-aware Exchange", n, sa.Name)
		}
	}
	for _, r := range res {
		if rt := resourceTypes[r.Type]; r != sa && rt != nil && rt.exchange && !core.ContainsFold(r.Dependencies, sa.Name) {
			b.Addf("Exchange resource %q does not depend on System Attendant %q", r.Name, sa.Name)
		}
	}
	return sa
}
