package importer

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"clusterscript/internal/testtool"
	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/sim"
)

// needTool skips a test when a Pacemaker tool is missing, except under CI,
// where it fails: CI installs them (.ci/run).
func needTool(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		testtool.Find(t, "apt-get install -y pcs pacemaker-cli-utils", n)
	}
}

func run(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// transition reads crm_simulate's Transition Summary: resource → the node
// it is started or moved to.
func transition(out string) map[string]string {
	re := regexp.MustCompile(`(?m)^\s*\*\s+(Start|Move|Recover|Migrate)\s+(\S+)\s+\(\s*(?:\S+\s+->\s+)?(\S+?)\s*\)`)
	got := map[string]string{}
	_, summary, _ := strings.Cut(out, "Transition Summary:")
	for _, m := range re.FindAllStringSubmatch(summary, -1) {
		got[m[2]] = m[3]
	}
	return got
}

// TestPacemakerCIB builds a CIB with the real tools (pcs -f on an offline
// CIB, which cannot create nodes, so the test writes the node entries and
// turns fencing off for the offline check, as the export's tests do), lets
// crm_simulate start everything, imports the result, fails one node in
// both engines and compares, group by group, where each group goes. The
// groups have distinct, ordered location scores and no stickiness, where
// Windows' rule (the next node of the preferred list after the failed
// owner) and Pacemaker's (the best score left) agree.
func TestPacemakerCIB(t *testing.T) {
	needTool(t, "cibadmin", "pcs", "crm_simulate", "crm_verify")
	dir := t.TempDir()
	empty := run(t, dir, "cibadmin", "--empty")
	empty = strings.Replace(empty, "<cib ", `<cib have-quorum="1" `, 1)
	empty = strings.Replace(empty, "<crm_config/>", `<crm_config><cluster_property_set id="cib-bootstrap-options">`+
		`<nvpair id="o-name" name="cluster-name" value="lab"/>`+
		`<nvpair id="o-stonith" name="stonith-enabled" value="false"/>`+
		`<nvpair id="o-probes" name="enable-startup-probes" value="false"/>`+
		`</cluster_property_set></crm_config>`, 1)
	var nodes strings.Builder
	for _, n := range []string{"1", "2", "3", "4"} {
		nodes.WriteString(`<node id="` + n + `" uname="n` + n + `"/>`)
	}
	empty = strings.Replace(empty, "<nodes/>", "<nodes>"+nodes.String()+"</nodes>", 1)
	if err := os.WriteFile(filepath.Join(dir, "cib.xml"), []byte(empty), 0o600); err != nil {
		t.Fatal(err)
	}
	pcs := func(args ...string) { run(t, dir, "pcs", append([]string{"-f", "cib.xml"}, args...)...) }
	pcs("resource", "create", "web-ip", "ocf:heartbeat:IPaddr2", "ip=10.0.0.101", "cidr_netmask=24", "--group", "web")
	pcs("resource", "create", "web-app", "ocf:pacemaker:Dummy", "--group", "web")
	pcs("resource", "create", "db-app", "ocf:pacemaker:Dummy", "--group", "db")
	pcs("resource", "create", "db-data", "ocf:heartbeat:Filesystem", `device=/dev/disk/by-label/DB\x20Data`, "directory=/srv/S", "fstype=xfs", "--group", "db")
	pcs("resource", "create", "mail", "ocf:pacemaker:Dummy")
	pcs("constraint", "location", "web", "prefers", "n1=300", "n2=200", "n3=100")
	pcs("constraint", "location", "db", "prefers", "n1=300", "n3=200", "n4=100")
	pcs("constraint", "location", "mail", "prefers", "n4=200", "n1=100")
	pcs("constraint", "location", "db", "avoids", "n2")
	pcs("resource", "meta", "web", "migration-threshold=3")
	pcs("stonith", "create", "fence-n1", "fence_dummy")
	pcs("resource", "op", "defaults", "update", "timeout=90s")

	run(t, dir, "crm_simulate", "-x", "cib.xml", "-S", "-u", "n1", "-u", "n2", "-u", "n3", "-u", "n4", "-O", "started.xml")
	run(t, dir, "crm_verify", "-x", "started.xml")
	data, err := os.ReadFile(filepath.Join(dir, "started.xml"))
	if err != nil {
		t.Fatal(err)
	}
	w := sim.New()
	if _, err := Import(w, data, "", "started.xml"); err != nil {
		t.Fatal(err)
	}
	if bad := w.Invariants(); len(bad) > 0 {
		t.Fatalf("broken invariants after import: %v", bad)
	}
	c, err := w.MSCS.Cluster("lab")
	if err != nil {
		t.Fatal(err)
	}
	owner := func(g string) string {
		grp, err := c.Group(g)
		if err != nil {
			t.Fatal(err)
		}
		if grp.State() != mscs.Online {
			t.Errorf("group %s is %s; want Online", g, grp.State())
		}
		return grp.Owner
	}
	// Where crm_simulate started them, from the status section.
	for g, want := range map[string]string{"web": "n1", "db": "n1", "mail": "n4"} {
		if got := owner(g); got != want {
			t.Errorf("group %s imported on %s; the CIB's status runs it on %s", g, got, want)
		}
	}
	web, _ := c.Group("web")
	if strings.Join(web.PreferredOwners, ",") != "n1,n2,n3" || web.Failback != mscs.FailbackImmediate {
		t.Errorf("web prefers %v with failback %s; want n1,n2,n3 (scores 300, 200, 100) and immediate (no stickiness)", web.PreferredOwners, web.Failback)
	}
	dbApp, _ := c.Resource("db-app")
	if strings.Join(dbApp.PossibleOwners, ",") != "n1,n3,n4" {
		t.Errorf("db-app may run on %v; want n1,n3,n4 (n2 is -INFINITY)", dbApp.PossibleOwners)
	}
	dbData, _ := c.Resource("db-data")
	if d := w.LookupDisk(dbData.Params["disk"]); dbData.Type != mscs.TypePhysicalDisk || d == nil || d.Label != "DB Data" || d.Letter != "S:" {
		t.Errorf("db-data: %s on disk %+v; want a Physical Disk on DB Data, S: (device and directory)", dbData.Type, d)
	}
	webIP, _ := c.Resource("web-ip")
	if webIP.Type != mscs.TypeIPAddress || webIP.Params["address"] != "10.0.0.101" || webIP.RestartThreshold != 2 {
		t.Errorf("web-ip: %s %v, restart threshold %d; want IP Address 10.0.0.101 and 2 (migration-threshold 3)", webIP.Type, webIP.Params, webIP.RestartThreshold)
	}
	hasWarning(t, w, `fencing device <primitive id="fence-n1" class="stonith"`, "dropped")
	hasWarning(t, w, "operation default timeout=90s dropped")
	hasWarning(t, w, "cluster property stonith-enabled=false dropped")

	// One node failure in both engines.
	crm := transition(run(t, dir, "crm_simulate", "-x", "started.xml", "-R", "-f", "n1"))
	if err := w.FailServer("n1"); err != nil {
		t.Fatal(err)
	}
	w.Settle()
	members := map[string][]string{"web": {"web-ip", "web-app"}, "db": {"db-app"}, "mail": {"mail"}}
	compared := 0
	for _, g := range core.SortedKeys(members) {
		pcmk := ""
		for _, r := range members[g] {
			if n, ok := crm[r]; ok {
				if pcmk != "" && pcmk != n {
					t.Errorf("crm_simulate splits group %s over %s and %s", g, pcmk, n)
				}
				pcmk = n
			}
		}
		ours := owner(g)
		if pcmk == "" {
			if ours != "n4" || g != "mail" {
				t.Errorf("group %s: crm_simulate leaves it where it was, ours has it on %s", g, ours)
			}
			continue
		}
		compared++
		if ours != pcmk {
			t.Errorf("group %s after n1 failed: ours on %s, crm_simulate on %s", g, ours, pcmk)
		}
	}
	if compared != 2 {
		t.Errorf("compared %d moved groups; want 2 (web and db left n1): crm_simulate said %v", compared, crm)
	}
}
