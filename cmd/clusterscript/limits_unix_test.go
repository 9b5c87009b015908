//go:build unix

package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// These tests run the real binary (built by binary, on Unix): memory
// tests must not grow the test process itself.

// subprocess runs the real binary with a deadline that only guards
// against a hang (the test asserts nothing about time).
func subprocess(t *testing.T, dir, stdin string, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary(t), args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := cmd.ProcessState.ExitCode()
	if ctx.Err() != nil {
		t.Fatalf("%v did not end: %v\n%s", args, err, errOut.String())
	}
	return out.String(), errOut.String(), code
}

// A list doubled in a loop passes --max-memory: the run stops with exit 1
// and an error naming the line, instead of the machine running out.
func TestMaxMemory(t *testing.T) {
	dir := files(t, map[string]string{"grow.star": "runbook(\"grow\")\nx = [None]\nfor i in range(40):\n    x = x + x\nprint(len(x))\n"})
	_, stderr, code := subprocess(t, dir, "", "run", "--max-memory", "64MiB", "grow.star")
	// The line is that of the loop or of the statement in it, as the
	// watch catches it.
	if code != 1 || !strings.Contains(stderr, "  grow.star:") || !strings.Contains(stderr, " in <toplevel>") || !strings.Contains(stderr, "memory budget of 64 MiB (--max-memory) is used up") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	// In the REPL the statement fails and the session goes on.
	out, stderr, code := subprocess(t, dir, "y = [None]\nfor i in range(40):\n    y = y + y\n\nprint(\"still here\")\n", "repl", "--max-memory", "64MiB")
	if code != 1 || !strings.Contains(stderr, "--max-memory") || !strings.Contains(out, "still here") {
		t.Errorf("repl: exit %d, stdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	r := run("run", "--max-memory", "lots", filepath.Join(dir, "grow.star"))
	r.expect(t, 2, `"lots" is not a memory size`)
}

// The reproducer of issue 17: 1+1+…+1 of two million terms (4 MB) used
// to overflow the Go stack in the resolver and crash run and check.
func TestHugeExpression(t *testing.T) {
	dir := files(t, map[string]string{"big.star": "x = " + strings.Repeat("1+", 2_000_000) + "1\n"})
	for _, cmd := range []string{"run", "check"} {
		_, stderr, code := subprocess(t, dir, "", cmd, "big.star")
		if code != 2 || !strings.Contains(stderr, "big.star:1:5: expressions nest more than 1000 levels deep") || strings.Contains(stderr, "goroutine") {
			t.Errorf("%s: exit %d, stderr:\n%.500s", cmd, code, stderr)
		}
	}
}
