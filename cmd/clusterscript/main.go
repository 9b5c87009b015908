// Command clusterscript runs, checks and tests cluster runbooks against a
// simulated Windows Server 2003 server cluster and NLB cluster.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"clusterscript/builtins"
	"clusterscript/golden"
	"clusterscript/lang"
	"clusterscript/lang/doc"
)

const usage = `clusterscript: write, rehearse and test Windows cluster runbooks

usage:
  clusterscript run FILE.star [--state F] [--set name=value]... [--json] [--max-steps N]
  clusterscript repl [--state F] [FILE.star]
  clusterscript test [PATH...] [--update]
  clusterscript check FILE.star...
  clusterscript doc [NAME] [--markdown]
  clusterscript fmt [--check] PATH...
  clusterscript lint PATH...

exit codes: 0 success; 1 the runbook failed or a golden transcript differs;
2 bad usage or a static error.
`

func main() {
	os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Main runs the command line and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
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
	case "doc":
		return cmdDoc(args[1:], stdout, stderr)
	case "fmt":
		return cmdFmt(args[1:], stdout, stderr)
	case "lint":
		return cmdLint(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return lang.ExitOK
	}
	fmt.Fprintf(stderr, "clusterscript: unknown command %q\n\n%s", args[0], usage)
	return lang.ExitUsage
}

// parseInterleaved parses flags that may come before or after the
// positional arguments.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("clusterscript "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func cmdRun(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("run", stderr)
	state := fs.String("state", "", "load the world from `F` and save it back after a successful run")
	var sets multiFlag
	fs.Var(&sets, "set", "supply a param() value as `name=value` (repeatable)")
	jsonOut := fs.Bool("json", false, "print the event log as JSON lines")
	maxSteps := fs.Uint64("max-steps", lang.DefaultMaxSteps, "stop runaway loops after `N` Starlark steps")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return lang.ExitUsage
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "clusterscript run: give exactly one runbook file\n")
		return lang.ExitUsage
	}
	if *maxSteps == 0 {
		fmt.Fprintf(stderr, "clusterscript run: --max-steps must be at least 1\n")
		return lang.ExitUsage
	}
	w := builtins.Plugin.NewWorld()
	if *state != "" {
		if w, err = lang.ReadState(builtins.Plugin, *state); err != nil {
			fmt.Fprintf(stderr, "clusterscript: %v\n", err)
			return lang.ExitFailed
		}
	}
	s, name, err := lang.Prepare(builtins.Plugin, pos[0], lang.RunOptions{
		Out: stdout, JSON: *jsonOut, MaxSteps: *maxSteps, Sets: sets, World: w,
	})
	if err != nil {
		fmt.Fprintf(stderr, "clusterscript run: %v\n", err)
		return lang.ExitUsage
	}
	stop := interruptOn(s)
	_, err = s.ExecFile(name)
	stop()
	if err != nil {
		fmt.Fprint(stderr, lang.FormatError(err, s.Progress()))
		return lang.ExitCode(err)
	}
	if werr := s.WriteErr(); werr != nil {
		fmt.Fprintf(stderr, "clusterscript: writing the transcript: %v\n", werr)
		return lang.ExitFailed
	}
	for _, n := range s.UnusedParams() {
		fmt.Fprintf(stderr, "clusterscript: warning: --set %s was not asked for by any param()\n", n)
	}
	if *state != "" {
		if err := lang.WriteState(*state, s.World); err != nil {
			fmt.Fprintf(stderr, "clusterscript: %v\n", err)
			return lang.ExitFailed
		}
	}
	return lang.ExitOK
}

// interruptOn cancels the session's Starlark threads on Ctrl-C; the
// returned function stops listening.
func interruptOn(s *lang.Session) func() {
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
	update := fs.Bool("update", false, "rewrite the golden transcripts")
	root := fs.String("root", ".", "the project folder holding runbooks/ and golden/")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return lang.ExitUsage
	}
	runbooks, err := golden.Find(*root, pos)
	if err != nil {
		fmt.Fprintf(stderr, "clusterscript test: %v\n", err)
		return lang.ExitUsage
	}
	if len(runbooks) == 0 {
		fmt.Fprintf(stderr, "clusterscript test: no runbooks found\n")
		return lang.ExitUsage
	}
	passed, failed := 0, 0
	for _, rb := range runbooks {
		r := golden.Check(*root, rb, *update)
		switch {
		case r.Problem != "":
			failed++
			fmt.Fprintf(stdout, "FAIL %s\n%s\n", rb, indent(r.Problem))
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
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return lang.ExitUsage
	}
	if len(pos) == 0 {
		fmt.Fprintf(stderr, "clusterscript check: give one or more runbook files\n")
		return lang.ExitUsage
	}
	code := lang.ExitOK
	for _, p := range pos {
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

func cmdDoc(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("doc", stderr)
	markdown := fs.Bool("markdown", false, "write the whole reference as Markdown (docs/reference.md)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return lang.ExitUsage
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
