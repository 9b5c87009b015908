// Package builtins adapts the engine to Starlark: one file per domain, each
// a table of builtins that unpack their arguments, call the runtime and wrap
// the result in a handle.
package builtins

import (
	"sync"

	"clusterscript/lang"
)

// Domains lists the table of each domain; the registry holds exactly these
// builtins. A new domain file adds its table here.
var Domains = [][]lang.Builtin{
	RunbookBuiltins,
	InvariantsBuiltins,
	WorldBuiltins,
	FaultBuiltins,
	ClusterBuiltins,
	VersionBuiltins,
	PlacementBuiltins,
	NLBBuiltins,
	ASRBuiltins,
}

// Topics is the order in which `doc` and the REPL's :help present the
// builtins.
var Topics = []string{"runbook", "world", "faults", "cluster", "versions", "exchange", "nlb", "asr"}

// TopicDocs says what each topic covers, for `doc TOPIC` and the reference.
var TopicDocs = map[string]string{
	"runbook": "The structure of a runbook and its checks: its title, the documented procedures and their numbered steps, " +
		"notes, checks that stop the runbook when they fail, catch() and quietly(), param() for --set values, and the virtual clock " +
		"(now, advance, advance_to, settle) with the event log (events, invariants).",
	"world": "The domain, its accounts and groups, the Windows servers with their network adapters and Windows components, " +
		"and the disks on the shared bus. Every name is unique in the world; a handle or its name is accepted wherever an object is expected.",
	"faults": "What goes wrong: a server crashes or boots, loses its system disk, an adapter or a shared disk fails and is repaired. " +
		"Faults take effect at once; detection and failover follow on the virtual clock (settle() waits for them).",
	"cluster": "Windows Server 2003 server clusters (MSCS): forming a cluster and joining nodes, groups and resources with their " +
		"dependencies, possible and preferred owners, bringing them online, moving them, pausing nodes, and the failover and restart policies " +
		"that decide what happens after a failure.",
	"versions": "Failover clusters of Windows Server 2008 to 2022: a cluster behaves as its nodes' version does (docs/versions.md). " +
		"Cluster common properties by their PowerShell names, the quorum modes and witnesses of 2008 and later, node votes, " +
		"dynamic quorum (2012), dynamic witness and the 50 % tie-breaker (2012 R2). Each builtin and property says which version brought it; " +
		"on an older cluster it is refused, naming that version.",
	"exchange": "Exchange Server 2003 on a server cluster: Setup installs the cluster-aware version on each node; an Exchange " +
		"virtual server is a group with an IP Address, a Network Name, Physical Disks and a System Attendant, which creates the other Exchange resources.",
	"nlb": "Network Load Balancing: a cluster IP shared by up to 32 hosts, port rules with filtering and affinity that spread " +
		"client traffic over the hosts by hashing, convergence after a host joins or leaves, and the wlbs commands (start, stop, drainstop, enable, disable, drain).",
	"asr": "Automated System Recovery: a backup set of a server's system state and disk signatures, and the restore that rebuilds " +
		"a server that lost its system disk and rejoins it to its cluster.",
}

// ValueTypes are the types of the values builtins return, documented for
// `doc TYPE`; each is the attribute list its values answer dir() with.
var ValueTypes = []*lang.Type{
	domainKind.doc, userKind.doc, serverKind.doc, adapterType, diskKind.doc,
	clusterKind.doc, nodeKind.doc, groupKind.doc, resourceKind.doc,
	nlbKind.doc, nlbHostKind.doc, portRuleKind.doc, connType,
	asrKind.doc, eventType,
}

var (
	regOnce  sync.Once
	registry *lang.Registry
)

// Registry returns the registry holding every builtin of Domains.
func Registry() *lang.Registry {
	regOnce.Do(func() {
		registry = lang.NewRegistry(Topics...)
		for _, t := range Domains {
			registry.Add(t...)
		}
		registry.AddTypes(ValueTypes...)
		for _, t := range Topics {
			registry.DocumentTopic(t, TopicDocs[t])
		}
	})
	return registry
}
