package core

import (
	"fmt"
	"hash/fnv"
	"net/netip"
	"sort"
	"strings"
)

// World is the core of the simulated environment: the directory, the
// servers and their disks, and the virtual clock with its timers and event
// log; the engines attached to it hold the clusters. It is a synchronous
// state machine: every exported method either validates, mutates and
// appends events, or returns an error having changed nothing.
type World struct {
	Clock   int64     `json:"clock"`
	Events  []Event   `json:"events"`
	Domains []*Domain `json:"domains,omitempty"`
	Servers []*Server `json:"servers,omitempty"`
	Disks   []*Disk   `json:"disks,omitempty"`
	AsrSets []*AsrSet `json:"asr_sets,omitempty"`

	timers  timerQueue
	engines []Engine
	journal journal
	changes []Change // the change log of this run (changes.go)
	// noChanges: the change log is not kept (DiscardChanges).
	noChanges bool

	domains map[string]*Domain // by Key(DNS name) and Key(NetBIOS name)
	servers map[string]*Server // by Key(name)
	disks   map[string]*Disk   // by Key(label)
	addrs   map[string][]AddrUse
}

// NewWorld returns an empty world at the start of the virtual clock, with
// no engines yet: Attach them before use.
func NewWorld() *World {
	w := &World{}
	w.timers.kinds = map[string]TimerKind{}
	w.Reindex()
	return w
}

// Attach wires the engines to the core, in the order the core will call
// them, and declares their timer kinds.
func (w *World) Attach(engines ...Engine) {
	w.engines = append(w.engines, engines...)
	for _, e := range engines {
		for _, k := range e.TimerKinds() {
			if _, dup := w.timers.kinds[k.Name]; dup {
				panic("core: timer kind declared twice: " + k.Name)
			}
			w.timers.kinds[k.Name] = k
		}
	}
}

// Membership names what a server belongs to in any engine ("a node of
// cluster X"), or "".
func (w *World) Membership(server string) string {
	for _, e := range w.engines {
		if m := e.MemberOf(server); m != "" {
			return m
		}
	}
	return ""
}

// Reindex rebuilds the core's derived indexes (names, addresses), then the
// engines'.
func (w *World) Reindex() {
	w.domains = map[string]*Domain{}
	w.servers = map[string]*Server{}
	w.disks = map[string]*Disk{}
	for _, d := range w.Domains {
		w.domains[Key(d.Name)] = d
		w.domains[Key(d.NetBIOS)] = d
		d.reindex()
	}
	for _, s := range w.Servers {
		w.servers[Key(s.Name)] = s
	}
	for _, d := range w.Disks {
		w.disks[Key(d.Label)] = d
	}
	w.indexAddresses()
	for _, e := range w.engines {
		e.Reindex()
	}
}

// indexAddresses rebuilds the address index, its lists in one shared
// array, each clipped so that an append copies it (as ClaimAddr does).
func (w *World) indexAddresses() {
	type claim struct {
		ip string
		u  AddrUse
	}
	var claims []claim
	w.addresses(func(ip string, u AddrUse) { claims = append(claims, claim{ip, u}) })
	w.addrs = make(map[string][]AddrUse, len(claims))
	all := make([]AddrUse, len(claims))
	for i, c := range claims {
		all[i] = c.u
		if uses, ok := w.addrs[c.ip]; ok {
			w.addrs[c.ip] = append(uses, c.u)
		} else {
			w.addrs[c.ip] = all[i : i+1 : i+1]
		}
	}
}

// addresses reports every address in use: the adapters' own, then each
// engine's.
func (w *World) addresses(claim func(ip string, u AddrUse)) {
	for _, s := range w.Servers {
		for _, a := range s.Adapters {
			if a.IP != "" {
				claim(a.IP, AddrUse{Kind: AddrAdapter, Owner: s.Name + " " + a.Name})
			}
			for _, x := range a.ExtraIPs {
				claim(x, AddrUse{Kind: AddrExtra, Owner: s.Name + " " + a.Name})
			}
		}
	}
	for _, e := range w.engines {
		e.Addresses(claim)
	}
}

// LookupServer returns the server of that name, or nil.
func (w *World) LookupServer(name string) *Server { return w.servers[Key(name)] }

// LookupDisk returns the disk of that label, or nil.
func (w *World) LookupDisk(label string) *Disk { return w.disks[Key(label)] }

// LookupDomain returns the domain of that DNS or NetBIOS name, or nil.
func (w *World) LookupDomain(name string) *Domain { return w.domains[Key(name)] }

// AddressUses lists what uses an address.
func (w *World) AddressUses(ip string) []AddrUse { return w.addrs[ip] }

// ---- Addresses ----

type AddrKind int

const (
	AddrAdapter AddrKind = iota // an adapter's own static address
	AddrExtra                   // an additional address bound on an adapter (NLB cluster IPs)
	AddrVirtual                 // a server cluster's address (IP Address resource)
	AddrNLB                     // an NLB cluster's address, bound as an extra address on its hosts
)

type AddrUse struct {
	Kind  AddrKind
	Owner string
}

func (u AddrUse) Describe() string {
	switch u.Kind {
	case AddrAdapter:
		return "adapter " + u.Owner
	case AddrExtra:
		return "an extra address of adapter " + u.Owner
	default:
		return u.Owner
	}
}

// ClaimAddr records a use of an address.
func (w *World) ClaimAddr(ip string, u AddrUse) { SetKey(w, w.addrs, ip, append(w.addrs[ip], u)) }

// ReleaseAddr forgets the uses of an address that match. The list is
// rebuilt, never filtered in place: a transaction may hold the old one.
func (w *World) ReleaseAddr(ip string, match func(AddrUse) bool) {
	var uses []AddrUse
	for _, u := range w.addrs[ip] {
		if !match(u) {
			uses = append(uses, u)
		}
	}
	if len(uses) == 0 {
		DeleteKey(w, w.addrs, ip)
	} else {
		SetKey(w, w.addrs, ip, uses)
	}
}

// addrConflict reports who already uses ip in a way that forbids a use of
// kind k. Extra addresses may be shared by several adapters: that is how an
// NLB cluster address is bound on every host. skipOwner ignores uses by one
// owner (an adapter being reconfigured).
func (w *World) AddrConflict(ip string, k AddrKind, skipOwner string) (AddrUse, bool) {
	for _, u := range w.addrs[ip] {
		if skipOwner != "" && u.Owner == skipOwner && (u.Kind == AddrAdapter || u.Kind == AddrExtra) {
			continue
		}
		if shareable(k, u.Kind) {
			continue
		}
		return u, true
	}
	return AddrUse{}, false
}

// shareable reports whether two uses of one address can coexist: extra
// addresses bound on several adapters, and an NLB cluster address with the
// hosts' extra addresses that carry it.
func shareable(a, b AddrKind) bool {
	return (a == AddrExtra || a == AddrNLB) && (b == AddrExtra || b == AddrNLB) && !(a == AddrNLB && b == AddrNLB)
}

// AddressInUse reports what uses an IPv4 address, if anything.
func (w *World) AddressInUse(ip string) (string, bool) {
	if uses := w.addrs[ip]; len(uses) > 0 {
		return uses[0].Describe(), true
	}
	return "", false
}

// ---- Domains and accounts ----

// Built-in domain groups.
const (
	GroupDomainAdmins   = "Domain Admins"
	GroupDomainUsers    = "Domain Users"
	GroupExchangeAdmins = "Exchange Admins"
)

var domainGroups = []string{GroupDomainAdmins, GroupDomainUsers, GroupExchangeAdmins}

// A Domain is an Active Directory domain.
type Domain struct {
	Name    string  `json:"name"`    // DNS name, e.g. corp.example.com
	NetBIOS string  `json:"netbios"` // e.g. CORP
	Users   []*User `json:"users"`   // appended to, never changed in place

	users map[string]*User
	saved Stamp
}

func cloneDomain(d *Domain) Domain { return *d }

func (d *Domain) reindex() {
	d.users = map[string]*User{}
	for _, u := range d.Users {
		d.users[Key(u.Name)] = u
	}
}

// Groups lists the domain's security groups.
func (d *Domain) Groups() []string { return append([]string(nil), domainGroups...) }

// A User is a domain account.
type User struct {
	Domain   string   `json:"domain"` // NetBIOS name of the domain
	Name     string   `json:"name"`
	Password string   `json:"password,omitempty"`
	Groups   []string `json:"groups"` // sorted

	saved Stamp
}

func cloneUser(u *User) User {
	c := *u
	c.Groups = append([]string(nil), u.Groups...)
	return c
}

// QualifiedName is "DOMAIN\name".
func (u *User) QualifiedName() string { return u.Domain + `\` + u.Name }

// InGroup reports membership of a domain group.
func (u *User) InGroup(g string) bool {
	for _, x := range u.Groups {
		if strings.EqualFold(x, g) {
			return true
		}
	}
	return false
}

func validDNSName(name string) error {
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return Errf(ErrInvalid, "domain name %q is a single label; give the DNS name of the domain, e.g. \"corp.example.com\"", name)
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 {
			return Errf(ErrInvalid, "domain name %q has an empty or over-long label; labels are 1–63 characters", name)
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return Errf(ErrInvalid, "domain name %q contains %q; DNS labels use letters, digits and hyphens", name, r)
			}
		}
		if l[0] == '-' || l[len(l)-1] == '-' {
			return Errf(ErrInvalid, "domain name %q has a label that starts or ends with a hyphen", name)
		}
	}
	return nil
}

// CreateDomain creates an Active Directory domain with its built-in groups
// and the Administrator account.
func (w *World) CreateDomain(name, netbios string) (*Domain, error) {
	if err := validDNSName(name); err != nil {
		return nil, err
	}
	if netbios == "" {
		netbios = strings.ToUpper(strings.Split(name, ".")[0])
		if len(netbios) > 15 {
			return nil, Errf(ErrInvalid, "the first label of %q is longer than 15 characters, too long for a NetBIOS domain name; pass netbios= explicitly", name)
		}
	}
	if err := ValidNetBIOS("NetBIOS domain", netbios); err != nil {
		return nil, err
	}
	netbios = strings.ToUpper(netbios)
	if d, ok := w.domains[Key(name)]; ok {
		return nil, Errf(ErrConflict, "domain %q already exists (NetBIOS %s); look it up with get_domain(%q)", name, d.NetBIOS, d.Name)
	}
	if d, ok := w.domains[Key(netbios)]; ok {
		return nil, Errf(ErrConflict, "NetBIOS name %s is already used by domain %q; pass a different netbios=", netbios, d.Name)
	}
	if _, ok := w.servers[Key(netbios)]; ok {
		return nil, Errf(ErrConflict, "NetBIOS name %s is already a server's name; pass a different netbios=", netbios)
	}
	d := &Domain{Name: name, NetBIOS: netbios}
	d.Users = []*User{{Domain: netbios, Name: "Administrator", Groups: []string{GroupDomainAdmins, GroupDomainUsers}}}
	d.reindex()
	w.Domains = append(w.Domains, d)
	SetKey(w, w.domains, Key(name), d)
	SetKey(w, w.domains, Key(netbios), d)
	w.Emit(KindWorld, name, "", "domain %s created (NetBIOS %s) with Administrator in Domain Admins", name, netbios)
	w.RecordChange("domain", "", name, Text("netbios", netbios))
	return d, nil
}

// Domain looks a domain up by DNS or NetBIOS name.
func (w *World) Domain(name string) (*Domain, error) {
	if d, ok := w.domains[Key(name)]; ok {
		return d, nil
	}
	names := make([]string, len(w.Domains))
	for i, d := range w.Domains {
		names[i] = d.Name
	}
	return nil, NotFound("domain", name, names)
}

func validAccountName(name string) error {
	if name == "" || len(name) > 20 {
		return Errf(ErrInvalid, "account name %q must have 1–20 characters", name)
	}
	if i := strings.IndexAny(name, `"/\[]:;|=,+*?<>@`); i >= 0 {
		return Errf(ErrInvalid, "account name %q contains %q, which Windows account names may not", name, name[i])
	}
	return nil
}

func (d *Domain) group(g string) (string, error) {
	for _, x := range domainGroups {
		if strings.EqualFold(x, g) {
			return x, nil
		}
	}
	return "", NotFound("group in domain "+d.Name, g, domainGroups)
}

// CreateUser creates a domain account, a member of Domain Users and of any
// groups given.
func (w *World) CreateUser(domain, name, password string, groups []string) (*User, error) {
	d, err := w.Domain(domain)
	if err != nil {
		return nil, err
	}
	if err := validAccountName(name); err != nil {
		return nil, err
	}
	if _, ok := d.users[Key(name)]; ok {
		return nil, Errf(ErrConflict, "account %s\\%s already exists; pick another name or use the existing account", d.NetBIOS, name)
	}
	member := map[string]bool{GroupDomainUsers: true}
	for _, g := range groups {
		canon, err := d.group(g)
		if err != nil {
			return nil, err
		}
		member[canon] = true
	}
	u := &User{Domain: d.NetBIOS, Name: name, Password: password, Groups: SortedKeys(member)}
	Touch(w, d, &d.saved, cloneDomain)
	d.Users = append(d.Users, u)
	SetKey(w, d.users, Key(name), u)
	w.Emit(KindWorld, u.QualifiedName(), "", "user %s created, member of %s", u.QualifiedName(), strings.Join(u.Groups, ", "))
	w.RecordChange("create_user", "", u.QualifiedName(), List("groups", u.Groups)) // never the password
	return u, nil
}

// User looks up an account written "DOMAIN\name".
func (w *World) User(qualified string) (*User, error) {
	dom, name, ok := strings.Cut(qualified, `\`)
	if !ok {
		return nil, Errf(ErrInvalid, "account %q has no domain; write it as \"DOMAIN\\\\name\"", qualified)
	}
	d, err := w.Domain(dom)
	if err != nil {
		return nil, err
	}
	if u, ok := d.users[Key(name)]; ok {
		return u, nil
	}
	names := make([]string, len(d.Users))
	for i, u := range d.Users {
		names[i] = u.Name
	}
	return nil, NotFound("account in domain "+d.NetBIOS, name, names)
}

// AddToGroup makes an account a member of a domain group.
func (w *World) AddToGroup(user, group string) error {
	u, err := w.User(user)
	if err != nil {
		return err
	}
	d := w.domains[Key(u.Domain)]
	canon, err := d.group(group)
	if err != nil {
		return err
	}
	if u.InGroup(canon) {
		w.Emit(KindWorld, u.QualifiedName(), "", "user %s is already a member of %s", u.QualifiedName(), canon)
		return nil
	}
	Touch(w, u, &u.saved, cloneUser)
	u.Groups = append(u.Groups, canon)
	sort.Strings(u.Groups)
	w.Emit(KindWorld, u.QualifiedName(), "", "user %s added to %s", u.QualifiedName(), canon)
	w.RecordChange("add_to_group", "", u.QualifiedName(), Text("group", canon))
	return nil
}

// ---- Servers ----

// Server editions and versions.
var (
	Editions = []string{"standard", "enterprise", "datacenter", "web"}
	// Versions are in release order (VersionAtLeast compares by it).
	Versions = []string{"2003", "2008", "2008 R2", "2012", "2012 R2", "2016", "2019", "2022"}
)

// A Server is a Windows server.
type Server struct {
	Name          string     `json:"name"`
	Edition       string     `json:"edition"`
	Version       string     `json:"version"`
	Domain        string     `json:"domain,omitempty"` // DNS name of the domain it joined
	Adapters      []*Adapter `json:"adapters"`
	Components    []string   `json:"components,omitempty"` // sorted
	Exchange      string     `json:"exchange,omitempty"`   // "", "standalone" or "cluster-aware"
	ExchangeDrive string     `json:"exchange_drive,omitempty"`
	Running       bool       `json:"running"`
	NoSystemDisk  bool       `json:"no_system_disk,omitempty"` // lost; boots again only after an ASR restore
	Cluster       string     `json:"cluster,omitempty"`        // the server cluster it is a node of

	saved Stamp
}

// TouchServer saves a server for the open transaction, if any: call it
// before changing the server.
func (w *World) TouchServer(s *Server) {
	Touch(w, s, &s.saved, func(s *Server) Server {
		c := *s
		c.Adapters = append([]*Adapter(nil), s.Adapters...)
		c.Components = append([]string(nil), s.Components...)
		return c
	})
}

// An Adapter is a network adapter with a static address.
type Adapter struct {
	Name     string   `json:"name"`
	IP       string   `json:"ip,omitempty"`
	Mask     string   `json:"mask,omitempty"`
	Gateway  string   `json:"gateway,omitempty"`
	ExtraIPs []string `json:"extra_ips,omitempty"`
	Role     string   `json:"role,omitempty"` // "private", "public" or "mixed"
	Failed   bool     `json:"failed,omitempty"`

	saved Stamp
}

func (w *World) touchAdapter(a *Adapter) {
	Touch(w, a, &a.saved, func(a *Adapter) Adapter {
		c := *a
		c.ExtraIPs = append([]string(nil), a.ExtraIPs...)
		return c
	})
}

// Prefix is the adapter's subnet, valid once it is configured.
func (a *Adapter) Prefix() netip.Prefix {
	p, _ := HostAddress("address", a.IP, a.Mask)
	return p.Masked()
}

// Configured reports whether the adapter has a static address.
func (a *Adapter) Configured() bool { return a.IP != "" }

// Clustering reports whether the edition runs the Cluster service.
func (s *Server) Clustering() bool { return s.Edition == "enterprise" || s.Edition == "datacenter" }

// Adapter finds an adapter by name.
func (s *Server) Adapter(name string) (*Adapter, error) {
	for _, a := range s.Adapters {
		if strings.EqualFold(a.Name, name) {
			return a, nil
		}
	}
	names := make([]string, len(s.Adapters))
	for i, a := range s.Adapters {
		names[i] = a.Name
	}
	return nil, NotFound("adapter on "+s.Name, name, names)
}

// HasComponent reports whether a Windows component is installed.
func (s *Server) HasComponent(c string) bool {
	for _, x := range s.Components {
		if x == c {
			return true
		}
	}
	return false
}

// InstallServer installs Windows Server on a new machine with the named
// network adapters, unconfigured.
func (w *World) InstallServer(name, edition, version string, adapters []string) (*Server, error) {
	if err := ValidNetBIOS("server", name); err != nil {
		return nil, err
	}
	if err := OneOf("edition", edition, Editions...); err != nil {
		return nil, err
	}
	if err := OneOf("version", version, Versions...); err != nil {
		return nil, err
	}
	if _, ok := w.servers[Key(name)]; ok {
		return nil, Errf(ErrConflict, "a server named %s already exists; computer names are unique on the network", name)
	}
	if d, ok := w.domains[Key(name)]; ok && strings.EqualFold(d.NetBIOS, name) {
		return nil, Errf(ErrConflict, "%s is the NetBIOS name of domain %s; pick another computer name", name, d.Name)
	}
	if len(adapters) == 0 {
		return nil, Errf(ErrInvalid, "server %s needs at least one network adapter; clusters want two (public and private)", name)
	}
	seen := map[string]bool{}
	s := &Server{Name: name, Edition: edition, Version: version, Running: true}
	for _, a := range adapters {
		if strings.TrimSpace(a) == "" {
			return nil, Errf(ErrInvalid, "server %s: an adapter name is empty", name)
		}
		if seen[Key(a)] {
			return nil, Errf(ErrConflict, "server %s: adapter %q is listed twice; give each adapter its own name", name, a)
		}
		seen[Key(a)] = true
		s.Adapters = append(s.Adapters, &Adapter{Name: a})
	}
	w.Servers = append(w.Servers, s)
	SetKey(w, w.servers, Key(name), s)
	w.Emit(KindWorld, name, "", "server %s installed: Windows Server %s %s edition, adapters %s", name, version, TitleCase(edition), strings.Join(adapters, ", "))
	w.RecordChange("install_server", "", name, Text("edition", edition), Text("version", version), List("adapters", adapters))
	return s, nil
}

func TitleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Server looks a server up by name.
func (w *World) Server(name string) (*Server, error) {
	if s, ok := w.servers[Key(name)]; ok {
		return s, nil
	}
	names := make([]string, len(w.Servers))
	for i, s := range w.Servers {
		names[i] = s.Name
	}
	return nil, NotFound("server", name, names)
}

func (s *Server) MustRun(op string) error {
	if !s.Running {
		return Errf(ErrState, "server %s is not running; boot it before you %s", s.Name, op)
	}
	return nil
}

// Adapter roles.
var Roles = []string{"private", "public", "mixed"}

// TCPIPSpec is an adapter's static TCP/IP settings, as the Internet
// Protocol (TCP/IP) Properties dialog takes them.
type TCPIPSpec struct {
	IP, Mask, Gateway string
	ExtraIPs          []string // additional addresses on the same subnet
	Role              string   // "private", "public", "mixed"; "" for the default
}

// ValidGateway refuses a default gateway ("" for none) that is not
// another unicast address of the adapter's subnet p.
func ValidGateway(p netip.Prefix, gateway string) error {
	if gateway == "" {
		return nil
	}
	g, err := ParseIPv4("gateway", gateway)
	if err != nil {
		return err
	}
	if !SameSubnet(p, g) || g == p.Addr() {
		return Errf(ErrInvalid, "gateway %s is not another address in %s, the subnet of %s; a default gateway must be on the adapter's own subnet", gateway, p.Masked(), p.Addr())
	}
	return UnicastHost("gateway", g, p.Bits())
}

// ValidExtraIP refuses an extra address that is not a unicast address of
// the adapter's subnet p.
func ValidExtraIP(p netip.Prefix, x string) error {
	xa, err := ParseIPv4("extra address", x)
	if err != nil {
		return err
	}
	if err := UnicastHost("extra address", xa, p.Bits()); err != nil {
		return err
	}
	if !SameSubnet(p, xa) {
		return Errf(ErrInvalid, "extra address %s is outside %s, the subnet of the adapter; bind only addresses of that subnet", x, p.Masked())
	}
	return nil
}

// ConfigureTCPIP gives an adapter a static address. Calling it again on the
// same adapter replaces the earlier settings.
func (w *World) ConfigureTCPIP(server, adapter string, spec TCPIPSpec) error {
	ip, mask, gateway, extra, role := spec.IP, spec.Mask, spec.Gateway, spec.ExtraIPs, spec.Role
	s, err := w.Server(server)
	if err != nil {
		return err
	}
	if err := s.MustRun("configure its network"); err != nil {
		return err
	}
	a, err := s.Adapter(adapter)
	if err != nil {
		return err
	}
	owner := s.Name + " " + a.Name
	p, err := HostAddress("address", ip, mask)
	if err != nil {
		return err
	}
	if role == "" {
		role = "mixed"
		if strings.EqualFold(a.Name, "Private") {
			role = "private"
		}
	}
	if err := OneOf("adapter role", role, Roles...); err != nil {
		return err
	}
	if u, ok := w.AddrConflict(ip, AddrAdapter, owner); ok {
		return Errf(ErrConflict, "address %s is already used by %s; every address on the network must be unique", ip, u.Describe())
	}
	for _, other := range s.Adapters {
		if other != a && other.Configured() && other.Prefix().Overlaps(p.Masked()) {
			return Errf(ErrConflict, "%s adapter %s is already on subnet %s; put %s on a different subnet", s.Name, other.Name, other.Prefix(), a.Name)
		}
	}
	if err := ValidGateway(p, gateway); err != nil {
		return err
	}
	seen := map[string]bool{ip: true}
	for _, x := range extra {
		if err := ValidExtraIP(p, x); err != nil {
			return err
		}
		if seen[x] {
			return Errf(ErrConflict, "address %s is listed twice on %s %s", x, s.Name, a.Name)
		}
		seen[x] = true
		if u, ok := w.AddrConflict(x, AddrExtra, owner); ok {
			return Errf(ErrConflict, "address %s is already used by %s; an extra address may be shared only with other adapters' extra addresses (as NLB does)", x, u.Describe())
		}
	}
	for _, e := range w.engines {
		if err := e.GuardAdapter(s, a, p, extra); err != nil {
			return err
		}
	}
	// All checks passed: replace the adapter's settings.
	mine := func(u AddrUse) bool { return u.Owner == owner && (u.Kind == AddrAdapter || u.Kind == AddrExtra) }
	if a.IP != "" {
		w.ReleaseAddr(a.IP, mine)
	}
	for _, x := range a.ExtraIPs {
		w.ReleaseAddr(x, mine)
	}
	w.touchAdapter(a)
	a.IP, a.Mask, a.Gateway, a.Role = ip, mask, gateway, role
	a.ExtraIPs = append([]string(nil), extra...)
	w.ClaimAddr(ip, AddrUse{Kind: AddrAdapter, Owner: owner})
	for _, x := range extra {
		w.ClaimAddr(x, AddrUse{Kind: AddrExtra, Owner: owner})
	}
	text := fmt.Sprintf("%s adapter %s: %s/%d, role %s", s.Name, a.Name, ip, p.Bits(), role)
	if gateway != "" {
		text += ", gateway " + gateway
	}
	if len(extra) > 0 {
		text += ", also " + strings.Join(extra, ", ")
	}
	w.EmitText(KindWorld, s.Name, "", text)
	w.RecordChange("configure_tcpip", "", s.Name, Text("adapter", a.Name), Text("ip", a.IP), Text("mask", a.Mask), Text("gateway", a.Gateway), List("extra_ips", a.ExtraIPs), Text("role", a.Role))
	return nil
}

// JoinDomain makes a server a member of a domain.
func (w *World) JoinDomain(server, domain string) error {
	s, err := w.Server(server)
	if err != nil {
		return err
	}
	d, err := w.Domain(domain)
	if err != nil {
		return err
	}
	if err := s.MustRun("join it to a domain"); err != nil {
		return err
	}
	if s.Domain != "" {
		if strings.EqualFold(s.Domain, d.Name) {
			w.Emit(KindWorld, s.Name, "", "server %s is already a member of %s", s.Name, d.Name)
			return nil
		}
		return Errf(ErrConflict, "server %s is already a member of domain %s; a server belongs to one domain", s.Name, s.Domain)
	}
	configured := false
	for _, a := range s.Adapters {
		configured = configured || a.Configured()
	}
	if !configured {
		return Errf(ErrPrereq, "server %s has no configured adapter and cannot reach a domain controller; call configure_tcpip first", s.Name)
	}
	w.TouchServer(s)
	s.Domain = d.Name
	w.Emit(KindWorld, s.Name, "", "server %s joined domain %s", s.Name, d.Name)
	w.RecordChange("join_domain", "", s.Name, Text("domain", d.Name))
	return nil
}

// Windows components that install_component knows, and the components each
// one pulls in (the Windows Components Wizard selects a parent with its
// child).
var (
	Components     = []string{"IIS", "WWW", "SMTP", "NNTP", "ASP.NET", ".NET Framework"}
	componentNeeds = map[string][]string{
		"WWW":     {"IIS"},
		"SMTP":    {"IIS"},
		"NNTP":    {"IIS"},
		"ASP.NET": {"IIS", "WWW", ".NET Framework"},
	}
)

// InstallComponent installs a Windows component, with the components it
// needs.
func (w *World) InstallComponent(server, name string) error {
	s, err := w.Server(server)
	if err != nil {
		return err
	}
	canon := ""
	for _, c := range Components {
		if strings.EqualFold(c, name) {
			canon = c
		}
	}
	if canon == "" {
		return OneOf("Windows component", name, Components...)
	}
	if err := s.MustRun("install components"); err != nil {
		return err
	}
	if s.HasComponent(canon) {
		w.Emit(KindWorld, s.Name, "", "%s is already installed on %s", canon, s.Name)
		return nil
	}
	w.TouchServer(s)
	var added []string
	for _, c := range append(componentNeeds[canon], canon) {
		if !s.HasComponent(c) {
			s.Components = append(s.Components, c)
			added = append(added, c)
		}
	}
	sort.Strings(s.Components)
	if len(added) > 1 {
		w.Emit(KindWorld, s.Name, "", "%s installed on %s (with %s)", canon, s.Name, strings.Join(added[:len(added)-1], ", "))
	} else {
		w.Emit(KindWorld, s.Name, "", "%s installed on %s", canon, s.Name)
	}
	w.RecordChange("install_component", "", s.Name, Text("component", canon))
	return nil
}

// ---- Shared disks ----

// A Disk is a disk on a shared storage bus.
type Disk struct {
	Label     string   `json:"label"`
	SizeGB    float64  `json:"size_gb"`
	Servers   []string `json:"servers"` // servers on the bus, in the order given
	Kind      string   `json:"kind"`    // "basic" or "dynamic"
	FS        string   `json:"fs"`      // "raw", "NTFS", "FAT32", "FAT"
	Letter    string   `json:"letter,omitempty"`
	Signature string   `json:"signature"`
	Failed    bool     `json:"failed,omitempty"`

	saved Stamp
}

func (w *World) touchDisk(d *Disk) { Touch(w, d, &d.saved, func(d *Disk) Disk { return *d }) }

// Disk kinds and file systems.
var (
	DiskKinds   = []string{"basic", "dynamic"}
	FileSystems = []string{"raw", "NTFS", "FAT32", "FAT"}
	// FormattedFileSystems are the file systems format_disk writes.
	FormattedFileSystems = FileSystems[1:]
)

// Sees reports whether a server is on the disk's bus.
func (d *Disk) Sees(server string) bool {
	for _, s := range d.Servers {
		if strings.EqualFold(s, server) {
			return true
		}
	}
	return false
}

// Clusterable explains why a disk cannot be a cluster disk, or returns nil.
func (d *Disk) Clusterable() error {
	switch {
	case d.Kind != "basic":
		return Errf(ErrPrereq, "disk %s is a dynamic disk; cluster disks must be basic: call convert_to_basic(%q) before formatting it", d.Label, d.Label)
	case d.FS != "NTFS":
		return Errf(ErrPrereq, "disk %s is %s; cluster disks must be NTFS: call format_disk(%q, letter, \"NTFS\")", d.Label, d.FS, d.Label)
	case d.Letter == "":
		return Errf(ErrPrereq, "disk %s has no drive letter; give it one with format_disk(%q, letter)", d.Label, d.Label)
	}
	return nil
}

func normLetter(l string) (string, error) {
	u := strings.ToUpper(strings.TrimSuffix(l, ":"))
	if len(u) != 1 || u[0] < 'A' || u[0] > 'Z' {
		return "", Errf(ErrInvalid, "drive letter %q is not a letter such as \"Q:\"", l)
	}
	switch u {
	case "A", "B":
		return "", Errf(ErrInvalid, "drive letter %s: is reserved for floppy drives; pick another letter", u)
	case "C":
		return "", Errf(ErrConflict, "drive letter C: is each server's system drive; pick another letter")
	}
	return u + ":", nil
}

// letterOwner finds a disk other than d, visible to one of servers, with letter.
func (w *World) letterOwner(letter string, servers []string, except *Disk) *Disk {
	for _, o := range w.Disks {
		if o == except || o.Letter != letter {
			continue
		}
		for _, s := range servers {
			if o.Sees(s) {
				return o
			}
		}
	}
	return nil
}

func diskSignature(label string) string {
	h := fnv.New32a()
	h.Write([]byte(label))
	return fmt.Sprintf("%08X", h.Sum32())
}

// DiskSpec describes a disk on a shared bus.
type DiskSpec struct {
	Label   string
	SizeGB  float64
	Servers []string // the servers on the bus, in order
	Kind    string   // "basic" or "dynamic"
	FS      string   // "raw" ("" too), "NTFS", "FAT32", "FAT"
	Letter  string   // "" for none
}

// CreateSharedDisk adds a disk on a shared bus visible to the given servers.
func (w *World) CreateSharedDisk(spec DiskSpec) (*Disk, error) {
	label, sizeGB, servers, kind, fs, letter := spec.Label, spec.SizeGB, spec.Servers, spec.Kind, spec.FS, spec.Letter
	if strings.TrimSpace(label) == "" {
		return nil, Errf(ErrInvalid, "disk label is empty; give each shared disk a label such as \"Quorum\"")
	}
	if _, ok := w.disks[Key(label)]; ok {
		return nil, Errf(ErrConflict, "a disk labelled %q already exists; labels identify disks and must be unique", label)
	}
	if !(sizeGB > 0) {
		return nil, Errf(ErrInvalid, "disk %s: size_gb must be positive, got %g", label, sizeGB)
	}
	if err := OneOf("disk kind", kind, DiskKinds...); err != nil {
		return nil, err
	}
	if fs == "" {
		fs = "raw"
	}
	fsCanon := ""
	for _, f := range FileSystems {
		if strings.EqualFold(f, fs) {
			fsCanon = f
		}
	}
	if fsCanon == "" {
		return nil, OneOf("file system", fs, FileSystems...)
	}
	if len(servers) == 0 {
		return nil, Errf(ErrInvalid, "disk %s is on no server's bus; list the servers that see it", label)
	}
	var names []string
	seen := map[string]bool{}
	for _, sn := range servers {
		s, err := w.Server(sn)
		if err != nil {
			return nil, err
		}
		if seen[Key(s.Name)] {
			return nil, Errf(ErrConflict, "disk %s: server %s is listed twice", label, s.Name)
		}
		seen[Key(s.Name)] = true
		names = append(names, s.Name)
	}
	if letter != "" {
		l, err := normLetter(letter)
		if err != nil {
			return nil, err
		}
		if fsCanon == "raw" {
			return nil, Errf(ErrInvalid, "disk %s is raw, so it has no volume to give letter %s; pass fs=\"NTFS\" or call format_disk later", label, l)
		}
		if o := w.letterOwner(l, names, nil); o != nil {
			return nil, Errf(ErrConflict, "drive letter %s is already used by disk %s on a server of this bus; pick another letter", l, o.Label)
		}
		letter = l
	}
	d := &Disk{Label: label, SizeGB: sizeGB, Servers: names, Kind: kind, FS: fsCanon, Letter: letter, Signature: diskSignature(label)}
	w.Disks = append(w.Disks, d)
	SetKey(w, w.disks, Key(label), d)
	desc := fmt.Sprintf("%s %s", kind, fsCanon)
	if letter != "" {
		desc += " " + letter
	}
	w.Emit(KindWorld, label, "", "shared disk %s created: %g GB, %s, signature %s, seen by %s", label, sizeGB, desc, d.Signature, strings.Join(names, ", "))
	w.RecordChange("shared_disk", "", label, Text("kind", d.Kind), Text("fs", d.FS), Text("letter", d.Letter), Text("signature", d.Signature), List("servers", names))
	return d, nil
}

// Disk looks a shared disk up by label. (Not by letter: two buses may use
// the same letter.)
func (w *World) Disk(label string) (*Disk, error) {
	if d, ok := w.disks[Key(label)]; ok {
		return d, nil
	}
	names := make([]string, len(w.Disks))
	for i, d := range w.Disks {
		names[i] = d.Label
	}
	return nil, NotFound("shared disk", label, names)
}

// DiskHolder names what holds a disk (a cluster resource), or "".
func (w *World) DiskHolder(d *Disk) string {
	for _, e := range w.engines {
		if h := e.HolderOf(d); h != "" {
			return h
		}
	}
	return ""
}

// FormatDisk creates a volume on a shared disk and gives it a drive letter.
func (w *World) FormatDisk(label, letter, fs string) error {
	d, err := w.Disk(label)
	if err != nil {
		return err
	}
	l, err := normLetter(letter)
	if err != nil {
		return err
	}
	fsCanon := ""
	for _, f := range FormattedFileSystems {
		if strings.EqualFold(f, fs) {
			fsCanon = f
		}
	}
	if fsCanon == "" {
		return OneOf("file system", fs, FormattedFileSystems...)
	}
	if r := w.DiskHolder(d); r != "" {
		return Errf(ErrState, "disk %s belongs to cluster resource %s; formatting it would destroy the cluster's data — delete the resource first", d.Label, r)
	}
	if o := w.letterOwner(l, d.Servers, d); o != nil {
		return Errf(ErrConflict, "drive letter %s is already used by disk %s on a server of this bus; pick another letter", l, o.Label)
	}
	w.touchDisk(d)
	d.FS, d.Letter = fsCanon, l
	w.Emit(KindWorld, d.Label, "", "disk %s formatted %s as %s", d.Label, fsCanon, l)
	w.RecordChange("format_disk", "", d.Label, Text("letter", l), Text("fs", fsCanon))
	return nil
}

// ConvertToBasic turns a dynamic disk into a basic one. As in Disk
// Management, only a disk without volumes can be converted.
func (w *World) ConvertToBasic(label string) error {
	d, err := w.Disk(label)
	if err != nil {
		return err
	}
	if d.Kind == "basic" {
		w.Emit(KindWorld, d.Label, "", "disk %s is already basic", d.Label)
		return nil
	}
	if d.FS != "raw" {
		return Errf(ErrState, "disk %s is dynamic with an %s volume; Windows converts only an empty dynamic disk to basic — convert it before formatting", d.Label, d.FS)
	}
	w.touchDisk(d)
	d.Kind = "basic"
	w.Emit(KindWorld, d.Label, "", "disk %s converted to basic", d.Label)
	w.RecordChange("convert_to_basic", "", d.Label)
	return nil
}

// HasWorkingAdapterOn reports whether an adapter of the server that has not
// failed is configured in subnet.
func (s *Server) HasWorkingAdapterOn(subnet string) bool {
	for _, a := range s.Adapters {
		if a.Configured() && !a.Failed && a.Prefix().String() == subnet {
			return true
		}
	}
	return false
}
