package mscs

import (
	"clusterscript/runtime/core"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestCreateClusterQuorumModels(t *testing.T) {
	tests := []struct {
		name       string
		dataDisks  int
		noQuorum   bool // the lab has no shared disk at all
		quorum     string
		wantModel  string
		wantQuorum string // Cluster.QuorumName()
		wantRes    string // the quorum resource in the Cluster Group
		wantType   string
	}{
		{"default takes the first disk by letter", 2, false, "", QuorumDisk, "Disk Q:", "Disk Q:", TypePhysicalDisk},
		{"default without disks is local", 0, true, "", QuorumLocal, "Local Quorum", "Local Quorum", TypeLocalQuorum},
		{"an explicit disk", 2, false, "Data2", QuorumDisk, "Disk S:", "Disk S:", TypePhysicalDisk},
		{"majority node set", 1, false, "majority", QuorumMajority, "Majority Node Set", "Majority Node Set", TypeMajorityNodeSet},
		{"local quorum", 1, false, "local", QuorumLocal, "Local Quorum", "Local Quorum", TypeLocalQuorum},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLab(t, labSpec{nodes: 2, dataDisks: tt.dataDisks})
			w := l.w
			if tt.noQuorum {
				w = NewWorld()
				_, err := w.CreateDomain(labDomain, "")
				mustDo(t, err)
				_, err = w.CreateUser(labDomain, "clussvc", labPassword, nil)
				mustDo(t, err)
				_, err = w.InstallServer("NODE1", "enterprise", "2003", []string{"Public", "Private"})
				mustDo(t, err)
				mustDo(t, w.ConfigureTCPIP("NODE1", "Public", core.TCPIPSpec{IP: "10.0.0.11", Mask: "255.255.255.0"}))
				mustDo(t, w.ConfigureTCPIP("NODE1", "Private", core.TCPIPSpec{IP: "192.168.1.11", Mask: "255.255.255.0"}))
				mustDo(t, w.JoinDomain("NODE1", labDomain))
			}
			n0 := len(w.Events)
			c, err := w.CreateCluster(ClusterSpec{Name: labCluster, Domain: labDomain, Node: "NODE1", IP: labIP, Account: labAccount, Mask: "255.255.255.0", Quorum: tt.quorum})
			mustDo(t, err)
			if c.QuorumModel != tt.wantModel || c.QuorumName() != tt.wantQuorum {
				t.Errorf("quorum model %q, quorum %q; want %q, %q", c.QuorumModel, c.QuorumName(), tt.wantModel, tt.wantQuorum)
			}
			if !c.HasQuorum() {
				t.Error("a new cluster has no quorum")
			}
			if c.Name != labCluster || c.IP != labIP || c.Mask != "255.255.255.0" || c.Version != "2003" || c.Account != labAccount || c.Domain != labDomain {
				t.Errorf("cluster %+v", c)
			}
			if got := c.NodeNames(); !slices.Equal(got, []string{"NODE1"}) {
				t.Errorf("nodes %v", got)
			}
			if n := mustNode(t, w, "NODE1"); n.State != NodeUp {
				t.Errorf("NODE1 is %s", n.State)
			}
			var nets []string
			for _, nw := range c.Networks {
				nets = append(nets, nw.Name+" "+nw.Subnet+" "+nw.Role)
			}
			if want := []string{"Public 10.0.0.0/24 mixed", "Private 192.168.1.0/24 private"}; !slices.Equal(nets, want) {
				t.Errorf("networks %v, want %v", nets, want)
			}
			if len(c.Groups) != 1 {
				t.Fatalf("%d groups, want the Cluster Group only", len(c.Groups))
			}
			g := c.Groups[0]
			if g.Name != "Cluster Group" || g.Owner != "NODE1" || g.State() != Online {
				t.Errorf("group %q owned by %s is %s; want Cluster Group Online on NODE1", g.Name, g.Owner, g.State())
			}
			want := []string{"Cluster IP Address", "Cluster Name", tt.wantRes}
			if got := resourceNames(g); !slices.Equal(got, want) {
				t.Fatalf("Cluster Group holds %v, want %v", got, want)
			}
			types := []string{TypeIPAddress, TypeNetworkName, tt.wantType}
			for i, r := range g.Resources {
				if r.Type != types[i] || r.State != Online {
					t.Errorf("%q is a %s, %s; want %s, Online", r.Name, r.Type, r.State, types[i])
				}
			}
			ip, name := g.Resources[0], g.Resources[1]
			if ip.Params["address"] != labIP || ip.Params["subnet_mask"] != "255.255.255.0" || ip.Params["network"] != "Public" {
				t.Errorf("Cluster IP Address params %v", ip.Params)
			}
			if name.Params["name"] != labCluster || !slices.Equal(name.Dependencies, []string{"Cluster IP Address"}) {
				t.Errorf("Cluster Name params %v, dependencies %v", name.Params, name.Dependencies)
			}
			if use, ok := w.AddressInUse(labIP); !ok || !strings.Contains(use, "Cluster IP Address") {
				t.Errorf("the cluster address is used by %q", use)
			}
			// The quorum resource's disk, when there is one, is held.
			if tt.wantType == TypePhysicalDisk {
				label := g.Resources[2].Params["disk"]
				if _, r := w.diskOwner(label); r != g.Resources[2] {
					t.Errorf("disk %s is not held by the quorum resource", label)
				}
				if c.Quorum != tt.wantRes {
					t.Errorf("c.Quorum = %q", c.Quorum)
				}
			}
			// The events: formed, node Up, group, three resources, three Online, group Online.
			got := stateChanges(eventsSince(w, n0))
			wantStates := []string{"NODE1=Up", "Cluster IP Address=Online", "Cluster Name=Online", tt.wantRes + "=Online", "Cluster Group=Online"}
			if !slices.Equal(got, wantStates) {
				t.Errorf("state events %v, want %v", got, wantStates)
			}
			if s, _ := w.Server("NODE1"); s.Cluster != labCluster {
				t.Errorf("NODE1 is in cluster %q", s.Cluster)
			}
		})
	}
}

func TestCreateClusterDefaultQuorumSkipsUnusableDisks(t *testing.T) {
	l := newLab(t, labSpec{nodes: 2})
	w := l.w
	// Created before Q: but unusable: raw, dynamic, failed, or not seen by NODE1.
	_, err := w.CreateSharedDisk(core.DiskSpec{Label: "Raw", SizeGB: 1, Servers: l.servers, Kind: "basic", FS: "raw"})
	mustDo(t, err)
	_, err = w.CreateSharedDisk(core.DiskSpec{Label: "Dyn", SizeGB: 1, Servers: l.servers, Kind: "dynamic", FS: "NTFS", Letter: "D:"})
	mustDo(t, err)
	_, err = w.CreateSharedDisk(core.DiskSpec{Label: "Broken", SizeGB: 1, Servers: l.servers, Kind: "basic", FS: "NTFS", Letter: "E:"})
	mustDo(t, err)
	mustDo(t, w.FailDisk("Broken"))
	_, err = w.CreateSharedDisk(core.DiskSpec{Label: "Other", SizeGB: 1, Servers: []string{"NODE2"}, Kind: "basic", FS: "NTFS", Letter: "F:"})
	mustDo(t, err)
	_, err = w.CreateSharedDisk(core.DiskSpec{Label: "Good", SizeGB: 1, Servers: l.servers, Kind: "basic", FS: "NTFS", Letter: "G:"})
	mustDo(t, err)
	c, err := w.CreateCluster(ClusterSpec{Name: labCluster, Domain: labDomain, Node: "NODE1", IP: labIP, Account: labAccount, Mask: "255.255.255.0"})
	mustDo(t, err)
	if c.QuorumName() != "Disk G:" {
		t.Errorf("quorum %q, want Disk G: (the first usable disk by letter)", c.QuorumName())
	}
}

func TestCreateClusterRefusals(t *testing.T) {
	type args struct{ name, domain, node, ip, account, mask, quorum string }
	ok := args{labCluster, labDomain, "NODE1", labIP, labAccount, "255.255.255.0", ""}
	tests := []struct {
		name   string
		setup  func(t *testing.T, l *lab)
		change func(a *args)
		kind   error
		substr string
	}{
		{"name too long", nil, func(a *args) { a.name = "EXCHANGECLUSTER1" }, core.ErrInvalid, "NetBIOS names have at most 15"},
		{"name with a bad character", nil, func(a *args) { a.name = "EX_CLUSTER" }, core.ErrInvalid, `contains '_'`},
		{"name all digits", nil, func(a *args) { a.name = "2003" }, core.ErrInvalid, "all digits"},
		{"name empty", nil, func(a *args) { a.name = "" }, core.ErrInvalid, "cluster name is empty"},
		{"name of a server", nil, func(a *args) { a.name = "node2" }, core.ErrConflict, "already used by server NODE2"},
		{"name of the domain", nil, func(a *args) { a.name = "CORP" }, core.ErrConflict, "domain corp.example.com"},
		{"cluster exists", func(t *testing.T, l *lab) {
			_, err := l.w.CreateCluster(ClusterSpec{Name: labCluster, Domain: labDomain, Node: "NODE2", IP: "10.0.0.99", Account: labAccount, Mask: "255.255.255.0", Quorum: "majority"})
			mustDo(t, err)
		}, nil, core.ErrConflict, "a cluster named EXCLUSTER already exists"},
		{"unknown domain", nil, func(a *args) { a.domain = "corp.exmple.com" }, core.ErrNotFound, `did you mean "corp.example.com"`},
		{"unknown server", nil, func(a *args) { a.node = "NODE9" }, core.ErrNotFound, `no server named "NODE9"`},
		{"server down", func(t *testing.T, l *lab) { mustDo(t, l.w.FailServer("NODE1")) }, nil, core.ErrState, "server NODE1 is not running"},
		{"standard edition", func(t *testing.T, l *lab) { l.w.LookupServer("NODE1").Edition = "standard" }, nil, core.ErrPrereq, "Standard edition, which has no Cluster service"},
		{"web edition", func(t *testing.T, l *lab) { l.w.LookupServer("NODE1").Edition = "web" }, nil, core.ErrPrereq, "Enterprise or Datacenter"},
		{"already a node", func(t *testing.T, l *lab) {
			_, err := l.w.CreateCluster(ClusterSpec{Name: "OTHER", Domain: labDomain, Node: "NODE1", IP: "10.0.0.99", Account: labAccount, Mask: "255.255.255.0", Quorum: "majority"})
			mustDo(t, err)
		}, nil, core.ErrConflict, "already a node of cluster OTHER"},
		{"standalone Exchange", func(t *testing.T, l *lab) { l.w.LookupServer("NODE1").Exchange = "standalone" }, nil, core.ErrPrereq, "standalone Exchange"},
		{"not in the domain", func(t *testing.T, l *lab) {
			_, err := l.w.InstallServer("LONE", "enterprise", "2003", []string{"Public"})
			mustDo(t, err)
			mustDo(t, l.w.ConfigureTCPIP("LONE", "Public", core.TCPIPSpec{IP: "10.0.0.50", Mask: "255.255.255.0"}))
		}, func(a *args) { a.node = "LONE" }, core.ErrPrereq, "server LONE is not a member of domain corp.example.com"},
		{"bad address", nil, func(a *args) { a.ip = "10.0.0.300" }, core.ErrInvalid, "not an IPv4 address"},
		{"bad mask", nil, func(a *args) { a.mask = "255.0.255.0" }, core.ErrInvalid, "not contiguous"},
		{"broadcast address", nil, func(a *args) { a.ip = "10.0.0.255" }, core.ErrInvalid, "broadcast address"},
		{"address outside the node's subnets", nil, func(a *args) { a.ip = "10.0.5.100" }, core.ErrPrereq, "no configured adapter in 10.0.5.0/24"},
		{"address on the private network", nil, func(a *args) { a.ip = "192.168.1.100" }, core.ErrPrereq, "internal cluster traffic only"},
		{"address in use", nil, func(a *args) { a.ip = "10.0.0.12" }, core.ErrConflict, "already used by adapter NODE2 Public"},
		{"unknown account", nil, func(a *args) { a.account = `CORP\clusvc` }, core.ErrNotFound, `did you mean "clussvc"`},
		{"account without domain", nil, func(a *args) { a.account = "clussvc" }, core.ErrInvalid, "has no domain"},
		{"account of another domain", func(t *testing.T, l *lab) {
			_, err := l.w.CreateDomain("other.example.com", "")
			mustDo(t, err)
			_, err = l.w.CreateUser("other.example.com", "svc", "", nil)
			mustDo(t, err)
		}, func(a *args) { a.account = `OTHER\svc` }, core.ErrPrereq, `OTHER\svc is not in domain corp.example.com`},
		{"unknown quorum", nil, func(a *args) { a.quorum = "Majority" }, core.ErrInvalid, `neither a shared disk nor "majority" or "local"`},
		{"raw quorum disk", func(t *testing.T, l *lab) {
			_, err := l.w.CreateSharedDisk(core.DiskSpec{Label: "Raw", SizeGB: 1, Servers: l.servers, Kind: "basic", FS: "raw"})
			mustDo(t, err)
		}, func(a *args) { a.quorum = "Raw" }, core.ErrPrereq, "cluster disks must be NTFS"},
		{"dynamic quorum disk", func(t *testing.T, l *lab) {
			_, err := l.w.CreateSharedDisk(core.DiskSpec{Label: "Dyn", SizeGB: 1, Servers: l.servers, Kind: "dynamic", FS: "NTFS", Letter: "D:"})
			mustDo(t, err)
		}, func(a *args) { a.quorum = "Dyn" }, core.ErrPrereq, "cluster disks must be basic"},
		{"unlettered quorum disk", func(t *testing.T, l *lab) {
			_, err := l.w.CreateSharedDisk(core.DiskSpec{Label: "NoLetter", SizeGB: 1, Servers: l.servers, Kind: "basic", FS: "NTFS"})
			mustDo(t, err)
		}, func(a *args) { a.quorum = "NoLetter" }, core.ErrPrereq, "has no drive letter"},
		{"quorum disk not seen", func(t *testing.T, l *lab) {
			_, err := l.w.CreateSharedDisk(core.DiskSpec{Label: "Far", SizeGB: 1, Servers: []string{"NODE2"}, Kind: "basic", FS: "NTFS", Letter: "D:"})
			mustDo(t, err)
		}, func(a *args) { a.quorum = "Far" }, core.ErrPrereq, "not on the shared bus of NODE1"},
		{"quorum disk held by another cluster", func(t *testing.T, l *lab) {
			_, err := l.w.CreateCluster(ClusterSpec{Name: "OTHER", Domain: labDomain, Node: "NODE2", IP: "10.0.0.99", Account: labAccount, Mask: "255.255.255.0", Quorum: "Quorum"})
			mustDo(t, err)
		}, func(a *args) { a.quorum = "Quorum" }, core.ErrConflict, `already held by resource "Disk Q:" of cluster OTHER`},
		{"failed quorum disk", func(t *testing.T, l *lab) { mustDo(t, l.w.FailDisk("Quorum")) }, func(a *args) { a.quorum = "Quorum" }, core.ErrState, "disk Quorum has failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLab(t, labSpec{nodes: 2})
			if tt.setup != nil {
				tt.setup(t, l)
			}
			a := ok
			if tt.change != nil {
				tt.change(&a)
			}
			refused(t, l.w, tt.kind, tt.substr, func() error {
				_, err := l.w.CreateCluster(ClusterSpec{Name: a.name, Domain: a.domain, Node: a.node, IP: a.ip, Account: a.account, Mask: a.mask, Quorum: a.quorum})
				return err
			})
		})
	}
}

func TestAddNode(t *testing.T) {
	l := newLab(t, labSpec{nodes: 3})
	w := l.w
	c, err := w.CreateCluster(ClusterSpec{Name: labCluster, Domain: labDomain, Node: "NODE1", IP: labIP, Account: labAccount, Mask: "255.255.255.0"})
	mustDo(t, err)
	n0 := len(w.Events)
	n, err := w.AddNode(labCluster, "NODE2", labPassword, true)
	mustDo(t, err)
	if n.Name != "NODE2" || n.State != NodeUp {
		t.Errorf("node %+v", n)
	}
	_, err = w.AddNode(labCluster, "node3", "", false) // no password given: not checked
	mustDo(t, err)
	if got := c.NodeNames(); !slices.Equal(got, []string{"NODE1", "NODE2", "NODE3"}) {
		t.Errorf("nodes %v", got)
	}
	if s, _ := w.Server("NODE3"); s.Cluster != labCluster {
		t.Errorf("NODE3 is in cluster %q", s.Cluster)
	}
	if got := stateChanges(eventsSince(w, n0)); !slices.Equal(got, []string{"NODE2=Up", "NODE3=Up"}) {
		t.Errorf("state events %v", got)
	}
	if !strings.Contains(w.Events[n0].Text, "(2 of 8 nodes)") {
		t.Errorf("event %q does not count the nodes against the limit", w.Events[n0].Text)
	}
	if len(c.Networks) != 2 {
		t.Errorf("networks %d, want the two subnets once each", len(c.Networks))
	}
	// The Cluster Group stays where it is.
	if g := c.Groups[0]; g.Owner != "NODE1" || g.State() != Online {
		t.Errorf("Cluster Group %s on %s", g.State(), g.Owner)
	}
}

func TestAddNodeLimitPerVersion(t *testing.T) {
	for _, tt := range []struct {
		version string
		limit   int
	}{{"2003", 8}, {"2008", 16}, {"2012", 64}, {"2016", 64}, {"2019", 64}, {"2022", 64}} {
		t.Run(tt.version, func(t *testing.T) {
			l := newLab(t, labSpec{nodes: tt.limit + 1, version: tt.version, publicMask: "255.255.0.0"})
			w := l.w
			c, err := w.CreateCluster(ClusterSpec{Name: labCluster, Domain: labDomain, Node: l.servers[0], IP: "10.0.1.100", Account: labAccount, Mask: "255.255.0.0", Quorum: "majority"})
			mustDo(t, err)
			for _, s := range l.servers[1:tt.limit] {
				_, err := w.AddNode(labCluster, s, "", false)
				mustDo(t, err)
			}
			if len(c.Nodes) != tt.limit || c.NodeLimit() != tt.limit {
				t.Fatalf("%d nodes, limit %d; want %d", len(c.Nodes), c.NodeLimit(), tt.limit)
			}
			last := l.servers[tt.limit]
			refused(t, w, core.ErrLimit, fmt.Sprintf("cluster EXCLUSTER already has %d nodes, the Windows Server %s limit", tt.limit, tt.version), func() error {
				_, err := w.AddNode(labCluster, last, "", false)
				return err
			})
		})
	}
}

func TestAddNodeRefusals(t *testing.T) {
	tests := []struct {
		name     string
		quorum   string
		setup    func(t *testing.T, l *lab)
		cluster  string
		server   string
		password string
		check    bool
		kind     error
		substr   string
	}{
		{name: "unknown cluster", cluster: "EXCLUSTR", server: "NODE2", kind: core.ErrNotFound, substr: `did you mean "EXCLUSTER"`},
		{name: "unknown server", server: "NODE7", kind: core.ErrNotFound, substr: `no server named "NODE7"`},
		{name: "already a node", server: "NODE1", kind: core.ErrConflict, substr: "server NODE1 is already a node of cluster EXCLUSTER"},
		{name: "node of another cluster", setup: func(t *testing.T, l *lab) {
			_, err := l.w.CreateCluster(ClusterSpec{Name: "OTHER", Domain: labDomain, Node: "NODE2", IP: "10.0.0.99", Account: labAccount, Mask: "255.255.255.0", Quorum: "majority"})
			mustDo(t, err)
		}, server: "NODE2", kind: core.ErrConflict, substr: "evict it there first"},
		{name: "server down", setup: func(t *testing.T, l *lab) { mustDo(t, l.w.FailServer("NODE2")) }, server: "NODE2", kind: core.ErrState, substr: "server NODE2 is not running"},
		{name: "local quorum", quorum: "local", server: "NODE2", kind: core.ErrPrereq, substr: "uses a local quorum"},
		{name: "standard edition", setup: func(t *testing.T, l *lab) { l.w.LookupServer("NODE2").Edition = "standard" }, server: "NODE2", kind: core.ErrPrereq, substr: "Standard edition, which has no Cluster service"},
		{name: "mixed editions", setup: func(t *testing.T, l *lab) { l.w.LookupServer("NODE2").Edition = "datacenter" }, server: "NODE2", kind: core.ErrConflict, substr: "may not mix Enterprise and Datacenter"},
		{name: "other version", setup: func(t *testing.T, l *lab) { l.w.LookupServer("NODE2").Version = "2008" }, server: "NODE2", kind: core.ErrConflict, substr: "runs Windows Server 2008 but cluster EXCLUSTER runs 2003"},
		{name: "not in the domain", setup: func(t *testing.T, l *lab) { l.w.LookupServer("NODE2").Domain = "" }, server: "NODE2", kind: core.ErrPrereq, substr: "not a member of domain corp.example.com"},
		{name: "other domain", setup: func(t *testing.T, l *lab) {
			_, err := l.w.CreateDomain("other.example.com", "")
			mustDo(t, err)
			l.w.LookupServer("NODE2").Domain = "other.example.com"
		}, server: "NODE2", kind: core.ErrPrereq, substr: "the cluster's domain"},
		{name: "standalone Exchange", setup: func(t *testing.T, l *lab) { l.w.LookupServer("NODE2").Exchange = "standalone" }, server: "NODE2", kind: core.ErrPrereq, substr: "standalone Exchange"},
		{name: "no adapter in the cluster subnet", setup: func(t *testing.T, l *lab) {
			mustDo(t, l.w.ConfigureTCPIP("NODE2", "Public", core.TCPIPSpec{IP: "10.0.5.12", Mask: "255.255.255.0"}))
		}, server: "NODE2", kind: core.ErrPrereq, substr: "server NODE2 has no adapter in 10.0.0.0/24, the subnet of cluster EXCLUSTER"},
		{name: "quorum disk not seen", setup: func(t *testing.T, l *lab) {
			_, err := l.w.InstallServer("NODE3", "enterprise", "2003", []string{"Public", "Private"})
			mustDo(t, err)
			mustDo(t, l.w.ConfigureTCPIP("NODE3", "Public", core.TCPIPSpec{IP: "10.0.0.13", Mask: "255.255.255.0"}))
			mustDo(t, l.w.JoinDomain("NODE3", labDomain))
		}, server: "NODE3", kind: core.ErrPrereq, substr: "server NODE3 does not see the quorum disk Q: (Quorum)"},
		{name: "wrong password", server: "NODE2", password: "guess", check: true, kind: core.ErrPrereq, substr: `password given for the Cluster service account CORP\clussvc is wrong`},
		{name: "empty password", server: "NODE2", password: "", check: true, kind: core.ErrPrereq, substr: "is wrong"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLab(t, labSpec{nodes: 2})
			_, err := l.w.CreateCluster(ClusterSpec{Name: labCluster, Domain: labDomain, Node: "NODE1", IP: labIP, Account: labAccount, Mask: "255.255.255.0", Quorum: tt.quorum})
			mustDo(t, err)
			if tt.setup != nil {
				tt.setup(t, l)
			}
			cl := tt.cluster
			if cl == "" {
				cl = labCluster
			}
			refused(t, l.w, tt.kind, tt.substr, func() error {
				_, err := l.w.AddNode(cl, tt.server, tt.password, tt.check)
				return err
			})
		})
	}
}

func TestEvictNode(t *testing.T) {
	l := newLab(t, labSpec{nodes: 3, dataDisks: 1})
	w := l.w
	c := l.cluster(t, "")
	g := l.webGroup(t, "Web", "10.0.0.150", "WEB", "NODE2", "NODE3")
	mustDo(t, w.SetPossibleOwners(labCluster, "Web Service", []string{"NODE1", "NODE3"}))
	mustDo(t, w.MoveGroup(labCluster, "Web", "NODE1"))
	n0 := len(w.Events)
	mustDo(t, w.EvictNode(labCluster, "NODE3"))
	if got := c.NodeNames(); !slices.Equal(got, []string{"NODE1", "NODE2"}) {
		t.Errorf("nodes %v", got)
	}
	if s, _ := w.Server("NODE3"); s.Cluster != "" {
		t.Errorf("evicted NODE3 still names cluster %q", s.Cluster)
	}
	if !slices.Equal(g.PreferredOwners, []string{"NODE2"}) {
		t.Errorf("preferred owners %v still name the evicted node", g.PreferredOwners)
	}
	if got := c.PossibleOwnerNames(mustResource(t, w, "Web Service")); !slices.Equal(got, []string{"NODE1"}) {
		t.Errorf("possible owners %v", got)
	}
	if _, err := c.Node("NODE3"); err == nil {
		t.Error("NODE3 can still be looked up")
	}
	if len(eventsSince(w, n0)) != 1 || !strings.Contains(w.Events[n0].Text, "node NODE3 evicted from cluster EXCLUSTER") {
		t.Errorf("events %v", eventsSince(w, n0))
	}
	// An evicted server can join again.
	_, err := w.AddNode(labCluster, "NODE3", labPassword, true)
	mustDo(t, err)
	if got := c.NodeNames(); !slices.Equal(got, []string{"NODE1", "NODE2", "NODE3"}) {
		t.Errorf("nodes after joining again %v", got)
	}
}

func TestEvictNodeRefusals(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(t *testing.T, l *lab)
		node   string
		kind   error
		substr string
	}{
		{"owns a group", nil, "NODE1", core.ErrState, `node NODE1 still owns group "Cluster Group"; move its groups to another node`},
		{"unknown node", nil, "NODE4", core.ErrNotFound, `no node of cluster EXCLUSTER named "NODE4"`},
		{"last node", func(t *testing.T, l *lab) {
			mustDo(t, l.w.MoveGroup(labCluster, "Cluster Group", "NODE3"))
			mustDo(t, l.w.EvictNode(labCluster, "NODE1"))
			mustDo(t, l.w.EvictNode(labCluster, "NODE2"))
		}, "NODE3", core.ErrState, "last node of cluster EXCLUSTER"},
		{"only possible owner of a resource", func(t *testing.T, l *lab) {
			l.webGroup(t, "Web", "10.0.0.150", "WEB")
			mustDo(t, l.w.SetPossibleOwners(labCluster, "Web Share", []string{"NODE2"}))
		}, "NODE2", core.ErrState, `node NODE2 is the only possible owner of "Web Share"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLab(t, labSpec{nodes: 3})
			l.cluster(t, "")
			if tt.setup != nil {
				tt.setup(t, l)
			}
			refused(t, l.w, tt.kind, tt.substr, func() error { return l.w.EvictNode(labCluster, tt.node) })
		})
	}
}

// Evicting a running node of a majority node set must not silently leave
// the cluster without a majority.
func TestEvictNodeKeepsMajority(t *testing.T) {
	l := newLab(t, labSpec{nodes: 3})
	w := l.w
	c := l.cluster(t, "majority")
	mustDo(t, w.StopClusterService(labCluster, "NODE3"))
	if !c.HasQuorum() {
		t.Fatal("2 of 3 nodes lost quorum")
	}
	refused(t, w, core.ErrState, "majority", func() error { return w.EvictNode(labCluster, "NODE2") })
	// Evicting the stopped node is fine: 2 of 2 remain.
	mustDo(t, w.EvictNode(labCluster, "NODE3"))
	if !c.HasQuorum() || c.QuorumLost {
		t.Error("the cluster lost quorum after evicting a stopped node")
	}
}

func wantQuorum(t *testing.T, w *World, c *Cluster, model, name string) {
	t.Helper()
	if c.QuorumModel != model || c.QuorumName() != name || !c.HasQuorum() {
		t.Errorf("quorum model %s, quorum %s, has quorum %v; want %s, %s, true", c.QuorumModel, c.QuorumName(), c.HasQuorum(), model, name)
	}
}

func TestQuorumAttributes(t *testing.T) {
	t.Run("disk", func(t *testing.T) {
		l := newLab(t, labSpec{nodes: 2})
		w := l.w
		c := l.cluster(t, "")
		wantQuorum(t, w, c, QuorumDisk, "Disk Q:")
		// The quorum follows the Cluster Group.
		mustDo(t, w.StopClusterService(labCluster, "NODE1"))
		if g := c.Groups[0]; g.Owner != "NODE2" || !c.HasQuorum() {
			t.Errorf("Cluster Group on %s, has quorum %v", g.Owner, c.HasQuorum())
		}
		mustDo(t, w.FailDisk("Quorum"))
		if c.HasQuorum() || !c.QuorumLost {
			t.Error("a failed quorum disk leaves the cluster with quorum")
		}
	})
	t.Run("majority", func(t *testing.T) {
		l := newLab(t, labSpec{nodes: 3})
		w := l.w
		c := l.cluster(t, "majority")
		wantQuorum(t, w, c, QuorumMajority, "Majority Node Set")
		mustDo(t, w.PauseNode(labCluster, "NODE3"))
		mustDo(t, w.StopClusterService(labCluster, "NODE2"))
		if !c.HasQuorum() {
			t.Error("2 of 3 (one Paused) is a majority")
		}
		mustDo(t, w.StopClusterService(labCluster, "NODE1"))
		if c.HasQuorum() || !c.QuorumLost {
			t.Error("1 of 3 nodes keeps quorum")
		}
		if g := c.Groups[0]; g.State() != Offline {
			t.Errorf("without quorum the Cluster Group is %s", g.State())
		}
		refused(t, w, core.ErrState, "cluster EXCLUSTER has lost quorum and runs nothing; restore quorum first", func() error {
			return w.BringOnline(labCluster, "Cluster Group", true)
		})
		refused(t, w, core.ErrState, "cluster EXCLUSTER has lost quorum; restore quorum before moving groups", func() error {
			return w.MoveGroup(labCluster, "Cluster Group", "NODE3")
		})
		// When a majority is back, the groups that were online come back.
		mustDo(t, w.StartClusterService(labCluster, "NODE1"))
		w.Settle()
		if !c.HasQuorum() || c.QuorumLost || c.Groups[0].State() != Online {
			t.Errorf("after NODE1 returned: quorum %v, Cluster Group %s", c.HasQuorum(), c.Groups[0].State())
		}
	})
	t.Run("local", func(t *testing.T) {
		l := newLab(t, labSpec{nodes: 1})
		w := l.w
		c := l.cluster(t, "local")
		wantQuorum(t, w, c, QuorumLocal, "Local Quorum")
		mustDo(t, w.StopClusterService(labCluster, "NODE1"))
		if c.HasQuorum() {
			t.Error("a local-quorum cluster whose node is Down has quorum")
		}
	})
}

func TestLookupsSuggest(t *testing.T) {
	l := newLab(t, labSpec{nodes: 2, dataDisks: 1})
	w := l.w
	c := l.cluster(t, "")
	l.webGroup(t, "Web Group", "10.0.0.150", "WEB")
	tests := []struct {
		name   string
		lookup func() error
		substr string
	}{
		{"cluster", func() error { _, err := w.Cluster("EXCLUSTR"); return err }, `no cluster named "EXCLUSTR"; did you mean "EXCLUSTER"?`},
		{"node", func() error { _, err := c.Node("NODE22"); return err }, `no node of cluster EXCLUSTER named "NODE22"; did you mean "NODE2"?`},
		{"group", func() error { _, err := c.Group("Web Gruop"); return err }, `did you mean "Web Group"?`},
		{"resource", func() error { _, err := c.Resource("Web Group Servce"); return err }, `did you mean "Web Group Service"?`},
		{"group in any cluster", func() error { _, _, err := w.GroupOf("", "Cluster Grp"); return err }, `did you mean "Cluster Group"?`},
		{"resource in any cluster", func() error { _, _, err := w.ResourceOf("", "Cluster Nme"); return err }, `did you mean "Cluster Name"?`},
		{"node of a server", func() error { _, _, err := w.NodeOf("", "NOD1"); return err }, `did you mean "NODE1"?`},
		{"nothing close lists the names", func() error { _, err := c.Group("Exchange"); return err }, `(there are: Cluster Group, Web Group)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refused(t, w, core.ErrNotFound, tt.substr, tt.lookup)
		})
	}
	// Names are case-insensitive, as in Windows.
	if _, err := c.Resource("cluster name"); err != nil {
		t.Error(err)
	}
	if _, err := c.Node("node1"); err != nil {
		t.Error(err)
	}
}

func TestLookupAcrossClusters(t *testing.T) {
	l := newLab(t, labSpec{nodes: 2})
	w := l.w
	_, err := w.CreateCluster(ClusterSpec{Name: "CLA", Domain: labDomain, Node: "NODE1", IP: "10.0.0.100", Account: labAccount, Mask: "255.255.255.0", Quorum: "majority"})
	mustDo(t, err)
	_, err = w.CreateCluster(ClusterSpec{Name: "CLB", Domain: labDomain, Node: "NODE2", IP: "10.0.0.101", Account: labAccount, Mask: "255.255.255.0", Quorum: "local"})
	mustDo(t, err)
	refused(t, w, core.ErrConflict, `several clusters have a group named "Cluster Group"`, func() error {
		_, _, err := w.GroupOf("", "Cluster Group")
		return err
	})
	refused(t, w, core.ErrConflict, `several clusters have a resource named "Cluster Name"`, func() error {
		_, _, err := w.ResourceOf("", "Cluster Name")
		return err
	})
	c, r, err := w.ResourceOf("", "Local Quorum")
	mustDo(t, err)
	if c.Name != "CLB" || r.Type != TypeLocalQuorum {
		t.Errorf("Local Quorum found in %s as %s", c.Name, r.Type)
	}
	_, err = w.InstallServer("NODE3", "enterprise", "2003", []string{"Public"})
	mustDo(t, err)
	refused(t, w, core.ErrPrereq, "server NODE3 is not a node of any cluster", func() error {
		_, _, err := w.NodeOf("", "NODE3")
		return err
	})
}

// A node that joins without seeing a data disk cannot own the Physical Disk
// resource on it: it must not become a possible owner by default, or a move
// without a target would pick it and fail.
func TestAddNodeThatDoesNotSeeADataDisk(t *testing.T) {
	l := newLab(t, labSpec{nodes: 2, dataDisks: 1})
	w := l.w
	c := l.cluster(t, "")
	g, err := w.NewGroup(labCluster, GroupSpec{Name: "Files", PreferredOwners: []string{"NODE1"}})
	mustDo(t, err)
	_, err = w.NewResource(labCluster, ResourceSpec{Group: "Files", Name: "Files Disk", Type: TypePhysicalDisk, Params: map[string]string{"disk": "Data1"}})
	mustDo(t, err)
	mustDo(t, w.BringOnline(labCluster, "Files", true))

	_, err = w.InstallServer("NODE3", "enterprise", "2003", []string{"Public", "Private"})
	mustDo(t, err)
	mustDo(t, w.ConfigureTCPIP("NODE3", "Public", core.TCPIPSpec{IP: "10.0.0.13", Mask: "255.255.255.0"}))
	mustDo(t, w.JoinDomain("NODE3", labDomain))
	w.LookupDisk("Quorum").Servers = append(w.LookupDisk("Quorum").Servers, "NODE3") // sees Q: only
	n0 := len(w.Events)
	_, err = w.AddNode(labCluster, "NODE3", labPassword, true)
	mustDo(t, err)
	if got := c.PossibleOwnerNames(mustResource(t, w, "Files Disk")); !slices.Equal(got, []string{"NODE1", "NODE2"}) {
		t.Errorf("possible owners of the disk %v, want NODE1 and NODE2 (NODE3 does not see Data1)", got)
	}
	warned := false
	for _, e := range eventsSince(w, n0) {
		warned = warned || e.Kind == core.KindWarning && strings.Contains(e.Text, "NODE3 does not see disk Data1")
	}
	if !warned {
		t.Error("no warning that NODE3 does not see Data1")
	}
	// Resources on disks it sees, and the others, take the new node.
	if got := c.PossibleOwnerNames(mustResource(t, w, "Disk Q:")); !slices.Equal(got, []string{"NODE1", "NODE2", "NODE3"}) {
		t.Errorf("possible owners of the quorum disk %v", got)
	}
	mustDo(t, w.SetPreferredOwners(labCluster, "Files", []string{"NODE1", "NODE3", "NODE2"}))
	mustDo(t, w.MoveGroup(labCluster, "Files", ""))
	if g.Owner != "NODE2" || g.State() != Online {
		t.Errorf("Files %s on %s, want Online on NODE2", g.State(), g.Owner)
	}
}
