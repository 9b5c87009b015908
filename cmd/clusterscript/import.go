package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"clusterscript/builtins"
	"clusterscript/lang"
	"clusterscript/runtime/core"
	"clusterscript/runtime/importer"
)

// cmdImport builds a world from a real cluster's configuration (a snapshot
// of Export-ClusterSnapshot.ps1 or a Pacemaker CIB) and writes it as a
// state file: a new one, or with --merge added to an existing one. On any
// error nothing is written.
func cmdImport(args []string, stdout, stderr io.Writer) int {
	flags := newFlags("import", stderr)
	state := flags.String("state", "", "write the imported world to `F` (a new state file, unless --merge)")
	format := flags.String("format", "", "the input's format, `powershell` or cib (default: guessed from its first character)")
	merge := switchFlag(flags, "merge", "", "add to the world in the --state file instead of writing a new one; names must not clash")
	wait := waitFlag(flags)
	pos, done, code := parseFlags(flags, args, stdout, stderr)
	if done {
		return code
	}
	usage := func(format string, a ...any) int {
		return commandUsage(stderr, "import", fmt.Sprintf(format, a...))
	}
	switch {
	case len(pos) != 1:
		return usage("give exactly one SOURCE: a snapshot of Export-ClusterSnapshot.ps1 or a CIB (cibadmin -Q)")
	case *state == "":
		return usage("give --state OUT.json, the state file to write")
	case *format != "" && !slices.Contains(importer.Formats, *format):
		return usage("--format is %s, not %q", strings.Join(importer.Formats, " or "), *format)
	}
	source := pos[0]
	if err := readableFile(source); err != nil {
		return usage("%v", &lang.FileError{What: "source", Path: source, Err: err})
	}
	data, err := os.ReadFile(source)
	if err != nil {
		return usage("%v", &lang.FileError{What: "source", Path: source, Err: err})
	}
	lock, err := lockState(*state, "import", source, *wait, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "clusterscript import: %v\n", err)
		return lang.ExitFailed
	}
	defer lock.Unlock()
	if _, err := os.Stat(*state); err == nil && !*merge {
		return usage("%s already exists; give --merge to add to the world it holds, or another --state file", *state)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return usage("%v", &lang.FileError{What: "state file", Path: *state, Err: err})
	}
	lw, err := lang.ReadState(builtins.Plugin, *state) // a missing file is an empty world
	if err != nil {
		fmt.Fprintf(stderr, "clusterscript import: %v\n", err)
		return lang.ExitFailed
	}
	w := lw.(*builtins.World)
	start := len(w.Sim().Log())
	s, err := importer.Import(w.Sim(), data, *format, filepath.Base(source))
	if err != nil {
		fmt.Fprintf(stderr, "clusterscript import: %v\n%s was left as it was.\n", err, *state)
		return lang.ExitFailed
	}
	if err := lang.WriteState(*state, w); err != nil {
		fmt.Fprintf(stderr, "clusterscript import: %v\n", err)
		return lang.ExitFailed
	}
	warnings := 0
	for _, e := range w.Sim().Log()[start:] {
		if e.Kind == core.KindWarning {
			warnings++
			fmt.Fprintln(stdout, e.String())
		}
	}
	fmt.Fprintf(stdout, "imported %s from %s into %s (%d events, %d warnings); rehearse on it with: clusterscript run RUNBOOK.star --state %s\n",
		importer.Summary(s), source, *state, len(w.Sim().Log())-start, warnings, *state)
	return lang.ExitOK
}
