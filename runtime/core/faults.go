package core

// FailServer crashes a server: power lost. Its cluster notices after the
// heartbeat timeout.
func (w *World) FailServer(server string) error {
	s, err := w.Server(server)
	if err != nil {
		return err
	}
	if !s.Running {
		return Errf(ErrState, "server %s is already down; bring it back with boot_server(%q)", s.Name, s.Name)
	}
	w.serverDown(s, "server %s crashed (power lost)")
	return nil
}

// serverDown stops a running server and tells the engines; text says how,
// with %s for the server's name.
func (w *World) serverDown(s *Server, text string) {
	w.TouchServer(s)
	s.Running = false
	w.Emit(KindWorld, s.Name, "", text, s.Name)
	for _, e := range w.engines {
		e.OnServerDown(s)
	}
}

// BootServer starts a server that is down; a cluster node's Cluster
// service starts and joins.
func (w *World) BootServer(server string) error {
	s, err := w.Server(server)
	if err != nil {
		return err
	}
	if s.Running {
		return Errf(ErrState, "server %s is already running; only a server that is down can boot", s.Name)
	}
	if s.NoSystemDisk {
		return Errf(ErrPrereq, "server %s has lost its system disk and cannot boot; rebuild it with asr_restore first", s.Name)
	}
	w.TouchServer(s)
	s.Running = true
	w.Emit(KindWorld, s.Name, "", "server %s booted", s.Name)
	for _, e := range w.engines {
		e.OnServerUp(s)
	}
	return nil
}

// ServerAdapter looks up a server and one of its adapters.
func (w *World) ServerAdapter(server, adapter string) (*Server, *Adapter, error) {
	s, err := w.Server(server)
	if err != nil {
		return nil, nil, err
	}
	a, err := s.Adapter(adapter)
	return s, a, err
}

// FailAdapter fails a network adapter: cable pulled, switch port dead.
func (w *World) FailAdapter(server, adapter string) error {
	s, a, err := w.ServerAdapter(server, adapter)
	if err != nil {
		return err
	}
	if a.Failed {
		return Errf(ErrState, "adapter %s of %s has already failed", a.Name, s.Name)
	}
	w.touchAdapter(a)
	a.Failed = true
	w.Emit(KindWorld, s.Name, "", "adapter %s of %s failed", a.Name, s.Name)
	for _, e := range w.engines {
		e.OnAdapterFailed(s, a)
	}
	return nil
}

// RepairAdapter brings a failed adapter back. A node whose Cluster service
// stopped because it was cut off restarts it and rejoins.
func (w *World) RepairAdapter(server, adapter string) error {
	s, a, err := w.ServerAdapter(server, adapter)
	if err != nil {
		return err
	}
	if !a.Failed {
		return Errf(ErrState, "adapter %s of %s has not failed", a.Name, s.Name)
	}
	w.touchAdapter(a)
	a.Failed = false
	w.Emit(KindWorld, s.Name, "", "adapter %s of %s repaired", a.Name, s.Name)
	for _, e := range w.engines {
		e.OnAdapterRepaired(s, a)
	}
	return nil
}

// FailDisk fails a shared disk. The Physical Disk resource holding it
// fails; a failed quorum disk stops the cluster.
func (w *World) FailDisk(label string) error {
	d, err := w.Disk(label)
	if err != nil {
		return err
	}
	if d.Failed {
		return Errf(ErrState, "disk %s has already failed", d.Label)
	}
	w.touchDisk(d)
	d.Failed = true
	w.Emit(KindWorld, d.Label, "", "disk %s failed", d.Label)
	for _, e := range w.engines {
		e.OnDiskFailed(d)
	}
	return nil
}

// RepairDisk brings a failed disk back.
func (w *World) RepairDisk(label string) error {
	d, err := w.Disk(label)
	if err != nil {
		return err
	}
	if !d.Failed {
		return Errf(ErrState, "disk %s has not failed", d.Label)
	}
	w.touchDisk(d)
	d.Failed = false
	w.Emit(KindWorld, d.Label, "", "disk %s repaired", d.Label)
	for _, e := range w.engines {
		e.OnDiskRepaired(d)
	}
	return nil
}

// LoseSystemDisk destroys a server's system disk: it crashes, if running,
// and cannot boot until an ASR restore.
func (w *World) LoseSystemDisk(server string) error {
	s, err := w.Server(server)
	if err != nil {
		return err
	}
	if s.NoSystemDisk {
		return Errf(ErrState, "server %s has already lost its system disk", s.Name)
	}
	w.TouchServer(s)
	s.NoSystemDisk = true
	if !s.Running {
		w.Emit(KindWorld, s.Name, "", "server %s lost its system disk; it cannot boot until an ASR restore", s.Name)
		return nil
	}
	w.serverDown(s, "server %s went down: its system disk failed, and it cannot boot until an ASR restore")
	return nil
}
