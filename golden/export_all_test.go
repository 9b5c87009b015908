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

// The change log and the world agree: for every runbook (each starts from
// an empty world), the CIB written from the run's changes and the one
// written with --all from the world it left are the same document, and
// --all knows every disk's signature, as the change log does.
func TestExportAllAgreesWithTheChangeLog(t *testing.T) {
	books, err := Find("..", nil)
	if err != nil {
		t.Fatal(err)
	}
	body := func(doc []byte) string { // the document without its header comments
		lines := strings.Split(string(doc), "\n")
		for i, l := range lines {
			if strings.HasPrefix(l, "<!-- not exported") || strings.HasPrefix(l, "<cib ") {
				return strings.Join(lines[i:], "\n")
			}
		}
		return ""
	}
	compared := 0
	for _, book := range books {
		_, w, err := Transcript(book)
		if err != nil {
			t.Fatalf("%s: %v", book, err)
		}
		write := func(target string, all bool) string {
			var b bytes.Buffer
			if err := export.Write(&b, target, export.Run{Runbook: book, Final: w}, all); err != nil {
				return "refused: " + err.Error()
			}
			return b.String()
		}
		changes, world := write(export.CIB, false), write(export.CIB, true)
		if body([]byte(changes)) != body([]byte(world)) {
			t.Errorf("%s: the CIB of the run's changes and the CIB of --all differ\n---- changes:\n%s\n---- --all:\n%s", book, changes, world)
		}
		if strings.Contains(changes, "<primitive") {
			compared++
		}
		for _, target := range []string{export.PowerShell, export.ClusterExe} {
			if out := write(target, true); strings.Contains(out, "is not known here") {
				t.Errorf("%s: export --all --to %s lost a disk signature the world has:\n%s", book, target, out)
			}
		}
	}
	if compared < 20 {
		t.Errorf("only %d runbooks export a CIB with primitives; the comparison should cover more", compared)
	}
}
