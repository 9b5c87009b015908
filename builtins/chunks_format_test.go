package builtins

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clusterscript/lang/format"
)

var reformat = flag.Bool("format", false, "rewrite testdata/*.star with each chunk formatted")

// TestChunksFormatted keeps the chunked test files formatted as `clusterscript
// fmt` formats a runbook, chunk by chunk (a whole file, with its "---"
// lines, is not Starlark). A chunk that is a deliberate syntax error is left
// alone.
func TestChunksFormatted(t *testing.T) {
	files, err := filepath.Glob("testdata/*.star")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/*.star: %v", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		chunks := strings.Split(string(data), "\n---\n")
		for i, c := range chunks {
			out, err := format.Source(file, []byte(strings.TrimSuffix(c, "\n")+"\n"))
			if err != nil {
				continue
			}
			if i < len(chunks)-1 {
				out = []byte(strings.TrimSuffix(string(out), "\n"))
			}
			chunks[i] = string(out)
		}
		got := strings.Join(chunks, "\n---\n")
		if got == string(data) {
			continue
		}
		if *reformat {
			if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("%s is not formatted; run go test ./builtins -run TestChunksFormatted -format", file)
	}
}
