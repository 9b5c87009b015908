package explore

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"clusterscript/lang"
)

// The report is built from a Header and one Record per case, and from
// nothing else: an unsharded run, and shards' JSON joined by Merge, give
// the same bytes. docs/explore.md describes both formats.

// FormatVersion is the version of the JSON format, the header's "explore".
const FormatVersion = 1

// A Header describes an exploration (the first line of --json): what was
// explored, with what, and which shard of it a file holds.
type Header struct {
	Explore int      `json:"explore"` // FormatVersion
	Runbook string   `json:"runbook"`
	Source  string   `json:"source"`  // a digest of the runbook's text
	Version string   `json:"version"` // the program's version
	Args    []string `json:"args,omitempty"`
	Faults  []Kind   `json:"faults"`
	Depth   int      `json:"depth"`
	Points  int      `json:"points"`
	Labels  []string `json:"labels"` // each point's where, in order
	Cases   int      `json:"cases"`  // in the whole exploration
	Shard   string   `json:"shard,omitempty"`
}

// A Record is one case's result (one line of --json).
type Record struct {
	Case    string `json:"case"`
	Point   int    `json:"point"` // the (first) fault's point, from 1
	Where   string `json:"where"` // that point's label
	Kind    Kind   `json:"kind"`  // the (first) fault's kind
	Fault   string `json:"fault"` // the fault as a call; a pair joined by " then "
	Outcome string `json:"outcome"`
	Reason  string `json:"reason"`
	Replay  string `json:"replay"`
	Index   int    `json:"index"` // the case's index (sharding)
}

// Header describes the exploration, or a shard of it.
func (x *Explorer) Header(sh Shard) Header {
	h := Header{
		Explore: FormatVersion, Runbook: x.opt.Display, Source: x.source, Version: x.opt.Version,
		Args: x.args(), Faults: x.opt.Kinds, Depth: x.opt.Depth, Points: len(x.Points), Cases: len(x.cases),
		Shard: sh.String(), Labels: []string{},
	}
	for _, p := range x.Points {
		h.Labels = append(h.Labels, p.Where)
	}
	return h
}

// Record is a result as its JSON line has it.
func (x *Explorer) Record(r Result) Record {
	first := r.Case.targets[0]
	var calls []string
	for _, t := range r.Case.targets {
		calls = append(calls, x.Points[t.point-1].Faults[t.fault].Call())
	}
	return Record{
		Case: r.Case.ID, Point: first.point, Where: x.Points[first.point-1].Where,
		Kind: x.Points[first.point-1].Faults[first.fault].Kind, Fault: strings.Join(calls, " then "),
		Outcome: r.Outcome, Reason: r.Reason, Replay: x.Replay(r.Case.ID), Index: r.Case.Index,
	}
}

// Records are results as their JSON lines have them, in the same order.
func (x *Explorer) Records(results []Result) []Record {
	recs := make([]Record, len(results))
	for i, r := range results {
		recs[i] = x.Record(r)
	}
	return recs
}

// args are the options a replay repeats: --state, --set, --max-steps.
func (x *Explorer) args() []string {
	var out []string
	if x.opt.StateFile != "" {
		out = append(out, "--state", x.opt.StateFile)
	}
	for _, kv := range x.opt.Sets {
		out = append(out, "--set", kv)
	}
	if x.opt.MaxSteps != lang.DefaultMaxSteps {
		out = append(out, "--max-steps", strconv.FormatUint(x.opt.MaxSteps, 10))
	}
	return out
}

// Replay is the command that prints a case's full transcript.
func (x *Explorer) Replay(id string) string {
	words := append([]string{"clusterscript", "explore", x.opt.Display}, x.args()...)
	words = append(words, "--case", id)
	for i, w := range words {
		words[i] = shellQuote(w)
	}
	return strings.Join(words, " ")
}

// shellQuote quotes a word for a POSIX shell when it needs it.
func shellQuote(w string) string {
	if w != "" && strings.Trim(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") == "" {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}

// WriteJSON writes the header and one line per record, in index order.
func WriteJSON(out io.Writer, h Header, recs []Record) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(h); err != nil {
		return err
	}
	for _, r := range byIndex(recs) {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	_, err := out.Write(b.Bytes())
	return err
}

func byIndex(recs []Record) []Record {
	out := slices.Clone(recs)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Index < out[j].Index })
	return out
}

// marks are the matrix's marks, by outcome.
var marks = map[string]byte{Survived: '.', Broken: 'B', Unavailable: 'U', RunbookFailed: 'F', StepLimit: 'S'}

func rank(outcome string) int { return slices.Index(Outcomes, outcome) }

// WriteReport writes the report: a summary, the matrix of points by kinds
// of fault, then every case that did not survive, worst first, with its
// reason and the command that replays it.
func WriteReport(out io.Writer, h Header, recs []Record) error {
	var b bytes.Buffer
	recs = byIndex(recs)
	count := map[string]int{}
	for _, r := range recs {
		count[r.Outcome]++
	}
	fmt.Fprintf(&b, "explore %s\n", h.Runbook)
	fmt.Fprintf(&b, "%s, %s (depth %d; faults: %s)\n", plural(h.Points, "point"), plural(h.Cases, "case"), h.Depth, strings.Join(kindNames(h.Faults), ", "))
	if h.Shard != "" {
		fmt.Fprintf(&b, "shard %s: %d of the %d cases\n", h.Shard, len(recs), h.Cases)
	}
	var counts []string
	for _, o := range Outcomes {
		if count[o] > 0 || o == Survived {
			counts = append(counts, fmt.Sprintf("%d %s", count[o], o))
		}
	}
	fmt.Fprintf(&b, "outcomes: %s\n\n", strings.Join(counts, ", "))
	writeMatrix(&b, h, recs)
	var bad []Record
	for _, r := range recs {
		if r.Outcome != Survived {
			bad = append(bad, r)
		}
	}
	sort.SliceStable(bad, func(i, j int) bool { return rank(bad[i].Outcome) < rank(bad[j].Outcome) })
	if len(bad) == 0 {
		b.WriteString("\nEvery case survived.\n")
	}
	for i, r := range bad {
		if i == 0 || r.Outcome != bad[i-1].Outcome {
			fmt.Fprintf(&b, "\n%s: %s\n", r.Outcome, plural(count[r.Outcome], "case"))
		}
		fmt.Fprintf(&b, "  %s  %s at point %d, %s\n", r.Case, r.Fault, r.Point, r.Where)
		pad := strings.Repeat(" ", len(r.Case)+4)
		fmt.Fprintf(&b, "%s%s\n%s%s\n", pad, r.Reason, pad, r.Replay)
	}
	_, err := out.Write(b.Bytes())
	return err
}

// writeMatrix draws a row per point and a column per kind of fault, a mark
// per fault: the outcome of its case (at depth 2, the worst of the cases it
// starts), in the order of the fault IDs.
func writeMatrix(b *bytes.Buffer, h Header, recs []Record) {
	type cell struct {
		faults []int // fault numbers, in order
		worst  map[int]string
	}
	cells := make([]map[Kind]*cell, h.Points+1)
	for _, r := range recs {
		if r.Point < 1 || r.Point > h.Points {
			continue
		}
		first, _, _ := strings.Cut(r.Case, "+")
		_, fs, _ := strings.Cut(first, ".")
		n, _ := strconv.Atoi(fs)
		if cells[r.Point] == nil {
			cells[r.Point] = map[Kind]*cell{}
		}
		c := cells[r.Point][r.Kind]
		if c == nil {
			c = &cell{worst: map[int]string{}}
			cells[r.Point][r.Kind] = c
		}
		if w, ok := c.worst[n]; !ok {
			c.faults = append(c.faults, n)
			c.worst[n] = r.Outcome
		} else if rank(r.Outcome) < rank(w) {
			c.worst[n] = r.Outcome
		}
	}
	rows := make([][]string, h.Points)
	widths := make([]int, len(h.Faults))
	for i, k := range h.Faults {
		widths[i] = len(k)
	}
	for p := 1; p <= h.Points; p++ {
		row := make([]string, len(h.Faults))
		for i, k := range h.Faults {
			c := cells[p][k]
			if c == nil {
				row[i] = "-"
			} else {
				sort.Ints(c.faults)
				m := make([]byte, len(c.faults))
				for j, n := range c.faults {
					m[j] = marks[c.worst[n]]
				}
				row[i] = string(m)
			}
			widths[i] = max(widths[i], len(row[i]))
		}
		rows[p-1] = row
	}
	pw := max(len("point"), len(strconv.Itoa(h.Points)))
	line := func(first string, cols []string, where string) {
		fmt.Fprintf(b, "%*s", pw, first)
		for i, c := range cols {
			fmt.Fprintf(b, "  %-*s", widths[i], c)
		}
		fmt.Fprintf(b, "  %s\n", where)
	}
	line("point", kindNames(h.Faults), "where")
	for p, row := range rows {
		where := ""
		if p < len(h.Labels) {
			where = h.Labels[p]
		}
		line(strconv.Itoa(p+1), row, where)
	}
	fmt.Fprintf(b, "\nOne mark per fault, in the order of its ID (point.fault): . survived, B broken, U unavailable,\n"+
		"F runbook-failed, S step-limit; - no such fault there.")
	if h.Depth == 2 {
		b.WriteString(" At depth 2 a mark is the worst case the fault starts.")
	}
	b.WriteString("\n")
}

// ReadJSON reads one file of --json output: its header and its records.
func ReadJSON(name string, in io.Reader) (Header, []Record, error) {
	var h Header
	var recs []Record
	seenHeader := false
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(line, &fields); err != nil {
			return h, nil, fmt.Errorf("%s:%d: not a line of `clusterscript explore --json`: %v", name, n, err)
		}
		if _, isCase := fields["case"]; isCase {
			var r Record
			if err := json.Unmarshal(line, &r); err != nil {
				return h, nil, fmt.Errorf("%s:%d: a case line that does not read: %v", name, n, err)
			}
			recs = append(recs, r)
			continue
		}
		if seenHeader {
			return h, nil, fmt.Errorf("%s:%d: a second header line; give each shard's output as a file of its own", name, n)
		}
		if err := json.Unmarshal(line, &h); err != nil || h.Explore == 0 {
			return h, nil, fmt.Errorf("%s:%d: not the header of `clusterscript explore --json` output", name, n)
		}
		seenHeader = true
	}
	if err := sc.Err(); err != nil {
		return h, nil, fmt.Errorf("%s: %v", name, err)
	}
	if !seenHeader {
		return h, nil, fmt.Errorf("%s: no header line; is it the output of `clusterscript explore --json`?", name)
	}
	if h.Explore != FormatVersion {
		return h, nil, fmt.Errorf("%s: written in format %d of explore's JSON; this clusterscript reads format %d", name, h.Explore, FormatVersion)
	}
	return h, recs, nil
}

// A Part is one file given to Merge: its name and its parsed content.
type Part struct {
	Name    string
	Header  Header
	Records []Record
}

// Merge joins the shards of one exploration into the whole: the same
// header and records an unsharded run gives. It refuses parts of other
// runbooks, versions or options, a shard given twice, a shard missing.
func Merge(parts []Part) (Header, []Record, error) {
	if len(parts) == 0 {
		return Header{}, nil, fmt.Errorf("no files to merge")
	}
	h := parts[0].Header
	whole := h
	whole.Shard = ""
	count := -1
	have := map[int]string{}
	var recs []Record
	seen := map[int]string{}
	for _, p := range parts {
		if d := differs(parts[0], p); d != "" {
			return Header{}, nil, fmt.Errorf("%s and %s are not shards of one exploration: %s", parts[0].Name, p.Name, d)
		}
		sh := Shard{0, 1}
		if p.Header.Shard != "" {
			var err error
			if sh, err = ParseShard(p.Header.Shard); err != nil {
				return Header{}, nil, fmt.Errorf("%s: %v", p.Name, err)
			}
		}
		if count >= 0 && sh.Count != count {
			return Header{}, nil, fmt.Errorf("%s is shard %s but %s is shard %s: the shards of one exploration share their count", p.Name, sh, parts[0].Name, parts[0].Header.Shard)
		}
		count = sh.Count
		if prev, dup := have[sh.Index]; dup {
			return Header{}, nil, fmt.Errorf("%s and %s are both shard %s", prev, p.Name, sh)
		}
		have[sh.Index] = p.Name
		for _, r := range p.Records {
			if r.Index < 0 || r.Index >= h.Cases || !sh.Has(r.Index) {
				return Header{}, nil, fmt.Errorf("%s: case %s (index %d) is not one of shard %s's", p.Name, r.Case, r.Index, sh)
			}
			if prev, dup := seen[r.Index]; dup {
				return Header{}, nil, fmt.Errorf("case %s is in both %s and %s", r.Case, prev, p.Name)
			}
			seen[r.Index] = p.Name
			recs = append(recs, r)
		}
	}
	for i := 0; i < count; i++ {
		if _, ok := have[i]; !ok {
			return Header{}, nil, fmt.Errorf("shard %d/%d is missing; give every shard's file", i, count)
		}
	}
	if len(recs) != h.Cases {
		return Header{}, nil, fmt.Errorf("the files hold %d of the %d cases; a shard stopped early (run it again)", len(recs), h.Cases)
	}
	return whole, byIndex(recs), nil
}

// differs says how two parts' explorations differ, or "".
func differs(a, b Part) string {
	x, y := a.Header, b.Header
	switch {
	case x.Runbook != y.Runbook:
		return fmt.Sprintf("one explores %s, the other %s", x.Runbook, y.Runbook)
	case x.Source != y.Source:
		return fmt.Sprintf("the runbook %s changed between them (its digest is %s in one, %s in the other)", x.Runbook, x.Source, y.Source)
	case x.Version != y.Version:
		return fmt.Sprintf("they were written by different versions (%s and %s)", x.Version, y.Version)
	case !slices.Equal(x.Args, y.Args):
		return fmt.Sprintf("they were run with different options (%q and %q)", strings.Join(x.Args, " "), strings.Join(y.Args, " "))
	case !slices.Equal(x.Faults, y.Faults) || x.Depth != y.Depth:
		return fmt.Sprintf("they explore different faults or depths (%v depth %d and %v depth %d)", x.Faults, x.Depth, y.Faults, y.Depth)
	case x.Points != y.Points || x.Cases != y.Cases || !slices.Equal(x.Labels, y.Labels):
		return "their fault-free runs found different points"
	}
	return ""
}
