package nlb

import (
	"clusterscript/runtime/core"
)

// World is what the engine's tests drive: the core with this engine.
type World struct {
	*core.World
	*Engine
}

func NewWorld() *World {
	w := core.NewWorld()
	e := New(w)
	w.Attach(e)
	return &World{World: w, Engine: e}
}

// Load reads a state file into a new test world.
func Load(data []byte) (*World, error) {
	w := NewWorld()
	if err := w.World.ReadState(string(data)); err != nil {
		return nil, err
	}
	return w, nil
}
