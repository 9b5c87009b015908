package export

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/nlb"
	"clusterscript/runtime/sim"
)

// The configuration model: what an administrator configures on the
// clusters, without their running state. It starts as the world a run
// started from (or empty) and takes each change in turn, so a translation
// always knows the configuration before and after a change: what
// cluster.exe must remove, what Pacemaker constraints must change. For
// --all it is read from the world a run left.

type model struct {
	clusters []*cluster
	nlbs     []*nlbCluster
	disks    map[string]disk // by core.Key(label)
	// byName finds a cluster or an NLB cluster by core.Key(name): a
	// translation looks one up for every change.
	byName    map[string]*cluster
	nlbByName map[string]*nlbCluster
	seq       int // the last group sequence number given out
}

type disk struct{ label, letter, signature string }

type cluster struct {
	name, version, domain, ip, mask, network, account string
	// quorum is the model ("disk", "majority", "local"; from 2008 a
	// set_quorum mode) and quorumResource its resource, which holds
	// witness: a disk's label, a share's path, a storage account.
	quorum, quorumResource, witness string
	nodes                           []string
	groups                          []*group
	// props are the cluster properties that differ from the version's
	// defaults, in mscs.ClusterProperties' order; lowPriorityNode is the
	// node LowerQuorumPriorityNodeID names.
	props           []core.Setting
	lowPriorityNode string
	noVote          []string          // nodes with NodeWeight 0
	sites           map[string]string // node → site (set_site)

	// Indexes by core.Key(name), kept by addGroup, addResource and
	// drop…: a change names its group or resource, and a cluster of
	// 8,000 groups is not searched for each of its 48,000 changes.
	groupIdx map[string]*group
	resIdx   map[string]*group   // a resource's group
	classes  map[string][]*group // anti-affinity class → its groups, by seq
}

type group struct {
	seq               int // creation order in the model: groups stay in seq order
	name, description string
	preferred         []string
	policy            policy
	resources         []*resource
	priority          string   // set_group_priority: "high", "low", "no_auto_start"; "" medium
	antiAffinity      []string // AntiAffinityClassNames
}

type policy struct {
	threshold, period      int64
	failback               string
	windowStart, windowEnd int64
}

// autoFailback is the policy's failback as Windows stores it:
// AutoFailbackType (0 prevent, 1 allow) and FailbackWindowStart and
// FailbackWindowEnd (-1 for no window).
func (p policy) autoFailback() (auto int, start, end int64) {
	switch p.failback {
	case mscs.FailbackImmediate:
		return 1, -1, -1
	case mscs.FailbackWindow:
		return 1, p.windowStart, p.windowEnd
	}
	return 0, -1, -1
}

type resource struct {
	name, typ, description string
	possible               []string // nil: every node
	deps                   []string
	params                 map[string]string
	restart                restart
}

type restart struct {
	restart, affectGroup           bool
	threshold, period, retryPeriod int64 // periods in seconds
}

type nlbCluster struct {
	name, ip, mask, mode string
	hosts                []nlbHost
	rules                []nlbRule
}

type nlbHost struct {
	server, adapter, dedicatedIP, mask, initialState string
	priority                                         int64
}

type nlbRule struct {
	clusterIP, protocol, filtering, affinity string
	start, end                               int64
	loadWeights, priorities                  []core.Pair
}

// newModel reads the configuration of a world (nil: an empty world).
func newModel(w *sim.World) *model {
	m := &model{disks: map[string]disk{}, byName: map[string]*cluster{}, nlbByName: map[string]*nlbCluster{}}
	if w == nil {
		return m
	}
	for _, d := range w.Disks {
		m.disks[core.Key(d.Label)] = disk{d.Label, d.Letter, d.Signature}
	}
	for _, c := range w.MSCS.Clusters {
		mc := &cluster{name: c.Name, version: c.Version, domain: c.Domain, ip: c.IP, mask: c.Mask, account: c.Account,
			quorum: c.QuorumModel, quorumResource: c.Quorum, nodes: c.NodeNames()}
		m.addCluster(mc)
		for _, n := range c.Nodes {
			if n.NoVote {
				mc.noVote = append(mc.noVote, n.Name)
			}
			if n.Site != "" {
				if mc.sites == nil {
					mc.sites = map[string]string{}
				}
				mc.sites[core.Key(n.Name)] = n.Site
			}
		}
		for _, d := range mscs.DefaultProperties(c.Version) {
			v, _ := c.Property(attrOf(d.Name))
			if v != d.Value {
				mc.setProperty(propertySetting(d.Name, v))
			}
		}
		if id := c.LowerQuorumPriorityNodeID; id > 0 && id <= len(c.Nodes) {
			mc.lowPriorityNode = c.Nodes[id-1].Name
		}
		for _, g := range c.Groups {
			mg := &group{name: g.Name, description: g.Description, preferred: slices.Clone(g.PreferredOwners),
				policy:   policy{int64(g.FailoverThreshold), int64(g.FailoverPeriod), g.Failback, int64(g.WindowStart), int64(g.WindowEnd)},
				priority: g.Priority, antiAffinity: slices.Clone(g.AntiAffinityClassNames)}
			for _, r := range g.Resources {
				mr := &resource{name: r.Name, typ: r.Type, description: r.Description, possible: slices.Clone(r.PossibleOwners),
					deps: slices.Clone(r.Dependencies), params: maps.Clone(r.StoredParams()),
					restart: restart{r.Restart, r.AffectGroup, int64(r.RestartThreshold), int64(r.RestartPeriod), int64(r.RetryPeriodOnFailure())}}
				if r.Type == mscs.TypeMajorityNodeSet || r.Type == mscs.TypeLocalQuorum {
					mc.quorumResource = r.Name
				}
				if r.Name == c.Quorum {
					mc.witness = witnessOf(r.Type, r.Params)
				}
				if g.Name == "Cluster Group" && r.Name == "Cluster IP Address" {
					mc.network = r.Params["network"]
				}
				mg.resources = append(mg.resources, mr)
			}
			m.addGroup(mc, mg)
		}
	}
	for _, c := range w.NLB.Clusters {
		mc := &nlbCluster{name: c.Name, ip: c.IP, mask: c.Mask, mode: c.Mode}
		for _, h := range c.Hosts {
			mc.hosts = append(mc.hosts, nlbHost{h.Server, h.Adapter, h.DedicatedIP, h.Mask, h.InitialState, int64(h.Priority)})
		}
		for _, r := range c.Rules {
			mc.rules = append(mc.rules, nlbRule{clusterIP: r.ClusterIP, protocol: r.Protocol, filtering: r.Filtering, affinity: r.Affinity,
				start: int64(r.Start), end: int64(r.End), loadWeights: hostPairs(r.LoadWeights), priorities: hostPairs(r.HandlingPriorities)})
		}
		m.addNLB(mc)
	}
	return m
}

// has reports whether a server cluster of the model holds a resource of
// type typ.
func (m *model) has(typ string) bool {
	for _, c := range m.clusters {
		for _, g := range c.groups {
			for _, r := range g.resources {
				if r.typ == typ {
					return true
				}
			}
		}
	}
	return false
}

// keep drops every server and NLB cluster but the one named.
func (m *model) keep(name string) {
	m.clusters = slices.DeleteFunc(m.clusters, func(c *cluster) bool { return !strings.EqualFold(c.name, name) })
	m.nlbs = slices.DeleteFunc(m.nlbs, func(n *nlbCluster) bool { return !strings.EqualFold(n.name, name) })
	for k, c := range m.byName {
		if !strings.EqualFold(c.name, name) {
			delete(m.byName, k)
		}
	}
	for k, n := range m.nlbByName {
		if !strings.EqualFold(n.name, name) {
			delete(m.nlbByName, k)
		}
	}
}

// clusterNames lists the server and NLB clusters, for errors: "none" when
// there is none.
func (m *model) clusterNames() string {
	var names []string
	for _, c := range m.clusters {
		names = append(names, c.name)
	}
	for _, n := range m.nlbs {
		names = append(names, n.name+" (NLB)")
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

func (m *model) addCluster(c *cluster) {
	c.groupIdx, c.resIdx = map[string]*group{}, map[string]*group{}
	m.clusters = append(m.clusters, c)
	m.byName[core.Key(c.name)] = c
}

func (m *model) addNLB(n *nlbCluster) {
	m.nlbs = append(m.nlbs, n)
	m.nlbByName[core.Key(n.name)] = n
}

// addGroup appends a group, with the resources it holds, to a cluster.
func (m *model) addGroup(c *cluster, g *group) {
	m.seq++
	g.seq = m.seq
	c.groups = append(c.groups, g)
	c.groupIdx[core.Key(g.name)] = g
	for _, r := range g.resources {
		c.resIdx[core.Key(r.name)] = g
	}
	c.classify(g, nil)
}

// addResource appends a resource to a group.
func (c *cluster) addResource(g *group, r *resource) {
	g.resources = append(g.resources, r)
	c.resIdx[core.Key(r.name)] = g
}

// dropResources removes the named resources from their group.
func (c *cluster) dropResources(g *group, names []string) {
	g.resources = slices.DeleteFunc(slices.Clone(g.resources), func(r *resource) bool {
		if core.ContainsFold(names, r.name) {
			delete(c.resIdx, core.Key(r.name))
			return true
		}
		return false
	})
}

// dropGroup removes a group and its resources.
func (c *cluster) dropGroup(g *group) {
	for _, r := range g.resources {
		delete(c.resIdx, core.Key(r.name))
	}
	delete(c.groupIdx, core.Key(g.name))
	c.classify(g, g.antiAffinity)
	c.groups = slices.DeleteFunc(slices.Clone(c.groups), func(o *group) bool { return o == g })
}

// classify moves a group out of the anti-affinity classes it was in
// (was) and into those it is in now (none once it is dropped).
func (c *cluster) classify(g *group, was []string) {
	for _, name := range was {
		k := core.Key(name)
		c.classes[k] = slices.DeleteFunc(slices.Clone(c.classes[k]), func(o *group) bool { return o == g })
		if len(c.classes[k]) == 0 {
			delete(c.classes, k)
		}
	}
	if c.groupIdx[core.Key(g.name)] != g {
		return
	}
	for _, name := range g.antiAffinity {
		k := core.Key(name)
		if slices.Contains(c.classes[k], g) {
			continue
		}
		if c.classes == nil {
			c.classes = map[string][]*group{}
		}
		i, _ := slices.BinarySearchFunc(c.classes[k], g.seq, func(o *group, seq int) int { return o.seq - seq })
		c.classes[k] = slices.Insert(slices.Clone(c.classes[k]), i, g)
	}
}

// witnessOf is what a witness resource holds: a disk's label, a share's
// path, a storage account.
func witnessOf(typ string, params map[string]string) string {
	switch typ {
	case mscs.TypePhysicalDisk:
		return params["disk"]
	case mscs.TypeFileShareWitness:
		return params["path"]
	case mscs.TypeCloudWitness:
		return params["account"]
	}
	return ""
}

// attrOf is a cluster property's attribute name ("SameSubnetDelay" →
// "same_subnet_delay").
func attrOf(name string) string {
	for _, p := range mscs.ClusterProperties() {
		if p.Name == name {
			return p.Attr
		}
	}
	return ""
}

// propertySetting makes the setting of a property value (an int64 or a
// string).
func propertySetting(name string, v any) core.Setting {
	if s, ok := v.(string); ok {
		return core.Text(name, s)
	}
	n, _ := v.(int64)
	return core.Int(name, n)
}

// isProperty reports whether a setting of a set_cluster_property change
// is a property (and not the node LowerQuorumPriorityNodeID names).
func isProperty(name string) bool { return attrOf(name) != "" }

// setProperty keeps a property value, or drops it when it is the
// version's default; props stay in mscs.ClusterProperties' order.
func (c *cluster) setProperty(f core.Setting) {
	props := slices.DeleteFunc(slices.Clone(c.props), func(p core.Setting) bool { return p.Name == f.Name })
	for _, d := range mscs.DefaultProperties(c.version) {
		if d.Name == f.Name && sameValue(propertySetting(d.Name, d.Value), f) {
			c.props = props
			return
		}
	}
	props = append(props, f)
	order := func(name string) int {
		return slices.IndexFunc(mscs.ClusterProperties(), func(p mscs.ClusterProperty) bool { return p.Name == name })
	}
	slices.SortStableFunc(props, func(a, b core.Setting) int { return order(a.Name) - order(b.Name) })
	c.props = props
}

// sameValue reports whether two property settings hold the same value.
func sameValue(a, b core.Setting) bool {
	return a.Kind == b.Kind && a.Text == b.Text && a.Int == b.Int
}

func hostPairs(hv []nlb.HostValue) []core.Pair {
	if hv == nil {
		return nil
	}
	out := make([]core.Pair, len(hv))
	for i, v := range hv {
		out[i] = core.Pair{Key: v.Host, Value: strconv.Itoa(v.Value)}
	}
	return out
}

func (m *model) cluster(name string) *cluster { return m.byName[core.Key(name)] }

func (m *model) nlb(name string) *nlbCluster { return m.nlbByName[core.Key(name)] }

func (c *cluster) group(name string) *group {
	if c == nil {
		return nil
	}
	return c.groupIdx[core.Key(name)]
}

// resource finds a resource and its group.
func (c *cluster) resource(name string) (*group, *resource) {
	if c == nil {
		return nil, nil
	}
	g := c.resIdx[core.Key(name)]
	if g == nil {
		return nil, nil
	}
	for _, r := range g.resources {
		if strings.EqualFold(r.name, name) {
			return g, r
		}
	}
	return nil, nil
}

// owners is the resource's possible owners: its list, or every node.
func (c *cluster) owners(r *resource) []string {
	if r.possible == nil {
		return c.nodes
	}
	return r.possible
}

func policyOf(ch core.Change) policy {
	return policy{ch.Int("threshold"), ch.Int("period"), ch.Text("failback"), ch.Int("window_start"), ch.Int("window_end")}
}

func restartOf(ch core.Change) restart {
	return restart{ch.Bool("restart"), ch.Bool("affect_group"), ch.Int("restart_threshold"), ch.Int("restart_period"), ch.Int("retry_period")}
}

func pairMap(ps []core.Pair) map[string]string {
	m := make(map[string]string, len(ps))
	for _, p := range ps {
		m[p.Key] = p.Value
	}
	return m
}

// A touch is what a change altered of the server clusters'
// configuration: nothing, one group of a cluster, or all of it (its
// nodes, quorum or properties). A disk's letter reaches every cluster's
// disk resources. Translations that keep a derived configuration (pcs)
// bring up to date only what a change touched.
type touch struct {
	cluster *cluster
	whole   bool
	disks   bool   // a disk changed: every cluster, whole
	group   string // core.Key of the group changed, a deleted one too
}

// apply takes one change into the model and says what it touched.
// Operations that change no configuration (bring_online, move_group,
// pause_node, …) and those the model does not hold leave it as it is.
func (m *model) apply(ch core.Change) (t touch) {
	c := m.cluster(ch.Target)
	t.cluster = c
	switch ch.Op {
	case "shared_disk", "format_disk":
		d := m.disks[core.Key(ch.Object)]
		d.label = ch.Object
		d.letter = ch.Text("letter")
		if ch.Has("signature") {
			d.signature = ch.Text("signature")
		}
		m.disks[core.Key(ch.Object)] = d
		t.disks = true
	case "create_cluster":
		c = &cluster{name: ch.Target, version: ch.Text("version"), domain: ch.Text("domain"), ip: ch.Text("ip"), mask: ch.Text("mask"),
			network: ch.Text("network"), account: ch.Text("account"), quorum: ch.Text("quorum"), nodes: []string{ch.Text("node")}}
		g := &group{name: "Cluster Group", description: "The cluster's core resources", policy: policyOf(ch)}
		rs := restartOf(ch)
		add := func(name, typ string, deps []string, params map[string]string) {
			g.resources = append(g.resources, &resource{name: name, typ: typ, deps: deps, params: params, restart: rs})
		}
		add("Cluster IP Address", mscs.TypeIPAddress, nil, map[string]string{"address": c.ip, "subnet_mask": c.mask, "network": c.network})
		add("Cluster Name", mscs.TypeNetworkName, []string{"Cluster IP Address"}, map[string]string{"name": c.name})
		switch c.quorum {
		case mscs.QuorumDisk, mscs.QuorumNodeAndDisk:
			c.quorumResource, c.witness = ch.Text("quorum_resource"), ch.Text("quorum_disk")
			add(c.quorumResource, mscs.TypePhysicalDisk, nil, map[string]string{"disk": ch.Text("quorum_disk")})
		case mscs.QuorumMajority:
			c.quorumResource = "Majority Node Set"
			add(c.quorumResource, mscs.TypeMajorityNodeSet, nil, map[string]string{})
		case mscs.QuorumLocal:
			c.quorumResource = "Local Quorum"
			add(c.quorumResource, mscs.TypeLocalQuorum, nil, map[string]string{})
		}
		m.addCluster(c)
		m.addGroup(c, g)
		t.cluster, t.whole = c, true
	case "add_node":
		for _, name := range ch.List("pinned") {
			if _, r := c.resource(name); r != nil {
				r.possible = slices.Clone(c.nodes)
			}
		}
		c.nodes = append(slices.Clone(c.nodes), ch.Object)
		slices.Sort(c.nodes)
		t.whole = true
	case "evict_node":
		c.nodes = core.RemoveFold(c.nodes, ch.Object)
		c.noVote = core.RemoveFold(c.noVote, ch.Object)
		if strings.EqualFold(c.lowPriorityNode, ch.Object) {
			c.lowPriorityNode = ""
			c.setProperty(core.Int("LowerQuorumPriorityNodeID", 0))
		}
		for _, g := range c.groups {
			g.preferred = core.RemoveFold(g.preferred, ch.Object)
			for _, r := range g.resources {
				if r.possible != nil {
					r.possible = core.RemoveFold(r.possible, ch.Object)
				}
			}
		}
		t.whole = true
	case "new_group":
		g := &group{name: ch.Object, description: ch.Text("description"), preferred: ch.List("preferred_owners"), policy: policyOf(ch)}
		m.addGroup(c, g)
		t.group = core.Key(g.name)
	case "new_resource":
		g := c.group(ch.Text("group"))
		r := &resource{name: ch.Object, typ: ch.Text("type"), description: ch.Text("description"), deps: ch.List("dependencies"),
			params: pairMap(ch.Pairs("params")), restart: restartOf(ch)}
		if ch.Has("possible_owners") {
			r.possible = ch.List("possible_owners")
		}
		c.addResource(g, r)
		for _, p := range ch.Pairs("creates") {
			c.addResource(g, &resource{name: p.Key, typ: p.Value, possible: slices.Clone(r.possible),
				deps: []string{r.name}, params: map[string]string{}, restart: r.restart})
		}
		t.group = core.Key(g.name)
	case "set_dependencies", "add_dependency", "remove_dependency":
		if g, r := c.resource(ch.Object); r != nil {
			r.deps = ch.List("dependencies")
			t.group = core.Key(g.name)
		}
	case "set_possible_owners":
		if g, r := c.resource(ch.Object); r != nil {
			r.possible = ch.List("possible_owners")
			t.group = core.Key(g.name)
		}
	case "set_preferred_owners":
		if g := c.group(ch.Object); g != nil {
			g.preferred = ch.List("preferred_owners")
			t.group = core.Key(g.name)
		}
	case "set_params":
		if g, r := c.resource(ch.Object); r != nil {
			r.params = maps.Clone(r.params)
			maps.Copy(r.params, pairMap(ch.Pairs("params")))
			t.group = core.Key(g.name)
		}
	case "failover_policy":
		if g := c.group(ch.Object); g != nil {
			g.policy = policyOf(ch)
			t.group = core.Key(g.name)
		}
	case "restart_policy":
		if g, r := c.resource(ch.Object); r != nil {
			r.restart = restartOf(ch)
			t.group = core.Key(g.name)
		}
	case "delete_resource":
		if g, _ := c.resource(ch.Object); g != nil {
			c.dropResources(g, append([]string{ch.Object}, ch.List("with")...))
			t.group = core.Key(g.name)
		}
	case "delete_group":
		if g := c.group(ch.Object); g != nil {
			c.dropGroup(g)
			t.group = core.Key(g.name)
		}
	case "set_quorum":
		m.applyQuorum(c, ch)
		t.whole = true
	case "set_cluster_property":
		for _, f := range ch.Settings {
			if isProperty(f.Name) {
				c.setProperty(f)
			}
		}
		if ch.Has(mscs.PropertyNodeSetting) {
			c.lowPriorityNode = ch.Text(mscs.PropertyNodeSetting)
		}
		t.whole = true
	case "set_node_vote":
		c.noVote = core.RemoveFold(c.noVote, ch.Object)
		if ch.Int("vote") == 0 {
			c.noVote = append(c.noVote, ch.Object)
			slices.Sort(c.noVote)
		}
	case "set_group_priority":
		if g := c.group(ch.Object); g != nil {
			g.priority = ch.Text("priority")
			if g.priority == "medium" {
				g.priority = ""
			}
			t.group = core.Key(g.name)
		}
	case "set_anti_affinity":
		if g := c.group(ch.Object); g != nil {
			was := g.antiAffinity
			g.antiAffinity = ch.List("class_names")
			c.classify(g, was)
			t.group = core.Key(g.name)
		}
	case "set_site":
		sites := maps.Clone(c.sites)
		if sites == nil {
			sites = map[string]string{}
		}
		if s := ch.Text("site"); s != "" {
			sites[core.Key(ch.Object)] = s
		} else {
			delete(sites, core.Key(ch.Object))
		}
		c.sites = sites
	case "create_nlb_cluster":
		m.addNLB(&nlbCluster{name: ch.Target, ip: ch.Text("ip"), mask: ch.Text("mask"), mode: ch.Text("mode"),
			rules: []nlbRule{{clusterIP: "all", protocol: "both", filtering: "multiple", affinity: "single", start: 0, end: 65535}}})
	case "nlb_add_host":
		n := m.nlb(ch.Target)
		n.hosts = append(n.hosts, nlbHost{ch.Object, ch.Text("adapter"), ch.Text("dedicated_ip"), ch.Text("mask"), ch.Text("initial_state"), ch.Int("priority")})
	case "nlb_port_rule":
		n := m.nlb(ch.Target)
		n.rules = append(slices.Clone(n.rules), ruleOf(ch))
		sortRules(n.rules)
	case "nlb_remove_port_rule":
		n := m.nlb(ch.Target)
		n.rules = slices.DeleteFunc(slices.Clone(n.rules), func(r nlbRule) bool { return r.sameRule(ruleOf(ch)) })
	}
	return t
}

// hasSite reports whether a node of the cluster is in site.
func (c *cluster) hasSite(site string) bool {
	for _, s := range c.sites {
		if strings.EqualFold(s, site) {
			return true
		}
	}
	return false
}

// applyQuorum takes a set_quorum change: the witness resources it deleted
// go, the new witness joins the Cluster Group (a disk the group held
// already stays as it was).
func (m *model) applyQuorum(c *cluster, ch core.Change) {
	g := c.group("Cluster Group")
	if g == nil {
		return
	}
	c.dropResources(g, ch.List("removed"))
	c.quorum, c.quorumResource, c.witness = ch.Text("mode"), ch.Text("witness_resource"), ch.Text("witness")
	if c.quorumResource == "" || ch.Bool("reused") {
		return
	}
	r := &resource{name: c.quorumResource, params: map[string]string{}, restart: defaultRestart(c.version)}
	switch ch.Text("mode") {
	case mscs.QuorumNodeAndDisk, mscs.QuorumDiskOnly:
		r.typ, r.params["disk"] = mscs.TypePhysicalDisk, c.witness
	case mscs.QuorumNodeAndShare:
		r.typ, r.params["path"] = mscs.TypeFileShareWitness, c.witness
	case mscs.QuorumCloudWitness:
		r.typ, r.params["account"] = mscs.TypeCloudWitness, c.witness
	}
	c.addResource(g, r)
}

// defaultPolicy and defaultRestart are a version's defaults for a new
// group and a new resource: Windows Server 2003's, or from 2008 nodes − 1
// failovers and one restart.
func defaultPolicy(version string) policy {
	if version == "2003" {
		return cmdGroupDefault
	}
	return psGroupDefault
}

func defaultRestart(version string) restart {
	if version == "2003" {
		return cmdRestartDefault
	}
	return psRestartDefault
}

// sortRules orders port rules as NLB lists them: by first port, then
// protocol (tcp, udp, both), then cluster IP.
func sortRules(rules []nlbRule) {
	order := map[string]int{"tcp": 0, "udp": 1, "both": 2}
	slices.SortStableFunc(rules, func(a, b nlbRule) int {
		if a.start != b.start {
			return int(a.start - b.start)
		}
		if a.protocol != b.protocol {
			return order[a.protocol] - order[b.protocol]
		}
		return strings.Compare(a.clusterIP, b.clusterIP)
	})
}

func ruleOf(ch core.Change) nlbRule {
	r := nlbRule{clusterIP: ch.Text("cluster_ip"), protocol: ch.Text("protocol"), filtering: ch.Text("filtering"), affinity: ch.Text("affinity"),
		start: ch.Int("start"), end: ch.Int("end")}
	if ch.Has("load_weights") {
		r.loadWeights = ch.Pairs("load_weights")
	}
	if ch.Has("handling_priorities") {
		r.priorities = ch.Pairs("handling_priorities")
	}
	return r
}

func (r nlbRule) sameRule(o nlbRule) bool {
	return r.clusterIP == o.clusterIP && r.start == o.start && r.end == o.end && r.protocol == o.protocol
}

func (n *nlbCluster) host(server string) (nlbHost, bool) {
	for _, h := range n.hosts {
		if strings.EqualFold(h.server, server) {
			return h, true
		}
	}
	return nlbHost{}, false
}
