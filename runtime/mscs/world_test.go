package mscs

import (
	"clusterscript/runtime/core"
	"clusterscript/runtime/nlb"
)

// World is what the engine's tests drive: the core with this engine and
// NLB attached, as the simulation wires them.
type World struct {
	*core.World
	*Engine
	NLB *nlb.Engine
}

func NewWorld() *World {
	w := core.NewWorld()
	e := New(w)
	n := nlb.New(w)
	w.Attach(e, n)
	return &World{World: w, Engine: e, NLB: n}
}

// Load reads a state file into a new test world.
func Load(data []byte) (*World, error) {
	w := NewWorld()
	if err := w.World.ReadState(string(data)); err != nil {
		return nil, err
	}
	return w, nil
}
