package builtins_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clusterscript/builtins"
	"clusterscript/lang"
	"clusterscript/runtime/core"
	"clusterscript/runtime/sim"
)

// TestWriteStateStreamsAtomically: the world is encoded straight into the
// temporary file, so an encoding that fails halfway must leave the old
// file as it was and no temporary file behind; one that succeeds reads
// back as the same world.
func TestWriteStateStreamsAtomically(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "world.json")
	w := sim.New()
	for i := range 400 { // enough for the encoder to write to the file before it reaches the disks
		if _, err := w.InstallServer(fmt.Sprintf("NODE%d", i+1), "enterprise", "2003", []string{"Public"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.CreateSharedDisk(core.DiskSpec{Label: "Quorum", SizeGB: 0.5, Servers: []string{"NODE1"}, Kind: "basic", FS: "NTFS", Letter: "Q:"}); err != nil {
		t.Fatal(err)
	}
	if err := lang.WriteState(path, builtins.NewWorld(w)); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	back, err := lang.ReadState(builtins.Plugin, path)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := back.Save(); string(again) != string(before) {
		t.Fatalf("the file does not read back to the world written:\n%s\n%s", before, again)
	}

	if len(before) < 64<<10 {
		t.Fatalf("the world takes %d bytes; the test needs the encoder to have written some of it to the file when it fails", len(before))
	}
	w.Disks[0].SizeGB = math.NaN() // JSON has no NaN: the encoding fails after the servers are written
	err = lang.WriteState(path, builtins.NewWorld(w))
	if err == nil || !strings.Contains(err.Error(), "state file "+path) || !strings.Contains(err.Error(), "NaN") {
		t.Fatalf("WriteState of an unencodable world: %v", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("a failed write changed the state file")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}
