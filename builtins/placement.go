package builtins

import (
	"clusterscript/lang"
	"clusterscript/runtime/mscs"

	"go.starlark.net/starlark"
)

// PlacementBuiltins are the placement rules of failover clusters of
// Windows Server 2008 R2 and later: group priority, anti-affinity, drain,
// sites.
var PlacementBuiltins = []lang.Builtin{
	{Name: "set_group_priority", Params: "(group, priority)", Topic: "versions", Fn: setGroupPriorityFn,
		Enums:   map[string]*lang.Enum{"priority": oneOf("group priority", mscs.Priorities...)},
		Summary: "sets a group's priority: \"high\", \"medium\" (the default), \"low\" or \"no_auto_start\" (" + sinceNote(mscs.Since("group priority")) + "); group.priority reads it",
		Doc: "Higher-priority groups start first when the cluster forms and among groups failing over at the same moment (the Cluster Group always first). " +
			"A \"no_auto_start\" group is never started by the cluster itself: after a failover, or when the cluster forms again, it stays Offline on its new node until bring_online. " +
			"Moves, drains and failback restore its state as for any group."},
	{Name: "set_anti_affinity", Params: "(group, class_names)", Topic: "versions", Fn: setAntiAffinityFn,
		Summary: "sets a group's AntiAffinityClassNames, a list of strings (" + sinceNote(mscs.Since("anti-affinity")) + "); [] clears them",
		Doc: "Failover, moves without a node, drain and the return after quorum loss skip a node that runs another group sharing a class (in any letter case), " +
			"in the group's usual order; when every node that could take it does, the class gives way and the group goes to the first of them. " +
			"With set_cluster_property(cluster, ClusterEnforcedAntiAffinity=1) (Windows Server 2012 and later) it stays Offline instead (Anti-Affinity Conflict), " +
			"and move_group to, or bring_online on, such a node is refused. Setting the classes moves nothing. group.anti_affinity_class_names reads them."},
	{Name: "drain_node", Params: "(node)", Topic: "versions", Fn: nodeOp((*mscs.Engine).DrainNode),
		Summary: "moves every group off a node by the failover rules, highest priority first, then pauses it (" + sinceNote(mscs.Since("drain")) + "); node.drain_status reads the outcome",
		Doc: "Each group goes where a failover would send it (the next eligible node after this one in its list, with anti-affinity and sites) and keeps its state. " +
			"node.drain_status is \"Completed\" when every group moved; a group with nowhere to go stays, and the drain ends \"Failed\" with the node Paused all the same. " +
			"resume_node(node, failback=True) brings the drained groups back."},
	{Name: "set_site", Params: "(node, site)", Topic: "versions", Fn: setSiteFn,
		Summary: "puts a node in a site, a fault domain (" + sinceNote(mscs.Since("sites")) + "); \"\" takes it out; node.site reads it",
		Doc: "Failover, moves without a node and drain try the nodes of the group's site first (its owner's site, else the cluster's PreferredSite), keeping the usual order within each part. " +
			"In a split that leaves exactly half of the nodes on each side, the half holding more nodes of PreferredSite keeps quorum."},
}

// placementGroupAttrs and placementNodeAttrs are the attributes the rules
// add to Group and Node.
func placementGroupAttrs() []lang.Attr {
	return []lang.Attr{
		{Name: "priority", Doc: "\"high\", \"medium\", \"low\" or \"no_auto_start\" (" + sinceNote(mscs.Since("group priority")) + ", None before)"},
		{Name: "anti_affinity_class_names", Doc: "its anti-affinity class names (" + sinceNote(mscs.Since("anti-affinity")) + ", None before)"},
	}
}

func placementNodeAttrs() []lang.Attr {
	return []lang.Attr{
		{Name: "site", Doc: "its site, \"\" for none (" + sinceNote(mscs.Since("sites")) + ", None before)"},
		{Name: "drain_status", Doc: "\"NotInitiated\", \"InProgress\", \"Completed\" or \"Failed\" (NodeDrainStatus; " + sinceNote(mscs.Since("drain")) + ", None before)"},
	}
}

// placementGroupAttr reads a placement attribute of a group: nil for a
// name that is none.
func placementGroupAttr(c *mscs.Cluster, g *mscs.Group, name string) starlark.Value {
	switch name {
	case "priority":
		p, ok := c.GroupPriority(g)
		return strIf(p, ok)
	case "anti_affinity_class_names":
		if names, ok := c.AntiAffinityClasses(g); ok {
			return strList(names)
		}
		return starlark.None
	}
	return nil
}

func placementNodeAttr(c *mscs.Cluster, n *mscs.Node, name string) starlark.Value {
	switch name {
	case "site":
		return strIf(c.NodeSite(n))
	case "drain_status":
		return strIf(c.DrainStatus(n))
	}
	return nil
}

// strIf is s, or None when the version lacks it.
func strIf(s string, ok bool) starlark.Value {
	if !ok {
		return starlark.None
	}
	return str(s)
}

func setGroupPriorityFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	grp := groupArg()
	var priority string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "group", grp, "priority", &priority); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).MSCS.SetGroupPriority(grp.scope, grp.name, priority)
}

func setAntiAffinityFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	grp := groupArg()
	var classes stringList
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "group", grp, "class_names", &classes); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).MSCS.SetAntiAffinity(grp.scope, grp.name, classes)
}

func setSiteFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	n := nodeArg()
	var site string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "node", n, "site", &site); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).MSCS.SetSite(nodeCluster(n), n.name, site)
}

func resumeNodeFailbackFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	n := nodeArg()
	failback := false
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "node", n, "failback?", &failback); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).MSCS.ResumeNodeWith(nodeCluster(n), n.name, failback)
}

// nodeCluster is the cluster a node argument names: none for a Server
// handle or a name (the server's own cluster).
func nodeCluster(n *ref) string {
	if n.obj != nil && n.obj.kind == serverKind {
		return ""
	}
	return n.scope
}
