package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"clusterscript/lang"
)

// A runReport ends a run: it prints the error, if any, on stderr and, with
// --json, one last line on stdout that says how the run ended
// (docs/json.md), so that a program reading the events learns the result
// from the same stream.
type runReport struct {
	json           bool
	stdout, stderr io.Writer
	colour         bool // colour the error: stderr is a terminal
}

// runResult is the last line of `clusterscript run --json`.
type runResult struct {
	Result    string `json:"result"` // "ok", "failed" (exit 1) or "error" (exit 2: it did not run)
	Exit      int    `json:"exit"`
	Error     string `json:"error,omitempty"`     // where and what: "drill.star:12:5: move_group: ..."
	Procedure string `json:"procedure,omitempty"` // the procedure in progress when it failed
	Step      int    `json:"step,omitempty"`      // and its step
}

func (r runReport) ok() int { return r.end(runResult{Result: "ok", Exit: lang.ExitOK}) }

// usage ends a run that did not start: bad arguments.
func (r runReport) usage(msg string) int {
	fmt.Fprintf(r.stderr, "clusterscript run: %s\n", msg)
	return r.end(runResult{Result: "error", Exit: lang.ExitUsage, Error: msg})
}

// failed ends a run on an error outside the runbook: a state file that
// cannot be read or written, a transcript that cannot be written.
func (r runReport) failed(err error) int {
	r.printError(fmt.Sprintf("clusterscript: %v\n", err))
	return r.end(runResult{Result: "failed", Exit: lang.ExitFailed, Error: err.Error()})
}

// runFailed ends a run whose runbook failed, or did not start for a
// static error.
func (r runReport) runFailed(err error, p lang.Progress) int {
	r.printError(lang.FormatError(err, p))
	code := lang.ExitCode(err)
	res := runResult{Result: "failed", Exit: code, Procedure: p.Procedure, Step: p.Step}
	if code == lang.ExitUsage {
		res.Result = "error"
	}
	// The error without the procedure (a field of its own) and the
	// backtrace: a static error may be several lines, one per error.
	msg := lang.FormatError(err, lang.Progress{})
	msg, _, _ = strings.Cut(msg, "Traceback (most recent call last):")
	res.Error = strings.TrimRight(msg, "\n")
	return r.end(res)
}

func (r runReport) printError(msg string) {
	if r.colour {
		msg = lang.PaintError(msg)
	}
	fmt.Fprint(r.stderr, msg)
}

func (r runReport) end(res runResult) int {
	if r.json {
		line, _ := json.Marshal(res) // strings and ints always encode
		fmt.Fprintf(r.stdout, "%s\n", line)
	}
	return res.Exit
}
