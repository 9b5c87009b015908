package mscs

import (
	"clusterscript/runtime/core"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Resource types.
const (
	TypeIPAddress       = "IP Address"
	TypeNetworkName     = "Network Name"
	TypePhysicalDisk    = "Physical Disk"
	TypeDTC             = "Distributed Transaction Coordinator"
	TypeGenericService  = "Generic Service"
	TypeFileShare       = "File Share"
	TypeMajorityNodeSet = "Majority Node Set"
	TypeLocalQuorum     = "Local Quorum"
	TypeSA              = "Microsoft Exchange System Attendant"
	TypeIS              = "Microsoft Exchange Information Store"
	TypeRouting         = "Microsoft Exchange Routing Service"
	TypeSMTP            = "Microsoft Exchange SMTP Virtual Server"
	TypeHTTP            = "Microsoft Exchange HTTP Virtual Server"
	TypeMSSearch        = "Microsoft Exchange MS Search"
	TypeMTA             = "Microsoft Exchange Message Transfer Agent"
	TypeIMAP4           = "Microsoft Exchange IMAP4 Virtual Server"
	TypePOP3            = "Microsoft Exchange POP3 Virtual Server"
)

// resourceType describes what a type needs: the types it must depend on,
// its parameters (required ones first) and their defaults.
type resourceType struct {
	needs     []string          // required dependency types
	required  []string          // parameters that must be given
	optional  map[string]string // other parameters and their defaults
	creatable bool              // new_resource may create it
	exchange  bool              // runs only on nodes with cluster-aware Exchange
}

var resourceTypes = map[string]*resourceType{
	TypeIPAddress:        {required: []string{"address", "subnet_mask"}, optional: map[string]string{"network": ""}, creatable: true},
	TypeNetworkName:      {needs: []string{TypeIPAddress}, required: []string{"name"}, creatable: true},
	TypePhysicalDisk:     {required: []string{"disk"}, creatable: true},
	TypeDTC:              {needs: []string{TypeNetworkName, TypePhysicalDisk}, creatable: true},
	TypeGenericService:   {required: []string{"service"}, optional: map[string]string{"parameters": ""}, creatable: true},
	TypeFileShare:        {required: []string{"path", "share"}, creatable: true},
	TypeMajorityNodeSet:  {},
	TypeLocalQuorum:      {},
	TypeFileShareWitness: {required: []string{"path"}},
	TypeCloudWitness:     {required: []string{"account"}},
	TypeSA: {needs: []string{TypeNetworkName, TypePhysicalDisk}, required: []string{"data_directory"},
		optional:  map[string]string{"administrative_group": "First Administrative Group", "routing_group": "First Routing Group"},
		creatable: true, exchange: true},
	TypeIS:       {needs: []string{TypeSA}, exchange: true},
	TypeRouting:  {needs: []string{TypeSA}, exchange: true},
	TypeSMTP:     {needs: []string{TypeSA}, exchange: true},
	TypeHTTP:     {needs: []string{TypeSA}, exchange: true},
	TypeMSSearch: {needs: []string{TypeSA}, exchange: true},
	TypeMTA:      {needs: []string{TypeSA}, exchange: true},
	TypeIMAP4:    {needs: []string{TypeSA}, creatable: true, exchange: true},
	TypePOP3:     {needs: []string{TypeSA}, creatable: true, exchange: true},
}

// ResourceTypes lists the types new_resource accepts.
func ResourceTypes() []string {
	var out []string
	for t, rt := range resourceTypes {
		if rt.creatable {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// ResourceParams lists the parameter names of a resource type.
func ResourceParams(typ string) []string {
	rt := resourceTypes[typ]
	if rt == nil {
		return nil
	}
	out := append([]string(nil), rt.required...)
	out = append(out, core.SortedKeys(rt.optional)...)
	return out
}

// Failback settings.
const (
	FailbackPrevent   = "prevent"
	FailbackImmediate = "immediate"
	FailbackWindow    = "window"
)

// FailbackPolicies are the failback settings of a group.
var FailbackPolicies = []string{FailbackPrevent, FailbackImmediate, FailbackWindow}

// Group and resource policy defaults of Windows Server 2003; the version
// profile (profile.go) gives each version's.
const (
	DefaultFailoverThreshold = 10
	DefaultFailoverPeriod    = 6 // hours
	DefaultRestartThreshold  = 3
	DefaultRestartPeriod     = 900  // seconds
	DefaultRetryPeriod       = 3600 // seconds: RetryPeriodOnFailure
	MaxFailoverPeriod        = 1193
)

// A Group is a resource group: the unit of failover.
type Group struct {
	Name              string      `json:"name"`
	Description       string      `json:"description,omitempty"`
	Owner             string      `json:"owner"`
	PreferredOwners   []string    `json:"preferred_owners,omitempty"`
	Resources         []*Resource `json:"resources"`
	FailoverThreshold int         `json:"failover_threshold"`
	FailoverPeriod    int         `json:"failover_period"`
	Failback          string      `json:"failback"`
	WindowStart       int         `json:"window_start"` // -1: no window
	WindowEnd         int         `json:"window_end"`
	// Failovers holds the times of recent failovers, for the threshold.
	Failovers []int64 `json:"failovers,omitempty"`
	// Exchange marks an Exchange virtual server; Seq orders them (the MTA
	// belongs to the first).
	EVS int `json:"evs,omitempty"`
	// Placement (placement.go, drain.go): Priority, "" for medium
	// (2012+); AntiAffinityClassNames (2008 R2+), replaced, never changed
	// in place; DrainedFrom, the node a drain moved it off, until that
	// node resumes.
	Priority               string   `json:"priority,omitempty"`
	AntiAffinityClassNames []string `json:"anti_affinity_class_names,omitempty"`
	DrainedFrom            string   `json:"drained_from,omitempty"`

	// PreferredOwners and Resources are appended to or replaced, never
	// changed in place: a transaction's copy of the group shares them, and
	// so does a Clone (PreferredOwners).
	saved core.Stamp
}

// A Resource is a cluster resource.
type Resource struct {
	Name           string            `json:"name"`
	Type           string            `json:"type"`
	Description    string            `json:"description,omitempty"`
	State          string            `json:"state"`
	PossibleOwners []string          `json:"possible_owners,omitempty"` // nil: every node
	Dependencies   []string          `json:"dependencies,omitempty"`
	Params         map[string]string `json:"params"`
	// PendingParams, when set, are the parameters stored while the resource
	// ran; they replace Params once it stops (storedparams.go).
	PendingParams map[string]string `json:"pending_params,omitempty"`
	// Persistent is the state the administrator asked for: set by
	// bring_online, cleared by take_offline. Failover, restart and the
	// return of quorum bring persistent resources back online.
	Persistent bool `json:"persistent,omitempty"`

	Restart          bool `json:"restart"`
	RestartThreshold int  `json:"restart_threshold"`
	RestartPeriod    int  `json:"restart_period"` // seconds
	AffectGroup      bool `json:"affect_group"`
	// RetryPeriod is RetryPeriodOnFailure, in seconds: how long a resource
	// left Failed waits before the Cluster service tries it once more; 0
	// is the default (RetryPeriodOnFailure reads it).
	RetryPeriod int     `json:"retry_period,omitempty"`
	Restarts    []int64 `json:"restarts,omitempty"` // times of recent restarts

	// PossibleOwners, Dependencies and Params are replaced, never changed
	// in place: a transaction's copy of the resource shares them, and so
	// does a Clone.
	group *Group
	saved core.Stamp
}

// RetryPeriodOnFailure is how long, in seconds, the resource stays Failed
// before the Cluster service tries it once more.
func (r *Resource) RetryPeriodOnFailure() int {
	if r.RetryPeriod == 0 {
		return DefaultRetryPeriod
	}
	return r.RetryPeriod
}

// Group returns the group a resource belongs to.
func (r *Resource) Group() *Group { return r.group }

// GroupState derives a group's state from its resources.
func (g *Group) State() string {
	if len(g.Resources) == 0 {
		return Offline
	}
	online, offline, pending := 0, 0, 0
	for _, r := range g.Resources {
		switch r.State {
		case Failed:
			return Failed
		case Online:
			online++
		case Offline:
			offline++
		default:
			pending++
		}
	}
	switch {
	case pending > 0:
		return Pending
	case online == len(g.Resources):
		return Online
	case offline == len(g.Resources):
		return Offline
	}
	return PartialOnline
}

// Group looks up a group.
func (c *Cluster) Group(name string) (*Group, error) {
	if g, ok := c.groups[core.Key(name)]; ok {
		return g, nil
	}
	names := make([]string, len(c.Groups))
	for i, g := range c.Groups {
		names[i] = g.Name
	}
	return nil, core.NotFound("group of cluster "+c.Name, name, names)
}

// Resource looks up a resource.
func (c *Cluster) Resource(name string) (*Resource, error) {
	if r, ok := c.resources[core.Key(name)]; ok {
		return r, nil
	}
	var names []string
	for _, r := range c.allResources() {
		names = append(names, r.Name)
	}
	return nil, core.NotFound("resource of cluster "+c.Name, name, names)
}

func (c *Cluster) allResources() []*Resource {
	var out []*Resource
	for _, g := range c.Groups {
		out = append(out, g.Resources...)
	}
	return out
}

// Dependents lists the resources that depend directly on r, by name.
func (c *Cluster) Dependents(r *Resource) []string {
	var out []string
	for _, d := range c.dependents[r] {
		out = append(out, d.Name)
	}
	sort.Strings(out)
	return out
}

// PossibleOwnerNames resolves a resource's possible owners.
func (c *Cluster) PossibleOwnerNames(r *Resource) []string {
	if r.PossibleOwners == nil {
		return c.NodeNames()
	}
	out := append([]string(nil), r.PossibleOwners...)
	sort.Strings(out)
	return out
}

func (c *Cluster) canOwn(r *Resource, node string) bool {
	return r.PossibleOwners == nil || core.ContainsFold(r.PossibleOwners, node)
}

// ---- Creating groups and resources ----

// addGroup creates a group without checks (callers have checked).
func (e *Engine) addGroup(c *Cluster, name, description string, preferred []string) *Group {
	g := &Group{
		Name: name, Description: description, PreferredOwners: preferred,
		FailoverThreshold: c.defaultFailoverThreshold(), FailoverPeriod: DefaultFailoverPeriod,
		Failback: FailbackPrevent, WindowStart: -1, WindowEnd: -1,
	}
	g.Owner = c.initialOwner(preferred)
	e.touchCluster(c)
	c.Groups = append(c.Groups, g)
	core.SetKey(e.World, c.groups, core.Key(name), g)
	if g.Owner != "" {
		core.SetKey(e.World, c.owned[core.Key(g.Owner)], g, true)
	}
	e.EmitText(core.KindCluster, name, "", "group "+strconv.Quote(name)+" created in cluster "+c.Name+", owned by "+g.Owner)
	return g
}

// initialOwner is the first preferred owner that is Up, else the
// lowest-named Up node.
func (c *Cluster) initialOwner(preferred []string) string {
	for _, p := range preferred {
		if n := c.nodes[core.Key(p)]; n != nil && n.State == NodeUp {
			return n.Name
		}
	}
	for _, name := range c.NodeNames() {
		if c.nodes[core.Key(name)].State == NodeUp {
			return name
		}
	}
	for _, name := range c.NodeNames() {
		if c.nodes[core.Key(name)].State == NodePaused {
			return name
		}
	}
	return c.NodeNames()[0]
}

// GroupSpec describes a new resource group.
type GroupSpec struct {
	Name, Description string
	PreferredOwners   []string // in order of preference
}

// NewGroup creates an empty resource group.
func (e *Engine) NewGroup(cluster string, spec GroupSpec) (*Group, error) {
	name, description, preferred := spec.Name, spec.Description, spec.PreferredOwners
	c, err := e.Cluster(cluster)
	if err != nil {
		return nil, err
	}
	if !c.running() { // the refusal is worded only when it is made
		return nil, e.requireQuorum(c, fmt.Sprintf("create group %q", name))
	}
	if strings.TrimSpace(name) == "" {
		return nil, core.Errf(core.ErrInvalid, "the group name is empty; name the group, e.g. \"EVS1 Group\"")
	}
	if _, ok := c.groups[core.Key(name)]; ok {
		return nil, core.Errf(core.ErrConflict, "cluster %s already has a group named %q; group names are unique in a cluster", c.Name, name)
	}
	pref, err := c.nodeList("preferred owner", preferred)
	if err != nil {
		return nil, err
	}
	g := e.addGroup(c, name, description, pref)
	e.recordGroup("new_group", c, g)
	return g, nil
}

// nodeList validates a list of node names and returns their canonical names.
func (c *Cluster) nodeList(what string, names []string) ([]string, error) {
	var out []string
	for _, n := range names {
		node, err := c.Node(n)
		if err != nil {
			return nil, err
		}
		if core.ContainsFold(out, node.Name) {
			return nil, core.Errf(core.ErrConflict, "%s %s is listed twice", what, node.Name)
		}
		out = append(out, node.Name)
	}
	return out, nil
}

// addResource creates a resource without checks.
func (e *Engine) addResource(c *Cluster, g *Group, name, typ, description string, possible, deps []string, params map[string]string) *Resource {
	r := &Resource{
		Name: name, Type: typ, Description: description, State: Offline,
		PossibleOwners: possible, Dependencies: deps, Params: params,
		Restart: true, RestartThreshold: c.profile().restartThreshold, RestartPeriod: c.profile().restartPeriod, AffectGroup: true,
		group: g,
	}
	before := g.State()
	e.touchGroup(g)
	g.Resources = append(g.Resources, r)
	core.SetKey(e.World, c.resources, core.Key(name), r)
	for _, d := range deps {
		p := c.resources[core.Key(d)]
		core.SetKey(e.World, c.dependents, p, append(c.dependents[p], r))
	}
	e.claimResource(c, r)
	text := "resource " + strconv.Quote(name) + " (" + typ + ") created in group " + strconv.Quote(g.Name)
	if len(deps) > 0 {
		text += ", depends on " + quoteList(deps)
	}
	e.EmitText(core.KindCluster, name, "", text)
	if len(g.Resources) > 1 {
		e.groupChanged(g, before)
	}
	return r
}

func quoteList(names []string) string {
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(n))
	}
	return b.String()
}

func resourceAddrOwner(c *Cluster, r *Resource) string {
	return string(appendResourceAddrOwner(nil, c, r))
}

func appendResourceAddrOwner(b []byte, c *Cluster, r *Resource) []byte {
	b = append(b, "IP Address resource "...)
	b = strconv.AppendQuote(b, r.Name)
	b = append(b, " of cluster "...)
	return append(b, c.Name...)
}

func resourceAddrUse(c *Cluster, r *Resource) core.AddrUse {
	return core.AddrUse{Kind: core.AddrVirtual, Owner: resourceAddrOwner(c, r)}
}

// claimResource records what a resource holds on the network and the
// bus: its address, its computer name, its disk (the running and the
// stored one while a change waits, Resource.held).
func (e *Engine) claimResource(c *Cluster, r *Resource) {
	for _, v := range r.held() {
		switch r.Type {
		case TypeIPAddress:
			e.ClaimAddr(v, resourceAddrUse(c, r))
		case TypeNetworkName:
			core.SetKey(e.World, c.netNames, core.Key(v), r)
		case TypePhysicalDisk:
			core.SetKey(e.World, c.diskHolder, core.Key(v), r)
		}
	}
}

func (e *Engine) releaseResourceClaims(c *Cluster, r *Resource) {
	for _, v := range r.held() {
		switch r.Type {
		case TypeIPAddress:
			owner := resourceAddrOwner(c, r)
			e.ReleaseAddr(v, func(u core.AddrUse) bool { return u.Kind == core.AddrVirtual && u.Owner == owner })
		case TypeNetworkName:
			if c.netNames[core.Key(v)] == r {
				core.DeleteKey(e.World, c.netNames, core.Key(v))
			}
		case TypePhysicalDisk:
			if c.diskHolder[core.Key(v)] == r {
				core.DeleteKey(e.World, c.diskHolder, core.Key(v))
			}
		}
	}
}

// ResourceSpec describes a new resource: the New Resource wizard's pages.
type ResourceSpec struct {
	Group, Name, Type, Description string
	PossibleOwners                 []string // nil: every node
	Dependencies                   []string
	Params                         map[string]string
}

// NewResource creates a resource, Offline, in a group.
func (e *Engine) NewResource(cluster string, spec ResourceSpec) (r *Resource, err error) {
	var c *Cluster
	defer func() { e.recordNewResource(c, r, err) }()
	group, name, typ, description, possible, deps, params := spec.Group, spec.Name, spec.Type, spec.Description, spec.PossibleOwners, spec.Dependencies, spec.Params
	c, g, err := e.GroupOf(cluster, group)
	if err != nil {
		return nil, err
	}
	if !c.running() { // the refusal is worded only when it is made
		return nil, e.requireQuorum(c, fmt.Sprintf("create resource %q", name))
	}
	if strings.TrimSpace(name) == "" {
		return nil, core.Errf(core.ErrInvalid, "the resource name is empty; name the resource, e.g. \"EVS1 IP Address\"")
	}
	if r, ok := c.resources[core.Key(name)]; ok {
		return nil, core.Errf(core.ErrConflict, "cluster %s already has a resource named %q (in group %q); resource names are unique in a cluster", c.Name, name, r.group.Name)
	}
	rt, ok := resourceTypes[typ]
	if !ok || !rt.creatable {
		if ok && rt.exchange {
			return nil, core.Errf(core.ErrInvalid, "resources of type %q are created by the Exchange System Attendant resource, not by hand", typ)
		}
		if ok {
			return nil, core.Errf(core.ErrInvalid, "the %q resource is the quorum of a cluster formed with create_cluster(..., quorum=%q); it is not created by hand", typ, map[string]string{TypeMajorityNodeSet: QuorumMajority, TypeLocalQuorum: QuorumLocal}[typ])
		}
		return nil, core.OneOf("resource type", typ, ResourceTypes()...)
	}
	var possibleOwners []string
	if possible != nil {
		if possibleOwners, err = c.nodeList("possible owner", possible); err != nil {
			return nil, err
		}
		if len(possibleOwners) == 0 {
			return nil, core.Errf(core.ErrInvalid, "resource %q has an empty possible-owner list; it could never come online — list at least one node", name)
		}
	}
	full, err := rt.fill(name, typ, params)
	if err != nil {
		return nil, err
	}
	depNames, err := c.checkDependencies(g, name, typ, deps)
	if err != nil {
		return nil, err
	}
	if err := e.checkTypeRules(c, g, nil, name, typ, full, depNames, possibleOwners); err != nil {
		return nil, err
	}
	if typ == TypeSA {
		return e.newSystemAttendant(c, g, name, description, possibleOwners, depNames, full)
	}
	sa := g.systemAttendant()
	if typ != TypePhysicalDisk || sa == nil {
		return e.addResource(c, g, name, typ, description, possibleOwners, depNames, full), nil
	}
	// The System Attendant depends on every Physical Disk of its group
	// (KB 821833). Exchange's way to add a disk to a virtual server takes
	// the System Attendant offline and makes it depend on the new disk;
	// the engine makes that dependency with the disk.
	if sa.State != Offline && sa.State != Failed {
		return nil, core.Errf(core.ErrState, "cannot add Physical Disk %q to Exchange virtual server group %q: its System Attendant %q must depend on every Physical Disk of its group, and it is %s; take %q offline first, then add the disk (the System Attendant then depends on it)", name, g.Name, sa.Name, sa.State, sa.Name)
	}
	r = e.addResource(c, g, name, typ, description, possibleOwners, depNames, full)
	e.replaceDependencies(c, sa, append(append([]string(nil), sa.Dependencies...), r.Name))
	return r, nil
}

// systemAttendant returns the group's Exchange System Attendant, or nil.
func (g *Group) systemAttendant() *Resource {
	for _, r := range g.Resources {
		if r.Type == TypeSA {
			return r
		}
	}
	return nil
}

// knows reports whether the type takes a parameter of that name (in any
// case).
func (rt *resourceType) knows(k string) bool {
	if core.ContainsFold(rt.required, k) {
		return true
	}
	for o := range rt.optional {
		if strings.EqualFold(o, k) {
			return true
		}
	}
	return false
}

// fill checks parameters against the type and adds defaults.
func (rt *resourceType) fill(name, typ string, params map[string]string) (map[string]string, error) {
	unknown := false
	for k := range params {
		unknown = unknown || !rt.knows(k)
	}
	// Name the first unknown parameter in sorted order, whatever the map's
	// (the lists are made only when there is one to name).
	var known, sorted []string
	if unknown {
		known, sorted = ResourceParams(typ), core.SortedKeys(params)
	}
	for _, k := range sorted {
		if !core.ContainsFold(known, k) {
			if len(known) == 0 {
				return nil, core.Errf(core.ErrInvalid, "resource %q: type %q takes no parameters, got %s", name, typ, k)
			}
			hint := ""
			if s := core.Suggest(k, known); s != "" {
				hint = fmt.Sprintf(" (did you mean %s?)", s)
			}
			return nil, core.Errf(core.ErrInvalid, "resource %q: %q resources have no parameter %s%s; they take %s", name, typ, k, hint, strings.Join(known, ", "))
		}
	}
	out := make(map[string]string, len(rt.required)+len(rt.optional))
	for _, k := range rt.required {
		v, ok := params[k]
		if !ok || strings.TrimSpace(v) == "" {
			return nil, core.Errf(core.ErrPrereq, "resource %q: %q resources need the parameter %s; pass %s=...", name, typ, k, k)
		}
		out[k] = v
	}
	for k, def := range rt.optional {
		if v, ok := params[k]; ok {
			out[k] = v
		} else if def != "" {
			out[k] = def
		}
	}
	return out, nil
}

// checkDependencies validates a resource's dependency list: resources of
// the same group, no duplicates, no cycles, and the types the resource
// type requires.
func (c *Cluster) checkDependencies(g *Group, name, typ string, deps []string) ([]string, error) {
	var out []string
	var provs []*Resource
	for _, d := range deps {
		p, err := c.Resource(d)
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(p.Name, name) {
			return nil, core.Errf(core.ErrInvalid, "resource %q cannot depend on itself", name)
		}
		if p.group != g {
			return nil, core.Errf(core.ErrInvalid, "resource %q is in group %q but %q is in group %q; a resource and its dependencies must be in the same group — move one of them", name, g.Name, p.Name, p.group.Name)
		}
		if core.ContainsFold(out, p.Name) {
			return nil, core.Errf(core.ErrConflict, "resource %q lists dependency %q twice", name, p.Name)
		}
		out = append(out, p.Name)
		provs = append(provs, p)
	}
	for _, need := range resourceTypes[typ].needs {
		found := false
		for _, p := range provs {
			found = found || p.Type == need
		}
		if !found {
			return nil, core.Errf(core.ErrPrereq, "resource %q (%s) must depend on %s resource of group %q; add it to its dependencies", name, typ, core.WithArticle(need), g.Name)
		}
	}
	if typ == TypeSA {
		for _, r := range g.Resources {
			if r.Type == TypePhysicalDisk && !core.ContainsFold(out, r.Name) {
				return nil, core.Errf(core.ErrPrereq, "the System Attendant %q must depend on every Physical Disk of its group; add %q to its dependencies", name, r.Name)
			}
		}
	}
	// A cycle needs a path from a provider back to the resource itself.
	if existing := c.resources[core.Key(name)]; existing != nil {
		for _, p := range provs {
			if c.reaches(p, existing) {
				return nil, core.Errf(core.ErrInvalid, "making %q depend on %q would create a dependency cycle (%q already depends on %q)", name, p.Name, p.Name, name)
			}
		}
	}
	return out, nil
}

// reaches reports whether from depends, directly or not, on to.
func (c *Cluster) reaches(from, to *Resource) bool {
	seen := map[*Resource]bool{}
	stack := []*Resource{from}
	for len(stack) > 0 {
		r := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if r == to {
			return true
		}
		if seen[r] {
			continue
		}
		seen[r] = true
		for _, d := range r.Dependencies {
			stack = append(stack, c.resources[core.Key(d)])
		}
	}
	return false
}

// checkTypeRules applies the rules of each resource type at creation.
func (e *Engine) checkTypeRules(c *Cluster, g *Group, self *Resource, name, typ string, params map[string]string, deps, possible []string) error {
	// The nodes that may run it: only disks and the System Attendant care.
	owners := func() []string {
		if possible == nil {
			return c.NodeNames()
		}
		return possible
	}
	switch typ {
	case TypeIPAddress:
		p, err := core.HostAddress("address", params["address"], params["subnet_mask"])
		if err != nil {
			return err
		}
		var nw *Network
		if params["network"] != "" {
			if nw, err = c.network(params["network"]); err != nil {
				return err
			}
			if !netip.MustParsePrefix(nw.Subnet).Contains(p.Addr()) {
				return core.Errf(core.ErrInvalid, "address %s is not in network %s (%s); pick an address of that subnet or another network", params["address"], nw.Name, nw.Subnet)
			}
		} else if nw = c.networkFor(p.Addr()); nw == nil {
			return core.Errf(core.ErrInvalid, "address %s is in none of cluster %s's networks (%s); use an address of a public network", params["address"], c.Name, c.networkList())
		}
		if nw.Role == "private" {
			return core.Errf(core.ErrInvalid, "network %s carries internal cluster traffic only; an IP Address resource needs a public or mixed network", nw.Name)
		}
		if netip.MustParsePrefix(nw.Subnet).Bits() != p.Bits() {
			return core.Errf(core.ErrInvalid, "subnet mask %s does not match network %s (%s)", params["subnet_mask"], nw.Name, nw.Subnet)
		}
		params["network"] = nw.Name
		for _, u := range e.AddressUses(params["address"]) {
			if self != nil && u.Kind == core.AddrVirtual && u.Owner == resourceAddrOwner(c, self) {
				continue
			}
			return core.Errf(core.ErrConflict, "address %s is already used by %s; every address on the network must be unique", params["address"], u.Describe())
		}
	case TypeNetworkName:
		if err := core.ValidNetBIOS("network", params["name"]); err != nil {
			return err
		}
		if owner := e.computerNameOwner(params["name"], self); owner != "" {
			return core.Errf(core.ErrConflict, "the network name %s is already used by %s; clients must find exactly one computer by a name", params["name"], owner)
		}
	case TypePhysicalDisk:
		d, err := e.Disk(params["disk"])
		if err != nil {
			return err
		}
		if err := e.checkClusterDisk(d, owners(), self); err != nil {
			return err
		}
		params["disk"] = d.Label
	case TypeDTC:
		for _, r := range c.allResources() {
			if r.Type == TypeDTC && r != self {
				return core.Errf(core.ErrConflict, "cluster %s already has a Distributed Transaction Coordinator, %q in group %q; a cluster has one", c.Name, r.Name, r.group.Name)
			}
		}
	case TypeSA:
		return e.checkSystemAttendant(c, g, self, name, params, deps, owners())
	case TypeIMAP4, TypePOP3:
		for _, r := range g.Resources {
			if r.Type == typ && r != self {
				return core.Errf(core.ErrConflict, "group %q already has a %s resource, %q", g.Name, typ, r.Name)
			}
		}
	}
	return nil
}

func (c *Cluster) networkList() string {
	var parts []string
	for _, n := range c.Networks {
		parts = append(parts, fmt.Sprintf("%s %s", n.Name, n.Subnet))
	}
	return strings.Join(parts, ", ")
}

// ---- Changing dependencies, owners and parameters ----

// SetDependencies replaces a resource's dependencies.
func (e *Engine) SetDependencies(cluster, resource string, deps []string) error {
	c, r, err := e.ResourceOf(cluster, resource)
	if err != nil {
		return err
	}
	if err := e.canChangeDependencies(c, r); err != nil {
		return err
	}
	if err := e.applyDependencies(c, r, deps); err != nil {
		return err
	}
	e.recordResource("set_dependencies", c, r)
	return nil
}

// canChangeDependencies refuses any change to r's dependencies while the
// cluster has no quorum, or while r runs on a version whose profile allows
// the change only Offline. Windows Server 2003 counts Online and the two
// Pending states as online (ERROR_RESOURCE_ONLINE); a Failed resource runs
// nothing and may change.
func (e *Engine) canChangeDependencies(c *Cluster, r *Resource) error {
	if err := e.requireQuorum(c, fmt.Sprintf("change the dependencies of %q", r.Name)); err != nil {
		return err
	}
	if !c.profile().dependenciesWhileOnline && r.State != Offline && r.State != Failed {
		return core.Errf(core.ErrState, "resource %q is %s, and on %s a resource's dependencies change only while it is Offline (ERROR_RESOURCE_ONLINE); take %q offline first, change its dependencies, then bring it online again", r.Name, r.State, versionName(c.Version), r.Name)
	}
	return nil
}

// applyDependencies checks a resource's new dependency list as a whole and
// puts it in place: the one path of set, add and remove.
func (e *Engine) applyDependencies(c *Cluster, r *Resource, deps []string) error {
	names, err := c.checkDependencies(r.group, r.Name, r.Type, deps)
	if err != nil {
		return err
	}
	if err := c.checkDependencyStates(r, names); err != nil {
		return err
	}
	e.replaceDependencies(c, r, names)
	return nil
}

// AddDependency makes a resource depend on one more provider.
func (e *Engine) AddDependency(cluster, resource, provider string) error {
	c, r, err := e.ResourceOf(cluster, resource)
	if err != nil {
		return err
	}
	p, err := c.Resource(provider)
	if err != nil {
		return err
	}
	if err := e.canChangeDependencies(c, r); err != nil {
		return err
	}
	if core.ContainsFold(r.Dependencies, p.Name) {
		return core.Errf(core.ErrConflict, "resource %q already depends on %q", r.Name, p.Name)
	}
	if err := e.applyDependencies(c, r, append(append([]string(nil), r.Dependencies...), p.Name)); err != nil {
		return err
	}
	e.recordResource("add_dependency", c, r, core.Text("provider", p.Name))
	return nil
}

// RemoveDependency removes one provider from a resource's dependencies.
func (e *Engine) RemoveDependency(cluster, resource, provider string) error {
	c, r, err := e.ResourceOf(cluster, resource)
	if err != nil {
		return err
	}
	p, err := c.Resource(provider)
	if err != nil {
		return err
	}
	if err := e.canChangeDependencies(c, r); err != nil {
		return err
	}
	if !core.ContainsFold(r.Dependencies, p.Name) {
		return core.Errf(core.ErrNotFound, "resource %q does not depend on %q (its dependencies: %s)", r.Name, p.Name, quoteListOrNone(r.Dependencies))
	}
	if err := e.applyDependencies(c, r, core.RemoveFold(r.Dependencies, p.Name)); err != nil {
		return err
	}
	e.recordResource("remove_dependency", c, r, core.Text("provider", p.Name))
	return nil
}

func quoteListOrNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return quoteList(names)
}

// checkDependencyStates refuses to make an Online resource depend on one
// that is not Online (possible only where the version profile lets
// dependencies change online): it would run without what it needs.
func (c *Cluster) checkDependencyStates(r *Resource, deps []string) error {
	if r.State != Online {
		return nil
	}
	for _, d := range deps {
		p := c.resources[core.Key(d)]
		if p.State != Online && !core.ContainsFold(r.Dependencies, p.Name) {
			return core.Errf(core.ErrState, "resource %q is Online but %q is %s; take %q offline before adding the dependency, or bring %q online", r.Name, p.Name, p.State, r.Name, p.Name)
		}
	}
	return nil
}

func (e *Engine) replaceDependencies(c *Cluster, r *Resource, deps []string) {
	for _, d := range r.Dependencies {
		p := c.resources[core.Key(d)]
		core.SetKey(e.World, c.dependents, p, removeResource(c.dependents[p], r))
	}
	e.touchResource(r)
	r.Dependencies = deps
	for _, d := range deps {
		p := c.resources[core.Key(d)]
		core.SetKey(e.World, c.dependents, p, append(c.dependents[p], r))
	}
	e.Emit(core.KindCluster, r.Name, "", "resource %q now depends on %s", r.Name, quoteListOrNone(deps))
}

// removeResource returns list without r, as a new slice: the old one may
// be held by a transaction.
func removeResource(list []*Resource, r *Resource) []*Resource {
	var out []*Resource
	for _, x := range list {
		if x != r {
			out = append(out, x)
		}
	}
	return out
}

// SetPossibleOwners sets the nodes a resource may run on.
func (e *Engine) SetPossibleOwners(cluster, resource string, nodes []string) error {
	c, r, err := e.ResourceOf(cluster, resource)
	if err != nil {
		return err
	}
	if err := e.requireQuorum(c, fmt.Sprintf("change the possible owners of %q", r.Name)); err != nil {
		return err
	}
	names, err := c.nodeList("possible owner", nodes)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return core.Errf(core.ErrInvalid, "resource %q would have no possible owner and could never come online; list at least one node", r.Name)
	}
	if r.State == Online && !core.ContainsFold(names, r.group.Owner) {
		return core.Errf(core.ErrState, "resource %q is Online on %s, which the new list leaves out; take it offline or move the group first", r.Name, r.group.Owner)
	}
	if r.Type == TypePhysicalDisk {
		if err := e.checkDiskOwners(r, names); err != nil {
			return err
		}
	}
	if r.Type == TypeSA {
		for _, n := range names {
			if s := e.LookupServer(n); s.Exchange != "cluster-aware" {
				return core.Errf(core.ErrPrereq, "node %s has no cluster-aware Exchange; install_exchange on it before making it a possible owner of %q", n, r.Name)
			}
		}
	}
	e.touchResource(r)
	r.PossibleOwners = names
	e.Emit(core.KindCluster, r.Name, "", "possible owners of %q: %s", r.Name, strings.Join(c.PossibleOwnerNames(r), ", "))
	e.recordResource("set_possible_owners", c, r)
	return nil
}

func (e *Engine) checkDiskOwners(r *Resource, nodes []string) error {
	d := e.LookupDisk(r.Params["disk"])
	for _, n := range nodes {
		if !d.Sees(n) {
			return core.Errf(core.ErrPrereq, "node %s does not see disk %s; only nodes on its shared bus can own %q", n, d.Label, r.Name)
		}
	}
	return nil
}

// SetPreferredOwners sets a group's ordered preferred owners.
func (e *Engine) SetPreferredOwners(cluster, group string, nodes []string) error {
	c, g, err := e.GroupOf(cluster, group)
	if err != nil {
		return err
	}
	if err := e.requireQuorum(c, fmt.Sprintf("change the preferred owners of %q", g.Name)); err != nil {
		return err
	}
	names, err := c.nodeList("preferred owner", nodes)
	if err != nil {
		return err
	}
	e.touchGroup(g)
	g.PreferredOwners = names
	if len(names) == 0 {
		e.Emit(core.KindCluster, g.Name, "", "group %q has no preferred owners", g.Name)
	} else {
		e.Emit(core.KindCluster, g.Name, "", "preferred owners of %q: %s", g.Name, strings.Join(names, ", "))
	}
	e.recordGroup("set_preferred_owners", c, g)
	e.considerFailback(c, g)
	return nil
}

// SetParams changes resource parameters. On a resource that runs they are
// stored and take effect the next time it comes online (storedparams.go).
func (e *Engine) SetParams(cluster, resource string, params map[string]string) error {
	c, r, err := e.ResourceOf(cluster, resource)
	if err != nil {
		return err
	}
	if err := e.requireQuorum(c, fmt.Sprintf("change the parameters of %q", r.Name)); err != nil {
		return err
	}
	if len(params) == 0 {
		return core.Errf(core.ErrInvalid, "set_params on %q was given no parameters; pass name=value pairs", r.Name)
	}
	if _, ok := params["name"]; ok && isCoreResource(r) && r.Type == TypeNetworkName {
		return core.Errf(core.ErrState, "resource %q carries the cluster name %s, which names the cluster everywhere; clusterscript cannot rename a cluster — create a new one instead", r.Name, c.Name)
	}
	if d, ok := params["disk"]; ok && r.Name == c.Quorum && core.Key(d) != core.Key(r.Params["disk"]) {
		return core.Errf(core.ErrState, "resource %q is the quorum resource of cluster %s and keeps its quorum log on disk %s; its disk cannot change — leave disk=%s out", r.Name, c.Name, r.Params["disk"], d)
	}
	rt := resourceTypes[r.Type]
	merged := maps.Clone(r.StoredParams())
	for k, v := range params {
		merged[k] = v
	}
	full, err := rt.fill(r.Name, r.Type, merged)
	if err != nil {
		return err
	}
	if err := e.checkTypeRules(c, r.group, r, r.Name, r.Type, full, r.Dependencies, r.PossibleOwners); err != nil {
		return err
	}
	var parts []string
	for _, k := range core.SortedKeys(params) {
		parts = append(parts, fmt.Sprintf("%s=%s", k, full[k]))
	}
	given := make(map[string]string, len(params))
	for k := range params {
		given[k] = full[k]
	}
	e.recordResource("set_params", c, r, core.Pairs("params", given))
	if r.State != Offline && r.State != Failed {
		e.storeParams(c, r, full, strings.Join(parts, ", "))
		return nil
	}
	e.releaseResourceClaims(c, r)
	e.touchResource(r)
	r.Params = full
	e.claimResource(c, r)
	if isCoreResource(r) && r.Type == TypeIPAddress {
		// The cluster's address is its Cluster IP Address resource's.
		e.touchCluster(c)
		c.IP, c.Mask = full["address"], full["subnet_mask"]
	}
	e.Emit(core.KindCluster, r.Name, "", "parameters of %q set: %s", r.Name, strings.Join(parts, ", "))
	return nil
}

// DeleteResource deletes an Offline resource nothing depends on.
func (e *Engine) DeleteResource(cluster, resource string) error {
	c, r, err := e.ResourceOf(cluster, resource)
	if err != nil {
		return err
	}
	if err := e.requireQuorum(c, fmt.Sprintf("delete resource %q", r.Name)); err != nil {
		return err
	}
	if isQuorumResource(c, r) {
		return core.Errf(core.ErrState, "resource %q is the quorum resource of cluster %s; it cannot be deleted", r.Name, c.Name)
	}
	if isCoreResource(r) {
		return core.Errf(core.ErrState, "resource %q is a core resource of cluster %s; it cannot be deleted", r.Name, c.Name)
	}
	if r.State != Offline && r.State != Failed {
		return core.Errf(core.ErrState, "resource %q is %s; take it offline before deleting it", r.Name, r.State)
	}
	// A System Attendant takes its Message Transfer Agent with it: the MTA
	// cannot be deleted on its own (checkExchangeRemoval).
	var mtas, deps []string
	for _, d := range c.dependentsOf(r) {
		if r.Type == TypeSA && d.Type == TypeMTA && (d.State == Offline || d.State == Failed) {
			mtas = append(mtas, d.Name)
		} else {
			deps = append(deps, d.Name)
		}
	}
	if len(deps) > 0 {
		return core.Errf(core.ErrState, "resource %q is needed by %s; delete or re-point its dependents first", r.Name, quoteList(deps))
	}
	if err := e.checkExchangeRemoval(c, r); err != nil {
		return err
	}
	for _, m := range mtas {
		e.dropResource(c, c.resources[core.Key(m)], fmt.Sprintf(" with System Attendant %q", r.Name))
	}
	e.dropResource(c, r, "")
	e.recordResource("delete_resource", c, r, core.List("with", mtas))
	return nil
}

// dropResource deletes a resource that nothing depends on any more.
func (e *Engine) dropResource(c *Cluster, r *Resource, why string) {
	g := r.group
	for _, d := range r.Dependencies {
		p := c.resources[core.Key(d)]
		core.SetKey(e.World, c.dependents, p, removeResource(c.dependents[p], r))
	}
	core.DeleteKey(e.World, c.dependents, r)
	before := g.State()
	var kept []*Resource
	for _, x := range g.Resources {
		if x != r {
			kept = append(kept, x)
		}
	}
	e.touchGroup(g)
	g.Resources = kept
	core.DeleteKey(e.World, c.resources, core.Key(r.Name))
	e.releaseResourceClaims(c, r)
	e.CancelTimers(timerRestart, c.Name+"/"+r.Name)
	e.CancelTimers(timerRetryFailed, c.Name+"/"+r.Name)
	if r.Type == TypeSA {
		g.EVS = 0
	}
	e.Emit(core.KindCluster, r.Name, "", "resource %q deleted from group %q%s", r.Name, g.Name, why)
	e.groupChanged(g, before)
}

// DeleteGroup deletes an empty group.
func (e *Engine) DeleteGroup(cluster, group string) error {
	c, g, err := e.GroupOf(cluster, group)
	if err != nil {
		return err
	}
	if err := e.requireQuorum(c, fmt.Sprintf("delete group %q", g.Name)); err != nil {
		return err
	}
	if g.Name == "Cluster Group" {
		return core.Errf(core.ErrState, "the Cluster Group holds the core resources of cluster %s; it cannot be deleted", c.Name)
	}
	if len(g.Resources) > 0 {
		return core.Errf(core.ErrState, "group %q still holds %d resources; delete them first", g.Name, len(g.Resources))
	}
	// A new list, one copy: a transaction may hold the old one.
	i := slices.Index(c.Groups, g)
	kept := make([]*Group, 0, len(c.Groups)-1)
	kept = append(append(kept, c.Groups[:i]...), c.Groups[i+1:]...)
	e.touchCluster(c)
	c.Groups = kept
	core.DeleteKey(e.World, c.groups, core.Key(g.Name))
	core.DeleteKey(e.World, c.owned[core.Key(g.Owner)], g)
	e.CancelTimers(timerFailback, c.Name+"/"+g.Name)
	e.Emit(core.KindCluster, g.Name, "", "group %q deleted", g.Name)
	e.recordGroup("delete_group", c, g)
	return nil
}

// isQuorumResource reports whether r is the cluster's quorum resource.
func isQuorumResource(c *Cluster, r *Resource) bool {
	return r.Type == TypeMajorityNodeSet || r.Type == TypeLocalQuorum || r.Name == c.Quorum
}

// isCoreResource reports whether r is the cluster's own address or name.
func isCoreResource(r *Resource) bool {
	return r.group.Name == "Cluster Group" && (r.Name == "Cluster IP Address" || r.Name == "Cluster Name")
}
