package mscs

import (
	"fmt"
	"slices"
	"strings"

	"clusterscript/runtime/core"
)

// Node quarantine (Windows Server 2016 and later): a node that leaves the
// cluster ungracefully QuarantineThreshold times within an hour may not
// join again, nor host groups, for QuarantineDuration seconds. An
// ungraceful exit is any way a member leaves but a graceful stop of its
// Cluster service: its server crashes, it is cut off, it restarts unseen.
// A quarantined node is Down to every rule (never a target, no vote); it
// shows as "Quarantined".

// NodeQuarantined is the state a quarantined node shows.
const NodeQuarantined = "Quarantined"

// timerQuarantine ends a node's quarantine.
const timerQuarantine = "cluster.quarantine"

// exitWindow is the window QuarantineThreshold counts exits in.
const exitWindow = core.Hour

// DisplayState is the state a node shows: Quarantined for a quarantined
// node, else its state.
func (n *Node) DisplayState() string {
	if n.Quarantined {
		return NodeQuarantined
	}
	return n.State
}

// countExits records the ungraceful exits of nodes that just went Down and
// quarantines those that reach QuarantineThreshold within an hour.
func (e *Engine) countExits(c *Cluster, lost []*Node) {
	if !c.profile().quarantine || c.QuarantineThreshold == 0 {
		return
	}
	for _, n := range lost {
		if n.State != NodeDown || n.Quarantined {
			continue
		}
		exits := recentExits(n.Exits, e.Clock)
		exits = append(exits, e.Clock)
		e.touchNode(n)
		n.Exits = exits
		if len(exits) < c.QuarantineThreshold {
			continue
		}
		if limit := quarantineLimit(c); c.quarantinedCount() >= limit {
			e.Warn(n.Name, "node %s left the cluster ungracefully %d times within an hour (QuarantineThreshold %d), but %d of the %d nodes are already quarantined, the most allowed; it is not quarantined", n.Name, len(exits), c.QuarantineThreshold, limit, len(c.Nodes))
			continue
		}
		e.quarantine(c, n, len(exits))
	}
}

// recentExits is the exits within the window before now, as a new slice:
// a node's slice is shared with the undo journal and clones.
func recentExits(exits []int64, now int64) []int64 {
	var out []int64
	for _, t := range exits {
		if now-t < exitWindow {
			out = append(out, t)
		}
	}
	return out
}

// quarantineLimit is how many nodes may be quarantined at once: a quarter
// of the nodes, rounded down, and at least one.
func quarantineLimit(c *Cluster) int { return max(1, len(c.Nodes)/4) }

func (c *Cluster) quarantinedCount() int {
	k := 0
	for _, n := range c.Nodes {
		if n.Quarantined {
			k++
		}
	}
	return k
}

// quarantine keeps a node out for QuarantineDuration seconds; 4294967295
// means until cleared, which the simulation does not do, so for good.
func (e *Engine) quarantine(c *Cluster, n *Node, exits int) {
	e.touchNode(n)
	n.Quarantined, n.Exits, n.QuarantineEnds = true, nil, 0
	until := "until it is cleared (QuarantineDuration 4294967295)"
	if c.QuarantineDuration != maxDWORD {
		d := c.QuarantineDuration * core.Second
		n.QuarantineEnds = e.Clock + d
		e.Schedule(d, timerQuarantine, c.Name+"/"+n.Name, "", 0)
		until = fmt.Sprintf("for %s, until %s (QuarantineDuration %d)", core.FormatDuration(d), core.FormatClock(n.QuarantineEnds), c.QuarantineDuration)
	}
	e.Emit(core.KindState, n.Name, NodeQuarantined, "node %s is %s (%d ungraceful exits within an hour, QuarantineThreshold %d): it may not join the cluster or host groups %s", n.Name, NodeQuarantined, exits, c.QuarantineThreshold, until)
}

// endQuarantine lets a node back: it is Down, and its Cluster service
// starts and joins when its server runs.
func (e *Engine) endQuarantine(c *Cluster, n *Node) {
	if !n.Quarantined {
		return
	}
	e.touchNode(n)
	n.Quarantined, n.QuarantineEnds = false, 0
	e.Emit(core.KindState, n.Name, NodeDown, "node %s is %s (its quarantine is over; it may join again)", n.Name, NodeDown)
	if s := e.LookupServer(n.Name); s != nil && s.Running {
		e.startJoin(c, n, "Cluster service starting after quarantine")
	}
}

// staysQuarantined keeps a quarantined node's Cluster service from joining
// when it starts by itself (the server boots, its network comes back): it
// reports whether it did.
func (e *Engine) staysQuarantined(c *Cluster, n *Node) bool {
	if !n.Quarantined {
		return false
	}
	e.Emit(core.KindFailover, n.Name, "", "node %s is quarantined %s and does not join cluster %s", n.Name, quarantineEnd(n), c.Name)
	return true
}

func quarantineEnd(n *Node) string {
	if n.QuarantineEnds == 0 {
		return "until it is cleared"
	}
	return "until " + core.FormatClock(n.QuarantineEnds)
}

// refuseQuarantined refuses to start the Cluster service on a quarantined
// node.
func refuseQuarantined(c *Cluster, n *Node) error {
	if !n.Quarantined {
		return nil
	}
	return core.Errf(core.ErrState, "node %s is quarantined %s after leaving cluster %s ungracefully %d times within an hour; it joins by itself when the quarantine ends — wait, or set QuarantineThreshold=0 before the next exits", n.Name, quarantineEnd(n), c.Name, c.QuarantineThreshold)
}

// quarantineTimer is the timer kind that ends quarantines.
func (e *Engine) quarantineTimer(node func(t *core.Timer) error) core.TimerKind {
	return core.TimerKind{Name: timerQuarantine, Subject: node, Settles: false, Fire: func(t *core.Timer) {
		cl, name, _ := strings.Cut(t.Subject, "/")
		if c := e.clusters[core.Key(cl)]; c != nil {
			if n := c.nodes[core.Key(name)]; n != nil {
				e.endQuarantine(c, n)
			}
		}
	}}
}

// validateNodePlacement refuses a loaded node's site, drain status or
// quarantine that its cluster's version lacks or the builtins could not
// have made.
func (c *Cluster) validateNodePlacement(at func(...any) string, n *Node) error {
	p := c.profile()
	switch {
	case n.Site != "" && !p.sites:
		return core.BadField(at("site"), "node %s is in a site, which %s does not have; leave it out", n.Name, versionName(c.Version))
	case n.DrainStatus != "" && !p.drain:
		return core.BadField(at("drain_status"), "node %s has a drain status, which %s does not have; leave it out", n.Name, versionName(c.Version))
	case n.DrainStatus != "" && (n.DrainStatus == DrainNotInitiated || !slices.Contains(DrainStatuses, n.DrainStatus)):
		return core.BadField(at("drain_status"), "node %s has drain status %q; it is InProgress, Completed or Failed (NotInitiated is left out)", n.Name, n.DrainStatus)
	case (n.Quarantined || len(n.Exits) > 0) && !p.quarantine:
		return core.BadField(at("quarantined"), "node %s has quarantine state, which %s does not have; leave it out", n.Name, versionName(c.Version))
	case n.Quarantined && n.State != NodeDown:
		return core.BadField(at("quarantined"), "node %s is quarantined but %s; a quarantined node is Down", n.Name, n.State)
	case !n.Quarantined && n.QuarantineEnds != 0:
		return core.BadField(at("quarantine_ends"), "node %s has a quarantine end but is not quarantined", n.Name)
	case !slices.IsSorted(n.Exits):
		return core.BadField(at("exits"), "node %s has exit times out of order", n.Name)
	}
	if err := checkSiteName(n.Site); err != nil {
		return core.BadField(at("site"), "node %s: %v", n.Name, err)
	}
	return nil
}
