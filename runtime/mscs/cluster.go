package mscs

import (
	"clusterscript/runtime/core"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
)

// Node, resource and group states, as Cluster Administrator shows them.
const (
	NodeUp      = "Up"
	NodeDown    = "Down"
	NodePaused  = "Paused"
	NodeJoining = "Joining"

	Online         = "Online"
	Offline        = "Offline"
	Failed         = "Failed"
	OnlinePending  = "Online Pending"
	OfflinePending = "Offline Pending"
	PartialOnline  = "Partially Online"
	Pending        = "Pending"
)

// Quorum models.
const (
	QuorumDisk     = "disk"
	QuorumMajority = "majority"
	QuorumLocal    = "local"
)

// versionName is how the limit errors name a version.
func versionName(v string) string { return core.VersionName(v) }

// Cluster properties (reference/mscs.md §2.7, §2.12).
const (
	DefaultHeartbeatInterval = 1200 // ms between node heartbeats
	DefaultHeartbeatMisses   = 5    // missed heartbeats before a node is Down
	JoinTime                 = 3 * core.Second
)

// A Cluster is a Windows server cluster.
type Cluster struct {
	Name        string     `json:"name"`
	Domain      string     `json:"domain"`
	IP          string     `json:"ip"`
	Mask        string     `json:"mask"`
	Account     string     `json:"account"` // DOMAIN\name of the Cluster service account
	Version     string     `json:"version"`
	QuorumModel string     `json:"quorum_model"`
	Quorum      string     `json:"quorum,omitempty"` // the quorum resource's name (disk model)
	Networks    []*Network `json:"networks"`
	Nodes       []*Node    `json:"nodes"`
	Groups      []*Group   `json:"groups"`

	// HeartbeatInterval and HeartbeatMisses are SameSubnetDelay and
	// SameSubnetThreshold on Windows Server 2008 and later.
	HeartbeatInterval int64 `json:"heartbeat_interval_ms"`
	HeartbeatMisses   int   `json:"heartbeat_misses"`
	// QuorumLost is set while the cluster has no quorum and runs nothing.
	QuorumLost bool `json:"quorum_lost,omitempty"`
	// The other cluster common properties of Windows Server 2008 and later
	// (properties.go); zero on versions without them.
	CrossSubnetDelay            int64  `json:"cross_subnet_delay_ms,omitempty"`
	CrossSubnetThreshold        int    `json:"cross_subnet_threshold,omitempty"`
	DynamicQuorum               int    `json:"dynamic_quorum,omitempty"`
	ClusterEnforcedAntiAffinity int    `json:"cluster_enforced_anti_affinity,omitempty"`
	LowerQuorumPriorityNodeID   int    `json:"lower_quorum_priority_node_id,omitempty"`
	QuarantineThreshold         int    `json:"quarantine_threshold,omitempty"`
	QuarantineDuration          int64  `json:"quarantine_duration,omitempty"` // seconds
	PreferredSite               string `json:"preferred_site,omitempty"`
	// WitnessVoteRemoved: dynamic witness took the witness's vote (2012 R2+).
	WitnessVoteRemoved bool `json:"witness_vote_removed,omitempty"`
	// ForceQuorum: the cluster was formed with force_quorum and runs
	// whatever its votes until its members hold a majority.
	ForceQuorum bool `json:"force_quorum,omitempty"`

	// Networks, Nodes and Groups are appended to or replaced, never changed
	// in place: a transaction's copy of the cluster shares them.
	saved core.Stamp

	nodes      map[string]*Node
	nodeNames  []string // sorted; nil until NodeNames computes it
	groups     map[string]*Group
	resources  map[string]*Resource
	owned      map[string]map[*Group]bool // node → groups it owns
	dependents map[*Resource][]*Resource
	netNames   map[string]*Resource // Key(network name) → its Network Name resource
	diskHolder map[string]*Resource // Key(disk label) → its Physical Disk resource
	// namesIndexed is set by load validation, which builds groups and
	// resources as it checks the names; the reindex that follows keeps them.
	namesIndexed bool
}

// A Network is a cluster network: a subnet the nodes' adapters share.
type Network struct {
	Name   string `json:"name"`
	Subnet string `json:"subnet"`
	Role   string `json:"role"`
}

// A Node is a server's membership of a cluster.
type Node struct {
	Name  string `json:"name"`
	State string `json:"state"`
	// Paused survives a restart of the Cluster service or of the server.
	Paused bool `json:"paused,omitempty"`
	// CutOff marks a node whose Cluster service stopped because it lost
	// every heartbeat network; it rejoins when a network comes back.
	CutOff bool `json:"cut_off,omitempty"`
	// Retrying marks a Down node whose Cluster service stopped because the
	// cluster could not keep or form quorum on its disk: the Service
	// Control Manager starts it again every minute (retry.go).
	Retrying bool `json:"retrying,omitempty"`
	// NoVote is NodeWeight 0 (set_node_vote); VoteRemoved is a vote that
	// dynamic quorum or the tie-breaker took (DynamicWeight 0).
	NoVote      bool `json:"no_vote,omitempty"`
	VoteRemoved bool `json:"vote_removed,omitempty"`
	// StartMode is how its Cluster service was last started, until it
	// joins: "force_quorum" (/fq) or "prevent_quorum" (/pq).
	StartMode string `json:"start_mode,omitempty"`
	// Placement (placement.go, drain.go, quarantine.go, sites.go): its
	// site (2016+); its drain status, "" for NotInitiated (2012+); its
	// recent ungraceful exits and quarantine (2016+). Exits is replaced,
	// never changed in place.
	Site           string  `json:"site,omitempty"`
	DrainStatus    string  `json:"drain_status,omitempty"`
	Exits          []int64 `json:"exits,omitempty"`
	Quarantined    bool    `json:"quarantined,omitempty"`
	QuarantineEnds int64   `json:"quarantine_ends,omitempty"` // 0: until cleared

	saved core.Stamp
}

func (c *Cluster) reindex() {
	resources, netNames, deps := 0, 0, 0
	for _, g := range c.Groups {
		resources += len(g.Resources)
		for _, r := range g.Resources {
			deps += len(r.Dependencies)
			if r.Type == TypeNetworkName {
				netNames++
			}
		}
	}
	// Sized up front, keys cut from one arena: a loaded cluster may hold
	// tens of thousands of each.
	var keys core.KeyArena
	names := !c.namesIndexed
	c.namesIndexed = false
	c.nodes = make(map[string]*Node, len(c.Nodes))
	c.nodeNames = nil
	if names {
		c.groups = make(map[string]*Group, len(c.Groups))
		c.resources = make(map[string]*Resource, resources)
	}
	c.owned = make(map[string]map[*Group]bool, len(c.Nodes))
	c.dependents = make(map[*Resource][]*Resource, min(resources, deps))
	c.netNames = make(map[string]*Resource, netNames)
	c.diskHolder = map[string]*Resource{}
	owns := make(map[string]int, len(c.Nodes)) // groups per owner
	for _, g := range c.Groups {
		if g.Owner != "" {
			owns[keys.Key(g.Owner)]++
		}
	}
	for _, n := range c.Nodes {
		k := keys.Key(n.Name)
		c.nodes[k] = n
		c.owned[k] = make(map[*Group]bool, owns[k])
	}
	var (
		buf  [64]byte
		held [2]string
	)
	for _, g := range c.Groups {
		if names {
			c.groups[keys.Key(g.Name)] = g
		}
		if g.Owner != "" {
			c.owned[string(core.AppendKey(buf[:0], g.Owner))][g] = true
		}
		for _, r := range g.Resources {
			if names {
				c.resources[keys.Key(r.Name)] = r
			}
			r.group = g
			if r.Type != TypeNetworkName && r.Type != TypePhysicalDisk {
				continue // nothing held that these indexes keep
			}
			for _, v := range r.appendHeld(held[:0]) {
				switch r.Type {
				case TypeNetworkName:
					c.netNames[keys.Key(v)] = r
				case TypePhysicalDisk:
					c.diskHolder[keys.Key(v)] = r
				}
			}
		}
	}
	c.indexDependents(deps)
}

// indexDependents fills the dependents index: each list in one shared
// array, clipped so that an append copies it, in the order of the groups,
// their resources and their dependencies. Dependencies are in their
// resource's group, so the lists are counted group by group with the
// resources' indexes.
func (c *Cluster) indexDependents(deps int) {
	all := make([]*Resource, deps)
	var (
		count  []int // dependents per index in the group
		parent []int // per dependency of the group, in order: its index in the group
		lists  [][]*Resource
		stray  [][2]*Resource // (parent, dependent) outside a group: a world no builtin makes
	)
	for _, g := range c.Groups {
		rs := g.Resources
		x := groupIndex{g: g, resources: c.resources}
		count = slices.Grow(count[:0], len(rs))[:len(rs)]
		clear(count)
		parent = parent[:0]
		for _, r := range rs {
			for _, d := range r.Dependencies {
				i, _ := x.find(d)
				if i < 0 {
					stray = append(stray, [2]*Resource{c.resources[core.Key(d)], r})
				} else {
					count[i]++
				}
				parent = append(parent, i)
			}
		}
		lists = slices.Grow(lists[:0], len(rs))[:len(rs)]
		clear(lists)
		for i, n := range count {
			if n > 0 {
				lists[i] = all[:0:n]
				all = all[n:]
			}
		}
		k := 0
		for _, r := range rs {
			for range r.Dependencies {
				if i := parent[k]; i >= 0 {
					lists[i] = append(lists[i], r)
				}
				k++
			}
		}
		for i, ds := range lists {
			if ds != nil {
				c.dependents[rs[i]] = ds
			}
		}
	}
	for _, pr := range stray {
		c.dependents[pr[0]] = append(c.dependents[pr[0]], pr[1])
	}
}

// smallGroup is the most resources a group may hold for scanGroup to
// find them by scanning it rather than through a map.
const smallGroup = 16

// scanGroup returns the index of the resource named name in rs, or -1.
func scanGroup(rs []*Resource, name string) int {
	for i, r := range rs {
		if core.SameKey(r.Name, name) {
			return i
		}
	}
	return -1
}

// A groupIndex finds the resources of a group by name while a cluster is
// indexed or a loaded one checked: a small group by scanning it, a big one
// through the cluster's map of names and a map of its own.
type groupIndex struct {
	g         *Group
	resources map[string]*Resource // the cluster's, by Key(name)
	local     map[*Resource]int    // index in g.Resources; for a big group, made on first use
}

// find returns the index in the group of the resource named name, or -1
// with whether the cluster has one of that name in another group.
func (x *groupIndex) find(name string) (index int, exists bool) {
	rs := x.g.Resources
	if len(rs) <= smallGroup {
		if i := scanGroup(rs, name); i >= 0 {
			return i, true
		}
	}
	var buf [64]byte
	r, ok := x.resources[string(core.AppendKey(buf[:0], name))]
	if !ok || len(rs) <= smallGroup {
		return -1, ok
	}
	if x.local == nil {
		x.local = make(map[*Resource]int, len(rs))
		for i, r := range rs {
			x.local[r] = i
		}
	}
	if i, in := x.local[r]; in {
		return i, true
	}
	return -1, true
}

// HeartbeatTimeout is how long a silent node goes unnoticed.
func (c *Cluster) HeartbeatTimeout() int64 { return c.HeartbeatInterval * int64(c.HeartbeatMisses) }

// NodeLimit is the most nodes the cluster's Windows version allows.
func (c *Cluster) NodeLimit() int { return c.profile().maxNodes }

// Node looks up a node.
func (c *Cluster) Node(name string) (*Node, error) {
	if n, ok := c.nodes[core.Key(name)]; ok {
		return n, nil
	}
	names := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		names[i] = n.Name
	}
	return nil, core.NotFound("node of cluster "+c.Name, name, names)
}

// NodeNames lists the nodes by name.
// The slice is shared: callers must not modify it.
func (c *Cluster) NodeNames() []string {
	if c.nodeNames == nil {
		c.nodeNames = sortedNames(c.Nodes)
	}
	return c.nodeNames
}

// OwnedGroups lists the groups a node owns, by name.
func (c *Cluster) OwnedGroups(node string) []*Group {
	var out []*Group
	for g := range c.owned[core.Key(node)] {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// network finds the cluster network whose subnet holds ip.
func (c *Cluster) networkFor(ip netip.Addr) *Network {
	for _, n := range c.Networks {
		if p, err := netip.ParsePrefix(n.Subnet); err == nil && p.Contains(ip) {
			return n
		}
	}
	return nil
}

func (c *Cluster) network(name string) (*Network, error) {
	for _, n := range c.Networks {
		if strings.EqualFold(n.Name, name) {
			return n, nil
		}
	}
	names := make([]string, len(c.Networks))
	for i, n := range c.Networks {
		names[i] = n.Name
	}
	return nil, core.NotFound("network of cluster "+c.Name, name, names)
}

// HasQuorum reports whether the cluster can run.
func (c *Cluster) HasQuorum() bool {
	if c.countsVotes() {
		return c.voteQuorum()
	}
	switch c.QuorumModel {
	case QuorumMajority:
		return c.votes() >= len(c.Nodes)/2+1
	case QuorumLocal:
		return len(c.Nodes) > 0 && c.Nodes[0].State == NodeUp || len(c.Nodes) > 0 && c.Nodes[0].State == NodePaused
	default:
		r := c.resources[core.Key(c.Quorum)]
		if r == nil || r.State != Online {
			return false
		}
		owner := c.nodes[core.Key(r.group.Owner)]
		return owner != nil && (owner.State == NodeUp || owner.State == NodePaused)
	}
}

// votes counts the nodes that take part in a majority node set.
func (c *Cluster) votes() int {
	n := 0
	for _, x := range c.Nodes {
		if x.State == NodeUp || x.State == NodePaused {
			n++
		}
	}
	return n
}

// QuorumName is what cluster.quorum shows.
func (c *Cluster) QuorumName() string {
	switch c.QuorumModel {
	case QuorumNodeMajority:
		return ""
	case QuorumMajority:
		return "Majority Node Set"
	case QuorumLocal:
		return "Local Quorum"
	}
	return c.Quorum
}

// ---- Lookups ----

// GuardAdapter keeps a cluster node's adapter on the cluster network
// it serves: moving it to another subnet would cut the node off.
func (e *Engine) GuardAdapter(s *core.Server, a *core.Adapter, p netip.Prefix, extra []string) error {
	c := e.clusters[core.Key(s.Cluster)]
	if c == nil || !a.Configured() {
		return nil
	}
	old := a.Prefix().String()
	for _, nw := range c.Networks {
		if nw.Subnet == old && p.Masked().String() != old {
			return core.Errf(core.ErrState, "adapter %s of %s is on cluster network %s (%s) of cluster %s; readdress it within that subnet, or evict the node first", a.Name, s.Name, nw.Name, nw.Subnet, c.Name)
		}
	}
	return nil
}

// Cluster looks up a cluster by name.
func (e *Engine) Cluster(name string) (*Cluster, error) {
	if c, ok := e.clusters[core.Key(name)]; ok {
		return c, nil
	}
	names := make([]string, len(e.Clusters))
	for i, c := range e.Clusters {
		names[i] = c.Name
	}
	return nil, core.NotFound("cluster", name, names)
}

// clusterOf returns the cluster a server is a node of.
func (e *Engine) clusterOf(server string) (*Cluster, *Node, error) {
	s, err := e.Server(server)
	if err != nil {
		return nil, nil, err
	}
	if s.Cluster == "" {
		return nil, nil, core.Errf(core.ErrPrereq, "server %s is not a node of any cluster; create_cluster or add_node it first", s.Name)
	}
	c := e.clusters[core.Key(s.Cluster)]
	return c, c.nodes[core.Key(s.Name)], nil
}

// NodeOf finds a node: cluster may be empty, then the server's own cluster
// is used.
func (e *Engine) NodeOf(cluster, name string) (*Cluster, *Node, error) {
	if cluster == "" {
		return e.clusterOf(name)
	}
	c, err := e.Cluster(cluster)
	if err != nil {
		return nil, nil, err
	}
	n, err := c.Node(name)
	return c, n, err
}

// GroupOf finds a group by name in cluster, or in whichever cluster has it
// when cluster is empty.
func (e *Engine) GroupOf(cluster, name string) (*Cluster, *Group, error) {
	if cluster != "" {
		c, err := e.Cluster(cluster)
		if err != nil {
			return nil, nil, err
		}
		g, err := c.Group(name)
		return c, g, err
	}
	return findAcross(e, "group", name, func(c *Cluster) map[string]*Group { return c.groups }, func(g *Group) string { return g.Name })
}

// ResourceOf finds a resource by name in cluster, or in whichever cluster
// has it when cluster is empty.
func (e *Engine) ResourceOf(cluster, name string) (*Cluster, *Resource, error) {
	if cluster != "" {
		c, err := e.Cluster(cluster)
		if err != nil {
			return nil, nil, err
		}
		r, err := c.Resource(name)
		return c, r, err
	}
	return findAcross(e, "resource", name, func(c *Cluster) map[string]*Resource { return c.resources }, func(r *Resource) string { return r.Name })
}

// findAcross finds the one cluster whose index holds name. None is an
// error suggesting the nearest name; several is an error asking for the
// handle, since a bare name is ambiguous.
func findAcross[T any](e *Engine, what, name string, index func(*Cluster) map[string]T, nameOf func(T) string) (*Cluster, T, error) {
	var zero T
	var found *Cluster
	for _, c := range e.Clusters {
		if _, ok := index(c)[core.Key(name)]; ok {
			if found != nil {
				return nil, zero, core.Errf(core.ErrConflict, "several clusters have a %s named %q; pass its handle or get_%s(cluster, name)", what, name, what)
			}
			found = c
		}
	}
	if found == nil {
		var names []string
		for _, c := range e.Clusters {
			for _, v := range index(c) {
				names = append(names, nameOf(v))
			}
		}
		sort.Strings(names)
		return nil, zero, core.NotFound(what, name, names)
	}
	return found, index(found)[core.Key(name)], nil
}

// diskOwner finds the Physical Disk resource that holds a disk.
func (e *Engine) diskOwner(label string) (*Cluster, *Resource) {
	for _, c := range e.Clusters {
		if r := c.diskHolder[core.Key(label)]; r != nil {
			return c, r
		}
	}
	return nil, nil
}

// computerNameOwner reports what already answers to a NetBIOS computer
// name on the network: a server, a cluster, a Network Name resource.
func (e *Engine) computerNameOwner(name string, except *Resource) string {
	if s := e.LookupServer(name); s != nil {
		return "server " + s.Name
	}
	for _, c := range e.Clusters {
		if r := c.netNames[core.Key(name)]; r != nil && r != except {
			return fmt.Sprintf("Network Name resource %q of cluster %s", r.Name, c.Name)
		}
	}
	for _, d := range e.Domains {
		if strings.EqualFold(d.NetBIOS, name) {
			return "domain " + d.Name
		}
	}
	return ""
}

// ---- Creating the cluster ----

// ClusterSpec is what the New Server Cluster Wizard asks for.
type ClusterSpec struct {
	Name    string // the cluster's NetBIOS name
	Domain  string
	Node    string // the server that forms the cluster
	IP      string
	Account string // the Cluster service account, DOMAIN\name
	Mask    string
	Quorum  string // a disk label, "majority", "local", or "" to choose
}

// CreateCluster forms a one-node cluster on a server: the New Server
// Cluster Wizard.
func (e *Engine) CreateCluster(spec ClusterSpec) (*Cluster, error) {
	name, domain, node, ip, account, mask, quorum := spec.Name, spec.Domain, spec.Node, spec.IP, spec.Account, spec.Mask, spec.Quorum
	if err := core.ValidNetBIOS("cluster", name); err != nil {
		return nil, err
	}
	if _, ok := e.clusters[core.Key(name)]; ok {
		return nil, core.Errf(core.ErrConflict, "a cluster named %s already exists; cluster names are unique", name)
	}
	if owner := e.computerNameOwner(name, nil); owner != "" {
		return nil, core.Errf(core.ErrConflict, "the name %s is already used by %s; the cluster name must be unique on the network", name, owner)
	}
	d, err := e.Domain(domain)
	if err != nil {
		return nil, err
	}
	s, err := e.Server(node)
	if err != nil {
		return nil, err
	}
	if err := s.MustRun("create a cluster on it"); err != nil {
		return nil, err
	}
	if !s.Clustering() {
		return nil, core.Errf(core.ErrPrereq, "server %s runs the %s edition, which has no Cluster service; server clusters need Enterprise or Datacenter Edition", s.Name, core.TitleCase(s.Edition))
	}
	if s.Cluster != "" {
		return nil, core.Errf(core.ErrConflict, "server %s is already a node of cluster %s; a server belongs to one cluster", s.Name, s.Cluster)
	}
	if s.Exchange == "standalone" {
		return nil, core.Errf(core.ErrPrereq, "server %s runs a standalone Exchange installation, which cannot be clustered; remove Exchange, form the cluster, then install the cluster-aware version", s.Name)
	}
	if !strings.EqualFold(s.Domain, d.Name) {
		return nil, core.Errf(core.ErrPrereq, "server %s is not a member of domain %s; join it with join_domain(%q, %q) first", s.Name, d.Name, s.Name, d.Name)
	}
	if m := e.World.Membership(s.Name); m != "" {
		return nil, core.Errf(core.ErrConflict, "server %s is %s; Microsoft does not support Network Load Balancing and server clusters on the same servers", s.Name, m)
	}
	p, err := core.HostAddress("cluster IP address", ip, mask)
	if err != nil {
		return nil, err
	}
	var public *core.Adapter
	for _, a := range s.Adapters {
		if a.Configured() && a.Prefix() == p.Masked() {
			public = a
		}
	}
	if public == nil {
		return nil, core.Errf(core.ErrPrereq, "server %s has no configured adapter in %s, the subnet of cluster address %s; configure one with configure_tcpip", s.Name, p.Masked(), ip)
	}
	if public.Role == "private" {
		return nil, core.Errf(core.ErrPrereq, "the cluster address %s is on %s's adapter %s, which is for internal cluster traffic only; clients need a public or mixed network", ip, s.Name, public.Name)
	}
	if u, ok := e.AddrConflict(ip, core.AddrVirtual, ""); ok {
		return nil, core.Errf(core.ErrConflict, "cluster address %s is already used by %s; pick a free static address", ip, u.Describe())
	}
	acct, err := e.User(account)
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(acct.Domain, d.NetBIOS) {
		return nil, core.Errf(core.ErrPrereq, "the Cluster service account %s is not in domain %s; create it there with create_user", acct.QualifiedName(), d.Name)
	}
	c := &Cluster{
		Name: name, Domain: d.Name, IP: ip, Mask: mask, Account: acct.QualifiedName(), Version: s.Version,
	}
	c.setDefaultProperties()
	var qdisk *core.Disk
	modern := c.profile().quorumModes != nil
	switch {
	case modern && quorum == QuorumLocal:
		return nil, core.Errf(core.ErrInvalid, "%s has no local quorum; form the cluster with node majority (quorum=None or \"majority\") or a witness disk (quorum=a Disk)", versionName(c.Version))
	case modern && (quorum == "" || quorum == QuorumMajority || quorum == QuorumNodeMajority):
		c.QuorumModel = QuorumNodeMajority
	case quorum == "":
		for _, dk := range e.sortedDisksSeenBy(s.Name) {
			if dk.Clusterable() == nil && !dk.Failed {
				if _, r := e.diskOwner(dk.Label); r == nil {
					qdisk = dk
					break
				}
			}
		}
		c.QuorumModel = QuorumLocal
		if qdisk != nil {
			c.QuorumModel = QuorumDisk
		}
	case quorum == QuorumMajority || quorum == QuorumLocal:
		c.QuorumModel = quorum
	default:
		dk, err := e.Disk(quorum)
		if err != nil && modern {
			return nil, core.Errf(core.ErrInvalid, "quorum %q is neither a shared disk nor \"majority\"; pass a Disk (node and disk majority) or \"majority\" (node majority), and set_quorum for the other modes", quorum)
		}
		if err != nil {
			return nil, core.Errf(core.ErrInvalid, "quorum %q is neither a shared disk nor \"majority\" or \"local\"; pass a Disk, \"majority\" (majority node set) or \"local\" (single node)", quorum)
		}
		if err := e.checkClusterDisk(dk, []string{s.Name}, nil); err != nil {
			return nil, err
		}
		if dk.Failed {
			return nil, core.Errf(core.ErrState, "disk %s has failed and cannot hold the quorum; repair it with repair_disk(%q) or pick another disk", dk.Label, dk.Label)
		}
		qdisk = dk
		c.QuorumModel = QuorumDisk
		if modern {
			c.QuorumModel = QuorumNodeAndDisk
		}
	}
	c.Networks = networksOf(s)
	c.Nodes = []*Node{{Name: s.Name, State: NodeUp}}
	c.reindex()

	// Everything is checked: form the cluster.
	core.Keep(e.World, &e.Clusters)
	e.Clusters = append(e.Clusters, c)
	core.SetKey(e.World, e.clusters, core.Key(name), c)
	e.TouchServer(s)
	s.Cluster = c.Name
	quorumText := map[string]string{QuorumMajority: "majority node set", QuorumLocal: "local quorum", QuorumNodeMajority: "node majority"}[c.QuorumModel]
	if qdisk != nil {
		quorumText = "disk " + qdisk.Letter + " (" + qdisk.Label + ")"
		if modern {
			quorumText = "node and disk majority, witness disk " + qdisk.Letter + " (" + qdisk.Label + ")"
		}
	}
	e.Emit(core.KindCluster, c.Name, "", "cluster %s formed on %s in %s: address %s, service account %s, quorum %s", c.Name, s.Name, d.Name, ip, c.Account, quorumText)
	e.Emit(core.KindState, s.Name, NodeUp, "node %s is %s", s.Name, NodeUp)
	g := e.addGroup(c, "Cluster Group", "The cluster's core resources", nil)
	ipRes := e.addResource(c, g, "Cluster IP Address", TypeIPAddress, "", nil, nil,
		map[string]string{"address": ip, "subnet_mask": mask, "network": c.networkFor(p.Addr()).Name})
	e.addResource(c, g, "Cluster Name", TypeNetworkName, "", nil, []string{ipRes.Name}, map[string]string{"name": c.Name})
	switch c.QuorumModel {
	case QuorumDisk, QuorumNodeAndDisk:
		r := e.addResource(c, g, "Disk "+qdisk.Letter, TypePhysicalDisk, "", nil, nil, map[string]string{"disk": qdisk.Label})
		e.touchCluster(c)
		c.Quorum = r.Name
	case QuorumMajority:
		e.addResource(c, g, "Majority Node Set", TypeMajorityNodeSet, "", nil, nil, map[string]string{})
	case QuorumLocal:
		e.addResource(c, g, "Local Quorum", TypeLocalQuorum, "", nil, nil, map[string]string{})
	}
	e.onlineResources(c, g, g.Resources, "the cluster formed")
	e.recordCluster(c, s.Name)
	return c, nil
}

func (e *Engine) sortedDisksSeenBy(server string) []*core.Disk {
	var out []*core.Disk
	for _, d := range e.Disks {
		if d.Sees(server) && d.Letter != "" {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Letter < out[j].Letter })
	return out
}

// networksOf derives the cluster networks from a server's adapters.
func networksOf(s *core.Server) []*Network {
	var out []*Network
	for _, a := range s.Adapters {
		if a.Configured() {
			out = append(out, &Network{Name: a.Name, Subnet: a.Prefix().String(), Role: a.Role})
		}
	}
	return out
}

// checkClusterDisk checks a disk can be a cluster disk seen by servers.
func (e *Engine) checkClusterDisk(d *core.Disk, servers []string, except *Resource) error {
	if err := d.Clusterable(); err != nil {
		return err
	}
	for _, s := range servers {
		if !d.Sees(s) {
			return core.Errf(core.ErrPrereq, "disk %s is not on the shared bus of %s; every node must see a cluster disk", d.Label, s)
		}
	}
	if c, r := e.diskOwner(d.Label); r != nil && r != except {
		return core.Errf(core.ErrConflict, "disk %s is already held by resource %q of cluster %s; a disk belongs to one Physical Disk resource", d.Label, r.Name, c.Name)
	}
	return nil
}

// AddNode joins a server to a cluster: the Add Nodes Wizard.
func (e *Engine) AddNode(cluster, server, password string, checkPassword bool) (*Node, error) {
	c, err := e.Cluster(cluster)
	if err != nil {
		return nil, err
	}
	s, err := e.Server(server)
	if err != nil {
		return nil, err
	}
	if err := e.requireQuorum(c, "add node "+s.Name); err != nil {
		return nil, err
	}
	if s.Cluster != "" {
		if strings.EqualFold(s.Cluster, c.Name) {
			return nil, core.Errf(core.ErrConflict, "server %s is already a node of cluster %s", s.Name, c.Name)
		}
		return nil, core.Errf(core.ErrConflict, "server %s is already a node of cluster %s; evict it there first", s.Name, s.Cluster)
	}
	if err := s.MustRun("add it to a cluster"); err != nil {
		return nil, err
	}
	if c.QuorumModel == QuorumLocal {
		return nil, core.Errf(core.ErrPrereq, "cluster %s uses a local quorum, which serves a single node; it cannot take more nodes", c.Name)
	}
	if len(c.Nodes) >= c.NodeLimit() {
		return nil, core.Errf(core.ErrLimit, "cluster %s already has %d nodes, the %s limit", c.Name, len(c.Nodes), versionName(c.Version))
	}
	if !s.Clustering() {
		return nil, core.Errf(core.ErrPrereq, "server %s runs the %s edition, which has no Cluster service; nodes need Enterprise or Datacenter Edition", s.Name, core.TitleCase(s.Edition))
	}
	first := e.LookupServer(c.Nodes[0].Name)
	if s.Edition != first.Edition {
		return nil, core.Errf(core.ErrConflict, "server %s runs the %s edition but cluster %s runs %s; a cluster may not mix Enterprise and Datacenter nodes", s.Name, core.TitleCase(s.Edition), c.Name, core.TitleCase(first.Edition))
	}
	if s.Version != c.Version {
		return nil, core.Errf(core.ErrConflict, "server %s runs Windows Server %s but cluster %s runs %s; add servers of the cluster's version", s.Name, s.Version, c.Name, c.Version)
	}
	if !strings.EqualFold(s.Domain, c.Domain) {
		return nil, core.Errf(core.ErrPrereq, "server %s is not a member of domain %s, the cluster's domain; join it first", s.Name, c.Domain)
	}
	if s.Exchange == "standalone" {
		return nil, core.Errf(core.ErrPrereq, "server %s runs a standalone Exchange installation, which cannot be clustered; remove Exchange first", s.Name)
	}
	if m := e.World.Membership(s.Name); m != "" {
		return nil, core.Errf(core.ErrConflict, "server %s is %s; Microsoft does not support Network Load Balancing and server clusters on the same servers", s.Name, m)
	}
	p, _ := core.HostAddress("cluster address", c.IP, c.Mask)
	inSubnet := false
	for _, a := range s.Adapters {
		if a.Configured() && a.Prefix() == p.Masked() {
			inSubnet = true
		}
	}
	if !inSubnet {
		return nil, core.Errf(core.ErrPrereq, "server %s has no adapter in %s, the subnet of cluster %s; configure one with configure_tcpip", s.Name, p.Masked(), c.Name)
	}
	if c.diskQuorum() {
		qr := c.resources[core.Key(c.Quorum)]
		d := e.LookupDisk(qr.Params["disk"])
		if !d.Sees(s.Name) {
			return nil, core.Errf(core.ErrPrereq, "server %s does not see the quorum disk %s (%s); put it on the shared bus", s.Name, d.Letter, d.Label)
		}
	}
	if checkPassword {
		acct, err := e.User(c.Account)
		if err != nil {
			return nil, err
		}
		if password != acct.Password {
			return nil, core.Errf(core.ErrPrereq, "the password given for the Cluster service account %s is wrong; give the account's password", c.Account)
		}
	}
	// Physical Disks on disks the new node does not see keep the nodes
	// they have: with no list they would take every node, this one too.
	var unseen []*Resource
	for _, g := range c.Groups {
		for _, r := range g.Resources {
			if r.Type == TypePhysicalDisk && r.PossibleOwners == nil && !e.LookupDisk(r.Params["disk"]).Sees(s.Name) {
				unseen = append(unseen, r)
			}
		}
	}
	for _, r := range unseen {
		e.touchResource(r)
		r.PossibleOwners = c.NodeNames()
	}
	n := &Node{Name: s.Name, State: NodeUp}
	e.touchCluster(c)
	c.Nodes = append(c.Nodes, n)
	c.nodeNames = nil
	core.SetKey(e.World, c.nodes, core.Key(n.Name), n)
	core.SetKey(e.World, c.owned, core.Key(n.Name), map[*Group]bool{})
	for _, nw := range networksOf(s) {
		if c.networkFor(netip.MustParsePrefix(nw.Subnet).Addr()) == nil {
			c.Networks = append(c.Networks, nw)
		}
	}
	e.TouchServer(s)
	s.Cluster = c.Name
	e.Emit(core.KindCluster, c.Name, "", "node %s added to cluster %s (%d of %d nodes)", s.Name, c.Name, len(c.Nodes), c.NodeLimit())
	e.Emit(core.KindState, s.Name, NodeUp, "node %s is %s", s.Name, NodeUp)
	for _, r := range unseen {
		e.Warn(r.Name, "node %s does not see disk %s, so it is not a possible owner of %q (possible owners: %s)", s.Name, r.Params["disk"], r.Name, strings.Join(r.PossibleOwners, ", "))
	}
	e.nodeCameUp(c, n)
	e.RecordChange("add_node", c.Name, n.Name, core.List("pinned", namesOf(unseen)))
	e.adjustVotes(c, "a node was added", nil)
	return n, nil
}

// EvictNode removes a node that owns no groups from its cluster.
func (e *Engine) EvictNode(cluster, node string) error {
	c, n, err := e.NodeOf(cluster, node)
	if err != nil {
		return err
	}
	if err := e.requireQuorum(c, "evict node "+n.Name); err != nil {
		return err
	}
	if len(c.Nodes) == 1 {
		return core.Errf(core.ErrState, "node %s is the last node of cluster %s; a cluster cannot evict its last node", n.Name, c.Name)
	}
	if len(c.owned[core.Key(n.Name)]) > 0 {
		gs := c.OwnedGroups(n.Name)
		return core.Errf(core.ErrState, "node %s still owns group %q; move its groups to another node before evicting it", n.Name, gs[0].Name)
	}
	// A resource whose only possible owner leaves would silently become
	// runnable everywhere (no list means every node).
	for _, g := range c.Groups {
		for _, r := range g.Resources {
			if r.PossibleOwners != nil && len(core.RemoveFold(r.PossibleOwners, n.Name)) == 0 {
				return core.Errf(core.ErrState, "node %s is the only possible owner of %q; add another with set_possible_owners or delete the resource before evicting the node", n.Name, r.Name)
			}
		}
	}
	if c.countsVotes() && c.running() && !c.ForceQuorum {
		in := func(x *Node) bool { return x != n && member(x) }
		have, total := c.tally(in, c.witnessOnline())
		if v := c.NodeVote(n); !quorate(have, total-v) {
			return core.Errf(core.ErrState, "evicting %s would leave cluster %s with %s, short of a majority; start the Cluster service on another node first", n.Name, c.Name, votesText(have, total-v))
		}
	}
	if c.QuorumModel == QuorumMajority && c.running() && (n.State == NodeUp || n.State == NodePaused) {
		if left, need := c.votes()-1, (len(c.Nodes)-1)/2+1; left < need {
			return core.Errf(core.ErrState, "evicting %s would leave cluster %s with %d of %d nodes running, short of the majority of %d its majority node set needs; start the Cluster service on another node first", n.Name, c.Name, left, len(c.Nodes)-1, need)
		}
	}
	var nodes []*Node
	for _, x := range c.Nodes {
		if x != n {
			nodes = append(nodes, x)
		}
	}
	e.touchCluster(c)
	// Node IDs are join order: the nodes after the evicted one move up.
	switch id := c.NodeID(n.Name); {
	case c.LowerQuorumPriorityNodeID == id:
		c.LowerQuorumPriorityNodeID = 0
	case c.LowerQuorumPriorityNodeID > id:
		c.LowerQuorumPriorityNodeID--
	}
	c.Nodes = nodes
	c.nodeNames = nil
	core.DeleteKey(e.World, c.nodes, core.Key(n.Name))
	core.DeleteKey(e.World, c.owned, core.Key(n.Name))
	for _, g := range c.Groups {
		if core.ContainsFold(g.PreferredOwners, n.Name) {
			e.touchGroup(g)
			g.PreferredOwners = core.RemoveFold(g.PreferredOwners, n.Name)
		}
		for _, r := range g.Resources {
			if core.ContainsFold(r.PossibleOwners, n.Name) {
				e.touchResource(r)
				r.PossibleOwners = core.RemoveFold(r.PossibleOwners, n.Name)
			}
		}
	}
	e.CancelTimers(timerNodeJoin, c.Name+"/"+n.Name)
	e.CancelTimers(timerQuarantine, c.Name+"/"+n.Name)
	e.forgetDrained(c, n)
	if s := e.LookupServer(n.Name); s != nil {
		e.TouchServer(s)
		s.Cluster = ""
	}
	e.Emit(core.KindCluster, c.Name, "", "node %s evicted from cluster %s; its Cluster service configuration is cleaned up", n.Name, c.Name)
	e.RecordChange("evict_node", c.Name, n.Name)
	e.adjustVotes(c, "a node was evicted", nil)
	return nil
}
