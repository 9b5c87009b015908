package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"clusterscript/runtime/core"
)

// Outcomes of an explore case, from best to worst.
var Outcomes = []string{"survived", "step-limit", "runbook-failed", "unavailable", "broken"}

// Fault kinds, in the order of the matrix's columns.
var FaultKinds = []string{"server", "adapter", "disk", "resource", "system_disk"}

// A Matrix is the outcome of `clusterscript explore`: one row per point of
// the runbook where faults were injected, one column per kind of fault,
// and in each cell the worst outcome of its cases.
type Matrix struct {
	Kinds  []string      `json:"kinds"`
	Points []MatrixPoint `json:"points"`
	Cases  []Case        `json:"cases"`
}

// A MatrixPoint is one row of the matrix.
type MatrixPoint struct {
	Point int    `json:"point"`
	Where string `json:"where"`
	Cells []Cell `json:"cells"` // parallel to Matrix.Kinds
}

// A Cell is the cases of one point and fault kind.
type Cell struct {
	Outcome string `json:"outcome,omitempty"` // the worst; empty when no case
	Cases   []int  `json:"cases,omitempty"`   // indexes into Matrix.Cases
	Anchor  string `json:"anchor,omitempty"`  // the id of the cell's list of cases on the page
}

// A Case is one line of explore's --json output.
type Case struct {
	ID      string `json:"id"`
	Point   int    `json:"point"`
	Where   string `json:"where"`
	Kind    string `json:"kind"`
	Fault   string `json:"fault"`
	Outcome string `json:"outcome"`
	Reason  string `json:"reason"`
	Replay  string `json:"replay"`
	Anchor  string `json:"anchor"` // its id on the page
}

type caseLine struct {
	Case    json.RawMessage `json:"case"`
	Point   int             `json:"point"`
	Where   string          `json:"where"`
	Kind    string          `json:"kind"`
	Fault   string          `json:"fault"`
	Outcome string          `json:"outcome"`
	Reason  string          `json:"reason"`
	Replay  string          `json:"replay"`
}

// ParseExplore reads explore's --json output (one JSON object a line):
// the lines with a "case" field are cases, the others describe the run and
// are skipped. name is the file's name, for errors.
func ParseExplore(name string, data []byte) (*Matrix, error) {
	m := &Matrix{}
	kinds := map[string]bool{}
	for n, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var c caseLine
		if err := json.Unmarshal(line, &c); err != nil {
			return nil, fmt.Errorf("%s:%d: not a JSON object (%v); give the output of clusterscript explore --json", name, n+1, err)
		}
		if len(c.Case) == 0 || string(c.Case) == "null" {
			continue
		}
		id := string(c.Case)
		var s string
		if json.Unmarshal(c.Case, &s) == nil {
			id = s
		}
		switch {
		case c.Point < 1:
			return nil, fmt.Errorf("%s:%d: case %s has point %d; points are numbered from 1", name, n+1, id, c.Point)
		case rank(c.Outcome) < 0:
			return nil, fmt.Errorf("%s:%d: case %s has outcome %q; it must be one of %s", name, n+1, id, c.Outcome, strings.Join(Outcomes, ", "))
		case c.Kind == "":
			return nil, fmt.Errorf("%s:%d: case %s has no kind of fault; it must be one of %s", name, n+1, id, strings.Join(FaultKinds, ", "))
		}
		kinds[c.Kind] = true
		m.Cases = append(m.Cases, Case{ID: id, Point: c.Point, Where: c.Where, Kind: c.Kind, Fault: c.Fault,
			Outcome: c.Outcome, Reason: c.Reason, Replay: c.Replay, Anchor: fmt.Sprintf("case-%d", len(m.Cases)+1)})
	}
	if len(m.Cases) == 0 {
		return nil, fmt.Errorf("%s: no cases (lines with a \"case\" field); give the output of clusterscript explore --json", name)
	}
	// The known kinds in their order, then any others by name.
	for _, k := range FaultKinds {
		if kinds[k] {
			m.Kinds = append(m.Kinds, k)
			delete(kinds, k)
		}
	}
	m.Kinds = append(m.Kinds, core.SortedKeys(kinds)...)
	column := indexOf(m.Kinds)
	rows := map[int]int{}
	for i, c := range m.Cases {
		r, ok := rows[c.Point]
		if !ok {
			r = len(m.Points)
			rows[c.Point] = r
			m.Points = append(m.Points, MatrixPoint{Point: c.Point, Where: c.Where, Cells: make([]Cell, len(m.Kinds))})
		}
		cell := &m.Points[r].Cells[column[c.Kind]]
		cell.Cases = append(cell.Cases, i)
		if rank(c.Outcome) > rank(cell.Outcome) {
			cell.Outcome = c.Outcome
		}
		cell.Anchor = fmt.Sprintf("cell-%d-%s", c.Point, c.Kind)
	}
	slices.SortStableFunc(m.Points, func(a, b MatrixPoint) int { return a.Point - b.Point })
	return m, nil
}

// rank orders outcomes from survived (0) to broken (4); -1 for none.
func rank(outcome string) int { return slices.Index(Outcomes, outcome) }
