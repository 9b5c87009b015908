package sim

// Load decodes a state file written by Save into a new world.
func Load(data []byte) (*World, error) { return LoadString(string(data)) }

// LoadString is Load for a document held as a string, which the world's
// strings then share instead of copying (see core.World.ReadState).
func LoadString(doc string) (*World, error) {
	w := New()
	if err := w.World.ReadState(doc); err != nil {
		return nil, err
	}
	return w, nil
}

// Clone returns an independent deep copy of the world: a new core with new
// engines wired to it (their timer kinds fire on the copy), every object
// copied and every index copied, without a state file in between.
func (w *World) Clone() *World {
	c := New()
	w.World.CloneInto(c.World)
	w.MSCS.CloneInto(c.MSCS)
	w.NLB.CloneInto(c.NLB)
	return c
}
