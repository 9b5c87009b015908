package mscs

import (
	"clusterscript/runtime/core"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// exchangeLab is a cluster of n nodes with MSDTC Online and cluster-aware
// Exchange on every node, and one data disk per virtual server to come.
func exchangeLab(t *testing.T, nodes, disks int) (*lab, *Cluster) {
	t.Helper()
	l := newLab(t, labSpec{nodes: nodes, dataDisks: disks})
	c := l.cluster(t, "")
	l.exchangeReady(t)
	return l, c
}

func TestInstallComponent(t *testing.T) {
	l := newLab(t, labSpec{nodes: 1})
	w := l.w
	mustDo(t, w.InstallComponent("NODE1", "asp.net"))
	s, _ := w.Server("NODE1")
	if want := []string{".NET Framework", "ASP.NET", "IIS", "WWW"}; !slices.Equal(s.Components, want) {
		t.Errorf("components %v, want %v (ASP.NET brings what it needs)", s.Components, want)
	}
	if !strings.Contains(w.Events[len(w.Events)-1].Text, "ASP.NET installed on NODE1 (with IIS, WWW, .NET Framework)") {
		t.Errorf("event %q", w.Events[len(w.Events)-1].Text)
	}
	mustDo(t, w.InstallComponent("NODE1", "IIS"))
	if len(s.Components) != 4 {
		t.Errorf("installing IIS again changed the components: %v", s.Components)
	}
	refused(t, w, core.ErrInvalid, `unknown Windows component "SMTP2" (did you mean "SMTP"?)`, func() error { return w.InstallComponent("NODE1", "SMTP2") })
	refused(t, w, core.ErrNotFound, `no server named "NODE2"`, func() error { return w.InstallComponent("NODE2", "SMTP") })
	mustDo(t, w.FailServer("NODE1"))
	refused(t, w, core.ErrState, "server NODE1 is not running; boot it before you install components", func() error { return w.InstallComponent("NODE1", "SMTP") })
}

func installPrereqs(t *testing.T, w *World, server string) {
	t.Helper()
	for _, c := range core.Components {
		mustDo(t, w.InstallComponent(server, c))
	}
}

func TestInstallExchangeStandaloneAndClusterAware(t *testing.T) {
	l := newLab(t, labSpec{nodes: 3})
	w := l.w
	// NODE3 stays outside any cluster.
	l.servers = l.servers[:2]
	l.cluster(t, "")
	_, err := w.NewResource(labCluster, ResourceSpec{Group: "Cluster Group", Name: "MSDTC", Type: TypeDTC, Dependencies: []string{"Cluster Name", "Disk Q:"}})
	mustDo(t, err)
	mustDo(t, w.BringOnline(labCluster, "MSDTC", false))
	for _, s := range []string{"NODE1", "NODE2", "NODE3"} {
		installPrereqs(t, w, s)
	}

	n0 := len(w.Events)
	mustDo(t, w.InstallExchange(ExchangeSpec{Server: "NODE1", Account: labExAdmin, Edition: "enterprise", Components: ExchangeComponents, Drive: "c"}))
	s1, _ := w.Server("NODE1")
	if s1.Exchange != "cluster-aware" || s1.ExchangeDrive != "C:" {
		t.Errorf("NODE1 Exchange %q on %q", s1.Exchange, s1.ExchangeDrive)
	}
	evs := eventsSince(w, n0)
	if len(evs) != 2 || !strings.Contains(evs[1].Text, "Setup installed the cluster-aware version") {
		t.Errorf("events %v: the cluster-aware install must say so", evs)
	}

	n0 = len(w.Events)
	mustDo(t, w.InstallExchange(ExchangeSpec{Server: "NODE3", Account: labExAdmin, Edition: "standard", Components: ExchangeComponents, Drive: "D:"}))
	s3, _ := w.Server("NODE3")
	if s3.Exchange != "standalone" || s3.ExchangeDrive != "D:" {
		t.Errorf("NODE3 Exchange %q on %q", s3.Exchange, s3.ExchangeDrive)
	}
	if evs := eventsSince(w, n0); len(evs) != 1 || strings.Contains(evs[0].Text, "cluster-aware") {
		t.Errorf("events %v", evs)
	}
	// A standalone installation cannot join a cluster.
	refused(t, w, core.ErrPrereq, "server NODE3 runs a standalone Exchange installation, which cannot be clustered", func() error {
		_, err := w.AddNode(labCluster, "NODE3", labPassword, true)
		return err
	})

	// Only the management tools: no Exchange server on the node.
	mustDo(t, w.InstallExchange(ExchangeSpec{Server: "NODE2", Account: labExAdmin, Edition: "enterprise", Components: []string{"system_management_tools"}, Drive: "C:"}))
	if s2, _ := w.Server("NODE2"); s2.Exchange != "" {
		t.Errorf("management tools alone made NODE2 an Exchange server (%q)", s2.Exchange)
	}
}

func TestInstallExchangeRefusals(t *testing.T) {
	type call struct {
		server, account, edition string
		components               []string
		drive                    string
	}
	ok := call{"NODE2", labExAdmin, "enterprise", ExchangeComponents, "C:"}
	tests := []struct {
		name   string
		setup  func(t *testing.T, l *lab)
		change func(c *call)
		kind   error
		substr string
	}{
		{"missing components", func(t *testing.T, l *lab) {
			l.w.LookupServer("NODE2").Components = []string{"IIS", "WWW"}
		}, nil, core.ErrPrereq, "Exchange Setup on NODE2 needs the Windows components .NET Framework, ASP.NET, NNTP, SMTP; install them with install_component first"},
		{"not a Domain Admin", func(t *testing.T, l *lab) {
			_, err := l.w.CreateUser(labDomain, "exop", "", []string{core.GroupExchangeAdmins})
			mustDo(t, err)
		}, func(c *call) { c.account = `CORP\exop` }, core.ErrPrereq, `account CORP\exop is not in Domain Admins; Exchange Setup needs an account in Domain Admins and Exchange Admins`},
		{"not an Exchange Admin", nil, func(c *call) { c.account = `CORP\Administrator` }, core.ErrPrereq, `account CORP\Administrator is not in Exchange Admins`},
		{"in neither group", nil, func(c *call) { c.account = labAccount }, core.ErrPrereq, "is not in Domain Admins or Exchange Admins"},
		{"unknown account", nil, func(c *call) { c.account = `CORP\exadmn` }, core.ErrNotFound, `did you mean "exadmin"?`},
		{"unknown edition", nil, func(c *call) { c.edition = "enterprize" }, core.ErrInvalid, `unknown Exchange edition "enterprize" (did you mean "enterprise"?)`},
		{"Standard Edition on a cluster", nil, func(c *call) { c.edition = "standard" }, core.ErrPrereq, "Standard Edition does not support clustering; install the Enterprise Edition on cluster node NODE2"},
		{"no components", nil, func(c *call) { c.components = nil }, core.ErrInvalid, "no Exchange components chosen"},
		{"unknown component", nil, func(c *call) { c.components = []string{"messaging", "im"} }, core.ErrInvalid, `unknown Exchange component "im"`},
		{"no DTC", func(t *testing.T, l *lab) {
			mustDo(t, l.w.TakeOffline(labCluster, "MSDTC", false))
			mustDo(t, l.w.DeleteResource(labCluster, "MSDTC"))
		}, nil, core.ErrPrereq, "cluster EXCLUSTER has no Distributed Transaction Coordinator resource; create MSDTC in the Cluster Group and bring it online"},
		{"DTC Offline", func(t *testing.T, l *lab) { mustDo(t, l.w.TakeOffline(labCluster, "MSDTC", false)) }, nil, core.ErrPrereq, `the Distributed Transaction Coordinator "MSDTC" of cluster EXCLUSTER is Offline; bring it online`},
		{"DTC Failed", func(t *testing.T, l *lab) {
			mustDo(t, l.w.SetRestartPolicy(labCluster, "MSDTC", RestartPolicy{Threshold: 3, Period: 900}))
			mustDo(t, l.w.FailResource(labCluster, "MSDTC"))
		}, nil, core.ErrPrereq, "is Failed; bring it online"},
		{"shared drive", nil, func(c *call) { c.drive = "Q:" }, core.ErrPrereq, "drive Q: of NODE2 is the shared disk Quorum; Exchange binaries go on a local drive of each node"},
		{"another drive than the other nodes", func(t *testing.T, l *lab) {
			mustDo(t, l.w.InstallExchange(ExchangeSpec{Server: "NODE1", Account: labExAdmin, Edition: "enterprise", Components: ExchangeComponents, Drive: "C:"}))
		}, func(c *call) { c.drive = "D:" }, core.ErrPrereq, `Exchange is on drive C: of node NODE1; install it on the same drive letter on every node (drive="C:")`},
		{"not a drive", nil, func(c *call) { c.drive = "CD" }, core.ErrInvalid, `drive "CD" is not a local drive letter`},
		{"floppy drive", nil, func(c *call) { c.drive = "A:" }, core.ErrInvalid, "not a local drive letter"},
		{"already installed", func(t *testing.T, l *lab) {
			mustDo(t, l.w.InstallExchange(ExchangeSpec{Server: "NODE2", Account: labExAdmin, Edition: "enterprise", Components: ExchangeComponents, Drive: "C:"}))
		}, nil, core.ErrConflict, "Exchange is already installed on NODE2 (cluster-aware)"},
		{"server down", func(t *testing.T, l *lab) { mustDo(t, l.w.FailServer("NODE2")) }, nil, core.ErrState, "server NODE2 is not running"},
		{"Cluster service stopped", func(t *testing.T, l *lab) { mustDo(t, l.w.StopClusterService(labCluster, "NODE2")) }, nil, core.ErrState, "node NODE2 is Down; the Cluster service must be running for Exchange Setup"},
		{"no domain", func(t *testing.T, l *lab) {
			_, err := l.w.InstallServer("LONE", "enterprise", "2003", []string{"Public"})
			mustDo(t, err)
			installPrereqs(t, l.w, "LONE")
		}, func(c *call) { c.server = "LONE" }, core.ErrPrereq, "server LONE is not in a domain; Exchange needs Active Directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLab(t, labSpec{nodes: 2})
			w := l.w
			l.cluster(t, "")
			_, err := w.NewResource(labCluster, ResourceSpec{Group: "Cluster Group", Name: "MSDTC", Type: TypeDTC, Dependencies: []string{"Cluster Name", "Disk Q:"}})
			mustDo(t, err)
			mustDo(t, w.BringOnline(labCluster, "MSDTC", false))
			installPrereqs(t, w, "NODE1")
			installPrereqs(t, w, "NODE2")
			if tt.setup != nil {
				tt.setup(t, l)
			}
			c := ok
			if tt.change != nil {
				tt.change(&c)
			}
			refused(t, w, tt.kind, tt.substr, func() error {
				return w.InstallExchange(ExchangeSpec{Server: c.server, Account: c.account, Edition: c.edition, Components: c.components, Drive: c.drive})
			})
		})
	}
}

func TestDistributedTransactionCoordinator(t *testing.T) {
	l := newLab(t, labSpec{nodes: 2, dataDisks: 1})
	w := l.w
	c := l.cluster(t, "")
	r, err := w.NewResource(labCluster, ResourceSpec{Group: "Cluster Group", Name: "MSDTC", Type: TypeDTC, Dependencies: []string{"Cluster Name", "Disk Q:"}})
	mustDo(t, err)
	if !slices.Equal(r.Dependencies, []string{"Cluster Name", "Disk Q:"}) || len(r.Params) != 0 {
		t.Errorf("MSDTC dependencies %v params %v", r.Dependencies, r.Params)
	}
	mustDo(t, w.BringOnline(labCluster, "MSDTC", false))
	if c.Groups[0].State() != Online {
		t.Errorf("Cluster Group %s", c.Groups[0].State())
	}
	// One per cluster, in whichever group.
	l.evsGroup(t, 1)
	refused(t, w, core.ErrConflict, "already has a Distributed Transaction Coordinator", func() error {
		_, err := w.NewResource(labCluster, ResourceSpec{Group: "EVS1 Group", Name: "DTC2", Type: TypeDTC, Dependencies: []string{"EVS1 Network Name", "EVS1 Disk"}})
		return err
	})
	// Its required dependencies stay (changed Offline: this is Windows
	// Server 2003).
	mustDo(t, w.TakeOffline(labCluster, "MSDTC", false))
	refused(t, w, core.ErrPrereq, `resource "MSDTC" (Distributed Transaction Coordinator) must depend on a Physical Disk resource`, func() error {
		return w.RemoveDependency(labCluster, "MSDTC", "Disk Q:")
	})
	refused(t, w, core.ErrPrereq, "must depend on a Network Name resource", func() error {
		return w.SetDependencies(labCluster, "MSDTC", []string{"Disk Q:", "Cluster IP Address"})
	})
}

// The names and types SPEC §6 gives the resources a System Attendant
// creates, for virtual server EVS1.
var saCreates = map[string]string{
	"Exchange Information Store Instance (EVS1)":   TypeIS,
	"Exchange Routing Service Instance (EVS1)":     TypeRouting,
	"SMTP Virtual Server Instance (EVS1)":          TypeSMTP,
	"Exchange HTTP Virtual Server Instance (EVS1)": TypeHTTP,
	"Exchange MS Search Instance (EVS1)":           TypeMSSearch,
}

const mtaName = "Exchange Message Transfer Agent Instance (%s)"

func TestSystemAttendantCreatesTheVirtualServer(t *testing.T) {
	l, c := exchangeLab(t, 2, 2)
	w := l.w
	g := l.evsGroup(t, 1)
	n0 := len(w.Events)
	sa, err := w.NewResource(labCluster, ResourceSpec{Group: g.Name, Name: "EVS1 System Attendant", Type: TypeSA, Dependencies: []string{"EVS1 Network Name", "EVS1 Disk"}, Params: map[string]string{"data_directory": `R:\Exchsrvr\mdbdata`}})
	mustDo(t, err)
	if want := map[string]string{"data_directory": `R:\Exchsrvr\mdbdata`, "administrative_group": "First Administrative Group", "routing_group": "First Routing Group"}; !maps.Equal(sa.Params, want) {
		t.Errorf("SA params %v, want %v", sa.Params, want)
	}
	want := map[string]string{}
	for n, typ := range saCreates {
		want[n] = typ
	}
	want[fmt.Sprintf(mtaName, "EVS1")] = TypeMTA // the first virtual server owns the MTA
	got := map[string]string{}
	for _, r := range g.Resources[4:] {
		got[r.Name] = r.Type
		if !slices.Equal(r.Dependencies, []string{sa.Name}) || r.State != Offline || r.PossibleOwners != nil {
			t.Errorf("%q depends on %v, is %s, possible owners %v; want only the System Attendant, Offline, every node", r.Name, r.Dependencies, r.State, r.PossibleOwners)
		}
	}
	if !maps.Equal(got, want) {
		t.Errorf("the System Attendant created %v, want %v", got, want)
	}
	for _, r := range g.Resources {
		if r.Type == TypeIMAP4 || r.Type == TypePOP3 {
			t.Errorf("%q was created; IMAP4 and POP3 are added by an administrator", r.Name)
		}
	}
	if g.EVS != 1 {
		t.Errorf("EVS sequence %d", g.EVS)
	}
	if got := c.Dependents(sa); len(got) != 6 {
		t.Errorf("SA dependents %v", got)
	}
	last := w.Events[len(w.Events)-1]
	if last.Kind != core.KindExchange || !strings.Contains(last.Text, "owns the Message Transfer Agent") || !strings.Contains(last.Text, "IMAP4 and POP3 are not created") {
		t.Errorf("last event %q", last.Text)
	}
	if n := len(eventsSince(w, n0)); n != 8 {
		t.Errorf("%d events, want 7 resources created and one summary", n)
	}

	// The administrator adds IMAP4 and POP3, one each per virtual server.
	_, err = w.NewResource(labCluster, ResourceSpec{Group: g.Name, Name: "Exchange IMAP4 Virtual Server Instance (EVS1)", Type: TypeIMAP4, Dependencies: []string{sa.Name}})
	mustDo(t, err)
	_, err = w.NewResource(labCluster, ResourceSpec{Group: g.Name, Name: "Exchange POP3 Virtual Server Instance (EVS1)", Type: TypePOP3, Dependencies: []string{sa.Name}})
	mustDo(t, err)
	refused(t, w, core.ErrConflict, `group "EVS1 Group" already has a Microsoft Exchange IMAP4 Virtual Server resource, "Exchange IMAP4 Virtual Server Instance (EVS1)"`, func() error {
		_, err := w.NewResource(labCluster, ResourceSpec{Group: g.Name, Name: "IMAP again", Type: TypeIMAP4, Dependencies: []string{sa.Name}})
		return err
	})
	refused(t, w, core.ErrPrereq, "must depend on a Microsoft Exchange System Attendant resource", func() error {
		_, err := w.NewResource(labCluster, ResourceSpec{Group: g.Name, Name: "POP alone", Type: TypePOP3})
		return err
	})

	// The whole virtual server comes online in dependency order.
	mustDo(t, w.BringOnline(labCluster, g.Name, true))
	if g.State() != Online {
		t.Errorf("EVS1 Group %s", g.State())
	}

	// The second virtual server has no MTA.
	g2 := l.evs(t, 2)
	var names []string
	for _, r := range g2.Resources[4:] {
		names = append(names, r.Name)
		if r.Type == TypeMTA {
			t.Errorf("the second virtual server got an MTA, %q", r.Name)
		}
	}
	if len(names) != 5 || !slices.Contains(names, "Exchange Information Store Instance (EVS2)") {
		t.Errorf("EVS2 resources %v", names)
	}
	if g2.EVS != 2 {
		t.Errorf("EVS2 sequence %d", g2.EVS)
	}
	if last := w.Events[len(w.Events)-1]; !strings.Contains(last.Text, "it does not own the Message Transfer Agent") {
		t.Errorf("last event %q", last.Text)
	}
}

func TestSystemAttendantRefusals(t *testing.T) {
	type call struct {
		group, name string
		possible    []string
		deps        []string
		params      map[string]string
	}
	ok := call{"EVS1 Group", "EVS1 SA", nil, []string{"EVS1 Network Name", "EVS1 Disk"}, map[string]string{"data_directory": `R:\Exchsrvr\mdbdata`}}
	tests := []struct {
		name   string
		setup  func(t *testing.T, l *lab)
		change func(c *call)
		kind   error
		substr string
	}{
		{"in the Cluster Group", nil, func(c *call) { c.group, c.deps = "Cluster Group", []string{"Cluster Name", "Disk Q:"} }, core.ErrInvalid, "belongs in its own Exchange virtual server group, not in the Cluster Group"},
		{"without the disk", nil, func(c *call) { c.deps = []string{"EVS1 Network Name"} }, core.ErrPrereq, "must depend on a Physical Disk resource"},
		{"without every disk", func(t *testing.T, l *lab) {
			_, err := l.w.NewResource(labCluster, ResourceSpec{Group: "EVS1 Group", Name: "EVS1 Logs", Type: TypePhysicalDisk, Params: map[string]string{"disk": "Data2"}})
			mustDo(t, err)
		}, nil, core.ErrPrereq, `the System Attendant "EVS1 SA" must depend on every Physical Disk of its group; add "EVS1 Logs" to its dependencies`},
		{"without the Network Name", nil, func(c *call) { c.deps = []string{"EVS1 Disk", "EVS1 IP Address"} }, core.ErrPrereq, "must depend on a Network Name resource"},
		{"data directory elsewhere", nil, func(c *call) { c.params = map[string]string{"data_directory": `S:\Exchsrvr`} }, core.ErrPrereq, `data directory S:\Exchsrvr is not on a Physical Disk resource of group "EVS1 Group"`},
		{"data directory on a local drive", nil, func(c *call) { c.params = map[string]string{"data_directory": `C:\Exchsrvr`} }, core.ErrPrereq, "is not on a Physical Disk resource"},
		{"data directory not a path", nil, func(c *call) { c.params = map[string]string{"data_directory": "mdbdata"} }, core.ErrInvalid, `data_directory "mdbdata" is not a path`},
		{"no data directory", nil, func(c *call) { c.params = nil }, core.ErrPrereq, "need the parameter data_directory"},
		{"a possible owner without Exchange", func(t *testing.T, l *lab) {
			l.w.LookupServer("NODE2").Exchange = ""
		}, nil, core.ErrPrereq, `node NODE2, a possible owner of "EVS1 SA", has no cluster-aware Exchange; install_exchange on every possible owner first`},
		{"a second System Attendant", func(t *testing.T, l *lab) {
			_, err := l.w.NewResource(labCluster, ResourceSpec{Group: "EVS1 Group", Name: "EVS1 System Attendant", Type: TypeSA, Dependencies: []string{"EVS1 Network Name", "EVS1 Disk"}, Params: map[string]string{"data_directory": `R:\Exchsrvr`}})
			mustDo(t, err)
		}, nil, core.ErrConflict, `group "EVS1 Group" is already an Exchange virtual server; each virtual server has one System Attendant`},
		{"a resource with a name it would create", func(t *testing.T, l *lab) {
			_, err := l.w.NewResource(labCluster, ResourceSpec{Group: "EVS1 Group", Name: "SMTP Virtual Server Instance (EVS1)", Type: TypeGenericService, Params: map[string]string{"service": "SMTPSVC"}})
			mustDo(t, err)
		}, nil, core.ErrConflict, `resource "SMTP Virtual Server Instance (EVS1)" already exists; the System Attendant creates it`},
		{"a resource with the MTA's name", func(t *testing.T, l *lab) {
			_, err := l.w.NewResource(labCluster, ResourceSpec{Group: "EVS1 Group", Name: fmt.Sprintf(mtaName, "EVS1"), Type: TypeGenericService, Params: map[string]string{"service": "MSExchangeMTA"}})
			mustDo(t, err)
		}, nil, core.ErrConflict, `resource "Exchange Message Transfer Agent Instance (EVS1)" already exists; the System Attendant creates it`},
		{"unknown parameter", nil, func(c *call) { c.params = map[string]string{"data_directory": `R:\x`, "routing": "x"} }, core.ErrInvalid, "have no parameter routing; they take data_directory, administrative_group, routing_group"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _ := exchangeLab(t, 2, 2)
			l.evsGroup(t, 1)
			if tt.setup != nil {
				tt.setup(t, l)
			}
			c := ok
			if tt.change != nil {
				tt.change(&c)
			}
			refused(t, l.w, tt.kind, tt.substr, func() error {
				_, err := l.w.NewResource(labCluster, ResourceSpec{Group: c.group, Name: c.name, Type: TypeSA, PossibleOwners: c.possible, Dependencies: c.deps, Params: c.params})
				return err
			})
		})
	}
}

// A System Attendant limited to the nodes that have Exchange is fine even
// when another node has none; the node without Exchange is never a target.
func TestSystemAttendantPossibleOwners(t *testing.T) {
	l := newLab(t, labSpec{nodes: 3, dataDisks: 1})
	w := l.w
	l.cluster(t, "")
	_, err := w.NewResource(labCluster, ResourceSpec{Group: "Cluster Group", Name: "MSDTC", Type: TypeDTC, Dependencies: []string{"Cluster Name", "Disk Q:"}})
	mustDo(t, err)
	mustDo(t, w.BringOnline(labCluster, "MSDTC", false))
	for _, s := range []string{"NODE1", "NODE2"} {
		installPrereqs(t, w, s)
		mustDo(t, w.InstallExchange(ExchangeSpec{Server: s, Account: labExAdmin, Edition: "enterprise", Components: ExchangeComponents, Drive: "C:"}))
	}
	g := l.evsGroup(t, 1)
	_, err = w.NewResource(labCluster, ResourceSpec{Group: g.Name, Name: "EVS1 SA", Type: TypeSA, PossibleOwners: []string{"NODE1", "NODE2"}, Dependencies: []string{"EVS1 Network Name", "EVS1 Disk"}, Params: map[string]string{"data_directory": `R:\mdbdata`}})
	mustDo(t, err)
	for _, r := range g.Resources[4:] {
		if !slices.Equal(r.PossibleOwners, []string{"NODE1", "NODE2"}) {
			t.Errorf("%q possible owners %v, want the System Attendant's", r.Name, r.PossibleOwners)
		}
	}
	refused(t, w, core.ErrPrereq, `node NODE3 has no cluster-aware Exchange; install_exchange on it before making it a possible owner of "EVS1 SA"`, func() error {
		return w.SetPossibleOwners(labCluster, "EVS1 SA", []string{"NODE1", "NODE3"})
	})
	mustDo(t, w.BringOnline(labCluster, g.Name, true))
	mustDo(t, w.MoveGroup(labCluster, g.Name, ""))
	if g.Owner != "NODE2" {
		t.Errorf("moved to %s", g.Owner)
	}
	refused(t, w, core.ErrState, "NODE3", func() error { return w.MoveGroup(labCluster, g.Name, "NODE3") })
}

// set_params on an existing System Attendant must not be refused for
// being the System Attendant it is.
func TestSystemAttendantSetParams(t *testing.T) {
	l, _ := exchangeLab(t, 3, 2)
	w := l.w
	l.evs(t, 1)
	l.evs(t, 2) // the N-1 limit of three nodes is reached
	mustDo(t, w.SetParams(labCluster, "EVS1 System Attendant", map[string]string{"routing_group": "Europe"}))
	if r := mustResource(t, w, "EVS1 System Attendant"); r.Params["routing_group"] != "Europe" || r.Params["data_directory"] != `R:\Exchsrvr\mdbdata` {
		t.Errorf("params %v", r.Params)
	}
	refused(t, w, core.ErrPrereq, `data directory T:\x is not on a Physical Disk resource of group "EVS1 Group"`, func() error {
		return w.SetParams(labCluster, "EVS1 System Attendant", map[string]string{"data_directory": `T:\x`})
	})
}

func TestExchangeLimits(t *testing.T) {
	t.Run("active/active on two nodes", func(t *testing.T) {
		l, _ := exchangeLab(t, 2, 3)
		w := l.w
		g1 := l.evs(t, 1, "NODE1")
		g2 := l.evs(t, 2, "NODE2")
		mustDo(t, w.BringOnline(labCluster, g1.Name, true))
		mustDo(t, w.BringOnline(labCluster, g2.Name, true))
		if g1.Owner != "NODE1" || g2.Owner != "NODE2" || g1.State() != Online || g2.State() != Online {
			t.Errorf("EVS1 %s on %s, EVS2 %s on %s", g1.State(), g1.Owner, g2.State(), g2.Owner)
		}
		// Both may run on one node of a two-node cluster.
		mustDo(t, w.MoveGroup(labCluster, g2.Name, "NODE1"))
		if g2.Owner != "NODE1" || g2.State() != Online {
			t.Errorf("EVS2 %s on %s", g2.State(), g2.Owner)
		}
		l.evsGroup(t, 3)
		refused(t, w, core.ErrLimit, "cluster EXCLUSTER has 2 node(s) and 2 Exchange virtual server(s); active/active allows one virtual server per node", func() error {
			_, err := w.NewResource(labCluster, ResourceSpec{Group: "EVS3 Group", Name: "EVS3 SA", Type: TypeSA, Dependencies: []string{"EVS3 Network Name", "EVS3 Disk"}, Params: map[string]string{"data_directory": `T:\x`}})
			return err
		})
	})
	t.Run("N-1 and one per node on four nodes", func(t *testing.T) {
		l, c := exchangeLab(t, 4, 4)
		w := l.w
		g1 := l.evs(t, 1, "NODE1")
		g2 := l.evs(t, 2, "NODE1", "NODE2")
		g3 := l.evs(t, 3, "NODE3")
		if c.evsCount() != 3 {
			t.Fatalf("%d virtual servers", c.evsCount())
		}
		l.evsGroup(t, 4)
		refused(t, w, core.ErrLimit, "cluster EXCLUSTER has 4 nodes and 3 Exchange virtual servers; Exchange 2003 allows at most 3 (N-1, active/passive)", func() error {
			_, err := w.NewResource(labCluster, ResourceSpec{Group: "EVS4 Group", Name: "EVS4 SA", Type: TypeSA, Dependencies: []string{"EVS4 Network Name", "EVS4 Disk"}, Params: map[string]string{"data_directory": `U:\x`}})
			return err
		})
		mustDo(t, w.BringOnline(labCluster, g1.Name, true))
		if g2.Owner != "NODE1" {
			t.Fatalf("EVS2 is owned by %s", g2.Owner)
		}
		// EVS2 cannot start on NODE1, which runs EVS1 (error 5018).
		refused(t, w, core.ErrState, `node NODE1 already hosts Exchange virtual server "EVS1 Group"`, func() error {
			return w.BringOnline(labCluster, g2.Name, true)
		})
		// Its parts that are not Exchange may.
		mustDo(t, w.BringOnline(labCluster, "EVS2 Network Name", false))
		mustDo(t, w.MoveGroup(labCluster, g2.Name, "NODE2"))
		mustDo(t, w.BringOnline(labCluster, g2.Name, true))
		mustDo(t, w.BringOnline(labCluster, g3.Name, true))
		// No node may take a second virtual server; NODE4 is the passive one.
		refused(t, w, core.ErrState, `already hosts Exchange virtual server "EVS2 Group"`, func() error {
			return w.MoveGroup(labCluster, g1.Name, "NODE2")
		})
		mustDo(t, w.MoveGroup(labCluster, g1.Name, ""))
		if g1.Owner != "NODE4" {
			t.Errorf("EVS1 moved to %s, want NODE4, the only node without a virtual server", g1.Owner)
		}
		mustDo(t, w.MoveGroup(labCluster, g3.Name, ""))
		if g3.Owner != "NODE1" {
			t.Errorf("EVS3 moved to %s, want NODE1, which EVS1 left", g3.Owner)
		}
		// An Offline virtual server does not block a node.
		mustDo(t, w.TakeOffline(labCluster, g3.Name, true))
		mustDo(t, w.MoveGroup(labCluster, g2.Name, "NODE3"))
	})
	t.Run("three nodes allow two", func(t *testing.T) {
		l, _ := exchangeLab(t, 3, 3)
		w := l.w
		l.evs(t, 1)
		l.evs(t, 2)
		l.evsGroup(t, 3)
		refused(t, w, core.ErrLimit, "allows at most 2 (N-1", func() error {
			_, err := w.NewResource(labCluster, ResourceSpec{Group: "EVS3 Group", Name: "EVS3 SA", Type: TypeSA, Dependencies: []string{"EVS3 Network Name", "EVS3 Disk"}, Params: map[string]string{"data_directory": `T:\x`}})
			return err
		})
	})
}

// removeEVS deletes a virtual server's System Attendant and what it made
// (the Message Transfer Agent goes with the System Attendant).
func removeEVS(t *testing.T, w *World, i int) {
	t.Helper()
	vs := fmt.Sprintf("EVS%d", i)
	g := mustGroup(t, w, vs+" Group")
	if g.State() != Offline {
		mustDo(t, w.TakeOffline(labCluster, g.Name, true))
	}
	var sa string
	for _, r := range slices.Clone(g.Resources) {
		if r.Type == TypeSA {
			sa = r.Name
		}
	}
	for _, d := range mustClusterOf(t, w).Dependents(mustResource(t, w, sa)) {
		if mustResource(t, w, d).Type != TypeMTA {
			mustDo(t, w.DeleteResource(labCluster, d))
		}
	}
	mustDo(t, w.DeleteResource(labCluster, sa))
}

func mustClusterOf(t *testing.T, w *World) *Cluster {
	t.Helper()
	c, err := w.Cluster(labCluster)
	mustDo(t, err)
	return c
}

func TestFirstVirtualServerIsRemovedLast(t *testing.T) {
	l, c := exchangeLab(t, 3, 3)
	w := l.w
	g1 := l.evs(t, 1)
	l.evs(t, 2)
	mta := fmt.Sprintf(mtaName, "EVS1")
	// The first virtual server's other parts may go, but not its System
	// Attendant, which would take the MTA with it.
	for _, d := range c.Dependents(mustResource(t, w, "EVS1 System Attendant")) {
		if d != mta {
			mustDo(t, w.DeleteResource(labCluster, d))
		}
	}
	refused(t, w, core.ErrState, `group "EVS1 Group" is the first Exchange virtual server and owns the Message Transfer Agent, which the other virtual servers rely on; remove the other virtual servers first`, func() error {
		return w.DeleteResource(labCluster, "EVS1 System Attendant")
	})
	removeEVS(t, w, 2)
	if c.evsCount() != 1 {
		t.Fatalf("%d virtual servers", c.evsCount())
	}
	removeEVS(t, w, 1)
	if g1.EVS != 0 || c.evsCount() != 0 {
		t.Errorf("EVS1 still counted: %d, %d", g1.EVS, c.evsCount())
	}
	if _, err := c.Resource(mta); err == nil {
		t.Error("the MTA outlived its System Attendant")
	}
	// A virtual server created now is the first again and owns the MTA.
	l.evs(t, 3)
	if _, err := c.Resource(fmt.Sprintf(mtaName, "EVS3")); err != nil {
		t.Error(err)
	}
}

// A second virtual server created while the first exists is not the first,
// even after the first gets a higher sequence; the MTA stays with EVS1.
func TestVirtualServerSequence(t *testing.T) {
	l, c := exchangeLab(t, 3, 3)
	w := l.w
	l.evs(t, 1)
	l.evs(t, 2)
	removeEVS(t, w, 2)
	g3 := l.evs(t, 3)
	if g3.EVS != 2 {
		t.Errorf("EVS3 sequence %d, want 2", g3.EVS)
	}
	if _, err := c.Resource(fmt.Sprintf(mtaName, "EVS3")); err == nil {
		t.Error("EVS3 got an MTA while EVS1 holds it")
	}
}
