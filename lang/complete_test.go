package lang_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"clusterscript/lang"
)

func TestComplete(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"start.star":        "load(\"@stdlib//lab.star\", \"build_lab\")\nlab = build_lab(nodes = 2, data_disks = 1)\nnode1 = lab[\"servers\"][0]\nmy_count = 3\n",
		"procs/drill.star":  "",
		"procs/notes.txt":   "",
		"procs/deep/x.star": "",
	})
	r, _, _ := newREPL(t, lang.REPLOptions{Runbook: filepath.Join(dir, "start.star")})
	if _, err := r.Run(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		line       string
		head, tail string // tail: the text after the cursor, marked by |
		want       []string
		absent     []string
	}{
		// Builtins, universal functions, keywords and the session's globals.
		{line: "install_se", head: "", want: []string{"install_server("}},
		{line: "x = get_", head: "x = ", want: []string{"get_disk(", "get_domain(", "get_server("}},
		{line: "my_", head: "", want: []string{"my_count"}},
		{line: "le", head: "", want: []string{"len("}},
		{line: "wh", head: "", want: []string{"while"}},
		{line: "no", head: "", want: []string{"node1", "not", "note("}},
		{line: "print(no|)", head: "print(", want: []string{"node1", "not", "note("}},
		// Attributes after a dot, read from the live value.
		{line: "node1.ad", head: "node1.", want: []string{"adapters"}},
		{line: "node1.", head: "node1.", want: []string{"adapters", "cluster", "components", "domain", "edition", "exchange", "name", "running", "version"}},
		{line: `lab.ke`, head: "lab.", want: []string{"keys("}},
		{line: "nosuch.x", head: "nosuch.", want: nil},
		// World names inside quotes, ignoring case.
		{line: `get_server("no`, head: `get_server("`, want: []string{"NODE1", "NODE2"}},
		{line: `get_disk('Qu`, head: `get_disk('`, want: []string{"Quorum"}},
		{line: `configure_tcpip(node1, "Pr`, head: `configure_tcpip(node1, "`, want: []string{"Private"}},
		{line: `get_domain("c`, head: `get_domain("`, want: []string{"CORP", "corp.example.com"}},
		{line: `x = "done" + "N`, head: `x = "done" + "`, want: []string{"NODE1", "NODE2"}},
		// Modules inside load("…").
		{line: `load("@st`, head: `load("`, want: []string{"@stdlib//lab.star"}},
		{line: `load("pro`, head: `load("`, want: []string{"procs/"}},
		{line: `load("procs/`, head: `load("`, want: []string{"procs/deep/", "procs/drill.star"}, absent: []string{"procs/notes.txt"}},
		// Commands and their arguments.
		{line: ":s", head: "", want: []string{":save", ":state"}},
		{line: ":help get_ser", head: ":help ", want: []string{"get_server"}},
		{line: ":help build", head: ":help ", want: []string{"build_lab"}},
		{line: ":load procs/d", head: ":load ", want: []string{"procs/deep/", "procs/drill.star"}},
		{line: ":save! procs/d", head: ":save! ", want: []string{"procs/deep/", "procs/drill.star"}},
		// Nothing in a comment or after a number.
		{line: "x = 1 # no", head: "x = 1 # no", want: nil},
		{line: "1.5", head: "1.5", want: nil},
	} {
		line, tail := tc.line, ""
		if i := strings.IndexByte(line, '|'); i >= 0 {
			line, tail = line[:i]+line[i+1:], line[i+1:]
		}
		pos := len(line) - len(tail)
		head, got, gotTail := r.Complete(line, pos)
		if head != tc.head || gotTail != tail {
			t.Errorf("Complete(%q): head %q, tail %q; want %q, %q", tc.line, head, gotTail, tc.head, tail)
		}
		if tc.want == nil && got != nil {
			t.Errorf("Complete(%q) = %q, want nothing", tc.line, got)
		}
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("Complete(%q) = %q, lacks %q", tc.line, got, w)
			}
		}
		for _, a := range tc.absent {
			if slices.Contains(got, a) {
				t.Errorf("Complete(%q) = %q, should not offer %q", tc.line, got, a)
			}
		}
		if !slices.IsSorted(got) {
			t.Errorf("Complete(%q) = %q, not sorted", tc.line, got)
		}
	}
}

func TestCompleteHidesUnderscoreNames(t *testing.T) {
	_, _, r := repl(t, "_private = 1", "1")
	_, got, _ := r.Complete("", 0)
	if slices.Contains(got, "_private") || slices.Contains(got, "_") {
		t.Errorf("completing nothing offers names starting with _: %q", got)
	}
	if _, got, _ := r.Complete("_pr", 3); !slices.Equal(got, []string{"_private"}) {
		t.Errorf("Complete(_pr) = %q, want [_private]", got)
	}
}

// TestCompleteFitsTheArgument: inside quotes, completion offers the names
// that fit the parameter the string is for, by keyword or by position,
// also inside a list argument and for Starlark functions.
func TestCompleteFitsTheArgument(t *testing.T) {
	dir := writeFiles(t, map[string]string{"start.star": `load("@stdlib//lab.star", "build_lab")
load("@stdlib//cluster.star", "build_cluster")
lab = build_lab(nodes = 2, data_disks = 1)
cl = build_cluster(lab)
web = new_group(cl, "Web", preferred_owners = ["NODE2"])
def tidy(group, note = ""):
    pass
`})
	r, _, _ := newREPL(t, lang.REPLOptions{Runbook: filepath.Join(dir, "start.star")})
	if _, err := r.Run(); err != nil {
		t.Fatal(err)
	}
	groups := []string{"Cluster Group", "Web"}
	nodes := []string{"NODE1", "NODE2"}
	for _, tc := range []struct {
		line string
		want []string
	}{
		{`move_group("`, groups},
		{`move_group("W`, []string{"Web"}},
		{`move_group("Web", "`, nodes},
		{`move_group("Web", node = "`, nodes},
		{`move_group(group = "`, groups},
		{`get_group(cl, "`, groups},
		{`get_node(cl, "n`, nodes},
		{`get_resource(cl, "Cluster `, []string{"Cluster IP Address", "Cluster Name"}},
		{`get_server("`, nodes},
		{`get_disk("`, []string{"Data1", "Quorum"}},
		{`set_possible_owners(get_resource(cl, "Disk Q:"), ["NODE1", "`, nodes},
		{`bring_online("`, []string{"Cluster Group", "Cluster IP Address", "Cluster Name", "Disk Q:", "Web"}},
		{`tidy("`, groups},
		{`tidy(note = "`, nil}, // note is no kind of object: every name
		{`add_to_group("CORP\\clussvc", "`, []string{}},
		{`x = get_server("NODE1"), move_group("`, groups},
	} {
		_, got, _ := r.Complete(tc.line, len(tc.line))
		switch {
		case tc.want == nil:
			if !slices.Contains(got, "Public") || !slices.Contains(got, "EXCLUSTER") {
				t.Errorf("Complete(%q) = %q, want every name", tc.line, got)
			}
		case !slices.Equal(got, tc.want):
			t.Errorf("Complete(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
}
