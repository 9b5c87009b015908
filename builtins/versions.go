package builtins

import (
	"fmt"
	"strings"

	"clusterscript/lang"
	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"

	"go.starlark.net/starlark"
)

// VersionBuiltins are the builtins of failover clusters of Windows Server
// 2008 and later: cluster properties, quorum modes and witnesses, votes.
var VersionBuiltins = []lang.Builtin{
	{Name: "set_cluster_property", Params: "(cluster, **props)", Topic: "versions", Fn: setClusterPropertyFn,
		Summary: "sets cluster common properties by their PowerShell names, e.g. SameSubnetThreshold=20 (Windows Server 2008 and later)",
		Doc:     propertiesDoc()},
	{Name: "set_quorum", Params: "(cluster, mode, witness=None)", Topic: "versions", Fn: setQuorumFn,
		Enums:   map[string]*lang.Enum{"mode": oneOf("quorum mode", mscs.QuorumModes...)},
		Summary: "sets the quorum mode and its witness (Windows Server 2008 and later; cloud_witness from 2016)",
		Doc: "Modes: \"node_majority\" (no witness), \"node_and_disk_majority\" (witness: a Disk every node sees), " +
			"\"node_and_file_share_majority\" (witness: a UNC path \"\\\\\\\\SERVER\\\\share\" on a server outside the cluster), \"disk_only\" (witness: a Disk; the cluster runs while a node holds it), " +
			"\"cloud_witness\" (" + sinceNote(mscs.Since("cloud witness")) + "; witness: a storage account name). " +
			"The nodes that run must hold a majority of the new votes. The witness is a resource of the Cluster Group: \"Disk Q:\", \"File Share Witness\" or \"Cloud Witness\"."},
	{Name: "set_node_vote", Params: "(node, vote)", Topic: "versions", Fn: setNodeVoteFn,
		Summary: "sets a node's NodeWeight, 1 or 0 (" + sinceNote(mscs.Since("node weight")) + "); node.vote reads it",
		Doc:     "Refused when the nodes that run would no longer hold a majority. From Windows Server 2012 dynamic quorum then adjusts the votes; every change is an event."},
}

// sinceNote is the "since" line of a builtin's or an attribute's doc.
func sinceNote(v string) string {
	if v == "" || v == core.Versions[0] {
		return ""
	}
	return core.VersionName(v) + " and later"
}

// propertiesDoc lists the properties with the version that brought each.
func propertiesDoc() string {
	var b strings.Builder
	b.WriteString("Each property is checked against the cluster's version: one the version lacks is refused naming the version that brought it, " +
		"and a value out of range is refused with the range. Each is also an attribute of Cluster in snake case (cluster.same_subnet_threshold), None before its version.\n")
	for _, p := range mscs.ClusterProperties() {
		fmt.Fprintf(&b, "%s (%s): %s.\n", p.Name, sinceNote(p.Since), p.Doc)
	}
	b.WriteString("LowerQuorumPriorityNodeID takes a node ID (node.id) or a node; PreferredSite a site name.")
	return b.String()
}

// propertyAttrs are the Cluster attributes of the properties.
func propertyAttrs() []lang.Attr {
	var out []lang.Attr
	for _, p := range mscs.ClusterProperties() {
		out = append(out, lang.Attr{Name: p.Attr, Doc: fmt.Sprintf("%s (%s): %s; None before", p.Name, sinceNote(p.Since), p.Doc)})
	}
	return out
}

// propertyAttr reads a property attribute: its value, None on a version
// without it, nil for a name that is no property.
func propertyAttr(c *mscs.Cluster, name string) starlark.Value {
	for _, p := range mscs.ClusterProperties() {
		if p.Attr != name {
			continue
		}
		v, ok := c.Property(name)
		switch x := v.(type) {
		case int64:
			return starlark.MakeInt64(x)
		case string:
			return str(x)
		}
		if !ok {
			return starlark.None
		}
	}
	return nil
}

func setClusterPropertyFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	known, rest := splitKwargs(args, kwargs, "cluster")
	cl := clusterArg()
	if err := starlark.UnpackArgs(b.Name(), args, known, "cluster", cl); err != nil {
		return nil, err
	}
	var settings []mscs.PropertySetting
	for _, kv := range rest {
		name := string(kv[0].(starlark.String))
		var v any
		switch x := kv[1].(type) {
		case starlark.Int:
			n, ok := x.Int64()
			if !ok {
				return nil, fmt.Errorf("%s: %s %s is out of range", b.Name(), name, x)
			}
			v = n
		case starlark.Bool:
			v = map[bool]int64{false: 0, true: 1}[bool(x)]
		case starlark.String:
			v = string(x)
		case *Object:
			if x.kind != nodeKind && x.kind != serverKind {
				return nil, fmt.Errorf("%s: %s: got %s, want a number, a string or a Node", b.Name(), name, x.Type())
			}
			v = x.name
		default:
			return nil, fmt.Errorf("%s: %s: got %s, want a number or a string", b.Name(), name, kv[1].Type())
		}
		settings = append(settings, mscs.PropertySetting{Name: name, Value: v})
	}
	return starlark.None, world(thread).MSCS.SetClusterProperty(cl.name, settings)
}

func setQuorumFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	cl := clusterArg()
	var mode string
	var witness starlark.Value = starlark.None
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "cluster", cl, "mode", &mode, "witness?", &witness); err != nil {
		return nil, err
	}
	spec := mscs.QuorumSpec{Mode: mode}
	switch x := witness.(type) {
	case starlark.NoneType:
	case starlark.String:
		spec.Witness = string(x)
	case *Object:
		if x.kind != diskKind {
			return nil, fmt.Errorf("%s: for parameter witness: got %s, want a Disk, a UNC path or a storage account name", b.Name(), x.Type())
		}
		spec.Witness, spec.WitnessIsDisk = x.name, true
	default:
		return nil, fmt.Errorf("%s: for parameter witness: got %s, want a Disk, a UNC path or a storage account name", b.Name(), witness.Type())
	}
	return starlark.None, world(thread).MSCS.SetQuorum(cl.name, spec)
}

func setNodeVoteFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	n := nodeArg()
	var vote int
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "node", n, "vote", &vote); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).MSCS.SetNodeVote(nodeCluster(n), n.name, vote)
}

func startServiceFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	n := nodeArg()
	var spec mscs.StartSpec
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "node", n, "force_quorum?", &spec.ForceQuorum, "prevent_quorum?", &spec.PreventQuorum); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).MSCS.StartClusterServiceWith(nodeCluster(n), n.name, spec)
}
