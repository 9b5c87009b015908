//go:build unix

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startREPL starts the real binary's REPL on a pipe, holding state, and
// returns once the REPL holds the state file's lock (its lock file names
// the process).
func startREPL(t *testing.T, dir, state string) (*exec.Cmd, *os.File) {
	t.Helper()
	cmd := exec.Command(binary(t), "repl", "--state", state)
	cmd.Dir = dir
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdin = r
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r.Close()
	want := fmt.Sprintf("process %d (clusterscript repl)", cmd.Process.Pid)
	for i := 0; ; i++ {
		b, _ := os.ReadFile(state + ".lock")
		if strings.HasPrefix(string(b), want) {
			break
		}
		if i == 3000 {
			cmd.Process.Kill()
			t.Fatalf("the REPL never took the lock; lock file %q, output:\n%s", b, out.String())
		}
		time.Sleep(10 * time.Millisecond) // polling for another process, not timing anything
	}
	return cmd, w
}

func cliRun(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), string(out)
		}
		t.Fatal(err)
	}
	return 0, string(out)
}

// TestStateLockTwoProcesses: while one process holds a state file, a
// second run on it is refused at once naming the holder; with --wait it
// runs once the first is done, and neither's changes are lost.
func TestStateLockTwoProcesses(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "lab.json")
	os.WriteFile(filepath.Join(dir, "b.star"), []byte("install_server(\"B\")\n"), 0o644)
	repl, in := startREPL(t, dir, state)
	pid := repl.Process.Pid

	code, out := cliRun(t, dir, "run", "b.star", "--state", state)
	if code != 1 || !strings.Contains(out, fmt.Sprintf("process %d (clusterscript repl)", pid)) || !strings.Contains(out, "--wait") {
		t.Errorf("second run while the REPL holds the file: exit %d, want 1 naming process %d\n%s", code, pid, out)
	}
	code, out = cliRun(t, dir, "repl", "--state", state)
	if code != 1 || !strings.Contains(out, "is in use") {
		t.Errorf("second repl: exit %d, want 1\n%s", code, out)
	}

	waiter := exec.Command(binary(t), "run", "b.star", "--state", state, "--wait")
	waiter.Dir = dir
	wout, err := os.Create(filepath.Join(t.TempDir(), "waiter.out"))
	if err != nil {
		t.Fatal(err)
	}
	defer wout.Close()
	waiter.Stdout, waiter.Stderr = wout, wout
	if err := waiter.Start(); err != nil {
		t.Fatal(err)
	}
	said := func() string { b, _ := os.ReadFile(wout.Name()); return string(b) }
	for i := 0; !strings.Contains(said(), "waiting for"); i++ {
		if i == 3000 {
			t.Fatalf("the --wait run never said it waits:\n%s", said())
		}
		time.Sleep(10 * time.Millisecond)
	}
	fmt.Fprintln(in, `install_server("A")`)
	in.Close()
	if err := repl.Wait(); err != nil {
		t.Fatalf("the REPL failed: %v", err)
	}
	if err := waiter.Wait(); err != nil {
		t.Fatalf("the --wait run failed: %v\n%s", err, said())
	}
	doc, _ := os.ReadFile(state)
	if !strings.Contains(string(doc), `"name":"A"`) || !strings.Contains(string(doc), `"name":"B"`) {
		t.Errorf("a change was lost; the state file holds:\n%s", doc)
	}
}

// TestStateLockStale: the lock of a killed process does not block.
func TestStateLockStale(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "lab.json")
	os.WriteFile(filepath.Join(dir, "b.star"), []byte("install_server(\"B\")\n"), 0o644)
	repl, in := startREPL(t, dir, state)
	repl.Process.Signal(syscall.SIGKILL)
	repl.Wait()
	in.Close()
	if b, _ := os.ReadFile(state + ".lock"); len(b) == 0 {
		t.Fatal("the killed REPL left no lock file, so this test proves nothing")
	}
	if code, out := cliRun(t, dir, "run", "b.star", "--state", state); code != 0 {
		t.Errorf("run after the holder was killed: exit %d\n%s", code, out)
	}
}
