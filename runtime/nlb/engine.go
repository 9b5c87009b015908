package nlb

import (
	"fmt"

	"clusterscript/runtime/core"
)

// Engine is the Network Load Balancing engine. It embeds the core world it
// runs on.
type Engine struct {
	*core.World

	Clusters []*Cluster `json:"nlb_clusters,omitempty"`
}

var _ core.Engine = (*Engine)(nil)

// New returns an NLB engine on w with no clusters. The caller attaches it to
// w (core.World.Attach).
func New(w *core.World) *Engine { return &Engine{World: w} }

// Reindex rebuilds each NLB cluster's indexes.
func (e *Engine) Reindex() {
	for _, c := range e.Clusters {
		e.nlbReindex(c)
	}
}

// Addresses reports the NLB clusters' addresses.
func (e *Engine) Addresses(claim func(ip string, u core.AddrUse)) {
	for _, c := range e.Clusters {
		c.nlbAddresses(claim)
	}
}

// TimerKinds are the timers of NLB membership.
func (e *Engine) TimerKinds() []core.TimerKind {
	return []core.TimerKind{
		{Name: timerNLBDetect, Settles: true, Fire: e.detectFire, Subject: e.timerSubject(true)},
		{Name: timerNLBConverge, Settles: true, Fire: e.convergeFire, Subject: e.timerSubject(false)},
		{Name: timerNLBAlone, Settles: true, Fire: e.aloneFire, Subject: e.timerSubject(true)},
	}
}

// timerSubject checks a loaded timer's subject, an NLB cluster, and, when
// host is set, its argument, a host of that cluster.
func (e *Engine) timerSubject(host bool) func(t *core.Timer) error {
	return func(t *core.Timer) error {
		c, err := e.Cluster(t.Subject)
		switch {
		case err != nil:
			return err
		case host && c.host(t.Arg) == nil:
			return fmt.Errorf("NLB cluster %s has no host %q", c.Name, t.Arg)
		}
		return nil
	}
}

// MemberOf names the NLB cluster a server is a host of.
func (e *Engine) MemberOf(server string) string {
	if name, ok := e.HostOf(server); ok {
		return "a host of NLB cluster " + name
	}
	return ""
}

// HolderOf: NLB holds no disks.
func (e *Engine) HolderOf(*core.Disk) string { return "" }

// OnAdapterFailed and OnAdapterRepaired: nlb_adapter.go.

// OnDiskFailed and DiskRepaired: NLB uses no shared disks.
func (e *Engine) OnDiskFailed(*core.Disk)   {}
func (e *Engine) OnDiskRepaired(*core.Disk) {}

// OnAsrBackup, CheckAsrRestore, AsrRestoring: an NLB host's settings live on
// its adapter, which the ASR set carries; nothing more to do.
func (e *Engine) OnAsrBackup(*core.Server)                         {}
func (e *Engine) CheckAsrRestore(*core.Server, *core.AsrSet) error { return nil }
func (e *Engine) OnAsrRestoring(*core.Server)                      {}

// StateKey is the engine's member of a state file's world object.
func (e *Engine) StateKey() string { return "nlb_clusters" }

// HasState: the member is left out when there are no NLB clusters.
func (e *Engine) HasState() bool { return len(e.Clusters) > 0 }

// EncodeState writes the NLB clusters (state.go).
func (e *Engine) EncodeState(enc *core.StateEncoder) {
	clusterSchema.EncodeList(enc, e.Clusters)
}

// DecodeState reads the NLB clusters back.
func (e *Engine) DecodeState(d *core.StateDecoder) {
	e.Clusters = clusterSchema.DecodeList(d)
}
