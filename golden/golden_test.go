package golden

import (
	"flag"
	"os"
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
