package builtins

import (
	"fmt"

	"clusterscript/lang"
	"clusterscript/runtime/core"
	"clusterscript/runtime/sim"

	"go.starlark.net/starlark"
)

// InvariantsBuiltins is the table of the invariants builtin: the engine's
// list of SPEC §13, read from a runbook.
var InvariantsBuiltins = []lang.Builtin{
	{Name: "invariants", Params: "(x=None)", Topic: "runbook", Fn: invariantsFn,
		Summary: "the invariants a cluster, an NLB cluster or (by default) the whole world breaks, as sentences; [] when all hold",
		Doc: "x is a Cluster, an NlbCluster, or the name of either. The rules (docs/semantics.md, \"Invariants\"):\n" +
			"- a group has one owner, a node of its cluster, and no other node lists it;\n" +
			"- an Online resource runs on its group's owner, an Up or Paused node and one of its possible owners, with every dependency Online;\n" +
			"- a cluster runs exactly when it has quorum by its model, and without quorum no node is Up and nothing is Online;\n" +
			"- MSDTC exists while a node has cluster-aware Exchange, and the Exchange 2003 rules hold: one System Attendant per virtual server, " +
			"depending on a Network Name and every disk of its group, owned only by nodes with cluster-aware Exchange; at most N-1 virtual servers " +
			"on 3 or more nodes and one running per node; one Message Transfer Agent;\n" +
			"- once an NLB cluster has converged, each multiple-host rule's 60 buckets are shared exactly among its converged hosts by their load weights;\n" +
			"- for the whole world, saving, loading and saving again gives the same state file.\n" +
			"Each sentence starts with the object it concerns (\"cluster EXCLUSTER: ...\"), in a fixed order. Check at rest, after settle(): " +
			"a pending restart or convergence may break a rule for a moment (a failed quorum disk resource waiting for its restart)."},
}

// invariantsScope is what invariants() looks at: a server cluster, an NLB
// cluster, or the whole world.
type invariantsScope struct {
	obj  *Object
	name string
}

func (s *invariantsScope) Unpack(v starlark.Value) error {
	switch x := v.(type) {
	case starlark.NoneType:
		return nil
	case starlark.String:
		if x == "" {
			return fmt.Errorf("the cluster name is empty")
		}
		s.name = string(x)
		return nil
	case *Object:
		if x.kind == clusterKind || x.kind == nlbKind {
			s.obj, s.name = x, x.name
			return nil
		}
	}
	return fmt.Errorf("got %s, want a Cluster, an NlbCluster, the name of either, or None for the whole world", v.Type())
}

func invariantsFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var scope invariantsScope
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "x?", &scope); err != nil {
		return nil, err
	}
	list, err := scope.invariants(world(thread))
	if err != nil {
		return nil, err
	}
	return strList(list), nil
}

// invariants lists what the scope breaks. A bare name is looked up among
// the server clusters and the NLB clusters; it must name exactly one.
func (s *invariantsScope) invariants(w *sim.World) ([]string, error) {
	switch {
	case s.name == "":
		return w.Invariants(), nil
	case s.obj != nil && s.obj.kind == nlbKind:
		c, err := w.NLB.Cluster(s.name)
		if err != nil {
			return nil, err
		}
		return w.NLB.ClusterInvariants(c), nil
	case s.obj != nil:
		c, err := w.MSCS.Cluster(s.name)
		if err != nil {
			return nil, err
		}
		return w.MSCS.ClusterInvariants(c), nil
	}
	c, cErr := w.MSCS.Cluster(s.name)
	n, nErr := w.NLB.Cluster(s.name)
	switch {
	case cErr == nil && nErr == nil:
		return nil, core.Errf(core.ErrConflict, "both a server cluster and an NLB cluster are named %q; pass the handle from get_cluster or get_nlb", s.name)
	case cErr == nil:
		return w.MSCS.ClusterInvariants(c), nil
	case nErr == nil:
		return w.NLB.ClusterInvariants(n), nil
	}
	var names []string
	for _, c := range w.MSCS.Clusters {
		names = append(names, c.Name)
	}
	for _, c := range w.NLB.Clusters {
		names = append(names, c.Name)
	}
	return nil, core.NotFound("server cluster or NLB cluster", s.name, names)
}
