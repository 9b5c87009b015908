package builtins

import (
	"fmt"

	"clusterscript/lang"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/sim"

	"go.starlark.net/starlark"
)

var (
	clusterKind = newKind("Cluster", "a server cluster, from create_cluster() or get_cluster()", append(attrs(
		"name", "the cluster name",
		"ip", "the cluster IP address",
		"domain", "the DNS name of its domain",
		"version", "the Windows Server version its nodes run, e.g. \"2003\"",
		"nodes", "its nodes' names, in join order",
		"groups", "its groups' names, sorted",
		"resources", "its resources' names, sorted",
		"quorum", "the quorum resource: a Physical Disk's name, \"Majority Node Set\" or \"Local Quorum\"; from Windows Server 2008 the witness resource's name, or None",
		"quorum_model", "\"disk\", \"majority\" or \"local\"; from Windows Server 2008 the quorum mode (set_quorum)",
		"witness_vote", "the witness's vote now, 0 or 1 (WitnessDynamicWeight; Windows Server 2008 and later, None before)",
		"has_quorum", "whether the cluster has quorum now",
		"networks", "network name → \"subnet role\"",
		"heartbeat_timeout", "seconds without a heartbeat before a node is declared Down"),
		propertyAttrs()...),
		clusterAttr,
		func(o *Object) string {
			c, err := o.w.MSCS.Cluster(o.name)
			if err != nil {
				return fmt.Sprintf("<cluster %s (gone)>", o.name)
			}
			q := "has quorum"
			if !c.HasQuorum() {
				q = "no quorum"
			}
			return fmt.Sprintf("<cluster %s %d nodes %s>", c.Name, len(c.Nodes), q)
		})
	nodeKind = newKind("Node", "a node of a server cluster, from add_node() or get_node()", append(attrs(
		"name", "the node's (and its server's) name",
		"state", "\"Up\", \"Down\", \"Paused\" or \"Joining\"; \"Quarantined\" from Windows Server 2016",
		"groups", "the names of the groups it owns",
		"cluster", "the name of its cluster",
		"id", "its node ID: its place in join order, 1 for the node that formed the cluster (LowerQuorumPriorityNodeID names a node by it)",
		"vote", "its configured vote, NodeWeight: 1 or 0 (set_node_vote; Windows Server 2008 and later, None before)",
		"dynamic_vote", "its vote now, DynamicWeight: 0 when dynamic quorum or the tie-breaker took it (Windows Server 2012 and later, None before)"),
		placementNodeAttrs()...),
		nodeAttr,
		func(o *Object) string {
			_, n, err := o.w.MSCS.NodeOf(o.scope, o.name)
			if err != nil {
				return fmt.Sprintf("<node %s (gone)>", o.name)
			}
			return fmt.Sprintf("<node %s %s>", n.Name, n.State)
		})
	groupKind = newKind("Group", "a resource group, from new_group() or get_group(); it fails over as a whole", append(attrs(
		"name", "the group name",
		"state", "\"Online\", \"Offline\", \"Failed\", \"Partially Online\" or \"Pending\", from its resources",
		"owner", "the node that owns it, or None",
		"preferred_owners", "its preferred owners, in order",
		"resources", "its resources' names, sorted",
		"failover_threshold", "at most this many failovers within failover_period",
		"failover_period", "the failover period, in hours",
		"failback", "\"prevent\", \"immediate\" or \"window\"",
		"failback_window", "(start_hour, end_hour) when failback is \"window\", else None",
		"cluster", "the name of its cluster",
		"description", "its description"),
		placementGroupAttrs()...),
		groupAttr,
		func(o *Object) string {
			_, g, err := o.w.MSCS.GroupOf(o.scope, o.name)
			if err != nil {
				return fmt.Sprintf("<group %q (gone)>", o.name)
			}
			return fmt.Sprintf("<group %q %s on %s>", g.Name, g.State(), g.Owner)
		})
	resourceKind = newKind("Resource", "a cluster resource, from new_resource() or get_resource()", attrs(
		"name", "the resource name",
		"type", "its resource type, e.g. \"IP Address\"",
		"state", "\"Online\", \"Offline\", \"Failed\", \"Online Pending\" or \"Offline Pending\"",
		"group", "the name of its group",
		"owner", "the node that owns its group, or None",
		"dependencies", "the names of the resources it depends on",
		"dependents", "the names of the resources that depend on it",
		"possible_owners", "the nodes it may run on",
		"restart", "whether it is restarted after a failure",
		"restart_threshold", "restarts allowed within restart_period before the group fails over",
		"restart_period", "the restart period, in seconds",
		"affect_group", "whether exhausting the restarts fails the group over",
		"retry_period", "RetryPeriodOnFailure: seconds a resource left Failed waits before it is tried online once more",
		"params", "its private properties, name → string",
		"cluster", "the name of its cluster",
		"description", "its description"),
		resourceAttr,
		func(o *Object) string {
			_, r, err := o.w.MSCS.ResourceOf(o.scope, o.name)
			if err != nil {
				return fmt.Sprintf("<resource %q (gone)>", o.name)
			}
			return fmt.Sprintf("<resource %q %s %s on %s>", r.Name, r.Type, r.State, r.Group().Owner)
		})
)

// ClusterBuiltins are the builtins of server clusters and Exchange on them.
var ClusterBuiltins = []lang.Builtin{
	{Name: "create_cluster", Params: `(name, domain, node, ip, account, mask="255.255.255.0", quorum=None)`, Topic: "cluster", Fn: createClusterFn,
		Enums:   map[string]*lang.Enum{"quorum": {What: "quorum", Values: []string{mscs.QuorumMajority, mscs.QuorumLocal}, Open: "a Disk or its label"}},
		Summary: "forms a one-node server cluster with its Cluster Group (the New Server Cluster Wizard)",
		Doc: "quorum: a Disk (single quorum device), \"majority\" (majority node set) or \"local\" (single node); by default the first shared basic NTFS disk the node sees, else local.\n" +
			"From Windows Server 2008: a Disk gives node and disk majority with that disk as witness, None or \"majority\" node majority, and \"local\" is refused; set_quorum changes the mode later.\n" +
			"The Cluster Group holds \"Cluster IP Address\", \"Cluster Name\" and the quorum resource, Online on node."},
	{Name: "add_node", Params: "(cluster, server, password=None)", Topic: "cluster", Fn: addNodeFn,
		Summary: "joins a server to a cluster (the Add Nodes Wizard)",
		Doc:     "Checks the node limit (8 on Windows Server 2003), domain, edition, the quorum disk, the cluster subnet, and the service account password when given."},
	{Name: "evict_node", Params: "(node)", Topic: "cluster", Fn: evictNodeFn,
		Summary: "removes a node that owns no groups from its cluster"},
	{Name: "get_cluster", Params: "(name)", Topic: "cluster", Fn: getClusterFn, Summary: "looks up a cluster"},
	{Name: "get_node", Params: "(cluster, name)", Topic: "cluster", Fn: getNodeFn, Summary: "looks up a node of a cluster"},
	{Name: "get_group", Params: "(cluster, name)", Topic: "cluster", Fn: getGroupFn, Summary: "looks up a group of a cluster"},
	{Name: "get_resource", Params: "(cluster, name)", Topic: "cluster", Fn: getResourceFn, Summary: "looks up a resource of a cluster"},
	{Name: "new_group", Params: `(cluster, name, description="", preferred_owners=[])`, Topic: "cluster", Fn: newGroupFn,
		Summary: "creates an empty resource group, Offline, owned by its first Up preferred owner"},
	{Name: "new_resource", Params: `(group, name, type, description="", possible_owners=None, dependencies=[], **params)`, Topic: "cluster", Fn: newResourceFn,
		Enums:   map[string]*lang.Enum{"type": oneOf("resource type", mscs.ResourceTypes()...)},
		Summary: "creates a resource, Offline, in a group",
		Doc: "Types and parameters: \"IP Address\" (address, subnet_mask, network), \"Network Name\" (name; needs an IP Address), " +
			"\"Physical Disk\" (disk), \"Distributed Transaction Coordinator\" (needs a Network Name and a Physical Disk; one per cluster), " +
			"\"Generic Service\" (service), \"File Share\" (path, share), \"Microsoft Exchange System Attendant\" (data_directory, " +
			"administrative_group, routing_group; needs the Network Name and every Physical Disk of its group), " +
			"\"Microsoft Exchange IMAP4 Virtual Server\" and \"Microsoft Exchange POP3 Virtual Server\" (need the System Attendant)."},
	{Name: "set_dependencies", Params: "(resource, deps)", Topic: "cluster", Fn: setDependenciesFn,
		Summary: "replaces a resource's dependencies (same group, no cycles, required types kept; on Windows Server 2003 only while it is not online)"},
	{Name: "add_dependency", Params: "(resource, provider)", Topic: "cluster", Fn: addDependencyFn,
		Summary: "makes a resource depend on provider too"},
	{Name: "remove_dependency", Params: "(resource, provider)", Topic: "cluster", Fn: removeDependencyFn,
		Summary: "removes provider from a resource's dependencies"},
	{Name: "set_possible_owners", Params: "(resource, nodes)", Topic: "cluster", Fn: setPossibleOwnersFn,
		Summary: "sets the nodes a resource may run on"},
	{Name: "set_preferred_owners", Params: "(group, nodes)", Topic: "cluster", Fn: setPreferredOwnersFn,
		Summary: "sets a group's ordered preferred owners"},
	{Name: "set_params", Params: "(resource, **params)", Topic: "cluster", Fn: setParamsFn,
		Summary: "changes a resource's parameters; on a resource that runs they are stored and take effect at its next online"},
	{Name: "delete_resource", Params: "(resource)", Topic: "cluster", Fn: deleteResourceFn,
		Summary: "deletes an Offline resource that nothing depends on"},
	{Name: "delete_group", Params: "(group)", Topic: "cluster", Fn: deleteGroupFn,
		Summary: "deletes an empty group"},
	{Name: "bring_online", Params: "(x)", Topic: "cluster", Fn: bringOnlineFn,
		Summary: "brings a resource (dependencies first) or a group online on the group's owner"},
	{Name: "take_offline", Params: "(x)", Topic: "cluster", Fn: takeOfflineFn,
		Summary: "takes a resource (dependents first) or a group offline"},
	{Name: "fail_resource", Params: "(resource)", Topic: "cluster", Fn: failResourceFn,
		Summary: "makes an Online resource fail now (Initiate Failure); its restart policy decides what follows"},
	{Name: "move_group", Params: "(group, node=None)", Topic: "cluster", Fn: moveGroupFn,
		Summary: "moves a group and restores its state there; without node, to the first eligible node of its list",
		Doc:     "A group's list is its preferred owners then the other nodes by name. Manual moves do not count against the failover threshold."},
	{Name: "pause_node", Params: "(node)", Topic: "cluster", Fn: pauseNodeFn,
		Summary: "pauses a node: it keeps its groups but brings nothing online and is never a target"},
	{Name: "resume_node", Params: "(node, failback=False)", Topic: "cluster", Fn: resumeNodeFailbackFn,
		Summary: "resumes a paused node (failback may follow)",
		Doc:     "failback=True (Windows Server 2012 and later, Resume-ClusterNode -Failback Immediate) also brings back the groups drain_node moved off it; without it they stay where the drain put them."},
	{Name: "stop_cluster_service", Params: "(node)", Topic: "cluster", Fn: stopServiceFn,
		Summary: "stops the Cluster service on a node gracefully: its groups move at once, the node is Down",
		Doc:     "On a Down node whose Cluster service stopped for want of quorum and is started again every minute, it stops those retries: the node stays out until start_cluster_service."},
	{Name: "start_cluster_service", Params: "(node, force_quorum=False, prevent_quorum=False)", Topic: "cluster", Fn: startServiceFn,
		Summary: "starts the Cluster service on a node: Joining, then Up after the join (call settle())",
		Doc: "force_quorum=True (Windows Server 2008 and later, /fq) forms the cluster on this node without quorum: votes are ignored until the members hold a majority again. " +
			"prevent_quorum=True (Windows Server 2008 R2 and later, /pq) joins a running cluster but never forms one. " +
			"Either restarts the service of a node waiting as Joining for quorum."},
	{Name: "failover_policy", Params: `(group, threshold=None, period=6, failback="prevent", window=None)`, Topic: "cluster", Fn: failoverPolicyFn,
		Enums:   map[string]*lang.Enum{"failback": oneOf("failback policy", mscs.FailbackPolicies...)},
		Summary: "at most threshold failovers within period hours; failback prevent, immediate or window=(start_hour, end_hour)",
		Doc: "threshold None is the version's default: 10 on Windows Server 2003, the number of nodes minus one from 2008 (failover_threshold reads the number it comes to). " +
			"period is 1–1193 hours. The window is [start, end) in hours 0–23 and wraps past midnight when start > end."},
	{Name: "restart_policy", Params: "(resource, restart=True, threshold=None, period=900, affect_group=True, retry_period=3600)", Topic: "cluster", Fn: restartPolicyFn,
		Summary: "restart on the same node up to threshold times within period seconds; past that, fail the group over when affect_group",
		Doc: "threshold None is the version's default RestartThreshold: 3 on Windows Server 2003, 1 from 2008. " +
			"With restart=False the resource stays Failed after a failure and the group does not fail over. " +
			"A resource left Failed once its restarts are used up (the group stays where it is, or no node can take it, or its failover threshold is reached) " +
			"is tried online once more after retry_period seconds (RetryPeriodOnFailure), on whatever node then owns its group, and again after each period while that fails; " +
			"settle() does not wait for it. retry_period is at least period and at most 4294967; when omitted it is 3600, or period when that is longer."},
	{Name: "install_exchange", Params: `(server, account, edition="enterprise", components=["messaging", "system_management_tools"], drive="C:")`, Topic: "exchange", Fn: installExchangeFn,
		Enums:   map[string]*lang.Enum{"edition": oneOf("Exchange edition", mscs.ExchangeEditions...), "components": oneOf("Exchange component", mscs.ExchangeComponents...)},
		Summary: "runs Exchange Server 2003 Setup (Windows Server 2003 only); on a cluster node it installs the cluster-aware version",
		Doc:     "Needs IIS, WWW, SMTP, NNTP, ASP.NET and .NET Framework, an account in Domain Admins and Exchange Admins, and on a cluster node the Enterprise Edition, an Online Distributed Transaction Coordinator, and the same local drive as the other nodes."},
}

// ---- values ----

func clusterValue(w *sim.World, c *mscs.Cluster) *Object {
	return &Object{kind: clusterKind, name: c.Name, w: w}
}
func nodeValue(w *sim.World, c *mscs.Cluster, n *mscs.Node) *Object {
	return &Object{kind: nodeKind, scope: c.Name, name: n.Name, w: w}
}
func groupValue(w *sim.World, c *mscs.Cluster, g *mscs.Group) *Object {
	return &Object{kind: groupKind, scope: c.Name, name: g.Name, w: w}
}
func resourceValue(w *sim.World, c *mscs.Cluster, r *mscs.Resource) *Object {
	return &Object{kind: resourceKind, scope: c.Name, name: r.Name, w: w}
}

func clusterAttr(o *Object, name string) (starlark.Value, error) {
	c, err := o.w.MSCS.Cluster(o.name)
	if err != nil {
		return nil, err
	}
	switch name {
	case "name":
		return str(c.Name), nil
	case "ip":
		return str(c.IP), nil
	case "domain":
		return str(c.Domain), nil
	case "version":
		return str(c.Version), nil
	case "nodes":
		return strList(c.NodeNames()), nil
	case "groups":
		var names []string
		for _, g := range c.Groups {
			names = append(names, g.Name)
		}
		return sortedStrList(names), nil
	case "resources":
		var names []string
		for _, g := range c.Groups {
			for _, r := range g.Resources {
				names = append(names, r.Name)
			}
		}
		return sortedStrList(names), nil
	case "quorum":
		return strOrNone(c.QuorumName()), nil
	case "quorum_model":
		return str(c.QuorumModel), nil
	case "has_quorum":
		return starlark.Bool(c.HasQuorum()), nil
	case "networks":
		d := starlark.NewDict(len(c.Networks))
		for _, n := range c.Networks {
			d.SetKey(str(n.Name), str(n.Subnet+" "+n.Role))
		}
		return d, nil
	case "heartbeat_timeout":
		return starlark.Float(float64(c.HeartbeatTimeout()) / 1000), nil
	case "witness_vote":
		if !c.Modern() {
			return starlark.None, nil
		}
		return starlark.MakeInt(c.WitnessVote()), nil
	}
	if v := propertyAttr(c, name); v != nil {
		return v, nil
	}
	return nil, nil
}

func nodeAttr(o *Object, name string) (starlark.Value, error) {
	c, n, err := o.w.MSCS.NodeOf(o.scope, o.name)
	if err != nil {
		return nil, err
	}
	switch name {
	case "name":
		return str(n.Name), nil
	case "state":
		return str(n.DisplayState()), nil
	case "groups":
		var names []string
		for _, g := range c.OwnedGroups(n.Name) {
			names = append(names, g.Name)
		}
		return strList(names), nil
	case "cluster":
		return str(c.Name), nil
	case "id":
		return starlark.MakeInt(c.NodeID(n.Name)), nil
	case "vote":
		if !c.Modern() {
			return starlark.None, nil
		}
		return starlark.MakeInt(map[bool]int{true: 0, false: 1}[n.NoVote]), nil
	case "dynamic_vote":
		if !c.Has("dynamic quorum") {
			return starlark.None, nil
		}
		return starlark.MakeInt(c.NodeVote(n)), nil
	}
	if v := placementNodeAttr(c, n, name); v != nil {
		return v, nil
	}
	return nil, nil
}

func groupAttr(o *Object, name string) (starlark.Value, error) {
	c, g, err := o.w.MSCS.GroupOf(o.scope, o.name)
	if err != nil {
		return nil, err
	}
	switch name {
	case "name":
		return str(g.Name), nil
	case "state":
		return str(g.State()), nil
	case "owner":
		return strOrNone(g.Owner), nil
	case "preferred_owners":
		return strList(g.PreferredOwners), nil
	case "resources":
		var names []string
		for _, r := range g.Resources {
			names = append(names, r.Name)
		}
		return sortedStrList(names), nil
	case "failover_threshold":
		return starlark.MakeInt(c.FailoverThreshold(g)), nil
	case "failover_period":
		return starlark.MakeInt(g.FailoverPeriod), nil
	case "failback":
		return str(g.Failback), nil
	case "failback_window":
		if g.WindowStart < 0 {
			return starlark.None, nil
		}
		return starlark.Tuple{starlark.MakeInt(g.WindowStart), starlark.MakeInt(g.WindowEnd)}, nil
	case "cluster":
		return str(c.Name), nil
	case "description":
		return str(g.Description), nil
	}
	if v := placementGroupAttr(c, g, name); v != nil {
		return v, nil
	}
	return nil, nil
}

func resourceAttr(o *Object, name string) (starlark.Value, error) {
	c, r, err := o.w.MSCS.ResourceOf(o.scope, o.name)
	if err != nil {
		return nil, err
	}
	switch name {
	case "name":
		return str(r.Name), nil
	case "type":
		return str(r.Type), nil
	case "state":
		return str(r.State), nil
	case "group":
		return str(r.Group().Name), nil
	case "owner":
		return strOrNone(r.Group().Owner), nil
	case "dependencies":
		return strList(r.Dependencies), nil
	case "dependents":
		return strList(c.Dependents(r)), nil
	case "possible_owners":
		return strList(c.PossibleOwnerNames(r)), nil
	case "restart":
		return starlark.Bool(r.Restart), nil
	case "restart_threshold":
		return starlark.MakeInt(r.RestartThreshold), nil
	case "restart_period":
		return starlark.MakeInt(r.RestartPeriod), nil
	case "affect_group":
		return starlark.Bool(r.AffectGroup), nil
	case "retry_period":
		return starlark.MakeInt(r.RetryPeriodOnFailure()), nil
	case "params":
		// What the cluster database holds: a change made while the
		// resource runs shows at once and takes effect at its next online.
		params := r.StoredParams()
		d := starlark.NewDict(len(params))
		for _, k := range sortedKeys(params) {
			d.SetKey(str(k), str(params[k]))
		}
		d.Freeze()
		return d, nil
	case "cluster":
		return str(c.Name), nil
	case "description":
		return str(r.Description), nil
	}
	return nil, nil
}

// ---- arguments ----

func clusterArg() *ref  { return refTo("cluster", clusterKind) }
func nodeArg() *ref     { return refTo("node", nodeKind, serverKind) }
func groupArg() *ref    { return refTo("group", groupKind) }
func resourceArg() *ref { return refTo("resource", resourceKind) }

// params collects **params as strings; a Disk handle stands for its label.
func paramsOf(kwargs []starlark.Tuple) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range kwargs {
		k := string(kv[0].(starlark.String))
		switch v := kv[1].(type) {
		case starlark.String:
			out[k] = string(v)
		case *Object:
			out[k] = v.name
		case starlark.Int:
			out[k] = v.String()
		default:
			return nil, fmt.Errorf("parameter %s: got %s, want a string", k, kv[1].Type())
		}
	}
	return out, nil
}

// splitKwargs separates named arguments from free-form **params. A
// keyword that names a parameter already given by position is a **param:
// new_resource(g, "EVS1 Network Name", "Network Name", name="EVS1").
func splitKwargs(args starlark.Tuple, kwargs []starlark.Tuple, named ...string) (known, rest []starlark.Tuple) {
	for _, kv := range kwargs {
		k := string(kv[0].(starlark.String))
		isKnown := false
		for i, n := range named {
			if k == n && i >= len(args) {
				isKnown = true
			}
		}
		if isKnown {
			known = append(known, kv)
		} else {
			rest = append(rest, kv)
		}
	}
	return known, rest
}

// ---- builtins ----

func createClusterFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name, ip string
	dom, node := domainArg(), serverArg()
	var acct account
	mask := "255.255.255.0"
	var quorum starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "name", &name, "domain", dom, "node", node, "ip", &ip, "account", &acct,
		"mask?", &mask, "quorum?", &quorum); err != nil {
		return nil, err
	}
	q := ""
	switch v := quorum.(type) {
	case starlark.NoneType:
	case starlark.String:
		q = string(v)
	case *Object:
		if v.kind != diskKind {
			return nil, fmt.Errorf("%s: for parameter quorum: got %s, want a Disk, \"majority\" or \"local\"", b.Name(), v.Type())
		}
		q = v.name
	default:
		return nil, fmt.Errorf("%s: for parameter quorum: got %s, want a Disk, \"majority\" or \"local\"", b.Name(), quorum.Type())
	}
	w := world(thread)
	c, err := w.MSCS.CreateCluster(mscs.ClusterSpec{Name: name, Domain: dom.name, Node: node.name, IP: ip, Account: acct.name, Mask: mask, Quorum: q})
	if err != nil {
		return nil, err
	}
	return clusterValue(w, c), nil
}

func addNodeFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	cl, srv := clusterArg(), serverArg()
	var password optString
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "cluster", cl, "server", srv, "password?", &password); err != nil {
		return nil, err
	}
	w := world(thread)
	n, err := w.MSCS.AddNode(cl.name, srv.name, password.s, password.set)
	if err != nil {
		return nil, err
	}
	c, _ := w.MSCS.Cluster(cl.name)
	return nodeValue(w, c, n), nil
}

func evictNodeFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	n := nodeArg()
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "node", n); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).MSCS.EvictNode(n.scope, n.name)
}

func getClusterFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "name", &name); err != nil {
		return nil, err
	}
	w := world(thread)
	c, err := w.MSCS.Cluster(name)
	if err != nil {
		return nil, err
	}
	return clusterValue(w, c), nil
}

// clusterLookup makes a get_node, get_group or get_resource builtin: a
// cluster and a name in, a handle out.
func clusterLookup(find func(w *sim.World, cluster, name string) (*Object, error)) lang.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		cl := clusterArg()
		var name string
		if err := starlark.UnpackArgs(b.Name(), args, kwargs, "cluster", cl, "name", &name); err != nil {
			return nil, err
		}
		o, err := find(world(thread), cl.name, name)
		if err != nil {
			return nil, err
		}
		return o, nil
	}
}

var (
	getNodeFn = clusterLookup(func(w *sim.World, cluster, name string) (*Object, error) {
		c, n, err := w.MSCS.NodeOf(cluster, name)
		if err != nil {
			return nil, err
		}
		return nodeValue(w, c, n), nil
	})
	getGroupFn = clusterLookup(func(w *sim.World, cluster, name string) (*Object, error) {
		c, g, err := w.MSCS.GroupOf(cluster, name)
		if err != nil {
			return nil, err
		}
		return groupValue(w, c, g), nil
	})
	getResourceFn = clusterLookup(func(w *sim.World, cluster, name string) (*Object, error) {
		c, r, err := w.MSCS.ResourceOf(cluster, name)
		if err != nil {
			return nil, err
		}
		return resourceValue(w, c, r), nil
	})
)

func newGroupFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	cl := clusterArg()
	var name, desc string
	pref := refsTo("node", nodeKind, serverKind)
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "cluster", cl, "name", &name, "description?", &desc, "preferred_owners?", pref); err != nil {
		return nil, err
	}
	w := world(thread)
	g, err := w.MSCS.NewGroup(cl.name, mscs.GroupSpec{Name: name, Description: desc, PreferredOwners: pref.names})
	if err != nil {
		return nil, err
	}
	c, _ := w.MSCS.Cluster(cl.name)
	return groupValue(w, c, g), nil
}

func newResourceFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	known, rest := splitKwargs(args, kwargs, "group", "name", "type", "description", "possible_owners", "dependencies")
	grp := groupArg()
	var name, typ, desc string
	var possible starlark.Value = starlark.None
	deps := refsTo("resource", resourceKind)
	if err := starlark.UnpackArgs(b.Name(), args, known, "group", grp, "name", &name, "type", &typ, "description?", &desc,
		"possible_owners?", &possible, "dependencies?", deps); err != nil {
		return nil, err
	}
	var owners []string
	if possible != starlark.None {
		l := refsTo("node", nodeKind, serverKind)
		if err := l.Unpack(possible); err != nil {
			return nil, fmt.Errorf("%s: for parameter possible_owners: %v", b.Name(), err)
		}
		owners = l.names
		if owners == nil {
			owners = []string{}
		}
	}
	params, err := paramsOf(rest)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", b.Name(), err)
	}
	w := world(thread)
	r, err := w.MSCS.NewResource(grp.scope, mscs.ResourceSpec{Group: grp.name, Name: name, Type: typ, Description: desc, PossibleOwners: owners, Dependencies: deps.names, Params: params})
	if err != nil {
		return nil, err
	}
	c, _, _ := w.MSCS.GroupOf(grp.scope, grp.name) // found as NewResource found it
	return resourceValue(w, c, r), nil
}

func setDependenciesFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	res := resourceArg()
	deps := refsTo("resource", resourceKind)
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "resource", res, "deps", deps); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).MSCS.SetDependencies(res.scope, res.name, deps.names)
}

// dependencyOp makes add_dependency and remove_dependency: a resource and
// a provider in.
func dependencyOp(op func(e *mscs.Engine, cluster, resource, provider string) error) lang.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		res, prov := resourceArg(), resourceArg()
		if err := starlark.UnpackArgs(b.Name(), args, kwargs, "resource", res, "provider", prov); err != nil {
			return nil, err
		}
		return starlark.None, op(world(thread).MSCS, res.scope, res.name, prov.name)
	}
}

var (
	addDependencyFn    = dependencyOp((*mscs.Engine).AddDependency)
	removeDependencyFn = dependencyOp((*mscs.Engine).RemoveDependency)
)

func setPossibleOwnersFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	res := resourceArg()
	nodes := refsTo("node", nodeKind, serverKind)
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "resource", res, "nodes", nodes); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).MSCS.SetPossibleOwners(res.scope, res.name, nodes.names)
}

func setPreferredOwnersFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	grp := groupArg()
	nodes := refsTo("node", nodeKind, serverKind)
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "group", grp, "nodes", nodes); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).MSCS.SetPreferredOwners(grp.scope, grp.name, nodes.names)
}

func setParamsFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	known, rest := splitKwargs(args, kwargs, "resource")
	res := resourceArg()
	if err := starlark.UnpackArgs(b.Name(), args, known, "resource", res); err != nil {
		return nil, err
	}
	params, err := paramsOf(rest)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", b.Name(), err)
	}
	return starlark.None, world(thread).MSCS.SetParams(res.scope, res.name, params)
}

func deleteResourceFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	res := resourceArg()
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "resource", res); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).MSCS.DeleteResource(res.scope, res.name)
}

func deleteGroupFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	grp := groupArg()
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "group", grp); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).MSCS.DeleteGroup(grp.scope, grp.name)
}

// groupOrResource resolves an argument that is a group or a resource.
func groupOrResource(w *sim.World, fn string, v starlark.Value) (cluster, name string, isGroup bool, err error) {
	switch x := v.(type) {
	case *Object:
		switch x.kind {
		case groupKind:
			return x.scope, x.name, true, nil
		case resourceKind:
			return x.scope, x.name, false, nil
		}
	case starlark.String:
		_, _, rerr := w.MSCS.ResourceOf("", string(x))
		_, _, gerr := w.MSCS.GroupOf("", string(x))
		switch {
		case rerr == nil && gerr == nil:
			return "", "", false, fmt.Errorf("%q names both a group and a resource; pass the handle (get_group or get_resource)", string(x))
		case rerr == nil:
			return "", string(x), false, nil
		case gerr == nil:
			return "", string(x), true, nil
		}
		return "", "", false, fmt.Errorf("no group or resource named %q", string(x))
	}
	return "", "", false, fmt.Errorf("%s: for parameter x: got %s, want a Group or Resource or its name", fn, v.Type())
}

func bringOnlineFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "x", &x); err != nil {
		return nil, err
	}
	w := world(thread)
	cl, name, isGroup, err := groupOrResource(w, b.Name(), x)
	if err != nil {
		return nil, err
	}
	return starlark.None, w.MSCS.BringOnline(cl, name, isGroup)
}

func takeOfflineFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "x", &x); err != nil {
		return nil, err
	}
	w := world(thread)
	cl, name, isGroup, err := groupOrResource(w, b.Name(), x)
	if err != nil {
		return nil, err
	}
	return starlark.None, w.MSCS.TakeOffline(cl, name, isGroup)
}

func failResourceFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	res := resourceArg()
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "resource", res); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).MSCS.FailResource(res.scope, res.name)
}

func moveGroupFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	grp := groupArg()
	var node starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "group", grp, "node?", &node); err != nil {
		return nil, err
	}
	target := ""
	if node != starlark.None {
		n := nodeArg()
		if err := n.Unpack(node); err != nil {
			return nil, fmt.Errorf("%s: for parameter node: %v", b.Name(), err)
		}
		target = n.name
	}
	return starlark.None, world(thread).MSCS.MoveGroup(grp.scope, grp.name, target)
}

func nodeOp(op func(e *mscs.Engine, cluster, node string) error) lang.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		n := nodeArg()
		if err := starlark.UnpackArgs(b.Name(), args, kwargs, "node", n); err != nil {
			return nil, err
		}
		return starlark.None, op(world(thread).MSCS, nodeCluster(n), n.name)
	}
}

var (
	pauseNodeFn   = nodeOp((*mscs.Engine).PauseNode)
	stopServiceFn = nodeOp((*mscs.Engine).StopClusterService)
)

// hours accepts (start, end) as a tuple or list of two ints.
func hoursOf(v starlark.Value) ([]int, error) {
	if v == starlark.None {
		return nil, nil
	}
	seq, ok := v.(starlark.Indexable)
	if !ok || isString(v) {
		return nil, fmt.Errorf("got %s, want (start_hour, end_hour)", v.Type())
	}
	out := make([]int, seq.Len())
	for i := range out {
		if err := starlark.AsInt(seq.Index(i), &out[i]); err != nil {
			return nil, fmt.Errorf("item %d: got %s, want an hour 0–23", i, seq.Index(i).Type())
		}
	}
	return out, nil
}

func failoverPolicyFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	grp := groupArg()
	var threshold optInt
	period := mscs.DefaultFailoverPeriod
	failback := mscs.FailbackPrevent
	var window starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "group", grp, "threshold?", &threshold, "period?", &period,
		"failback?", &failback, "window?", &window); err != nil {
		return nil, err
	}
	hours, err := hoursOf(window)
	if err != nil {
		return nil, fmt.Errorf("%s: for parameter window: %v", b.Name(), err)
	}
	return starlark.None, world(thread).MSCS.SetFailoverPolicy(grp.scope, grp.name, mscs.FailoverPolicy{DefaultThreshold: !threshold.set, Threshold: threshold.n, Period: period, Failback: failback, Window: hours})
}

func restartPolicyFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	res := resourceArg()
	restart, affect := true, true
	var threshold optInt
	period := mscs.DefaultRestartPeriod
	var retryArg starlark.Value // nil when not given: the engine's default
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "resource", res, "restart?", &restart, "threshold?", &threshold,
		"period?", &period, "affect_group?", &affect, "retry_period?", &retryArg); err != nil {
		return nil, err
	}
	retry := 0
	if retryArg != nil {
		if err := starlark.AsInt(retryArg, &retry); err != nil {
			return nil, fmt.Errorf("%s: for parameter retry_period: got %s, want int", b.Name(), retryArg.Type())
		}
		if retry == 0 {
			// To the engine 0 means "the default"; given here it is a mistake.
			return nil, mscs.CheckRetryPeriod(retry, period)
		}
	}
	return starlark.None, world(thread).MSCS.SetRestartPolicy(res.scope, res.name, mscs.RestartPolicy{Restart: restart, DefaultThreshold: !threshold.set, Threshold: threshold.n, Period: period, AffectGroup: affect, RetryPeriod: retry})
}

func installExchangeFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	srv := serverArg()
	var acct account
	edition, drive := "enterprise", "C:"
	components := stringList{"messaging", "system_management_tools"}
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "server", srv, "account", &acct, "edition?", &edition,
		"components?", &components, "drive?", &drive); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).MSCS.InstallExchange(mscs.ExchangeSpec{Server: srv.name, Account: acct.name, Edition: edition, Components: components, Drive: drive})
}
