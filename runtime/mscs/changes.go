package mscs

import "clusterscript/runtime/core"

// The server-cluster operations in the change log (core.Change), recorded
// by the public methods once a change is made. Each records what took
// effect: canonical names, defaults filled in. Operation names are the
// builtins' names.

// recordCluster records the forming of a cluster with what its Cluster
// Group holds.
func (e *Engine) recordCluster(c *Cluster, node string) {
	ip := c.resources[core.Key("Cluster IP Address")]
	settings := []core.Setting{
		core.Text("domain", c.Domain), core.Text("node", node), core.Text("ip", c.IP), core.Text("mask", c.Mask),
		core.Text("network", ip.Params["network"]), core.Text("account", c.Account), core.Text("version", c.Version),
		core.Text("quorum", c.QuorumModel),
	}
	settings = append(settings, policySettings(c.Groups[0])...)
	settings = append(settings, restartSettings(ip)...)
	if c.QuorumModel == QuorumDisk || c.QuorumModel == QuorumNodeAndDisk {
		q := c.resources[core.Key(c.Quorum)]
		d := e.LookupDisk(q.Params["disk"])
		settings = append(settings, core.Text("quorum_resource", q.Name), core.Text("quorum_disk", d.Label), core.Text("quorum_letter", d.Letter))
	}
	e.RecordChange("create_cluster", c.Name, "", settings...)
}

// recordQuorum records set_quorum: the mode, the witness as given (a
// disk's label, a UNC path, a storage account), the resource that holds
// it (reused: a disk resource the Cluster Group already had) and the
// witness resources the change deleted.
func (e *Engine) recordQuorum(c *Cluster, spec QuorumSpec, w *Resource, disk *core.Disk, reused bool, removed []string) {
	settings := []core.Setting{core.Text("mode", spec.Mode)}
	switch {
	case disk != nil:
		settings = append(settings, core.Text("witness", disk.Label), core.Text("witness_resource", w.Name), core.Text("witness_letter", disk.Letter), core.Bool("reused", reused))
	case w != nil:
		settings = append(settings, core.Text("witness", spec.Witness), core.Text("witness_resource", w.Name))
	}
	settings = append(settings, core.List("removed", removed))
	e.RecordChange("set_quorum", c.Name, "", settings...)
}

// recordGroup records a group operation with the group's settings.
func (e *Engine) recordGroup(op string, c *Cluster, g *Group) {
	if !e.ChangesKept() {
		return
	}
	switch op {
	case "new_group":
		e.RecordChange(op, c.Name, g.Name, append([]core.Setting{core.Text("description", g.Description), core.List("preferred_owners", g.PreferredOwners)}, policySettings(g)...)...)
	case "set_preferred_owners":
		e.RecordChange(op, c.Name, g.Name, core.List("preferred_owners", g.PreferredOwners))
	case "failover_policy":
		e.RecordChange(op, c.Name, g.Name, policySettings(g)...)
	default:
		e.RecordChange(op, c.Name, g.Name)
	}
}

// recordResource records a resource operation with the resource's
// settings.
func (e *Engine) recordResource(op string, c *Cluster, r *Resource, extra ...core.Setting) {
	if !e.ChangesKept() {
		return
	}
	var settings []core.Setting
	switch op {
	case "new_resource":
		// Sized for every setting a new resource can have, so that the
		// record of each of a big world's resources is one allocation.
		settings = make([]core.Setting, 0, 12+len(extra))
		settings = append(settings, core.Text("group", r.group.Name), core.Text("type", r.Type), core.Text("description", r.Description))
		if r.PossibleOwners != nil {
			settings = append(settings, core.List("possible_owners", r.PossibleOwners))
		}
		settings = append(settings, core.List("dependencies", r.Dependencies), core.Pairs("params", r.Params))
		settings = appendRestartSettings(settings, r)
		if r.Type == TypeSA {
			made := map[string]string{}
			for _, d := range c.dependentsOf(r) {
				made[d.Name] = d.Type
			}
			settings = append(settings, core.Pairs("creates", made))
		}
	case "set_dependencies", "add_dependency", "remove_dependency":
		settings = []core.Setting{core.List("dependencies", r.Dependencies)}
	case "set_possible_owners":
		settings = []core.Setting{core.List("possible_owners", r.PossibleOwners)}
	case "restart_policy":
		settings = restartSettings(r)
	case "delete_resource":
		settings = []core.Setting{core.Text("group", r.group.Name)}
	}
	e.RecordChange(op, c.Name, r.Name, append(settings, extra...)...)
}

// recordNewResource records a resource NewResource made (nothing when it
// refused) and, for a disk added to an Exchange virtual server, the
// System Attendant's new dependency on it, which the administrator makes
// by hand.
func (e *Engine) recordNewResource(c *Cluster, r *Resource, err error) {
	if err != nil || r == nil {
		return
	}
	e.recordResource("new_resource", c, r)
	if sa := r.group.systemAttendant(); sa != nil && r.Type == TypePhysicalDisk && core.ContainsFold(sa.Dependencies, r.Name) {
		e.recordResource("add_dependency", c, sa, core.Text("provider", r.Name))
	}
}

func namesOf(rs []*Resource) []string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.Name
	}
	return names
}

// recordOperation records bringing a group or resource online or taking it
// offline.
func (e *Engine) recordOperation(op string, c *Cluster, name string, isGroup bool) {
	kind := "resource"
	if isGroup {
		kind = "group"
		name = c.groups[core.Key(name)].Name
	} else {
		name = c.resources[core.Key(name)].Name
	}
	e.RecordChange(op, c.Name, name, core.Text("kind", kind))
}

// canonicalNode spells a node's name as the cluster does; "" stays "".
func canonicalNode(c *Cluster, name string) string {
	if n := c.nodes[core.Key(name)]; n != nil {
		return n.Name
	}
	return name
}

// recordExchange records Exchange Setup on a server (cluster "" for a
// standalone server).
func (e *Engine) recordExchange(cluster, server string, spec ExchangeSpec, drive string) {
	e.RecordChange("install_exchange", cluster, server, core.Text("edition", spec.Edition), core.List("components", spec.Components), core.Text("drive", drive))
}

// policySettings are a group's failover and failback policy.
func policySettings(g *Group) []core.Setting {
	return []core.Setting{core.Int("threshold", int64(g.FailoverThreshold)), core.Int("period", int64(g.FailoverPeriod)),
		core.Text("failback", g.Failback), core.Int("window_start", int64(g.WindowStart)), core.Int("window_end", int64(g.WindowEnd))}
}

// restartSettings are a resource's restart policy (periods in seconds).
func restartSettings(r *Resource) []core.Setting { return appendRestartSettings(nil, r) }

func appendRestartSettings(s []core.Setting, r *Resource) []core.Setting {
	return append(s, core.Bool("restart", r.Restart), core.Int("restart_threshold", int64(r.RestartThreshold)), core.Int("restart_period", int64(r.RestartPeriod)),
		core.Bool("affect_group", r.AffectGroup), core.Int("retry_period", int64(r.RetryPeriodOnFailure())))
}
