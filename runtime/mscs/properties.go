package mscs

import (
	"fmt"
	"slices"
	"strings"

	"clusterscript/runtime/core"
)

// The cluster common properties of Windows Server 2008 and later that
// set_cluster_property sets, by their PowerShell names (Get-Cluster). Each
// belongs to the versions whose profile has it, and has a range there.
// docs/versions.md gives the sources.

// A clusterProperty is one of them.
type clusterProperty struct {
	Name string // PowerShell name: "SameSubnetDelay"
	Attr string // Cluster attribute: "same_subnet_delay"
	Doc  string // one line for doc and errors
	// member is its state-file member when that is not Attr.
	member string
	has    func(profile) bool // the versions that have it
	text   bool               // a string (PreferredSite); else a whole number
	node   bool               // a node ID (LowerQuorumPriorityNodeID): a node's name is accepted too
	lo     int64
	hi     func(profile) int64
	// Where the value lives: one of these.
	field func(c *Cluster) *int64
	num   func(c *Cluster) *int
	str   func(c *Cluster) *string
}

// ClusterProperty is what doc, the REPL and the builtins know of a
// property: its PowerShell and attribute names, the version that brought
// it, and a line of doc.
type ClusterProperty struct {
	Name, Attr, Since, Doc string
}

// ClusterProperties lists the properties set_cluster_property takes, in
// the order of SPEC §12.
func ClusterProperties() []ClusterProperty {
	out := make([]ClusterProperty, len(clusterProperties))
	for i, p := range clusterProperties {
		out[i] = ClusterProperty{Name: p.Name, Attr: p.Attr, Since: since(p.has), Doc: p.Doc}
	}
	return out
}

const maxDWORD = 0xFFFFFFFF

func constant(n int64) func(profile) int64 { return func(profile) int64 { return n } }

var clusterProperties = []*clusterProperty{
	{Name: "SameSubnetDelay", Attr: "same_subnet_delay", Doc: "milliseconds between heartbeats to a node in the same subnet",
		has: hasProperties, lo: 250, hi: func(p profile) int64 { return int64(p.maxSameDelay) }, member: "heartbeat_interval_ms",
		field: func(c *Cluster) *int64 { return &c.HeartbeatInterval }},
	{Name: "SameSubnetThreshold", Attr: "same_subnet_threshold", Doc: "heartbeats missed, in the same subnet, before a node is Down",
		has: hasProperties, lo: 3, hi: func(p profile) int64 { return int64(p.maxSameThreshold) }, member: "heartbeat_misses",
		num: func(c *Cluster) *int { return &c.HeartbeatMisses }},
	{Name: "CrossSubnetDelay", Attr: "cross_subnet_delay", Doc: "milliseconds between heartbeats to a node in another subnet",
		has: hasProperties, lo: 250, hi: func(p profile) int64 { return int64(p.maxCrossDelay) }, member: "cross_subnet_delay_ms",
		field: func(c *Cluster) *int64 { return &c.CrossSubnetDelay }},
	{Name: "CrossSubnetThreshold", Attr: "cross_subnet_threshold", Doc: "heartbeats missed, across subnets, before a node is Down",
		has: hasProperties, lo: 3, hi: func(p profile) int64 { return int64(p.maxCrossThreshold) },
		num: func(c *Cluster) *int { return &c.CrossSubnetThreshold }},
	{Name: "DynamicQuorum", Attr: "dynamic_quorum", Doc: "1: the cluster adjusts node votes as nodes leave and return; 0: votes stay as set",
		has: func(p profile) bool { return p.dynamicQuorum }, lo: 0, hi: constant(1),
		num: func(c *Cluster) *int { return &c.DynamicQuorum }},
	{Name: "ClusterEnforcedAntiAffinity", Attr: "cluster_enforced_anti_affinity", Doc: "1: a group whose every node hosts a group of a shared anti-affinity class stays Offline; 0: anti-affinity is a preference",
		has: func(p profile) bool { return p.enforcedAntiAffinity }, lo: 0, hi: constant(1),
		num: func(c *Cluster) *int { return &c.ClusterEnforcedAntiAffinity }},
	{Name: "LowerQuorumPriorityNodeID", Attr: "lower_quorum_priority_node_id", Doc: "the ID of the node that loses its vote first when the 50 % tie-breaker must drop one (0: none)",
		has: func(p profile) bool { return p.tieBreaker }, node: true, lo: 0, hi: constant(maxDWORD),
		num: func(c *Cluster) *int { return &c.LowerQuorumPriorityNodeID }},
	{Name: "QuarantineThreshold", Attr: "quarantine_threshold", Doc: "ungraceful exits within an hour that put a node in quarantine (0: never)",
		has: func(p profile) bool { return p.quarantine }, lo: 0, hi: constant(maxDWORD),
		num: func(c *Cluster) *int { return &c.QuarantineThreshold }},
	{Name: "QuarantineDuration", Attr: "quarantine_duration", Doc: "seconds a quarantined node stays out (4294967295: until cleared)",
		has: func(p profile) bool { return p.quarantine }, lo: 0, hi: constant(maxDWORD),
		field: func(c *Cluster) *int64 { return &c.QuarantineDuration }},
	{Name: "PreferredSite", Attr: "preferred_site", Doc: "the site that keeps quorum in a 50 % split and that failover prefers (\"\": none)",
		has: func(p profile) bool { return p.sites }, text: true,
		str: func(c *Cluster) *string { return &c.PreferredSite }},
}

func hasProperties(p profile) bool { return p.properties }

func (p *clusterProperty) get(c *Cluster) int64 {
	if p.field != nil {
		return *p.field(c)
	}
	return int64(*p.num(c))
}

func (p *clusterProperty) set(c *Cluster, v int64) {
	if p.field != nil {
		*p.field(c) = v
		return
	}
	*p.num(c) = int(v)
}

func propertyNamed(name string) *clusterProperty {
	for _, p := range clusterProperties {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Property reads a property of the cluster by its attribute name
// ("same_subnet_delay"): an int64 or a string, and whether the cluster's
// version has it (false also for a name that is none).
func (c *Cluster) Property(attr string) (any, bool) {
	for _, p := range clusterProperties {
		if p.Attr != attr {
			continue
		}
		if !p.has(c.profile()) {
			return nil, false
		}
		if p.text {
			return *p.str(c), true
		}
		return p.get(c), true
	}
	return nil, false
}

// PropertyNodeSetting is the setting of a set_cluster_property change that
// names the node LowerQuorumPriorityNodeID's ID stands for ("" for 0).
const PropertyNodeSetting = "lower_quorum_priority_node"

// A PropertySetting is one name=value of set_cluster_property: Value is an
// int64 or a string.
type PropertySetting struct {
	Name  string
	Value any
}

// setDefaultProperties gives a new cluster its version's defaults.
func (c *Cluster) setDefaultProperties() {
	p := c.profile()
	c.HeartbeatInterval, c.HeartbeatMisses = int64(p.sameDelay), p.sameThreshold
	if !p.properties {
		return
	}
	c.CrossSubnetDelay, c.CrossSubnetThreshold = int64(p.crossDelay), p.crossThreshold
	if p.dynamicQuorum {
		c.DynamicQuorum = 1
	}
	if p.quarantine {
		c.QuarantineThreshold, c.QuarantineDuration = 3, 7200
	}
}

// checkProperty refuses a value the cluster's version cannot take; it
// returns the number to store (a node's name becomes its ID).
func (c *Cluster) checkProperty(p *clusterProperty, v any) (int64, string, error) {
	if err := c.needVersion(p.Name, p.has); err != nil {
		return 0, "", err
	}
	if p.text {
		s, ok := v.(string)
		if !ok {
			return 0, "", core.Errf(core.ErrInvalid, "%s is a site name, got %v; give a string (\"\" for none)", p.Name, v)
		}
		if !siteNameOK(s) {
			return 0, "", core.Errf(core.ErrInvalid, "%s %q is not a site name: no leading or trailing spaces, at most 63 characters", p.Name, s)
		}
		return 0, s, nil
	}
	var n int64
	switch x := v.(type) {
	case int64:
		n = x
	case string:
		if !p.node {
			return 0, "", core.Errf(core.ErrInvalid, "%s is a number, got %q; give a whole number from %d to %d", p.Name, x, p.lo, p.hi(c.profile()))
		}
		node, err := c.Node(x)
		if err != nil {
			return 0, "", err
		}
		n = int64(c.NodeID(node.Name))
	default:
		return 0, "", core.Errf(core.ErrInvalid, "%s is a number, got %v", p.Name, v)
	}
	if hi := p.hi(c.profile()); n < p.lo || n > hi {
		return 0, "", core.Errf(core.ErrInvalid, "%s %d is out of range; on %s it is %d to %d", p.Name, n, core.VersionName(c.Version), p.lo, hi)
	}
	if p.node && n != 0 && c.nodeByID(int(n)) == nil {
		return 0, "", core.Errf(core.ErrNotFound, "%s %d names no node of cluster %s; its nodes are %s (0 for none)", p.Name, n, c.Name, c.nodeIDList())
	}
	return n, "", nil
}

// NodeID is a node's ID: its place in join order, 1 for the node that
// formed the cluster; 0 for a name that is no node.
func (c *Cluster) NodeID(name string) int {
	for i, n := range c.Nodes {
		if strings.EqualFold(n.Name, name) {
			return i + 1
		}
	}
	return 0
}

// nodeByID finds a node by its ID.
func (c *Cluster) nodeByID(id int) *Node {
	if id < 1 || id > len(c.Nodes) {
		return nil
	}
	return c.Nodes[id-1]
}

func (c *Cluster) nodeIDList() string {
	parts := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		parts[i] = fmt.Sprintf("%s %d", n.Name, i+1)
	}
	return strings.Join(parts, ", ")
}

// SetClusterProperty sets cluster common properties by their PowerShell
// names (Set-Cluster / (Get-Cluster).Name = value). Every setting is
// checked before any is changed.
func (e *Engine) SetClusterProperty(cluster string, settings []PropertySetting) error {
	c, err := e.Cluster(cluster)
	if err != nil {
		return err
	}
	if len(settings) == 0 {
		return core.Errf(core.ErrInvalid, "no property given; name at least one, e.g. SameSubnetThreshold=10")
	}
	type change struct {
		p *clusterProperty
		n int64
		s string
	}
	var changes []change
	seen := map[string]bool{}
	for _, st := range settings {
		p := propertyNamed(st.Name)
		if p == nil {
			return unknownProperty(st.Name)
		}
		if seen[p.Name] {
			return core.Errf(core.ErrInvalid, "%s is given twice; give each property once", p.Name)
		}
		seen[p.Name] = true
		n, s, err := c.checkProperty(p, st.Value)
		if err != nil {
			return err
		}
		changes = append(changes, change{p: p, n: n, s: s})
	}
	if err := e.requireQuorum(c, "change cluster properties"); err != nil {
		return err
	}
	e.touchCluster(c)
	var record []core.Setting
	for _, ch := range changes {
		if ch.p.text {
			old := *ch.p.str(c)
			*ch.p.str(c) = ch.s
			e.Emit(core.KindCluster, c.Name, "", "cluster %s: %s %q → %q", c.Name, ch.p.Name, old, ch.s)
			record = append(record, core.Text(ch.p.Name, ch.s))
			continue
		}
		old := ch.p.get(c)
		ch.p.set(c, ch.n)
		e.Emit(core.KindCluster, c.Name, "", "cluster %s: %s %d → %d%s", c.Name, ch.p.Name, old, ch.n, c.propertyEffect(ch.p))
		record = append(record, core.Int(ch.p.Name, ch.n))
		if ch.p.node { // the node an ID names here, for a script run where IDs may differ
			name := ""
			if n := c.nodeByID(int(ch.n)); n != nil {
				name = n.Name
			}
			record = append(record, core.Text(PropertyNodeSetting, name))
		}
	}
	e.afterPropertiesChanged(c)
	e.RecordChange("set_cluster_property", c.Name, "", record...)
	return nil
}

// propertyEffect says what a property now means, for its event.
func (c *Cluster) propertyEffect(p *clusterProperty) string {
	switch p.Name {
	case "SameSubnetDelay", "SameSubnetThreshold":
		return fmt.Sprintf(" (a node in the same subnet is Down after %s without heartbeats)", core.FormatDuration(c.HeartbeatTimeout()))
	case "CrossSubnetDelay", "CrossSubnetThreshold":
		return fmt.Sprintf(" (a node in another subnet is Down after %s without heartbeats)", core.FormatDuration(c.CrossSubnetTimeout()))
	}
	return ""
}

// afterPropertiesChanged lets the rules that read the properties act on
// the new values (dynamic quorum, the tie-breaker).
func (e *Engine) afterPropertiesChanged(c *Cluster) {
	e.adjustVotes(c, "cluster properties changed", nil)
}

// unknownProperty refuses a name set_cluster_property does not know,
// suggesting the PowerShell name (also for its snake-case attribute).
func unknownProperty(name string) error {
	names := make([]string, len(clusterProperties))
	for i, p := range clusterProperties {
		names[i] = p.Name
		if strings.EqualFold(p.Attr, name) || strings.EqualFold(p.Name, name) {
			return core.Errf(core.ErrNotFound, "no cluster property named %q; the property is %s (cluster.%s reads it)", name, p.Name, p.Attr)
		}
	}
	return core.NotFound("cluster property", name, names)
}

// CrossSubnetTimeout is how long a node reached only across subnets may
// be silent before it is Down.
func (c *Cluster) CrossSubnetTimeout() int64 {
	if !c.profile().properties {
		return c.HeartbeatTimeout()
	}
	return c.CrossSubnetDelay * int64(c.CrossSubnetThreshold)
}

// upgrade fills in what a state file written before the properties
// existed lacks: on a cluster of 2008 or later their defaults (such a file
// has no cross_subnet_delay_ms, which every later file has), keeping the
// heartbeat settings it holds.
func (c *Cluster) upgrade() {
	if p := c.profile(); p.properties && c.CrossSubnetDelay == 0 {
		interval, misses := c.HeartbeatInterval, c.HeartbeatMisses
		c.setDefaultProperties()
		c.HeartbeatInterval, c.HeartbeatMisses = interval, misses
	}
}

// validateProperties refuses loaded properties the version does not have
// or out of their range.
func (c *Cluster) validateProperties(at func(...any) string) error {
	for j, n := range c.Nodes {
		if !slices.Contains([]string{"", StartForceQuorum, StartPreventQuorum}, n.StartMode) {
			return core.BadField(at("nodes", j, "start_mode"), "node %s has start mode %q; start modes are force_quorum and prevent_quorum", n.Name, n.StartMode)
		}
		if (n.NoVote || n.VoteRemoved) && !c.countsVotes() {
			return core.BadField(at("nodes", j, "no_vote"), "node %s has its vote changed, but cluster %s uses quorum model %s, which counts no votes", n.Name, c.Name, c.QuorumModel)
		}
	}
	if (c.WitnessVoteRemoved && !c.hasWitness()) || (c.ForceQuorum && !c.countsVotes()) {
		return core.BadField(at("quorum_model"), "cluster %s records a witness vote or a forced quorum, which its quorum model %s does not have", c.Name, c.QuorumModel)
	}
	pr := c.profile()
	for _, p := range clusterProperties {
		key := p.member
		if key == "" {
			key = p.Attr
		}
		has := p.has(pr)
		switch {
		case p.Name == "SameSubnetDelay" || p.Name == "SameSubnetThreshold":
			if !has {
				continue // the 2003 heartbeat settings, checked with the cluster
			}
		case p.text:
			if !has && *p.str(c) != "" {
				return core.BadField(at(key), "cluster %s runs %s, which has no %s; leave it out", c.Name, core.VersionName(c.Version), p.Name)
			}
			continue
		case !has:
			if p.get(c) != 0 {
				return core.BadField(at(key), "cluster %s runs %s, which has no %s; leave it out", c.Name, core.VersionName(c.Version), p.Name)
			}
			continue
		}
		if v, hi := p.get(c), p.hi(pr); v < p.lo || v > hi {
			return core.BadField(at(key), "cluster %s has %s %d; on %s it is %d to %d", c.Name, p.Name, v, core.VersionName(c.Version), p.lo, hi)
		}
		if p.node && p.get(c) != 0 && c.nodeByID(int(p.get(c))) == nil {
			return core.BadField(at(key), "cluster %s has %s %d, which names none of its nodes", c.Name, p.Name, p.get(c))
		}
	}
	return nil
}

// DefaultProperties are the properties a version has, with the values a
// new cluster of that version starts with, in ClusterProperties' order
// (an export writes only what differs from them).
func DefaultProperties(version string) []PropertySetting {
	c := &Cluster{Version: version}
	c.setDefaultProperties()
	var out []PropertySetting
	for _, p := range clusterProperties {
		if v, ok := c.Property(p.Attr); ok {
			out = append(out, PropertySetting{Name: p.Name, Value: v})
		}
	}
	return out
}
