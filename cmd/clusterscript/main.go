// Command clusterscript runs, checks and tests cluster runbooks against a
// simulation of Windows server clusters (2003, and 2008 to 2022) and NLB
// clusters; it explores faults, draws reports, exports the rehearsed
// changes and imports real clusters.
package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"clusterscript/builtins"
	"clusterscript/golden"
	"clusterscript/internal/spell"
	"clusterscript/lang"
	"clusterscript/lang/doc"

	"github.com/spf13/pflag"
)

func main() {
	os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Main runs the command line and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage())
		return lang.ExitUsage
	}
	switch args[0] {
	case "run":
		return cmdRun(args[1:], stdout, stderr)
	case "repl":
		return cmdREPL(args[1:], stdin, stdout, stderr)
	case "test":
		return cmdTest(args[1:], stdout, stderr)
	case "check":
		return cmdCheck(args[1:], stdout, stderr)
	case "status":
		return cmdStatus(args[1:], stdout, stderr)
	case "import":
		return cmdImport(args[1:], stdout, stderr)
	case "doc":
		return cmdDoc(args[1:], stdout, stderr)
	case "fmt":
		return cmdFmt(args[1:], stdout, stderr)
	case "lint":
		return cmdLint(args[1:], stdout, stderr)
	case "explore":
		return cmdExplore(args[1:], stdout, stderr)
	case "report":
		return cmdReport(args[1:], stdout, stderr)
	case "graph":
		return cmdGraph(args[1:], stdout, stderr)
	case "export":
		return cmdExport(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[0] == "help" {
			if _, ok := helpFor(args[1]); ok {
				return Main([]string{args[1], "--help"}, stdin, stdout, stderr)
			}
		}
		fmt.Fprint(stdout, usage())
		return lang.ExitOK
	case "--version", "-version", "version":
		info, ok := debug.ReadBuildInfo()
		fmt.Fprintln(stdout, versionLine(info, ok))
		return lang.ExitOK
	}
	msg := fmt.Sprintf("clusterscript: unknown command %q", args[0])
	names := make([]string, len(commandHelps))
	for i, h := range commandHelps {
		names[i] = h.name
	}
	if s := spell.Nearest(args[0], names); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	fmt.Fprintf(stderr, "%s\n\n%s", msg, usage())
	return lang.ExitUsage
}

func cmdRun(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("run", stderr)
	state := fs.String("state", "", "load the world from `F` and save it back after a successful run")
	sets := fs.StringArray("set", nil, "supply a param() value as `name=value` (repeatable)")
	jsonOut := switchFlag(fs, "json", "", "print the events as JSON lines, then the result (docs/json.md)")
	maxSteps := fs.Uint64("max-steps", lang.DefaultMaxSteps, "stop runaway loops after `N` Starlark steps")
	maxMemory := memoryFlag(fs)
	wait := waitFlag(fs)
	colour := colourFlag(fs)
	pos, done, code := parseFlags(fs, args, stdout, stderr)
	if done {
		return code
	}
	res := runReport{json: *jsonOut, stdout: stdout, stderr: stderr, colour: colour.colours(stderr)}
	if len(pos) != 1 {
		return res.usage("give exactly one runbook file")
	}
	if *maxSteps == 0 {
		return res.usage("--max-steps must be at least 1")
	}
	budget, err := maxMemory.apply()
	if err != nil {
		return res.usage(err.Error())
	}
	w := builtins.Plugin.NewWorld()
	if *state != "" {
		lock, err := lockState(*state, "run", pos[0], *wait, stderr)
		if err != nil {
			return res.failed(err)
		}
		defer lock.Unlock()
		if w, err = lang.ReadState(builtins.Plugin, *state); err != nil {
			return res.failed(err)
		}
	}
	builtins.DiscardChanges(w) // only export reads the change log
	s, name, err := lang.Prepare(builtins.Plugin, pos[0], lang.RunOptions{
		Out: stdout, JSON: *jsonOut, MaxSteps: *maxSteps, MaxMemory: budget, Sets: *sets, World: w,
		Colour: !*jsonOut && colour.colours(stdout),
	})
	if err != nil {
		return res.usage(err.Error())
	}
	stop := interruptOn(s)
	_, err = s.ExecFile(name)
	stop()
	if err != nil {
		return res.runFailed(err, s.Progress())
	}
	if werr := s.WriteErr(); werr != nil {
		return res.failed(fmt.Errorf("writing the transcript: %w", werr))
	}
	for _, n := range s.UnusedParams() {
		fmt.Fprintf(stderr, "clusterscript: warning: --set %s was not asked for by any param()\n", n)
	}
	if *state != "" {
		if err := lang.WriteState(*state, s.World); err != nil {
			return res.failed(err)
		}
	}
	return res.ok()
}

// waitFlag adds --wait to a command that takes --state.
func waitFlag(fs *pflag.FlagSet) *bool {
	return switchFlag(fs, "wait", "", "when another process holds the --state file, wait for it instead of stopping")
}

// lockState takes the lock of a state file for a command (see
// lang.LockState), telling stderr whom it waits for.
func lockState(path, command, runbook string, wait bool, stderr io.Writer) (*lang.StateLock, error) {
	holder := "clusterscript " + command
	if runbook != "" {
		holder += " " + runbook
	}
	return lang.LockState(path, lang.LockOptions{Holder: holder, Wait: wait, Waiting: func(h string) {
		fmt.Fprintf(stderr, "clusterscript: waiting for %s, which holds %s\n", h, path)
	}})
}

// interruptOn cancels the session's Starlark threads (or an exploration's
// runs) on Ctrl-C; the returned function stops listening.
func interruptOn(s interface{ Interrupt(reason string) }) func() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt)
	done := make(chan struct{})
	go func() {
		select {
		case <-ch:
			s.Interrupt("interrupted (Ctrl-C)")
		case <-done:
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}

func cmdTest(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("test", stderr)
	update := switchFlag(fs, "update", "", "rewrite the golden transcripts")
	root := fs.String("root", ".", "the project folder holding runbooks/ and golden/")
	colour := colourFlag(fs)
	pos, done, code := parseFlags(fs, args, stdout, stderr)
	if done {
		return code
	}
	runbooks, err := golden.Find(*root, pos)
	if err != nil {
		fmt.Fprintf(stderr, "clusterscript test: %v\n", err)
		return lang.ExitUsage
	}
	fail := "FAIL"
	if colour.colours(stdout) {
		fail = lang.PaintError(fail)
	}
	if len(runbooks) == 0 {
		fmt.Fprintf(stderr, "clusterscript test: no runbooks found\n")
		return lang.ExitUsage
	}
	passed, failed := 0, 0
	for _, rb := range runbooks {
		r := golden.CheckAll(*root, rb, *update)
		switch {
		case r.Problem != "":
			failed++
			fmt.Fprintf(stdout, "%s %s\n%s\n", fail, rb, indent(r.Problem))
		case r.Updated:
			passed++
			fmt.Fprintf(stdout, "updated %s\n", r.Golden)
		default:
			passed++
			fmt.Fprintf(stdout, "ok   %s\n", rb)
		}
	}
	fmt.Fprintf(stdout, "%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return lang.ExitFailed
	}
	return lang.ExitOK
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

func cmdCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", stderr)
	pos, done, code := parseFlags(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) == 0 {
		fmt.Fprintf(stderr, "clusterscript check: give one or more runbook files\n")
		return lang.ExitUsage
	}
	code = lang.ExitOK
	for _, p := range pos {
		if err := readableFile(p); err != nil {
			fmt.Fprintln(stderr, &lang.FileError{What: "runbook", Path: p, Err: err})
			code = lang.ExitUsage
			continue
		}
		errs := lang.CheckFile(builtins.Registry(), p)
		for _, e := range errs {
			fmt.Fprintln(stderr, e)
		}
		if len(errs) > 0 {
			code = lang.ExitUsage
		} else {
			fmt.Fprintf(stdout, "ok   %s\n", p)
		}
	}
	return code
}

// readableFile is nil when path is a file, else why it cannot be read as
// a runbook.
func readableFile(path string) error {
	info, err := os.Stat(path)
	if err == nil && info.IsDir() {
		err = syscall.EISDIR
	}
	return err
}

func cmdDoc(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("doc", stderr)
	markdown := switchFlag(fs, "markdown", "", "write the whole reference as Markdown (docs/reference.md)")
	pos, done, code := parseFlags(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) > 1 || *markdown && len(pos) > 0 {
		fmt.Fprintf(stderr, "clusterscript doc: give at most one name, or --markdown alone\n")
		return lang.ExitUsage
	}
	ref, err := doc.New(builtins.Registry())
	if err != nil {
		fmt.Fprintf(stderr, "clusterscript doc: %v\n", err)
		return lang.ExitFailed
	}
	switch {
	case *markdown:
		ref.WriteMarkdown(stdout)
	case len(pos) == 1:
		if err := ref.WriteEntry(stdout, pos[0]); err != nil {
			fmt.Fprintf(stderr, "clusterscript doc: %v\n", err)
			return lang.ExitUsage
		}
	default:
		ref.WriteIndex(stdout)
	}
	return lang.ExitOK
}
