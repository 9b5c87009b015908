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
	NLBBuiltins,
	ASRBuiltins,
}

// Topics is the order in which `doc` and the REPL's :help present the
// builtins.
var Topics = []string{"runbook", "world", "faults", "cluster", "exchange", "nlb", "asr"}

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
	})
	return registry
}
