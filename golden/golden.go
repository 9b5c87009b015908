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
	r := Result{Runbook: runbook}
	gp, err := GoldenPath(root, runbook)
	if err != nil {
		r.Problem = err.Error()
		return r
	}
	r.Golden = gp
	first, w, err := Transcript(runbook)
	if err != nil {
		r.Problem = "the runbook failed:\n" + err.Error()
		return r
	}
	second, _, err := Transcript(runbook)
	if err != nil {
		r.Problem = "the second run failed:\n" + err.Error()
		return r
	}
	if !bytes.Equal(first, second) {
		r.Problem = "two runs gave different transcripts (the engine is not deterministic):\n" +
			udiff.Unified("first run", "second run", string(first), string(second))
		return r
	}
	if p := roundTrip(w); p != "" {
		r.Problem = p
		return r
	}
	want, err := os.ReadFile(gp)
	if update {
		if err == nil && bytes.Equal(want, first) {
			return r
		}
		if err := os.MkdirAll(filepath.Dir(gp), 0o755); err != nil {
			r.Problem = err.Error()
			return r
		}
		if err := os.WriteFile(gp, first, 0o644); err != nil {
			r.Problem = err.Error()
			return r
		}
		r.Updated = true
		return r
	}
	if err != nil {
		r.Problem = fmt.Sprintf("no golden transcript %s; run `clusterscript test --update %s` to create it", gp, runbook)
		return r
	}
	if !bytes.Equal(want, first) {
		r.Problem = fmt.Sprintf("transcript differs from %s; `clusterscript test --update %s` accepts it:\n%s",
			gp, runbook, udiff.Unified(gp, "transcript of "+runbook, string(want), string(first)))
	}
	return r
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
		return "the state file does not round-trip: " + firstDifference(a, b)
	}
	return ""
}

// firstDifference shows where two one-line documents part: the byte offset
// and some text of each around it.
func firstDifference(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-60)
	show := func(x []byte) string { return string(x[from:min(len(x), i+60)]) }
	return fmt.Sprintf("saved and reloaded-and-saved part at byte %d:\n  saved:    %s\n  reloaded: %s", i, show(a), show(b))
}
