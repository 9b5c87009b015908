// Package builtins adapts the engine to Starlark: one file per domain, each
// a table of builtins that unpack their arguments, call the runtime and wrap
// the result in a handle.
package builtins

import (
	"sync"

	"clusterscript/lang"
	"clusterscript/runtime/sim"

	"go.starlark.net/starlark"
)

var (
	tables   [][]lang.Builtin
	regOnce  sync.Once
	registry *lang.Registry
)

// register adds a domain's table; each file calls it from init.
func register(t []lang.Builtin) { tables = append(tables, t) }

// Registry returns the registry holding every builtin.
func Registry() *lang.Registry {
	regOnce.Do(func() {
		registry = lang.NewRegistry()
		for _, t := range tables {
			registry.Add(t...)
		}
	})
	return registry
}

// world returns the world of the thread's session.
func world(thread *starlark.Thread) *sim.World { return lang.SessionOf(thread).World }
