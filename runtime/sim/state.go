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

// Clone returns an independent deep copy of the world.
func (w *World) Clone() *World {
	data, err := w.Save()
	if err != nil {
		panic("sim: world does not encode: " + err.Error())
	}
	c, err := Load(data)
	if err != nil {
		panic("sim: world does not decode: " + err.Error())
	}
	return c
}

// Restore replaces the world's contents with those of a snapshot taken by
// Clone, keeping the World and its engines (which handles point at) the
// same objects.
func (w *World) Restore(snapshot *World) {
	w.World.ReplaceWith(snapshot.World)
	w.MSCS.Clusters = snapshot.MSCS.Clusters
	w.NLB.Clusters = snapshot.NLB.Clusters
	w.Reindex()
}
