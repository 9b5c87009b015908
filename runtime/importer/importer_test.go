package importer

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/sim"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// importFile imports a testdata file into a new world and checks what
// every import must give: invariants hold, and the world survives a state
// file round trip (the loader's validation included).
func importFile(t *testing.T, name string) (*sim.World, *Snapshot) {
	t.Helper()
	w := sim.New()
	s, err := Import(w, readTestdata(t, name), "", name)
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	if bad := w.Invariants(); len(bad) > 0 {
		t.Errorf("%s: broken invariants after import: %v", name, bad)
	}
	saved, err := w.Save()
	if err != nil {
		t.Fatal(err)
	}
	back, err := sim.Load(saved)
	if err != nil {
		t.Fatalf("%s: the imported world does not load back: %v", name, err)
	}
	again, _ := back.Save()
	if string(again) != string(saved) {
		t.Errorf("%s: the imported world changes in a state file round trip", name)
	}
	return w, s
}

func warnings(w *sim.World) []string {
	var out []string
	for _, e := range w.Log() {
		if e.Kind == core.KindWarning {
			out = append(out, e.Text)
		}
	}
	return out
}

func hasWarning(t *testing.T, w *sim.World, words ...string) {
	t.Helper()
	for _, x := range warnings(w) {
		ok := true
		for _, wd := range words {
			ok = ok && strings.Contains(x, wd)
		}
		if ok {
			return
		}
	}
	t.Errorf("no warning with %q among:\n%s", words, strings.Join(warnings(w), "\n"))
}

// importedEvents counts the "imported from" events per object kind.
func importedEvents(w *sim.World, source string) map[string]int {
	out := map[string]int{}
	for _, e := range w.Log() {
		if i := strings.Index(e.Text, " imported from "+source+" ("); i > 0 {
			kind, _, _ := strings.Cut(e.Text, " ")
			out[kind]++
		}
	}
	return out
}

func TestFileServerSnapshot(t *testing.T) {
	w, _ := importFile(t, "fileserver.json")
	c, err := w.MSCS.Cluster("FSCLUSTER")
	if err != nil {
		t.Fatal(err)
	}
	if c.Version != "2012 R2" || c.IP != "10.0.0.100" || len(c.Nodes) != 2 {
		t.Errorf("cluster %s version %s address %s with %d nodes; want 2012 R2, 10.0.0.100, 2", c.Name, c.Version, c.IP, len(c.Nodes))
	}
	g, err := c.Group("FILES")
	if err != nil {
		t.Fatal(err)
	}
	if g.Owner != "FS2" || g.State() != mscs.Online || !slices.Equal(g.PreferredOwners, []string{"FS2", "FS1"}) {
		t.Errorf("group FILES on %s %s preferring %v; want Online on FS2 preferring FS2, FS1", g.Owner, g.State(), g.PreferredOwners)
	}
	if g.Failback != mscs.FailbackWindow || g.WindowStart != 22 || g.WindowEnd != 2 || g.FailoverThreshold != 1 {
		t.Errorf("FILES failover policy: threshold %d, failback %s %d–%d; want 1, window 22–2", g.FailoverThreshold, g.Failback, g.WindowStart, g.WindowEnd)
	}
	fsrv, _ := c.Resource(`File Server (\\FILES)`)
	if fsrv == nil || fsrv.Type != mscs.TypeGenericService || fsrv.Params["service"] != "File Server" || !strings.Contains(fsrv.Description, "File Server") {
		t.Errorf("the File Server resource is %+v; want a Generic Service standing in for type File Server", fsrv)
	}
	share, _ := c.Resource("Share Data")
	if share.Params["share"] != "Data" || share.Params["path"] != `E:\Shares\Data` || share.AffectGroup || share.RestartThreshold != 3 || share.RestartPeriod != 600 {
		t.Errorf("Share Data: params %v, restart %d in %d s, affect group %v; want Data, E:\\Shares\\Data, 3 in 600, false", share.Params, share.RestartThreshold, share.RestartPeriod, share.AffectGroup)
	}
	if d := w.LookupDisk("Cluster Disk 2"); d == nil || d.Letter != "E:" || !slices.Equal(d.Servers, []string{"FS1", "FS2"}) {
		t.Errorf("disk Cluster Disk 2 is %+v; want E: seen by FS1, FS2", d)
	}
	if c.QuorumModel != mscs.QuorumNodeAndDisk || c.Quorum != "Cluster Disk 1" {
		t.Errorf("quorum %s with witness %q; want node_and_disk_majority with Cluster Disk 1", c.QuorumModel, c.Quorum)
	}
	if cg, _ := c.Group("Cluster Group"); cg.FailoverThreshold != mscs.FailoverThresholdNodesMinusOne {
		t.Errorf("Cluster Group has FailoverThreshold %d; want 4294967295 (nodes − 1) as in the snapshot", cg.FailoverThreshold)
	}
	if cg, _ := c.Group("Cluster Group"); cg.Priority != mscs.PriorityHigh {
		t.Errorf("Cluster Group has priority %q; want high (3000) as in the snapshot", cg.Priority)
	}
	for _, x := range warnings(w) {
		if strings.Contains(x, "FailoverThreshold") || strings.Contains(x, "not yet imported") {
			t.Errorf("warning %q: the engine takes these values as they are", x)
		}
	}
	hasWarning(t, w, "parameter EnableNetBIOS of IP Address resources")
	hasWarning(t, w, "PendingTimeout 300000 ms dropped", `"Share Data"`)
	hasWarning(t, w, `resource type "File Server" is not simulated`)
	got := importedEvents(w, "fileserver.json")
	want := map[string]int{"domain": 1, "server": 2, "shared": 2, "cluster": 1, "group": 2, "resource": 8}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("import events per kind %v; want %v (one per imported object)", got, want)
	}
}

// TestTwoNodeFileServerDrill: the 2-node file server keeps quorum through
// the loss of the node running FILES, thanks to its disk witness, and
// FILES fails over to FS1. The same cluster without the witness (and
// without dynamic quorum) stops: one vote of two is no majority.
func TestTwoNodeFileServerDrill(t *testing.T) {
	fs := string(readTestdata(t, "fileserver.json"))
	noWitness := strings.Replace(strings.Replace(fs, `"QuorumType": "NodeAndDiskMajority", "QuorumResource": "Cluster Disk 1"`, `"QuorumType": "NodeMajority", "QuorumResource": ""`, 1),
		`"DynamicQuorum": 1`, `"DynamicQuorum": 0`, 1)
	if noWitness == fs {
		t.Fatal("the sample's quorum line changed; update the test")
	}
	for _, tc := range []struct {
		name, input string
		survives    bool
	}{{"disk witness", fs, true}, {"node majority", noWitness, false}} {
		t.Run(tc.name, func(t *testing.T) {
			w := sim.New()
			if _, err := Import(w, []byte(tc.input), "", "fileserver.json"); err != nil {
				t.Fatal(err)
			}
			c, _ := w.MSCS.Cluster("FSCLUSTER")
			if err := w.FailServer("FS2"); err != nil {
				t.Fatal(err)
			}
			w.Settle()
			files, _ := c.Group("FILES")
			if c.HasQuorum() != tc.survives {
				t.Fatalf("after FS2 failed the cluster has quorum: %v; want %v", c.HasQuorum(), tc.survives)
			}
			if tc.survives && (files.Owner != "FS1" || files.State() != mscs.Online) {
				t.Errorf("after FS2 failed, FILES is %s on %s; want Online on FS1", files.State(), files.Owner)
			}
			if !tc.survives && files.State() == mscs.Online {
				t.Errorf("FILES is Online on %s in a cluster without quorum", files.Owner)
			}
		})
	}
}

func TestCluster2016Snapshot(t *testing.T) {
	w, _ := importFile(t, "cluster2016.json")
	c, _ := w.MSCS.Cluster("PRODCLUSTER")
	if c.Version != "2016" || len(c.Nodes) != 4 {
		t.Fatalf("version %s with %d nodes; want 2016 with 4", c.Version, len(c.Nodes))
	}
	if c.QuarantineDuration != 3600 || c.LowerQuorumPriorityNodeID != 3 || c.HeartbeatMisses != 10 {
		t.Errorf("QuarantineDuration %d, LowerQuorumPriorityNodeID %d, SameSubnetThreshold %d; want 3600, 3, 10", c.QuarantineDuration, c.LowerQuorumPriorityNodeID, c.HeartbeatMisses)
	}
	n4, _ := c.Node("NODE4")
	if n4.State != mscs.NodePaused {
		t.Errorf("NODE4 is %s; want Paused as in the snapshot", n4.State)
	}
	batch, _ := c.Group("Batch")
	if batch.Owner != "NODE3" || batch.State() != mscs.Offline {
		t.Errorf("Batch is %s on %s; want Offline on NODE3", batch.State(), batch.Owner)
	}
	rep, _ := c.Resource("Report Server")
	if !slices.Equal(rep.PossibleOwners, []string{"NODE3", "NODE4"}) || rep.Params["service"] != "ReportServer" {
		t.Errorf("Report Server: possible owners %v, service %q", rep.PossibleOwners, rep.Params["service"])
	}
	fsw, _ := c.Resource("File Share Witness")
	if c.QuorumModel != mscs.QuorumNodeAndShare || fsw == nil || c.Quorum != fsw.Name || fsw.Type != mscs.TypeFileShareWitness || fsw.Params["path"] != `\\WITNESS\prodcluster` {
		t.Errorf("quorum %s with witness %q (%+v); want node_and_file_share_majority with \\\\WITNESS\\prodcluster", c.QuorumModel, c.Quorum, fsw)
	}
	n3, _ := c.Node("NODE3")
	if !n3.NoVote {
		t.Errorf("NODE3 votes; its NodeWeight is 0 in the snapshot")
	}
	for group, want := range map[string]string{"SQL1": mscs.PriorityHigh, "SQL2": mscs.PriorityHigh, "Reports": mscs.PriorityLow, "Batch": mscs.PriorityNoAutoStart} {
		if g, _ := c.Group(group); g.Priority != want {
			t.Errorf("group %q has priority %q; want %q", group, g.Priority, want)
		}
	}
	for _, group := range []string{"SQL1", "SQL2"} {
		if g, _ := c.Group(group); !slices.Equal(g.AntiAffinityClassNames, []string{"SQL"}) {
			t.Errorf("group %q has anti-affinity class names %q; want [SQL]", group, g.AntiAffinityClassNames)
		}
	}
	if len(warnings(w)) != 5 {
		t.Errorf("%d warnings; want the 5 about parameters and resource types:\n%s", len(warnings(w)), strings.Join(warnings(w), "\n"))
	}
	// Sites: NODE2 through its rack; PreferredSite names one of them.
	for node, site := range map[string]string{"NODE1": "Paris", "NODE2": "Paris", "NODE3": "Lyon", "NODE4": "Lyon"} {
		if n, _ := c.Node(node); n.Site != site {
			t.Errorf("node %s is in site %q; want %q", node, n.Site, site)
		}
	}
	if c.PreferredSite != "Paris" {
		t.Errorf("PreferredSite %q; want Paris", c.PreferredSite)
	}

	// A drill on it: NODE1 dies. SQL1's next preferred owner, NODE2, runs
	// SQL2 of the same anti-affinity class, so SQL1 goes to NODE3 (NODE4 is
	// paused).
	if err := w.FailServer("NODE1"); err != nil {
		t.Fatal(err)
	}
	w.Settle()
	sql1, _ := c.Group("SQL1")
	if sql1.Owner != "NODE3" || sql1.State() != mscs.Online {
		t.Errorf("after NODE1 failed, SQL1 is %s on %s; want Online on NODE3 (anti-affinity keeps it off NODE2)", sql1.State(), sql1.Owner)
	}
}

func TestNLBFarmSnapshot(t *testing.T) {
	w, _ := importFile(t, "nlbfarm.json")
	c, err := w.NLB.Cluster("owa.corp.example.com")
	if err != nil {
		t.Fatal(err)
	}
	if c.Mode != "multicast" || len(c.Hosts) != 3 || len(c.Rules) != 3 {
		t.Fatalf("mode %s, %d hosts, %d rules; want multicast, 3, 3", c.Mode, len(c.Hosts), len(c.Rules))
	}
	for _, r := range c.Rules {
		switch r.Start {
		case 80:
			if fmt.Sprint(r.LoadWeights) != "[{WEB1 50} {WEB2 30} {WEB3 20}]" || r.Affinity != "none" {
				t.Errorf("rule 80: weights %v affinity %s", r.LoadWeights, r.Affinity)
			}
		case 443:
			if r.LoadWeights != nil || r.Affinity != "single" {
				t.Errorf("rule 443: weights %v affinity %s; want equal load, single", r.LoadWeights, r.Affinity)
			}
		case 25:
			if r.ClusterIP != "10.2.0.51" || r.Filtering != "single" || fmt.Sprint(r.HandlingPriorities) != "[{WEB1 2} {WEB2 1} {WEB3 3}]" {
				t.Errorf("rule 25: %s %s %v", r.ClusterIP, r.Filtering, r.HandlingPriorities)
			}
		}
	}
	q, _ := w.NLB.Query(c.Name)
	if fmt.Sprint(q) != "[{WEB1 Converged as DEFAULT} {WEB2 Converged} {WEB3 Stopped}]" {
		t.Errorf("hosts after import: %v", q)
	}
}

func TestBadInputs(t *testing.T) {
	fs := string(readTestdata(t, "fileserver.json"))
	c16 := string(readTestdata(t, "cluster2016.json"))
	cases := []struct {
		name, input, format string
		want                []string
	}{
		{"truncated JSON", fs[:len(fs)/2], "", []string{"cut short"}},
		{"unknown version", strings.Replace(fs, `"version": 1`, `"version": 7`, 1), "", []string{"schema version 7", "reads version 1"}},
		{"no version", strings.Replace(fs, `"version": 1,`, ``, 1), "", []string{"no \"version\""}},
		{"unknown field", strings.Replace(fs, `"os_version"`, `"os_flavour"`, 1), "", []string{"os_flavour", "not in snapshot schema version 1"}},
		{"group names unlisted node", strings.Replace(fs, `"PreferredOwners": [ "FS2", "FS1" ]`, `"PreferredOwners": [ "FS2", "FS9" ]`, 1), "",
			[]string{`group "FILES"`, "FS9", "does not list", "FS1, FS2"}},
		{"owner unlisted", strings.Replace(fs, `"OwnerNode": "FS2"`, `"OwnerNode": "FS7"`, 1), "", []string{"owner of group", "FS7"}},
		{"resource of unknown group", strings.Replace(fs, `"OwnerGroup": "FILES", "ResourceType": "File Share"`, `"OwnerGroup": "GONE", "ResourceType": "File Share"`, 1), "",
			[]string{`group "GONE"`}},
		{"dependency across groups", strings.Replace(fs, `"DependencyExpression": "[File Server (\\\\FILES)]"`, `"DependencyExpression": "[Cluster Name]"`, 1), "",
			[]string{`"Share Data"`, `"Cluster Name"`, "within a group"}},
		{"fault domain of no known type", strings.Replace(c16, `"Type": "Rack"`, `"Type": "Row"`, 1), "", []string{`Get-ClusterFaultDomain "Rack1" has Type "Row"`}},
		{"fault domain without a name", strings.Replace(c16, `"Name": "Rack1"`, `"Name": " "`, 1), "", []string{"a fault domain (Get-ClusterFaultDomain) has no name"}},
		{"fault domains in a loop", strings.Replace(c16, `"Name": "Rack1",
            "Type": "Rack",
            "ParentName": "Paris"`, `"Name": "Rack1",
            "Type": "Rack",
            "ParentName": "Rack1"`, 1), "", []string{"the fault domains above node NODE2 (Get-ClusterFaultDomain) form a loop"}},
		{"neither format", "hello", "", []string{"neither a JSON snapshot nor an XML CIB"}},
		{"empty", "", "", []string{"is empty"}},
		{"CIB with a clone", `<cib><configuration><nodes><node id="1" uname="n1"/></nodes><resources><clone id="web-clone"><primitive id="web" class="ocf" provider="heartbeat" type="apache"/></clone></resources></configuration></cib>`, "",
			[]string{`<clone id="web-clone">`, "no Windows equivalent"}},
		{"CIB with a bundle", `<cib><configuration><nodes><node id="1" uname="n1"/></nodes><resources><bundle id="b1"/></resources></configuration></cib>`, "cib",
			[]string{`<bundle id="b1">`}},
		{"CIB with a promotable", `<cib><configuration><nodes><node id="1" uname="n1"/></nodes><resources><master id="db-ms"/></resources></configuration></cib>`, "",
			[]string{`<master id="db-ms">`, "promotable"}},
		{"CIB with an order", `<cib><configuration><nodes><node id="1" uname="n1"/></nodes><resources><primitive id="a" class="systemd" type="a"/><primitive id="b" class="systemd" type="b"/></resources><constraints><rsc_order id="a-then-b" first="a" then="b"/></constraints></configuration></cib>`, "",
			[]string{`<rsc_order id="a-then-b">`, "between groups"}},
		{"CIB with a colocation", `<cib><configuration><nodes><node id="1" uname="n1"/></nodes><resources><primitive id="a" class="systemd" type="a"/></resources><constraints><rsc_colocation id="a-with-b" rsc="a" with-rsc="b" score="INFINITY"/></constraints></configuration></cib>`, "",
			[]string{`<rsc_colocation id="a-with-b">`}},
		{"CIB with a rule", `<cib><configuration><nodes><node id="1" uname="n1"/></nodes><resources><primitive id="a" class="systemd" type="a"/></resources><constraints><rsc_location id="loc" rsc="a"><rule id="loc-rule" score="100"/></rsc_location></constraints></configuration></cib>`, "",
			[]string{`<rule id="loc-rule">`}},
		{"CIB truncated", `<cib><configuration><nodes><node id="1" uname="n1"/>`, "", []string{"cut short"}},
		{"not a CIB", `<html></html>`, "", []string{"not a Pacemaker CIB"}},
		{"CIB location on unknown node", `<cib><configuration><nodes><node id="1" uname="n1"/></nodes><resources><primitive id="a" class="systemd" type="a"/></resources><constraints><rsc_location id="l1" rsc="a" node="n9" score="100"/></constraints></configuration></cib>`, "",
			[]string{`<rsc_location id="l1">`, `"n9"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := sim.New()
			_, err := Import(w, []byte(tc.input), tc.format, "in.txt")
			if err == nil {
				t.Fatal("imported; want a refusal")
			}
			if !errors.Is(err, ErrInput) {
				t.Errorf("error %v does not wrap ErrInput", err)
			}
			for _, wd := range tc.want {
				if !strings.Contains(err.Error(), wd) {
					t.Errorf("error %q lacks %q", err, wd)
				}
			}
			if !strings.Contains(err.Error(), "in.txt") {
				t.Errorf("error %q does not name the input", err)
			}
		})
	}
}

func TestMergeRefusesClashes(t *testing.T) {
	w, _ := importFile(t, "fileserver.json")
	before, _ := w.Save()
	// The same snapshot again: every name clashes; the first is the cluster.
	_, err := Import(w, readTestdata(t, "fileserver.json"), "", "again.json")
	if err == nil || !strings.Contains(err.Error(), "cluster FSCLUSTER (Get-Cluster) in again.json has the name of server cluster FSCLUSTER already in the world") {
		t.Errorf("second import: %v; want a clash naming both clusters", err)
	}
	// A different cluster whose node has the name of a node already there.
	other := strings.ReplaceAll(strings.ReplaceAll(string(readTestdata(t, "cluster2016.json")), `"NODE2"`, `"FS2"`), `"Name": "FS2"`, `"Name": "FS2"`)
	_, err = Import(w, []byte(other), "", "other.json")
	if err == nil || !strings.Contains(err.Error(), "server FS2 (Get-ClusterNode \"FS2\") in other.json has the name of server FS2 (a node of server cluster FSCLUSTER) already in the world") {
		t.Errorf("clashing node: %v", err)
	}
	after, _ := w.Save()
	if string(after) != string(before) {
		t.Errorf("a refused merge changed the world")
	}
	// The NLB farm merges in beside it.
	if _, err := Import(w, readTestdata(t, "nlbfarm.json"), "", "nlbfarm.json"); err != nil {
		t.Errorf("merging the NLB farm: %v", err)
	}
}

// A dependency spelt in another case than its resource, on a resource
// listed after it, is created first: check and the engine match names
// ignoring case, and so does the order of creation.
func TestDependencyNamedInAnotherCase(t *testing.T) {
	data := string(readTestdata(t, "fileserver.json"))
	i := strings.Index(data, `"Name": "IP Address 10.0.0.120"`)
	j := i + strings.Index(data[i:], `"DependencyExpression": ""`)
	data = data[:j] + `"DependencyExpression": "[cluster disk 2]"` + data[j+len(`"DependencyExpression": ""`):]
	w := sim.New()
	if _, err := Import(w, []byte(data), "", "fileserver.json"); err != nil {
		t.Fatalf("import: %v", err)
	}
	cl, _ := w.MSCS.Cluster("FSCLUSTER")
	ip, _ := cl.Resource("IP Address 10.0.0.120")
	if !slices.Equal(ip.Dependencies, []string{"Cluster Disk 2"}) {
		t.Errorf("IP Address 10.0.0.120 depends on %q, want [\"Cluster Disk 2\"]", ip.Dependencies)
	}
}

// A site on a version without sites (a hand-edited 2012 R2 snapshot) is
// dropped with a warning, not refused.
func TestSiteBeforeWindowsServer2016(t *testing.T) {
	fs := strings.Replace(string(readTestdata(t, "fileserver.json")), `"networks":`,
		`"fault_domains": [ { "Name": "Paris", "Type": "Site", "ParentName": "" }, { "Name": "FS1", "Type": "Node", "ParentName": "Paris" } ],
    "networks":`, 1)
	w := sim.New()
	if _, err := Import(w, []byte(fs), "", "fs.json"); err != nil {
		t.Fatal(err)
	}
	hasWarning(t, w, "site Paris of node FS1 not imported", "2016")
	c, _ := w.MSCS.Cluster("FSCLUSTER")
	if n, _ := c.Node("FS1"); n.Site != "" {
		t.Errorf("FS1 is in site %q on Windows Server 2012 R2", n.Site)
	}
}

// A CIB node's "site" attribute, as export writes a Windows site, puts the
// node in that site; one under a rule is left out with a warning.
func TestCIBNodeSite(t *testing.T) {
	cib := `<cib><configuration><nodes>
<node id="1" uname="n1"><instance_attributes id="n1-attrs"><nvpair id="n1-site" name="site" value="Paris"/></instance_attributes></node>
<node id="2" uname="n2"><instance_attributes id="n2-attrs"><rule id="n2-rule" score="0"/><nvpair id="n2-site" name="site" value="Lyon"/></instance_attributes></node>
<node id="3" uname="n3"/>
</nodes><resources/><constraints/></configuration><status/></cib>`
	w := sim.New()
	s, err := Import(w, []byte(cib), "", "cib.xml")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := w.MSCS.Cluster(s.Clusters[0].Name)
	for node, site := range map[string]string{"N1": "Paris", "N2": "", "N3": ""} {
		if n, _ := c.Node(node); n == nil || n.Site != site {
			t.Errorf("node %s: %+v; want site %q", node, n, site)
		}
	}
	hasWarning(t, w, `node attribute site=Lyon of node "n2" is under a rule (<rule id="n2-rule">)`)
}

// Filesystem primitives become lettered disks: named by a by-label device
// and lettered by a directory ending in one letter when the CIB says so
// (as export writes them), else by the primitive and the first free letter.
func TestCIBFilesystemDisks(t *testing.T) {
	fsPrim := func(id, device, directory string) string {
		return `<primitive id="` + id + `" class="ocf" provider="heartbeat" type="Filesystem"><instance_attributes id="` + id + `-ia">` +
			`<nvpair id="` + id + `-d" name="device" value="` + device + `"/><nvpair id="` + id + `-m" name="directory" value="` + directory + `"/>` +
			`<nvpair id="` + id + `-f" name="fstype" value="xfs"/></instance_attributes></primitive>`
	}
	cib := `<cib><configuration><nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes><resources>` +
		`<group id="files">` + fsPrim("data-fs", "/dev/disk/by-label/Data1", "/srv/R") + fsPrim("logs-fs", "/dev/sdb1", "/var/log/app") + `</group>` +
		`<group id="more">` + fsPrim("twin-a", "/dev/disk/by-label/Twin", "/srv/R") + fsPrim("twin-b", "/dev/disk/by-label/Twin", "/srv/e") + `</group>` +
		`</resources><constraints/></configuration><status/></cib>`
	w := sim.New()
	s, err := Import(w, []byte(cib), "", "cib.xml")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := w.MSCS.Cluster(s.Clusters[0].Name)
	for res, want := range map[string][2]string{
		"data-fs": {"Data1", "R:"},   // as export writes a disk
		"logs-fs": {"logs-fs", "D:"}, // nothing to go by
		"twin-a":  {"twin-a", "F:"},  // a label two share; R: is taken
		"twin-b":  {"twin-b", "E:"},
	} {
		r, err := c.Resource(res)
		if err != nil {
			t.Fatal(err)
		}
		d := w.LookupDisk(r.Params["disk"])
		if d == nil || d.Label != want[0] || d.Letter != want[1] {
			t.Errorf("%s is on disk %+v; want %s on %s", res, d, want[0], want[1])
		}
	}
}
