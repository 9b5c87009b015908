package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clusterscript/internal/browsertest"
	"clusterscript/runtime/report"
)

// TestReportPagesInBrowser writes the reports of the end-to-end runbook,
// of every drill and of a failing run, opens each in headless Chromium and
// checks what it draws against the event log: one lane per node, one
// failover mark per failover, filters that hide what they should, no
// console errors, no request beyond the file itself. Screenshots and the
// pages are kept in the test's output folder (browsertest.OutputDir).
func TestReportPagesInBrowser(t *testing.T) {
	browsertest.Chromium(t)
	out := browsertest.OutputDir(t)
	books := []string{"../../runbooks/exchange_cluster_end_to_end.star"}
	drills, _ := filepath.Glob("../../runbooks/drills/*.star")
	for _, d := range drills {
		if !strings.HasPrefix(filepath.Base(d), "_") {
			books = append(books, d)
		}
	}
	failing := filepath.Join(t.TempDir(), "failing_drill.star")
	os.WriteFile(failing, []byte(failingDrill(3)), 0o644)
	books = append(books, failing)
	if len(books) < 10 {
		t.Fatalf("found %d runbooks to draw, want the drills too", len(books))
	}
	p := browsertest.Open(t, 1400, 900)
	for _, book := range books {
		name := strings.TrimSuffix(filepath.Base(book), ".star")
		t.Run(name, func(t *testing.T) {
			page := filepath.Join(out, name+".html")
			wantExit := 0
			if book == failing {
				wantExit = 1
			}
			run("report", book, "-o", page).expect(t, wantExit)
			r, _ := rehearsed(t, book)
			events := r.World.Log()[r.Start:]
			p.Load(t, page, "window.reportReady > 0")
			defer p.Screenshot(t, out, name)

			if got, want := browsertest.Eval[int](t, p, `document.querySelectorAll("#timeline .tl .lane").length`), nodesInLog(r.World.Log()); got != want {
				t.Errorf("%d lanes drawn, want %d (the nodes the log reports)", got, want)
			}
			if got, want := browsertest.Eval[int](t, p, `document.querySelectorAll("#timeline .tl .mark.failover").length`), failovers(events); got != want {
				t.Errorf("%d failover marks drawn, want %d (the log's failovers)", got, want)
			}
			// Each failover is an arrow between two lanes, whose tooltip gives the reason.
			tips := browsertest.Eval[[]string](t, p, `Array.from(document.querySelectorAll("#timeline .tl .mark.failover")).map(m => m.querySelector("line") ? m.querySelector("title").textContent : "no arrow")`)
			for _, tip := range tips {
				if !strings.Contains(tip, "reason: ") {
					t.Errorf("a failover mark is %q, want an arrow whose tooltip gives the reason", tip)
				}
			}
			graphs := min(24, len(report.Build(r.World, runOf(book, r, nil)).Graphs))
			if got := browsertest.Eval[int](t, p, `document.querySelectorAll("#groups .graph").length`); got != graphs {
				t.Errorf("%d dependency graphs drawn, want %d", got, graphs)
			}
			checkTranscriptFilters(t, p, len(events))
			if book == failing {
				if got := browsertest.Eval[string](t, p, `document.getElementById("result").textContent + " | " + document.getElementById("error").textContent`); !strings.Contains(got, "failed | ") || !strings.Contains(got, `the Cluster Group stays on NODE1: got "NODE2"`) {
					t.Errorf("the failed run shows %q, want the failure and its error", got)
				}
				if browsertest.Eval[int](t, p, `document.querySelectorAll("#timeline .tl .mark.failure").length`) != 1 {
					t.Error("the failed run has no failure mark on the timeline")
				}
			}
			if errs := p.Errors(); len(errs) > 0 {
				t.Errorf("the page logged errors: %q", errs)
			}
			for _, u := range p.Requests() {
				if !strings.HasPrefix(u, "file://") || !strings.HasSuffix(u, ".html") {
					t.Errorf("the page asked for %s; it must be self-contained", u)
				}
			}
		})
	}
}

// checkTranscriptFilters unticks every kind but failover, then filters the
// text, and checks the rows shown each time.
func checkTranscriptFilters(t *testing.T, p *browsertest.Page, total int) {
	t.Helper()
	rows := `document.querySelectorAll("#transcript tbody tr").length`
	if got := browsertest.Eval[int](t, p, rows); got != min(total, 200) {
		t.Errorf("the transcript's first page has %d rows, want %d", got, min(total, 200))
	}
	want := browsertest.Eval[int](t, p, `(() => { const d = JSON.parse(document.getElementById("report-data").textContent).transcript;
		const k = d.kinds.indexOf("state"); return d.kind.filter(x => x === k).length; })()`)
	browsertest.Eval[bool](t, p, `(() => { document.querySelectorAll("#transcript input[type=checkbox]").forEach(b => {
		if (b.dataset.kind !== "state") { b.checked = false; b.dispatchEvent(new Event("change")); } }); return true; })()`)
	kinds := browsertest.Eval[[]string](t, p, `Array.from(document.querySelectorAll("#transcript tbody td.kind")).map(td => td.textContent)`)
	if len(kinds) != min(want, 200) {
		t.Errorf("with only state ticked, %d rows shown, want %d", len(kinds), min(want, 200))
	}
	for _, k := range kinds {
		if k != "state" {
			t.Errorf("with only state ticked, a %s row is shown", k)
			break
		}
	}
	pager := browsertest.Eval[string](t, p, `document.querySelector("#transcript .pager .page").textContent`)
	if !strings.Contains(pager, fmt.Sprintf("%d of %d events", want, total)) {
		t.Errorf("the pager says %q, want %d of %d events", pager, want, total)
	}
	// The text filter runs after a short pause in typing; wait for it.
	browsertest.Eval[bool](t, p, `(() => { const i = document.getElementById("filter-text"); i.value = "ONLINE"; i.dispatchEvent(new Event("input")); return true; })()`)
	want = browsertest.Eval[int](t, p, `(() => { const d = JSON.parse(document.getElementById("report-data").textContent).transcript;
		const k = d.kinds.indexOf("state"); return d.kind.filter((x, i) => x === k && d.text[i].toLowerCase().includes("online")).length; })()`)
	p.Wait(t, fmt.Sprintf(`document.querySelector("#transcript .pager .page").textContent.includes(" %d of %d events")`, want, total))
	texts := browsertest.Eval[[]string](t, p, `Array.from(document.querySelectorAll("#transcript tbody td.text")).map(td => td.textContent)`)
	if len(texts) != min(want, 200) {
		t.Errorf("filtered by text, %d rows shown, want %d", len(texts), min(want, 200))
	}
	for _, x := range texts {
		if !strings.Contains(strings.ToLower(x), "online") {
			t.Errorf("filtered by the text ONLINE, the row %q is shown", x)
			break
		}
	}
}
