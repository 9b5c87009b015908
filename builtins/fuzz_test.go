package builtins

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clusterscript/lang"
	"clusterscript/runtime/sim"
)

// FuzzRunbookSource feeds arbitrary bytes to the host as a runbook: they
// are parsed, resolved and run with the real builtins on an empty world,
// with a small step budget, in a folder holding the drills (so load() of
// a real module works). Whatever the bytes, the run ends with an ordinary
// error or none: never a panic or a crash of the Go runtime. The seeds are
// in testdata/fuzz/FuzzRunbookSource (the reproducers of issue 17: a NUL
// byte, a byte-order mark, deep nesting) and below (small real runbooks).
func FuzzRunbookSource(f *testing.F) {
	for _, name := range []string{"drills/failback_window.star", "drills/partition.star", "procedures/01_create_cluster.star"} {
		src, err := os.ReadFile(filepath.Join("..", "runbooks", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte("x = " + strings.Repeat("-", 2000) + "1\n"))
	f.Add([]byte("x = 1" + strings.Repeat(" + 1", 2000) + "\n"))
	reg := Registry()
	dir := filepath.Join("..", "runbooks", "drills")
	f.Fuzz(func(t *testing.T, src []byte) {
		w := NewWorld(sim.New())
		s := lang.NewSession(w, reg, &bytes.Buffer{})
		s.MaxSteps = fuzzSteps
		s.MaxMemory = fuzzMemory
		s.Files = lang.FolderFS(dir)
		_, err := s.ExecSource("fuzz.star", src)
		if err != nil && err.Error() == "" {
			t.Fatal("the run failed with an empty error")
		}
		// Whatever the run did, the world it leaves can be saved.
		if _, err := w.Save(); err != nil {
			t.Fatalf("the world the run left cannot be saved: %v", err)
		}
	})
}

const (
	fuzzSteps  = 10_000
	fuzzMemory = 1 << 30
)
