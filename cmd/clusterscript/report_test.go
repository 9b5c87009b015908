package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"clusterscript/golden"
	"clusterscript/internal/testtool"
	"clusterscript/runtime/core"
	"clusterscript/runtime/report"

	"github.com/spf13/pflag"
)

// rehearsed runs a runbook as report and graph do.
func rehearsed(t *testing.T, path string, args ...string) (rehearsal, error) {
	t.Helper()
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	f := addRehearsalFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	r, runErr, err := f.rehearse(path, io.Discard)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return r, runErr
}

// TestReportFollowsEveryRunbook rebuilds the timeline of every runbook from
// its log and checks it ends where the world ends: each node in its state,
// each group on its owner. The timeline reads the engines' wording; a
// change of wording that it no longer follows fails here.
func TestReportFollowsEveryRunbook(t *testing.T) {
	books, err := golden.Find("../..", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(books) < 20 {
		t.Fatalf("found %d runbooks, want the repository's", len(books))
	}
	lanes := 0
	for _, rb := range books {
		r, runErr := rehearsed(t, rb)
		if runErr != nil {
			t.Errorf("%s: %v", rb, runErr)
			continue
		}
		page := report.Build(r.World, runOf(rb, r, nil))
		for _, p := range page.Problems {
			t.Errorf("%s: %s", rb, p)
		}
		lanes += len(page.Lanes)
	}
	if lanes == 0 {
		t.Error("no runbook gave a lane")
	}
}

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "crash.html")
	run("report", "../../runbooks/drills/node_crash.star", "-o", out).expect(t, 0, "wrote "+out, "4 node lanes")
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<title>Drill: a node crash with failover by preferred owners", `class="result ok"`, `id="report-data"`} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("the page has no %q", want)
		}
	}
	// Self-contained: nothing is fetched (the SVG namespace is a name, not a fetch).
	for _, bad := range []string{"<script src", "<link", "@import", "https://", "url(http"} {
		if bytes.Contains(page, []byte(bad)) {
			t.Errorf("the page refers to something outside it: %q", bad)
		}
	}

	// A failed run still gets its report, which shows the failure.
	book := filepath.Join(dir, "fails.star")
	os.WriteFile(book, []byte(failingDrill(2)), 0o644)
	failed := filepath.Join(dir, "fails.html")
	run("report", book, "-o", failed).expect(t, 1, "wrote "+failed, "failed: the Cluster Group stays on NODE1")
	page, _ = os.ReadFile(failed)
	for _, want := range []string{`class="result failed"`, `id="error"`, "the Cluster Group stays on NODE1: got &#34;NODE2&#34;"} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("the failed run's page has no %q", want)
		}
	}

	// The state file is read, never written.
	state := filepath.Join(dir, "lab.json")
	run("run", "--state", state, "../../runbooks/procedures/01_create_cluster.star").expect(t, 0)
	before, _ := os.ReadFile(state)
	run("report", book, "--state", state, "-o", failed).expect(t, 1)
	if after, _ := os.ReadFile(state); !bytes.Equal(before, after) {
		t.Error("report wrote the state file")
	}

	run("report").expect(t, 2, "give exactly one runbook file")
	run("report", book, "--explore", filepath.Join(dir, "none.json")).expect(t, 2, "--explore", "none.json")
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"case":"x","point":1,"kind":"server","outcome":"fine"}`+"\n"), 0o644)
	run("report", book, "--explore", bad).expect(t, 2, `bad.json:1: case x has outcome "fine"; it must be one of survived`)
	run("graph", book, "--format", "png").expect(t, 2, `--format "png": use dot or mermaid`)
}

// TestGraphCommand checks that Graphviz reads the DOT output and that the
// Mermaid output names every resource.
func TestGraphCommand(t *testing.T) {
	book := "../../runbooks/exchange_cluster_end_to_end.star"
	r := run("graph", book)
	r.expect(t, 0)
	w, _ := rehearsed(t, book)
	resources := 0
	for _, c := range w.World.MSCS.Clusters {
		for _, g := range c.Groups {
			resources += len(g.Resources)
		}
	}
	if got := strings.Count(r.stdout, "fillcolor="); got != resources {
		t.Errorf("DOT has %d resource nodes, want %d", got, resources)
	}
	mm := run("graph", book, "--format", "mermaid")
	mm.expect(t, 0)
	if !strings.HasPrefix(mm.stdout, "flowchart TB\n") || strings.Count(mm.stdout, ":::") != resources {
		t.Errorf("Mermaid output is not a flowchart with %d resources:\n%s", resources, mm.stdout)
	}

	dot := testtool.Find(t, "apt-get install -y graphviz", "dot")
	cmd := exec.Command(dot, "-Tsvg")
	cmd.Stdin = strings.NewReader(r.stdout)
	var svg, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &svg, &errOut
	if err := cmd.Run(); err != nil || errOut.Len() > 0 {
		t.Fatalf("dot -Tsvg: %v\n%s", err, errOut.String())
	}
	if got := strings.Count(svg.String(), `class="node"`); got < resources {
		t.Errorf("dot drew %d nodes, want at least %d", got, resources)
	}
	if !strings.Contains(svg.String(), "EVS1 System Attendant") {
		t.Error("dot's drawing does not name EVS1 System Attendant")
	}
}

// failingDrill is a runbook whose last check fails, on a cluster of n nodes.
func failingDrill(n int) string {
	return fmt.Sprintf(`load("@stdlib//lab.star", "build_lab")
load("@stdlib//cluster.star", "build_cluster")

runbook("A drill whose check fails")
cl = build_cluster(build_lab(nodes = %d))
fail_server("NODE1")
settle()
check_eq(get_group(cl, "Cluster Group").owner, "NODE1", "the Cluster Group stays on NODE1")
`, n)
}

// failovers counts the log's failovers of groups from one node to
// another, as the timeline should mark them.
func failovers(events []core.Event) int {
	n := 0
	for _, e := range events {
		if e.Kind == core.KindFailover && e.Decision != nil && e.Decision.From != "" && e.Decision.To != "" &&
			strings.Contains(e.Text, " fails over from ") {
			n++
		}
	}
	return n
}

// nodesInLog counts the nodes whose state the log reports.
func nodesInLog(events []core.Event) int {
	seen := map[string]bool{}
	for _, e := range events {
		if e.Kind == core.KindState && strings.HasPrefix(e.Text, "node "+e.Subject+" is ") {
			seen[strings.ToUpper(e.Subject)] = true
		}
	}
	return len(seen)
}
