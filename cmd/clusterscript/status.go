package main

import (
	"fmt"
	"io"

	"clusterscript/builtins"
	"clusterscript/lang"
)

// cmdStatus shows the world a state file holds, or one object of it, as
// the REPL's :state does; it only reads the file.
func cmdStatus(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("status", stderr)
	jsonOut := switchFlag(fs, "json", "", "print the view as one JSON document (docs/json.md)")
	pos, done, code := parseFlags(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) == 0 || len(pos) > 2 {
		fmt.Fprintf(stderr, "clusterscript status: give a state file and at most one name\n")
		return lang.ExitUsage
	}
	path, name := pos[0], ""
	if len(pos) == 2 {
		name = pos[1]
	}
	// ReadState takes a missing file for an empty world, as run and repl
	// must; here a missing file is a mistyped name.
	if err := readableFile(path); err != nil {
		fmt.Fprintf(stderr, "clusterscript status: %v\n", &lang.FileError{What: "state file", Path: path, Err: err})
		return lang.ExitUsage
	}
	lw, err := lang.ReadState(builtins.Plugin, path)
	if err != nil {
		fmt.Fprintf(stderr, "clusterscript status: %v\n", err)
		return lang.ExitFailed
	}
	w := lw.(*builtins.World)
	var out []byte
	switch {
	case *jsonOut:
		out, err = w.StatusJSON(name)
	case name != "":
		var text string
		text, err = w.DrawObject(name)
		out = []byte(text)
	default:
		out = []byte(w.Draw())
	}
	if err != nil {
		fmt.Fprintf(stderr, "clusterscript status: %v\n", err)
		return lang.ExitUsage
	}
	if _, err := stdout.Write(out); err != nil {
		return lang.ExitFailed
	}
	return lang.ExitOK
}
