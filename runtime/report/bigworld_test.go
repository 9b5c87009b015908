package report_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"clusterscript/internal/browsertest"
	"clusterscript/runtime/report"
	"clusterscript/runtime/sim/simtest"
)

// bigPage writes the report of the SPEC §11 world (64 nodes, 8,000 groups
// online) in which NODE01 crashed and its groups failed over: the whole
// log, from the first server installed, as a runbook that built it all
// would report it.
func bigPage(tb testing.TB, dir string) (string, *report.Report) {
	w, _ := crashed(tb, simtest.Nodes, simtest.Groups)
	r := report.Build(w, report.Run{File: "big_world.star"})
	var b bytes.Buffer
	if err := r.WriteHTML(&b); err != nil {
		tb.Fatal(err)
	}
	page := filepath.Join(dir, "big_world.html")
	if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	return page, r
}

// TestBigWorldPage checks that the page of the big world stays usable:
// its lanes start collapsed, graphs and transcript are paged. It logs how
// long the page takes to become interactive (not asserted: timings belong
// to benchmarks).
func TestBigWorldPage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the 64-node, 8,000-group world")
	}
	browsertest.Chromium(t)
	out := browsertest.OutputDir(t)
	page, r := bigPage(t, out)
	info, _ := os.Stat(page)
	p := browsertest.Open(t, 1400, 900)
	began := time.Now()
	p.Load(t, page, "window.reportReady > 0")
	wall := time.Since(began)
	ready := browsertest.Eval[float64](t, p, "window.reportReady")
	t.Logf("big world page: %.1f MB, %d events, %d groups; interactive %.0f ms after navigation (script done), %v until the test saw it",
		float64(info.Size())/1e6, len(r.Transcript.Seq), len(r.Graphs), ready, wall.Round(time.Millisecond))
	p.Screenshot(t, out, "big_world")
	if got := browsertest.Eval[int](t, p, `document.querySelectorAll("#timeline .tl .lane").length`); got != simtest.Nodes {
		t.Errorf("%d lanes, want %d", got, simtest.Nodes)
	}
	if got := browsertest.Eval[int](t, p, `document.querySelectorAll("#timeline .tl .lane.expanded, #timeline .tl .owned-bar").length`); got != 0 {
		t.Errorf("%d expanded lanes or group rows drawn at first, want every lane collapsed", got)
	}
	if got := browsertest.Eval[int](t, p, `document.querySelectorAll("#transcript tbody tr").length`); got != 200 {
		t.Errorf("%d transcript rows drawn, want one page of 200", got)
	}
	if got := browsertest.Eval[int](t, p, `document.querySelectorAll("#groups .graph").length`); got != 24 {
		t.Errorf("%d graphs drawn, want one page of 24", got)
	}
	failovers := 0
	for _, m := range r.Marks {
		if m.Kind == report.MarkFailover {
			failovers++
		}
	}
	if got := browsertest.Eval[int](t, p, `document.querySelectorAll("#timeline .tl .mark.failover").length`); got != failovers || failovers < simtest.Groups/simtest.Nodes {
		t.Errorf("%d failover marks drawn, the report has %d, want NODE01's %d groups and more", got, failovers, simtest.Groups/simtest.Nodes)
	}
	// Opening a lane draws its groups.
	browsertest.Eval[bool](t, p, `(document.querySelector("#timeline .lane-label[data-lane='1']").dispatchEvent(new MouseEvent("click")), true)`)
	if got := browsertest.Eval[int](t, p, `document.querySelectorAll("#timeline .tl .lane.expanded").length`); got != 1 {
		t.Errorf("%d lanes open after a click on one", got)
	}
	p.Screenshot(t, out, "big_world_lane_open")
	if errs := p.Errors(); len(errs) > 0 {
		t.Errorf("the page logged errors: %q", errs)
	}
}

// BenchmarkBigWorldPageInteractive measures how long headless Chromium
// takes to open the big world's report until its script has drawn the
// page (ms-interactive), and how long the report takes to build and write
// (the ns/op of the build alone is BenchmarkBigWorldReport).
func BenchmarkBigWorldPageInteractive(b *testing.B) {
	browsertest.Chromium(b)
	page, _ := bigPage(b, b.TempDir())
	p := browsertest.Open(b, 1400, 900)
	total := 0.0
	for b.Loop() {
		p.Load(b, page, "window.reportReady > 0")
		total += browsertest.Eval[float64](b, p, "window.reportReady")
	}
	b.ReportMetric(total/float64(b.N), "ms-interactive")
}

func BenchmarkBigWorldReport(b *testing.B) {
	w, start := crashed(b, simtest.Nodes, simtest.Groups)
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := report.Build(w, report.Run{Start: start}).WriteHTML(&buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len())/1e6, "MB-page")
}
