package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clusterscript/lang"
)

func writeBook(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// With --state the export is a change script: what this run changed on
// top of the state file, not what built it; --all writes the whole world.
func TestExportWithStateIsAChangeScript(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "w.json")
	run("run", "--state", state, "../../runbooks/procedures/01_create_cluster.star").expect(t, lang.ExitOK)
	before, _ := os.ReadFile(state)
	book := writeBook(t, dir, "change.star", `c = get_cluster("EXCLUSTER")
procedure("A web group")
step(1, "Create it")
g = new_group(c, "Web Group", preferred_owners = ["NODE1"])
new_resource(g, "Web IP", "IP Address", address = "10.0.0.50", subnet_mask = "255.255.255.0")
check(catch(new_group, c, "Cluster Group") != None)
def two():
    new_group(c, "Never kept")
    new_group(c, "Web Group")
check(catch(two) != None)
`)
	r := run("export", book, "--state", state, "--to", "powershell")
	r.expect(t, lang.ExitOK)
	for _, want := range []string{"# Procedure: A web group", "# Step 1. Create it", "Add-ClusterGroup -Name 'Web Group' -Cluster EXCLUSTER", "Set-ClusterOwnerNode -Group 'Web Group' -Owners NODE1"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the change script lacks %q:\n%s", want, r.stdout)
		}
	}
	for _, not := range []string{"New-Cluster", "Never kept", "# prerequisite:"} {
		if strings.Contains(r.stdout, not) {
			t.Errorf("the change script has %q, which the run did not make:\n%s", not, r.stdout)
		}
	}
	all := run("export", book, "--state", state, "--to", "cluster.exe", "--all")
	all.expect(t, lang.ExitOK)
	if !strings.Contains(all.stdout, "/create") || !strings.Contains(all.stdout, `group "Web Group" /create`) {
		t.Errorf("--all lacks the cluster or the group:\n%s", all.stdout)
	}
	out := filepath.Join(dir, "web.xml")
	run("export", book, "--state", state, "--to", "cib", "-o", out).expect(t, lang.ExitOK)
	if b, err := os.ReadFile(out); err != nil || !strings.Contains(string(b), `<rsc_location id="prefer-Web-Group-NODE1"`) {
		t.Errorf("-o wrote %q (%v)", b, err)
	}
	if after, _ := os.ReadFile(state); string(after) != string(before) {
		t.Error("export wrote the state file")
	}
}

func TestExportUsage(t *testing.T) {
	book := "../../runbooks/procedures/01_create_cluster.star"
	run("export", book).expect(t, lang.ExitUsage, "--to is required")
	run("export", book, "--to", "powershel").expect(t, lang.ExitUsage, `did you mean "powershell"`)
	run("export", "--to", "pcs").expect(t, lang.ExitUsage, "give exactly one runbook")
	dir := t.TempDir()
	failing := writeBook(t, dir, "f.star", "fail(\"no\")\n")
	run("export", failing, "--to", "pcs").expect(t, lang.ExitFailed, "the rehearsal failed")
}

// TestReadmeExportExcerpt keeps the README's export example true: each of
// its lines is in the export golden it quotes.
func TestReadmeExportExcerpt(t *testing.T) {
	excerpt := fence(t, readme(t), "### From rehearsal to the real cluster", 0)
	golden, err := os.ReadFile("../../golden/export/cluster.exe/exchange_cluster_end_to_end.cmd")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(excerpt), "\n")[1:] {
		if line != "..." && !strings.Contains(string(golden), line+"\n") {
			t.Errorf("the README's export excerpt has a line the export does not write:\n%s", line)
		}
	}
}

// twoClusters builds two Windows Server 2012 R2 clusters, PARIS and LYON,
// with a group each.
const twoClusters = `runbook("Two clusters")
d = domain("corp.example.com")
create_user(d, "clussvc", password = "Cl-2004-svc")
servers = []
for i in range(1, 5):
    s = install_server("NODE%d" % i, version = "2012 R2")
    configure_tcpip(s, "Public", "10.0.0.%d" % (10 + i), "255.255.255.0")
    configure_tcpip(s, "Private", "192.168.1.%d" % (10 + i), "255.255.255.0")
    join_domain(s, d)
    servers.append(s)
paris = create_cluster("PARIS", d, servers[0], "10.0.0.100", "CORP\\clussvc")
add_node(paris, servers[1])
lyon = create_cluster("LYON", d, servers[2], "10.0.0.101", "CORP\\clussvc")
add_node(lyon, servers[3])
g = new_group(paris, "Paris Web", preferred_owners = ["NODE1"])
new_resource(g, "Paris Web IP", "IP Address", address = "10.0.0.50", subnet_mask = "255.255.255.0")
h = new_group(lyon, "Lyon Web", preferred_owners = ["NODE4"])
new_resource(h, "Lyon Web IP", "IP Address", address = "10.0.0.60", subnet_mask = "255.255.255.0")
`

// --cluster keeps an export to one cluster; a CIB, which holds one
// Pacemaker cluster, needs it when a run changes two.
func TestExportOneClusterOfTwo(t *testing.T) {
	book := writeBook(t, t.TempDir(), "two.star", twoClusters)
	run("export", book, "--to", "cib").expect(t, lang.ExitFailed, "the export changes 2 server clusters (PARIS, LYON)", "--cluster NAME")
	run("export", book, "--to", "cib", "--all").expect(t, lang.ExitFailed, "2 server clusters")
	run("export", book, "--to", "pcs", "--cluster", "NOPE").expect(t, lang.ExitFailed, "--cluster NOPE: the world has no cluster of that name; it has PARIS, LYON")
	for _, tc := range []struct{ target, cluster, has, lacks string }{
		{"cib", "lyon", `<rsc_location id="prefer-Lyon-Web-NODE4"`, "Paris"},
		{"powershell", "PARIS", "Add-ClusterGroup -Name 'Paris Web' -Cluster PARIS", "LYON"},
		{"cluster.exe", "LYON", `cluster /cluster:LYON group "Lyon Web" /create`, "PARIS"},
		{"pcs", "PARIS", "pcs resource create Paris-Web-IP", "Lyon"},
	} {
		r := run("export", book, "--to", tc.target, "--cluster", tc.cluster)
		r.expect(t, lang.ExitOK)
		if !strings.Contains(r.stdout, tc.has) || strings.Contains(r.stdout, tc.lacks) {
			t.Errorf("export --to %s --cluster %s: want %q and no %q:\n%s", tc.target, tc.cluster, tc.has, tc.lacks, r.stdout)
		}
		if tc.target != "cib" && !strings.Contains(r.stdout, "prerequisite: install_server") {
			t.Errorf("export --to %s --cluster %s lacks the prerequisites:\n%s", tc.target, tc.cluster, r.stdout)
		}
	}
	// Both clusters' changes, as before, on the targets that are scripts.
	r := run("export", book, "--to", "pcs")
	r.expect(t, lang.ExitOK)
	if !strings.Contains(r.stdout, "# cluster PARIS:") || !strings.Contains(r.stdout, "# cluster LYON:") {
		t.Errorf("pcs export of both clusters:\n%s", r.stdout)
	}
}
