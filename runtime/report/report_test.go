package report_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"clusterscript/internal/browsertest"
	"clusterscript/runtime/core"
	"clusterscript/runtime/report"
	"clusterscript/runtime/sim"
	"clusterscript/runtime/sim/simtest"
)

// crashed is a small cluster (4 nodes, 8 groups online) whose first node
// crashed and was declared Down.
func crashed(t testing.TB, nodes, groups int) (*sim.World, int) {
	w := simtest.OnlineCluster(t, nodes, groups)
	start := len(w.Log())
	w.Record(core.KindNote, "", "the drill begins")
	if err := w.Advance(2 * core.Hour); err != nil {
		t.Fatal(err)
	}
	if err := w.FailServer(simtest.NodeName(1, nodes)); err != nil {
		t.Fatal(err)
	}
	w.Settle()
	return w, start
}

func TestTimelineOfACrash(t *testing.T) {
	w, start := crashed(t, 4, 8)
	r := report.Build(w, report.Run{File: "crash", Start: start})
	if len(r.Problems) > 0 {
		t.Fatalf("problems: %q", r.Problems)
	}
	if len(r.Lanes) != 4 {
		t.Fatalf("%d lanes, want 4", len(r.Lanes))
	}
	node1 := r.Lanes[0]
	if got := node1.States[len(node1.States)-1]; got.State != "Down" || !got.Open {
		t.Errorf("NODE1 ends %+v, want Down, still held at the end", got)
	}
	var failovers []report.Mark
	for _, m := range r.Marks {
		if m.Kind == report.MarkFailover {
			failovers = append(failovers, m)
		}
	}
	// G0001, G0005 and the Cluster Group were on NODE1.
	if len(failovers) != 3 {
		t.Fatalf("%d failover marks, want 3: %+v", len(failovers), r.Marks)
	}
	for _, m := range failovers {
		if m.Lane != 0 || m.To <= 0 || m.Reason != "node NODE1 is Down" {
			t.Errorf("failover mark %+v, want an arrow from lane 0 to another with the reason", m)
		}
	}
	// What NODE1 owned ends at the failover; nothing is open on it.
	for _, o := range node1.Groups {
		if o.Open || o.To != failovers[0].At {
			t.Errorf("NODE1 owned %+v, want it to end at the failover", o)
		}
	}
	if r.From != w.Log()[start].At || r.To != w.Clock {
		t.Errorf("the report covers %d–%d, want the run's %d–%d", r.From, r.To, w.Log()[start].At, w.Clock)
	}
	if len(r.Transcript.Seq) != len(w.Log())-start {
		t.Errorf("transcript of %d events, want the run's %d", len(r.Transcript.Seq), len(w.Log())-start)
	}
}

func TestAxisCompressesIdleGaps(t *testing.T) {
	w, start := crashed(t, 2, 2)
	r := report.Build(w, report.Run{Start: start})
	a := r.Axis
	if len(a.Gaps) != 1 || a.Gaps[0].Label != "idle 2h" {
		t.Fatalf("gaps %+v, want the 2h wait, labelled", a.Gaps)
	}
	if !slices.IsSorted(a.X) || !slices.IsSorted(a.At) || a.Width > 6000 {
		t.Errorf("axis not increasing or too wide: %+v", a)
	}
	// The 6 s until the node is declared Down gets more room than no wait.
	if d := a.X[len(a.X)-1] - a.X[len(a.X)-2]; d < 30 {
		t.Errorf("6 s drawn %v px wide, want a visible stretch", d)
	}
}

func TestGraphLayout(t *testing.T) {
	w := simtest.OnlineCluster(t, 2, 1)
	r := report.Build(w, report.Run{})
	var g *report.Graph
	for _, x := range r.Graphs {
		if x.Group == "G0001" {
			g = x
		}
	}
	if g == nil || len(g.Nodes) != 4 || len(g.Edges) != 3 {
		t.Fatalf("graph of G0001: %+v", g)
	}
	for _, e := range g.Edges {
		a, b := g.Nodes[e[0]], g.Nodes[e[1]]
		if a.Y >= b.Y {
			t.Errorf("%s is drawn at y %v, not above %s (y %v), which it depends on", a.Name, a.Y, b.Name, b.Y)
		}
	}
	for i, a := range g.Nodes {
		if a.X < 0 || a.X+a.W > g.Width || a.Y+report.NodeHeight > g.Height {
			t.Errorf("%s lies outside the drawing", a.Name)
		}
		for _, b := range g.Nodes[i+1:] {
			if a.Y == b.Y && a.X < b.X+b.W && b.X < a.X+a.W {
				t.Errorf("%s and %s overlap", a.Name, b.Name)
			}
		}
		if a.State != "Online" {
			t.Errorf("%s is %s, want its final state Online", a.Name, a.State)
		}
	}
}

func TestDOTAndMermaidQuoting(t *testing.T) {
	w := simtest.OnlineCluster(t, 2, 1)
	if _, err := w.MSCS.NewGroup(simtest.Cluster, mscsGroup(`Say "hi" \ <b>`)); err != nil {
		t.Fatal(err)
	}
	var dot, mm bytes.Buffer
	if err := report.WriteDOT(&dot, w); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dot.String(), `label="group Say \"hi\" \\ <b>: Offline on NODE1"`) {
		t.Errorf("DOT does not quote the group's name:\n%s", dot.String())
	}
	if err := report.WriteMermaid(&mm, w); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(mm.String(), `["group Say #quot;hi#quot; \ #lt;b#gt;: Offline on NODE1"]`) {
		t.Errorf("Mermaid does not quote the group's name:\n%s", mm.String())
	}
}

func TestPageCannotBeBrokenByNames(t *testing.T) {
	w := simtest.OnlineCluster(t, 2, 1)
	r := report.Build(w, report.Run{Title: `</script><script>alert(1)</script>`, Error: "x </script> & <b>"})
	var b bytes.Buffer
	if err := r.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	if strings.Count(b.String(), "</script>") != 2 {
		t.Errorf("a name ended a script element early: %d </script>", strings.Count(b.String(), "</script>"))
	}
	if !strings.Contains(b.String(), "x &lt;/script&gt; &amp; &lt;b&gt;") {
		t.Error("the error is not escaped in the page")
	}
}

func TestParseExplore(t *testing.T) {
	data, err := os.ReadFile("testdata/explore.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	m, err := report.ParseExplore("explore.jsonl", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Cases) != 7 || len(m.Points) != 3 {
		t.Fatalf("%d cases at %d points, want 7 at 3", len(m.Cases), len(m.Points))
	}
	if want := []string{"server", "adapter", "disk", "resource", "system_disk"}; !slices.Equal(m.Kinds, want) {
		t.Errorf("columns %q, want %q", m.Kinds, want)
	}
	want := worstByCell(t, data)
	for _, p := range m.Points {
		for k, c := range p.Cells {
			if got := c.Outcome; got != want[cellKey(p.Point, m.Kinds[k])] {
				t.Errorf("point %d %s: %q, want %q", p.Point, m.Kinds[k], got, want[cellKey(p.Point, m.Kinds[k])])
			}
		}
	}
	for _, bad := range []struct{ in, msg string }{
		{"not json\n", "x.json:1: not a JSON object"},
		{`{"case":"a","point":0,"kind":"server","outcome":"survived"}`, "x.json:1: case a has point 0"},
		{`{"case":"a","point":1,"kind":"","outcome":"survived"}`, "x.json:1: case a has no kind of fault"},
		{`{"summary":true}`, `x.json: no cases (lines with a "case" field)`},
	} {
		if _, err := report.ParseExplore("x.json", []byte(bad.in)); err == nil || !strings.Contains(err.Error(), bad.msg) {
			t.Errorf("ParseExplore(%q) = %v, want %q", bad.in, err, bad.msg)
		}
	}
}

func cellKey(point int, kind string) string {
	return strings.Join([]string{string(rune('0' + point)), kind}, "/")
}

// worstByCell reads the fixture independently of ParseExplore.
func worstByCell(t *testing.T, data []byte) map[string]string {
	order := map[string]int{"survived": 0, "step-limit": 1, "runbook-failed": 2, "unavailable": 3, "broken": 4}
	worst := map[string]string{}
	s := bufio.NewScanner(bytes.NewReader(data))
	for s.Scan() {
		var c struct {
			Case          any
			Point         int
			Kind, Outcome string
		}
		if json.Unmarshal(s.Bytes(), &c) != nil || c.Case == nil {
			continue
		}
		k := cellKey(c.Point, c.Kind)
		if w, ok := worst[k]; !ok || order[c.Outcome] > order[w] {
			worst[k] = c.Outcome
		}
	}
	return worst
}

// TestExploreMatrixInBrowser draws the fixture's matrix and follows every
// link: each cell leads to the list of its cases, which holds exactly them.
func TestExploreMatrixInBrowser(t *testing.T) {
	browsertest.Chromium(t)
	data, _ := os.ReadFile("testdata/explore.jsonl")
	m, err := report.ParseExplore("explore.jsonl", data)
	if err != nil {
		t.Fatal(err)
	}
	w, start := crashed(t, 4, 8)
	r := report.Build(w, report.Run{File: "crash.star", Start: start})
	r.Matrix = m
	out := browsertest.OutputDir(t)
	page := filepath.Join(out, "explore.html")
	var b bytes.Buffer
	r.WriteHTML(&b)
	os.WriteFile(page, b.Bytes(), 0o644)
	p := browsertest.Open(t, 1300, 900)
	p.Load(t, page, "window.reportReady > 0")
	defer p.Screenshot(t, out, "explore")
	type link struct {
		Cell, Href string
		Cases      []string
	}
	links := browsertest.Eval[[]link](t, p, `Array.from(document.querySelectorAll("#explore table.matrix a")).map(a => {
		const target = document.getElementById(a.getAttribute("href").slice(1));
		return {cell: a.textContent, href: a.getAttribute("href"),
			cases: target ? Array.from(target.querySelectorAll(".case strong")).map(s => s.textContent.trim()) : null};
	})`)
	if len(links) != 5 {
		t.Fatalf("%d cells link to cases, want 5 (the fixture's non-empty cells)", len(links))
	}
	total := 0
	for _, l := range links {
		if l.Cases == nil {
			t.Errorf("cell %q links to %s, which is not on the page", l.Cell, l.Href)
			continue
		}
		total += len(l.Cases)
	}
	if total != 7 {
		t.Errorf("the cells lead to %d cases, want the fixture's 7", total)
	}
	worst := browsertest.Eval[string](t, p, `document.querySelector("#explore a[href='#cell-2-resource']").textContent`)
	if worst != "step-limit (2)" {
		t.Errorf("point 2, resource shows %q, want the worse of survived and step-limit, and the count", worst)
	}
	// Following a link shows its cases.
	browsertest.Eval[bool](t, p, `(document.querySelector("#explore a[href='#cell-1-disk']").click(), true)`)
	p.Wait(t, `location.hash === "#cell-1-disk" && document.querySelector(":target .case strong").textContent.includes("p1-disk-Quorum")`)
	if errs := p.Errors(); len(errs) > 0 {
		t.Errorf("the page logged errors: %q", errs)
	}
}
