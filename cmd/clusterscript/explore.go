package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"clusterscript/builtins"
	"clusterscript/explore"
	"clusterscript/lang"

	"github.com/spf13/pflag"
)

// cmdExplore is `clusterscript explore FILE.star` (every fault at every
// point, docs/explore.md) and `clusterscript explore merge FILES...`.
func cmdExplore(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("explore", stderr)
	reh := addRehearsalFlags(fs)
	faults := fs.String("faults", "server,adapter,disk,resource,system_disk", "the kinds of fault to inject, separated by commas (`LIST`)")
	depth := fs.Int("depth", 1, "`1`: one fault per case; 2: also every pair of faults")
	jsonOut := switchFlag(fs, "json", "", "write a header line, then one JSON line per case (docs/explore.md)")
	caseID := fs.String("case", "", "print the full transcript of case `ID` (as the report names it) instead of exploring")
	jobs := fs.Int("jobs", explore.DefaultJobs(), "run `N` cases at once")
	shard := fs.String("shard", "", "run only the cases whose index is I modulo N (`I/N`, I counted from 0)")
	shardCount := fs.Int("shard-count", 0, "the number of shards `N` when JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) picks the shard")
	pos, done, code := parseFlags(fs, args, stdout, stderr)
	if done {
		return code
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "clusterscript explore: %s\n", fmt.Sprintf(format, a...))
		return lang.ExitUsage
	}
	if len(pos) > 0 && pos[0] == "merge" {
		var others []string
		fs.Visit(func(f *pflag.Flag) {
			if f.Name != "json" {
				others = append(others, "--"+f.Name)
			}
		})
		if len(others) > 0 {
			return usage("merge takes the shards' files and --json, not %s", strings.Join(others, ", "))
		}
		return exploreMerge(pos[1:], *jsonOut, stdout, stderr)
	}
	if len(pos) != 1 {
		return usage("give exactly one runbook file (or: explore merge FILES...)")
	}
	if err := readableFile(pos[0]); err != nil {
		fmt.Fprintf(stderr, "clusterscript explore: %v\n", &lang.FileError{What: "runbook", Path: pos[0], Err: err})
		return lang.ExitUsage
	}
	if *reh.maxSteps == 0 {
		return usage("--max-steps must be at least 1")
	}
	kinds, err := explore.ParseKinds(*faults)
	if err != nil {
		return usage("%v", err)
	}
	if *depth != 1 && *depth != 2 {
		return usage("--depth %d: give 1 (one fault per case) or 2 (also every pair of faults)", *depth)
	}
	if *jobs < 1 {
		return usage("--jobs %d: run at least 1 case at once", *jobs)
	}
	sh, err := pickShard(*shard, *shardCount, os.Getenv)
	if err != nil {
		return usage("%v", err)
	}
	if *caseID != "" && (*jsonOut || sh.Count > 0) {
		return usage("--case prints one case's transcript; it takes neither --json nor a shard")
	}
	opt := explore.Options{
		Path: pos[0], StateFile: *reh.state, Sets: *reh.sets, MaxSteps: *reh.maxSteps,
		Kinds: kinds, Depth: *depth, Jobs: *jobs, Version: strings.TrimPrefix(versionLine(debug.ReadBuildInfo()), "clusterscript "),
	}
	if *reh.state != "" {
		w, err := readStateFile(*reh.state)
		if _, bad := err.(usageError); bad {
			return usage("%v", err)
		}
		if err != nil {
			fmt.Fprintf(stderr, "clusterscript explore: %v\n", err)
			return lang.ExitFailed
		}
		opt.World = w.(*builtins.World).Sim()
	}
	x, err := explore.New(opt)
	if code, failed := exploreFailed(err, stderr); failed {
		return code
	}
	if *caseID != "" {
		return exploreCase(x, *caseID, stdout, stderr)
	}
	if sh.Count > 0 && os.Getenv("TEST_SHARD_STATUS_FILE") != "" {
		// Bazel asks a test that shards to touch this file.
		if f, err := os.OpenFile(os.Getenv("TEST_SHARD_STATUS_FILE"), os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			f.Close()
		}
	}
	stop := interruptOn(x)
	results, complete := x.Run(sh)
	stop()
	if !complete {
		fmt.Fprintf(stderr, "clusterscript explore: %s after %d of the cases\n", x.Interrupted(), len(results))
		return lang.ExitFailed
	}
	return writeExplore(x.Header(sh), x.Records(results), *jsonOut, stdout, stderr)
}

// exploreFailed prints why exploring could not start, and its exit code.
func exploreFailed(err error, stderr io.Writer) (int, bool) {
	var ue *explore.UsageError
	var ff *explore.FaultFreeError
	var fe *lang.FileError
	switch {
	case err == nil:
		return 0, false
	case errors.As(err, &ue), errors.As(err, &fe):
		fmt.Fprintf(stderr, "clusterscript explore: %v\n", err)
		return lang.ExitUsage, true
	case errors.As(err, &ff) && ff.Err != nil && lang.IsStatic(ff.Err):
		fmt.Fprintf(stderr, "%s\n", ff.Text)
		return lang.ExitUsage, true
	case errors.As(err, &ff):
		fmt.Fprintf(stderr, "clusterscript explore: the runbook fails without any fault, so there is nothing to explore; fix it first:\n%s\n", ff.Text)
		return lang.ExitFailed, true
	}
	fmt.Fprintf(stderr, "clusterscript explore: %v\n", err)
	return lang.ExitFailed, true
}

// exploreCase prints one case's transcript, then its outcome.
func exploreCase(x *explore.Explorer, id string, stdout, stderr io.Writer) int {
	c, err := x.Case(id)
	if code, failed := exploreFailed(err, stderr); failed {
		return code
	}
	res, s := x.RunCase(c, stdout)
	if err := s.WriteErr(); err != nil {
		fmt.Fprintf(stderr, "clusterscript explore: writing the transcript: %v\n", err)
		return lang.ExitFailed
	}
	rec := x.Record(res)
	fmt.Fprintf(stdout, "\ncase %s: %s at point %d, %s\noutcome: %s\n", rec.Case, rec.Fault, rec.Point, rec.Where, rec.Outcome)
	if rec.Reason != "" {
		fmt.Fprintf(stdout, "  %s\n", rec.Reason)
	}
	if rec.Outcome == explore.Survived {
		return lang.ExitOK
	}
	return lang.ExitFailed
}

// exploreMerge joins the --json files of the shards of one exploration
// and writes the report of the whole.
func exploreMerge(files []string, jsonOut bool, stdout, stderr io.Writer) int {
	if len(files) == 0 {
		fmt.Fprintf(stderr, "clusterscript explore: merge needs the --json files of the shards\n")
		return lang.ExitUsage
	}
	var parts []explore.Part
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "clusterscript explore: merge: %s: %s\n", name, lang.FileProblem(err))
			return lang.ExitUsage
		}
		h, recs, err := explore.ReadJSON(name, f)
		f.Close()
		if err != nil {
			fmt.Fprintf(stderr, "clusterscript explore: merge: %v\n", err)
			return lang.ExitUsage
		}
		parts = append(parts, explore.Part{Name: name, Header: h, Records: recs})
	}
	h, recs, err := explore.Merge(parts)
	if err != nil {
		fmt.Fprintf(stderr, "clusterscript explore: merge: %v\n", err)
		return lang.ExitUsage
	}
	return writeExplore(h, recs, jsonOut, stdout, stderr)
}

// writeExplore writes the report or the JSON lines; the exit code says
// whether every case survived.
func writeExplore(h explore.Header, recs []explore.Record, jsonOut bool, stdout, stderr io.Writer) int {
	var err error
	if jsonOut {
		err = explore.WriteJSON(stdout, h, recs)
	} else {
		err = explore.WriteReport(stdout, h, recs)
	}
	if err != nil {
		fmt.Fprintf(stderr, "clusterscript explore: writing the report: %v\n", err)
		return lang.ExitFailed
	}
	for _, r := range recs {
		if r.Outcome != explore.Survived {
			return lang.ExitFailed
		}
	}
	return lang.ExitOK
}

// pickShard chooses the shard to run: --shard I/N; else with --shard-count
// N, a Kubernetes Indexed Job's JOB_COMPLETION_INDEX; else Bazel's
// TEST_SHARD_INDEX and TEST_TOTAL_SHARDS; else every case.
func pickShard(flag string, count int, getenv func(string) string) (explore.Shard, error) {
	switch {
	case flag != "" && count != 0:
		return explore.Shard{}, fmt.Errorf("give --shard I/N, or --shard-count N with JOB_COMPLETION_INDEX, not both")
	case flag != "":
		return explore.ParseShard(flag)
	case count != 0:
		i := getenv("JOB_COMPLETION_INDEX")
		if i == "" {
			return explore.Shard{}, fmt.Errorf("--shard-count %d takes the shard's index from JOB_COMPLETION_INDEX, which a Kubernetes Indexed Job sets; it is not set (use --shard I/N elsewhere)", count)
		}
		sh, err := explore.ParseShard(i + "/" + fmt.Sprint(count))
		if err != nil {
			return sh, fmt.Errorf("JOB_COMPLETION_INDEX=%s with --shard-count %d: %v", i, count, err)
		}
		return sh, nil
	case getenv("TEST_TOTAL_SHARDS") != "":
		i, n := getenv("TEST_SHARD_INDEX"), getenv("TEST_TOTAL_SHARDS")
		sh, err := explore.ParseShard(i + "/" + n)
		if err != nil {
			return sh, fmt.Errorf("TEST_SHARD_INDEX=%q and TEST_TOTAL_SHARDS=%q (Bazel's test sharding): %v", i, n, err)
		}
		return sh, nil
	}
	return explore.Shard{}, nil
}
