package core

import "net/netip"

// An Engine is one simulated product that lives on the core's servers,
// adapters and disks: the server cluster, Network Load Balancing. The core
// knows engines only through this interface; World.Attach wires
// them in a fixed order, and the core calls them in that order.
type Engine interface {
	// TimerKinds lists the timers the engine schedules and fires.
	TimerKinds() []TimerKind

	// MemberOf names what a server is a member of in this engine, as a
	// phrase ("a node of cluster EXCLUSTER"), or "" when it is none.
	MemberOf(server string) string

	// GuardAdapter may refuse a new configuration of an adapter the engine
	// relies on; it is asked before anything changes.
	GuardAdapter(s *Server, a *Adapter, p netip.Prefix, extra []string) error

	// HolderOf names what holds a shared disk, or "".
	HolderOf(d *Disk) string

	// OnServerDown follows a server going down (Running is already false);
	// OnServerUp follows its boot.
	OnServerDown(s *Server)
	OnServerUp(s *Server)

	// OnAdapterFailed and OnAdapterRepaired follow an adapter's fault and repair.
	OnAdapterFailed(s *Server, a *Adapter)
	OnAdapterRepaired(s *Server, a *Adapter)

	// OnDiskFailed and OnDiskRepaired follow a shared disk's fault and repair.
	OnDiskFailed(d *Disk)
	OnDiskRepaired(d *Disk)

	// OnAsrBackup may warn about what a backup of s does not capture.
	OnAsrBackup(s *Server)
	// CheckAsrRestore may refuse to restore s from set; OnAsrRestoring
	// follows the rebuild, before the server boots.
	CheckAsrRestore(s *Server, set *AsrSet) error
	OnAsrRestoring(s *Server)

	// Reindex rebuilds the engine's derived indexes after its objects were
	// loaded or replaced.
	Reindex()
	// Addresses reports every address the engine's objects hold (the core
	// indexes them with the adapters' own).
	Addresses(claim func(ip string, u AddrUse))
	// CheckIndexes reports the first derived index of the engine that
	// disagrees with its objects; tests and CheckRollbacks use it.
	CheckIndexes() error

	// StateKey names the engine's member of a state file's world object;
	// HasState says whether there is anything to put there (the member is
	// left out otherwise). EncodeState writes the member's value and
	// DecodeState reads it back, in the document's schema version
	// (d.Version()); Reindex follows a load.
	StateKey() string
	HasState() bool
	EncodeState(e *StateEncoder)
	DecodeState(d *StateDecoder)
	// Validate refuses freshly decoded objects that the engine's builtins
	// could not have made (a FieldError naming the field), before Reindex;
	// the core's objects have been checked already.
	Validate() error
}

// A TimerKind is a kind of timer an engine owns: Fire runs it when it is
// due; Settles marks work that settle() waits for. Subject, when set,
// refuses a loaded timer whose subject (or argument) names no object of
// the kind the timer is for; it runs once the world is indexed.
type TimerKind struct {
	Name    string
	Settles bool
	Fire    func(t *Timer)
	Subject func(t *Timer) error
}
