package nlb

import (
	"fmt"
	"slices"

	"clusterscript/runtime/core"
)

// Saving objects for the open transaction (core/journal.go): call a touch
// before changing any field of the object. Connections never change once
// open; the connection index records its entries one by one.

// touchCluster saves an NLB cluster with its own copies of the lists that
// change in place: the rules (sorted, filtered), the connections
// (filtered) and the compiled router (rebuilt).
func (e *Engine) touchCluster(c *Cluster) {
	core.Touch(e.World, c, &c.saved, func(c *Cluster) Cluster {
		s := *c
		s.Rules = slices.Clone(c.Rules)
		s.Connections = slices.Clone(c.Connections)
		s.router.rules = slices.Clone(c.router.rules)
		return s
	})
}

func (e *Engine) touchHost(h *Host) {
	core.Touch(e.World, h, &h.saved, func(h *Host) Host { return *h })
}

func (e *Engine) touchRule(r *PortRule) {
	core.Touch(e.World, r, &r.saved, func(r *PortRule) PortRule { return *r })
}

// CheckIndexes compares each NLB cluster's indexes (hosts by priority,
// open connections, the compiled router) with its hosts, rules and
// connections.
func (e *Engine) CheckIndexes() error {
	for _, c := range e.Clusters {
		if c.byPrio != c.hostsByPriority() {
			return fmt.Errorf("NLB cluster %s: the priority index is %v, want %v", c.Name, c.byPrio, c.hostsByPriority())
		}
		if len(c.conns) != len(c.Connections) {
			return fmt.Errorf("NLB cluster %s: the connection index has %d connections, want %d", c.Name, len(c.conns), len(c.Connections))
		}
		for _, k := range c.Connections {
			if c.conns[k.key()] != k {
				return fmt.Errorf("NLB cluster %s: the connection index does not lead to connection %d", c.Name, k.ID)
			}
		}
		var fresh nlbRouter
		e.compileRouter(c, &fresh)
		if !slices.Equal(c.router.rules, fresh.rules) || c.router.defaultHost != fresh.defaultHost {
			return fmt.Errorf("NLB cluster %s: the compiled router is out of date", c.Name)
		}
	}
	return nil
}
