package golden

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts from the runbooks")

// TestMain turns on the rollback self-check: every catch() that fails in a
// runbook must leave the world exactly as it was.
func TestMain(m *testing.M) {
	checkRollbacks = true
	os.Exit(m.Run())
}

// TestRollbacksAreChecked makes sure the self-check runs: a runbook full of
// refused calls rolls back many transactions, each checked.
func TestRollbacksAreChecked(t *testing.T) {
	_, w, err := Transcript("../runbooks/procedures/04_install_exchange.star")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := w.RollbacksChecked(); n < 4 || err != nil {
		t.Errorf("%d rollbacks checked (%v); the runbook refuses at least 4 calls", n, err)
	}
}

// TestRunbooks runs every runbook under runbooks/ twice and compares its
// transcript with golden/<same path>.golden.
func TestRunbooks(t *testing.T) {
	runbooks, err := Find("..", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(runbooks) == 0 {
		t.Fatal("no runbooks found under ../runbooks")
	}
	for _, rb := range runbooks {
		t.Run(rb[len("../runbooks/"):], func(t *testing.T) {
			r := Check("..", rb, *update)
			if r.Problem != "" {
				t.Error(r.Problem)
			}
			if r.Updated {
				t.Logf("updated %s", r.Golden)
			}
		})
	}
}

// TestMismatchIsAUnifiedDiff checks what a golden mismatch prints: a
// unified diff of whole lines, the golden file as the old side.
func TestMismatchIsAUnifiedDiff(t *testing.T) {
	root := t.TempDir()
	for name, text := range map[string]string{
		"runbooks/r.star": "runbook(\"r\")\nnote(\"one\")\nnote(\"two\")\n",
		"golden/r.golden": "2004-01-05 08:00:00.000 runbook   r\n2004-01-05 08:00:00.000 note      one\n2004-01-05 08:00:00.000 note      three\n",
	} {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rb, gp := filepath.Join(root, "runbooks/r.star"), filepath.Join(root, "golden/r.golden")
	r := Check(root, rb, false)
	want := "--- " + gp + "\n+++ transcript of " + rb + "\n" + `@@ -1,3 +1,3 @@
 2004-01-05 08:00:00.000 runbook   r
 2004-01-05 08:00:00.000 note      one
-2004-01-05 08:00:00.000 note      three
+2004-01-05 08:00:00.000 note      two
`
	if !strings.HasSuffix(r.Problem, ":\n"+want) {
		t.Errorf("problem:\n%s\nwant it to end in:\n%s", r.Problem, want)
	}
}

// compare creates a missing golden file only with update, rewrites it only
// when it differs, and names the output in its problems.
func TestCompareUpdates(t *testing.T) {
	gp := filepath.Join(t.TempDir(), "sub", "x.sh")
	if up, p := compare(gp, []byte("a\n"), false, "r.star", "pcs export", "export"); up || !strings.HasPrefix(p, "no golden export "+gp) {
		t.Fatalf("missing golden: updated %v, problem %q", up, p)
	}
	if up, p := compare(gp, []byte("a\n"), true, "r.star", "pcs export", "export"); !up || p != "" {
		t.Fatalf("update of a missing golden: updated %v, problem %q", up, p)
	}
	if up, p := compare(gp, []byte("a\n"), true, "r.star", "pcs export", "export"); up || p != "" {
		t.Fatalf("update of an equal golden: updated %v, problem %q", up, p)
	}
	if up, p := compare(gp, []byte("b\n"), false, "r.star", "pcs export", "export"); up || !strings.HasPrefix(p, "the pcs export differs from "+gp) || !strings.Contains(p, "-a\n+b\n") {
		t.Fatalf("a different output: updated %v, problem %q", up, p)
	}
	if b, _ := os.ReadFile(gp); string(b) != "a\n" {
		t.Fatalf("compare without update wrote %q", b)
	}
}
