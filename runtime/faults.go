package runtime

// serverDownHooks run, in order, after a server has gone down (Running is
// already false); serverUpHooks after it has booted. Each engine appends
// its own reaction in an init() of its file, so a crash reaches the server
// cluster, NLB and anything added later without this file knowing them.
var (
	serverDownHooks []func(w *World, server string)
	serverUpHooks   []func(w *World, server string)
)

func init() {
	serverDownHooks = append(serverDownHooks, func(w *World, server string) {
		s := w.servers[key(server)]
		c := w.clusters[key(s.Cluster)]
		if c == nil {
			return
		}
		n := c.nodes[key(s.Name)]
		if n.State == NodeJoining {
			// A node still joining (or waiting for quorum) holds nothing: it
			// is simply gone.
			w.cancelTimers(timerNodeJoin, c.Name+"/"+n.Name)
			n.State = NodeDown
			w.emit(KindState, n.Name, NodeDown, "node %s is %s (its server went down while it was joining)", n.Name, NodeDown)
			return
		}
		if c.running() {
			w.scheduleRegroup(c, s.Name+" stopped responding")
		}
	})
	serverUpHooks = append(serverUpHooks, func(w *World, server string) {
		s := w.servers[key(server)]
		c := w.clusters[key(s.Cluster)]
		if c == nil {
			return
		}
		n := c.nodes[key(s.Name)]
		if (n.State == NodeUp || n.State == NodePaused) && c.running() {
			// It crashed and came back before the others noticed: its
			// resources died with it, and the rejoin tells the cluster.
			n.State = NodeDown
			w.emit(KindState, n.Name, NodeDown, "node %s is %s (it restarted before its silence was noticed)", n.Name, NodeDown)
			w.failoverFrom(c, []*Node{n}, n.Name+" restarted")
		}
		w.startJoin(c, n, "Cluster service starting at boot")
	})
	nlbHostOf = func(w *World, server string) string {
		name, _ := w.NLBHostOf(server)
		return name
	}
}

// FailServer crashes a server: power lost. Its cluster notices after the
// heartbeat timeout.
func (w *World) FailServer(server string) error {
	s, err := w.Server(server)
	if err != nil {
		return err
	}
	if !s.Running {
		return errf(ErrState, "server %s is already down; bring it back with boot_server(%q)", s.Name, s.Name)
	}
	w.serverDown(s, "server %s crashed (power lost)")
	return nil
}

// serverDown stops a running server and tells the engines; text says how,
// with %s for the server's name.
func (w *World) serverDown(s *Server, text string) {
	s.Running = false
	w.emit(KindWorld, s.Name, "", text, s.Name)
	for _, h := range serverDownHooks {
		h(w, s.Name)
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
		return errf(ErrState, "server %s is already running; only a server that is down can boot", s.Name)
	}
	if s.NoSystemDisk {
		return errf(ErrPrereq, "server %s has lost its system disk and cannot boot; rebuild it with asr_restore first", s.Name)
	}
	s.Running = true
	w.emit(KindWorld, s.Name, "", "server %s booted", s.Name)
	for _, h := range serverUpHooks {
		h(w, s.Name)
	}
	return nil
}

// serverAdapter looks up a server and one of its adapters.
func (w *World) serverAdapter(server, adapter string) (*Server, *Adapter, error) {
	s, err := w.Server(server)
	if err != nil {
		return nil, nil, err
	}
	a, err := s.Adapter(adapter)
	return s, a, err
}

// FailAdapter fails a network adapter: cable pulled, switch port dead.
func (w *World) FailAdapter(server, adapter string) error {
	s, a, err := w.serverAdapter(server, adapter)
	if err != nil {
		return err
	}
	if a.Failed {
		return errf(ErrState, "adapter %s of %s has already failed", a.Name, s.Name)
	}
	a.Failed = true
	w.emit(KindWorld, s.Name, "", "adapter %s of %s failed", a.Name, s.Name)
	if c := w.clusters[key(s.Cluster)]; c != nil && c.running() && s.Running {
		w.scheduleRegroup(c, "adapter "+a.Name+" of "+s.Name+" failed")
	}
	return nil
}

// RepairAdapter brings a failed adapter back. A node whose Cluster service
// stopped because it was cut off restarts it and rejoins.
func (w *World) RepairAdapter(server, adapter string) error {
	s, a, err := w.serverAdapter(server, adapter)
	if err != nil {
		return err
	}
	if !a.Failed {
		return errf(ErrState, "adapter %s of %s has not failed", a.Name, s.Name)
	}
	a.Failed = false
	w.emit(KindWorld, s.Name, "", "adapter %s of %s repaired", a.Name, s.Name)
	if c := w.clusters[key(s.Cluster)]; c != nil && s.Running {
		if n := c.nodes[key(s.Name)]; n.CutOff && n.State == NodeDown {
			w.startJoin(c, n, "Cluster service restarted after its network came back")
		}
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
		return errf(ErrState, "disk %s has already failed", d.Label)
	}
	d.Failed = true
	w.emit(KindWorld, d.Label, "", "disk %s failed", d.Label)
	c, r := w.diskOwner(d.Label)
	if r == nil || !c.running() {
		return nil
	}
	if r.Name == c.Quorum {
		w.loseQuorum(c, "the quorum disk "+d.Label+" failed")
		return nil
	}
	if r.State == Online {
		w.resourceFailed(c, r, "disk "+d.Label+" failed")
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
		return errf(ErrState, "disk %s has not failed", d.Label)
	}
	d.Failed = false
	w.emit(KindWorld, d.Label, "", "disk %s repaired", d.Label)
	// Nodes waiting to form a cluster on this quorum disk try again.
	if c, r := w.diskOwner(d.Label); r != nil && r.Name == c.Quorum && !c.running() {
		for _, n := range c.Nodes {
			if n.State == NodeJoining {
				w.startJoin(c, n, "retrying to form the cluster now that the quorum disk is back")
			}
		}
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
		return errf(ErrState, "server %s has already lost its system disk", s.Name)
	}
	s.NoSystemDisk = true
	if !s.Running {
		w.emit(KindWorld, s.Name, "", "server %s lost its system disk; it cannot boot until an ASR restore", s.Name)
		return nil
	}
	w.serverDown(s, "server %s went down: its system disk failed, and it cannot boot until an ASR restore")
	return nil
}

// nlbHostOf names the NLB cluster a server is a host of; the NLB engine
// sets it.
var nlbHostOf = func(w *World, server string) string { return "" }

func (w *World) nlbHost(server string) string { return nlbHostOf(w, server) }
