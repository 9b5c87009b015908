// Package testtool finds the programs that tests run for real: Chromium,
// Pacemaker's command line, Graphviz. When one is missing the test is
// skipped with the command that installs it, except under CI (the
// environment variable CI is "true"), where it fails: .ci/run installs
// them, so a missing one there is a broken build, not a reason to pass.
package testtool

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Find returns the path of the first of names found on PATH; install is
// how to get one on Debian ("apt-get install -y graphviz"). With none
// found it skips the test, or fails it under CI.
func Find(tb testing.TB, install string, names ...string) string {
	tb.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	what := names[0] + " is not installed"
	if len(names) > 1 {
		what = "none of " + strings.Join(names, ", ") + " is on PATH"
	}
	Missing(tb, fmt.Sprintf("%s; install it, e.g. on Debian: apt-get update && %s", what, install))
	return ""
}

// Missing ends a test that lacks what msg says: skipped, or failed under
// CI.
func Missing(tb testing.TB, msg string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatal(msg + " (CI must install it: .ci/run)")
	}
	tb.Skip(msg)
}
