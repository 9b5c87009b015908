package main

import (
	"os"
	"slices"
	"strings"
	"testing"

	"clusterscript/builtins"
	"clusterscript/lang"
	"clusterscript/lang/doc"
)

// TestReferenceUpToDate fails when docs/reference.md is not what `doc
// --markdown` writes: the reference has one source, the registry and the
// stdlib's docstrings.
func TestReferenceUpToDate(t *testing.T) {
	r := run("doc", "--markdown")
	r.expect(t, lang.ExitOK)
	want, err := os.ReadFile("../../docs/reference.md")
	if err != nil {
		t.Fatalf("%v; create it with: %s", err, doc.RegenerateCommand)
	}
	if r.stdout != string(want) {
		got, old := strings.Split(r.stdout, "\n"), strings.Split(string(want), "\n")
		line := 0
		for line < len(got) && line < len(old) && got[line] == old[line] {
			line++
		}
		t.Errorf("docs/reference.md is out of date (first difference at line %d); regenerate it from the repository root with:\n  %s", line+1, doc.RegenerateCommand)
	}
	for _, want := range []string{"## cluster\n", "### `new_resource(group, name, type,", "- `type`: `\"Distributed Transaction Coordinator\"`",
		"#### `build_lab(nodes=4, data_disks=2, version=\"2003\")`", "### Group\n", "| `.preferred_owners` |", "| `unused-variable` |"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the reference does not contain %q", want)
		}
	}
}

func TestDocEntries(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"Group", "Group: a resource group"},
		{"Group", "  .preferred_owners  "},
		{"Group", "  its preferred owners, in order\n"},
		{"group", "Group: a resource group"},
		{"build_lab", "build_lab(nodes=4, data_disks=2, version=\"2003\")\n\n    Builds the standard lab"},
		{"build_lab", `load("@stdlib//lab.star", "build_lab")`},
		{"build_cluster", "quorum defaults to the lab's quorum disk"},
		{"cluster", "cluster: Windows Server 2003 server clusters"},
		{"cluster", "  move_group(group, node=None)\n"},
		{"runbook", "runbook(title)\n"},
		{"runbook", "runbook: The structure of a runbook"},
		{"stdlib", "@stdlib//owa.star: Outlook Web Access"},
		{"types", "  NlbHost\n"},
		{"lint", "  no-effect\n"},
		{"lab.star", "constants:\n  LAB_DOMAIN = \"corp.example.com\""},
		{"install_server", "Values:\n  edition: \"standard\", \"enterprise\", \"datacenter\", \"web\"\n  version: "},
		{"create_cluster", `quorum: "majority", "local", or a Disk or its label`},
		{"install_component", `(any letter case)`},
	} {
		r := run("doc", c.name)
		r.expect(t, lang.ExitOK)
		if !strings.Contains(r.stdout, c.want) {
			t.Errorf("doc %s does not contain %q:\n%s", c.name, c.want, r.stdout)
		}
	}
	r := run("doc")
	for _, want := range []string{"stdlib (load(", "  build_lab(nodes=4, data_disks=2, version=\"2003\")  [lab.star]\n", "types:\n", "topics: runbook, world,"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("doc does not contain %q", want)
		}
	}
	run("doc", "Grop").expect(t, lang.ExitUsage, `no builtin, stdlib function, value type or topic named "Grop"; did you mean "Group"?`)
	run("doc", "a", "b").expect(t, lang.ExitUsage, "give at most one name")
	run("doc", "--markdown", "Group").expect(t, lang.ExitUsage, "give at most one name")
}

// Every name doc knows means one thing.
func TestDocNamesUnique(t *testing.T) {
	ref, err := doc.New(builtins.Registry())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, n := range ref.Names() {
		if _, ok := builtins.Registry().Lookup(n); ok && slices.Contains(builtins.Topics, n) {
			continue // doc runbook shows the builtin, then the topic
		}
		if seen[n] {
			t.Errorf("doc %s is ambiguous: a builtin, stdlib function, type, topic or module share the name", n)
		}
		seen[n] = true
	}
	if len(ref.Funcs()) < 20 {
		t.Errorf("only %d stdlib functions documented", len(ref.Funcs()))
	}
	for _, f := range ref.Funcs() {
		if f.Summary == "" {
			t.Errorf("stdlib function %s (%s) has no docstring", f.Name, f.Module.Name)
		}
	}
}
