package golden

import (
	"flag"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts from the runbooks")

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
