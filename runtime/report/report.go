// Package report turns a finished run (the world it left, its event log and
// how it ended) into pictures: a self-contained HTML page with a timeline,
// dependency graphs, NLB bucket maps, the transcript and an explore matrix,
// and the dependency graph as Graphviz DOT or Mermaid text. It is a pure
// translation: it reads values and bytes and writes to an io.Writer.
//
// The timeline is rebuilt from the event log alone (the world keeps no
// history): each event the engines write about a node, a group or an NLB
// rule is recognised by its kind, subject and the fixed wording the engines
// give it (events.go), and the result is checked against the final world.
package report

import (
	"clusterscript/runtime/core"
	"clusterscript/runtime/sim"
)

// A Run is how the run ended, as the command that ran it saw it.
type Run struct {
	File string // the runbook's path, as given
	// Title is the runbook's title; empty takes it from the run's runbook
	// event, else from File.
	Title string
	// Error is the run's failure, worded as the command line prints it
	// (position and rule); empty when the run succeeded.
	Error     string
	Procedure string // the procedure in progress when it failed
	Step      int    // and its step
	// Start is the index in the log of the run's first own event; the
	// events before it came with the world the run started from.
	Start int
}

// A Report is everything the page shows, computed from the run. Its fields
// are what the page's script draws; tests read them to compare with what
// the browser shows.
type Report struct {
	Title     string `json:"title"`
	File      string `json:"file"`
	OK        bool   `json:"ok"`
	Error     string `json:"error,omitempty"`
	Procedure string `json:"procedure,omitempty"`
	Step      int    `json:"step,omitempty"`

	From  int64  `json:"from"` // virtual time of the run's first event, ms since core.Epoch
	To    int64  `json:"to"`   // the clock at the end of the run
	Epoch string `json:"epoch"`
	Axis  Axis   `json:"axis"`

	Lanes []*Lane `json:"lanes"`
	Marks []Mark  `json:"marks"`

	Graphs []*Graph      `json:"graphs"`
	NLB    []*NLBCluster `json:"nlb"`

	Transcript Transcript `json:"transcript"`
	Matrix     *Matrix    `json:"matrix,omitempty"`

	// Problems lists where the timeline rebuilt from the log disagrees
	// with the final world (an event the report does not recognise); the
	// page shows them, and tests require none.
	Problems []string `json:"problems,omitempty"`
}

// Build computes the report of a run: w is the final world, run how the
// run ended. It never changes w.
func Build(w *sim.World, run Run) *Report {
	log := w.Log()
	start := min(max(run.Start, 0), len(log))
	r := &Report{
		File:      run.File,
		Title:     run.Title,
		OK:        run.Error == "",
		Error:     run.Error,
		Procedure: run.Procedure,
		Step:      run.Step,
		From:      w.Clock,
		To:        w.Clock,
		Epoch:     core.FormatTime(0),
	}
	if start < len(log) {
		r.From = log[start].At
	}
	if r.Title == "" {
		r.Title = runbookTitle(log[start:], run.File)
	}
	tl := replay(w, log, start, r.To)
	r.Lanes, r.Marks, r.Problems = tl.lanes, tl.marks, tl.problems
	if !r.OK {
		r.Marks = append(r.Marks, Mark{Kind: MarkFailure, At: r.To, Lane: -1, To: -1, Text: "the run failed: " + r.Error})
	}
	r.Axis = buildAxis(log[start:], r.From, r.To)
	r.Graphs = buildGraphs(w)
	r.NLB = buildNLB(w, log, start)
	r.Transcript = buildTranscript(log[start:])
	r.fillLists()
	return r
}

// fillLists gives every list of the report a value, so that the page's
// script reads [] where Go has nil.
func (r *Report) fillLists() {
	nonNil(&r.Lanes)
	nonNil(&r.Marks)
	nonNil(&r.Graphs)
	nonNil(&r.NLB)
	nonNil(&r.Axis.Gaps)
	for _, l := range r.Lanes {
		nonNil(&l.States)
		nonNil(&l.Groups)
	}
	for _, g := range r.Graphs {
		nonNil(&g.Nodes)
		nonNil(&g.Edges)
	}
	for _, c := range r.NLB {
		nonNil(&c.Hosts)
		nonNil(&c.Rules)
		for _, rule := range c.Rules {
			nonNil(&rule.Shares)
		}
	}
	nonNil(&r.Transcript.Kinds)
	nonNil(&r.Transcript.Subjects)
}

// nonNil makes a nil list an empty one.
func nonNil[T any](list *[]T) {
	if *list == nil {
		*list = []T{}
	}
}

// runbookTitle is the title the run's runbook() call gave, else the file.
func runbookTitle(events []core.Event, file string) string {
	for _, e := range events {
		if e.Kind == core.KindRunbook {
			return e.Text
		}
	}
	if file != "" {
		return file
	}
	return "clusterscript run"
}

// A Transcript is the run's events in columns: the page pages through them
// and filters them without a DOM row per event.
type Transcript struct {
	Kinds    []string `json:"kinds"`    // the kinds present, sorted
	Subjects []string `json:"subjects"` // the subjects present, in order of first use
	Seq      []int    `json:"seq"`
	At       []int64  `json:"at"`
	Kind     []int    `json:"kind"`    // index into Kinds
	Subject  []int    `json:"subject"` // index into Subjects, -1 for none
	Text     []string `json:"text"`
}

func buildTranscript(events []core.Event) Transcript {
	t := Transcript{
		Seq: make([]int, len(events)), At: make([]int64, len(events)),
		Kind: make([]int, len(events)), Subject: make([]int, len(events)), Text: make([]string, len(events)),
	}
	kinds := map[string]bool{}
	for _, e := range events {
		kinds[e.Kind] = true
	}
	t.Kinds = core.SortedKeys(kinds)
	kindIndex := indexOf(t.Kinds)
	subjects := map[string]int{}
	for i, e := range events {
		t.Seq[i], t.At[i], t.Text[i] = e.Seq, e.At, e.Text
		t.Kind[i] = kindIndex[e.Kind]
		t.Subject[i] = -1
		if e.Subject != "" {
			n, ok := subjects[e.Subject]
			if !ok {
				n = len(t.Subjects)
				subjects[e.Subject] = n
				t.Subjects = append(t.Subjects, e.Subject)
			}
			t.Subject[i] = n
		}
	}
	return t
}
