package lang_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"clusterscript/builtins"
	"clusterscript/lang"
)

// script is a LineReader that types lines and echoes each with its prompt
// into the session's output, so the output reads like a terminal. "^C"
// stands for Ctrl-C and "^D" for Ctrl-D.
type script struct {
	mu    sync.Mutex
	lines []string
	out   io.Writer
	// before, if set, runs before a line is returned (the test's chance to
	// look at the world between statements).
	before func(line string)
}

func (s *script) Prompt(prompt string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.lines) == 0 {
		return "", io.EOF
	}
	line := s.lines[0]
	s.lines = s.lines[1:]
	if s.before != nil {
		s.before(line)
	}
	switch line {
	case "^C":
		fmt.Fprintf(s.out, "%s^C\n", prompt)
		return "", lang.ErrInterrupted
	case "^D":
		return "", io.EOF
	}
	fmt.Fprintf(s.out, "%s%s\n", prompt, line)
	return line, nil
}

// syncBuffer is a bytes.Buffer safe for the REPL and a test goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// newREPL builds a REPL reading lines, with output and errors in one
// buffer.
func newREPL(t *testing.T, opt lang.REPLOptions, lines ...string) (*lang.REPL, *script, *syncBuffer) {
	t.Helper()
	out := &syncBuffer{}
	in := &script{lines: lines, out: out}
	opt.In, opt.Out, opt.Err = in, out, out
	r, err := lang.NewREPL(builtins.Plugin, opt)
	if err != nil {
		t.Fatal(err)
	}
	return r, in, out
}

// repl runs a session on an empty world and returns its output and the
// number of failed statements.
func repl(t *testing.T, lines ...string) (string, int, *lang.REPL) {
	t.Helper()
	r, _, out := newREPL(t, lang.REPLOptions{}, lines...)
	failed, err := r.Run()
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), failed, r
}

func saveBytes(t *testing.T, w lang.World) string {
	t.Helper()
	b, err := w.Save()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustContain(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func mustNotContain(t *testing.T, out string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(out, w) {
			t.Errorf("output has %q:\n%s", w, out)
		}
	}
}

func TestREPLValuesAndUnderscore(t *testing.T) {
	out, failed, r := repl(t,
		"1 + 2",
		"_ * 10",
		"None",
		`"CORP"`,
		"x = [1, 2]",
		"x",
	)
	want := `>>> 1 + 2
3
>>> _ * 10
30
>>> None
>>> "CORP"
"CORP"
>>> x = [1, 2]
>>> x
[1, 2]
`
	if out != want {
		t.Errorf("session:\n%s\nwant:\n%s", out, want)
	}
	if failed != 0 {
		t.Errorf("failed = %d, want 0", failed)
	}
	if got := r.Globals()["_"].String(); got != "[1, 2]" {
		t.Errorf("_ = %s, want [1, 2]", got)
	}
}

func TestREPLMultiLineBlocks(t *testing.T) {
	out, failed, r := repl(t,
		"def double(n):",
		"    return 2 * n",
		"",
		"double(21)",
		"total = 0",
		"for i in range(4):",
		"    if i % 2 == 0:",
		"        total += i",
		"",
		"total",
		"servers = [",
		`    "NODE1",`,
		`    "NODE2"]`,
		"len(servers)",
		"while total > 0:",
		"    total -= 1",
		"^D",
	)
	mustContain(t, out,
		">>> def double(n):\n...     return 2 * n\n... \n>>> double(21)\n42\n",
		"...         total += i\n... \n>>> total\n2\n",
		">>> servers = [\n...     \"NODE1\",\n...     \"NODE2\"]\n>>> len(servers)\n2\n",
	)
	if failed != 0 {
		t.Errorf("failed = %d, want 0:\n%s", failed, out)
	}
	// Ctrl-D on a continuation line ends the block, which still runs.
	if got := r.Globals()["total"].String(); got != "0" {
		t.Errorf("total = %s after the while block ended by Ctrl-D, want 0", got)
	}
}

func TestREPLResetRereadsTheRunbook(t *testing.T) {
	dir := writeFiles(t, map[string]string{"start.star": "x = 1\ninstall_server(\"A\")\n"})
	r, in, out := newREPL(t, lang.REPLOptions{Runbook: filepath.Join(dir, "start.star")},
		`install_server("B")`,
		"y = 5",
		":reset",
		"x",
		"y",
	)
	in.before = func(line string) {
		if line == ":reset" {
			os.WriteFile(filepath.Join(dir, "start.star"), []byte("x = 2\ninstall_server(\"A\")\n"), 0o644)
		}
	}
	if _, err := r.Run(); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	mustContain(t, got, ">>> :reset\nStarted over: world at 2004-01-05 08:00:00 with 1 event.\n>>> x\n2\n>>> y\n<stdin>:5:1: undefined: y\n")
	if strings.Count(got, "server A installed") != 1 {
		t.Errorf("the runbook's events were printed again on :reset:\n%s", got)
	}
	if names := r.Session().World.Names(); !slices.Contains(names, "A") || slices.Contains(names, "B") {
		t.Errorf("after :reset the world holds %q, want server A and not B", names)
	}
}

func TestREPLLoadBindingsPersist(t *testing.T) {
	out, failed, r := repl(t,
		`load("@stdlib//lab.star", "build_lab", "LAB_DOMAIN")`,
		"LAB_DOMAIN",
		"lab = build_lab(nodes = 2, data_disks = 1)",
		`[s.name for s in lab["servers"]]`,
	)
	mustContain(t, out,
		">>> LAB_DOMAIN\n\"corp.example.com\"\n",
		"world     server NODE2 installed",
		"[\"NODE1\", \"NODE2\"]\n",
	)
	if failed != 0 {
		t.Errorf("failed = %d:\n%s", failed, out)
	}
	if names := r.Session().World.Names(); !slices.Contains(names, "NODE2") || slices.Contains(names, "NODE3") {
		t.Errorf("the world holds %q, want servers NODE1 and NODE2", names)
	}
}

func TestREPLErrorsDoNotEndTheSession(t *testing.T) {
	var before string
	r, in, out := newREPL(t, lang.REPLOptions{},
		`install_server("NODE1")`,
		`install_server("NODE1", edition = "home")`,
		`get_server("NODE1").edition`,
		"nosuch + 1",
		"def broken(:",
		"1 +",
		`get_server("NODE1").editon`,
	)
	var r2 *lang.REPL = r
	in.before = func(line string) {
		if line == `get_server("NODE1").edition` { // the refusal has run
			if got := saveBytes(t, r2.Session().World); got != before {
				t.Error("a refused install_server changed the world")
			}
		}
		if strings.HasPrefix(line, `install_server("NODE1", edition`) {
			before = saveBytes(t, r2.Session().World)
		}
	}
	failed, err := r.Run()
	if err != nil {
		t.Fatal(err)
	}
	got := out.String()
	mustContain(t, got,
		`<stdin>:2:15: install_server: unknown edition "home"; use one of "standard", "enterprise", "datacenter", "web"`,
		"Traceback (most recent call last):\n  <stdin>:2:15: in <expr>\nError in install_server:",
		">>> get_server(\"NODE1\").edition\n\"enterprise\"\n",
		"<stdin>:4:1: undefined: nosuch",
		">>> def broken(:\n<stdin>:5:13: got ':', want ')'\n",
		">>> 1 +\n<stdin>:6:4: got newline, want primary expression\n",
		`has no .editon field or method (did you mean .edition?)`,
	)
	if failed != 5 {
		t.Errorf("failed = %d, want 5", failed)
	}
}

func TestREPLPartialFailureIsReported(t *testing.T) {
	path := filepath.Join(t.TempDir(), "partial.star")
	out, _, _ := repl(t,
		`install_server("B")`,
		`for n in ["A", "B", "C"]:`,
		"    install_server(n)",
		"",
		":save "+path,
	)
	mustContain(t, out,
		"server A installed",
		"note: the statement changed the world before it failed",
		"warning: running "+path+" does not rebuild this session's world: the session has 2 events, the re-run 1",
	)
	mustNotContain(t, out, "server C installed")
}

func TestREPLCtrlCAbandonsInput(t *testing.T) {
	out, failed, _ := repl(t,
		"def f():",
		"^C",
		"f",
		"x = (1,",
		"^C",
		"1",
	)
	mustContain(t, out, "... ^C\n>>> f\n<stdin>:2:1: undefined: f\n", "... ^C\n>>> 1\n1\n")
	if failed != 1 {
		t.Errorf("failed = %d, want 1 (the undefined f)", failed)
	}
}

func TestREPLInterruptStopsARunningStatement(t *testing.T) {
	r, _, out := newREPL(t, lang.REPLOptions{},
		"n = 0",
		"while True:",
		"    n += 1",
		"",
		"n > 0",
	)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := r.Run(); err != nil {
			t.Error(err)
		}
	}()
	deadline := time.After(30 * time.Second)
	for !r.Interrupt() {
		select {
		case <-done:
			t.Fatalf("the loop ended without being interrupted:\n%s", out)
		case <-deadline:
			t.Fatal("the loop never started")
		case <-time.After(time.Millisecond):
		}
	}
	<-done
	mustContain(t, out.String(), "interrupted (Ctrl-C)", ">>> n > 0\nTrue\n")
}

func TestREPLCommands(t *testing.T) {
	out, failed, _ := repl(t,
		`load("@stdlib//lab.star", "build_lab")`,
		"lab = build_lab(nodes = 2, data_disks = 1)",
		":help",
		":help install_server",
		":help :save",
		":help build_lab",
		":help instal_server",
		":events 2",
		":events many",
		":state",
		":sav x.star",
		"exit",
		":quit",
		"1 + 1",
	)
	mustContain(t, out,
		"Commands:\n  :help [name]",
		"  :save FILE.star    writes the session's statements as a runbook",
		"Builtins by topic (:help NAME shows one in full):\n  runbook: advance,",
		"  world: add_to_group,",
		">>> :help install_server\ninstall_server(name, edition=\"enterprise\", version=\"2003\", adapters=[\"Public\", \"Private\"])\n\n    installs Windows Server",
		"Editions: standard, enterprise",
		">>> :help :save\n:save FILE.star\n\n    writes",
		">>> :help build_lab\nbuild_lab(nodes=4, data_disks=2, version=\"2003\"), defined at @stdlib//lab.star:",
		"Builds the standard lab",
		`no builtin, command or function named "instal_server"; did you mean "install_server"?`,
		">>> :events 2\n(last 2 of 13 events)\n2004-01-05 08:00:00.000 world     shared disk Quorum created",
		`:events takes a number of events or "all", and filters kind=, subject=, since=; not "many"`,
		"unknown command :sav; did you mean :save?",
		">>> exit\nType :help for help, help(x) for the documentation of x, :quit or Ctrl-D to leave.\n",
	)
	mustContain(t, out, `>>> :state
World at 2004-01-05 08:00:00: 13 events, no timers pending
Domains
  corp.example.com (CORP)
    accounts: Administrator, clussvc, exadmin
Servers
  NODE1  Windows Server 2003 Enterprise, running, member of corp.example.com
    Public   10.0.0.11/24 mixed, gateway 10.0.0.1
    Private  192.168.1.11/24 private
  NODE2  Windows Server 2003 Enterprise, running, member of corp.example.com
    Public   10.0.0.12/24 mixed, gateway 10.0.0.1
    Private  192.168.1.12/24 private
Shared disks
  Quorum  Q: basic NTFS, 0.5 GB, seen by NODE1, NODE2
  Data1   R: basic NTFS, 100 GB, seen by NODE1, NODE2
`)
	mustNotContain(t, out, ">>> 1 + 1") // :quit ended the session
	if failed != 0 {
		t.Errorf("failed = %d, want 0", failed)
	}
}

func TestREPLPaste(t *testing.T) {
	out, failed, r := repl(t,
		":paste",
		"def first():",
		`    """Calls second, defined further down."""`,
		"",
		"    return second() + 1",
		"",
		"def second():",
		"    return 41",
		":end",
		"first()",
		":paste",
		"x = 1",
		"^C",
		"x",
	)
	mustContain(t, out, ">>> first()\n42\n", "(paste cancelled)\n>>> x\n<stdin>:13:1: undefined: x")
	if failed != 1 {
		t.Errorf("failed = %d, want 1:\n%s", failed, out)
	}
	if _, ok := r.Globals()["second"]; !ok {
		t.Error("the pasted block's second definition is not a global")
	}
}

// writeFiles creates files in a new temporary folder and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestREPLLoadCommand(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"start.star":       "# the session's runbook\n",
		"sub/helpers.star": "load(\"names.star\", \"PREFIX\")\n\ndef web(n):\n    return install_server(PREFIX + str(n), edition = \"web\")\n\nweb(1)\n",
		"sub/names.star":   "PREFIX = \"WEB\"\n",
		"bad.star":         "install_server(\"X\")\ninstall_server(\"X\")\ninstall_server(\"Y\")\n",
	})
	r, _, out := newREPL(t, lang.REPLOptions{Runbook: filepath.Join(dir, "start.star")},
		":load sub/helpers.star",
		"web(2).edition",
		":load ../outside.star",
		":load nosuch.star",
		":load bad.star",
		":save s.star",
	)
	failed, err := r.Run()
	if err != nil {
		t.Fatal(err)
	}
	got := out.String()
	mustContain(t, got,
		"world     server WEB1 installed",
		">>> web(2).edition\n", "\"web\"\n",
		"cannot load ../outside.star: the path leaves the runbook's folder",
		"cannot load nosuch.star: no such file",
		"/bad.star:2:15: install_server: a server named X already exists",
		"note: what ran before",
		"Checked: running it rebuilds this world exactly",
	)
	if failed != 3 {
		t.Errorf("failed = %d, want 3:\n%s", failed, got)
	}
	saved, err := os.ReadFile(filepath.Join(dir, "s.star"))
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, string(saved),
		"# :load sub/helpers.star\nload(\"sub/names.star\", \"PREFIX\")\n",
		"# :load bad.star\ninstall_server(\"X\")\n\n# Failed in the session and not replayed here",
		"#   install_server(\"X\")\n",
	)
	mustNotContain(t, string(saved), "\ninstall_server(\"Y\")")
}

func TestREPLSaveRebuildsTheWorld(t *testing.T) {
	dir := t.TempDir()
	out, failed, r := repl(t,
		`load("@stdlib//lab.star", "build_lab")`,
		"lab = build_lab(nodes = 3, data_disks = 1)",
		"advance(minutes = 90)",
		`install_server("NODE1")`,
		`get_server("NODE3")`,
		"_.name",
		`s = install_server(_ + "B", edition = "standard")`,
		"def grow(n):",
		"    for i in range(n):",
		`        install_server("EXTRA%d" % i)`,
		"",
		"grow(2)",
		`print("done at", now())`,
		":save "+filepath.Join(dir, "session.star"),
	)
	if failed != 1 {
		t.Errorf("failed = %d, want 1 (the duplicate NODE1):\n%s", failed, out)
	}
	mustContain(t, out, "Checked: running it rebuilds this world exactly")
	path := filepath.Join(dir, "session.star")
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, string(text),
		"# It starts from an empty world: clusterscript run "+path+"\n",
		"get_server(\"NODE3\")\n_ = _.name\ns = install_server(_ + \"B\", edition = \"standard\")\n",
	)
	mustNotContain(t, string(text), `install_server("NODE1")`)

	// The saved runbook, run as `clusterscript run` would, rebuilds the
	// same world byte for byte: objects, clock and event log.
	s, err := lang.RunFile(builtins.Plugin, path, lang.RunOptions{Out: io.Discard})
	if err != nil {
		t.Fatalf("the saved runbook fails: %v", err)
	}
	if got, want := saveBytes(t, s.World), saveBytes(t, r.Session().World); got != want {
		t.Errorf("re-run world differs from the session's:\nsession %d events, re-run %d", r.Session().World.Mark(), s.World.Mark())
	}
	if got := s.World.Clock(); got != "2004-01-05 09:30:00" {
		t.Errorf("re-run clock = %s, want 2004-01-05 09:30:00", got)
	}
}

func TestREPLStateFileAndRunbook(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"base.star": "d = domain(\"corp.example.com\")\ninstall_server(\"OLD1\")\n",
		"lab.star":  "runbook(\"Lab\")\nweb = install_server(\"WEB1\", edition = \"web\")\n",
	})
	state := filepath.Join(dir, "world.json")
	base, err := lang.RunFile(builtins.Plugin, filepath.Join(dir, "base.star"), lang.RunOptions{Out: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if err := lang.WriteState(state, base.World); err != nil {
		t.Fatal(err)
	}
	original, _ := os.ReadFile(state)

	r, in, out := newREPL(t, lang.REPLOptions{StatePath: state, Runbook: filepath.Join(dir, "lab.star")},
		"web.edition",
		`install_server("NEW1")`,
		"advance(hours = 1)",
		`install_server("NEW1")`,
		":save s.star",
		":reset",
		"web.name",
		`get_server("NEW1")`,
	)
	var r2 = r
	in.before = func(line string) {
		// After every statement that changed the world, the state file
		// holds the session's world.
		onDisk, err := os.ReadFile(state)
		if err != nil {
			t.Error(err)
			return
		}
		if string(onDisk) != saveBytes(t, r2.Session().World) {
			t.Errorf("before %q: the state file is not the session's world", line)
		}
	}
	if _, err := r.Run(); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	mustContain(t, got,
		"runbook   Lab\n", "server WEB1 installed",
		">>> web.edition\n\"web\"\n",
		"Checked: running it rebuilds this world exactly",
		">>> :reset\nStarted over: world at 2004-01-05 08:00:00 with 4 events.\n>>> web.name\n\"WEB1\"\n",
		"install_server: a server named NEW1 already exists",
		`get_server: no server named "NEW1"`,
	)
	saved, err := os.ReadFile(filepath.Join(dir, "s.star"))
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, string(saved),
		"It continues the world of the state file "+state+" as the session found it\n# (2004-01-05 08:00:00, 2 events)",
		"check_eq(len(events()), 2)\n",
		"# From "+filepath.ToSlash(dir)+"/lab.star, run before the first prompt:\nrunbook(\"Lab\")\n",
		"\n# At the prompt:\ninstall_server(\"NEW1\")\n",
	)
	// The saved runbook, on a copy of the state the session started from,
	// rebuilds the world the session had before :reset.
	w, err := builtins.Plugin.LoadWorld(string(original))
	if err != nil {
		t.Fatal(err)
	}
	s, err := lang.RunFile(builtins.Plugin, filepath.Join(dir, "s.star"), lang.RunOptions{Out: io.Discard, World: w})
	if err != nil {
		t.Fatal(err)
	}
	if n := s.World.Mark(); n != 6 {
		t.Errorf("re-run has %d events, want 6", n)
	}
	// On an empty world its first check stops it.
	if _, err := lang.RunFile(builtins.Plugin, filepath.Join(dir, "s.star"), lang.RunOptions{Out: io.Discard}); err == nil || !strings.Contains(err.Error(), "failed: got 0, want 2") {
		t.Errorf("on an empty world: err = %v, want the check to fail", err)
	}
}

func TestREPLBadStateFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{"w.json": "{not json"})
	_, err := lang.NewREPL(builtins.Plugin, lang.REPLOptions{In: &script{}, StatePath: filepath.Join(dir, "w.json")})
	if err == nil || !strings.Contains(err.Error(), "left untouched") {
		t.Errorf("err = %v, want the state file error", err)
	}
	if _, err := lang.NewREPL(builtins.Plugin, lang.REPLOptions{In: &script{}, Runbook: filepath.Join(dir, "nosuch.star")}); err == nil {
		t.Error("a missing runbook was accepted")
	}
}
