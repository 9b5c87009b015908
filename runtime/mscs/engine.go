// Package mscs simulates Windows server clusters (Microsoft Cluster Service
// and its successors, Failover Clustering) with Exchange Server 2003 on
// them: nodes, groups, resources, dependencies, failover, failback and
// quorum, on the servers, adapters and disks of the core world.
package mscs

import (
	"fmt"
	"strings"

	"clusterscript/runtime/core"
)

// Engine is the server-cluster engine. It embeds the core world it runs on,
// so its methods read the clock, the servers and the event log directly.
type Engine struct {
	*core.World

	Clusters []*Cluster `json:"clusters,omitempty"`

	clusters map[string]*Cluster
}

var _ core.Engine = (*Engine)(nil)

// New returns a server-cluster engine on w with no clusters. The caller
// attaches it to w (core.World.Attach).
func New(w *core.World) *Engine {
	e := &Engine{World: w}
	e.Reindex()
	return e
}

// Reindex rebuilds every cluster's indexes after a load.
func (e *Engine) Reindex() {
	e.clusters = map[string]*Cluster{}
	for _, c := range e.Clusters {
		c.reindex()
		e.clusters[core.Key(c.Name)] = c
	}
}

// Addresses reports the addresses of the IP Address resources.
func (e *Engine) Addresses(claim func(ip string, u core.AddrUse)) {
	// The owners are worded into one string, cut up as the addresses are
	// claimed: a big cluster has thousands of addresses.
	type owned struct {
		ip  string
		end int // where its owner ends in text
	}
	var (
		text  []byte
		addrs []owned
		held  [2]string
	)
	for _, c := range e.Clusters {
		for _, g := range c.Groups {
			for _, r := range g.Resources {
				if r.Type == TypeIPAddress {
					for _, ip := range r.appendHeld(held[:0]) {
						text = appendResourceAddrOwner(text, c, r)
						addrs = append(addrs, owned{ip, len(text)})
					}
				}
			}
		}
	}
	owners, start := string(text), 0
	for _, a := range addrs {
		claim(a.ip, core.AddrUse{Kind: core.AddrVirtual, Owner: owners[start:a.end]})
		start = a.end
	}
}

// TimerKinds are the timers of the server-cluster engine.
func (e *Engine) TimerKinds() []core.TimerKind {
	node := e.timerSubject(func(c *Cluster, n string) bool { return c.nodes[core.Key(n)] != nil }, "node")
	resource := e.timerSubject(func(c *Cluster, n string) bool { return c.resources[core.Key(n)] != nil }, "resource")
	group := e.timerSubject(func(c *Cluster, n string) bool { return c.groups[core.Key(n)] != nil }, "group")
	cluster := e.timerSubject(nil, "")
	return []core.TimerKind{
		{Name: timerRegroup, Subject: cluster, Settles: true, Fire: func(t *core.Timer) {
			if c := e.clusters[core.Key(t.Subject)]; c != nil {
				e.regroup(c, t.Arg)
			}
		}},
		{Name: timerNodeJoin, Subject: node, Settles: true, Fire: func(t *core.Timer) {
			cl, node, _ := strings.Cut(t.Subject, "/")
			if c := e.clusters[core.Key(cl)]; c != nil {
				if n := c.nodes[core.Key(node)]; n != nil && n.State == NodeJoining {
					e.finishJoin(c, n)
				}
			}
		}},
		{Name: timerRestart, Subject: resource, Settles: true, Fire: func(t *core.Timer) {
			cl, res, _ := strings.Cut(t.Subject, "/")
			if c := e.clusters[core.Key(cl)]; c != nil {
				if r := c.resources[core.Key(res)]; r != nil && r.State == Failed {
					e.restart(c, r)
				}
			}
		}},
		{Name: timerServiceRetry, Subject: cluster, Settles: false, Fire: e.fireServiceRetry},
		{Name: timerServiceForm, Subject: cluster, Settles: true, Fire: e.fireServiceRetry},
		{Name: timerRetryFailed, Subject: resource, Settles: false, Fire: func(t *core.Timer) {
			cl, res, _ := strings.Cut(t.Subject, "/")
			if c := e.clusters[core.Key(cl)]; c != nil {
				if r := c.resources[core.Key(res)]; r != nil {
					e.retryFailed(c, r)
				}
			}
		}},
		{Name: timerFailback, Subject: group, Settles: false, Fire: func(t *core.Timer) {
			cl, grp, _ := strings.Cut(t.Subject, "/")
			if c := e.clusters[core.Key(cl)]; c != nil {
				if g := c.groups[core.Key(grp)]; g != nil {
					e.considerFailback(c, g)
				}
			}
		}},
		e.quarantineTimer(node),
	}
}

func (e *Engine) fireServiceRetry(t *core.Timer) {
	if c := e.clusters[core.Key(t.Subject)]; c != nil {
		e.serviceRetry(c, t.Arg)
	}
}

// MemberOf names the cluster a server is a node of.
func (e *Engine) MemberOf(server string) string {
	if s := e.LookupServer(server); s != nil && s.Cluster != "" {
		return "a node of server cluster " + s.Cluster
	}
	return ""
}

// HolderOf names the Physical Disk resource holding a disk.
func (e *Engine) HolderOf(d *core.Disk) string {
	if c, r := e.diskOwner(d.Label); r != nil {
		return fmt.Sprintf("%q of cluster %s", r.Name, c.Name)
	}
	return ""
}

// nodeOfServer returns the cluster and node a server is, or nils.
func (e *Engine) nodeOfServer(s *core.Server) (*Cluster, *Node) {
	c := e.clusters[core.Key(s.Cluster)]
	if c == nil {
		return nil, nil
	}
	return c, c.nodes[core.Key(s.Name)]
}

// OnServerDown: the others notice after the heartbeat timeout.
func (e *Engine) OnServerDown(s *core.Server) {
	c, n := e.nodeOfServer(s)
	if c == nil {
		return
	}
	if n.Retrying {
		// Its Cluster service was waiting to start again; it dies with
		// the server and starts at boot instead.
		e.touchNode(n)
		n.Retrying = false
		e.rearmServiceRetry(c)
		return
	}
	if n.State == NodeJoining {
		// A node still joining (or waiting for quorum) holds nothing: it
		// is simply gone.
		e.CancelTimers(timerNodeJoin, c.Name+"/"+n.Name)
		e.touchNode(n)
		n.State = NodeDown
		e.Emit(core.KindState, n.Name, NodeDown, "node %s is %s (its server went down while it was joining)", n.Name, NodeDown)
		return
	}
	if c.running() {
		e.scheduleRegroup(c, s.Name+" stopped responding")
	}
}

// OnServerUp: the node's Cluster service starts and joins.
func (e *Engine) OnServerUp(s *core.Server) {
	c, n := e.nodeOfServer(s)
	if c == nil {
		return
	}
	if (n.State == NodeUp || n.State == NodePaused) && c.running() {
		// It crashed and came back before the others noticed: its
		// resources died with it, and the rejoin tells the cluster.
		e.touchNode(n)
		n.State = NodeDown
		e.Emit(core.KindState, n.Name, NodeDown, "node %s is %s (it restarted before its silence was noticed)", n.Name, NodeDown)
		e.failoverFrom(c, []*Node{n}, n.Name+" restarted")
	}
	e.startJoin(c, n, "Cluster service starting at boot")
}

// OnAdapterFailed: the cluster regroups to find who still hears whom.
func (e *Engine) OnAdapterFailed(s *core.Server, a *core.Adapter) {
	if c, _ := e.nodeOfServer(s); c != nil && c.running() && s.Running {
		e.scheduleRegroup(c, "adapter "+a.Name+" of "+s.Name+" failed")
	}
}

// OnAdapterRepaired: a node whose Cluster service stopped because it was cut
// off restarts it and rejoins.
func (e *Engine) OnAdapterRepaired(s *core.Server, a *core.Adapter) {
	if c, n := e.nodeOfServer(s); c != nil && s.Running && n.CutOff && n.State == NodeDown {
		e.startJoin(c, n, "Cluster service restarted after its network came back")
	}
}

// OnDiskFailed: the Physical Disk resource holding it fails; a failed quorum
// disk stops the cluster.
func (e *Engine) OnDiskFailed(d *core.Disk) {
	c, r := e.diskOwner(d.Label)
	if r == nil {
		return
	}
	if !c.running() {
		if r.Name == c.Quorum {
			e.rearmServiceRetry(c) // the next start of the Cluster service cannot form the cluster now
		}
		return
	}
	if r.Name == c.Quorum && c.diskQuorum() {
		e.loseQuorum(c, "the quorum disk "+d.Label+" failed")
		return
	}
	if r.Name == c.Quorum && r.State == Online {
		// The witness disk: the cluster loses its vote, and quorum when the
		// nodes alone do not hold a majority.
		e.resourceFailed(c, r, "disk "+d.Label+" failed")
		return
	}
	// A disk stored for the next online (set_params while Online) is held
	// but not yet in use.
	if r.State == Online && core.Key(r.Params["disk"]) == core.Key(d.Label) {
		e.resourceFailed(c, r, "disk "+d.Label+" failed")
	}
}

// OnDiskRepaired: the nodes whose Cluster service stopped for want of this
// quorum disk form the cluster at the next start of the service, which
// settle() now waits for (retry.go).
func (e *Engine) OnDiskRepaired(d *core.Disk) {
	if c, r := e.diskOwner(d.Label); r != nil && r.Name == c.Quorum && !c.running() {
		e.rearmServiceRetry(c)
		e.tryForm(c, "witness disk "+d.Label+" repaired")
	}
}

// OnAsrBackup warns that a node whose Cluster service is stopped has no
// cluster database to back up.
func (e *Engine) OnAsrBackup(s *core.Server) {
	if _, n := e.nodeOfServer(s); n != nil && (n.State == NodeDown || n.State == NodeJoining) {
		e.Warn(s.Name, "the Cluster service is not running on %s, so this backup does not capture the cluster database; back up the quorum from a running node", s.Name)
	}
}

// CheckAsrRestore refuses a set whose cluster no longer has the node.
func (e *Engine) CheckAsrRestore(s *core.Server, set *core.AsrSet) error {
	if set.Cluster == "" {
		return nil
	}
	c := e.clusters[core.Key(set.Cluster)]
	if c == nil || c.nodes[core.Key(s.Name)] == nil {
		return core.Errf(core.ErrState, "ASR set %s records %s as a node of cluster %s, which no longer has it (evicted); the restored Cluster service could not join — restore from a newer set or add the node again after a clean install", set.ID, s.Name, set.Cluster)
	}
	return nil
}

// OnAsrRestoring warns about the groups that would fail back onto the node
// while it is still being restored: failback allowed, and the node listed
// among the preferred owners before the group's owner (failback only ever
// moves a group to a node more preferred than its owner). A group its more
// preferred node already holds stays put and is not named.
func (e *Engine) OnAsrRestoring(s *core.Server) {
	c, _ := e.nodeOfServer(s)
	if c == nil {
		return
	}
	for _, g := range c.Groups {
		if g.Failback != FailbackPrevent && preferredBefore(g.PreferredOwners, s.Name, g.Owner) {
			e.Warn(g.Name, "group %q allows failback and prefers %s to its owner %s, so it may move onto %s while it is still being restored; disable failback first (failover_policy(group, failback=\"prevent\"))", g.Name, s.Name, g.Owner, s.Name)
		}
	}
}

// preferredBefore reports whether node comes before owner in a preferred
// owners list; an owner the list does not name comes after every node in it.
func preferredBefore(preferred []string, node, owner string) bool {
	for _, p := range preferred {
		switch {
		case strings.EqualFold(p, owner):
			return false
		case strings.EqualFold(p, node):
			return true
		}
	}
	return false
}

// StateKey is the engine's member of a state file's world object.
func (e *Engine) StateKey() string { return "clusters" }

// HasState: the member is left out when there are no clusters.
func (e *Engine) HasState() bool { return len(e.Clusters) > 0 }

// EncodeState writes the clusters (state.go).
func (e *Engine) EncodeState(enc *core.StateEncoder) {
	clusterSchema.EncodeList(enc, e.Clusters)
}

// DecodeState reads the clusters back.
func (e *Engine) DecodeState(d *core.StateDecoder) {
	e.Clusters = clusterSchema.DecodeList(d)
	for _, c := range e.Clusters {
		if c != nil {
			c.upgrade()
		}
	}
}
