package nlb

import (
	"clusterscript/runtime/core"
	"fmt"
	"net/netip"
	"sort"
	"strings"
)

// The filter's bucket hash. It is fixed and seedless, so every host (and
// every run) computes the same bucket for a packet; it is not Microsoft's
// proprietary hash, only one with the same inputs. With the client's IPv4
// address as a big-endian 32-bit number:
//
//	mix(x)  = the MurmurHash3 finalizer: x ^= x>>16; x *= 0x85EBCA6B;
//	          x ^= x>>13; x *= 0xC2B2AE35; x ^= x>>16   (mod 2^32)
//	affinity single:  bucket = mix(client) mod 60
//	affinity network: bucket = mix(client & 0xFFFFFF00) mod 60   (its /24)
//	affinity none:    bucket = mix(mix(client) ^ client_port) mod 60
func nlbMix(x uint32) uint32 {
	x ^= x >> 16
	x *= 0x85EBCA6B
	x ^= x >> 13
	x *= 0xC2B2AE35
	x ^= x >> 16
	return x
}

const (
	affNone uint8 = iota
	affSingle
	affNetwork
)

// Bucket is the bucket a client falls in under a multiple-host rule
// with the given affinity ("none", "single" or "network").
func Bucket(affinity string, client uint32, clientPort uint16) int {
	return nlbBucket(affinityCode(affinity), client, clientPort)
}

func nlbBucket(aff uint8, client uint32, clientPort uint16) int {
	var h uint32
	switch aff {
	case affNone:
		h = nlbMix(nlbMix(client) ^ uint32(clientPort))
	case affNetwork:
		h = nlbMix(client & 0xFFFFFF00)
	default:
		h = nlbMix(client)
	}
	return int(h % Buckets)
}

func affinityCode(a string) uint8 {
	switch a {
	case "none":
		return affNone
	case "network":
		return affNetwork
	}
	return affSingle
}

const (
	protoTCP uint8 = 1
	protoUDP uint8 = 2
)

func protoBits(p string) uint8 {
	switch p {
	case "tcp":
		return protoTCP
	case "udp":
		return protoUDP
	}
	return protoTCP | protoUDP
}

const (
	filterMultiple uint8 = iota
	filterSingle
	filterDisabled
)

// routeRule is a port rule compiled for the hot path: its match fields and
// the host (index into Hosts, -1 to drop) that accepts each bucket now.
type routeRule struct {
	vip        uint32 // 0 for all cluster IPs
	start, end uint16
	proto      uint8
	filtering  uint8
	affinity   uint8
	single     int8 // the accepting host of a single-host rule
	rule       int  // index into Rules
	owners     [Buckets]int8
}

// nlbRouter is the compiled filter of a cluster: rules for a specific
// cluster IP first, then rules for all, and the default host.
type nlbRouter struct {
	rules       []routeRule
	defaultHost int
}

// route decides which host accepts a new packet: it returns the host's
// index (-1: dropped), the rule's index (-1: no rule covers it, so the
// default host decides) and the bucket (-1 unless a multiple-host rule
// hashed it). It does not allocate.
func (rt *nlbRouter) route(client uint32, clientPort uint16, vip uint32, port uint16, proto uint8) (host, rule, bucket int) {
	for i := range rt.rules {
		r := &rt.rules[i]
		if port < r.start || port > r.end || r.proto&proto == 0 || (r.vip != 0 && r.vip != vip) {
			continue
		}
		switch r.filtering {
		case filterMultiple:
			b := nlbBucket(r.affinity, client, clientPort)
			return int(r.owners[b]), r.rule, b
		case filterSingle:
			return int(r.single), r.rule, -1
		}
		return -1, r.rule, -1
	}
	return rt.defaultHost, -1, -1
}

func ip4(s string) uint32 {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return 0
	}
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func ip4String(v uint32) string {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}).String()
}

// nlbAccepts reports whether a host takes new connections at all: its
// server runs, it is started, it is in the converged membership, and its
// cluster adapter works (the cluster's packets arrive on it).
func (e *Engine) nlbAccepts(h *Host) bool {
	return h.Control == ctlStarted && h.Member && e.serverRunning(h.Server) && e.adapterUp(h)
}

// nlbRebuildRouter compiles the rules' maps into who accepts each bucket
// now. It runs after every change, never per packet.
func (e *Engine) nlbRebuildRouter(c *Cluster) {
	e.touchCluster(c)
	e.compileRouter(c, &c.router)
}

// compileRouter compiles the cluster's filter into rt, reusing its memory.
func (e *Engine) compileRouter(c *Cluster, rt *nlbRouter) {
	rt.rules = rt.rules[:0]
	accepts := make([]bool, len(c.Hosts))
	for i, h := range c.Hosts {
		accepts[i] = e.nlbAccepts(h)
	}
	ok := make([]bool, len(c.Hosts))
	for pass := 0; pass < 2; pass++ {
		for i, r := range c.Rules {
			if (r.ClusterIP == "all") != (pass == 1) {
				continue
			}
			for j, h := range c.Hosts {
				ok[j] = accepts[j] && r.HostRuleState(h.Server) == RuleEnabled
			}
			owner := func(prio int) int8 {
				if prio < 1 || prio > MaxHosts {
					return -1
				}
				if j := c.byPrio[prio]; j >= 0 && ok[j] {
					return int8(j)
				}
				return -1
			}
			rr := routeRule{start: uint16(r.Start), end: uint16(r.End), proto: protoBits(r.Protocol),
				affinity: affinityCode(r.Affinity), rule: i, single: -1}
			if r.ClusterIP != "all" {
				rr.vip = ip4(r.ClusterIP)
			}
			switch r.Filtering {
			case "multiple":
				rr.filtering = filterMultiple
			case "single":
				rr.filtering = filterSingle
				if len(r.Owners) == 1 {
					rr.single = owner(r.Owners[0])
				}
			default:
				rr.filtering = filterDisabled
			}
			for b := range rr.owners {
				rr.owners[b] = -1
				if b < len(r.Owners) && rr.filtering == filterMultiple {
					rr.owners[b] = owner(r.Owners[b])
				}
			}
			rt.rules = append(rt.rules, rr)
		}
	}
	rt.defaultHost = -1
	if p := c.DefaultHost; p >= 1 && p <= MaxHosts && c.byPrio[p] >= 0 && accepts[c.byPrio[p]] {
		rt.defaultHost = c.byPrio[p]
	}
}

// ---- Packets, decisions and connections ----

// Packet is a client's packet to the cluster.
type Packet struct {
	Client     string
	ClientPort int
	AnyPort    bool // the client picks its lowest free port from 1025 (ClientPort is ignored)
	Port       int
	Protocol   string // "tcp" or "udp"
	ClusterIP  string // "": the primary cluster IP
}

// Decision is the filter's verdict on a packet, with its reasons.
type Decision struct {
	Host       string    // "" when dropped
	Rule       *PortRule // nil when no rule covers the packet
	Bucket     int       // -1 unless a multiple-host rule hashed it
	ClientPort int
	ClusterIP  string
	Protocol   string
	Existing   *Connection // the open connection the packet belongs to
	Why        string      // how it was accepted, or why it was dropped
}

// connKey identifies a TCP connection.
type connKey struct {
	client uint32
	vip    uint32
	cport  uint16
	port   uint16
}

func (k *Connection) key() connKey {
	return connKey{ip4(k.Client), ip4(k.ClusterIP), uint16(k.ClientPort), uint16(k.Port)}
}

type packet struct {
	client, vip uint32
	cport, port uint16
	proto       uint8
}

// nlbPacket validates a packet and fills in the client port and cluster IP.
func (e *Engine) nlbPacket(c *Cluster, p Packet) (packet, Packet, error) {
	var pk packet
	a, err := core.ParseIPv4("client address", p.Client)
	if err != nil {
		return pk, p, err
	}
	if p.Port < 0 || p.Port > 65535 {
		return pk, p, core.Errf(core.ErrInvalid, "port %d is outside 0–65535", p.Port)
	}
	if !p.AnyPort && (p.ClientPort < 0 || p.ClientPort > 65535) {
		return pk, p, core.Errf(core.ErrInvalid, "client port %d is outside 0–65535", p.ClientPort)
	}
	if p.Protocol == "both" {
		return pk, p, core.Errf(core.ErrInvalid, "a packet is either \"tcp\" or \"udp\", not \"both\"")
	}
	if err := core.OneOf("protocol", p.Protocol, PacketProtocols...); err != nil {
		return pk, p, err
	}
	if p.ClusterIP == "" {
		p.ClusterIP = c.IP
	} else if p.ClusterIP != c.IP && !core.ContainsFold(c.virtualIPs(), p.ClusterIP) {
		vips := strings.Join(c.virtualIPs(), ", ")
		if vips == "" {
			vips = "none"
		}
		return pk, p, core.Errf(core.ErrInvalid, "%s is not an address of NLB cluster %s (cluster IP %s; virtual IPs of its port rules: %s)", p.ClusterIP, c.Name, c.IP, vips)
	}
	pk = packet{client: ip4(a.String()), vip: ip4(p.ClusterIP), port: uint16(p.Port), proto: protoBits(p.Protocol)}
	if p.AnyPort {
		p.AnyPort, p.ClientPort = false, nlbEphemeralFirst
		if pk.proto == protoTCP {
			for c.conns[connKey{pk.client, pk.vip, uint16(p.ClientPort), pk.port}] != nil {
				if p.ClientPort++; p.ClientPort > 65535 {
					return pk, p, core.Errf(core.ErrLimit, "client %s already has a connection from every port to %s:%d", p.Client, p.ClusterIP, p.Port)
				}
			}
		}
	}
	pk.cport = uint16(p.ClientPort)
	return pk, p, nil
}

func (e *Engine) nlbDecide(c *Cluster, pk packet, p Packet) Decision {
	d := Decision{Bucket: -1, ClientPort: p.ClientPort, ClusterIP: p.ClusterIP, Protocol: p.Protocol}
	if pk.proto == protoTCP {
		if k := c.conns[connKey{pk.client, pk.vip, pk.cport, pk.port}]; k != nil {
			d.Existing, d.Host, d.Rule = k, k.Host, c.ruleOf(k)
			d.Why = fmt.Sprintf("open connection %d", k.ID)
			return d
		}
	}
	hi, ri, b := c.router.route(pk.client, pk.cport, pk.vip, pk.port, pk.proto)
	if ri >= 0 {
		d.Rule = c.Rules[ri]
	}
	d.Bucket = b
	if hi >= 0 {
		d.Host = c.Hosts[hi].Server
	}
	d.Why = e.nlbExplain(c, d, p.Port)
	return d
}

// nlbExplain says how a decision came about, naming the rule, the bucket
// and, for a drop, why the owner does not take it.
func (e *Engine) nlbExplain(c *Cluster, d Decision, port int) string {
	r := d.Rule
	if d.Host != "" {
		switch {
		case r == nil:
			return fmt.Sprintf("no port rule covers port %d: default host", port)
		case d.Bucket >= 0:
			return fmt.Sprintf("rule %s, bucket %d", r.Describe(), d.Bucket)
		}
		return fmt.Sprintf("rule %s, single host", r.Describe())
	}
	var owner int
	var what string
	switch {
	case r == nil:
		owner, what = c.DefaultHost, fmt.Sprintf("no port rule covers port %d and the default host", port)
		if owner == 0 {
			return what + " is none: no host has converged"
		}
	case r.Filtering == "disabled":
		return fmt.Sprintf("rule %s is disabled", r.Describe())
	case r.Filtering == "single":
		if len(r.Owners) == 1 {
			owner = r.Owners[0]
		}
		what = fmt.Sprintf("rule %s's single host", r.Describe())
		if owner == 0 {
			return fmt.Sprintf("rule %s has no host to handle it", r.Describe())
		}
	default:
		if d.Bucket < len(r.Owners) {
			owner = r.Owners[d.Bucket]
		}
		if owner == 0 {
			return fmt.Sprintf("bucket %d of rule %s has no owner until the cluster converges", d.Bucket, r.Describe())
		}
		what = fmt.Sprintf("bucket %d of rule %s belongs to", d.Bucket, r.Describe())
	}
	h := c.hostByPrio(owner)
	if h == nil {
		return fmt.Sprintf("%s host priority %d, which no host has", what, owner)
	}
	return fmt.Sprintf("%s %s, which %s", what, h.Server, e.nlbWhyNot(h, r))
}

func (e *Engine) nlbWhyNot(h *Host, r *PortRule) string {
	switch {
	case !e.serverRunning(h.Server):
		return "does not answer (server down)"
	case h.Control == ctlStopped:
		return "is stopped"
	case h.Control == ctlSuspended:
		return "is suspended"
	case h.Control == ctlDraining:
		return "is draining"
	case !e.adapterUp(h):
		return fmt.Sprintf("receives nothing (adapter %s failed)", h.Adapter)
	case !h.Member:
		return "has not converged yet"
	case r != nil && r.HostRuleState(h.Server) == RuleDisabled:
		return "disabled the rule"
	case r != nil && r.HostRuleState(h.Server) == RuleDraining:
		return "drains the rule"
	}
	return "does not take it"
}

func (d Decision) flow(client string, port int) string {
	return fmt.Sprintf("%s %s:%d -> %s:%d", strings.ToUpper(d.Protocol), client, d.ClientPort, d.ClusterIP, port)
}

// Route decides where a packet would go, without opening anything.
func (e *Engine) Route(cluster string, p Packet) (Decision, error) {
	c, err := e.Cluster(cluster)
	if err != nil {
		return Decision{}, err
	}
	pk, p, err := e.nlbPacket(c, p)
	if err != nil {
		return Decision{}, err
	}
	return e.nlbDecide(c, pk, p), nil
}

// Connect sends a client's first packet: a TCP connection is opened on
// the accepting host, a UDP datagram just delivered. A dropped packet
// opens nothing and returns a nil connection.
func (e *Engine) Connect(cluster string, p Packet) (Decision, *Connection, error) {
	c, err := e.Cluster(cluster)
	if err != nil {
		return Decision{}, nil, err
	}
	pk, p, err := e.nlbPacket(c, p)
	if err != nil {
		return Decision{}, nil, err
	}
	d := e.nlbDecide(c, pk, p)
	if d.Existing != nil {
		return d, nil, core.Errf(core.ErrConflict, "connection %d from %s:%d to %s:%d is already open on %s; close it first or use another client_port", d.Existing.ID, p.Client, p.ClientPort, p.ClusterIP, p.Port, d.Host)
	}
	flow := d.flow(p.Client, p.Port)
	if d.Host == "" {
		e.nlbLog(c, "%s dropped: %s", flow, d.Why)
		return d, nil, nil
	}
	if pk.proto == protoUDP {
		e.nlbLog(c, "%s accepted by %s (%s)", flow, d.Host, d.Why)
		return d, nil, nil
	}
	k := &Connection{ID: c.NextConnection, Client: p.Client, ClientPort: p.ClientPort, ClusterIP: p.ClusterIP, Port: p.Port, Host: d.Host}
	e.touchCluster(c)
	c.NextConnection++
	c.Connections = append(c.Connections, k)
	core.SetKey(e.World, c.conns, k.key(), k)
	e.nlbLog(c, "connection %d %s accepted by %s (%s)", k.ID, flow, d.Host, d.Why)
	return d, k, nil
}

// Connection finds an open connection by ID, or nil.
func (c *Cluster) Connection(id int) *Connection {
	for _, k := range c.Connections {
		if k.ID == id {
			return k
		}
	}
	return nil
}

// Close closes an open TCP connection. A draining host whose last
// connection this was stops.
func (e *Engine) Close(cluster string, id int) error {
	c, err := e.Cluster(cluster)
	if err != nil {
		return err
	}
	k := c.Connection(id)
	if k == nil {
		return core.Errf(core.ErrState, "connection %d of NLB cluster %s is not open: it was closed, or dropped with its host", id, c.Name)
	}
	e.nlbDropConnections(c, func(x *Connection) bool { return x == k })
	e.nlbLog(c, "connection %d closed (%s:%d on %s)", k.ID, k.Client, k.ClientPort, k.Host)
	if h := c.host(k.Host); h != nil && h.Control == ctlDraining && c.OpenConnections(h.Server) == 0 {
		e.nlbDrainComplete(c, h)
	}
	e.nlbRefresh(c)
	return nil
}

// nlbDropConnections removes the connections drop selects and counts them.
func (e *Engine) nlbDropConnections(c *Cluster, drop func(*Connection) bool) int {
	e.touchCluster(c)
	kept := c.Connections[:0]
	n := 0
	for _, k := range c.Connections {
		if drop(k) {
			core.DeleteKey(e.World, c.conns, k.key())
			n++
			continue
		}
		kept = append(kept, k)
	}
	for i := len(kept); i < len(c.Connections); i++ {
		c.Connections[i] = nil
	}
	c.Connections = kept
	return n
}

// ---- Load ----

// HostCount is a number per host.
type HostCount struct {
	Host  string
	Count int
}

// LoadResult is how nlb_load's clients were spread: new connections
// per host (every host, by name) and the packets dropped.
type LoadResult struct {
	Hosts   []HostCount
	Dropped int
}

// splitmix64 is the generator of nlb_load's clients: a fixed sequence for
// each seed.
func splitmix64(s *uint64) uint64 {
	*s += 0x9E3779B97F4A7C15
	z := *s
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// nlbLoadClient gives nlb_load's next client:
// splitmix64 seeded with the seed gives one 64-bit value z per client; the
// client's address is 10.0.0.0 plus the top 24 bits of z, its port 1025
// plus the low 32 bits of z modulo 3976 (1025–5000).
func nlbLoadClient(s *uint64) (uint32, uint16) {
	z := splitmix64(s)
	return 10<<24 | uint32(z>>40), uint16(nlbEphemeralFirst + uint32(z)%(nlbEphemeralLast-nlbEphemeralFirst+1))
}

// LoadSpec is a burst of traffic for Load.
type LoadSpec struct {
	Clients   int
	Port      int
	Protocol  string
	Seed      int64
	ClusterIP string // "" for the cluster's own address
}

// Load sends one new connection (or datagram) from each of clients
// seeded clients and counts where they land. The connections are short:
// none stays open.
func (e *Engine) Load(cluster string, spec LoadSpec) (LoadResult, error) {
	clients, port, protocol, seed, clusterIP := spec.Clients, spec.Port, spec.Protocol, spec.Seed, spec.ClusterIP
	c, err := e.Cluster(cluster)
	if err != nil {
		return LoadResult{}, err
	}
	if clients < 0 || clients > nlbMaxLoadClients {
		return LoadResult{}, core.Errf(core.ErrInvalid, "clients=%d is outside 0–%d", clients, nlbMaxLoadClients)
	}
	pk, p, err := e.nlbPacket(c, Packet{Client: "10.0.0.1", ClientPort: 0, Port: port, Protocol: protocol, ClusterIP: clusterIP})
	if err != nil {
		return LoadResult{}, err
	}
	counts := make([]int, len(c.Hosts))
	dropped := 0
	s := uint64(seed)
	for i := 0; i < clients; i++ {
		client, cport := nlbLoadClient(&s)
		h, _, _ := c.router.route(client, cport, pk.vip, pk.port, pk.proto)
		if h < 0 {
			dropped++
		} else {
			counts[h]++
		}
	}
	res := LoadResult{Dropped: dropped}
	for i, h := range c.Hosts {
		res.Hosts = append(res.Hosts, HostCount{h.Server, counts[i]})
	}
	sort.Slice(res.Hosts, func(i, j int) bool { return res.Hosts[i].Host < res.Hosts[j].Host })
	parts := make([]string, 0, len(res.Hosts)+1)
	for _, hc := range res.Hosts {
		parts = append(parts, fmt.Sprintf("%s %d", hc.Host, hc.Count))
	}
	parts = append(parts, fmt.Sprintf("dropped %d", dropped))
	e.nlbLog(c, "load of %d clients (seed %d) to %s:%d/%s: %s", clients, seed, p.ClusterIP, port, protocol, strings.Join(parts, ", "))
	return res, nil
}
