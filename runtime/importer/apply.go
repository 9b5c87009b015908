package importer

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/nlb"
	"clusterscript/runtime/sim"
)

// ServiceAccount is the domain account an imported cluster is formed
// with: Windows Server 2008 and later run the Cluster service as Local
// System, but create_cluster wants an account, so the import makes one.
const ServiceAccount = "clussvc"

// ImportedDomain is the domain made for an input that names none (a CIB)
// when the world has none either.
const ImportedDomain = "imported.local"

// Apply builds the snapshot's objects in w through the engines' own calls.
// It refuses, having checked before changing anything, a snapshot that is
// inconsistent or whose names clash with what w already holds. A refusal
// from an engine call after that leaves w half-built: callers discard w
// (the import command never writes it).
func Apply(w *sim.World, s *Snapshot) error {
	if err := s.check(); err != nil {
		return err
	}
	if err := clashes(w, s); err != nil {
		return err
	}
	a := &applier{w: w, s: s}
	if err := a.run(); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrInput, s.Source, err)
	}
	return nil
}

type applier struct {
	w *sim.World
	s *Snapshot
}

// imported writes the event that says where an object came from.
func (a *applier) imported(kind, subject, what, origin string) {
	a.w.EmitText(kind, subject, "", what+" imported from "+a.s.Source+" ("+origin+")")
}

// warn writes a warning event about an approximation or a drop.
func (a *applier) warn(subject, format string, args ...any) {
	a.w.Warn(subject, "%s: %s", a.s.Source, fmt.Sprintf(format, args...))
}

func (a *applier) run() error {
	if err := a.domain(); err != nil {
		return err
	}
	for _, c := range a.s.Clusters {
		if err := a.cluster(c); err != nil {
			return err
		}
	}
	for _, n := range a.s.NLBs {
		if err := a.nlbCluster(n); err != nil {
			return err
		}
	}
	for _, n := range a.s.Notes {
		a.warn(n.Subject, "%s", n.Text)
	}
	a.w.Settle()
	return nil
}

// domain creates the snapshot's domain, or uses the world's of that name,
// with the account clusters are formed with.
func (a *applier) domain() error {
	if a.s.Domain == "" && len(a.s.Clusters) > 0 {
		// A CIB names no Active Directory domain: use the world's, or make one.
		a.s.Domain = ImportedDomain
		if len(a.w.Domains) > 0 {
			a.s.Domain = a.w.Domains[0].Name
		}
		a.warn(a.s.Domain, "the input names no Active Directory domain: the servers join %s", a.s.Domain)
	}
	if a.s.Domain == "" {
		return nil
	}
	if a.w.LookupDomain(a.s.Domain) == nil {
		d, err := a.w.CreateDomain(a.s.Domain, "")
		if err != nil {
			return err
		}
		a.imported(core.KindWorld, d.Name, "domain "+d.Name, "the cluster's Domain")
	}
	if len(a.s.Clusters) == 0 {
		return nil
	}
	if _, err := a.w.User(a.account()); err != nil {
		if _, err := a.w.CreateUser(a.s.Domain, ServiceAccount, "", nil); err != nil {
			return err
		}
	}
	return nil
}

func (a *applier) account() string {
	return a.w.LookupDomain(a.s.Domain).NetBIOS + `\` + ServiceAccount
}

// server installs a server with its adapters and joins it to the domain.
func (a *applier) server(name, edition, version string, adapters []Adapter, origin string) error {
	names := make([]string, len(adapters))
	for i, ad := range adapters {
		names[i] = ad.Name
	}
	if _, err := a.w.InstallServer(name, edition, version, names); err != nil {
		return err
	}
	for _, ad := range adapters {
		if ad.IP == "" {
			continue
		}
		if err := a.w.ConfigureTCPIP(name, ad.Name, core.TCPIPSpec{IP: ad.IP, Mask: ad.Mask, Role: ad.Role, ExtraIPs: ad.ExtraIPs}); err != nil {
			return err
		}
	}
	if a.s.Domain != "" {
		if err := a.w.JoinDomain(name, a.s.Domain); err != nil {
			return err
		}
	}
	a.imported(core.KindWorld, name, "server "+name, origin)
	return nil
}

func (a *applier) cluster(c *Cluster) error {
	for _, n := range c.Nodes {
		if err := a.server(n.Name, c.Edition, c.Version, n.Adapters, n.Origin); err != nil {
			return err
		}
	}
	for _, g := range c.Groups {
		for _, r := range g.Resources {
			if r.Disk == nil {
				continue
			}
			d := r.Disk
			if _, err := a.w.CreateSharedDisk(core.DiskSpec{Label: d.Label, SizeGB: d.SizeGB, Servers: d.Servers, Kind: "basic", FS: "NTFS", Letter: d.Letter}); err != nil {
				return err
			}
			a.imported(core.KindWorld, d.Label, "shared disk "+d.Label, r.Origin)
		}
	}
	m := a.w.MSCS
	if _, err := m.CreateCluster(mscs.ClusterSpec{Name: c.Name, Domain: a.s.Domain, Node: c.Nodes[0].Name, IP: c.IP, Mask: c.Mask,
		Account: a.account(), Quorum: mscs.QuorumMajority}); err != nil {
		return err
	}
	a.imported(core.KindCluster, c.Name, "cluster "+c.Name, c.Origin)
	for _, n := range c.Nodes[1:] {
		if _, err := m.AddNode(c.Name, n.Name, "", false); err != nil {
			return err
		}
	}
	a.sites(c)
	a.properties(c)
	renamed, err := a.coreGroup(c)
	if err != nil {
		return err
	}
	for _, g := range c.Groups {
		if g.Core {
			continue
		}
		if _, err := m.NewGroup(c.Name, mscs.GroupSpec{Name: g.Name, Description: g.Description, PreferredOwners: g.PreferredOwners}); err != nil {
			return err
		}
		a.imported(core.KindCluster, g.Name, "group "+strconv.Quote(g.Name), g.Origin)
		if err := a.resources(c, g, g.Resources, renamed); err != nil {
			return err
		}
	}
	for _, g := range c.Groups {
		if err := a.policies(c, g, renamed); err != nil {
			return err
		}
	}
	if err := a.quorum(c); err != nil {
		return err
	}
	if err := a.placement(c); err != nil {
		return err
	}
	a.states(c)
	return nil
}

// sites puts the nodes in their sites before PreferredSite names one; a
// version without sites, or a name the engine refuses, drops the site
// with a warning.
func (a *applier) sites(c *Cluster) {
	for _, n := range c.Nodes {
		if n.Site == "" {
			continue
		}
		if err := a.w.MSCS.SetSite(c.Name, n.Name, n.Site); err != nil {
			a.warn(n.Name, "site %s of node %s not imported: %v", n.Site, n.Name, err)
		}
	}
}

// properties sets the cluster common properties the snapshot holds and
// the version has; the others are dropped with a warning.
func (a *applier) properties(c *Cluster) {
	cl, _ := a.w.MSCS.Cluster(c.Name)
	attr := map[string]string{}
	for _, p := range mscs.ClusterProperties() {
		attr[p.Name] = p.Attr
	}
	for _, p := range c.Properties {
		cur, has := cl.Property(attr[p.Name])
		if !has {
			a.warn(c.Name, "cluster property %s = %v dropped: %s has no such property in the simulation", p.Name, p.Value, core.VersionName(c.Version))
			continue
		}
		if fmt.Sprint(cur) == fmt.Sprint(p.Value) {
			continue
		}
		if err := a.w.MSCS.SetClusterProperty(c.Name, []mscs.PropertySetting{p}); err != nil {
			a.warn(c.Name, "cluster property %s = %v not imported: %v", p.Name, p.Value, err)
		}
	}
}

// coreGroup matches the snapshot's core group with the Cluster Group that
// create_cluster made: its address and name resources are the cluster's
// own; its other resources (a witness disk, say) are added to it. It
// returns the resource names the engine gave that the snapshot spells
// otherwise.
func (a *applier) coreGroup(c *Cluster) (map[string]string, error) {
	renamed := map[string]string{}
	var cg *Group
	for _, g := range c.Groups {
		if g.Core {
			cg = g
		}
	}
	if cg == nil {
		return renamed, nil
	}
	name := cg.simName()
	if cg.Name != name {
		a.warn(name, "the cluster's core group %q is named %q here (the simulation's name for it)", cg.Name, name)
	}
	a.imported(core.KindCluster, name, "group "+strconv.Quote(name), cg.Origin)
	var rest []*Resource
	for _, r := range cg.Resources {
		own := ""
		switch {
		case r.Type == mscs.TypeIPAddress && r.Params["address"] == c.IP:
			own = "Cluster IP Address"
		case r.Type == mscs.TypeNetworkName && strings.EqualFold(r.Params["name"], c.Name):
			own = "Cluster Name"
		}
		if own == "" {
			rest = append(rest, r)
			continue
		}
		if r.Name != own {
			renamed[r.Name] = own
			a.warn(own, "resource %q is named %q here (the simulation's name for the cluster's own %s)", r.Name, own, r.Type)
		}
		a.imported(core.KindCluster, own, "resource "+strconv.Quote(own), r.Origin)
	}
	return renamed, a.resources(c, cg, rest, renamed)
}

// resources creates a group's resources, each after the resources it
// depends on.
func (a *applier) resources(c *Cluster, g *Group, rs []*Resource, renamed map[string]string) error {
	order, _ := dependencyOrder(rs)
	for _, r := range order {
		deps := make([]string, len(r.Dependencies))
		for i, d := range r.Dependencies {
			deps[i] = rename(renamed, d)
		}
		if _, err := a.w.MSCS.NewResource(c.Name, mscs.ResourceSpec{Group: g.simName(), Name: r.Name, Type: r.Type, Description: r.Description,
			PossibleOwners: r.PossibleOwners, Dependencies: deps, Params: r.Params}); err != nil {
			return err
		}
		a.imported(core.KindCluster, r.Name, "resource "+strconv.Quote(r.Name), r.Origin)
	}
	return nil
}

func rename(renamed map[string]string, name string) string {
	if n, ok := renamed[name]; ok {
		return n
	}
	return name
}

// dependencyOrder lists resources so that each comes after those it
// depends on within the list, otherwise keeping their order. Names match
// as the engine matches them, ignoring case. On a cycle it returns, quoted,
// the name of a resource on it (check refuses such a snapshot).
func dependencyOrder(rs []*Resource) (order []*Resource, cycle string) {
	by := map[string]*Resource{}
	for _, r := range rs {
		by[core.Key(r.Name)] = r
	}
	state := map[*Resource]int{} // 1 visiting, 2 done
	order = make([]*Resource, 0, len(rs))
	var visit func(r *Resource) bool
	visit = func(r *Resource) bool {
		switch state[r] {
		case 1:
			cycle = strconv.Quote(r.Name)
			return true
		case 2:
			return false
		}
		state[r] = 1
		for _, d := range r.Dependencies {
			if p := by[core.Key(d)]; p != nil && visit(p) {
				return true
			}
		}
		state[r] = 2
		order = append(order, r)
		return false
	}
	for _, r := range rs {
		if visit(r) {
			return nil, cycle
		}
	}
	return order, ""
}

// policies sets the failover and restart policies that differ from what
// the engine gave the new group and resources.
func (a *applier) policies(c *Cluster, g *Group, renamed map[string]string) error {
	m := a.w.MSCS
	cl, _ := m.Cluster(c.Name)
	name := g.simName()
	if p := g.Failover; p != nil {
		cur, _ := cl.Group(name)
		start, end := -1, -1
		if len(p.Window) == 2 {
			start, end = p.Window[0], p.Window[1]
		}
		threshold := p.Threshold
		if p.DefaultThreshold {
			threshold = cur.FailoverThreshold // NewGroup gave the version's default
		}
		if cur.FailoverThreshold != threshold || cur.FailoverPeriod != p.Period || cur.Failback != p.Failback || cur.WindowStart != start || cur.WindowEnd != end {
			if err := m.SetFailoverPolicy(c.Name, name, *p); err != nil {
				return err
			}
		}
	}
	for _, r := range g.Resources {
		p := r.Restart
		if p == nil {
			continue
		}
		rn := rename(renamed, r.Name)
		cur, _ := cl.Resource(rn)
		if cur.Restart == p.Restart && cur.RestartThreshold == p.Threshold && cur.RestartPeriod == p.Period &&
			cur.AffectGroup == p.AffectGroup && (p.RetryPeriod == 0 || cur.RetryPeriodOnFailure() == p.RetryPeriod) {
			continue
		}
		if err := m.SetRestartPolicy(c.Name, rn, *p); err != nil {
			return err
		}
	}
	return nil
}

// quorum sets the snapshot's quorum mode and witness (set_quorum) and
// the nodes' votes (set_node_vote). A disk witness is the shared disk of
// the Physical Disk resource the snapshot names, which stays in the
// Cluster Group.
func (a *applier) quorum(c *Cluster) error {
	m := a.w.MSCS
	cl, _ := m.Cluster(c.Name)
	q := c.Quorum
	if q.Mode != "" && !(q.Mode == mscs.QuorumNodeMajority && cl.QuorumModel == q.Mode) {
		spec := mscs.QuorumSpec{Mode: q.Mode, Witness: q.Witness}
		if q.Mode == mscs.QuorumNodeAndDisk || q.Mode == mscs.QuorumDiskOnly {
			spec.Witness, spec.WitnessIsDisk = a.witnessDisk(c, q.Witness), true
		}
		if err := m.SetQuorum(c.Name, spec); err != nil {
			return fmt.Errorf("quorum %s with witness %q (%s): %w", q.Mode, q.Witness, q.Origin, err)
		}
	}
	for _, n := range c.Nodes {
		if n.Vote == nil || *n.Vote == 1 {
			continue
		}
		if err := m.SetNodeVote(c.Name, n.Name, *n.Vote); err != nil {
			return fmt.Errorf("NodeWeight %d of node %s (%s): %w", *n.Vote, n.Name, n.Origin, err)
		}
	}
	return nil
}

// witnessDisk is the label of the shared disk a Physical Disk resource
// holds; a name that is no such resource is taken as a disk label.
func (a *applier) witnessDisk(c *Cluster, resource string) string {
	for _, g := range c.Groups {
		for _, r := range g.Resources {
			if r.Disk != nil && strings.EqualFold(r.Name, resource) {
				return r.Disk.Label
			}
		}
	}
	return resource
}

// placement sets each group's priority (set_group_priority) and
// anti-affinity class names (set_anti_affinity) where the snapshot gives
// other than the engine's defaults.
func (a *applier) placement(c *Cluster) error {
	m := a.w.MSCS
	cl, _ := m.Cluster(c.Name)
	for _, sg := range c.Groups {
		name := sg.simName()
		g, _ := cl.Group(name)
		cur := g.Priority
		if cur == "" {
			cur = mscs.PriorityMedium
		}
		if sg.Priority != "" && sg.Priority != cur {
			if err := m.SetGroupPriority(c.Name, name, sg.Priority); err != nil {
				return fmt.Errorf("priority %s of group %q (%s): %w", sg.Priority, sg.Name, sg.Origin, err)
			}
		}
		if len(sg.AntiAffinity) > 0 {
			if err := m.SetAntiAffinity(c.Name, name, sg.AntiAffinity); err != nil {
				return fmt.Errorf("AntiAffinityClassNames %s of group %q (%s): %w", strings.Join(sg.AntiAffinity, ", "), sg.Name, sg.Origin, err)
			}
		}
	}
	return nil
}

// states puts each group where the snapshot saw it, in the state it saw,
// then pauses or stops the nodes it saw paused or down. A state the engine
// refuses (a resource whose owner cannot run it, say) is a warning: the
// configuration is imported whatever the cluster was doing.
func (a *applier) states(c *Cluster) {
	m := a.w.MSCS
	cl, _ := m.Cluster(c.Name)
	for _, sg := range c.Groups {
		name := sg.simName()
		g, _ := cl.Group(name)
		if sg.Owner != "" && !strings.EqualFold(sg.Owner, g.Owner) {
			if err := m.MoveGroup(c.Name, name, sg.Owner); err != nil {
				a.warn(name, "group %q stays on %s, not on %s as in the snapshot: %v", name, g.Owner, sg.Owner, err)
			}
		}
		switch sg.State {
		case mscs.Online:
			if g.State() != mscs.Online {
				if err := m.BringOnline(c.Name, name, true); err != nil {
					a.warn(name, "group %q was Online in the snapshot and stays %s: %v", name, g.State(), err)
				}
			}
		case mscs.PartialOnline:
			for _, r := range sg.Resources {
				if r.State != mscs.Online || sg.Core {
					continue
				}
				if err := m.BringOnline(c.Name, r.Name, false); err != nil {
					a.warn(r.Name, "resource %q was Online in the snapshot and stays Offline: %v", r.Name, err)
				}
			}
		case mscs.Failed:
			a.warn(name, "group %q was Failed in the snapshot; it is imported Offline (bring it online to rehearse its recovery)", name)
		}
	}
	for _, n := range c.Nodes {
		var err error
		switch n.State {
		case mscs.NodePaused:
			err = m.PauseNode(c.Name, n.Name)
		case mscs.NodeDown:
			a.warn(n.Name, "node %s was Down in the snapshot: its Cluster service is stopped (the server runs)", n.Name)
			err = m.StopClusterService(c.Name, n.Name)
		}
		if err != nil {
			a.warn(n.Name, "node %s stays Up, not %s as in the snapshot: %v", n.Name, n.State, err)
		}
	}
}

// ---- NLB ----

func (a *applier) nlbCluster(n *NLBCluster) error {
	for _, h := range n.Hosts {
		ad := Adapter{Name: h.Adapter, IP: h.DedicatedIP, Mask: h.Mask, Role: "public", ExtraIPs: h.ExtraIPs}
		if err := a.server(h.Server, "standard", n.Version, []Adapter{ad}, h.Origin); err != nil {
			return err
		}
	}
	e := a.w.NLB
	if _, err := e.CreateCluster(nlb.ClusterSpec{IP: n.IP, Mask: n.Mask, Name: n.Name, Mode: n.Mode}); err != nil {
		return err
	}
	a.imported(core.KindNLB, n.Name, "NLB cluster "+n.Name, n.Origin)
	for _, h := range n.Hosts {
		if _, err := e.AddHost(n.Name, nlb.HostSpec{Server: h.Server, Adapter: h.Adapter, Priority: h.Priority,
			DedicatedIP: h.DedicatedIP, Mask: h.Mask, InitialState: h.InitialState}); err != nil {
			return err
		}
		a.imported(core.KindNLB, h.Server, "NLB host "+h.Server, h.Origin)
	}
	if n.Rules != nil {
		if err := e.RemovePortRule(n.Name, nlb.RuleRef{Port: 0, Protocol: "both", ClusterIP: "all"}); err != nil {
			return err
		}
		for _, r := range n.Rules {
			spec := nlb.PortRuleSpec{ClusterIP: r.ClusterIP, Start: r.Start, End: r.End, Protocol: r.Protocol,
				Filtering: r.Filtering, Affinity: r.Affinity, LoadWeights: hostValues(r.LoadWeights), HandlingPriorities: hostValues(r.HandlingPriorities)}
			pr, err := e.AddPortRule(n.Name, spec)
			if err != nil {
				return err
			}
			a.imported(core.KindNLB, n.Name, "port rule "+pr.Describe(), r.Origin)
		}
	}
	for _, h := range n.Hosts {
		if h.State == "" || h.State == h.InitialState {
			continue
		}
		var err error
		switch h.State {
		case "started":
			err = e.Start(n.Name, h.Server)
		case "stopped":
			err = e.Stop(n.Name, h.Server)
		case "suspended":
			err = e.Suspend(n.Name, h.Server)
		}
		if err != nil {
			a.warn(h.Server, "NLB host %s is not %s as in the snapshot: %v", h.Server, h.State, err)
		}
	}
	return nil
}

func hostValues(m map[string]int) []nlb.HostValue {
	if m == nil {
		return nil
	}
	out := make([]nlb.HostValue, 0, len(m))
	for _, h := range core.SortedKeys(m) {
		out = append(out, nlb.HostValue{Host: h, Value: m[h]})
	}
	return out
}

// ---- Checks before anything changes ----

// check refuses a snapshot whose parts do not fit together: a group that
// names a node the snapshot does not list, a dependency on a resource of
// another group, a name used twice.
func (s *Snapshot) check() error {
	servers := map[string]string{}
	claim := func(name, what string) error {
		if o, dup := servers[core.Key(name)]; dup {
			return inputErr("%s: server %s is both %s and %s; a server belongs to one cluster", s.Source, name, o, what)
		}
		servers[core.Key(name)] = what
		return nil
	}
	for _, c := range s.Clusters {
		if len(c.Nodes) == 0 {
			return inputErr("%s: cluster %s (%s) lists no nodes; take the snapshot on a node of a running cluster", s.Source, c.Name, c.Origin)
		}
		for _, n := range c.Nodes {
			if err := claim(n.Name, "a node of cluster "+c.Name); err != nil {
				return err
			}
		}
		// known checks that a node an object names is a node of the
		// cluster; role and object word the refusal ("the owner of group",
		// "Files"), made only when there is one.
		known := func(g *Group, role, object, node string) error {
			if c.node(node) == nil {
				return inputErr("%s: %s %q in %s names node %s, which the snapshot does not list among the nodes of cluster %s (%s); take the snapshot again on a node that sees the whole cluster", s.Source, role, object, g.Origin, node, c.Name, strings.Join(c.nodeNames(), ", "))
			}
			return nil
		}
		groups := map[string]bool{}
		resources := map[string]*Group{}
		for _, g := range c.Groups {
			if groups[core.Key(g.Name)] {
				return inputErr("%s: cluster %s has two groups named %q", s.Source, c.Name, g.Name)
			}
			groups[core.Key(g.Name)] = true
			if g.Owner != "" {
				if err := known(g, "the owner of group", g.Name, g.Owner); err != nil {
					return err
				}
			}
			for _, p := range g.PreferredOwners {
				if err := known(g, "a preferred owner of group", g.Name, p); err != nil {
					return err
				}
			}
			for _, r := range g.Resources {
				if o := resources[core.Key(r.Name)]; o != nil {
					return inputErr("%s: cluster %s has two resources named %q (in groups %q and %q)", s.Source, c.Name, r.Name, o.Name, g.Name)
				}
				resources[core.Key(r.Name)] = g
				for _, p := range r.PossibleOwners {
					if err := known(g, "a possible owner of resource", r.Name, p); err != nil {
						return err
					}
				}
			}
		}
		for _, g := range c.Groups {
			for _, r := range g.Resources {
				for _, d := range r.Dependencies {
					o, ok := resources[core.Key(d)]
					switch {
					case !ok:
						return inputErr("%s: resource %q (%s) depends on %q, which the snapshot does not hold", s.Source, r.Name, r.Origin, d)
					case o != g:
						return inputErr("%s: resource %q of group %q (%s) depends on %q of group %q; Windows keeps dependencies within a group", s.Source, r.Name, g.Name, r.Origin, d, o.Name)
					}
				}
			}
			if _, cyc := dependencyOrder(g.Resources); cyc != "" {
				return inputErr("%s: the dependencies of group %q (%s) form a cycle through %s", s.Source, g.Name, g.Origin, cyc)
			}
		}
	}
	for _, n := range s.NLBs {
		for _, h := range n.Hosts {
			if err := claim(h.Server, "a host of NLB cluster "+n.Name); err != nil {
				return err
			}
		}
	}
	return nil
}

// clashes refuses a snapshot whose servers, clusters or disks have the
// names of objects the world already holds, naming both.
func clashes(w *sim.World, s *Snapshot) error {
	refuse := func(mine, theirs string) error {
		return inputErr("%s in %s has the name of %s already in the world; import it into a new state file, or rename one of them", mine, s.Source, theirs)
	}
	if s.Domain != "" {
		if d := w.LookupDomain(s.Domain); d != nil && !strings.EqualFold(d.Name, s.Domain) {
			return refuse("domain "+s.Domain, "domain "+d.Name+" (NetBIOS "+d.NetBIOS+")")
		}
	}
	server := func(name, origin string) error {
		if sv := w.LookupServer(name); sv != nil {
			theirs := "server " + sv.Name
			if m := w.Membership(sv.Name); m != "" {
				theirs += " (" + m + ")"
			}
			return refuse("server "+name+" ("+origin+")", theirs)
		}
		return nil
	}
	cluster := func(name, origin string) error {
		if c, err := w.MSCS.Cluster(name); err == nil {
			return refuse("cluster "+name+" ("+origin+")", "server cluster "+c.Name)
		}
		if c, err := w.NLB.Cluster(name); err == nil {
			return refuse("cluster "+name+" ("+origin+")", "NLB cluster "+c.Name)
		}
		if sv := w.LookupServer(name); sv != nil {
			return refuse("cluster "+name+" ("+origin+")", "server "+sv.Name)
		}
		return nil
	}
	for _, c := range s.Clusters {
		if err := cluster(c.Name, c.Origin); err != nil {
			return err
		}
		for _, n := range c.Nodes {
			if err := server(n.Name, n.Origin); err != nil {
				return err
			}
		}
		for _, g := range c.Groups {
			for _, r := range g.Resources {
				if r.Disk != nil && w.LookupDisk(r.Disk.Label) != nil {
					return refuse("disk "+r.Disk.Label+" ("+r.Origin+")", "shared disk "+w.LookupDisk(r.Disk.Label).Label)
				}
			}
		}
	}
	for _, n := range s.NLBs {
		if err := cluster(n.Name, n.Origin); err != nil {
			return err
		}
		for _, h := range n.Hosts {
			if err := server(h.Server, h.Origin); err != nil {
				return err
			}
		}
	}
	return nil
}

// ---- Helpers the readers share ----

// standIn turns a resource of a type the simulation does not know into a
// Generic Service that names the type, as SPEC §17 asks: its service is
// the original type and its description says so.
func standIn(r *Resource, original string) {
	r.Type = mscs.TypeGenericService
	r.Params = map[string]string{"service": original}
	desc := "imported " + original + " resource"
	if r.Description != "" {
		desc += ": " + r.Description
	}
	r.Description = desc
}

// counted gathers warnings of one kind over many objects into one line
// each, in name order: "PendingTimeout of 3 resources dropped (…)".
type counted map[string][]string

func (c counted) add(key, object string) { c[key] = append(c[key], object) }

// flush writes one note per key: text(key, objects) words it.
func (c counted) flush(s *Snapshot, subject string, text func(key string, objects []string) string) {
	for _, k := range core.SortedKeys(map[string][]string(c)) {
		objs := slices.Clone(c[k])
		sort.Strings(objs)
		s.note(subject, "%s", text(k, objs))
	}
}

// some lists the first few names of a list for a warning.
func some(names []string) string {
	const most = 3
	q := make([]string, 0, most)
	for i, n := range names {
		if i == most {
			return strings.Join(q, ", ") + fmt.Sprintf(" and %d more", len(names)-most)
		}
		q = append(q, strconv.Quote(n))
	}
	return strings.Join(q, ", ")
}
