package main

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"clusterscript/internal/spell"
	"clusterscript/lang"
	"clusterscript/runtime/export"
)

// cmdExport rehearses a runbook and writes its configuration changes as a
// script for the real systems (runtime/export, docs/export.md).
func cmdExport(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("export", stderr)
	to := fs.String("to", "", "the target: `"+strings.Join(export.Targets, "|")+"`")
	all := switchFlag(fs, "all", "", "export the whole configuration of the world the run leaves, not only the run's changes")
	only := fs.String("cluster", "", "export only what the run did to the server or NLB cluster `NAME` (and the prerequisites)")
	out := fs.StringP("output", "o", "", "write to `OUT` instead of stdout (replaced whole, never half-written)")
	rf := addRehearsalFlags(fs)
	pos, done, code := parseFlags(fs, args, stdout, stderr)
	if done {
		return code
	}
	bad := func(msg string) int {
		fmt.Fprintf(stderr, "clusterscript export: %s\n", msg)
		return lang.ExitUsage
	}
	if len(pos) != 1 {
		return bad("give exactly one runbook file")
	}
	if !slices.Contains(export.Targets, *to) {
		msg := "--to is required: " + strings.Join(export.Targets, ", ")
		if *to != "" {
			msg = fmt.Sprintf("unknown target %q; --to takes %s", *to, strings.Join(export.Targets, ", "))
			if s := spell.Nearest(*to, export.Targets); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
		}
		return bad(msg)
	}
	rf.changeScript = !*all // --all is written from the world the run leaves
	r, runErr, err := rf.rehearse(pos[0], io.Discard)
	if err != nil {
		if _, ok := err.(usageError); ok {
			return bad(err.Error())
		}
		fmt.Fprintf(stderr, "clusterscript export: %v\n", err)
		return lang.ExitFailed
	}
	if runErr != nil {
		fmt.Fprintf(stderr, "clusterscript export: the rehearsal failed, so there is nothing to export:\n%s", lang.FormatError(runErr, r.Session.Progress()))
		return lang.ExitFailed
	}
	var buf bytes.Buffer
	run := export.Run{Runbook: filepath.ToSlash(pos[0]), Final: r.World, Initial: r.Initial, Start: r.Start, Cluster: *only}
	if err := export.Write(&buf, *to, run, *all); err != nil {
		fmt.Fprintf(stderr, "clusterscript export: %v\n", err)
		return lang.ExitFailed
	}
	if *out == "" {
		if _, err := stdout.Write(buf.Bytes()); err != nil {
			return lang.ExitFailed
		}
		return lang.ExitOK
	}
	if err := lang.WriteFileAtomic(*out, buf.Bytes(), 0o600); err != nil {
		fmt.Fprintf(stderr, "clusterscript export: %v\n", err)
		return lang.ExitFailed
	}
	return lang.ExitOK
}
