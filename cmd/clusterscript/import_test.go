package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sample(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "runtime", "importer", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestImportCommand: a new state file, refusals that write nothing, a
// merge, and the README's drill run on the imported world.
func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "fs-world.json")
	r := run("import", sample(t, "fileserver.json"), "--state", out)
	r.expect(t, 0)
	if !strings.Contains(r.stdout, "imported cluster FSCLUSTER (2 nodes, 2 groups, 8 resources) from ") ||
		!strings.Contains(r.stdout, "PendingTimeout 300000 ms dropped") || strings.Contains(r.stdout, "not yet imported") {
		t.Errorf("import printed:\n%s", r.stdout)
	}
	saved, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(out); info.Mode().Perm() != 0o600 {
		t.Errorf("new state file has mode %v; want 0600", info.Mode().Perm())
	}
	unchanged := func(why string) {
		t.Helper()
		now, _ := os.ReadFile(out)
		if string(now) != string(saved) {
			t.Errorf("%s changed the state file", why)
		}
	}
	run("import", sample(t, "fileserver.json"), "--state", out).expect(t, 2, "already exists", "--merge")
	unchanged("an import without --merge")
	run("import", sample(t, "fileserver.json"), "--state", out, "--merge").expect(t, 1, "cluster FSCLUSTER", "already in the world", "left as it was")
	unchanged("a clashing merge")
	run("import", sample(t, "fileserver.json"), "--state", out, "--format", "yaml").expect(t, 2, "--format")
	run("import", filepath.Join(dir, "missing.json"), "--state", out).expect(t, 2, "missing.json")
	run("import", sample(t, "fileserver.json")).expect(t, 2, "--state")

	bad := filepath.Join(dir, "cut.json")
	data, _ := os.ReadFile(sample(t, "fileserver.json"))
	os.WriteFile(bad, data[:len(data)/3], 0o600)
	fresh := filepath.Join(dir, "new.json")
	run("import", bad, "--state", fresh).expect(t, 1, "cut short")
	if _, err := os.Stat(fresh); err == nil {
		t.Errorf("a failed import wrote %s", fresh)
	}
	cib := filepath.Join(dir, "clone.xml")
	os.WriteFile(cib, []byte(`<cib><configuration><nodes><node id="1" uname="n1"/></nodes><resources><clone id="c1"/></resources></configuration></cib>`), 0o600)
	run("import", cib, "--state", fresh).expect(t, 1, `<clone id="c1">`)
	if _, err := os.Stat(fresh); err == nil {
		t.Errorf("a refused CIB wrote %s", fresh)
	}

	run("import", sample(t, "nlbfarm.json"), "--state", out, "--merge").expect(t, 0)

	// The README's drill, on the imported 2016 cluster.
	prod := filepath.Join(dir, "prod-world.json")
	run("import", sample(t, "cluster2016.json"), "--state", prod).expect(t, 0)
	drill := fence(t, readme(t), "### Rehearsing on your own cluster", 2)
	path := filepath.Join(dir, "drill.star")
	if err := os.WriteFile(path, []byte(drill), 0o644); err != nil {
		t.Fatal(err)
	}
	r = run("run", path, "--state", prod)
	r.expect(t, 0)
	if !strings.Contains(r.stdout, `group "SQL1"`) {
		t.Errorf("the drill's transcript does not show SQL1 failing over:\n%s", r.stdout)
	}
}
