package sim

// Load decodes a state file written by Save into a new world.
func Load(data []byte) (*World, error) {
	w := New()
	if err := w.World.ReadState(data); err != nil {
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
