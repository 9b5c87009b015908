package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"clusterscript/lang"
)

// TestHelp: every command answers -h and --help with exit 0, its usage,
// its flags and an example, on stdout; `help CMD` does the same.
func TestHelp(t *testing.T) {
	for _, h := range commandHelps {
		for _, flag := range []string{"--help", "-h"} {
			r := run(h.name, flag)
			r.expect(t, lang.ExitOK)
			for _, want := range []string{
				"clusterscript " + h.name + ": " + h.summary + "\n",
				"usage:\n  clusterscript " + h.name + " " + h.args + "\n",
				"\nflags:\n", "-h, --help",
				"\nexample:\n  clusterscript " + h.name,
			} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("%s %s lacks %q:\n%s", h.name, flag, want, r.stdout)
				}
			}
			if r.stderr != "" {
				t.Errorf("%s %s wrote to stderr: %s", h.name, flag, r.stderr)
			}
		}
		// Help comes first, whatever else is on the line.
		if r := run(h.name, "a.star", "--help"); r.code != lang.ExitOK || !strings.Contains(r.stdout, "usage:") {
			t.Errorf("%s a.star --help: exit %d\n%s%s", h.name, r.code, r.stdout, r.stderr)
		}
		if r := run("help", h.name); r.code != lang.ExitOK || r.stdout != run(h.name, "--help").stdout {
			t.Errorf("help %s differs from %s --help", h.name, h.name)
		}
	}
	// The examples name files and builtins that exist.
	for _, h := range commandHelps {
		for _, e := range h.examples {
			for _, word := range strings.Fields(e) {
				if strings.HasPrefix(word, "runbooks/") && !strings.Contains(word, "*") {
					if _, err := os.Stat(filepath.Join("../..", word)); err != nil {
						t.Errorf("the example %q names %s: %v", e, word, err)
					}
				}
			}
		}
	}
	if r := run("doc", "move_group"); r.code != 0 {
		t.Error("the example of doc names no builtin")
	}
	// Each command's flags are in its help, with what they take.
	r := run("run", "--help")
	for _, want := range []string{"--state F", "--set name=value", "--json", "--max-steps N", "--color WHEN"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("run --help lacks %q:\n%s", want, r.stdout)
		}
	}
	// The overall usage names every command.
	r = run("--help")
	r.expect(t, lang.ExitOK)
	for _, h := range commandHelps {
		if !strings.Contains(r.stdout, "  clusterscript "+h.name+" ") {
			t.Errorf("the usage lacks %s:\n%s", h.name, r.stdout)
		}
	}
}

func TestVersion(t *testing.T) {
	r := run("--version")
	r.expect(t, lang.ExitOK)
	if !strings.HasPrefix(r.stdout, "clusterscript ") || strings.Count(r.stdout, "\n") != 1 {
		t.Errorf("--version printed %q", r.stdout)
	}
	settings := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	for _, tc := range []struct {
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{nil, false, "clusterscript (devel)"},
		{&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "clusterscript", Version: "v1.4.0"},
			Settings: settings("vcs.revision", "0123456789abcdef0123", "vcs.modified", "true")},
			true, "clusterscript v1.4.0, built with go1.26.8"},
		{&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "clusterscript", Version: "(devel)"},
			Settings: settings("vcs.revision", "0123456789abcdef0123", "vcs.modified", "true")},
			true, "clusterscript (devel) commit 0123456789ab with local changes, built with go1.26.8"},
		{&debug.BuildInfo{Main: debug.Module{Path: "clusterscript"}, Settings: settings("vcs.revision", "abc", "vcs.modified", "false")},
			true, "clusterscript (devel) commit abc"},
	} {
		if got := versionLine(tc.info, tc.ok); got != tc.want {
			t.Errorf("versionLine = %q, want %q", got, tc.want)
		}
	}
}

// lastRecord parses the last line of --json output.
func lastRecord(t *testing.T, stdout string) map[string]any {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	var m map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &m); err != nil {
		t.Fatalf("the last line is not JSON: %v\n%s", err, stdout)
	}
	return m
}

// TestRunJSONResult: --json ends with a record of how the run ended, for
// success, a failure, a static error and bad usage alike.
func TestRunJSONResult(t *testing.T) {
	dir := files(t, map[string]string{
		"fails.star":  "runbook(\"r\")\nprocedure(\"P\")\nstep(1, \"Install.\")\ninstall_server(\"NODE_1\")\n",
		"static.star": "print(nodes)\n",
		"ok.star":     "note(\"fine\")\n",
	})
	p := func(n string) string { return filepath.Join(dir, n) }
	for _, tc := range []struct {
		args []string
		code int
		want map[string]any
	}{
		{[]string{p("ok.star")}, 0, map[string]any{"result": "ok", "exit": 0.0}},
		{[]string{p("fails.star")}, 1, map[string]any{"result": "failed", "exit": 1.0, "procedure": "P", "step": 1.0,
			"error": p("fails.star") + `:4:15: install_server: server name "NODE_1" contains '_', which NetBIOS names may not; use letters, digits and hyphens`}},
		{[]string{p("static.star")}, 2, map[string]any{"result": "error", "exit": 2.0, "error": p("static.star") + ":1:7: undefined: nodes (did you mean None?)"}},
		{[]string{p("absent.star")}, 2, map[string]any{"result": "error", "exit": 2.0, "error": "cannot read runbook " + p("absent.star") + ": no such file"}},
		{[]string{p("ok.star"), p("fails.star")}, 2, map[string]any{"result": "error", "exit": 2.0, "error": "give exactly one runbook file"}},
	} {
		r := run(append([]string{"run", "--json"}, tc.args...)...)
		if r.code != tc.code {
			t.Errorf("%v: exit %d, want %d\n%s", tc.args, r.code, tc.code, r.stderr)
		}
		got := lastRecord(t, r.stdout)
		if len(got) != len(tc.want) {
			t.Errorf("%v: record %v, want %v", tc.args, got, tc.want)
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%v: %s = %#v, want %#v", tc.args, k, got[k], v)
			}
		}
		if tc.code != 0 && r.stderr == "" {
			t.Errorf("%v: the error is not on stderr too", tc.args)
		}
	}
}

// TestRunJSONFailover: a failover's line carries its decision as fields.
func TestRunJSONFailover(t *testing.T) {
	r := run("run", "--json", "../../runbooks/drills/node_crash.star")
	r.expect(t, lang.ExitOK)
	type skip struct{ Node, Why string }
	type event struct {
		Time, Kind, Subject, Text string
		From, To, Reason          string
		Skipped                   []skip
	}
	var found bool
	for _, line := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
		var e event
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		if e.Kind == "failover" && strings.HasPrefix(e.Text, `group "EVS2 Group" fails over`) {
			found = true
			want := event{Time: "2004-01-06T02:00:06.000Z", Kind: "failover", Subject: "EVS2 Group", Text: e.Text,
				From: "NODE4", To: "NODE2", Reason: "node NODE4 is Down",
				Skipped: []skip{{"NODE1", `already hosts Exchange virtual server "EVS1 Group"`}}}
			gotJSON, _ := json.Marshal(e)
			wantJSON, _ := json.Marshal(want)
			if string(gotJSON) != string(wantJSON) {
				t.Errorf("failover event\n got %s\nwant %s", gotJSON, wantJSON)
			}
		}
	}
	if !found {
		t.Fatalf("no failover of EVS2 Group in:\n%s", r.stdout)
	}
}

// TestColourIsOffUnlessAsked: nothing is coloured in a pipe or a file (the
// tests' buffers), and --color always colours the lines of warnings,
// failovers and failures, and the error.
func TestColourIsOffUnlessAsked(t *testing.T) {
	drill := "../../runbooks/drills/node_crash.star"
	plain := run("run", drill)
	if strings.Contains(plain.stdout, "\x1b[") {
		t.Error("a transcript into a buffer is coloured")
	}
	col := run("run", drill, "--color=always")
	col.expect(t, lang.ExitOK)
	for _, want := range []string{
		"\x1b[36m2004-01-06 02:00:06.000 failover  group \"EVS2 Group\" fails over from NODE4 to NODE2",
		"\x1b[31m2004-01-06 02:00:06.000 state     node NODE4 is Down",
	} {
		if !strings.Contains(col.stdout, want) {
			t.Errorf("--color=always lacks %q", want)
		}
	}
	if got := stripColour(col.stdout); got != plain.stdout {
		t.Error("without its escape sequences the coloured transcript is not the plain one")
	}
	if strings.Contains(run("run", drill, "--color", "never").stdout, "\x1b[") {
		t.Error("--color never coloured")
	}
	// JSON is never coloured.
	if strings.Contains(run("run", drill, "--color=always", "--json").stdout, "\x1b[") {
		t.Error("--json with --color=always coloured the JSON")
	}
	dir := files(t, map[string]string{"fails.star": "install_server(\"NODE_1\")\n"})
	r := run("run", filepath.Join(dir, "fails.star"), "--color=always")
	if !strings.HasPrefix(r.stderr, "\x1b[1;31m"+filepath.Join(dir, "fails.star")+":1:15: install_server") {
		t.Errorf("the error is not red:\n%q", r.stderr)
	}
	t.Setenv("NO_COLOR", "1")
	if (colourWhen("auto")).colours(os.Stdout) {
		t.Error("auto colours with NO_COLOR set")
	}
	if !(colourWhen("always")).colours(os.Stdout) {
		t.Error("always does not colour with NO_COLOR set")
	}
}

var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

func stripColour(s string) string { return sgr.ReplaceAllString(s, "") }

// TestStatus: status shows a saved world, or one object of it, as :state
// does, as text or JSON, and never writes the file.
func TestStatus(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "lab.json")
	run("run", "../../runbooks/drills/node_crash.star", "--state", state).expect(t, lang.ExitOK)
	before, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(state, old, old); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(state, 0o400); err != nil { // status must not need to write it
		t.Fatal(err)
	}

	whole := run("status", state)
	whole.expect(t, lang.ExitOK)
	if !strings.HasPrefix(whole.stdout, "World at 2004-01-06 02:00:06: 193 events, no timers pending\nDomains\n") ||
		!strings.Contains(whole.stdout, "Server clusters\n  EXCLUSTER  10.0.0.100") {
		t.Errorf("status:\n%s", whole.stdout)
	}
	group := run("status", state, "evs2 group") // names compare without case
	group.expect(t, lang.ExitOK)
	want := `World at 2004-01-06 02:00:06: 193 events, no timers pending
Server clusters
  EXCLUSTER  10.0.0.100, Windows Server 2003, quorum Disk Q: (disk), has quorum
    Groups
      EVS2 Group  Online on NODE2, preferred NODE3, NODE4
`
	if !strings.HasPrefix(group.stdout, want) || strings.Contains(group.stdout, "EVS1") || strings.Contains(group.stdout, "Nodes") {
		t.Errorf("status NAME:\n%s\nwant it to start:\n%s", group.stdout, want)
	}
	// A node is also a server: both are shown.
	node := run("status", state, "NODE4")
	if !strings.Contains(node.stdout, "Servers\n  NODE4  Windows Server 2003 Enterprise, DOWN") || !strings.Contains(node.stdout, "    Nodes\n      NODE4  Down\n") {
		t.Errorf("status NODE4:\n%s", node.stdout)
	}
	res := run("status", state, "EXCLUSTER/Disk Q:")
	if !strings.Contains(res.stdout, "      Cluster Group  Online on NODE1\n        Disk Q:  Online          Physical Disk\n") {
		t.Errorf("status CLUSTER/RESOURCE:\n%s", res.stdout)
	}

	var doc struct {
		Clock    string
		Only     string
		Clusters []struct {
			Name   string
			Nodes  []json.RawMessage
			Groups []struct {
				Name, State, Owner string
				Resources          []json.RawMessage
			}
		}
		Servers []json.RawMessage
	}
	js := run("status", state, "EVS2 Group", "--json")
	js.expect(t, lang.ExitOK)
	if err := json.Unmarshal([]byte(js.stdout), &doc); err != nil {
		t.Fatalf("status --json is not JSON: %v\n%s", err, js.stdout)
	}
	if doc.Clock != "2004-01-06T02:00:06.000Z" || doc.Only != "EVS2 Group" || len(doc.Servers) != 0 || len(doc.Clusters) != 1 ||
		len(doc.Clusters[0].Nodes) != 0 || len(doc.Clusters[0].Groups) != 1 || doc.Clusters[0].Groups[0].Owner != "NODE2" ||
		len(doc.Clusters[0].Groups[0].Resources) != 9 {
		t.Errorf("status NAME --json:\n%s", js.stdout)
	}
	if r := run("status", "--json", state); r.code != 0 || !json.Valid([]byte(r.stdout)) {
		t.Errorf("status --json: exit %d\n%s", r.code, r.stdout)
	}

	run("status", state, "EVS2 Grop").expect(t, lang.ExitUsage, `no server, disk, domain, cluster, node, group, resource or NLB cluster is named "EVS2 Grop"; did you mean "EVS2 Group"?`)
	run("status", filepath.Join(dir, "absent.json")).expect(t, lang.ExitUsage, "cannot read state file "+filepath.Join(dir, "absent.json")+": no such file")
	run("status", dir).expect(t, lang.ExitUsage, "cannot read state file "+dir+": it is a folder, not a file")
	run("status").expect(t, lang.ExitUsage, "give a state file")
	run("status", state, "a", "b").expect(t, lang.ExitUsage, "at most one name")
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("nonsense"), 0o600)
	run("status", bad).expect(t, lang.ExitFailed, "bad.json")

	after, _ := os.ReadFile(state)
	info, _ := os.Stat(state)
	if string(after) != string(before) || !info.ModTime().Equal(old) || info.Mode().Perm() != 0o400 {
		t.Errorf("status changed the state file (mtime %v, mode %v)", info.ModTime(), info.Mode())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 { // the state file, its lock file (from the run) and bad.json
		t.Errorf("status left files behind: %v", entries)
	}
}
