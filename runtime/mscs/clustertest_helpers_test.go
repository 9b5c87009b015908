package mscs

import (
	"bytes"
	"clusterscript/runtime/core"
	"clusterscript/runtime/enginetest"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// The lab the cluster tests build on, made through the engine's API the way
// stdlib/lab.star makes it for runbooks.
const (
	labDomain   = "corp.example.com"
	labAccount  = `CORP\clussvc`
	labPassword = "Cl-2004-svc"
	labExAdmin  = `CORP\exadmin`
	labCluster  = "EXCLUSTER"
	labIP       = "10.0.0.100"
	dataLetters = "RSTUVWXYZ"
)

// labSpec describes a lab: how many servers, of which version and edition,
// and how many data disks besides the quorum disk.
type labSpec struct {
	nodes      int    // servers NODE1…; 0 means 2
	version    string // "" means "2003"
	edition    string // "" means "enterprise"
	dataDisks  int    // Data1… on R:, S:, …
	publicMask string // "" means 255.255.255.0; a larger subnet leaves room for many IP Address resources
}

// A lab is a built world and the names of what is in it.
type lab struct {
	w       *World
	servers []string // NODE1…
	quorum  string   // label of the quorum disk (Q:)
	data    []string // labels of the data disks
}

// mustDo stops a test whose set-up step failed.
func mustDo(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// serverName numbers servers NODE1… below ten and NODE01… from ten up, so
// that name order is number order.
func serverName(i, n int) string {
	if n > 9 {
		return fmt.Sprintf("NODE%02d", i)
	}
	return fmt.Sprintf("NODE%d", i)
}

// newLab builds a domain with the Cluster service account and an Exchange
// administrator, the servers (Public 10.0.0.1x mixed, Private 192.168.1.1x
// private, joined to the domain), a quorum disk Q: and the data disks, all
// on a shared bus every server sees, basic and NTFS.
func newLab(tb testing.TB, spec labSpec) *lab {
	tb.Helper()
	if spec.nodes == 0 {
		spec.nodes = 2
	}
	if spec.version == "" {
		spec.version = "2003"
	}
	if spec.edition == "" {
		spec.edition = "enterprise"
	}
	if spec.publicMask == "" {
		spec.publicMask = "255.255.255.0"
	}
	w := NewWorld()
	_, err := w.CreateDomain(labDomain, "")
	mustDo(tb, err)
	_, err = w.CreateUser(labDomain, "clussvc", labPassword, nil)
	mustDo(tb, err)
	_, err = w.CreateUser(labDomain, "exadmin", "Ex-2004-adm", []string{core.GroupDomainAdmins, core.GroupExchangeAdmins})
	mustDo(tb, err)
	l := &lab{w: w}
	for i := 1; i <= spec.nodes; i++ {
		name := serverName(i, spec.nodes)
		_, err := w.InstallServer(name, spec.edition, spec.version, []string{"Public", "Private"})
		mustDo(tb, err)
		mustDo(tb, w.ConfigureTCPIP(name, "Public", core.TCPIPSpec{IP: fmt.Sprintf("10.0.0.%d", 10+i), Mask: spec.publicMask, Gateway: "10.0.0.1"}))
		mustDo(tb, w.ConfigureTCPIP(name, "Private", core.TCPIPSpec{IP: fmt.Sprintf("192.168.1.%d", 10+i), Mask: "255.255.255.0"}))
		mustDo(tb, w.JoinDomain(name, labDomain))
		l.servers = append(l.servers, name)
	}
	_, err = w.CreateSharedDisk(core.DiskSpec{Label: "Quorum", SizeGB: 0.5, Servers: l.servers, Kind: "basic", FS: "NTFS", Letter: "Q:"})
	mustDo(tb, err)
	l.quorum = "Quorum"
	for i := 1; i <= spec.dataDisks; i++ {
		label := fmt.Sprintf("Data%d", i)
		_, err := w.CreateSharedDisk(core.DiskSpec{Label: label, SizeGB: 100, Servers: l.servers, Kind: "basic", FS: "NTFS", Letter: dataLetters[i-1:i] + ":"})
		mustDo(tb, err)
		l.data = append(l.data, label)
	}
	return l
}

// cluster forms EXCLUSTER on the first server with the given quorum ("" for
// the default choice) and adds every other server.
func (l *lab) cluster(tb testing.TB, quorum string) *Cluster {
	tb.Helper()
	c, err := l.w.CreateCluster(ClusterSpec{Name: labCluster, Domain: labDomain, Node: l.servers[0], IP: labIP, Account: labAccount, Mask: "255.255.255.0", Quorum: quorum})
	mustDo(tb, err)
	for _, s := range l.servers[1:] {
		_, err := l.w.AddNode(labCluster, s, labPassword, true)
		mustDo(tb, err)
	}
	return c
}

// exchangeReady adds MSDTC to the Cluster Group, brings it online and
// installs the Windows components and cluster-aware Exchange on every node.
func (l *lab) exchangeReady(tb testing.TB) {
	tb.Helper()
	w := l.w
	_, err := w.NewResource(labCluster, ResourceSpec{Group: "Cluster Group", Name: "MSDTC", Type: TypeDTC, Dependencies: []string{"Cluster Name", "Disk Q:"}})
	mustDo(tb, err)
	mustDo(tb, w.BringOnline(labCluster, "MSDTC", false))
	for _, s := range l.servers {
		for _, c := range core.Components {
			mustDo(tb, w.InstallComponent(s, c))
		}
		mustDo(tb, w.InstallExchange(ExchangeSpec{Server: s, Account: labExAdmin, Edition: "enterprise", Components: ExchangeComponents, Drive: "C:"}))
	}
}

// evsGroup creates the group of Exchange virtual server EVSi with its IP
// Address (10.0.0.10i), Network Name EVSi and the Physical Disk of data disk
// i, ready for a System Attendant.
func (l *lab) evsGroup(tb testing.TB, i int, preferred ...string) *Group {
	tb.Helper()
	w := l.w
	vs := fmt.Sprintf("EVS%d", i)
	g, err := w.NewGroup(labCluster, GroupSpec{Name: vs + " Group", Description: "Exchange virtual server " + vs, PreferredOwners: preferred})
	mustDo(tb, err)
	_, err = w.NewResource(labCluster, ResourceSpec{Group: g.Name, Name: vs + " IP Address", Type: TypeIPAddress, Params: map[string]string{"address": fmt.Sprintf("10.0.0.%d", 100+i), "subnet_mask": "255.255.255.0"}})
	mustDo(tb, err)
	_, err = w.NewResource(labCluster, ResourceSpec{Group: g.Name, Name: vs + " Network Name", Type: TypeNetworkName, Dependencies: []string{vs + " IP Address"}, Params: map[string]string{"name": vs}})
	mustDo(tb, err)
	_, err = w.NewResource(labCluster, ResourceSpec{Group: g.Name, Name: vs + " Disk", Type: TypePhysicalDisk, Params: map[string]string{"disk": l.data[i-1]}})
	mustDo(tb, err)
	return g
}

// evs builds Exchange virtual server EVSi: its group and System Attendant.
func (l *lab) evs(tb testing.TB, i int, preferred ...string) *Group {
	tb.Helper()
	g := l.evsGroup(tb, i, preferred...)
	vs := fmt.Sprintf("EVS%d", i)
	letter := l.w.LookupDisk(l.data[i-1]).Letter
	_, err := l.w.NewResource(labCluster, ResourceSpec{Group: g.Name, Name: vs + " System Attendant", Type: TypeSA, Dependencies: []string{vs + " Network Name", vs + " Disk"}, Params: map[string]string{"data_directory": letter + `\Exchsrvr\mdbdata`}})
	mustDo(tb, err)
	return g
}

// webGroup creates a group with an IP Address, a Network Name on it, and a
// Generic Service and a File Share on the Network Name: a small dependency
// tree with two siblings.
func (l *lab) webGroup(tb testing.TB, name, ip, netName string, preferred ...string) *Group {
	tb.Helper()
	w := l.w
	g, err := w.NewGroup(labCluster, GroupSpec{Name: name, PreferredOwners: preferred})
	mustDo(tb, err)
	_, err = w.NewResource(labCluster, ResourceSpec{Group: name, Name: name + " IP", Type: TypeIPAddress, Params: map[string]string{"address": ip, "subnet_mask": "255.255.255.0"}})
	mustDo(tb, err)
	_, err = w.NewResource(labCluster, ResourceSpec{Group: name, Name: name + " Name", Type: TypeNetworkName, Dependencies: []string{name + " IP"}, Params: map[string]string{"name": netName}})
	mustDo(tb, err)
	_, err = w.NewResource(labCluster, ResourceSpec{Group: name, Name: name + " Service", Type: TypeGenericService, Dependencies: []string{name + " Name"}, Params: map[string]string{"service": "W3SVC"}})
	mustDo(tb, err)
	_, err = w.NewResource(labCluster, ResourceSpec{Group: name, Name: name + " Share", Type: TypeFileShare, Dependencies: []string{name + " Name"}, Params: map[string]string{"path": `C:\inetpub`, "share": "web"}})
	mustDo(tb, err)
	return g
}

func mustSave(tb testing.TB, w *World) []byte {
	tb.Helper()
	b, err := w.Save()
	mustDo(tb, err)
	return b
}

// refused runs fn, which must fail with an error of kind whose message
// contains substr, and checks the refusal changed nothing: the state file
// (every object, the event log and the pending timers) is byte for byte the
// same before and after. It then asks again and again: the message must be
// the same every time (enginetest.SameRefusal).
func refused(t *testing.T, w *World, kind error, substr string, fn func() error) {
	t.Helper()
	before := mustSave(t, w)
	err := fn()
	if err == nil {
		t.Fatalf("the call succeeded; want a refusal (%v) saying %q", kind, substr)
	}
	if !errors.Is(err, kind) {
		t.Errorf("error %q is not %v", err, kind)
	}
	if !strings.Contains(err.Error(), substr) {
		t.Errorf("error %q does not say %q", err, substr)
	}
	if strings.Contains(err.Error(), "%!") {
		t.Errorf("error %q has a formatting mistake", err)
	}
	if after := mustSave(t, w); !bytes.Equal(before, after) {
		t.Fatalf("the refusal %q changed the world: %s", err, firstDifference(before, after))
	}
	enginetest.SameRefusal(t, err, fn)
}

// firstDifference shows where two state files start to differ.
func firstDifference(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-80)
	clip := func(x []byte) string { return string(x[from:min(len(x), i+80)]) }
	return fmt.Sprintf("at byte %d:\n  before: …%s…\n  after:  …%s…", i, clip(a), clip(b))
}

// eventsSince returns the events appended after the log had n events.
func eventsSince(w *World, n int) []core.Event { return w.Events[n:] }

// stateChanges lists "subject=state" for the state events among evs.
func stateChanges(evs []core.Event) []string {
	var out []string
	for _, e := range evs {
		if e.Kind == core.KindState {
			out = append(out, e.Subject+"="+e.State)
		}
	}
	return out
}

// resourceNames lists a group's resources in creation order.
func resourceNames(g *Group) []string {
	out := make([]string, len(g.Resources))
	for i, r := range g.Resources {
		out[i] = r.Name
	}
	return out
}

func mustResource(tb testing.TB, w *World, name string) *Resource {
	tb.Helper()
	_, r, err := w.ResourceOf("", name)
	mustDo(tb, err)
	return r
}

func mustGroup(tb testing.TB, w *World, name string) *Group {
	tb.Helper()
	_, g, err := w.GroupOf("", name)
	mustDo(tb, err)
	return g
}

func mustNode(tb testing.TB, w *World, name string) *Node {
	tb.Helper()
	_, n, err := w.NodeOf("", name)
	mustDo(tb, err)
	return n
}
