//go:build unix

package main

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"clusterscript/builtins"
	"clusterscript/lang"
)

// TestStateWriteKilled kills runs that write a large state file at seeded
// random moments: the state file must always load, as the document of the
// last run that finished or of the killed one, and a killed writer's
// temporary file is gone once the next run holds the file.
func TestStateWriteKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary 40 times")
	}
	dir := t.TempDir()
	state := filepath.Join(dir, "lab.json")
	// Each run adds 400 servers named after its batch, so every
	// document differs from the one before.
	os.WriteFile(filepath.Join(dir, "grow.star"), []byte(`b = param("batch", 0)
for i in range(400):
    install_server("B%d-%d" % (b, i), adapters = ["Public", "Private", "Backup"])
`), 0o644)
	runBatch := func(batch int) *exec.Cmd {
		cmd := exec.Command(binary(t), "run", "grow.star", "--state", state, "--set", "batch="+strconv.Itoa(batch))
		cmd.Dir = dir
		return cmd
	}
	// loadedSize loads the state file and returns its size.
	loadedSize := func() int {
		b, _ := os.ReadFile(state)
		if _, err := lang.ReadState(builtins.Plugin, state); err != nil {
			t.Fatalf("the state file does not load: %v", err)
		}
		return len(b)
	}
	binary(t) // built before the first run is timed
	start := time.Now()
	if out, err := runBatch(0).CombinedOutput(); err != nil {
		t.Fatalf("first run: %v\n%s", err, out)
	}
	took := time.Since(start) // to spread the kills over a run, not asserted
	rng := rand.New(rand.NewPCG(17, 17))
	tempsSeen, size := 0, loadedSize()
	for batch := 1; batch <= 20; batch++ {
		cmd := runBatch(batch)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The write is the end of a run: aim at the second half.
		time.Sleep(took/2 + time.Duration(rng.Int64N(int64(took/2)+1)))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		n := loadedSize() // loads, or the test stops
		if n < size {
			t.Fatalf("after kill %d the state file shrank from %d to %d bytes", batch, size, n)
		}
		size = n
		temps, _ := filepath.Glob(filepath.Join(dir, ".lab.json.tmp-*"))
		if len(temps) > 1 {
			t.Fatalf("after kill %d, %d temporary files: %v", batch, len(temps), temps)
		}
		tempsSeen += len(temps)
	}
	if out, err := runBatch(99).CombinedOutput(); err != nil {
		t.Fatalf("run after the kills: %v\n%s", err, out)
	}
	loadedSize()
	if temps, _ := filepath.Glob(filepath.Join(dir, ".lab.json.tmp-*")); len(temps) != 0 {
		t.Errorf("temporary files left after a finished run: %v", temps)
	}
	t.Logf("20 kills, %d left a temporary file behind; a run took %v", tempsSeen, took)
}
