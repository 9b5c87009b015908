package golden

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"clusterscript/internal/testtool"
	"clusterscript/runtime/export"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/sim"
)

// needTool finds a Pacemaker tool; outside CI a missing one skips the
// test, under CI=true it fails it.
func needTool(t *testing.T, name string) string {
	t.Helper()
	return testtool.Find(t, "apt-get install -y pcs pacemaker-cli-utils", name)
}

// offlineCIB adds to an exported CIB what an offline check needs and the
// export rightly leaves out: fencing off, the nodes, quorum.
func offlineCIB(t *testing.T, cib []byte, nodes []string) []byte {
	t.Helper()
	var ns strings.Builder
	for i, n := range nodes {
		fmt.Fprintf(&ns, `<node id="%d" uname="%s"/>`, i+1, n)
	}
	s := string(cib)
	for old, repl := range map[string]string{
		"<crm_config/>": `<crm_config><cluster_property_set id="offline-check"><nvpair id="offline-check-stonith" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>`,
		"<nodes/>":      "<nodes>" + ns.String() + "</nodes>",
		"<cib ":         `<cib have-quorum="1" `,
	} {
		if !strings.Contains(s, old) {
			t.Fatalf("the exported CIB has no %s", old)
		}
		s = strings.Replace(s, old, repl, 1)
	}
	return []byte(s)
}

// verify runs crm_verify on the CIB at path (full is its text, for the
// failure message).
func verify(t *testing.T, path string, full []byte) {
	t.Helper()
	if out, err := exec.Command("crm_verify", "-x", path, "-V").CombinedOutput(); err != nil {
		t.Fatalf("crm_verify rejects the export: %v\n%s\n%s", err, out, full)
	}
}

var simStarted = regexp.MustCompile(`\* (\S+)\s+\(\S+\):\s+Started (\S+)`)

// simulate runs crm_simulate -S on a CIB with every node up and the given
// nodes failed, and returns where each primitive runs afterwards.
func simulate(t *testing.T, cib []byte, up []string, failed ...string) map[string]string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cib.xml")
	if err := os.WriteFile(path, cib, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-x", path, "-S"}
	for _, n := range up {
		args = append(args, "-u", n)
	}
	for _, n := range failed {
		args = append(args, "-f", n)
	}
	out, err := exec.Command("crm_simulate", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("crm_simulate %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	revised := string(out)
	if i := strings.Index(revised, "Revised Cluster Status"); i >= 0 {
		revised = revised[i:]
	} else {
		t.Fatalf("crm_simulate printed no revised status:\n%s", out)
	}
	on := map[string]string{}
	for _, m := range simStarted.FindAllStringSubmatch(revised, -1) {
		on[m[1]] = m[2]
	}
	return on
}

// pcmGroup is what the tests need of an exported group.
type pcmGroup struct {
	ID      string   `xml:"id,attr"`
	Members []string `xml:"primitive>id"`
}

type pcmDoc struct {
	Groups []struct {
		ID         string `xml:"id,attr"`
		Primitives []struct {
			ID string `xml:"id,attr"`
		} `xml:"primitive"`
	} `xml:"configuration>resources>group"`
}

// expectations gives, for each exported group, the nodes it may run on and
// the node it should start on (its first allowed preferred owner, "" when
// it has none).
type expectation struct {
	allowed []string
	first   string
}

func expectations(c *mscs.Cluster) map[string]expectation {
	out := map[string]expectation{}
	for _, g := range c.Groups {
		allowed := c.NodeNames()
		for _, r := range g.Resources {
			if r.PossibleOwners != nil {
				allowed = slices.DeleteFunc(slices.Clone(allowed), func(n string) bool { return !slices.Contains(r.PossibleOwners, n) })
			}
		}
		e := expectation{allowed: allowed}
		for _, p := range g.PreferredOwners {
			if slices.Contains(allowed, p) {
				e.first = p
				break
			}
		}
		out[g.Name] = e
	}
	return out
}

// TestCIBExportsWithPacemaker checks the CIB export of every runbook with a
// server cluster with the real Pacemaker tools: crm_verify accepts it;
// crm_simulate starts each group on its first preferred owner (or on a
// possible owner when it has no preferred owner) and, with that node
// failed, moves it to another possible owner.
func TestCIBExportsWithPacemaker(t *testing.T) {
	needTool(t, "crm_verify")
	needTool(t, "crm_simulate")
	runbooks, err := Find("..", nil)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, rb := range runbooks {
		_, w, err := Transcript(rb)
		if err != nil {
			t.Fatalf("%s: %v", rb, err)
		}
		if len(w.MSCS.Clusters) != 1 {
			continue // a CIB describes one cluster
		}
		t.Run(rb[len("../runbooks/"):], func(t *testing.T) {
			checkCIB(t, rb, w)
		})
		checked++
	}
	if checked < 10 {
		t.Errorf("only %d runbooks have one server cluster; the test checks too little", checked)
	}
}

func checkCIB(t *testing.T, rb string, w *sim.World) {
	c := w.MSCS.Clusters[0]
	cib, err := Exported(rb, export.CIB, w)
	if err != nil {
		t.Fatal(err)
	}
	nodes := c.NodeNames()
	full := offlineCIB(t, cib, nodes)
	path := filepath.Join(t.TempDir(), "cib.xml")
	if err := os.WriteFile(path, full, 0o644); err != nil {
		t.Fatal(err)
	}
	verify(t, path, full)
	var doc pcmDoc
	if err := xml.Unmarshal(cib, &doc); err != nil {
		t.Fatal(err)
	}
	// The export names each group by its Windows name, in its comments;
	// map group IDs back through the cluster's groups.
	want := expectations(c)
	byID := map[string]string{}
	for _, g := range c.Groups {
		for _, d := range doc.Groups {
			if d.ID == strings.Join(strings.FieldsFunc(g.Name, func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.')
			}), "-") {
				byID[d.ID] = g.Name
			}
		}
	}
	on := simulate(t, full, nodes)
	firsts := map[string]bool{}
	for _, d := range doc.Groups {
		e, ok := want[byID[d.ID]]
		if !ok {
			t.Fatalf("exported group %s matches no group of cluster %s", d.ID, c.Name)
		}
		where := on[d.Primitives[0].ID]
		for _, p := range d.Primitives {
			if on[p.ID] != where {
				t.Errorf("group %s: %s runs on %q but %s on %q; a group runs on one node", d.ID, p.ID, on[p.ID], d.Primitives[0].ID, where)
			}
		}
		switch {
		case len(e.allowed) == 0:
			continue
		case e.first != "" && where != e.first:
			t.Errorf("group %s starts on %q, want its first preferred owner %s", d.ID, where, e.first)
		case !slices.Contains(e.allowed, where):
			t.Errorf("group %s starts on %q, not one of its possible owners %v", d.ID, where, e.allowed)
		}
		if where != "" {
			firsts[where] = true
		}
	}
	failed := make([]string, 0, len(firsts))
	for n := range firsts {
		failed = append(failed, n)
	}
	sort.Strings(failed)
	for _, f := range failed {
		after := simulate(t, full, nodes, f)
		for _, d := range doc.Groups {
			e := want[byID[d.ID]]
			if on[d.Primitives[0].ID] != f {
				continue
			}
			where := after[d.Primitives[0].ID]
			rest := slices.DeleteFunc(slices.Clone(e.allowed), func(n string) bool { return n == f })
			switch {
			case len(rest) == 0 && where != "":
				t.Errorf("with %s failed, group %s runs on %q, but it has no other possible owner", f, d.ID, where)
			case len(rest) > 0 && !slices.Contains(rest, where):
				t.Errorf("with %s failed, group %s is on %q, want one of its other possible owners %v", f, d.ID, where, rest)
			}
		}
	}
}

// TestPCSExportMatchesCIB applies the pcs export of a small runbook with
// `pcs -f` to an offline CIB and compares the result with the cib export:
// the same primitives, groups, meta attributes and constraints. (pcs takes
// about 0.4 s a command, so the runbook is small.)
func TestPCSExportMatchesCIB(t *testing.T) {
	if testing.Short() {
		t.Skip("pcs takes about 0.4 s a command; skipped with -short")
	}
	needTool(t, "pcs")
	needTool(t, "cibadmin")
	dir := t.TempDir()
	book := filepath.Join(dir, "runbooks", "small.star")
	if err := os.MkdirAll(filepath.Dir(book), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(book, []byte(pcsRunbook), 0o644); err != nil {
		t.Fatal(err)
	}
	_, w, err := Transcript(book)
	if err != nil {
		t.Fatal(err)
	}
	script, err := Exported(book, export.PCS, w)
	if err != nil {
		t.Fatal(err)
	}
	cib, err := Exported(book, export.CIB, w)
	if err != nil {
		t.Fatal(err)
	}
	staged := filepath.Join(dir, "staged.xml")
	empty, err := exec.Command("cibadmin", "--empty").Output()
	if err != nil {
		t.Fatalf("cibadmin --empty: %v", err)
	}
	if err := os.WriteFile(staged, empty, 0o644); err != nil {
		t.Fatal(err)
	}
	// Stage as the script's header says: every line but those marked for
	// the live cluster, each pcs command run on the file.
	const recipe = `grep -v '# live cluster only$' THIS_FILE | sed 's/^pcs /pcs -f staged.xml /' | sh`
	if !strings.Contains(string(script), recipe) {
		t.Fatalf("the header no longer gives the staging recipe %s:\n%s", recipe, script)
	}
	commands, live := 0, 0
	for _, line := range strings.Split(string(script), "\n") {
		if strings.HasSuffix(line, "# live cluster only") {
			live++
			continue
		}
		if !strings.HasPrefix(line, "pcs ") {
			continue
		}
		commands++
		cmd := exec.Command("sh", "-c", strings.Replace(line, "pcs ", "pcs -f "+staged+" ", 1))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", line, err, out)
		}
	}
	if commands < 5 || live != 5 {
		t.Fatalf("the pcs export has %d commands to stage and %d for the live cluster; the runbook gives more and 5 (2 joins, a move, standby and unstandby):\n%s", commands, live, script)
	}
	applied, err := os.ReadFile(staged)
	if err != nil {
		t.Fatal(err)
	}
	got, want := normalCIB(t, applied), normalCIB(t, cib)
	if got != want {
		t.Errorf("pcs -f applied the export to:\n%s\nthe cib export says:\n%s\nscript:\n%s", got, want, script)
	}
}

// pcsRunbook is small but has what the mapping covers: two groups, IP
// addresses, a disk, preferred owners, a possible owner left out, a
// failover policy, a dependency order, a parameter change, and a move and
// a pause, which are for the live cluster only. (A Generic
// Service would need its systemd unit on this machine for pcs to accept
// it.)
const pcsRunbook = `runbook("pcs export")
d = domain("corp.example.com")
create_user(d, "clussvc", password = "pw")
for i, n in enumerate(["NODE1", "NODE2", "NODE3"]):
    install_server(n, adapters = ["Public"])
    configure_tcpip(n, "Public", "10.0.0.%d" % (11 + i), "255.255.255.0")
    join_domain(n, d)
shared_disk("Data1", 10, ["NODE1", "NODE2", "NODE3"], fs = "NTFS", letter = "R:")
quietly(lambda: shared_disk("Quorum", 1, ["NODE1", "NODE2", "NODE3"], fs = "NTFS", letter = "Q:"))
c = create_cluster("PCL", d, "NODE1", "10.0.0.100", "CORP\\clussvc")
add_node(c, "NODE2")
add_node(c, "NODE3")
procedure("Web")
step(1, "The group")
g = new_group(c, "Web Group", preferred_owners = ["NODE2", "NODE3"])
step(2, "Its resources")
new_resource(g, "Web IP", "IP Address", address = "10.0.0.50", subnet_mask = "255.255.255.0")
new_resource(g, "Web Disk", "Physical Disk", disk = "Data1", possible_owners = ["NODE2", "NODE3"])
set_dependencies("Web IP", ["Web Disk"])
set_params("Web IP", address = "10.0.0.52")
failover_policy(g, threshold = 2, period = 1, failback = "immediate")
bring_online(g)
move_group(g, "NODE3")
pause_node("NODE2")
resume_node("NODE2")
`

// normalCIB reduces a CIB to what the export sets: primitives (agent and
// parameters) in group order, group meta attributes, location constraints.
// Operations pcs adds from the agents' metadata, ids of nvpairs, the
// target-role pcs keeps for enable and disable and cli- constraints of
// moves are left out.
func normalCIB(t *testing.T, doc []byte) string {
	t.Helper()
	type nv struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	}
	var c struct {
		Groups []struct {
			ID   string `xml:"id,attr"`
			Prim []struct {
				ID       string `xml:"id,attr"`
				Class    string `xml:"class,attr"`
				Provider string `xml:"provider,attr"`
				Type     string `xml:"type,attr"`
				Params   []nv   `xml:"instance_attributes>nvpair"`
			} `xml:"primitive"`
			Meta []nv `xml:"meta_attributes>nvpair"`
		} `xml:"configuration>resources>group"`
		Locations []struct {
			ID    string `xml:"id,attr"`
			Rsc   string `xml:"rsc,attr"`
			Node  string `xml:"node,attr"`
			Score string `xml:"score,attr"`
		} `xml:"configuration>constraints>rsc_location"`
	}
	if err := xml.Unmarshal(doc, &c); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, g := range c.Groups {
		fmt.Fprintf(&b, "group %s\n", g.ID)
		for _, p := range g.Prim {
			fmt.Fprintf(&b, "  %s %s:%s:%s", p.ID, p.Class, p.Provider, p.Type)
			sort.Slice(p.Params, func(i, j int) bool { return p.Params[i].Name < p.Params[j].Name })
			for _, kv := range p.Params {
				fmt.Fprintf(&b, " %s=%s", kv.Name, kv.Value)
			}
			b.WriteByte('\n')
		}
		sort.Slice(g.Meta, func(i, j int) bool { return g.Meta[i].Name < g.Meta[j].Name })
		for _, kv := range g.Meta {
			if kv.Name != "target-role" {
				fmt.Fprintf(&b, "  meta %s=%s\n", kv.Name, kv.Value)
			}
		}
	}
	var locs []string
	for _, l := range c.Locations {
		if !strings.HasPrefix(l.ID, "cli-") {
			locs = append(locs, fmt.Sprintf("location %s %s %s %s", l.ID, l.Rsc, l.Node, l.Score))
		}
	}
	sort.Strings(locs)
	b.WriteString(strings.Join(locs, "\n"))
	return b.String()
}
