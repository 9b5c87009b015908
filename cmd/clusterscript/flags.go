package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"clusterscript/lang"

	"github.com/spf13/pflag"
)

// Flags are parsed by github.com/spf13/pflag, the flag package of cobra,
// kubectl and hugo, rather than by the standard library's flag: flags may
// come before or after the file (`run my.star --json` and `run --json
// my.star`), `--state=F` and `--state F` both work, --set repeats without
// splitting its value at commas (StringArray), -h and --help are
// recognised everywhere, and "--" ends the flags. It has no dependencies
// of its own. Every command parses with newFlags and parseFlags, so each
// answers --help with its usage and an example.

// A commandHelp is what `clusterscript CMD --help` shows besides the flags.
type commandHelp struct {
	name     string
	args     string // the command line after the command's name
	summary  string // one line
	examples []string
}

// commandHelps lists the commands in the order the usage shows them.
var commandHelps = []commandHelp{
	{"run", "FILE.star [--state F [--wait]] [--set name=value]... [--json] [--max-steps N] [--max-memory SIZE] [--color WHEN]",
		"runs a runbook and prints its transcript", []string{
			"clusterscript run runbooks/drills/node_crash.star",
			"clusterscript run my.star --state lab.json --set nodes=4 --json",
		}},
	{"repl", "[--state F [--wait]] [FILE.star] [--max-memory SIZE] [--color WHEN]",
		"starts an interactive session, on the world of F and after FILE.star if given", []string{
			"clusterscript repl --state lab.json",
			"clusterscript repl runbooks/lab/build_lab.star",
		}},
	{"test", "[PATH...] [--update] [--root DIR]",
		"runs runbooks and compares each transcript with its golden file (runbooks/ and golden/ under --root)", []string{
			"clusterscript test",
			"clusterscript test runbooks/drills --update",
		}},
	{"check", "FILE.star...",
		"parses and resolves runbooks without running them and reports every static error", []string{
			"clusterscript check runbooks/procedures/*.star",
		}},
	{"status", "STATE.json [NAME] [--json]",
		"shows the world saved in a state file, or one object of it, as the REPL's :state does; never writes the file", []string{
			"clusterscript status lab.json",
			`clusterscript status lab.json "EVS1 Group" --json`,
		}},
	{"import", "SOURCE --state OUT.json [--format powershell|cib] [--merge] [--wait]",
		"builds a world from a real cluster (a snapshot of docs/Export-ClusterSnapshot.ps1, or a Pacemaker CIB) and writes it as a state file to rehearse on", []string{
			"clusterscript import fs-snapshot.json --state fs.json",
			"clusterscript import cib.xml --state lab.json --format cib --merge",
		}},
	{"doc", "[NAME] [--markdown]",
		"lists the builtins, stdlib functions, value types and topics, or shows one in full; --markdown writes the whole reference", []string{
			"clusterscript doc",
			"clusterscript doc move_group",
			"clusterscript doc Group",
			"clusterscript doc --markdown > docs/reference.md",
		}},
	{"fmt", "[--check] PATH...",
		"formats runbooks as buildifier does, in place; --check lists the files that would change", []string{
			"clusterscript fmt runbooks/",
			"clusterscript fmt --check runbooks stdlib",
		}},
	{"explore", "FILE.star [--faults LIST] [--depth 1|2] [--json] [--case ID] [--jobs N] [--shard I/N | --shard-count N] [--state F] [--set name=value]... [--max-steps N], or: explore merge FILES... [--json]",
		"runs the runbook once per fault at every point it could strike and reports the cases it does not survive", []string{
			"clusterscript explore runbooks/drills/majority_quorum.star",
			"clusterscript explore runbooks/exchange_cluster_end_to_end.star --faults server,disk --case 30.2",
			"clusterscript explore runbooks/exchange_cluster_end_to_end.star --shard 0/4 --json > shard0.json",
			"clusterscript explore merge shard0.json shard1.json shard2.json shard3.json",
		}},
	{"report", "FILE.star [-o FILE.html] [--explore RESULTS.json] [--state F] [--set name=value]... [--max-steps N]",
		"rehearses a runbook and writes one self-contained HTML page about the run: timeline, dependency graphs, NLB maps, transcript (docs/report.md); a failed run gets its report too, and exit code 1", []string{
			"clusterscript report runbooks/drills/node_crash.star -o node_crash.html",
			"clusterscript report my.star --state lab.json --explore results.json -o my.html",
		}},
	{"graph", "FILE.star [--format dot|mermaid] [--state F] [--set name=value]... [--max-steps N]",
		"rehearses a runbook and prints the final world's clusters, groups, resources and dependencies as Graphviz DOT or Mermaid", []string{
			"clusterscript graph runbooks/exchange_cluster_end_to_end.star | dot -Tsvg > groups.svg",
			"clusterscript graph my.star --state lab.json --format mermaid",
		}},
	{"lint", "PATH...",
		"reports buildifier's warnings for runbooks (see --help for the list)", []string{
			"clusterscript lint runbooks/",
		}},
	{"export", "FILE.star --to powershell|cluster.exe|pcs|cib [--all] [--cluster NAME] [-o OUT] [--state F] [--set name=value]... [--max-steps N]",
		"rehearses a runbook and writes its configuration changes as a script for the real cluster (docs/export.md); never writes the state file", []string{
			"clusterscript export runbooks/exchange_cluster_end_to_end.star --to powershell -o build.ps1",
			"clusterscript export change.star --state lab.json --to cluster.exe",
			"clusterscript export runbooks/procedures/06_create_evs.star --to cib --all",
		}},
}

func helpFor(name string) (commandHelp, bool) {
	for _, h := range commandHelps {
		if h.name == name {
			return h, true
		}
	}
	return commandHelp{}, false
}

// newFlags makes the flag set of a command, with -h and --help. Flag
// errors are printed by parseFlags, so the set itself prints nothing.
func newFlags(name string, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	fs.SortFlags = false
	switchFlag(fs, "help", "h", "show this help")
	return fs
}

// switchFlag adds a flag that is on when given (--json), off otherwise;
// --json=false works too. It is pflag's BoolFunc rather than its Bool,
// whose help reads "--json[=true|false]".
func switchFlag(fs *pflag.FlagSet, name, short, usage string) *bool {
	on := new(bool)
	fs.BoolFuncP(name, short, usage, func(v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errors.New("give true or false")
		}
		*on = b
		return nil
	})
	return on
}

// parseFlags parses a command's arguments, flags anywhere among them. When
// the command is done (it was asked for --help, or a flag is wrong), done is
// set and code is its exit code; else pos holds the positional arguments.
func parseFlags(fs *pflag.FlagSet, args []string, stdout, stderr io.Writer) (pos []string, done bool, code int) {
	if i := slices.Index(args, "-help"); i >= 0 && !slices.Contains(args[:i], "--") {
		args = slices.Clone(args)
		args[i] = "--help" // what the standard library's flag package accepted
	}
	err := fs.Parse(args)
	switch {
	case err == nil && fs.Changed("help"), errors.Is(err, pflag.ErrHelp):
		writeHelp(stdout, fs)
		return nil, true, lang.ExitOK
	case err != nil:
		fmt.Fprintf(stderr, "clusterscript %s: %v\n", fs.Name(), err)
		if long := singleDashLong(fs, args); long != "" {
			fmt.Fprintf(stderr, "Long flags take two dashes: write --%s.\n", long)
		}
		fmt.Fprintf(stderr, "Run 'clusterscript %s --help' for its usage.\n", fs.Name())
		return nil, true, lang.ExitUsage
	}
	return fs.Args(), false, 0
}

// singleDashLong finds a long flag written with one dash (-state F), as
// the standard library's flag package allowed, and returns its name.
func singleDashLong(fs *pflag.FlagSet, args []string) string {
	for _, a := range args {
		if a == "--" {
			break
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(a, "-"), "=")
		if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && len(name) > 1 && fs.Lookup(name) != nil {
			return name
		}
	}
	return ""
}

// writeHelp writes a command's usage, its flags and examples.
func writeHelp(w io.Writer, fs *pflag.FlagSet) {
	h, _ := helpFor(fs.Name())
	fmt.Fprintf(w, "clusterscript %s: %s\n\nusage:\n  clusterscript %s %s\n", h.name, h.summary, h.name, h.args)
	fmt.Fprintf(w, "\nflags:\n%s", fs.FlagUsagesWrapped(78))
	if len(h.examples) > 0 {
		fmt.Fprintf(w, "\nexample:\n")
		for _, e := range h.examples {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
}

// usage is the help of the program as a whole.
func usage() string {
	var b strings.Builder
	b.WriteString("clusterscript: write, rehearse and test Windows cluster runbooks\n\nusage:\n")
	for _, h := range commandHelps {
		fmt.Fprintf(&b, "  clusterscript %s %s\n", h.name, h.args)
	}
	b.WriteString(`  clusterscript --version

'clusterscript CMD --help' shows a command's flags and examples.

exit codes: 0 success; 1 the runbook failed or a golden transcript differs;
2 bad usage or a static error.
`)
	return b.String()
}
