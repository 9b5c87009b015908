// Package golden keeps every runbook honest: each runbooks/**.star has a
// golden/<same path>.golden holding the exact transcript of `clusterscript
// run`, and Check runs the runbooks and compares.
package golden

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"clusterscript/builtins"
	"clusterscript/internal/udiff"
	"clusterscript/lang"
	"clusterscript/lang/format"
	"clusterscript/runtime/core"
	"clusterscript/runtime/sim"
)

// A Result is the outcome for one runbook.
type Result struct {
	Runbook string // path of the .star file
	Golden  string // path of the .golden file
	Problem string // empty when the runbook passed
	Updated bool
}

// IsHelper reports whether a .star file under runbooks/ is a module loaded
// by runbooks rather than a runbook: its name starts with an underscore.
func IsHelper(path string) bool { return strings.HasPrefix(filepath.Base(path), "_") }

// Find lists the runbooks under the given paths (files or folders); with no
// paths, every runbook under root/runbooks. The list is sorted.
func Find(root string, paths []string) ([]string, error) {
	if len(paths) == 0 {
		paths = []string{filepath.Join(root, "runbooks")}
	}
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %s", p, lang.FileProblem(err))
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		files, err := format.Files([]string{p})
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if !IsHelper(f) {
				out = append(out, f)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// GoldenPath maps root/runbooks/a/b.star to root/golden/a/b.golden.
func GoldenPath(root, runbook string) (string, error) {
	abs, err := filepath.Abs(runbook)
	if err != nil {
		return "", err
	}
	base, err := filepath.Abs(filepath.Join(root, "runbooks"))
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(base, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", fmt.Errorf("%s is not under %s; golden transcripts exist only for runbooks under runbooks/", runbook, filepath.Join(root, "runbooks"))
	}
	return filepath.Join(root, "golden", strings.TrimSuffix(rel, ".star")+".golden"), nil
}

// checkRollbacks makes Transcript check every rollback (each refused
// catch()) against the world as its transaction began: the state file
// byte for byte, and every derived index (core.World.CheckRollbacks). The
// package's tests set it.
var checkRollbacks bool

// Transcript runs a runbook in an empty world and returns its transcript
// and final world.
func Transcript(path string) ([]byte, *sim.World, error) {
	var out bytes.Buffer
	w := sim.New()
	if checkRollbacks {
		w.CheckRollbacks()
	}
	s, err := lang.RunFile(builtins.Plugin, path, lang.RunOptions{Out: &out, World: builtins.NewWorld(w)})
	if err != nil {
		if s != nil {
			return out.Bytes(), builtins.SimOf(s), fmt.Errorf("%s", strings.TrimRight(lang.FormatError(err, s.Progress()), "\n"))
		}
		return out.Bytes(), nil, err
	}
	if _, err := w.RollbacksChecked(); err != nil {
		return out.Bytes(), w, fmt.Errorf("catch() did not roll back cleanly: %w", err)
	}
	return out.Bytes(), builtins.SimOf(s), nil
}

// Check runs one runbook twice, requires identical transcripts and an exact
// state-file round trip, and compares the transcript with its golden file
// (or rewrites the golden file when update is set).
func Check(root, runbook string, update bool) Result {
	r, _ := check(root, runbook, update)
	return r
}

// check is Check, also giving the world the first run left when both runs
// succeeded.
func check(root, runbook string, update bool) (Result, *sim.World) {
	r := Result{Runbook: runbook}
	gp, err := GoldenPath(root, runbook)
	if err != nil {
		r.Problem = err.Error()
		return r, nil
	}
	r.Golden = gp
	first, w, err := Transcript(runbook)
	if err != nil {
		r.Problem = "the runbook failed:\n" + err.Error()
		return r, nil
	}
	second, _, err := Transcript(runbook)
	if err != nil {
		r.Problem = "the second run failed:\n" + err.Error()
		return r, nil
	}
	if !bytes.Equal(first, second) {
		r.Problem = "two runs gave different transcripts (the engine is not deterministic):\n" +
			udiff.Unified("first run", "second run", string(first), string(second))
		return r, w
	}
	if p := roundTrip(w); p != "" {
		r.Problem = p
		return r, w
	}
	r.Updated, r.Problem = compare(gp, first, update, runbook, "transcript", "transcript")
	return r, w
}

// CheckAll is what `clusterscript test` does for a runbook: Check, then
// its export goldens from the world of the same run, then its explore
// golden. The result is the first problem, else the last golden rewritten.
func CheckAll(root, runbook string, update bool) Result {
	r, w := check(root, runbook, update)
	for _, more := range []func() Result{
		func() Result { return checkExports(root, runbook, w, update) },
		func() Result { return CheckExplore(root, runbook, update) },
	} {
		if r.Problem != "" {
			break
		}
		if e := more(); e.Problem != "" || e.Updated {
			r.Problem, r.Updated, r.Golden = e.Problem, e.Updated, e.Golden
		}
	}
	return r
}

// compare compares got, a runbook's output, with its golden file gp, or
// with update rewrites gp when they differ (updated says so). what names
// the output in problems: "transcript", "pcs export", "explore report";
// golden names it after "no golden" ("transcript", "export").
func compare(gp string, got []byte, update bool, runbook, what, golden string) (updated bool, problem string) {
	want, err := os.ReadFile(gp)
	switch {
	case update && err == nil && bytes.Equal(want, got):
	case update:
		if err := os.MkdirAll(filepath.Dir(gp), 0o755); err != nil {
			return false, err.Error()
		}
		if err := os.WriteFile(gp, got, 0o644); err != nil {
			return false, err.Error()
		}
		return true, ""
	case err != nil:
		return false, fmt.Sprintf("no golden %s %s; run `clusterscript test --update %s` to create it", golden, gp, runbook)
	case !bytes.Equal(want, got):
		return false, fmt.Sprintf("the %s differs from %s; `clusterscript test --update %s` accepts it:\n%s",
			what, gp, runbook, udiff.Unified(gp, what+" of "+runbook, string(want), string(got)))
	}
	return false, ""
}

// roundTrip saves the world, loads it and saves it again; the two
// documents must be identical.
func roundTrip(w *sim.World) string {
	a, err := w.Save()
	if err != nil {
		return "saving the final world failed: " + err.Error()
	}
	w2, err := sim.Load(a)
	if err != nil {
		return "loading the saved world failed: " + err.Error()
	}
	b, err := w2.Save()
	if err != nil {
		return "saving the reloaded world failed: " + err.Error()
	}
	if !bytes.Equal(a, b) {
		return "the state file does not round-trip (before: saved; after: loaded and saved again) " + core.FirstDifference(a, b)
	}
	return ""
}
