// Package sim assembles the simulated world: the core (clock, timers, event
// log, directory, servers, adapters, disks, ASR) with the engines that run
// on it (server clusters, Network Load Balancing), wired explicitly in New.
// It also reads and writes the whole world as a state file.
package sim

import (
	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/nlb"
)

// World is the whole simulation: the core's methods (directory, servers,
// faults, the clock) are promoted; each engine is reached by name.
type World struct {
	*core.World
	MSCS *mscs.Engine
	NLB  *nlb.Engine
}

// New returns an empty world at the start of the virtual clock.
func New() *World {
	w := core.NewWorld()
	m := mscs.New(w)
	n := nlb.New(w)
	w.Attach(m, n)
	return &World{World: w, MSCS: m, NLB: n}
}
