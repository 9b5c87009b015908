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
