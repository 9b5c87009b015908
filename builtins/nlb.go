package builtins

import (
	"fmt"
	"strconv"

	"clusterscript/lang"
	"clusterscript/runtime/nlb"
	"clusterscript/runtime/sim"

	"go.starlark.net/starlark"
)

var (
	nlbKind = newKind("NlbCluster", "a Network Load Balancing cluster, from create_nlb_cluster() or get_nlb()", attrs(
		"ip", "the cluster IP address",
		"mask", "its subnet mask",
		"name", "the cluster's full Internet name",
		"mode", "\"unicast\", \"multicast\" or \"igmp\"",
		"mac", "the cluster MAC address its mode derives from the IP",
		"hosts", "the hosts' server names, sorted",
		"port_rules", "its port rules, as PortRule values",
		"default_host", "the host that takes traffic no rule covers, or None",
		"converging", "whether the hosts are converging now",
		"connections", "its open TCP connections, as Connection values"),
		nlbAttr, nlbStr)
	nlbHostKind = newKind("NlbHost", "a host of an NLB cluster, from nlb_add_host() or nlb_host()", attrs(
		"name", "its server's name",
		"priority", "its unique host priority, 1–32",
		"state", "as nlb_query says: \"Converged\", \"Converging\", \"Draining\", \"Stopped\", \"Suspended\", …; \"Unknown\" while its server is down",
		"cluster", "the name of its NLB cluster",
		"adapter", "the adapter bound to the cluster",
		"dedicated_ip", "its own address on that adapter",
		"initial_state", "\"started\", \"stopped\" or \"suspended\" when its server boots",
		"connections", "its open TCP connections, as Connection values"),
		nlbHostAttr, nlbHostStr)
	portRuleKind = newKind("PortRule", "a port rule of an NLB cluster, read from NlbCluster.port_rules", attrs(
		"cluster_ip", "the cluster IP it applies to, or \"all\"",
		"start", "the first port",
		"end", "the last port",
		"protocol", "\"tcp\", \"udp\" or \"both\"",
		"filtering", "\"multiple\", \"single\" or \"disabled\"",
		"affinity", "\"none\", \"single\" or \"network\"",
		"load_weights", "host → load weight for multiple-host filtering with set weights, else None",
		"handling_priorities", "host → handling priority for single-host filtering, else None",
		"buckets", "host → the number of hash buckets it owns",
		"host_states", "host → \"enabled\", \"disabled\" or \"draining\" for this rule"),
		portRuleAttr, portRuleStr)

	// connType documents connValue.
	connType = &lang.Type{Name: "Connection", Summary: "a client connection or datagram, from nlb_connect() or NlbCluster.connections", Attrs: attrs(
		"client", "the client's address",
		"client_port", "the client's port",
		"cluster_ip", "the cluster IP it was sent to",
		"host", "the host that accepted it",
		"id", "the connection's number, or None for a UDP datagram",
		"open", "whether the TCP connection is still open",
		"port", "the server port",
		"protocol", "\"tcp\" or \"udp\"")}
)

const nlbTopic = "nlb"

// The protocol of a port rule, and of one packet or connection.
var (
	ruleProtocol        = oneOf("protocol", nlb.Protocols...)
	ruleProtocolEnums   = map[string]*lang.Enum{"protocol": ruleProtocol}
	packetProtocolEnums = map[string]*lang.Enum{"protocol": oneOf("protocol", nlb.PacketProtocols...)}
)

// NLBBuiltins are the builtins of Network Load Balancing.
var NLBBuiltins = []lang.Builtin{
	{Name: "create_nlb_cluster", Params: `(ip, mask, name, mode="unicast")`, Topic: nlbTopic, Fn: createNLBFn,
		Enums:   map[string]*lang.Enum{"mode": oneOf("NLB operation mode", nlb.Modes...)},
		Summary: `creates an NLB cluster with the default port rule; mode "unicast", "multicast" or "igmp"`,
		Doc: "name is the cluster's full Internet name, e.g. \"owa.corp.example.com\". nlb.mac derives from the cluster IP w.x.y.z: " +
			"unicast 02-BF-w-x-y-z, multicast 03-BF-w-x-y-z, IGMP 01-00-5E-7F-y-z. The default rule covers ports 0–65535, both protocols, " +
			"multiple hosts, single affinity, equal load."},
	{Name: "nlb_add_host", Params: `(nlb, server, adapter, priority, dedicated_ip, mask, initial_state="started")`, Topic: nlbTopic, Fn: nlbAddHostFn,
		Enums:   map[string]*lang.Enum{"initial_state": oneOf("initial host state", nlb.InitialStates...)},
		Summary: "binds a server's adapter to an NLB cluster as a host with a unique priority 1–32",
		Doc: "The adapter's own address must be dedicated_ip and the cluster IP must be bound on it as an extra address " +
			"(configure_tcpip(..., extra_ips=[cluster_ip])). A server-cluster node cannot be an NLB host. initial_state: " +
			"\"started\" (joins at once and converges), \"stopped\" or \"suspended\"; it applies again whenever the server boots."},
	{Name: "nlb_host", Params: "(nlb, name)", Topic: nlbTopic, Fn: nlbHostFn,
		Summary: "looks up a host of an NLB cluster by its server's name"},
	{Name: "get_nlb", Params: "(name)", Topic: nlbTopic, Fn: getNLBFn,
		Summary: "looks up an NLB cluster by name or cluster IP"},
	{Name: "nlb_port_rule", Params: `(nlb, start=0, end=65535, protocol="both", filtering="multiple", affinity="single", cluster_ip="all", load_weights=None, handling_priorities=None)`, Topic: nlbTopic, Fn: nlbPortRuleFn,
		Enums:   map[string]*lang.Enum{"protocol": ruleProtocol, "filtering": oneOf("filtering mode", nlb.Filterings...), "affinity": oneOf("affinity", nlb.Affinities...)},
		Summary: "adds a port rule; the cluster converges on it",
		Doc: "protocol \"tcp\", \"udp\", \"both\"; filtering \"multiple\", \"single\", \"disabled\"; affinity \"none\", \"single\", \"network\". " +
			"load_weights (multiple only): host → 0–100, hosts not listed weigh 50; None means equal load. handling_priorities (single only): " +
			"host → unique 1–32; None means host priority order. At most 32 rules; a rule may not overlap another of the same cluster IP " +
			"and a shared protocol. Rules for a specific cluster IP take precedence over \"all\". A new rule takes traffic once the cluster converges."},
	{Name: "nlb_remove_port_rule", Params: "(nlb, port, protocol=None, cluster_ip=None)", Topic: nlbTopic, Fn: nlbRemovePortRuleFn, Enums: ruleProtocolEnums,
		Summary: "removes the port rule that contains port",
		Doc:     "When several rules contain the port, protocol= or cluster_ip= says which. Open connections stay on their hosts."},
	{Name: "nlb_start", Params: "(host)", Topic: nlbTopic, Fn: nlbControlFn((*nlb.Engine).Start),
		Summary: "starts cluster operations on a host (wlbs start); ends a drainstop in progress",
		Doc:     "The host takes traffic once the cluster has converged with it, 3 s later."},
	{Name: "nlb_stop", Params: "(host)", Topic: nlbTopic, Fn: nlbControlFn((*nlb.Engine).Stop),
		Summary: "stops cluster operations on a host at once, dropping its connections (wlbs stop)",
		Doc:     "The other hosts notice the silence after 5 missed heartbeats and converge 3 s later; until then its buckets drop traffic."},
	{Name: "nlb_drainstop", Params: "(host)", Topic: nlbTopic, Fn: nlbControlFn((*nlb.Engine).DrainStop),
		Summary: "a host takes no new connections, serves its open ones, and stops when the last closes (wlbs drainstop)"},
	{Name: "nlb_suspend", Params: "(host)", Topic: nlbTopic, Fn: nlbControlFn((*nlb.Engine).Suspend),
		Summary: "suspends cluster operations on a host; it then refuses every command but nlb_resume"},
	{Name: "nlb_resume", Params: "(host)", Topic: nlbTopic, Fn: nlbControlFn((*nlb.Engine).Resume),
		Summary: "lets a suspended host take commands again; it stays stopped until nlb_start"},
	{Name: "nlb_enable", Params: "(host, port, protocol=None, cluster_ip=None)", Topic: nlbTopic, Fn: nlbRuleStateFn(nlb.RuleEnabled), Enums: ruleProtocolEnums,
		Summary: "a host handles the rule containing port again (wlbs enable)"},
	{Name: "nlb_disable", Params: "(host, port, protocol=None, cluster_ip=None)", Topic: nlbTopic, Fn: nlbRuleStateFn(nlb.RuleDisabled), Enums: ruleProtocolEnums,
		Summary: "a host handles none of the rule containing port, dropping its connections of that rule (wlbs disable)"},
	{Name: "nlb_drain", Params: "(host, port, protocol=None, cluster_ip=None)", Topic: nlbTopic, Fn: nlbRuleStateFn(nlb.RuleDraining), Enums: ruleProtocolEnums,
		Summary: "a host takes no new connections for the rule containing port; open ones continue (wlbs drain)"},
	{Name: "nlb_query", Params: "(nlb)", Topic: nlbTopic, Fn: nlbQueryFn,
		Summary: `host name → "Converged", "Converged as DEFAULT", "Converging", "Draining", "Stopped" or "Suspended"`,
		Doc:     "A host whose server is down does not answer and is absent."},
	{Name: "nlb_connect", Params: `(nlb, client, port=80, protocol="tcp", client_port=None, cluster_ip=None)`, Topic: nlbTopic, Fn: nlbConnectFn, Enums: packetProtocolEnums,
		Summary: "a client opens a connection (or sends a UDP datagram); returns the Connection, or None when dropped",
		Doc: "Without client_port the client uses the lowest port from 1025 it has free. A TCP connection stays on its host through " +
			"convergence until nlb_close, or until its host stops, crashes or disables the rule. UDP is balanced per datagram and never stays open."},
	{Name: "nlb_close", Params: "(conn)", Topic: nlbTopic, Fn: nlbCloseFn,
		Summary: "closes an open TCP connection; a draining host stops when its last one closes"},
	{Name: "nlb_route", Params: `(nlb, client, port=80, protocol="tcp", client_port=None, cluster_ip=None)`, Topic: nlbTopic, Fn: nlbRouteFn, Enums: packetProtocolEnums,
		Summary: "the host that would accept that packet now, or None when it would be dropped; opens nothing"},
	{Name: "nlb_load", Params: `(nlb, clients, port=80, protocol="tcp", seed=0, cluster_ip=None)`, Topic: nlbTopic, Fn: nlbLoadFn, Enums: packetProtocolEnums,
		Summary: `sends one new connection from each of clients seeded clients; returns host name → count, plus "dropped"`,
		Doc:     "Clients are 10.x.y.z addresses with ports 1025–5000 drawn from splitmix64 seeded with seed (docs/nlb.md); the connections are short and none stays open."},
}

// ---- handles ----

func nlbValue(w *sim.World, c *nlb.Cluster) *Object {
	return &Object{kind: nlbKind, name: c.Name, w: w}
}
func nlbHostValue(w *sim.World, c *nlb.Cluster, h *nlb.Host) *Object {
	return &Object{kind: nlbHostKind, scope: c.Name, name: h.Server, w: w}
}
func portRuleValue(w *sim.World, c *nlb.Cluster, r *nlb.PortRule) *Object {
	return &Object{kind: portRuleKind, scope: c.Name, name: strconv.Itoa(r.ID), w: w}
}

func nlbStr(o *Object) string {
	c, err := o.w.NLB.Cluster(o.name)
	if err != nil {
		return fmt.Sprintf("<nlb %s (gone)>", o.name)
	}
	return fmt.Sprintf("<nlb %s %s %s>", c.Name, c.IP, c.Mode)
}

func nlbAttr(o *Object, name string) (starlark.Value, error) {
	c, err := o.w.NLB.Cluster(o.name)
	if err != nil {
		return nil, err
	}
	switch name {
	case "ip":
		return str(c.IP), nil
	case "mask":
		return str(c.Mask), nil
	case "name":
		return str(c.Name), nil
	case "mode":
		return str(c.Mode), nil
	case "mac":
		return str(c.MAC()), nil
	case "hosts":
		names := make([]string, len(c.Hosts))
		for i, h := range c.Hosts {
			names[i] = h.Server
		}
		return sortedStrList(names), nil
	case "port_rules":
		vs := make([]starlark.Value, len(c.Rules))
		for i, r := range c.Rules {
			vs[i] = portRuleValue(o.w, c, r)
		}
		return starlark.NewList(vs), nil
	case "default_host":
		return strOrNone(o.w.NLB.DefaultHost(c)), nil
	case "converging":
		return starlark.Bool(c.Converging), nil
	case "connections":
		return connList(o.w, c, ""), nil
	}
	return nil, nil
}

func connList(w *sim.World, c *nlb.Cluster, host string) *starlark.List {
	var vs []starlark.Value
	for _, k := range c.Connections {
		if host == "" || k.Host == host {
			vs = append(vs, &connValue{w: w, cluster: c.Name, k: *k, protocol: "tcp"})
		}
	}
	return starlark.NewList(vs)
}

func nlbHostLookup(o *Object) (*nlb.Cluster, *nlb.Host, error) {
	return o.w.NLB.Host(o.scope, o.name)
}

func nlbHostStr(o *Object) string {
	c, h, err := nlbHostLookup(o)
	if err != nil {
		return fmt.Sprintf("<nlb host %s (gone)>", o.name)
	}
	return fmt.Sprintf("<nlb host %s priority %d %s>", h.Server, h.Priority, o.w.NLB.HostState(c, h))
}

func nlbHostAttr(o *Object, name string) (starlark.Value, error) {
	c, h, err := nlbHostLookup(o)
	if err != nil {
		return nil, err
	}
	switch name {
	case "name":
		return str(h.Server), nil
	case "priority":
		return starlark.MakeInt(h.Priority), nil
	case "state":
		return str(o.w.NLB.HostState(c, h)), nil
	case "cluster":
		return str(c.Name), nil
	case "adapter":
		return str(h.Adapter), nil
	case "dedicated_ip":
		return str(h.DedicatedIP), nil
	case "initial_state":
		return str(h.InitialState), nil
	case "connections":
		return connList(o.w, c, h.Server), nil
	}
	return nil, nil
}

func portRuleLookup(o *Object) (*nlb.Cluster, *nlb.PortRule, error) {
	c, err := o.w.NLB.Cluster(o.scope)
	if err != nil {
		return nil, nil, err
	}
	id, _ := strconv.Atoi(o.name)
	r := c.Rule(id)
	if r == nil {
		return nil, nil, fmt.Errorf("this port rule was removed from NLB cluster %s", c.Name)
	}
	return c, r, nil
}

func portRuleStr(o *Object) string {
	_, r, err := portRuleLookup(o)
	if err != nil {
		return "<port rule (removed)>"
	}
	switch r.Filtering {
	case "multiple":
		return fmt.Sprintf("<port rule %s multiple affinity %s>", r.Describe(), r.Affinity)
	}
	return fmt.Sprintf("<port rule %s %s>", r.Describe(), r.Filtering)
}

func hostValueDict(hvs []nlb.HostValue) *starlark.Dict {
	d := starlark.NewDict(len(hvs))
	for _, hv := range hvs {
		_ = d.SetKey(str(hv.Host), starlark.MakeInt(hv.Value))
	}
	return d
}

func portRuleAttr(o *Object, name string) (starlark.Value, error) {
	c, r, err := portRuleLookup(o)
	if err != nil {
		return nil, err
	}
	switch name {
	case "cluster_ip":
		return str(r.ClusterIP), nil
	case "start":
		return starlark.MakeInt(r.Start), nil
	case "end":
		return starlark.MakeInt(r.End), nil
	case "protocol":
		return str(r.Protocol), nil
	case "filtering":
		return str(r.Filtering), nil
	case "affinity":
		return str(r.Affinity), nil
	case "load_weights":
		if r.Filtering != "multiple" || r.LoadWeights == nil {
			return starlark.None, nil
		}
		var hvs []nlb.HostValue
		for _, h := range c.Hosts {
			hvs = append(hvs, nlb.HostValue{Host: h.Server, Value: r.Weight(h.Server)})
		}
		return hostValueDict(sortHostValues(hvs)), nil
	case "handling_priorities":
		if r.Filtering != "single" {
			return starlark.None, nil
		}
		return hostValueDict(c.HandlingPriorities(r)), nil
	case "buckets":
		return hostValueDict(c.BucketCounts(r)), nil
	case "host_states":
		d := starlark.NewDict(len(c.Hosts))
		var hvs []nlb.HostValue
		for _, h := range c.Hosts {
			hvs = append(hvs, nlb.HostValue{Host: h.Server})
		}
		for _, hv := range sortHostValues(hvs) {
			_ = d.SetKey(str(hv.Host), str(r.HostRuleState(hv.Host)))
		}
		return d, nil
	}
	return nil, nil
}

func sortHostValues(hvs []nlb.HostValue) []nlb.HostValue {
	for i := 1; i < len(hvs); i++ {
		for j := i; j > 0 && hvs[j].Host < hvs[j-1].Host; j-- {
			hvs[j], hvs[j-1] = hvs[j-1], hvs[j]
		}
	}
	return hvs
}

// connValue is a Connection: what was decided when it opened, and whether
// it is still open (read live).
type connValue struct {
	w        *sim.World
	cluster  string
	k        nlb.Connection
	protocol string
}

var _ starlark.HasAttrs = (*connValue)(nil)

func (v *connValue) open() bool {
	if v.protocol != "tcp" {
		return false
	}
	c, err := v.w.NLB.Cluster(v.cluster)
	if err != nil {
		return false
	}
	k := c.Connection(v.k.ID)
	return k != nil && *k == v.k
}

func (v *connValue) String() string {
	state := "closed"
	if v.open() {
		state = "open"
	}
	if v.protocol == "udp" {
		state = "datagram"
	}
	id := ""
	if v.k.ID != 0 {
		id = fmt.Sprintf(" %d", v.k.ID)
	}
	return fmt.Sprintf("<connection%s %s %s:%d -> %s:%d on %s %s>", id, v.protocol, v.k.Client, v.k.ClientPort, v.k.ClusterIP, v.k.Port, v.k.Host, state)
}
func (v *connValue) Type() string         { return "Connection" }
func (v *connValue) Freeze()              {}
func (v *connValue) Truth() starlark.Bool { return starlark.True }
func (v *connValue) Hash() (uint32, error) {
	return 0, fmt.Errorf("unhashable type: Connection")
}

var connAttrs = connType.AttrNames()

func (v *connValue) AttrNames() []string { return connAttrs }
func (v *connValue) Attr(name string) (starlark.Value, error) {
	switch name {
	case "client":
		return str(v.k.Client), nil
	case "client_port":
		return starlark.MakeInt(v.k.ClientPort), nil
	case "cluster_ip":
		return str(v.k.ClusterIP), nil
	case "host":
		return str(v.k.Host), nil
	case "id":
		if v.k.ID == 0 {
			return starlark.None, nil
		}
		return starlark.MakeInt(v.k.ID), nil
	case "open":
		return starlark.Bool(v.open()), nil
	case "port":
		return starlark.MakeInt(v.k.Port), nil
	case "protocol":
		return str(v.protocol), nil
	}
	return nil, nil
}

// ---- arguments ----

func nlbArg() *ref     { return refTo("NLB cluster", nlbKind) }
func nlbHostArg() *ref { return refTo("NLB host", nlbHostKind, serverKind) }

// optInt accepts an int or None.
type optInt struct {
	n   int
	set bool
}

func (o *optInt) Unpack(v starlark.Value) error {
	switch x := v.(type) {
	case starlark.NoneType:
		o.set = false
		return nil
	case starlark.Int:
		n, ok := x.Int64()
		if !ok || n < -1<<31 || n > 1<<31-1 {
			return fmt.Errorf("%s is out of range", x)
		}
		o.n, o.set = int(n), true
		return nil
	}
	return fmt.Errorf("got %s, want int or None", v.Type())
}

// hostValues accepts None or a dict of host (name or handle) → int.
type hostValues struct {
	hvs []nlb.HostValue
	set bool
}

func (hv *hostValues) Unpack(v starlark.Value) error {
	if v == starlark.None {
		hv.hvs, hv.set = nil, false
		return nil
	}
	d, ok := v.(*starlark.Dict)
	if !ok {
		return fmt.Errorf("got %s, want a dict of host name → int, or None", v.Type())
	}
	hv.hvs, hv.set = []nlb.HostValue{}, true
	for _, item := range d.Items() {
		h := nlbHostArg()
		if err := h.Unpack(item[0]); err != nil {
			return fmt.Errorf("key %s: %v", item[0], err)
		}
		n, ok := item[1].(starlark.Int)
		if !ok {
			return fmt.Errorf("value for %s: got %s, want int", h.name, item[1].Type())
		}
		i, ok := n.Int64()
		if !ok || i < -1<<31 || i > 1<<31-1 {
			return fmt.Errorf("value for %s: %s is out of range", h.name, n)
		}
		hv.hvs = append(hv.hvs, nlb.HostValue{Host: h.name, Value: int(i)})
	}
	return nil
}

// ---- builtins ----

func createNLBFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var ip, mask, name string
	mode := "unicast"
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "ip", &ip, "mask", &mask, "name", &name, "mode?", &mode); err != nil {
		return nil, err
	}
	w := world(thread)
	c, err := w.NLB.CreateCluster(nlb.ClusterSpec{IP: ip, Mask: mask, Name: name, Mode: mode})
	if err != nil {
		return nil, err
	}
	return nlbValue(w, c), nil
}

func nlbAddHostFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	cl, srv := nlbArg(), serverArg()
	var adapter, ip, mask string
	var priority int
	initial := "started"
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "nlb", cl, "server", srv, "adapter", &adapter, "priority", &priority,
		"dedicated_ip", &ip, "mask", &mask, "initial_state?", &initial); err != nil {
		return nil, err
	}
	w := world(thread)
	h, err := w.NLB.AddHost(cl.name, nlb.HostSpec{Server: srv.name, Adapter: adapter, Priority: priority, DedicatedIP: ip, Mask: mask, InitialState: initial})
	if err != nil {
		return nil, err
	}
	c, _ := w.NLB.Cluster(cl.name)
	return nlbHostValue(w, c, h), nil
}

func nlbHostFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	cl, host := nlbArg(), nlbHostArg()
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "nlb", cl, "name", host); err != nil {
		return nil, err
	}
	w := world(thread)
	c, h, err := w.NLB.Host(cl.name, host.name)
	if err != nil {
		return nil, err
	}
	return nlbHostValue(w, c, h), nil
}

func getNLBFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "name", &name); err != nil {
		return nil, err
	}
	w := world(thread)
	c, err := w.NLB.Cluster(name)
	if err != nil {
		return nil, err
	}
	return nlbValue(w, c), nil
}

func nlbPortRuleFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	cl := nlbArg()
	spec := nlb.PortRuleSpec{Start: 0, End: 65535, Protocol: "both", Filtering: "multiple", Affinity: "single", ClusterIP: "all"}
	var weights, prios hostValues
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "nlb", cl, "start?", &spec.Start, "end?", &spec.End, "protocol?", &spec.Protocol,
		"filtering?", &spec.Filtering, "affinity?", &spec.Affinity, "cluster_ip?", &spec.ClusterIP,
		"load_weights?", &weights, "handling_priorities?", &prios); err != nil {
		return nil, err
	}
	if weights.set {
		spec.LoadWeights = weights.hvs
	}
	if prios.set {
		spec.HandlingPriorities = prios.hvs
	}
	w := world(thread)
	r, err := w.NLB.AddPortRule(cl.name, spec)
	if err != nil {
		return nil, err
	}
	c, _ := w.NLB.Cluster(cl.name)
	return portRuleValue(w, c, r), nil
}

func nlbRemovePortRuleFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	cl := nlbArg()
	var port int
	var protocol, vip optString
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "nlb", cl, "port", &port, "protocol?", &protocol, "cluster_ip?", &vip); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).NLB.RemovePortRule(cl.name, nlb.RuleRef{Port: port, Protocol: protocol.s, ClusterIP: vip.s})
}

func nlbControlFn(op func(e *nlb.Engine, cluster, host string) error) lang.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		host := nlbHostArg()
		if err := starlark.UnpackArgs(b.Name(), args, kwargs, "host", host); err != nil {
			return nil, err
		}
		return starlark.None, op(world(thread).NLB, host.scope, host.name)
	}
}

func nlbRuleStateFn(state string) lang.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		host := nlbHostArg()
		var port int
		var protocol, vip optString
		if err := starlark.UnpackArgs(b.Name(), args, kwargs, "host", host, "port", &port, "protocol?", &protocol, "cluster_ip?", &vip); err != nil {
			return nil, err
		}
		return starlark.None, world(thread).NLB.SetRuleState(host.scope, host.name, nlb.RuleRef{Port: port, Protocol: protocol.s, ClusterIP: vip.s}, state)
	}
}

func nlbQueryFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	cl := nlbArg()
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "nlb", cl); err != nil {
		return nil, err
	}
	states, err := world(thread).NLB.Query(cl.name)
	if err != nil {
		return nil, err
	}
	d := starlark.NewDict(len(states))
	for _, s := range states {
		_ = d.SetKey(str(s.Host), str(s.State))
	}
	return d, nil
}

// packetArgs unpacks the arguments nlb_connect and nlb_route share.
func packetArgs(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (string, nlb.Packet, error) {
	cl := nlbArg()
	p := nlb.Packet{Port: 80, Protocol: "tcp"}
	var cport optInt
	var vip optString
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "nlb", cl, "client", &p.Client, "port?", &p.Port, "protocol?", &p.Protocol,
		"client_port?", &cport, "cluster_ip?", &vip); err != nil {
		return "", p, err
	}
	p.ClientPort, p.AnyPort, p.ClusterIP = cport.n, !cport.set, vip.s
	return cl.name, p, nil
}

func nlbConnectFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	cluster, p, err := packetArgs(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	w := world(thread)
	d, k, err := w.NLB.Connect(cluster, p)
	if err != nil {
		return nil, err
	}
	c, _ := w.NLB.Cluster(cluster)
	switch {
	case k != nil:
		return &connValue{w: w, cluster: c.Name, k: *k, protocol: "tcp"}, nil
	case d.Host != "":
		return &connValue{w: w, cluster: c.Name, protocol: d.Protocol, k: nlb.Connection{
			Client: p.Client, ClientPort: d.ClientPort, ClusterIP: d.ClusterIP, Port: p.Port, Host: d.Host}}, nil
	}
	return starlark.None, nil
}

func nlbCloseFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "conn", &v); err != nil {
		return nil, err
	}
	conn, ok := v.(*connValue)
	if !ok {
		return nil, fmt.Errorf("got %s, want a Connection from nlb_connect", v.Type())
	}
	if conn.protocol != "tcp" {
		return nil, fmt.Errorf("a UDP datagram is not a connection: NLB balances UDP per datagram, so there is nothing to close")
	}
	if !conn.open() {
		return nil, fmt.Errorf("connection %d of NLB cluster %s is not open: it was closed, or dropped with its host", conn.k.ID, conn.cluster)
	}
	return starlark.None, world(thread).NLB.Close(conn.cluster, conn.k.ID)
}

func nlbRouteFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	cluster, p, err := packetArgs(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	d, err := world(thread).NLB.Route(cluster, p)
	if err != nil {
		return nil, err
	}
	return strOrNone(d.Host), nil
}

func nlbLoadFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	cl := nlbArg()
	var clients int
	port, protocol := 80, "tcp"
	var seed int64
	var vip optString
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "nlb", cl, "clients", &clients, "port?", &port, "protocol?", &protocol,
		"seed?", &seed, "cluster_ip?", &vip); err != nil {
		return nil, err
	}
	res, err := world(thread).NLB.Load(cl.name, nlb.LoadSpec{Clients: clients, Port: port, Protocol: protocol, Seed: seed, ClusterIP: vip.s})
	if err != nil {
		return nil, err
	}
	d := starlark.NewDict(len(res.Hosts) + 1)
	for _, hc := range res.Hosts {
		_ = d.SetKey(str(hc.Host), starlark.MakeInt(hc.Count))
	}
	_ = d.SetKey(str("dropped"), starlark.MakeInt(res.Dropped))
	return d, nil
}
