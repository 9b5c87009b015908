package nlb

import (
	"clusterscript/runtime/core"
	"fmt"
	"net/netip"
	"sort"
	"strings"
)

// Network Load Balancing (Windows Server 2003 NLB, wlbs.sys).
//
// Every host sees every packet sent to the cluster IP and runs the same
// deterministic filter; exactly one host accepts a packet. The filter: the
// first port rule that covers the packet's cluster IP, protocol and port
// (rules for a specific cluster IP before rules for "all"); a multiple-host
// rule hashes the client into one of 60 buckets (nlb_route.go documents the
// hash) and the bucket's owner accepts; a single-host rule goes to the host
// with the best handling priority; a disabled rule drops; traffic that no
// rule covers goes to the default host (the lowest host priority number).
//
// Membership runs on the virtual clock (nlb_converge.go): heartbeats every
// second, a host silent for 5 is dropped, and a convergence completes 3
// heartbeats after it starts. Bucket ownership changes only at a
// convergence, and then as little as possible.

// NLB limits and timing (reference nlb.md §1, §2.1).
const (
	Buckets       = 60              // buckets per multiple-host port rule
	MaxHosts      = 32              // hosts per cluster
	MaxRules      = 32              // port rules per cluster
	Heartbeat     = 1 * core.Second // AliveMsgPeriod
	Tolerance     = 5               // AliveMsgTolerance: missed heartbeats before a host is dropped
	ConvergeBeats = 3               // heartbeats from the start of a convergence to its end

	nlbEphemeralFirst = 1025        // the first port a client picks (Windows: 1025–5000)
	nlbEphemeralLast  = 5000        // the last one
	nlbDefaultWeight  = 50          // load weight of a host that a rule's load_weights does not list
	nlbMaxLoadClients = 100_000_000 // nlb_load refuses more: surely a typo
)

// NLB enumerations.
var (
	Modes         = []string{"unicast", "multicast", "igmp"}
	Protocols     = []string{"tcp", "udp", "both"}
	Filterings    = []string{"multiple", "single", "disabled"}
	Affinities    = []string{"none", "single", "network"}
	InitialStates = []string{"started", "stopped", "suspended"}
	// PacketProtocols are the protocols of one packet or connection.
	PacketProtocols = []string{"tcp", "udp"}
)

// NLB host states, as nlb_query (wlbs query) reports them. A host whose
// server is down does not answer: the query leaves it out and its handle
// reads Unknown.
const (
	Converged        = "Converged"
	ConvergedDefault = "Converged as DEFAULT"
	Converging       = "Converging"
	Draining         = "Draining"
	Stopped          = "Stopped"
	Suspended        = "Suspended"
	Unknown          = "Unknown"
)

// What an administrator last told a host to do (wlbs start, stop,
// drainstop, suspend). The reported state derives from it, from the
// host's server and from the cluster's convergence.
const (
	ctlStarted   = "started"
	ctlStopped   = "stopped"
	ctlDraining  = "draining"
	ctlSuspended = "suspended"
)

// Per-host states of a port rule (wlbs enable, disable, drain).
const (
	RuleEnabled  = "enabled"
	RuleDisabled = "disabled" // all the rule's traffic dropped, existing connections too
	RuleDraining = "draining" // no new connections; existing ones continue
)

// An Cluster is a Network Load Balancing cluster.
type Cluster struct {
	Name string `json:"name"` // full Internet name, e.g. owa.corp.example.com
	IP   string `json:"ip"`   // primary cluster IP
	Mask string `json:"mask"`
	Mode string `json:"mode"` // "unicast", "multicast" or "igmp"

	Hosts       []*Host       `json:"hosts"`      // in the order added
	Rules       []*PortRule   `json:"port_rules"` // sorted by start port, protocol, cluster IP
	Connections []*Connection `json:"connections,omitempty"`

	NextRule       int `json:"next_rule"`
	NextConnection int `json:"next_connection"`

	// Convergence: whether one is in progress and when it started, how
	// many have started, and the priority of the default host chosen by
	// the last one to complete (0: none).
	Converging    bool  `json:"converging,omitempty"`
	ConvergeStart int64 `json:"converge_start,omitempty"`
	Convergences  int64 `json:"convergences"`
	DefaultHost   int   `json:"default_host,omitempty"`

	router nlbRouter               // effective owners; rebuilt after every change
	conns  map[connKey]*Connection // open TCP connections by 4-tuple
	byPrio [MaxHosts + 1]int       // host index by priority, -1 for none
	saved  core.Stamp
}

// An Host is one server's adapter bound to an NLB cluster. Its name is
// the server's.
type Host struct {
	Server       string `json:"server"`
	Adapter      string `json:"adapter"`
	Priority     int    `json:"priority"` // 1–32, unique: the host ID
	DedicatedIP  string `json:"dedicated_ip"`
	Mask         string `json:"mask"`
	InitialState string `json:"initial_state"` // applied when the server boots

	Control string `json:"control"` // started, stopped, draining or suspended
	// Member: part of the membership the last convergence agreed on.
	// Heard: the other hosts count it present (it heartbeats, or fell
	// silent less than the tolerance ago).
	Member bool `json:"member,omitempty"`
	Heard  bool `json:"heard,omitempty"`
	// Alone is the host's own view while its cluster adapter has failed
	// and it hears no other host (nlb_adapter.go): "" (not cut off, or
	// not yet noticed), "converging" or "converged" with itself alone.
	Alone string `json:"alone,omitempty"`
	State string `json:"state"` // the state last reported in the log

	saved core.Stamp
}

// A PortRule says how a cluster handles a range of ports.
type PortRule struct {
	ID        int    `json:"id"`
	ClusterIP string `json:"cluster_ip"` // "all" or one cluster IP
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Protocol  string `json:"protocol"`
	Filtering string `json:"filtering"`
	Affinity  string `json:"affinity"`
	// LoadWeights is nil for equal load; HandlingPriorities nil for host
	// priority order. Both are sorted by host name.
	LoadWeights        []HostValue `json:"load_weights,omitempty"`
	HandlingPriorities []HostValue `json:"handling_priorities,omitempty"`
	// Hosts on which an administrator disabled or drained the rule, sorted.
	DisabledOn []string `json:"disabled_on,omitempty"`
	DrainingOn []string `json:"draining_on,omitempty"`
	// Owners is the map the last convergence agreed on, as host priorities
	// (0: no owner): one per bucket for a multiple-host rule, one entry
	// for a single-host rule, none for a disabled rule.
	Owners []int `json:"owners,omitempty"`

	// LoadWeights, HandlingPriorities, DisabledOn, DrainingOn and Owners
	// are replaced, never changed in place.
	saved core.Stamp
}

// A HostValue is a per-host setting of a port rule: a load weight or a
// handling priority.
type HostValue struct {
	Host  string `json:"host"`
	Value int    `json:"value"`
}

// An Connection is an open TCP connection and the host that holds its
// descriptor. UDP is balanced per datagram and never tracked.
type Connection struct {
	ID         int    `json:"id"`
	Client     string `json:"client"`
	ClientPort int    `json:"client_port"`
	ClusterIP  string `json:"cluster_ip"`
	Port       int    `json:"port"`
	Host       string `json:"host"`
}

// GuardAdapter keeps an NLB host's adapter holding its dedicated address
// and every cluster address the host serves.
func (e *Engine) GuardAdapter(s *core.Server, a *core.Adapter, p netip.Prefix, extra []string) error {
	for _, c := range e.Clusters {
		for _, h := range c.Hosts {
			if !strings.EqualFold(h.Server, s.Name) || !strings.EqualFold(h.Adapter, a.Name) {
				continue
			}
			if p.Addr().String() != h.DedicatedIP {
				return core.Errf(core.ErrState, "adapter %s of %s carries the dedicated address %s of its NLB host in %s; keep it, or remove the host first", a.Name, s.Name, h.DedicatedIP, c.Name)
			}
			for _, vip := range append([]string{c.IP}, c.virtualIPs()...) {
				if !core.ContainsFold(extra, vip) {
					return core.Errf(core.ErrState, "adapter %s of %s must keep cluster address %s bound while it is a host of NLB cluster %s; add it to extra_ips", a.Name, s.Name, vip, c.Name)
				}
			}
		}
	}
	return nil
}

// nlbOwner is how an NLB cluster's addresses appear in address conflicts.
func nlbOwner(name string) string { return "NLB cluster " + name }

func (e *Engine) nlbReindex(c *Cluster) {
	c.byPrio = c.hostsByPriority()
	c.conns = make(map[connKey]*Connection, len(c.Connections))
	for _, k := range c.Connections {
		c.conns[k.key()] = k
	}
	e.nlbRebuildRouter(c)
}

// hostsByPriority indexes the hosts by priority.
func (c *Cluster) hostsByPriority() [MaxHosts + 1]int {
	var by [MaxHosts + 1]int
	for i := range by {
		by[i] = -1
	}
	for i, h := range c.Hosts {
		if h.Priority >= 1 && h.Priority <= MaxHosts {
			by[h.Priority] = i
		}
	}
	return by
}

// nlbAddresses reports a cluster's addresses: its cluster IP and the
// virtual IPs of its port rules.
func (c *Cluster) nlbAddresses(claim func(ip string, u core.AddrUse)) {
	u := core.AddrUse{Kind: core.AddrNLB, Owner: nlbOwner(c.Name)}
	claim(c.IP, u)
	for _, v := range c.virtualIPs() {
		claim(v, u)
	}
}

// ---- Lookups ----

// Cluster looks up an NLB cluster by its name or its cluster IP.
func (e *Engine) Cluster(name string) (*Cluster, error) {
	for _, c := range e.Clusters {
		if strings.EqualFold(c.Name, name) || c.IP == name {
			return c, nil
		}
	}
	names := make([]string, len(e.Clusters))
	for i, c := range e.Clusters {
		names[i] = c.Name
	}
	return nil, core.NotFound("NLB cluster", name, names)
}

// Host finds a host of the cluster by its server's name.
func (c *Cluster) Host(name string) (*Host, error) {
	if h := c.host(name); h != nil {
		return h, nil
	}
	names := make([]string, len(c.Hosts))
	for i, h := range c.Hosts {
		names[i] = h.Server
	}
	return nil, core.NotFound("host in NLB cluster "+c.Name, name, names)
}

func (c *Cluster) host(name string) *Host {
	for _, h := range c.Hosts {
		if strings.EqualFold(h.Server, name) {
			return h
		}
	}
	return nil
}

func (c *Cluster) hostByPrio(p int) *Host {
	if p < 1 || p > MaxHosts || c.byPrio[p] < 0 {
		return nil
	}
	return c.Hosts[c.byPrio[p]]
}

// Host finds a host by name in the named cluster or, when cluster is
// empty, in whichever cluster has a host of that name.
func (e *Engine) Host(cluster, name string) (*Cluster, *Host, error) {
	if cluster != "" {
		c, err := e.Cluster(cluster)
		if err != nil {
			return nil, nil, err
		}
		h, err := c.Host(name)
		return c, h, err
	}
	var found []*Cluster
	var names []string
	for _, c := range e.Clusters {
		if c.host(name) != nil {
			found = append(found, c)
		}
		for _, h := range c.Hosts {
			names = append(names, h.Server)
		}
	}
	switch len(found) {
	case 0:
		return nil, nil, core.NotFound("NLB host", name, names)
	case 1:
		return found[0], found[0].host(name), nil
	}
	return nil, nil, core.Errf(core.ErrConflict, "%s is a host of NLB clusters %s and %s; pass the handle from nlb_host(nlb, %q) to say which", name, found[0].Name, found[1].Name, name)
}

// HostOf names the NLB cluster a server is a host of. A server-cluster
// node cannot be an NLB host (KB 223157), so the server-cluster engine
// can refuse to add one as a node.
func (e *Engine) HostOf(server string) (string, bool) {
	for _, c := range e.Clusters {
		if c.host(server) != nil {
			return c.Name, true
		}
	}
	return "", false
}

// ---- Creating the cluster ----

func validInternetName(name string) error {
	if _, err := netip.ParseAddr(name); err == nil {
		return core.Errf(core.ErrInvalid, "NLB cluster name %q is an address; give the cluster's full Internet name, e.g. \"owa.corp.example.com\"", name)
	}
	if name == "" || len(name) > 255 {
		return core.Errf(core.ErrInvalid, "NLB cluster name %q must have 1–255 characters; give its full Internet name, e.g. \"owa.corp.example.com\"", name)
	}
	for _, l := range strings.Split(name, ".") {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return core.Errf(core.ErrInvalid, "NLB cluster name %q has an empty, over-long or hyphen-edged label; DNS labels have 1–63 letters, digits or inner hyphens", name)
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return core.Errf(core.ErrInvalid, "NLB cluster name %q contains %q; a full Internet name uses letters, digits, hyphens and dots", name, r)
			}
		}
	}
	return nil
}

// ClusterSpec is the Cluster Parameters page of NLB Manager.
type ClusterSpec struct {
	IP, Mask string
	Name     string // the cluster's full Internet name
	Mode     string // "unicast", "multicast" or "igmp"
}

// CreateCluster creates an NLB cluster with no hosts and the default
// port rule (all ports, both protocols, multiple hosts, single affinity,
// equal load).
func (e *Engine) CreateCluster(spec ClusterSpec) (*Cluster, error) {
	ip, mask, name, mode := spec.IP, spec.Mask, spec.Name, spec.Mode
	if err := validInternetName(name); err != nil {
		return nil, err
	}
	p, err := core.HostAddress("cluster IP", ip, mask)
	if err != nil {
		return nil, err
	}
	if err := core.OneOf("NLB operation mode", mode, Modes...); err != nil {
		return nil, err
	}
	for _, c := range e.Clusters {
		if strings.EqualFold(c.Name, name) {
			return nil, core.Errf(core.ErrConflict, "NLB cluster %s already exists (cluster IP %s); look it up with get_nlb(%q)", c.Name, c.IP, c.Name)
		}
	}
	if u, ok := e.AddrConflict(ip, core.AddrNLB, ""); ok {
		return nil, core.Errf(core.ErrConflict, "address %s is already used by %s; an NLB cluster needs an address of its own", ip, u.Describe())
	}
	c := &Cluster{Name: name, IP: ip, Mask: mask, Mode: mode, NextRule: 1, NextConnection: 1}
	c.Rules = []*PortRule{{ID: c.NextRule, ClusterIP: "all", Start: 0, End: 65535, Protocol: "both", Filtering: "multiple", Affinity: "single"}}
	c.NextRule++
	core.Keep(e.World, &e.Clusters)
	e.Clusters = append(e.Clusters, c)
	e.nlbReindex(c)
	c.nlbAddresses(e.ClaimAddr)
	e.Emit(core.KindNLB, c.Name, "", "NLB cluster %s created: %s/%d, %s mode, MAC %s, default port rule %s", name, ip, p.Bits(), mode, c.MAC(), c.Rules[0].Describe())
	e.recordCluster(c)
	return c, nil
}

// MAC is the cluster's MAC address, derived from the cluster IP e.x.y.z:
// unicast 02-BF-w-x-y-z, multicast 03-BF-w-x-y-z, IGMP multicast
// 01-00-5E-7F-y-z (hex, upper case).
func (c *Cluster) MAC() string {
	v := ip4(c.IP)
	b := [4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
	switch c.Mode {
	case "multicast":
		return fmt.Sprintf("03-BF-%02X-%02X-%02X-%02X", b[0], b[1], b[2], b[3])
	case "igmp":
		return fmt.Sprintf("01-00-5E-7F-%02X-%02X", b[2], b[3])
	}
	return fmt.Sprintf("02-BF-%02X-%02X-%02X-%02X", b[0], b[1], b[2], b[3])
}

// virtualIPs lists the specific cluster IPs of the port rules other than
// the primary one, sorted.
func (c *Cluster) virtualIPs() []string {
	seen := map[string]bool{}
	for _, r := range c.Rules {
		if r.ClusterIP != "all" && r.ClusterIP != c.IP {
			seen[r.ClusterIP] = true
		}
	}
	return core.SortedKeys(seen)
}

// ---- Hosts ----

// HostSpec is the Host Parameters page of NLB Manager.
type HostSpec struct {
	Server, Adapter string
	Priority        int // 1–32, unique in the cluster
	DedicatedIP     string
	Mask            string
	InitialState    string // "started", "stopped" or "suspended"
}

// AddHost binds a server's adapter to the cluster as a host.
func (e *Engine) AddHost(cluster string, spec HostSpec) (*Host, error) {
	server, adapter, priority, dedicatedIP, mask, initial := spec.Server, spec.Adapter, spec.Priority, spec.DedicatedIP, spec.Mask, spec.InitialState
	c, err := e.Cluster(cluster)
	if err != nil {
		return nil, err
	}
	s, err := e.Server(server)
	if err != nil {
		return nil, err
	}
	a, err := s.Adapter(adapter)
	if err != nil {
		return nil, err
	}
	if err := core.OneOf("initial host state", initial, InitialStates...); err != nil {
		return nil, err
	}
	if priority < 1 || priority > MaxHosts {
		return nil, core.Errf(core.ErrInvalid, "host priority %d is outside 1–32; each NLB host has a unique priority (its host ID) from 1 to 32", priority)
	}
	if err := s.MustRun("add it to an NLB cluster"); err != nil {
		return nil, err
	}
	if s.Cluster != "" {
		return nil, core.Errf(core.ErrConflict, "server %s is a node of server cluster %s; Microsoft does not support NLB and the Cluster service on the same server (KB 223157) — use a server that is not a cluster node", s.Name, s.Cluster)
	}
	if c.host(s.Name) != nil {
		return nil, core.Errf(core.ErrConflict, "%s is already a host of NLB cluster %s; a server joins a cluster once", s.Name, c.Name)
	}
	for _, o := range e.Clusters {
		for _, h := range o.Hosts {
			if strings.EqualFold(h.Server, s.Name) && strings.EqualFold(h.Adapter, a.Name) {
				return nil, core.Errf(core.ErrConflict, "adapter %s of %s is already bound to NLB cluster %s; bind another adapter", a.Name, s.Name, o.Name)
			}
		}
	}
	if len(c.Hosts) >= MaxHosts {
		return nil, core.Errf(core.ErrLimit, "NLB cluster %s already has %d hosts, the Windows Server 2003 limit", c.Name, MaxHosts)
	}
	if h := c.hostByPrio(priority); h != nil {
		return nil, core.Errf(core.ErrConflict, "host priority %d is already %s's in NLB cluster %s; priorities are unique — pick a free one from 1 to 32", priority, h.Server, c.Name)
	}
	if !a.Configured() {
		return nil, core.Errf(core.ErrPrereq, "adapter %s of %s has no address; give it the dedicated IP %s with configure_tcpip first", a.Name, s.Name, dedicatedIP)
	}
	if a.IP != dedicatedIP || a.Mask != mask {
		return nil, core.Errf(core.ErrPrereq, "adapter %s of %s has address %s mask %s, not %s mask %s; the dedicated IP is the adapter's own address — pass it or reconfigure the adapter", a.Name, s.Name, a.IP, a.Mask, dedicatedIP, mask)
	}
	for _, ip := range append([]string{c.IP}, c.virtualIPs()...) {
		if !core.ContainsFold(a.ExtraIPs, ip) {
			return nil, core.Errf(core.ErrPrereq, "adapter %s of %s does not have cluster IP %s bound; add it with configure_tcpip(%q, %q, %q, %q, extra_ips=[%q])", a.Name, s.Name, ip, s.Name, a.Name, a.IP, a.Mask, ip)
		}
	}
	// All checks passed.
	h := &Host{Server: s.Name, Adapter: a.Name, Priority: priority, DedicatedIP: dedicatedIP, Mask: mask, InitialState: initial, Control: initial}
	e.touchCluster(c)
	c.Hosts = append(c.Hosts, h)
	c.byPrio[priority] = len(c.Hosts) - 1
	e.nlbLog(c, "host %d %s added on adapter %s, dedicated IP %s, initial state %s", priority, s.Name, a.Name, dedicatedIP, initial)
	if c.Mode == "unicast" && len(s.Adapters) == 1 {
		e.Warn(s.Name, "%s has a single network adapter and NLB cluster %s runs in unicast mode: the hosts cannot talk to each other over it; add a second adapter or use multicast mode", s.Name, c.Name)
	}
	switch initial {
	case ctlStarted:
		e.nlbJoin(c, h)
	case ctlStopped:
		e.nlbReport(c, h, Stopped, "is stopped (initial state)")
	case ctlSuspended:
		e.nlbReport(c, h, Suspended, "is suspended (initial state)")
	}
	e.nlbRefresh(c)
	e.recordHost(c, h)
	return h, nil
}

// label names a host in the log the way wlbs does, by host ID, with its
// server's name.
func (h *Host) label() string { return fmt.Sprintf("%s (host %d)", h.Server, h.Priority) }

// nlbActive reports whether the host takes part in cluster operations: its
// server runs and it is started or draining.
func (e *Engine) nlbActive(h *Host) bool {
	return e.serverRunning(h.Server) && (h.Control == ctlStarted || h.Control == ctlDraining)
}

// nlbHeartbeats reports whether the other hosts hear the host: it takes
// part in cluster operations and its cluster adapter, which carries the
// heartbeats, works.
func (e *Engine) nlbHeartbeats(h *Host) bool {
	return e.nlbActive(h) && e.adapterUp(h)
}

func (e *Engine) serverRunning(name string) bool {
	s := e.LookupServer(name)
	return s != nil && s.Running
}

// State is the host's state as nlb_query reports it.
func (e *Engine) HostState(c *Cluster, h *Host) string {
	switch {
	case !e.serverRunning(h.Server):
		return Unknown
	case h.Control == ctlSuspended:
		return Suspended
	case h.Control == ctlStopped:
		return Stopped
	case h.Control == ctlDraining:
		return Draining
	case h.Alone == aloneConverging:
		return Converging
	case h.Alone == aloneConverged:
		return ConvergedDefault
	case c.Converging || !h.Member:
		return Converging
	case c.DefaultHost == h.Priority:
		return ConvergedDefault
	}
	return Converged
}

// HostState is one line of nlb_query.
type HostState struct {
	Host  string
	State string
}

// Query reports the state of every host that answers, sorted by name:
// a host whose server is down is left out. A host cut off by its cluster
// adapter still answers a query run on it, with its own view.
func (e *Engine) Query(cluster string) ([]HostState, error) {
	c, err := e.Cluster(cluster)
	if err != nil {
		return nil, err
	}
	var out []HostState
	for _, h := range c.Hosts {
		if s := e.HostState(c, h); s != Unknown {
			out = append(out, HostState{h.Server, s})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Host < out[j].Host })
	return out, nil
}

// DefaultHostName is the host that takes traffic no port rule covers, or
// "" when none does (no converged host is started).
func (e *Engine) DefaultHost(c *Cluster) string {
	if i := c.router.defaultHost; i >= 0 {
		return c.Hosts[i].Server
	}
	return ""
}

// OpenConnections counts the host's open TCP connections.
func (c *Cluster) OpenConnections(host string) int {
	n := 0
	for _, k := range c.Connections {
		if strings.EqualFold(k.Host, host) {
			n++
		}
	}
	return n
}

// nlbLog records an event of the cluster, prefixed with its name.
func (e *Engine) nlbLog(c *Cluster, format string, args ...any) {
	e.Emit(core.KindNLB, c.Name, "", "%s: %s", c.Name, fmt.Sprintf(format, args...))
}

// nlbReport records a host's new state with wlbs-style text.
func (e *Engine) nlbReport(c *Cluster, h *Host, state, format string, args ...any) {
	e.touchHost(h)
	h.State = state
	e.Emit(core.KindState, h.Server, state, "%s: %s %s", c.Name, h.label(), fmt.Sprintf(format, args...))
}

// nlbRefresh rebuilds the routing tables after any change and logs every
// host whose reported state changed without an operation saying so
// (convergence starting or completing).
func (e *Engine) nlbRefresh(c *Cluster) {
	e.nlbRebuildRouter(c)
	var members []string
	for _, h := range c.sortedHosts() {
		if h.Member {
			members = append(members, fmt.Sprint(h.Priority))
		}
	}
	for _, h := range c.sortedHosts() {
		s := e.HostState(c, h)
		if s == h.State {
			continue
		}
		with := strings.Join(members, ", ")
		if h.Alone != "" {
			with = fmt.Sprint(h.Priority)
		}
		switch {
		case s == Converging && h.Alone != "":
			e.nlbReport(c, h, s, "entered a converging state alone: it hears no other host, its adapter %s has failed", h.Adapter)
		case s == Converging:
			e.nlbReport(c, h, s, "entered a converging state")
		case s == ConvergedDefault:
			e.nlbReport(c, h, s, "converged as DEFAULT host with host(s) %s as part of the cluster", with)
		case s == Converged:
			e.nlbReport(c, h, s, "converged with host(s) %s as part of the cluster", with)
		case s == Stopped:
			e.nlbReport(c, h, s, "stopped cluster operations")
		default:
			e.nlbReport(c, h, s, "is %s", strings.ToLower(s))
		}
	}
}

// sortedHosts lists the hosts by priority.
func (c *Cluster) sortedHosts() []*Host {
	out := make([]*Host, 0, len(c.Hosts))
	for p := 1; p <= MaxHosts; p++ {
		if h := c.hostByPrio(p); h != nil {
			out = append(out, h)
		}
	}
	return out
}

// ---- Host control (wlbs start, stop, drainstop, suspend, resume) ----

// nlbTarget resolves a host for a control command: its server must answer,
// and a suspended host takes nothing but resume.
func (e *Engine) nlbTarget(cluster, host, op string) (*Cluster, *Host, error) {
	return e.nlbHostFor(cluster, host, op, false)
}

func (e *Engine) nlbHostFor(cluster, host, op string, resuming bool) (*Cluster, *Host, error) {
	c, h, err := e.Host(cluster, host)
	if err != nil {
		return nil, nil, err
	}
	if !e.serverRunning(h.Server) {
		return nil, nil, core.Errf(core.ErrState, "server %s is down, so NLB host %s does not answer; boot it before you %s", h.Server, h.Server, op)
	}
	if h.Control == ctlSuspended && !resuming {
		return nil, nil, core.Errf(core.ErrState, "NLB host %s of %s is suspended and ignores every command but resume; call nlb_resume first", h.Server, c.Name)
	}
	return c, h, nil
}

// Start starts cluster operations on a host; on a draining host it
// ends the drainstop.
func (e *Engine) Start(cluster, host string) (err error) {
	c, h, err := e.nlbTarget(cluster, host, "start it")
	if err != nil {
		return err
	}
	defer e.recordControl("nlb_start", c, h, &err)
	switch h.Control {
	case ctlStarted:
		e.nlbLog(c, "%s is already started", h.label())
		return nil
	case ctlDraining:
		e.touchHost(h)
		h.Control = ctlStarted
		e.nlbLog(c, "%s connection draining interrupted; it takes new connections again once the cluster converges", h.label())
		e.nlbStartConvergence(c, h.label()+" ended its drainstop")
	default:
		e.touchHost(h)
		h.Control = ctlStarted
		e.nlbLog(c, "%s started cluster operations", h.label())
		e.nlbJoin(c, h)
	}
	e.nlbRefresh(c)
	return nil
}

// Stop stops cluster operations on a host at once: its connections are
// dropped and its heartbeats cease.
func (e *Engine) Stop(cluster, host string) (err error) {
	c, h, err := e.nlbTarget(cluster, host, "stop it")
	if err != nil {
		return err
	}
	defer e.recordControl("nlb_stop", c, h, &err)
	if h.Control == ctlStopped {
		e.nlbLog(c, "%s is already stopped", h.label())
		return nil
	}
	if h.Control == ctlDraining {
		e.nlbLog(c, "%s connection draining interrupted", h.label())
	}
	n := e.nlbDropConnections(c, func(k *Connection) bool { return k.Host == h.Server })
	e.touchHost(h)
	h.Control = ctlStopped
	e.nlbReport(c, h, Stopped, "stopped cluster operations; %s dropped", plural(n, "connection"))
	e.nlbSilence(c, h)
	e.nlbRefresh(c)
	return nil
}

// DrainStop makes a host take no new connections while it serves the
// ones it has; it stops when the last closes.
func (e *Engine) DrainStop(cluster, host string) (err error) {
	c, h, err := e.nlbTarget(cluster, host, "drainstop it")
	if err != nil {
		return err
	}
	defer e.recordControl("nlb_drainstop", c, h, &err)
	switch h.Control {
	case ctlStopped:
		e.nlbLog(c, "%s is already stopped", h.label())
		return nil
	case ctlDraining:
		e.nlbLog(c, "%s is already draining", h.label())
		return nil
	}
	e.touchHost(h)
	h.Control = ctlDraining
	n := c.OpenConnections(h.Server)
	e.nlbReport(c, h, Draining, "connection draining started; %s open", plural(n, "connection"))
	if n == 0 {
		e.nlbDrainComplete(c, h)
	} else {
		e.nlbStartConvergence(c, h.label()+" is draining")
	}
	e.nlbRefresh(c)
	return nil
}

// nlbDrainComplete stops a draining host whose last connection closed.
func (e *Engine) nlbDrainComplete(c *Cluster, h *Host) {
	e.touchHost(h)
	h.Control = ctlStopped
	e.nlbReport(c, h, Stopped, "connection draining completed; stopped cluster operations")
	e.nlbSilence(c, h)
}

// Suspend suspends cluster operations on a host: like stop, and from
// then on it ignores every command but resume.
func (e *Engine) Suspend(cluster, host string) (err error) {
	c, h, err := e.nlbTarget(cluster, host, "suspend it")
	if err != nil {
		return err
	}
	defer e.recordControl("nlb_suspend", c, h, &err)
	n := e.nlbDropConnections(c, func(k *Connection) bool { return k.Host == h.Server })
	was := h.Control
	e.touchHost(h)
	h.Control = ctlSuspended
	e.nlbReport(c, h, Suspended, "suspended cluster operations; %s dropped; it ignores every command but resume", plural(n, "connection"))
	if was != ctlStopped {
		e.nlbSilence(c, h)
	}
	e.nlbRefresh(c)
	return nil
}

// Resume makes a suspended host take commands again; it stays stopped
// until started.
func (e *Engine) Resume(cluster, host string) (err error) {
	c, h, err := e.nlbHostFor(cluster, host, "resume it", true)
	if err != nil {
		return err
	}
	defer e.recordControl("nlb_resume", c, h, &err)
	if h.Control != ctlSuspended {
		e.nlbLog(c, "%s is not suspended", h.label())
		return nil
	}
	e.touchHost(h)
	h.Control = ctlStopped
	e.nlbReport(c, h, Stopped, "resumed: it takes commands again and stays stopped until nlb_start")
	e.nlbRefresh(c)
	return nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// ---- Crashes and boots ----

func (e *Engine) OnServerDown(s *core.Server) {
	server := s.Name
	for _, c := range e.Clusters {
		h := c.host(server)
		if h == nil {
			continue
		}
		n := e.nlbDropConnections(c, func(k *Connection) bool { return k.Host == h.Server })
		e.nlbReport(c, h, Unknown, "does not answer (server down); %s lost", plural(n, "connection"))
		if h.Control == ctlStarted || h.Control == ctlDraining {
			e.nlbSilence(c, h)
		}
		e.nlbRefresh(c)
	}
}

func (e *Engine) OnServerUp(s *core.Server) {
	server := s.Name
	for _, c := range e.Clusters {
		h := c.host(server)
		if h == nil {
			continue
		}
		e.touchHost(h)
		h.Control = h.InitialState
		switch {
		case h.InitialState == ctlStarted && !e.adapterUp(h):
			e.nlbReport(c, h, Converging, "is back (initial state started), but its adapter %s has failed: it hears no other host and converges alone", h.Adapter)
			e.nlbJoin(c, h)
		case h.InitialState == ctlStarted:
			e.nlbReport(c, h, Converging, "is back (initial state started) and joins the cluster")
			e.nlbJoin(c, h)
		case h.InitialState == ctlStopped:
			e.nlbReport(c, h, Stopped, "is back, stopped (initial state)")
		default:
			e.nlbReport(c, h, Suspended, "is back, suspended (initial state)")
		}
		e.nlbRefresh(c)
	}
}
