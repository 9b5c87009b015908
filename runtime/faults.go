package runtime

// Server crashes and boots. These functions only change the world and tell
// the engines that care; each engine reacts through a hook, so that a crash
// reaches NLB, the server cluster and anything added later without this
// file knowing them.

// serverDownHooks run, in order, after a server has crashed (Running is
// already false); serverUpHooks after it has booted (Running is true). Each
// engine appends its own in an init() of its file: NLB stops the host's
// heartbeats there, so that its peers drop it 5 s later and converge.
var (
	serverDownHooks []func(w *World, server string)
	serverUpHooks   []func(w *World, server string)
)

// FailServer crashes a running server as a power loss would: nothing is
// shut down cleanly, and its peers notice only when its heartbeats stop.
func (w *World) FailServer(name string) error {
	s, err := w.Server(name)
	if err != nil {
		return err
	}
	if !s.Running {
		return errf(ErrState, "server %s is already down; bring it back with boot_server(%q)", s.Name, s.Name)
	}
	s.Running = false
	w.emit(KindWorld, s.Name, "", "server %s crashed (power lost)", s.Name)
	for _, h := range serverDownHooks {
		h(w, s.Name)
	}
	return nil
}

// BootServer starts a server that is down. A server that lost its system
// disk boots only after an ASR restore.
func (w *World) BootServer(name string) error {
	s, err := w.Server(name)
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
