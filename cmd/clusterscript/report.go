package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"clusterscript/lang"
	"clusterscript/runtime/report"
	"clusterscript/runtime/sim"
)

// cmdReport rehearses a runbook and writes the HTML report of the run. A
// run that fails still gets its report, which shows the failure; the exit
// code then says the run failed.
func cmdReport(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("report", stderr)
	out := fs.StringP("output", "o", "", "write the page to `FILE.html` (default: the runbook's name with .html, in the current folder)")
	explore := fs.String("explore", "", "add the outcome matrix of `RESULTS.json`, the output of clusterscript explore --json")
	rf := addRehearsalFlags(fs)
	pos, done, code := parseFlags(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) != 1 {
		return commandUsage(stderr, "report", "give exactly one runbook file")
	}
	var matrix *report.Matrix
	if *explore != "" {
		data, err := os.ReadFile(*explore)
		if err != nil {
			return commandUsage(stderr, "report", fmt.Sprintf("--explore: %v", err))
		}
		if matrix, err = report.ParseExplore(*explore, data); err != nil {
			return commandUsage(stderr, "report", err.Error())
		}
	}
	target := *out
	if target == "" {
		target = strings.TrimSuffix(filepath.Base(pos[0]), ".star") + ".html"
	}
	return drawRehearsal(stderr, "report", pos[0], rf, func(r rehearsal, runErr error) error {
		page := report.Build(r.World, runOf(pos[0], r, runErr))
		page.Matrix = matrix
		if target == "-" {
			return page.WriteHTML(stdout)
		}
		var b bytes.Buffer
		if err := page.WriteHTML(&b); err != nil {
			return err
		}
		if err := os.WriteFile(target, b.Bytes(), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "clusterscript report: wrote %s (%d events, %d node lanes, %d groups)\n", target, len(page.Transcript.Seq), len(page.Lanes), len(page.Graphs))
		return nil
	})
}

// cmdGraph rehearses a runbook and prints the final world's dependency
// graph as DOT or Mermaid.
func cmdGraph(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("graph", stderr)
	format := fs.String("format", "dot", "`dot` (Graphviz) or mermaid")
	rf := addRehearsalFlags(fs)
	pos, done, code := parseFlags(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) != 1 {
		return commandUsage(stderr, "graph", "give exactly one runbook file")
	}
	write := map[string]func(io.Writer, *sim.World) error{"dot": report.WriteDOT, "mermaid": report.WriteMermaid}[*format]
	if write == nil {
		return commandUsage(stderr, "graph", fmt.Sprintf("--format %q: use dot or mermaid", *format))
	}
	return drawRehearsal(stderr, "graph", pos[0], rf, func(r rehearsal, _ error) error {
		return write(stdout, r.World)
	})
}

// drawRehearsal rehearses the runbook at path and gives the rehearsal to
// draw. A rehearsal that could not run stops first: bad usage (exit 2),
// an unreadable state file (1), or a runbook with a static error (2). A
// runbook that ran and failed is still drawn, and its error then printed
// (exit 1).
func drawRehearsal(stderr io.Writer, command, path string, rf rehearsalFlags, draw func(r rehearsal, runErr error) error) int {
	r, runErr, err := rf.rehearse(path, io.Discard)
	var u usageError
	switch {
	case errors.As(err, &u):
		return commandUsage(stderr, command, u.Error())
	case err != nil:
		fmt.Fprintf(stderr, "clusterscript: %v\n", err)
		return lang.ExitFailed
	case runErr != nil && lang.ExitCode(runErr) == lang.ExitUsage:
		fmt.Fprint(stderr, lang.FormatError(runErr, lang.Progress{}))
		return lang.ExitUsage
	}
	if err := draw(r, runErr); err != nil {
		fmt.Fprintf(stderr, "clusterscript %s: %v\n", command, err)
		return lang.ExitFailed
	}
	if runErr != nil {
		fmt.Fprint(stderr, lang.FormatError(runErr, r.Session.Progress()))
		return lang.ExitFailed
	}
	return lang.ExitOK
}

func commandUsage(stderr io.Writer, command, msg string) int {
	fmt.Fprintf(stderr, "clusterscript %s: %s\nRun 'clusterscript %s --help' for its usage.\n", command, msg, command)
	return lang.ExitUsage
}

// runOf says how a rehearsal ended, for the report.
func runOf(file string, r rehearsal, runErr error) report.Run {
	run := report.Run{File: file, Start: r.Start}
	if runErr != nil {
		p := r.Session.Progress()
		msg := lang.FormatError(runErr, lang.Progress{})
		msg, _, _ = strings.Cut(msg, "Traceback (most recent call last):")
		run.Error = strings.TrimRight(msg, "\n")
		run.Procedure, run.Step = p.Procedure, p.Step
	}
	return run
}
