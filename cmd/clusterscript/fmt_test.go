package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clusterscript/lang"
)

func TestFmt(t *testing.T) {
	messy := "load(\"@stdlib//lab.star\", \"build_lab\")\nlab = build_lab(nodes=2,\n  data_disks = 1)\n"
	tidy := "load(\"@stdlib//lab.star\", \"build_lab\")\n\nlab = build_lab(\n    nodes = 2,\n    data_disks = 1,\n)\n"
	dir := files(t, map[string]string{
		"runbooks/a.star":     messy,
		"runbooks/sub/b.star": tidy,
		"runbooks/notes.txt":  "not starlark (",
	})
	a, b := filepath.Join(dir, "runbooks", "a.star"), filepath.Join(dir, "runbooks", "sub", "b.star")
	if err := os.Chmod(a, 0o600); err != nil {
		t.Fatal(err)
	}

	r := run("fmt", "--check", filepath.Join(dir, "runbooks"))
	r.expect(t, lang.ExitFailed, "1 of 2 files are not formatted")
	if r.stdout != a+"\n" {
		t.Errorf("fmt --check lists %q, want only %s", r.stdout, a)
	}
	if string(read(t, a)) != messy {
		t.Errorf("fmt --check changed %s", a)
	}

	run("fmt", filepath.Join(dir, "runbooks")).expect(t, lang.ExitOK)
	if got := string(read(t, a)); got != tidy {
		t.Errorf("fmt wrote\n%s\nwant\n%s", got, tidy)
	}
	if info, err := os.Stat(a); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("fmt changed the mode of %s: %v %v", a, info.Mode(), err)
	}
	if r := run("fmt", "--check", a, b); r.code != lang.ExitOK || r.stdout != "" {
		t.Errorf("fmt --check on formatted files: %+v", r)
	}

	run("fmt").expect(t, lang.ExitUsage, "give one or more .star files or folders")
	run("fmt", filepath.Join(dir, "missing.star")).expect(t, lang.ExitUsage, "cannot read")
	bad := files(t, map[string]string{"bad.star": "x = (\n", "loop.star": "n = 0\nwhile n < 3:\n    n += 1\n"})
	run("fmt", "--check", bad).expect(t, lang.ExitUsage, "bad.star:2:1: ", "loop.star:2:", "knows no while loops")
}

func TestLint(t *testing.T) {
	dir := files(t, map[string]string{
		"clean.star": "load(\"@stdlib//lab.star\", \"build_lab\")\n\nlab = build_lab()\n",
		"unused.star": "load(\"@stdlib//lab.star\", \"build_lab\", \"lab_server\")\n\nlab = build_lab()\n" +
			"def f():\n    x = 1\n    return 2\n",
	})
	if r := run("lint", filepath.Join(dir, "clean.star")); r.code != lang.ExitOK || r.stdout != "" {
		t.Errorf("lint on a clean file: %+v", r)
	}
	r := run("lint", dir)
	r.expect(t, lang.ExitFailed)
	p := filepath.Join(dir, "unused.star")
	want := p + `:1:41: Loaded symbol "lab_server" is unused. (load)` + "\n" +
		p + `:5:5: Variable "x" is unused. (unused-variable)` + "\n"
	if r.stdout != want {
		t.Errorf("lint printed\n%s\nwant\n%s", r.stdout, want)
	}
	// The exit code of --help belongs to the command-line conventions.
	r = run("lint", "--help")
	help := r.stdout + r.stderr
	for _, s := range []string{"unused-variable", "buildifier: disable="} {
		if !strings.Contains(help, s) {
			t.Errorf("lint --help does not say %q:\n%s", s, help)
		}
	}
	if strings.Count(help, "\n  ") < 9 {
		t.Errorf("lint --help does not list every warning:\n%s", help)
	}
}
