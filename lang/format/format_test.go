package format

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bazelbuild/buildtools/warn"
)

func TestSource(t *testing.T) {
	src := `load("@stdlib//lab.star", "lab_server", "build_lab")
load("@stdlib//cluster.star", "build_cluster")
runbook("x")
def f(a,b = 1):
  return a+b
cl = build_cluster(build_lab(),
                   nodes = 2)
`
	want := `load("@stdlib//cluster.star", "build_cluster")
load("@stdlib//lab.star", "build_lab", "lab_server")

runbook("x")

def f(a, b = 1):
    return a + b

cl = build_cluster(
    build_lab(),
    nodes = 2,
)
`
	got, err := Source("x.star", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	again, err := Source("x.star", got)
	if err != nil || string(again) != string(got) {
		t.Errorf("formatting is not idempotent: %v\n%s", err, again)
	}
}

func TestSourceErrors(t *testing.T) {
	_, err := Source("bad.star", []byte("x = 1\ny = (\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "bad.star:3:1: ") {
		t.Errorf("a syntax error gives %v, want it at bad.star:3:1", err)
	}
	_, err = Source("loop.star", []byte("n = 0\nwhile n < 3:\n    n += 1\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "loop.star:2:") || !strings.Contains(err.Error(), "knows no while loops") {
		t.Errorf("a while loop gives %v, want buildifier's limit named", err)
	}
}

func TestLint(t *testing.T) {
	src := `load("@stdlib//lab.star", "build_lab", "lab_server")

lab = build_lab()
g = 1
g = 2
l = 4
g == 3

def f(x):
    y = 1
    if x:
        return 1
    fail("no")
    return 2

def h(a):
    if a:
        v = 1
    return v

def k(a):
    if a:
        return 1
    return

def long_helper(a):
    b = a + 1
    c = b + 1
    d = c + 1
    e = d + 1
    return e

print(f(1), h(1), k(1), g, l, lab, long_helper(1))
n = 1  # buildifier: disable=redefined-variable
n = 2  # buildifier: disable=redefined-variable
`
	ws, err := Lint("w.star", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range ws {
		got = append(got, w.String())
	}
	want := []string{
		`w.star:1:41: Loaded symbol "lab_server" is unused. (load)`,
		`w.star:5:1: Variable "g" has already been defined. (redefined-variable)`,
		`w.star:6:1: Never use 'l', 'I', or 'O' as names (they're too easily confused with 'I', 'l', or '0'). (confusing-name)`,
		`w.star:7:1: Expression result is not used. (no-effect)`,
		`w.star:9:1: The function "f" has no docstring. (function-docstring)`,
		`w.star:10:5: Variable "y" is unused. (unused-variable)`,
		`w.star:14:5: The statement is unreachable. (unreachable)`,
		`w.star:19:12: Variable "v" may not have been initialized. (uninitialized)`,
		`w.star:24:5: Some but not all execution paths of "k" return a value. (return-value)`,
		`w.star:26:1: The function "long_helper" has no docstring. (function-docstring)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	seen := map[string]bool{}
	for _, w := range ws {
		seen[w.Category] = true
	}
	for _, c := range Warnings {
		if !seen[c] {
			t.Errorf("the sample shows no %s warning", c)
		}
	}
}

// Every category lint reports exists in buildifier (a newer buildtools
// could drop or rename one) and is documented.
func TestWarningsKnown(t *testing.T) {
	if !slices.IsSorted(Warnings) {
		t.Errorf("Warnings are not sorted: %v", Warnings)
	}
	for _, c := range Warnings {
		if !slices.Contains(warn.AllWarnings, c) {
			t.Errorf("buildifier has no warning %q", c)
		}
		if WarningDocs[c] == "" {
			t.Errorf("warning %q has no line in WarningDocs", c)
		}
	}
	if len(WarningDocs) != len(Warnings) {
		t.Errorf("WarningDocs has %d entries, Warnings %d", len(WarningDocs), len(Warnings))
	}
}

// The repository's runbooks and stdlib are formatted (CI runs `clusterscript
// fmt --check runbooks stdlib` too) and lint-clean.
func TestRepositoryFormatted(t *testing.T) {
	files, err := Files([]string{"../../runbooks", "../../stdlib"})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 20 {
		t.Fatalf("found only %d .star files", len(files))
	}
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out, err := Source(p, src)
		if err != nil {
			t.Error(err)
			continue
		}
		if string(out) != string(src) {
			t.Errorf("%s is not formatted; run go run ./cmd/clusterscript fmt %s", p, filepath.Clean(strings.TrimPrefix(p, "../../")))
		}
		ws, err := Lint(p, src)
		if err != nil {
			t.Error(err)
		}
		for _, w := range ws {
			t.Errorf("lint: %s", w)
		}
	}
}

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.star", "a/c.star", "a/notes.txt", "z.star"} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Files([]string{filepath.Join(dir, "z.star"), dir})
	if err != nil {
		t.Fatal(err)
	}
	var rel []string
	for _, p := range got {
		r, _ := filepath.Rel(dir, p)
		rel = append(rel, filepath.ToSlash(r))
	}
	if strings.Join(rel, " ") != "a/c.star b.star z.star" {
		t.Errorf("Files = %v", rel)
	}
	if _, err := Files([]string{filepath.Join(dir, "missing")}); err == nil || !strings.Contains(err.Error(), "cannot read") {
		t.Errorf("a missing path gives %v", err)
	}
}
