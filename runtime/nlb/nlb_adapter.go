package nlb

import (
	"strings"

	"clusterscript/runtime/core"
)

// The cluster adapter.
//
// NLB sends its heartbeats on the adapter it is bound to, never on another
// network, so that the loss of that adapter is noticed (reference nlb.md
// §2.2). A host whose cluster adapter fails therefore falls silent like a
// crashed one: the others drop it Tolerance heartbeats later and converge
// without it, and until then its buckets drop their traffic. No cluster
// packet reaches the host any more, and its open connections are lost at
// once: clients reach neither its cluster address nor its dedicated one.
//
// The host itself keeps running. It misses the others' heartbeats as they
// miss its own, so when they drop it, it drops them and converges alone:
// wlbs query on it then reports it converged as the DEFAULT host of a
// cluster of one (KB Q193603, event 18: a server whose network tap is
// pulled converges with itself and two clusters form; KB Q197863: several
// default hosts mean the hosts cannot reach each other). Alone records that
// view. When the adapter is repaired the host is heard again and the
// cluster converges with it; an adapter back before the others missed
// Tolerance heartbeats goes unnoticed.

const (
	timerNLBAlone = "nlb-alone" // a cut-off host converges alone (Subject: cluster, Arg: host)

	aloneConverging = "converging"
	aloneConverged  = "converged"
)

// adapterUp reports whether the host's cluster adapter works.
func (e *Engine) adapterUp(h *Host) bool {
	a := e.nlbAdapter(h)
	return a != nil && !a.Failed
}

// nlbGoAlone: the host hears no other host and starts a convergence of its
// own, which completes ConvergeBeats heartbeats later.
func (e *Engine) nlbGoAlone(c *Cluster, h *Host) {
	e.cancelNLBAlone(c, h)
	e.touchHost(h)
	h.Alone = aloneConverging
	e.Schedule(ConvergeBeats*Heartbeat, timerNLBAlone, c.Name, h.Server, 0)
}

// nlbEndAlone: the host leaves its cluster of one (stopped, down, or heard
// again).
func (e *Engine) nlbEndAlone(c *Cluster, h *Host) {
	if h.Alone == "" {
		return
	}
	e.cancelNLBAlone(c, h)
	e.touchHost(h)
	h.Alone = ""
}

func (e *Engine) cancelNLBAlone(c *Cluster, h *Host) {
	e.CancelTimersWhere(func(t *core.Timer) bool {
		return t.Kind == timerNLBAlone && t.Subject == c.Name && t.Arg == h.Server
	})
}

func (e *Engine) aloneFire(t *core.Timer) {
	c := e.nlbByName(t.Subject)
	if c == nil {
		return
	}
	h := c.host(t.Arg)
	if h == nil || h.Alone != aloneConverging {
		return
	}
	e.touchHost(h)
	h.Alone = aloneConverged
	e.nlbRefresh(c)
}

// nlbHostChanged starts the convergence a host's own change calls for (a
// port rule enabled, disabled or drained on it). A cut-off host's change
// reaches no other host: it converges alone, and on its return the
// cluster converges with it.
func (e *Engine) nlbHostChanged(c *Cluster, h *Host, cause string) {
	if !e.adapterUp(h) {
		e.nlbGoAlone(c, h)
		return
	}
	e.nlbStartConvergence(c, cause)
}

// boundTo finds the hosts bound to a server's adapter, one per cluster at
// most, with their clusters.
func (e *Engine) boundTo(s *core.Server, a *core.Adapter, each func(c *Cluster, h *Host)) {
	for _, c := range e.Clusters {
		if h := c.host(s.Name); h != nil && strings.EqualFold(h.Adapter, a.Name) {
			each(c, h)
		}
	}
}

// OnAdapterFailed cuts a running host off when its cluster adapter fails.
func (e *Engine) OnAdapterFailed(s *core.Server, a *core.Adapter) {
	e.boundTo(s, a, func(c *Cluster, h *Host) {
		if !e.nlbActive(h) {
			return // down, stopped or suspended: silent already, and without connections
		}
		n := e.nlbDropConnections(c, func(k *Connection) bool { return k.Host == h.Server })
		e.nlbLog(c, "%s lost its cluster adapter %s: its heartbeats stop and no cluster traffic reaches it; %s lost", h.label(), a.Name, plural(n, "connection"))
		e.nlbHeartbeatsStop(c, h)
		if h.Control == ctlDraining {
			e.nlbDrainComplete(c, h) // its last connections went with the adapter
		}
		e.nlbRefresh(c)
	})
}

// OnAdapterRepaired lets a cut-off host be heard again: the cluster
// converges with it, unless the others never dropped it.
func (e *Engine) OnAdapterRepaired(s *core.Server, a *core.Adapter) {
	e.boundTo(s, a, func(c *Cluster, h *Host) {
		if !e.nlbActive(h) {
			return
		}
		if h.Heard && h.Alone == "" {
			// Back within the tolerance, with its state unchanged: the
			// missed heartbeats are forgiven. A convergence that waited
			// for it goes on.
			e.cancelNLBDetect(c, h)
			e.nlbLog(c, "%s has its cluster adapter %s back before %d heartbeats were missed; the other hosts never dropped it", h.label(), a.Name, Tolerance)
			if c.Converging {
				e.nlbStartConvergence(c, h.label()+" heard again")
			}
			e.nlbRefresh(c)
			return
		}
		e.nlbLog(c, "%s has its cluster adapter %s back; the other hosts hear it again", h.label(), a.Name)
		if h.Alone == aloneConverged {
			e.nlbLog(c, "duplicate cluster subnets detected: %s had converged on its own while cut off; the two clusters merge again", h.label())
		}
		e.nlbJoin(c, h)
		e.nlbRefresh(c)
	})
}
