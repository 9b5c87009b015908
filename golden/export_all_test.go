package golden

import (
	"bytes"
	"strings"
	"testing"

	"clusterscript/runtime/export"
)

// export --all reads the final world, not the change log: what a runbook
// set by placement builtins (priority, anti-affinity) must come out of the
// world's objects too, or a cluster brought in by import would lose it.
func TestExportAllKeepsPlacement(t *testing.T) {
	for _, tc := range []struct {
		runbook string
		want    []string
	}{
		{"../runbooks/versions/anti_affinity_2019.star", []string{"AntiAffinityClassNames"}},
		{"../runbooks/versions/drain_patching_2016.star", []string{".Priority = 3000", ".Priority = 1000"}},
	} {
		_, w, err := Transcript(tc.runbook)
		if err != nil {
			t.Fatalf("%s: %v", tc.runbook, err)
		}
		var b bytes.Buffer
		if err := export.Write(&b, export.PowerShell, export.Run{Runbook: tc.runbook, Final: w}, true); err != nil {
			t.Fatal(err)
		}
		for _, s := range tc.want {
			if !strings.Contains(b.String(), s) {
				t.Errorf("export --all of %s has no %q:\n%s", tc.runbook, s, b.String())
			}
		}
	}
}
