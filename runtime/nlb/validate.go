package nlb

import (
	"slices"

	"clusterscript/runtime/core"
)

// hostStates are the states a host's log reports ("" before the first).
var hostStates = []string{"", Converged, ConvergedDefault, Converging, Draining, Stopped, Suspended, Unknown}

// Validate refuses loaded NLB clusters the builtins could not have built:
// a name used twice, a host on a server or adapter that does not exist or
// already a host, a priority outside 1–MaxHosts or repeated, a mode, state
// or rule setting outside the vocabulary, a bucket map naming no host.
func (e *Engine) Validate() error {
	adapters := map[string]core.NameSet{}
	for _, s := range e.Servers {
		set := core.NameSet{}
		for _, a := range s.Adapters {
			set.Add(a.Name)
		}
		adapters[core.Key(s.Name)] = set
	}
	names, hostsAnywhere := core.NameSet{}, core.NameSet{}
	for i, c := range e.Clusters {
		at := func(parts ...any) string { return core.Path(append([]any{"world.nlb_clusters", i}, parts...)...) }
		if c == nil {
			return core.BadField(at(), "an NLB cluster is null")
		}
		if !names.Add(c.Name) {
			return core.BadField(at("name"), "NLB cluster name %q is empty or repeated", c.Name)
		}
		if !slices.Contains(Modes, c.Mode) {
			return core.BadField(at("mode"), "NLB cluster %s has mode %q; modes are %v", c.Name, c.Mode, Modes)
		}
		if len(c.Hosts) > MaxHosts {
			return core.BadField(at("hosts"), "NLB cluster %s has %d hosts; NLB allows %d", c.Name, len(c.Hosts), MaxHosts)
		}
		if len(c.Rules) > MaxRules {
			return core.BadField(at("port_rules"), "NLB cluster %s has %d port rules; NLB allows %d", c.Name, len(c.Rules), MaxRules)
		}
		prios, hosts := map[int]bool{}, core.NameSet{}
		for j, h := range c.Hosts {
			if h == nil {
				return core.BadField(at("hosts", j), "a host is null")
			}
			set, ok := adapters[core.Key(h.Server)]
			switch {
			case !ok:
				return core.BadField(at("hosts", j, "server"), "host %q of NLB cluster %s is no server", h.Server, c.Name)
			case !hostsAnywhere.Add(h.Server):
				return core.BadField(at("hosts", j, "server"), "server %s is a host twice; a server is a host of one NLB cluster", h.Server)
			case !set.Has(h.Adapter):
				return core.BadField(at("hosts", j, "adapter"), "host %s binds NLB to adapter %q, which the server does not have", h.Server, h.Adapter)
			case h.Priority < 1 || h.Priority > MaxHosts:
				return core.BadField(at("hosts", j, "priority"), "host %s has priority %d, outside 1–%d", h.Server, h.Priority, MaxHosts)
			case prios[h.Priority]:
				return core.BadField(at("hosts", j, "priority"), "host %s has priority %d, which another host of NLB cluster %s has; priorities are unique", h.Server, h.Priority, c.Name)
			case !slices.Contains(InitialStates, h.InitialState):
				return core.BadField(at("hosts", j, "initial_state"), "host %s has initial state %q; they are %v", h.Server, h.InitialState, InitialStates)
			case !slices.Contains([]string{ctlStarted, ctlStopped, ctlDraining, ctlSuspended}, h.Control):
				return core.BadField(at("hosts", j, "control"), "host %s has control %q; it is started, stopped, draining or suspended", h.Server, h.Control)
			case !slices.Contains(hostStates, h.State):
				return core.BadField(at("hosts", j, "state"), "host %s has state %q, which NLB does not report", h.Server, h.State)
			}
			prios[h.Priority] = true
			hosts.Add(h.Server)
		}
		for j, r := range c.Rules {
			if err := validateRule(func(parts ...any) string { return at(append([]any{"port_rules", j}, parts...)...) }, c, r, prios, hosts); err != nil {
				return err
			}
		}
		for j, k := range c.Connections {
			if k == nil || !hosts.Has(k.Host) {
				return core.BadField(at("connections", j, "host"), "a connection of NLB cluster %s is null or on no host of it", c.Name)
			}
		}
	}
	return nil
}

func validateRule(at func(...any) string, c *Cluster, r *PortRule, prios map[int]bool, hosts core.NameSet) error {
	switch {
	case r == nil:
		return core.BadField(at(), "a port rule is null")
	case r.Start < 0 || r.End > 65535 || r.Start > r.End:
		return core.BadField(at("start"), "port rule %d of NLB cluster %s covers ports %d to %d; ports are 0 to 65535, start first", r.ID, c.Name, r.Start, r.End)
	case !slices.Contains(Protocols, r.Protocol):
		return core.BadField(at("protocol"), "port rule %d has protocol %q; they are %v", r.ID, r.Protocol, Protocols)
	case !slices.Contains(Filterings, r.Filtering):
		return core.BadField(at("filtering"), "port rule %d has filtering %q; they are %v", r.ID, r.Filtering, Filterings)
	case !slices.Contains(Affinities, r.Affinity):
		return core.BadField(at("affinity"), "port rule %d has affinity %q; they are %v", r.ID, r.Affinity, Affinities)
	case len(r.Owners) > Buckets:
		return core.BadField(at("owners"), "port rule %d maps %d buckets; a rule has %d at most", r.ID, len(r.Owners), Buckets)
	}
	for k, o := range r.Owners {
		if o != 0 && !prios[o] {
			return core.BadField(at("owners", k), "bucket %d of port rule %d belongs to host priority %d, which no host of NLB cluster %s has", k, r.ID, o, c.Name)
		}
	}
	for _, list := range []struct {
		name   string
		values []HostValue
	}{{"load_weights", r.LoadWeights}, {"handling_priorities", r.HandlingPriorities}} {
		for k, v := range list.values {
			if !hosts.Has(v.Host) {
				return core.BadField(at(list.name, k, "host"), "port rule %d names host %q, which is no host of NLB cluster %s", r.ID, v.Host, c.Name)
			}
		}
	}
	for _, list := range []struct {
		name  string
		hosts []string
	}{{"disabled_on", r.DisabledOn}, {"draining_on", r.DrainingOn}} {
		for k, h := range list.hosts {
			if !hosts.Has(h) {
				return core.BadField(at(list.name, k), "port rule %d names host %q, which is no host of NLB cluster %s", r.ID, h, c.Name)
			}
		}
	}
	return nil
}
