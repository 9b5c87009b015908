package mscs

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"clusterscript/runtime/core"
)

// Validate refuses loaded clusters the builtins could not have built: a
// name used twice, a node, owner, preferred or possible owner, dependency
// or quorum resource naming nothing, a state outside the vocabulary, more
// nodes than the version allows, heartbeat settings, failover and restart
// policies out of the ranges SetFailoverPolicy and SetRestartPolicy keep.
func (e *Engine) Validate() error {
	servers := core.NameSet{}
	for _, s := range e.Servers {
		servers.Add(s.Name)
	}
	names := core.NameSet{}
	for i, c := range e.Clusters {
		at := func(parts ...any) string { return core.Path(append([]any{"world.clusters", i}, parts...)...) }
		if c == nil {
			return core.BadField(at(), "a cluster is null")
		}
		if !names.Add(c.Name) {
			return core.BadField(at("name"), "cluster name %q is empty or repeated", c.Name)
		}
		if err := c.validate(at, servers); err != nil {
			return err
		}
	}
	if err := e.validateMembership(); err != nil {
		return err
	}
	return e.validateDiskHolders()
}

func (c *Cluster) validate(at func(...any) string, servers core.NameSet) error {
	if _, ok := profiles[c.Version]; !ok {
		return core.BadField(at("version"), "cluster %s has version %q; versions are %v", c.Name, c.Version, core.Versions)
	}
	if !slices.Contains([]string{QuorumDisk, QuorumMajority, QuorumLocal}, c.QuorumModel) && !slices.Contains(c.profile().quorumModes, c.QuorumModel) {
		return core.BadField(at("quorum_model"), "cluster %s has quorum model %q; models are disk, majority and local, and on Windows Server 2008 and later %s", c.Name, c.QuorumModel, strings.Join(c.profile().quorumModes, ", "))
	}
	if c.HeartbeatInterval <= 0 || c.HeartbeatMisses <= 0 {
		return core.BadField(at("heartbeat_interval_ms"), "cluster %s has heartbeats every %d ms, %d missed allowed; both must be positive", c.Name, c.HeartbeatInterval, c.HeartbeatMisses)
	}
	if err := core.ValidDuration("heartbeat timeout (milliseconds)", c.HeartbeatInterval, int64(c.HeartbeatMisses)); err != nil {
		return core.BadField(at("heartbeat_interval_ms"), "cluster %s: %v", c.Name, err)
	}
	if _, err := core.HostAddress("cluster address", c.IP, c.Mask); err != nil {
		return core.BadField(at("ip"), "cluster %s: %v", c.Name, err)
	}
	for j, n := range c.Networks {
		if n == nil {
			return core.BadField(at("networks", j), "a network is null")
		}
		p, err := netip.ParsePrefix(n.Subnet)
		if err != nil || !p.Addr().Is4() || p.Bits() < 1 || p.Bits() > 30 {
			return core.BadField(at("networks", j, "subnet"), "network %q of cluster %s has subnet %q, not an IPv4 address with a prefix of 1 to 30 bits such as \"10.0.0.11/24\"", n.Name, c.Name, n.Subnet)
		}
		if err := core.OneOf("network role", n.Role, core.Roles...); err != nil {
			return core.BadField(at("networks", j, "role"), "network %q of cluster %s: %v", n.Name, c.Name, err)
		}
	}
	if limit := c.NodeLimit(); len(c.Nodes) > limit {
		return core.BadField(at("nodes"), "cluster %s has %d nodes; %s allows %d", c.Name, len(c.Nodes), versionName(c.Version), limit)
	}
	nodes := core.NameSet{}
	for j, n := range c.Nodes {
		if n == nil {
			return core.BadField(at("nodes", j), "a node is null")
		}
		if !nodes.Add(n.Name) {
			return core.BadField(at("nodes", j, "name"), "node name %q is empty or repeated in cluster %s", n.Name, c.Name)
		}
		if !servers.Has(n.Name) {
			return core.BadField(at("nodes", j, "name"), "node %s of cluster %s is no server", n.Name, c.Name)
		}
		if !slices.Contains([]string{NodeUp, NodeDown, NodePaused, NodeJoining}, n.State) {
			return core.BadField(at("nodes", j, "state"), "node %s has state %q; node states are Up, Down, Paused and Joining", n.Name, n.State)
		}
	}
	if err := c.validateProperties(at); err != nil {
		return err
	}
	total := 0
	for _, g := range c.Groups {
		if g != nil {
			total += len(g.Resources)
		}
	}
	// The name indexes of the groups and resources, built here as the names
	// are checked and kept by the reindex that follows the checks: sized up
	// front, keys cut from one arena (a cluster may hold tens of thousands
	// of resources), one map operation per name.
	var keys core.KeyArena
	groups, resources := make(map[string]*Group, len(c.Groups)), make(map[string]*Resource, total)
	for j, g := range c.Groups {
		if g == nil {
			return core.BadField(at("groups", j), "a group is null")
		}
		if n := len(groups); g.Name == "" || addKey(groups, keys.Key(g.Name), g) == n {
			return core.BadField(at("groups", j, "name"), "group name %q is empty or repeated in cluster %s", g.Name, c.Name)
		}
		for k, r := range g.Resources {
			if r == nil {
				return core.BadField(at("groups", j, "resources", k), "a resource is null")
			}
			if n := len(resources); r.Name == "" || addKey(resources, keys.Key(r.Name), r) == n {
				return core.BadField(at("groups", j, "resources", k, "name"), "resource name %q is empty or repeated in cluster %s", r.Name, c.Name)
			}
		}
	}
	if c.Quorum != "" {
		q, ok := resources[core.Key(c.Quorum)]
		if !ok {
			return core.BadField(at("quorum"), "the quorum resource %q of cluster %s does not exist", c.Quorum, c.Name)
		}
		want := map[string]string{QuorumDisk: TypePhysicalDisk, QuorumDiskOnly: TypePhysicalDisk, QuorumNodeAndDisk: TypePhysicalDisk,
			QuorumNodeAndShare: TypeFileShareWitness, QuorumCloudWitness: TypeCloudWitness}[c.QuorumModel]
		if want == "" && !c.Modern() {
			return core.BadField(at("quorum"), "cluster %s has quorum model %s and a quorum resource %q; only the disk model has one", c.Name, c.QuorumModel, c.Quorum)
		}
		if want == "" {
			return core.BadField(at("quorum"), "cluster %s has quorum model %s and a quorum resource %q; only a model with a witness or disk has one", c.Name, c.QuorumModel, c.Quorum)
		}
		if resourceTypes[q.Type] != nil && q.Type != want {
			return core.BadField(at("quorum"), "the quorum resource %q of cluster %s is a %s; quorum model %s needs a %s", c.Quorum, c.Name, q.Type, c.QuorumModel, want)
		}
	}
	for j, g := range c.Groups {
		if err := c.validateGroup(at, j, groupIndex{g: g, resources: resources}, nodes); err != nil {
			return err
		}
	}
	if err := c.validatePlacement(at, nodes); err != nil {
		return err
	}
	if err := c.validateAcyclic(at, resources); err != nil {
		return err
	}
	c.groups, c.resources, c.namesIndexed = groups, resources, true
	return nil
}

// addKey sets m[k] = v and returns how many entries m then has (as many as
// before when k was there).
func addKey[V any](m map[string]V, k string, v V) int {
	m[k] = v
	return len(m)
}

func (c *Cluster) validateGroup(clusterAt func(...any) string, j int, x groupIndex, nodes core.NameSet) error {
	g := x.g
	// Field paths are worded only for an error.
	at := func(parts ...any) string { return clusterAt(append([]any{"groups", j}, parts...)...) }
	if g.Owner != "" && !nodes.Has(g.Owner) {
		return core.BadField(at("owner"), "group %q is owned by %q, no node of cluster %s", g.Name, g.Owner, c.Name)
	}
	for k, o := range g.PreferredOwners {
		if !nodes.Has(o) {
			return core.BadField(at("preferred_owners", k), "preferred owner %q of group %q is no node of cluster %s", o, g.Name, c.Name)
		}
	}
	p := FailoverPolicy{Threshold: g.FailoverThreshold, Period: g.FailoverPeriod, Failback: g.Failback}
	if c.nodesMinusOne(g) {
		p.Threshold = 0 // 0xFFFFFFFF: nodes − 1, the 2008+ default
	}
	if g.Failback == FailbackWindow || g.WindowStart != -1 || g.WindowEnd != -1 {
		p.Window = []int{g.WindowStart, g.WindowEnd}
	}
	if _, _, err := p.check(); err != nil {
		return core.BadField(at("failover_threshold"), "group %q: %v", g.Name, err)
	}
	for k, r := range g.Resources {
		rat := func(parts ...any) string { return at(append([]any{"resources", k}, parts...)...) }
		if resourceTypes[r.Type] == nil {
			return core.BadField(rat("type"), "resource %q has type %q, which clusterscript does not know", r.Name, r.Type)
		}
		if !slices.Contains([]string{Online, Offline, Failed, OnlinePending, OfflinePending}, r.State) {
			return core.BadField(rat("state"), "resource %q has state %q; resource states are Online, Offline, Failed, Online Pending and Offline Pending", r.Name, r.State)
		}
		for m, o := range r.PossibleOwners {
			if !nodes.Has(o) {
				return core.BadField(rat("possible_owners", m), "possible owner %q of resource %q is no node of cluster %s", o, r.Name, c.Name)
			}
		}
		for m, d := range r.Dependencies {
			i, ok := x.find(d)
			switch {
			case !ok:
				return core.BadField(rat("dependencies", m), "resource %q depends on %q, which does not exist in cluster %s", r.Name, d, c.Name)
			case i < 0:
				return core.BadField(rat("dependencies", m), "resource %q depends on %q of another group; a resource and its dependencies must be in the same group", r.Name, d)
			case i == k:
				return core.BadField(rat("dependencies", m), "resource %q depends on itself", r.Name)
			}
		}
		rp := RestartPolicy{Threshold: r.RestartThreshold, Period: r.RestartPeriod}
		if err := rp.check(); err != nil {
			return core.BadField(rat("restart_threshold"), "resource %q: %v", r.Name, err)
		}
		if r.RetryPeriod != 0 {
			if err := CheckRetryPeriod(r.RetryPeriod, r.RestartPeriod); err != nil {
				return core.BadField(rat("retry_period"), "resource %q: %v", r.Name, err)
			}
		}
	}
	return nil
}

// validateAcyclic refuses a dependency cycle, which the builtins never
// make and which would send bring-online round in circles. It runs once
// validateGroup has found every dependency in its resource's group, so a
// cycle stays inside one group, and the search walks the groups one at a
// time.
func (c *Cluster) validateAcyclic(at func(...any) string, resources map[string]*Resource) error {
	const (
		visiting = 1
		done     = 2
	)
	var (
		x    groupIndex
		mark []uint8 // by index in the group
	)
	// visit returns the index of the resource found on the current path
	// again, or -1.
	var visit func(k int) int
	visit = func(k int) int {
		switch mark[k] {
		case visiting:
			return k
		case done:
			return -1
		}
		mark[k] = visiting
		for _, d := range x.g.Resources[k].Dependencies {
			dep, _ := x.find(d)
			if found := visit(dep); found >= 0 {
				return found
			}
		}
		mark[k] = done
		return -1
	}
	for j, g := range c.Groups {
		x = groupIndex{g: g, resources: resources}
		mark = slices.Grow(mark[:0], len(g.Resources))[:len(g.Resources)]
		clear(mark)
		for k := range g.Resources {
			if found := visit(k); found >= 0 {
				return core.BadField(at("groups", j, "resources", found, "dependencies"), "%s", fmt.Sprintf("the dependencies of resource %q lead back to it; dependencies may not form a cycle", core.Key(g.Resources[found].Name)))
			}
		}
	}
	return nil
}

// validateMembership refuses a server whose cluster field disagrees with
// the clusters' node lists: form_cluster and add_node set both.
func (e *Engine) validateMembership() error {
	nodeOf := map[string]string{} // server → cluster listing it
	for _, c := range e.Clusters {
		for _, n := range c.Nodes {
			nodeOf[core.Key(n.Name)] = c.Name
		}
	}
	for i, s := range e.Servers {
		if got, want := s.Cluster, nodeOf[core.Key(s.Name)]; core.Key(got) != core.Key(want) {
			if want == "" {
				return core.BadField(core.Path("world.servers", i, "cluster"), "server %s names cluster %q, which does not list it as a node", s.Name, got)
			}
			return core.BadField(core.Path("world.servers", i, "cluster"), "server %s is a node of cluster %s but its cluster field names %q", s.Name, want, got)
		}
	}
	return nil
}

// validateDiskHolders refuses a Physical Disk resource naming no shared
// disk, and a disk held by two: add_resource lets one resource hold a disk.
func (e *Engine) validateDiskHolders() error {
	disks := core.NameSet{}
	for _, d := range e.Disks {
		disks.Add(d.Label)
	}
	holder := map[string]string{}
	for i, c := range e.Clusters {
		for j, g := range c.Groups {
			for k, r := range g.Resources {
				if r.Type != TypePhysicalDisk {
					continue
				}
				at := core.Path("world.clusters", i, "groups", j, "resources", k, "params")
				for _, label := range r.held() {
					if !disks.Has(label) {
						return core.BadField(at, "Physical Disk %q holds disk %q, which does not exist", r.Name, label)
					}
					if h, dup := holder[core.Key(label)]; dup && h != c.Name+"/"+r.Name {
						return core.BadField(at, "disk %s is held by Physical Disk %q and by %s; a disk belongs to one resource", label, r.Name, h)
					}
					holder[core.Key(label)] = c.Name + "/" + r.Name
				}
			}
		}
	}
	return nil
}

// ValidateIndexed runs, once the world is indexed, the Exchange invariants
// of invariants.go that the builtins keep at every step: MSDTC while a node
// has cluster-aware Exchange, each virtual server's resources and
// dependencies, one Message Transfer Agent. (How many virtual servers run,
// and where, is not checked here: evicting or adding nodes can leave more
// than the rule allows, and the invariants report it.)
func (e *Engine) ValidateIndexed() error {
	for i, c := range e.Clusters {
		b := core.NewBreaches("cluster " + c.Name)
		_, mtas := e.exchangeStructureBreaches(c, c.Groups, b)
		if evs := c.evsCount(); evs > 0 && mtas != 1 {
			b.Addf("it has %d Exchange virtual servers and %d Message Transfer Agents; the first virtual server holds the only one", evs, mtas)
		}
		if list := b.List(); len(list) > 0 {
			return core.BadField(core.Path("world.clusters", i), "%s", list[0])
		}
	}
	return nil
}

// timerSubject checks the subject of a loaded timer: a cluster, or
// cluster/object where object is found by find.
func (e *Engine) timerSubject(find func(c *Cluster, name string) bool, what string) func(t *core.Timer) error {
	return func(t *core.Timer) error {
		cl, obj, sub := strings.Cut(t.Subject, "/")
		c := e.clusters[core.Key(cl)]
		switch {
		case c == nil:
			return fmt.Errorf("cluster %q does not exist", cl)
		case find == nil && sub:
			return fmt.Errorf("the subject is a cluster, not %q", t.Subject)
		case find != nil && !find(c, obj):
			return fmt.Errorf("cluster %s has no %s %q", c.Name, what, obj)
		}
		return nil
	}
}
