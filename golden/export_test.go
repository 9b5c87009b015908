package golden

import (
	"testing"
)

// TestExports compares every runbook's exports with their goldens
// (golden/export/<target>/...); -update rewrites them.
func TestExports(t *testing.T) {
	runbooks, err := Find("..", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, rb := range runbooks {
		t.Run(rb[len("../runbooks/"):], func(t *testing.T) {
			r := CheckExports("..", rb, *update)
			if r.Problem != "" {
				t.Error(r.Problem)
			}
		})
	}
}
