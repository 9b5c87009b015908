package lang_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"clusterscript/builtins"
	"clusterscript/lang"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the want sections of lang/testdata/*.txt")

// An archive is a test case in testdata/*.txt: comment lines, then files
// introduced by "-- name --" lines. The file "want" holds the expected
// output; every other file is part of the runbook folder, main.star first.
type archive struct {
	comment string
	names   []string
	files   map[string]string
}

func parseArchive(data string) *archive {
	a := &archive{files: map[string]string{}}
	cur := ""
	var body strings.Builder
	flush := func() {
		if cur == "" {
			a.comment = body.String()
		} else {
			a.names = append(a.names, cur)
			a.files[cur] = body.String()
		}
		body.Reset()
	}
	for _, line := range strings.SplitAfter(data, "\n") {
		t := strings.TrimRight(line, "\n")
		if strings.HasPrefix(t, "-- ") && strings.HasSuffix(t, " --") && len(t) > 6 {
			flush()
			cur = t[3 : len(t)-3]
			continue
		}
		body.WriteString(line)
	}
	flush()
	return a
}

func (a *archive) format() string {
	var b strings.Builder
	b.WriteString(a.comment)
	for _, n := range a.names {
		fmt.Fprintf(&b, "-- %s --\n%s", n, a.files[n])
	}
	return b.String()
}

// option reads "# name: value" from the comment.
func (a *archive) option(name string) string {
	for _, line := range strings.Split(a.comment, "\n") {
		if v, ok := strings.CutPrefix(line, "# "+name+": "); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// TestErrorRendering runs testdata/*.txt and compares what `clusterscript
// run` would print on stderr, and its exit code, with the want section.
// Run `go test ./lang -update` to rewrite them, then read the diff.
func TestErrorRendering(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no testdata/*.txt: %v", err)
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txt"), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			a := parseArchive(string(data))
			got := render(t, a)
			if *update {
				if a.files["want"] != got {
					if _, ok := a.files["want"]; !ok {
						a.names = append(a.names, "want")
					}
					a.files["want"] = got
					if err := os.WriteFile(path, []byte(a.format()), 0o644); err != nil {
						t.Fatal(err)
					}
					t.Logf("updated %s", path)
				}
				return
			}
			if want := a.files["want"]; want != got {
				t.Errorf("%s: output differs (-want +got):\n%s", path, cmp.Diff(strings.SplitAfter(want, "\n"), strings.SplitAfter(got, "\n")))
			}
		})
	}
}

func render(t *testing.T, a *archive) string {
	fsys := fstest.MapFS{}
	for _, n := range a.names {
		if n != "want" {
			fsys[n] = &fstest.MapFile{Data: []byte(a.files[n])}
		}
	}
	var out bytes.Buffer
	s := lang.NewSession(builtins.Plugin.NewWorld(), builtins.Registry(), &out)
	s.Files, s.Dir = fsys, "runbooks"
	if v := a.option("max-steps"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		s.MaxSteps = n
	}
	_, err := s.ExecFile("main.star")
	if err == nil {
		return "exit 0\n"
	}
	return fmt.Sprintf("exit %d\n%s", lang.ExitCode(err), lang.FormatError(err, s.Progress()))
}
