package mscs

import (
	"clusterscript/runtime/core"
	"fmt"
	"strings"
)

// Exchange Setup components and editions.
var (
	ExchangeComponents = []string{"messaging", "system_management_tools"}
	ExchangeEditions   = []string{"standard", "enterprise"}
	exchangePrereqs    = []string{".NET Framework", "ASP.NET", "IIS", "NNTP", "SMTP", "WWW"}
)

// ExchangeSpec is what Exchange Server 2003 Setup asks for.
type ExchangeSpec struct {
	Server     string
	Account    string // DOMAIN\name, in Domain Admins and Exchange Admins
	Edition    string
	Components []string
	Drive      string // the local drive for the binaries, e.g. "C:"
}

// InstallExchange runs Exchange Server 2003 Setup on a server. On a cluster
// node it installs the cluster-aware version, which copies binaries only:
// the virtual servers are built later from System Attendant resources.
func (e *Engine) InstallExchange(spec ExchangeSpec) error {
	server, account, edition, components, drive := spec.Server, spec.Account, spec.Edition, spec.Components, spec.Drive
	s, err := e.Server(server)
	if err != nil {
		return err
	}
	if err := core.OneOf("Exchange edition", edition, ExchangeEditions...); err != nil {
		return err
	}
	if len(components) == 0 {
		return core.Errf(core.ErrInvalid, "no Exchange components chosen; choose \"messaging\" (Messaging and Collaboration) and \"system_management_tools\"")
	}
	for _, comp := range components {
		if err := core.OneOf("Exchange component", comp, ExchangeComponents...); err != nil {
			return err
		}
	}
	if !profileOf(s.Version).exchange2003 {
		return core.Errf(core.ErrPrereq, "server %s runs %s, and Exchange Server 2003 installs only on Windows Server 2003; install Exchange on a Windows Server 2003 server", s.Name, core.VersionName(s.Version))
	}
	if err := s.MustRun("run Exchange Setup"); err != nil {
		return err
	}
	if s.Exchange != "" {
		return core.Errf(core.ErrConflict, "Exchange is already installed on %s (%s)", s.Name, s.Exchange)
	}
	var missing []string
	for _, c := range exchangePrereqs {
		if !s.HasComponent(c) {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return core.Errf(core.ErrPrereq, "Exchange Setup on %s needs the Windows components %s; install them with install_component first", s.Name, strings.Join(missing, ", "))
	}
	if s.Domain == "" {
		return core.Errf(core.ErrPrereq, "server %s is not in a domain; Exchange needs Active Directory — join_domain first", s.Name)
	}
	u, err := e.User(account)
	if err != nil {
		return err
	}
	if !u.InGroup(core.GroupDomainAdmins) || !u.InGroup(core.GroupExchangeAdmins) {
		var lack []string
		for _, g := range []string{core.GroupDomainAdmins, core.GroupExchangeAdmins} {
			if !u.InGroup(g) {
				lack = append(lack, g)
			}
		}
		return core.Errf(core.ErrPrereq, "account %s is not in %s; Exchange Setup needs an account in Domain Admins and Exchange Admins — add_to_group first", u.QualifiedName(), strings.Join(lack, " or "))
	}
	letter := strings.ToUpper(strings.TrimSuffix(drive, ":"))
	if len(letter) != 1 || letter[0] < 'C' || letter[0] > 'Z' {
		return core.Errf(core.ErrInvalid, "drive %q is not a local drive letter such as \"C:\"", drive)
	}
	letter += ":"
	for _, d := range e.Disks {
		if d.Letter == letter && d.Sees(s.Name) {
			return core.Errf(core.ErrPrereq, "drive %s of %s is the shared disk %s; Exchange binaries go on a local drive of each node", letter, s.Name, d.Label)
		}
	}
	messaging := core.ContainsFold(components, "messaging")
	if s.Cluster == "" {
		if messaging {
			e.TouchServer(s)
			s.Exchange, s.ExchangeDrive = "standalone", letter
		}
		e.Emit(core.KindExchange, s.Name, "", "Exchange Server 2003 %s Edition installed on %s (drive %s; %s)", core.TitleCase(edition), s.Name, letter, strings.Join(components, ", "))
		e.recordExchange("", s.Name, spec, letter)
		return nil
	}
	c := e.clusters[core.Key(s.Cluster)]
	if n := c.nodes[core.Key(s.Name)]; n.State != NodeUp && n.State != NodePaused {
		return core.Errf(core.ErrState, "node %s is %s; the Cluster service must be running for Exchange Setup", s.Name, n.State)
	}
	if edition != "enterprise" {
		return core.Errf(core.ErrPrereq, "Exchange Server 2003 Standard Edition does not support clustering; install the Enterprise Edition on cluster node %s", s.Name)
	}
	var dtc *Resource
	for _, r := range c.allResources() {
		if r.Type == TypeDTC {
			dtc = r
		}
	}
	if dtc == nil {
		return core.Errf(core.ErrPrereq, "cluster %s has no Distributed Transaction Coordinator resource; create MSDTC in the Cluster Group and bring it online before installing Exchange", c.Name)
	}
	if dtc.State != Online {
		return core.Errf(core.ErrPrereq, "the Distributed Transaction Coordinator %q of cluster %s is %s; bring it online before installing Exchange", dtc.Name, c.Name, dtc.State)
	}
	for _, n := range c.Nodes {
		o := e.LookupServer(n.Name)
		if o != s && o.Exchange == "cluster-aware" && o.ExchangeDrive != letter {
			return core.Errf(core.ErrPrereq, "Exchange is on drive %s of node %s; install it on the same drive letter on every node (drive=%q)", o.ExchangeDrive, o.Name, o.ExchangeDrive)
		}
	}
	if messaging {
		e.TouchServer(s)
		s.Exchange, s.ExchangeDrive = "cluster-aware", letter
	}
	e.Emit(core.KindExchange, s.Name, "", "Exchange Server 2003 Enterprise Edition installed on %s (drive %s; %s)", s.Name, letter, strings.Join(components, ", "))
	if messaging {
		e.Emit(core.KindExchange, s.Name, "", "%s is a node of cluster %s, so Setup installed the cluster-aware version: binaries only, no server object until a System Attendant resource creates a virtual server", s.Name, c.Name)
	}
	e.recordExchange(c.Name, s.Name, spec, letter)
	return nil
}

// An exchangeResource is a resource a System Attendant creates: the prefix
// of its name and its type.
type exchangeResource struct{ prefix, typ string }

// exchangeResources are what every System Attendant creates, in creation
// order.
var exchangeResources = []exchangeResource{
	{"Exchange Information Store Instance", TypeIS},
	{"Exchange Routing Service Instance", TypeRouting},
	{"SMTP Virtual Server Instance", TypeSMTP},
	{"Exchange HTTP Virtual Server Instance", TypeHTTP},
	{"Exchange MS Search Instance", TypeMSSearch},
}

// createdBySA lists the resources the next System Attendant of the cluster
// creates: the first virtual server also gets the Message Transfer Agent,
// and so does a later one when the cluster has lost its MTA.
func (c *Cluster) createdBySA() []exchangeResource {
	out := append([]exchangeResource(nil), exchangeResources...)
	if !c.hasMTA() {
		out = append(out, exchangeResource{"Exchange Message Transfer Agent Instance", TypeMTA})
	}
	return out
}

// evsCount counts the Exchange virtual servers of a cluster.
func (c *Cluster) evsCount() int {
	n := 0
	for _, g := range c.Groups {
		if g.EVS > 0 {
			n++
		}
	}
	return n
}

// hasMTA reports whether a virtual server of the cluster holds the Message
// Transfer Agent.
func (c *Cluster) hasMTA() bool {
	for _, g := range c.Groups {
		if g.EVS > 0 {
			for _, r := range g.Resources {
				if r.Type == TypeMTA {
					return true
				}
			}
		}
	}
	return false
}

// checkSystemAttendant checks a System Attendant being created, or with
// self set, one whose parameters change: the rules about its group and the
// virtual servers it creates apply only to a new one.
func (e *Engine) checkSystemAttendant(c *Cluster, g *Group, self *Resource, name string, params map[string]string, deps, owners []string) error {
	if self == nil {
		if err := e.checkNewVirtualServer(c, g, deps); err != nil {
			return err
		}
	}
	for _, n := range owners {
		if s := e.LookupServer(n); s.Exchange != "cluster-aware" {
			return core.Errf(core.ErrPrereq, "node %s, a possible owner of %q, has no cluster-aware Exchange; install_exchange on every possible owner first", n, name)
		}
	}
	dir := params["data_directory"]
	if len(dir) < 3 || dir[1] != ':' || dir[2] != '\\' {
		return core.Errf(core.ErrInvalid, "data_directory %q is not a path such as \"R:\\\\Exchsrvr\\\\mdbdata\"", dir)
	}
	letter := strings.ToUpper(dir[:2])
	onDisk := false
	for _, r := range g.Resources {
		if r.Type == TypePhysicalDisk && e.LookupDisk(r.Params["disk"]).Letter == letter {
			onDisk = true
		}
	}
	if !onDisk {
		return core.Errf(core.ErrPrereq, "data directory %s is not on a Physical Disk resource of group %q; point it at one of the group's shared disks", dir, g.Name)
	}
	return nil
}

// checkNewVirtualServer applies the rules for a new virtual server: its own
// group, one per group, the Exchange limits, and free names for the
// resources its System Attendant creates.
func (e *Engine) checkNewVirtualServer(c *Cluster, g *Group, deps []string) error {
	if g.Name == "Cluster Group" {
		return core.Errf(core.ErrInvalid, "the System Attendant belongs in its own Exchange virtual server group, not in the Cluster Group; create a group with new_group")
	}
	if g.EVS > 0 {
		return core.Errf(core.ErrConflict, "group %q is already an Exchange virtual server; each virtual server has one System Attendant", g.Name)
	}
	nodes, evs := len(c.Nodes), c.evsCount()
	if nodes >= 3 && evs+1 > nodes-1 {
		return core.Errf(core.ErrLimit, "cluster %s has %d nodes and %d Exchange virtual servers; Exchange 2003 allows at most %d (N-1, active/passive) — add a node or use an existing virtual server", c.Name, nodes, evs, nodes-1)
	}
	if nodes <= 2 && evs+1 > nodes {
		return core.Errf(core.ErrLimit, "cluster %s has %d node(s) and %d Exchange virtual server(s); active/active allows one virtual server per node", c.Name, nodes, evs)
	}
	var nn *Resource
	for _, d := range deps {
		if r := c.resources[core.Key(d)]; r.Type == TypeNetworkName {
			nn = r
		}
	}
	vs := nn.Params["name"]
	for _, x := range c.createdBySA() {
		n := fmt.Sprintf("%s (%s)", x.prefix, vs)
		if _, ok := c.resources[core.Key(n)]; ok {
			return core.Errf(core.ErrConflict, "resource %q already exists; the System Attendant creates it", n)
		}
	}
	return nil
}

// newSystemAttendant creates the System Attendant and the resources it
// creates in its group, all depending on it.
func (e *Engine) newSystemAttendant(c *Cluster, g *Group, name, description string, possible, deps []string, params map[string]string) (*Resource, error) {
	created := c.createdBySA()
	first := len(created) > len(exchangeResources)
	seq := 0
	for _, o := range c.Groups {
		seq = max(seq, o.EVS)
	}
	sa := e.addResource(c, g, name, TypeSA, description, possible, deps, params)
	e.touchGroup(g)
	g.EVS = seq + 1
	vs := ""
	for _, d := range deps {
		if r := c.resources[core.Key(d)]; r.Type == TypeNetworkName {
			vs = r.Params["name"]
		}
	}
	for _, x := range created {
		e.addResource(c, g, fmt.Sprintf("%s (%s)", x.prefix, vs), x.typ, "", possible, []string{sa.Name}, map[string]string{})
	}
	role := "it does not own the Message Transfer Agent, which the first virtual server holds"
	if first {
		role = "it is the first virtual server of the cluster and owns the Message Transfer Agent"
	}
	e.Emit(core.KindExchange, g.Name, "", "System Attendant %q created Exchange virtual server %s in group %q (%s; IMAP4 and POP3 are not created — add them if needed)", sa.Name, vs, g.Name, role)
	return sa, nil
}

// checkExchangeRemoval keeps MSDTC while a node of the cluster has
// cluster-aware Exchange, and the MTA-owning virtual server until last.
func (e *Engine) checkExchangeRemoval(c *Cluster, r *Resource) error {
	if r.Type == TypeDTC {
		if aware := e.exchangeNodes(c); len(aware) > 0 {
			return core.Errf(core.ErrState, "resource %q is the Distributed Transaction Coordinator of cluster %s, which cluster-aware Exchange on %s needs; it cannot be deleted while a node of the cluster has cluster-aware Exchange (evict those nodes first)", r.Name, c.Name, strings.Join(aware, ", "))
		}
		return nil
	}
	if r.Type != TypeSA && r.Type != TypeMTA {
		return nil
	}
	g := r.group
	owner := false
	for _, x := range g.Resources {
		owner = owner || x.Type == TypeMTA
	}
	if sa := g.systemAttendant(); r.Type == TypeMTA && sa != nil {
		return core.Errf(core.ErrState, "resource %q is the Message Transfer Agent of Exchange virtual server group %q and goes with it; it cannot be deleted while System Attendant %q exists (delete the System Attendant's other dependents, then the System Attendant: the Message Transfer Agent is deleted with it)", r.Name, g.Name, sa.Name)
	}
	if owner && c.evsCount() > 1 {
		return core.Errf(core.ErrState, "group %q is the first Exchange virtual server and owns the Message Transfer Agent, which the other virtual servers rely on; remove the other virtual servers first", g.Name)
	}
	return nil
}

// exchangeNodes lists the nodes of the cluster with cluster-aware Exchange,
// by name.
func (e *Engine) exchangeNodes(c *Cluster) []string {
	var aware []string
	for _, name := range c.NodeNames() {
		if s := e.LookupServer(name); s != nil && s.Exchange == "cluster-aware" {
			aware = append(aware, name)
		}
	}
	return aware
}
