package mscs

import (
	"clusterscript/runtime/core"
	"maps"
	"slices"
	"strings"
	"testing"
)

// resourceLab is a two-node cluster with two data disks (R:, S:) and an
// empty group "App" preferred on NODE2.
func resourceLab(t *testing.T) (*lab, *Cluster) {
	t.Helper()
	l := newLab(t, labSpec{nodes: 2, dataDisks: 2})
	c := l.cluster(t, "")
	_, err := l.w.NewGroup(labCluster, GroupSpec{Name: "App", Description: "an application", PreferredOwners: []string{"NODE2"}})
	mustDo(t, err)
	return l, c
}

func TestNewGroup(t *testing.T) {
	l := newLab(t, labSpec{nodes: 3})
	w := l.w
	c := l.cluster(t, "")
	mustDo(t, w.PauseNode(labCluster, "NODE2"))
	tests := []struct {
		name      string
		preferred []string
		owner     string
	}{
		{"no preferred owners: lowest-named Up node", nil, "NODE1"},
		{"first preferred owner", []string{"NODE3", "NODE1"}, "NODE3"},
		{"a Paused preferred owner is passed over", []string{"NODE2", "NODE3"}, "NODE3"},
		{"names are matched case-insensitively", []string{"node3"}, "NODE3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n0 := len(w.Events)
			g, err := w.NewGroup(labCluster, GroupSpec{Name: tt.name, Description: "desc", PreferredOwners: tt.preferred})
			mustDo(t, err)
			if g.Owner != tt.owner || g.State() != Offline || g.Description != "desc" {
				t.Errorf("group owned by %s, %s, %q; want %s, Offline", g.Owner, g.State(), g.Description, tt.owner)
			}
			for _, p := range g.PreferredOwners {
				if p != strings.ToUpper(p) {
					t.Errorf("preferred owner %q is not the node's own name", p)
				}
			}
			if g.FailoverThreshold != 10 || g.FailoverPeriod != 6 || g.Failback != FailbackPrevent || g.WindowStart != -1 || g.WindowEnd != -1 {
				t.Errorf("defaults %d %d %s %d %d", g.FailoverThreshold, g.FailoverPeriod, g.Failback, g.WindowStart, g.WindowEnd)
			}
			if got := c.OwnedGroups(tt.owner); !slices.Contains(got, g) {
				t.Errorf("%s does not own the group in the index", tt.owner)
			}
			if evs := eventsSince(w, n0); len(evs) != 1 || evs[0].Kind != core.KindCluster {
				t.Errorf("events %v", evs)
			}
		})
	}
}

func TestNewGroupRefusals(t *testing.T) {
	tests := []struct {
		name      string
		cluster   string
		group     string
		preferred []string
		kind      error
		substr    string
	}{
		{"empty name", labCluster, " ", nil, core.ErrInvalid, "the group name is empty"},
		{"duplicate", labCluster, "app", nil, core.ErrConflict, `cluster EXCLUSTER already has a group named "app"`},
		{"the Cluster Group", labCluster, "Cluster Group", nil, core.ErrConflict, "group names are unique"},
		{"unknown preferred owner", labCluster, "X", []string{"NODE3"}, core.ErrNotFound, `no node of cluster EXCLUSTER named "NODE3"`},
		{"preferred owner twice", labCluster, "X", []string{"NODE1", "node1"}, core.ErrConflict, "preferred owner NODE1 is listed twice"},
		{"unknown cluster", "NOPE", "X", nil, core.ErrNotFound, `no cluster named "NOPE"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _ := resourceLab(t)
			refused(t, l.w, tt.kind, tt.substr, func() error {
				_, err := l.w.NewGroup(tt.cluster, GroupSpec{Name: tt.group, PreferredOwners: tt.preferred})
				return err
			})
		})
	}
}

func TestNewResourceTypes(t *testing.T) {
	l, c := resourceLab(t)
	w := l.w
	tests := []struct {
		name, typ  string
		deps       []string
		params     map[string]string
		wantParams map[string]string
	}{
		{"App IP", TypeIPAddress, nil,
			map[string]string{"address": "10.0.0.150", "subnet_mask": "255.255.255.0"},
			map[string]string{"address": "10.0.0.150", "subnet_mask": "255.255.255.0", "network": "Public"}},
		{"App Name", TypeNetworkName, []string{"App IP"},
			map[string]string{"name": "APPSRV"}, map[string]string{"name": "APPSRV"}},
		{"App Disk", TypePhysicalDisk, nil,
			map[string]string{"disk": "data1"}, map[string]string{"disk": "Data1"}},
		{"App Service", TypeGenericService, []string{"App Name", "App Disk"},
			map[string]string{"service": "AppSvc"}, map[string]string{"service": "AppSvc"}},
		{"App Service 2", TypeGenericService, nil,
			map[string]string{"service": "AppSvc2", "parameters": "-x"}, map[string]string{"service": "AppSvc2", "parameters": "-x"}},
		{"App Share", TypeFileShare, []string{"App Disk"},
			map[string]string{"path": `R:\share`, "share": "app"}, map[string]string{"path": `R:\share`, "share": "app"}},
		{"App DTC", TypeDTC, []string{"App Name", "App Disk"}, nil, map[string]string{}},
	}
	for _, tt := range tests {
		n0 := len(w.Events)
		r, err := w.NewResource(labCluster, ResourceSpec{Group: "App", Name: tt.name, Type: tt.typ, Description: "d", Dependencies: tt.deps, Params: tt.params})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if r.Type != tt.typ || r.State != Offline || r.Group().Name != "App" || r.Description != "d" {
			t.Errorf("%s: %s %s in %s", tt.name, r.Type, r.State, r.Group().Name)
		}
		if !maps.Equal(r.Params, tt.wantParams) {
			t.Errorf("%s: params %v, want %v", tt.name, r.Params, tt.wantParams)
		}
		if !slices.Equal(r.Dependencies, tt.deps) {
			t.Errorf("%s: dependencies %v, want %v", tt.name, r.Dependencies, tt.deps)
		}
		if r.PossibleOwners != nil || !slices.Equal(c.PossibleOwnerNames(r), []string{"NODE1", "NODE2"}) {
			t.Errorf("%s: possible owners %v", tt.name, r.PossibleOwners)
		}
		if !r.Restart || r.RestartThreshold != 3 || r.RestartPeriod != 900 || !r.AffectGroup {
			t.Errorf("%s: restart policy %v %d %d %v", tt.name, r.Restart, r.RestartThreshold, r.RestartPeriod, r.AffectGroup)
		}
		if evs := eventsSince(w, n0); len(evs) != 1 || !strings.Contains(evs[0].Text, `resource "`+tt.name+`" (`+tt.typ+`) created in group "App"`) {
			t.Errorf("%s: events %v", tt.name, evs)
		}
	}
	if got := c.Dependents(mustResource(t, w, "App Disk")); !slices.Equal(got, []string{"App DTC", "App Service", "App Share"}) {
		t.Errorf("dependents of App Disk: %v", got)
	}
	if use, ok := w.AddressInUse("10.0.0.150"); !ok || !strings.Contains(use, `IP Address resource "App IP"`) {
		t.Errorf("10.0.0.150 used by %q", use)
	}
	if got := ResourceTypes(); !slices.Equal(got, []string{TypeDTC, TypeFileShare, TypeGenericService, TypeIPAddress, TypeIMAP4, TypePOP3, TypeSA, TypeNetworkName, TypePhysicalDisk}) {
		t.Errorf("creatable types %v", got)
	}
}

// Adding an Offline resource to an Online group makes it Partially Online,
// and the log must say so.
func TestNewResourceReportsGroupState(t *testing.T) {
	l, _ := resourceLab(t)
	w := l.w
	n0 := len(w.Events)
	_, err := w.NewResource(labCluster, ResourceSpec{Group: "Cluster Group", Name: "MSDTC", Type: TypeDTC, Dependencies: []string{"Cluster Name", "Disk Q:"}})
	mustDo(t, err)
	if got := stateChanges(eventsSince(w, n0)); !slices.Equal(got, []string{"Cluster Group=" + PartialOnline}) {
		t.Errorf("state events %v, want the Cluster Group Partially Online", got)
	}
	n0 = len(w.Events)
	mustDo(t, w.DeleteResource(labCluster, "MSDTC"))
	if got := stateChanges(eventsSince(w, n0)); !slices.Equal(got, []string{"Cluster Group=" + Online}) {
		t.Errorf("state events after deleting %v, want the Cluster Group Online again", got)
	}
}

func TestNewResourceRefusals(t *testing.T) {
	ip := func(addr, mask string) map[string]string {
		return map[string]string{"address": addr, "subnet_mask": mask}
	}
	type call struct {
		group, name, typ string
		possible, deps   []string
		params           map[string]string
	}
	tests := []struct {
		name   string
		setup  func(t *testing.T, l *lab)
		call   call
		kind   error
		substr string
	}{
		// Names and types.
		{"empty name", nil, call{"App", "", TypeGenericService, nil, nil, map[string]string{"service": "x"}}, core.ErrInvalid, "the resource name is empty"},
		{"name taken in another group", nil, call{"App", "cluster name", TypeGenericService, nil, nil, map[string]string{"service": "x"}}, core.ErrConflict, `already has a resource named "cluster name" (in group "Cluster Group")`},
		{"unknown group", nil, call{"Ap", "X", TypeGenericService, nil, nil, map[string]string{"service": "x"}}, core.ErrNotFound, `did you mean "App"?`},
		{"unknown type", nil, call{"App", "X", "IP Adress", nil, nil, nil}, core.ErrInvalid, `unknown resource type "IP Adress" (did you mean "IP Address"?)`},
		{"type created by the System Attendant", nil, call{"App", "X", TypeIS, nil, nil, nil}, core.ErrInvalid, "created by the Exchange System Attendant"},
		{"majority node set by hand", nil, call{"App", "X", TypeMajorityNodeSet, nil, nil, nil}, core.ErrInvalid, "create_cluster"},
		{"local quorum by hand", nil, call{"App", "X", TypeLocalQuorum, nil, nil, nil}, core.ErrInvalid, "create_cluster"},
		// Parameters.
		{"misspelt parameter", nil, call{"App", "X", TypeIPAddress, nil, nil, map[string]string{"adress": "10.0.0.150", "subnet_mask": "255.255.255.0"}}, core.ErrInvalid, "no parameter adress (did you mean address?)"},
		{"parameter of a type without any", setupAppNameAndDisk, call{"App", "X", TypeDTC, nil, []string{"App Name", "App Disk"}, map[string]string{"log": "x"}}, core.ErrInvalid, `type "Distributed Transaction Coordinator" takes no parameters, got log`},
		{"missing parameter", nil, call{"App", "X", TypeIPAddress, nil, nil, map[string]string{"subnet_mask": "255.255.255.0"}}, core.ErrPrereq, "need the parameter address; pass address=..."},
		{"blank parameter", nil, call{"App", "X", TypeGenericService, nil, nil, map[string]string{"service": " "}}, core.ErrPrereq, "need the parameter service"},
		{"file share without share", nil, call{"App", "X", TypeFileShare, nil, nil, map[string]string{"path": `R:\x`}}, core.ErrPrereq, "need the parameter share"},
		// Possible owners.
		{"empty possible owners", nil, call{"App", "X", TypeGenericService, []string{}, nil, map[string]string{"service": "x"}}, core.ErrInvalid, "empty possible-owner list"},
		{"unknown possible owner", nil, call{"App", "X", TypeGenericService, []string{"NODE3"}, nil, map[string]string{"service": "x"}}, core.ErrNotFound, `named "NODE3"`},
		{"possible owner twice", nil, call{"App", "X", TypeGenericService, []string{"NODE1", "NODE1"}, nil, map[string]string{"service": "x"}}, core.ErrConflict, "possible owner NODE1 is listed twice"},
		// IP Address.
		{"malformed address", nil, call{"App", "X", TypeIPAddress, nil, nil, ip("10.0.0", "255.255.255.0")}, core.ErrInvalid, "not an IPv4 address"},
		{"network address", nil, call{"App", "X", TypeIPAddress, nil, nil, ip("10.0.0.0", "255.255.255.0")}, core.ErrInvalid, "network address of 10.0.0.0/24"},
		{"broadcast address", nil, call{"App", "X", TypeIPAddress, nil, nil, ip("10.0.0.255", "255.255.255.0")}, core.ErrInvalid, "broadcast address"},
		{"loopback", nil, call{"App", "X", TypeIPAddress, nil, nil, ip("127.0.0.5", "255.0.0.0")}, core.ErrInvalid, "not a unicast host address"},
		{"bad mask", nil, call{"App", "X", TypeIPAddress, nil, nil, ip("10.0.0.150", "255.255.0.255")}, core.ErrInvalid, "not contiguous"},
		{"mask of another size", nil, call{"App", "X", TypeIPAddress, nil, nil, ip("10.0.0.150", "255.255.0.0")}, core.ErrInvalid, "subnet mask 255.255.0.0 does not match network Public (10.0.0.0/24)"},
		{"address on no network", nil, call{"App", "X", TypeIPAddress, nil, nil, ip("10.9.0.150", "255.255.255.0")}, core.ErrInvalid, "in none of cluster EXCLUSTER's networks (Public 10.0.0.0/24, Private 192.168.1.0/24)"},
		{"address on the private network", nil, call{"App", "X", TypeIPAddress, nil, nil, ip("192.168.1.150", "255.255.255.0")}, core.ErrInvalid, "network Private carries internal cluster traffic only"},
		{"address outside the named network", nil, call{"App", "X", TypeIPAddress, nil, nil, map[string]string{"address": "10.0.0.150", "subnet_mask": "255.255.255.0", "network": "Private"}}, core.ErrInvalid, "address 10.0.0.150 is not in network Private (192.168.1.0/24)"},
		{"unknown network", nil, call{"App", "X", TypeIPAddress, nil, nil, map[string]string{"address": "10.0.0.150", "subnet_mask": "255.255.255.0", "network": "Publik"}}, core.ErrNotFound, `did you mean "Public"?`},
		{"the cluster address", nil, call{"App", "X", TypeIPAddress, nil, nil, ip(labIP, "255.255.255.0")}, core.ErrConflict, `address 10.0.0.100 is already used by IP Address resource "Cluster IP Address" of cluster EXCLUSTER`},
		{"a node's address", nil, call{"App", "X", TypeIPAddress, nil, nil, ip("10.0.0.11", "255.255.255.0")}, core.ErrConflict, "already used by adapter NODE1 Public"},
		// Network Name.
		{"network name without an IP Address", nil, call{"App", "X", TypeNetworkName, nil, nil, map[string]string{"name": "APPSRV"}}, core.ErrPrereq, `resource "X" (Network Name) must depend on an IP Address resource of group "App"`},
		{"network name too long", setupAppIP, call{"App", "X", TypeNetworkName, nil, []string{"App IP"}, map[string]string{"name": "APPLICATIONSERVER"}}, core.ErrInvalid, "at most 15"},
		{"network name with a dot", setupAppIP, call{"App", "X", TypeNetworkName, nil, []string{"App IP"}, map[string]string{"name": "app.srv"}}, core.ErrInvalid, "which NetBIOS names may not"},
		{"network name of a server", setupAppIP, call{"App", "X", TypeNetworkName, nil, []string{"App IP"}, map[string]string{"name": "node1"}}, core.ErrConflict, "the network name node1 is already used by server NODE1"},
		{"network name of the cluster", setupAppIP, call{"App", "X", TypeNetworkName, nil, []string{"App IP"}, map[string]string{"name": "excluster"}}, core.ErrConflict, `Network Name resource "Cluster Name" of cluster EXCLUSTER`},
		{"network name of the domain", setupAppIP, call{"App", "X", TypeNetworkName, nil, []string{"App IP"}, map[string]string{"name": "CORP"}}, core.ErrConflict, "domain corp.example.com"},
		// Physical Disk.
		{"unknown disk", nil, call{"App", "X", TypePhysicalDisk, nil, nil, map[string]string{"disk": "Data9"}}, core.ErrNotFound, `no shared disk named "Data9"`},
		{"the quorum disk", nil, call{"App", "X", TypePhysicalDisk, nil, nil, map[string]string{"disk": "Quorum"}}, core.ErrConflict, `disk Quorum is already held by resource "Disk Q:" of cluster EXCLUSTER`},
		{"a disk already claimed", setupAppNameAndDisk, call{"App", "X", TypePhysicalDisk, nil, nil, map[string]string{"disk": "Data1"}}, core.ErrConflict, `already held by resource "App Disk"`},
		{"a raw disk", func(t *testing.T, l *lab) {
			_, err := l.w.CreateSharedDisk(core.DiskSpec{Label: "Raw", SizeGB: 1, Servers: l.servers, Kind: "basic", FS: "raw"})
			mustDo(t, err)
		}, call{"App", "X", TypePhysicalDisk, nil, nil, map[string]string{"disk": "Raw"}}, core.ErrPrereq, "cluster disks must be NTFS"},
		{"a FAT disk", func(t *testing.T, l *lab) {
			_, err := l.w.CreateSharedDisk(core.DiskSpec{Label: "Fat", SizeGB: 1, Servers: l.servers, Kind: "basic", FS: "FAT32", Letter: "T:"})
			mustDo(t, err)
		}, call{"App", "X", TypePhysicalDisk, nil, nil, map[string]string{"disk": "Fat"}}, core.ErrPrereq, "disk Fat is FAT32; cluster disks must be NTFS"},
		{"a dynamic disk", func(t *testing.T, l *lab) {
			_, err := l.w.CreateSharedDisk(core.DiskSpec{Label: "Dyn", SizeGB: 1, Servers: l.servers, Kind: "dynamic", FS: "NTFS", Letter: "T:"})
			mustDo(t, err)
		}, call{"App", "X", TypePhysicalDisk, nil, nil, map[string]string{"disk": "Dyn"}}, core.ErrPrereq, "cluster disks must be basic"},
		{"an unlettered disk", func(t *testing.T, l *lab) {
			_, err := l.w.CreateSharedDisk(core.DiskSpec{Label: "NoLetter", SizeGB: 1, Servers: l.servers, Kind: "basic", FS: "NTFS"})
			mustDo(t, err)
		}, call{"App", "X", TypePhysicalDisk, nil, nil, map[string]string{"disk": "NoLetter"}}, core.ErrPrereq, "has no drive letter"},
		{"a disk one node does not see", func(t *testing.T, l *lab) {
			_, err := l.w.CreateSharedDisk(core.DiskSpec{Label: "Half", SizeGB: 1, Servers: []string{"NODE1"}, Kind: "basic", FS: "NTFS", Letter: "T:"})
			mustDo(t, err)
		}, call{"App", "X", TypePhysicalDisk, nil, nil, map[string]string{"disk": "Half"}}, core.ErrPrereq, "disk Half is not on the shared bus of NODE2; every node must see a cluster disk"},
		// Distributed Transaction Coordinator.
		{"DTC without a Network Name", setupAppNameAndDisk, call{"App", "X", TypeDTC, nil, []string{"App Disk"}, nil}, core.ErrPrereq, "must depend on a Network Name resource"},
		{"DTC without a Physical Disk", setupAppNameAndDisk, call{"App", "X", TypeDTC, nil, []string{"App Name"}, nil}, core.ErrPrereq, "must depend on a Physical Disk resource"},
		{"a second DTC", func(t *testing.T, l *lab) {
			setupAppNameAndDisk(t, l)
			_, err := l.w.NewResource(labCluster, ResourceSpec{Group: "Cluster Group", Name: "MSDTC", Type: TypeDTC, Dependencies: []string{"Cluster Name", "Disk Q:"}})
			mustDo(t, err)
		}, call{"App", "X", TypeDTC, nil, []string{"App Name", "App Disk"}, nil}, core.ErrConflict, `cluster EXCLUSTER already has a Distributed Transaction Coordinator, "MSDTC" in group "Cluster Group"; a cluster has one`},
		// Dependencies.
		{"unknown dependency", nil, call{"App", "X", TypeGenericService, nil, []string{"App Nme"}, map[string]string{"service": "x"}}, core.ErrNotFound, `no resource of cluster EXCLUSTER named "App Nme"`},
		{"dependency in another group", nil, call{"App", "X", TypeGenericService, nil, []string{"Cluster Name"}, map[string]string{"service": "x"}}, core.ErrInvalid, `resource "X" is in group "App" but "Cluster Name" is in group "Cluster Group"; a resource and its dependencies must be in the same group`},
		{"dependency twice", setupAppIP, call{"App", "X", TypeGenericService, nil, []string{"App IP", "app ip"}, map[string]string{"service": "x"}}, core.ErrConflict, `lists dependency "App IP" twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _ := resourceLab(t)
			if tt.setup != nil {
				tt.setup(t, l)
			}
			c := tt.call
			refused(t, l.w, tt.kind, tt.substr, func() error {
				_, err := l.w.NewResource(labCluster, ResourceSpec{Group: c.group, Name: c.name, Type: c.typ, PossibleOwners: c.possible, Dependencies: c.deps, Params: c.params})
				return err
			})
		})
	}
}

func setupAppIP(t *testing.T, l *lab) {
	t.Helper()
	_, err := l.w.NewResource(labCluster, ResourceSpec{Group: "App", Name: "App IP", Type: TypeIPAddress, Params: map[string]string{"address": "10.0.0.150", "subnet_mask": "255.255.255.0"}})
	mustDo(t, err)
}

func setupAppNameAndDisk(t *testing.T, l *lab) {
	t.Helper()
	setupAppIP(t, l)
	_, err := l.w.NewResource(labCluster, ResourceSpec{Group: "App", Name: "App Name", Type: TypeNetworkName, Dependencies: []string{"App IP"}, Params: map[string]string{"name": "APPSRV"}})
	mustDo(t, err)
	_, err = l.w.NewResource(labCluster, ResourceSpec{Group: "App", Name: "App Disk", Type: TypePhysicalDisk, Params: map[string]string{"disk": "Data1"}})
	mustDo(t, err)
}

// A disk seen only by some nodes can be a resource whose possible owners
// are those nodes.
func TestPhysicalDiskOfSomeNodes(t *testing.T) {
	l, c := resourceLab(t)
	w := l.w
	_, err := w.CreateSharedDisk(core.DiskSpec{Label: "Half", SizeGB: 1, Servers: []string{"NODE2"}, Kind: "basic", FS: "NTFS", Letter: "T:"})
	mustDo(t, err)
	r, err := w.NewResource(labCluster, ResourceSpec{Group: "App", Name: "Half Disk", Type: TypePhysicalDisk, PossibleOwners: []string{"NODE2"}, Params: map[string]string{"disk": "Half"}})
	mustDo(t, err)
	if got := c.PossibleOwnerNames(r); !slices.Equal(got, []string{"NODE2"}) {
		t.Errorf("possible owners %v", got)
	}
	refused(t, w, core.ErrPrereq, "node NODE1 does not see disk Half", func() error {
		return w.SetPossibleOwners(labCluster, "Half Disk", []string{"NODE1", "NODE2"})
	})
	// A held disk cannot be reformatted under the cluster.
	refused(t, w, core.ErrState, `disk Half belongs to cluster resource "Half Disk" of cluster EXCLUSTER`, func() error {
		return w.FormatDisk("Half", "U:", "NTFS")
	})
}

func TestDependencies(t *testing.T) {
	l, c := resourceLab(t)
	w := l.w
	setupAppNameAndDisk(t, l)
	_, err := w.NewResource(labCluster, ResourceSpec{Group: "App", Name: "Svc", Type: TypeGenericService, Params: map[string]string{"service": "x"}})
	mustDo(t, err)
	svc, name, disk := mustResource(t, w, "Svc"), mustResource(t, w, "App Name"), mustResource(t, w, "App Disk")

	mustDo(t, w.SetDependencies(labCluster, "Svc", []string{"app name", "App Disk"}))
	if !slices.Equal(svc.Dependencies, []string{"App Name", "App Disk"}) {
		t.Errorf("dependencies %v (canonical names, in the order given)", svc.Dependencies)
	}
	if !slices.Equal(c.Dependents(name), []string{"Svc"}) || !slices.Equal(c.Dependents(disk), []string{"Svc"}) {
		t.Errorf("dependents %v %v", c.Dependents(name), c.Dependents(disk))
	}
	mustDo(t, w.RemoveDependency(labCluster, "Svc", "App Disk"))
	if !slices.Equal(svc.Dependencies, []string{"App Name"}) || len(c.Dependents(disk)) != 0 {
		t.Errorf("after remove: dependencies %v, dependents of the disk %v", svc.Dependencies, c.Dependents(disk))
	}
	mustDo(t, w.AddDependency(labCluster, "Svc", "App Disk"))
	if !slices.Equal(svc.Dependencies, []string{"App Name", "App Disk"}) {
		t.Errorf("after add: %v", svc.Dependencies)
	}
	n0 := len(w.Events)
	mustDo(t, w.SetDependencies(labCluster, "Svc", nil))
	if len(svc.Dependencies) != 0 || len(c.Dependents(name)) != 0 {
		t.Errorf("after clearing: %v, %v", svc.Dependencies, c.Dependents(name))
	}
	if evs := eventsSince(w, n0); len(evs) != 1 || !strings.Contains(evs[0].Text, `resource "Svc" now depends on none`) {
		t.Errorf("events %v", evs)
	}
	mustDo(t, w.SetDependencies(labCluster, "Svc", []string{"App Name"}))

	// A Failed resource runs nothing, so its dependencies may change.
	mustDo(t, w.SetRestartPolicy(labCluster, "Svc", RestartPolicy{Restart: false, Threshold: 3, Period: 900}))
	mustDo(t, w.BringOnline(labCluster, "Svc", false))
	mustDo(t, w.FailResource(labCluster, "Svc"))
	mustDo(t, w.AddDependency(labCluster, "Svc", "App Disk"))
	if svc.State != Failed || !slices.Equal(svc.Dependencies, []string{"App Name", "App Disk"}) {
		t.Errorf("a Failed resource's dependencies: %s %v", svc.State, svc.Dependencies)
	}
}

func TestDependencyRefusals(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(t *testing.T, w *World)
		op     func(w *World) error
		kind   error
		substr string
	}{
		{"direct cycle", nil, func(w *World) error { return w.AddDependency(labCluster, "App IP", "Svc") }, core.ErrInvalid, `making "App IP" depend on "Svc" would create a dependency cycle ("Svc" already depends on "App IP")`},
		{"cycle through set_dependencies", nil, func(w *World) error { return w.SetDependencies(labCluster, "App IP", []string{"App Disk", "App Name"}) }, core.ErrInvalid, "dependency cycle"},
		{"itself", nil, func(w *World) error { return w.AddDependency(labCluster, "Svc", "svc") }, core.ErrInvalid, `resource "Svc" cannot depend on itself`},
		{"another group", nil, func(w *World) error { return w.AddDependency(labCluster, "Svc", "Disk Q:") }, core.ErrInvalid, "must be in the same group"},
		{"already a dependency", nil, func(w *World) error { return w.AddDependency(labCluster, "Svc", "App Name") }, core.ErrConflict, `resource "Svc" already depends on "App Name"`},
		{"listed twice", nil, func(w *World) error { return w.SetDependencies(labCluster, "Svc", []string{"App Disk", "App Disk"}) }, core.ErrConflict, "twice"},
		{"unknown provider", nil, func(w *World) error { return w.AddDependency(labCluster, "Svc", "App Nam") }, core.ErrNotFound, `did you mean "App Name"?`},
		{"unknown resource", nil, func(w *World) error { return w.AddDependency(labCluster, "Svcc", "App Name") }, core.ErrNotFound, `did you mean "Svc"?`},
		{"removing a required dependency", nil, func(w *World) error { return w.RemoveDependency(labCluster, "App Name", "App IP") }, core.ErrPrereq, `resource "App Name" (Network Name) must depend on an IP Address resource`},
		{"replacing a required dependency", nil, func(w *World) error { return w.SetDependencies(labCluster, "App Name", []string{"App Disk"}) }, core.ErrPrereq, "must depend on an IP Address"},
		{"removing what is not a dependency", nil, func(w *World) error { return w.RemoveDependency(labCluster, "Svc", "App Disk") }, core.ErrNotFound, `resource "Svc" does not depend on "App Disk" (its dependencies: "App Name")`},
		{"an Online resource on Windows Server 2003", func(t *testing.T, w *World) {
			mustDo(t, w.BringOnline(labCluster, "Svc", false))
		}, func(w *World) error { return w.AddDependency(labCluster, "Svc", "App Disk") }, core.ErrState, `resource "Svc" is Online, and on Windows Server 2003 a resource's dependencies change only while it is Offline`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _ := resourceLab(t)
			w := l.w
			setupAppNameAndDisk(t, l)
			_, err := w.NewResource(labCluster, ResourceSpec{Group: "App", Name: "Svc", Type: TypeGenericService, Dependencies: []string{"App Name"}, Params: map[string]string{"service": "x"}})
			mustDo(t, err)
			if tt.setup != nil {
				tt.setup(t, w)
			}
			refused(t, w, tt.kind, tt.substr, func() error { return tt.op(w) })
		})
	}
}

func TestOwners(t *testing.T) {
	l := newLab(t, labSpec{nodes: 3})
	w := l.w
	c := l.cluster(t, "")
	g := l.webGroup(t, "Web", "10.0.0.150", "WEB")
	r := mustResource(t, w, "Web Service")

	mustDo(t, w.SetPossibleOwners(labCluster, "Web Service", []string{"node3", "NODE1"}))
	if got := c.PossibleOwnerNames(r); !slices.Equal(got, []string{"NODE1", "NODE3"}) {
		t.Errorf("possible owners %v, want sorted canonical names", got)
	}
	mustDo(t, w.SetPreferredOwners(labCluster, "Web", []string{"NODE3", "node2"}))
	if !slices.Equal(g.PreferredOwners, []string{"NODE3", "NODE2"}) {
		t.Errorf("preferred owners %v, want the order given", g.PreferredOwners)
	}
	if got := c.groupList(g); !slices.Equal(got, []string{"NODE3", "NODE2", "NODE1"}) {
		t.Errorf("group list %v", got)
	}
	mustDo(t, w.SetPreferredOwners(labCluster, "Web", nil))
	if len(g.PreferredOwners) != 0 {
		t.Errorf("preferred owners not cleared: %v", g.PreferredOwners)
	}

	mustDo(t, w.BringOnline(labCluster, "Web", true)) // on NODE1
	tests := []struct {
		name   string
		op     func() error
		kind   error
		substr string
	}{
		{"no possible owner", func() error { return w.SetPossibleOwners(labCluster, "Web IP", nil) }, core.ErrInvalid, `resource "Web IP" would have no possible owner`},
		{"leaving out the node it runs on", func() error { return w.SetPossibleOwners(labCluster, "Web IP", []string{"NODE2"}) }, core.ErrState, `resource "Web IP" is Online on NODE1, which the new list leaves out`},
		{"unknown possible owner", func() error { return w.SetPossibleOwners(labCluster, "Web IP", []string{"NODE4"}) }, core.ErrNotFound, `named "NODE4"`},
		{"possible owner twice", func() error { return w.SetPossibleOwners(labCluster, "Web IP", []string{"NODE1", "NODE1"}) }, core.ErrConflict, "listed twice"},
		{"unknown preferred owner", func() error { return w.SetPreferredOwners(labCluster, "Web", []string{"NODE5"}) }, core.ErrNotFound, `named "NODE5"`},
		{"preferred owner twice", func() error { return w.SetPreferredOwners(labCluster, "Web", []string{"NODE2", "NODE2"}) }, core.ErrConflict, "preferred owner NODE2 is listed twice"},
		{"unknown group", func() error { return w.SetPreferredOwners(labCluster, "Wbe", nil) }, core.ErrNotFound, `did you mean "Web"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { refused(t, w, tt.kind, tt.substr, tt.op) })
	}
}

func TestSetParams(t *testing.T) {
	l := newLab(t, labSpec{nodes: 2})
	w := l.w
	l.cluster(t, "")
	l.webGroup(t, "Web", "10.0.0.150", "WEB")

	n0 := len(w.Events)
	mustDo(t, w.SetParams(labCluster, "Web Service", map[string]string{"parameters": "-v"}))
	if r := mustResource(t, w, "Web Service"); r.Params["service"] != "W3SVC" || r.Params["parameters"] != "-v" {
		t.Errorf("params %v: the old ones must stay", r.Params)
	}
	if evs := eventsSince(w, n0); len(evs) != 1 || !strings.Contains(evs[0].Text, `parameters of "Web Service" set: parameters=-v`) {
		t.Errorf("events %v", evs)
	}
	// A new address frees the old one.
	mustDo(t, w.SetParams(labCluster, "Web IP", map[string]string{"address": "10.0.0.151"}))
	if _, used := w.AddressInUse("10.0.0.150"); used {
		t.Error("the old address is still in use")
	}
	if use, _ := w.AddressInUse("10.0.0.151"); !strings.Contains(use, `"Web IP"`) {
		t.Errorf("the new address is used by %q", use)
	}
	// A new name frees the old one; the same name again is not a conflict with itself.
	mustDo(t, w.SetParams(labCluster, "Web Name", map[string]string{"name": "WEBX"}))
	if owner := w.computerNameOwner("WEB", nil); owner != "" {
		t.Errorf("the old network name is still used by %s", owner)
	}
	if owner := w.computerNameOwner("webx", nil); !strings.Contains(owner, `"Web Name"`) {
		t.Errorf("the new network name is used by %q", owner)
	}
	mustDo(t, w.SetParams(labCluster, "Web Name", map[string]string{"name": "web"}))
	mustDo(t, w.SetParams(labCluster, "Web IP", map[string]string{"address": "10.0.0.151"}))

	// set_params on a running resource stores the change for its next
	// online: cases_test.go.
	tests := []struct {
		name   string
		res    string
		params map[string]string
		kind   error
		substr string
	}{
		{"nothing given", "Web Service", nil, core.ErrInvalid, `set_params on "Web Service" was given no parameters`},
		{"unknown parameter", "Web Service", map[string]string{"servise": "x"}, core.ErrInvalid, "no parameter servise (did you mean service?)"},
		{"required parameter blanked", "Web Service", map[string]string{"service": ""}, core.ErrPrereq, "need the parameter service"},
		{"address in use", "Web IP", map[string]string{"address": "10.0.0.12"}, core.ErrConflict, "already used by adapter NODE2 Public"},
		{"address off the network", "Web IP", map[string]string{"address": "10.9.9.9"}, core.ErrInvalid, "is not in network Public"},
		{"name in use", "Web Name", map[string]string{"name": "NODE2"}, core.ErrConflict, "already used by server NODE2"},
		{"bad name", "Web Name", map[string]string{"name": "A B"}, core.ErrInvalid, "which NetBIOS names may not"},
		{"renaming the cluster", "Cluster Name", map[string]string{"name": "NEWNAME"}, core.ErrState, "cluster name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refused(t, w, tt.kind, tt.substr, func() error { return w.SetParams(labCluster, tt.res, tt.params) })
		})
	}
}

// The cluster's own address is the Cluster IP Address resource's: changing
// the resource changes what cluster.ip reads and where add_node looks.
func TestSetParamsClusterAddress(t *testing.T) {
	l := newLab(t, labSpec{nodes: 2})
	w := l.w
	c := l.cluster(t, "")
	mustDo(t, w.TakeOffline(labCluster, "Cluster IP Address", false))
	mustDo(t, w.SetParams(labCluster, "Cluster IP Address", map[string]string{"address": "10.0.0.99"}))
	if c.IP != "10.0.0.99" {
		t.Errorf("cluster IP %s after the Cluster IP Address moved to 10.0.0.99", c.IP)
	}
	if _, used := w.AddressInUse(labIP); used {
		t.Error("the old cluster address is still in use")
	}
}

func TestDeleteResourceAndGroup(t *testing.T) {
	l := newLab(t, labSpec{nodes: 2, dataDisks: 1})
	w := l.w
	c := l.cluster(t, "")
	l.webGroup(t, "Web", "10.0.0.150", "WEB")
	_, err := w.NewResource(labCluster, ResourceSpec{Group: "Web", Name: "Web Disk", Type: TypePhysicalDisk, Params: map[string]string{"disk": "Data1"}})
	mustDo(t, err)

	mustDo(t, w.BringOnline(labCluster, "Web", true))
	refused(t, w, core.ErrState, `resource "Web Share" is Online; take it offline before deleting it`, func() error {
		return w.DeleteResource(labCluster, "Web Share")
	})
	mustDo(t, w.TakeOffline(labCluster, "Web", true))
	refused(t, w, core.ErrState, `resource "Web Name" is needed by "Web Service", "Web Share"; delete or re-point its dependents first`, func() error {
		return w.DeleteResource(labCluster, "Web Name")
	})
	refused(t, w, core.ErrState, `group "Web" still holds 5 resources; delete them first`, func() error {
		return w.DeleteGroup(labCluster, "Web")
	})
	refused(t, w, core.ErrState, `"Disk Q:" is the quorum resource of cluster EXCLUSTER; it cannot be deleted`, func() error {
		return w.DeleteResource(labCluster, "Disk Q:")
	})
	refused(t, w, core.ErrState, "the Cluster Group holds the core resources of cluster EXCLUSTER; it cannot be deleted", func() error {
		return w.DeleteGroup(labCluster, "Cluster Group")
	})
	refused(t, w, core.ErrNotFound, `did you mean "Web Share"?`, func() error { return w.DeleteResource(labCluster, "Web Shar") })

	for _, r := range []string{"Web Share", "Web Service", "Web Name", "Web IP", "Web Disk"} {
		mustDo(t, w.DeleteResource(labCluster, r))
		if _, err := c.Resource(r); err == nil {
			t.Errorf("%s can still be looked up", r)
		}
	}
	if _, used := w.AddressInUse("10.0.0.150"); used {
		t.Error("the deleted IP Address still holds its address")
	}
	if _, r := w.diskOwner("Data1"); r != nil {
		t.Error("the deleted Physical Disk still holds its disk")
	}
	mustDo(t, w.FormatDisk("Data1", "T:", "NTFS")) // free again
	// Its network name can be used again.
	_, err = w.NewResource(labCluster, ResourceSpec{Group: "Web", Name: "IP2", Type: TypeIPAddress, Params: map[string]string{"address": "10.0.0.150", "subnet_mask": "255.255.255.0"}})
	mustDo(t, err)
	_, err = w.NewResource(labCluster, ResourceSpec{Group: "Web", Name: "Name2", Type: TypeNetworkName, Dependencies: []string{"IP2"}, Params: map[string]string{"name": "WEB"}})
	mustDo(t, err)
	mustDo(t, w.DeleteResource(labCluster, "Name2"))
	mustDo(t, w.DeleteResource(labCluster, "IP2"))

	owner := mustGroup(t, w, "Web").Owner
	mustDo(t, w.DeleteGroup(labCluster, "Web"))
	if _, err := c.Group("Web"); err == nil {
		t.Error("the deleted group can still be looked up")
	}
	for _, g := range c.OwnedGroups(owner) {
		if g.Name == "Web" {
			t.Error("the deleted group is still owned in the index")
		}
	}
}

func TestCoreResourcesStay(t *testing.T) {
	for _, tt := range []struct{ quorum, res string }{
		{"", "Disk Q:"},
		{"majority", "Majority Node Set"},
		{"local", "Local Quorum"},
	} {
		t.Run(tt.res, func(t *testing.T) {
			l := newLab(t, labSpec{nodes: 1})
			w := l.w
			l.cluster(t, tt.quorum)
			refused(t, w, core.ErrState, `"`+tt.res+`" is the quorum resource of cluster EXCLUSTER and must stay online`, func() error {
				return w.TakeOffline(labCluster, tt.res, false)
			})
			refused(t, w, core.ErrState, "is the quorum resource", func() error {
				return w.TakeOffline(labCluster, "Cluster Group", true)
			})
			// The cluster's name and address may go offline, but not away.
			mustDo(t, w.TakeOffline(labCluster, "Cluster IP Address", false))
			for _, r := range []string{"Cluster Name", "Cluster IP Address"} {
				refused(t, w, core.ErrState, `resource "`+r+`" is a core resource of cluster EXCLUSTER; it cannot be deleted`, func() error {
					if r == "Cluster IP Address" {
						// Its dependent goes first, as an administrator would try.
						return w.DeleteResource(labCluster, r)
					}
					return w.DeleteResource(labCluster, r)
				})
			}
		})
	}
}
