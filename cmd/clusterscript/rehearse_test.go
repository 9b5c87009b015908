package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clusterscript/lang"

	"github.com/spf13/pflag"
)

func TestRehearseRunsWithoutWritingTheState(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "w.json")
	if r := run("run", "--state", state, "../../runbooks/procedures/01_create_cluster.star"); r.code != 0 {
		t.Fatalf("building the state: exit %d\n%s", r.code, r.stderr)
	}
	before, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	book := filepath.Join(dir, "crash.star")
	if err := os.WriteFile(book, []byte(`fail_server(get_server(param("node", default = "NODE1")))
settle()
`), 0o644); err != nil {
		t.Fatal(err)
	}
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	f := addRehearsalFlags(fs)
	if err := fs.Parse([]string{"--state", state, "--set", `node="NODE1"`}); err != nil {
		t.Fatal(err)
	}
	r, runErr, err := f.rehearse(book, io.Discard)
	if err != nil || runErr != nil {
		t.Fatalf("rehearse: %v, %v", err, runErr)
	}
	if r.Start == 0 || r.Start >= len(r.World.Log()) {
		t.Errorf("Start = %d of %d events: want the state file's events before it and the run's after", r.Start, len(r.World.Log()))
	}
	if got := r.World.Log()[r.Start].Text; !strings.Contains(got, "NODE1") {
		t.Errorf("first event of the run = %q, want the failure of NODE1", got)
	}
	after, _ := os.ReadFile(state)
	if string(after) != string(before) {
		t.Error("rehearse wrote the state file")
	}

	*f.maxSteps = 0
	if _, _, err := f.rehearse(book, io.Discard); !errors.As(err, new(usageError)) {
		t.Errorf("--max-steps 0: err = %v, want a usage error", err)
	}
}

// The commands that only read a state file refuse one that is not there:
// run makes a missing file, but a change script against an empty world
// would hide a mistyped name.
func TestRehearsalNeedsTheStateFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "lab.json")
	book := "../../runbooks/lab/build_lab.star"
	for _, args := range [][]string{
		{"export", book, "--to", "pcs", "--state", missing},
		{"report", book, "--state", missing},
		{"graph", book, "--state", missing},
		{"explore", book, "--state", missing},
	} {
		run(args...).expect(t, lang.ExitUsage, "cannot read state file "+missing, "only reads a state file")
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("a rehearsal made the state file")
	}
}
