package builtins

// Completion inside quotes offers the names that fit the argument: what a
// parameter takes follows from its name (a parameter called group takes a
// group, nodes a list of nodes), for the builtins and for the stdlib's
// functions alike; a few parameters say it otherwise.

// paramKinds are the kinds of object (worldView.visit) each parameter
// name takes.
var paramKinds = map[string][]string{
	"server": {"server"}, "servers": {"server"},
	"adapter": {"adapter"},
	"disk":    {"disk"}, "disks": {"disk"},
	"domain":  {"domain"},
	"cluster": {"cluster"},
	"node":    {"node"}, "nodes": {"node"}, "preferred": {"node"}, "preferred_owners": {"node"}, "possible_owners": {"node"},
	"group":    {"group"},
	"resource": {"resource"}, "provider": {"resource"}, "deps": {"resource"}, "dependencies": {"resource"},
	"nlb":  {"nlb"},
	"host": {"host"},
}

// callKinds are the parameters whose name does not say what they take:
// the name of the object a lookup finds, an object of several kinds, and
// add_to_group's group, an Active Directory group (none is offered).
var callKinds = map[[2]string][]string{
	{"get_server", "name"}:    {"server"},
	{"get_disk", "label"}:     {"disk"},
	{"get_domain", "name"}:    {"domain"},
	{"get_cluster", "name"}:   {"cluster"},
	{"get_node", "name"}:      {"node"},
	{"get_group", "name"}:     {"group"},
	{"get_resource", "name"}:  {"resource"},
	{"get_nlb", "name"}:       {"nlb"},
	{"nlb_host", "name"}:      {"host"},
	{"bring_online", "x"}:     {"group", "resource"},
	{"take_offline", "x"}:     {"group", "resource"},
	{"invariants", "x"}:       {"cluster", "nlb"},
	{"add_to_group", "group"}: {},
}

func (w *World) NamesFor(call, param string) ([]string, bool) {
	kinds, ok := callKinds[[2]string{call, param}]
	if !ok {
		kinds, ok = paramKinds[param]
	}
	if !ok {
		return nil, false
	}
	if len(kinds) == 0 {
		return nil, true
	}
	return viewWorld(w.sim).names(kinds...), true
}
