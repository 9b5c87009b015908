package lang_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clusterscript/lang"
)

// A drill's world for the REPL's tools: a two-node cluster with a group,
// a node crash at 02:00 and its failover.
const drillRunbook = `load("@stdlib//lab.star", "build_lab")
load("@stdlib//cluster.star", "build_cluster")
lab = build_lab(nodes = 2, data_disks = 1)
cl = build_cluster(lab)
web = new_group(cl, "Web", preferred_owners = ["NODE2"])
ip = new_resource(web, "Web IP", "IP Address", address = "10.0.0.150", subnet_mask = "255.255.255.0", network = "Public")
bring_online(web)
advance_to("02:00")
fail_server("NODE2")
settle()
`

func drillREPL(t *testing.T, lines ...string) (string, string) {
	t.Helper()
	dir := writeFiles(t, map[string]string{"drill.star": drillRunbook})
	r, _, out := newREPL(t, lang.REPLOptions{Runbook: filepath.Join(dir, "drill.star")}, lines...)
	if _, err := r.Run(); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if i := strings.Index(got, ">>> "); i >= 0 {
		return got[i:], dir // the commands' output, after the runbook's
	}
	return got, dir
}

func TestREPLEventsFilters(t *testing.T) {
	out, _ := drillREPL(t,
		":events all kind=failover",
		`:events kind=state subject="Web IP"`,
		":events 1 kind=state,failover",
		":events all since=02:00 kind=state",
		":events since=2004-01-06T02:00:06 kind=failover",
		":events kind=nlb",
		":events knd=state",
		":events since=noon",
	)
	mustContain(t, out,
		">>> :events all kind=failover\n(1 event matching kind=failover)\n",
		`failover  group "Web" fails over from NODE2 to NODE1 (node NODE2 is Down)`,
		">>> :events kind=state subject=\"Web IP\"\n(3 events matching kind=state subject=\"Web IP\")\n",
		"state     resource \"Web IP\" is Online on NODE1 (failover)\n>>> ",
		">>> :events 1 kind=state,failover\n(last 1 of ",
		">>> :events all since=02:00 kind=state\n(5 events matching since=02:00 kind=state)\n2004-01-06 02:00:06.000 state     node NODE2 is Down",
		"(no events match kind=nlb)",
		`:events has no filter "knd"; the filters are kind=, subject= and since= (did you mean kind=?)`,
		"since=noon: give a time of day, HH:MM or HH:MM:SS, or a day and time, YYYY-MM-DDTHH:MM",
	)
	// since= is the last time the clock read 02:00: today's, not
	// yesterday's; the events before it are left out.
	since := out[strings.Index(out, ">>> :events all since=02:00"):strings.Index(out, ">>> :events since=2004")]
	mustNotContain(t, since, "08:00:00.000 state")
	mustContain(t, out, ">>> :events since=2004-01-06T02:00:06 kind=failover\n(1 event matching since=2004-01-06T02:00:06 kind=failover)\n")
}

func TestREPLStateOfOneObject(t *testing.T) {
	out, _ := drillREPL(t,
		`:state "Web IP"`,
		":state node2",
		":state EXCLUSTER/Web",
		":state Wbe",
	)
	mustContain(t, out,
		">>> :state \"Web IP\"\nWorld at 2004-01-06 02:00:",
		"    Groups\n      Web  Online on NODE1, preferred NODE2\n        Web IP  Online          IP Address\n>>> ",
		"Servers\n  NODE2  Windows Server 2003 Enterprise, DOWN,",
		"    Nodes\n      NODE2  Down\n>>> ",
		`no server, disk, domain, cluster, node, group, resource or NLB cluster is named "Wbe"; did you mean "Web"?`,
	)
	mustNotContain(t, out[strings.Index(out, ">>> :state \"Web IP\""):strings.Index(out, ">>> :state node2")], "Domains", "Cluster Group", "Nodes")
}

func TestREPLSaveDoesNotOverwrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.star")
	if err := os.WriteFile(path, []byte("# mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, _ := repl(t,
		`install_server("NODE1")`,
		":save "+path,
		":save! "+path,
	)
	mustContain(t, out,
		"not saved: "+path+" exists; :save! "+path+" overwrites it\n>>> :save! ",
		"Saved 1 statement to "+path+".\nChecked: running it rebuilds this world exactly",
	)
	if data, _ := os.ReadFile(path); !strings.Contains(string(data), `install_server("NODE1")`) {
		t.Errorf(":save! did not overwrite the file:\n%s", data)
	}
}

func TestREPLLoadSaysWhatItBound(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"start.star": "x = 1\nt = (1, 2)\n",
		"more.star":  "load(\"@stdlib//lab.star\", \"build_lab\")\nx = 2\nt = (1, 2)\ndef drill():\n    pass\n_hidden = 3\n",
		"none.star":  "print(\"nothing bound\")\n",
	})
	r, _, out := newREPL(t, lang.REPLOptions{Runbook: filepath.Join(dir, "start.star")},
		":load more.star",
		":load none.star",
	)
	if _, err := r.Run(); err != nil {
		t.Fatal(err)
	}
	// x was rebound, t holds an equal tuple again: only new and changed
	// names are listed, the load()ed one too.
	mustContain(t, out.String(), ">>> :load more.star\nBound: _hidden, build_lab, drill, x\n", "print     nothing bound\nIt bound no names.\n")
}

func TestREPLHelp(t *testing.T) {
	saved := filepath.Join(t.TempDir(), "s.star")
	out, _ := drillREPL(t,
		"help(move_group)",
		`help("fail_server")`,
		"help(len)",
		"help(web)",
		"help(build_lab)",
		"help()",
		"help",
		`help("nothing_like_it")`,
		"x = [help(settle)]",
		`y = [help(), install_server("LATE")]`,
		":save "+saved,
	)
	mustContain(t, out,
		">>> help(move_group)\nmove_group(group, node=None)\n\n    moves",
		">>> help(\"fail_server\")\nfail_server(server)\n",
		">>> help(len)\nlen is a function built into Starlark",
		">>> help(web)\n<group \"Web\" Online on NODE1>, a value of type Group\n\nAttributes, as they are now:\n",
		"  owner ", "\"NODE1\"\n",
		">>> help(build_lab)\nbuild_lab(nodes=4, data_disks=2, version=\"2003\"), defined at @stdlib//lab.star:",
		">>> help()\nCommands:\n",
		">>> help\nType :help for help, help(x) for the documentation of x",
		`no builtin, command or function named "nothing_like_it"`,
	)
	// The saved runbook has no call of help(), which runbooks lack: one
	// that changed the world stays as a comment (and the check says the
	// worlds differ).
	text, err := os.ReadFile(saved)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, string(text), "# Calls help(), which only the REPL has, so it is not replayed here; it changed\n# the world in the session:\n#   y = [help(), install_server(\"LATE\")]\n")
	for _, line := range strings.Split(string(text), "\n") {
		if strings.Contains(line, "help(") && !strings.HasPrefix(line, "#") {
			t.Errorf("the saved runbook calls help(): %s", line)
		}
	}
	mustContain(t, out, "does not rebuild this session's world: the session has")
}

// TestREPLPipedLineNumbers: errors in piped input name the line of the
// input, counting every line read (commands and blank lines too), also
// inside blocks and pasted text.
func TestREPLPipedLineNumbers(t *testing.T) {
	out, failed, _ := repl(t,
		"x = 1",
		"",
		":events 1",
		"def f():",
		"    return nosuch",
		"",
		"f()",
		"y = (",
		")",
		"print(x +)",
		":paste",
		"",
		"a = 1",
		"b = undefined_here",
		":end",
	)
	mustContain(t, out,
		"<stdin>:5:12: undefined: nosuch",
		"<stdin>:10:10: got ')', want primary expression",
		"<paste>:14:5: undefined: undefined_here",
	)
	if failed != 4 { // f() fails too: its definition did not resolve
		t.Errorf("failed = %d, want 4:\n%s", failed, out)
	}
}

// TestREPLColour: with Colour, the transcript's lines of failures and
// failovers are coloured; errors are red with ColourErrors.
func TestREPLColour(t *testing.T) {
	dir := writeFiles(t, map[string]string{"drill.star": drillRunbook})
	r, _, out := newREPL(t, lang.REPLOptions{Runbook: filepath.Join(dir, "drill.star"), Colour: true, ColourErrors: true}, "nosuch")
	if _, err := r.Run(); err != nil {
		t.Fatal(err)
	}
	mustContain(t, out.String(),
		"\x1b[31m2004-01-06 02:00:06.000 state     node NODE2 is Down (no heartbeat for 6s)\x1b[0m\n",
		"\x1b[36m2004-01-06 02:00:06.000 failover  group \"Web\" fails over",
		"\x1b[1;31m<stdin>:1:1: undefined: nosuch\x1b[0m\n",
	)
	mustNotContain(t, out.String(), "\x1b[36m2004-01-05 08:00:00.000 world")
}
