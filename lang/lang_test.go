package lang_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"clusterscript/builtins"
	"clusterscript/lang"

	"go.starlark.net/starlark"
)

// session returns a session on an empty world whose runbook folder holds
// files, shown as "rb".
func session(reg *lang.Registry, files map[string]string) (*lang.Session, *bytes.Buffer) {
	fsys := fstest.MapFS{}
	for n, src := range files {
		fsys[n] = &fstest.MapFile{Data: []byte(src)}
	}
	var out bytes.Buffer
	s := lang.NewSession(builtins.Plugin.NewWorld(), reg, &out)
	s.Files, s.Dir = fsys, "rb"
	return s, &out
}

// withExtras is the real registry plus test builtins.
func withExtras(extra ...lang.Builtin) *lang.Registry {
	reg := lang.NewRegistry(builtins.Registry().Topics()...)
	for _, b := range builtins.Registry().All() {
		reg.Add(*b)
	}
	reg.Add(extra...)
	return reg
}

func TestResolveModule(t *testing.T) {
	for _, tc := range []struct{ from, module, want, err string }{
		{"main.star", "lib.star", "lib.star", ""},
		{"main.star", "./lib.star", "lib.star", ""},
		{"main.star", "sub/lib.star", "sub/lib.star", ""},
		{"sub/a.star", "b.star", "sub/b.star", ""},
		{"sub/a.star", "../b.star", "b.star", ""},
		{"sub/a.star", "x/../b.star", "sub/b.star", ""},
		{"main.star", "@stdlib//lab.star", "@stdlib//lab.star", ""},
		{"@stdlib//lab.star", "util.star", "@stdlib//util.star", ""},
		{"main.star", "../b.star", "", "leaves the runbook's folder"},
		{"main.star", "sub/../../b.star", "", "leaves the runbook's folder"},
		{"sub/a.star", "../../b.star", "", "leaves the runbook's folder"},
		{"main.star", "/etc/x.star", "", "absolute paths are refused"},
		{"main.star", `C:\x.star`, "", "absolute paths are refused"},
		{"main.star", "C:/x.star", "", "absolute paths are refused"},
		{"main.star", `sub\x.star`, "", "absolute paths are refused"},
		{"main.star", "lib.py", "", "only .star files can be loaded"},
		{"main.star", "@stdlib//../x.star", "", "not a module of the standard library"},
		{"main.star", "@stdlib//a/./b.star", "", "not a module of the standard library"},
		{"main.star", "@other//x.star", "", "the only repository is @stdlib//"},
		{"@stdlib//lab.star", "../x.star", "", "a standard-library module loads only other standard-library modules"},
	} {
		got, err := lang.ResolveModule(tc.from, tc.module)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("ResolveModule(%q, %q) = %q, %v; want %q", tc.from, tc.module, got, err, tc.want)
		case tc.err != "":
			var le *lang.LoadError
			if err == nil || !errors.As(err, &le) || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ResolveModule(%q, %q) = %q, %v; want a LoadError saying %q", tc.from, tc.module, got, err, tc.err)
			} else if !lang.IsStatic(err) {
				t.Errorf("%v is not static", err)
			}
		}
	}
}

// TestModules checks that loaded modules see the same builtins and world
// as the runbook, run once however often they are loaded, and that the
// embedded standard library loads.
func TestModules(t *testing.T) {
	s, out := session(builtins.Registry(), map[string]string{
		"main.star": `
load("lib/servers.star", "make", "made")
load("lib/disks.star", "disk")
load("@stdlib//lab.star", "lab_server", "LAB_DOMAIN")
runbook("modules")
d = domain(LAB_DOMAIN)
make("NODE1")
lab_server("NODE2", "10.0.0.12", "192.168.1.12", d)
disk("Data", ["NODE1", "NODE2"])
check_eq(made, ["LIB1"])
check_eq(get_server("NODE2").domain, "corp.example.com")
print(len(events("LIB1")))
`,
		"lib/servers.star": `
install_server("LIB1")     # a module's top level runs once
made = ["LIB1"]
def make(name):
    return install_server(name)
`,
		"lib/disks.star": `
load("servers.star", "made")  # relative to lib/; already loaded: not run again
def disk(label, servers):
    return shared_disk(label, 10, servers + made, fs = "NTFS", letter = "R:")
`,
	})
	if _, err := s.ExecFile("main.star"); err != nil {
		t.Fatal(lang.FormatError(err, s.Progress()))
	}
	if n := strings.Count(out.String(), "server LIB1 installed"); n != 1 {
		t.Errorf("the module's top level ran %d times:\n%s", n, out)
	}
	if !strings.HasSuffix(out.String(), "print     1\n") {
		t.Errorf("transcript ends:\n%s", out)
	}
	if got := eval(t, s, `get_disk("Data").servers`); got != `["LIB1", "NODE1", "NODE2"]` {
		t.Errorf("the disk made by a module is seen by %s", got)
	}
	// Loaded modules are frozen: a runbook cannot change their values.
	s2, _ := session(builtins.Registry(), map[string]string{
		"main.star": "load(\"lib.star\", \"names\")\nnames.append(\"x\")\n",
		"lib.star":  "names = []\n",
	})
	_, err := s2.ExecFile("main.star")
	if err == nil || !strings.Contains(err.Error(), "frozen") || lang.ExitCode(err) != lang.ExitFailed {
		t.Errorf("appending to a loaded list: %v", err)
	}
}

func TestPrintAndJSON(t *testing.T) {
	src := "runbook(\"t\")\nprint(\"hello\", 1, [\"a\"])\nnote(\"n\")\ninstall_server(\"NODE1\")\n"
	s, out := session(builtins.Registry(), map[string]string{"main.star": src})
	if _, err := s.ExecFile("main.star"); err != nil {
		t.Fatal(err)
	}
	want := "2004-01-05 08:00:00.000 runbook   t\n" +
		"2004-01-05 08:00:00.000 print     hello 1 [\"a\"]\n" +
		"2004-01-05 08:00:00.000 note      n\n" +
		"2004-01-05 08:00:00.000 world     server NODE1 installed: Windows Server 2003 Enterprise edition, adapters Public, Private\n"
	if out.String() != want {
		t.Errorf("transcript:\n%s\nwant:\n%s", out, want)
	}
	if kind, line := s.World.Kind(1), string(s.World.AppendText(nil, 1)); kind != lang.KindPrint || !strings.HasSuffix(line, ` hello 1 ["a"]`+"\n") {
		t.Errorf("print event = %s %q", kind, line)
	}

	s, out = session(builtins.Registry(), map[string]string{"main.star": src})
	s.JSON = true
	if _, err := s.ExecFile("main.star"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("JSON output has %d lines:\n%s", len(lines), out)
	}
	var e map[string]any
	if err := json.Unmarshal([]byte(lines[3]), &e); err != nil {
		t.Fatal(err)
	}
	wantJSON := map[string]any{"seq": 4.0, "time": "2004-01-05T08:00:00.000Z", "kind": "world", "subject": "NODE1",
		"text": "server NODE1 installed: Windows Server 2003 Enterprise edition, adapters Public, Private"}
	if fmt.Sprint(e) != fmt.Sprint(wantJSON) {
		t.Errorf("JSON event = %v, want %v", e, wantJSON)
	}
}

func TestTransaction(t *testing.T) {
	s, out := session(builtins.Registry(), nil)
	if err := s.StartProcedure("P"); err != nil {
		t.Fatal(err)
	}
	if err := s.Step(1, "one"); err != nil {
		t.Fatal(err)
	}
	s.Flush()
	out.Reset()
	w := s.World
	before, _ := w.Save()
	err := s.Transaction(func() error {
		if _, err := starlark.ExecFileOptions(lang.FileOptions, s.NewThread("tx"), "tx.star", `install_server("NODE1")`, s.Registry.Predeclared()); err != nil {
			return err
		}
		if err := s.Step(2, "two"); err != nil {
			return err
		}
		s.Flush() // held back: nothing reaches the transcript inside
		if out.Len() != 0 {
			t.Error("output escaped a transaction")
		}
		return errors.New("abandon")
	})
	if err == nil || err.Error() != "abandon" {
		t.Errorf("Transaction returned %v", err)
	}
	if after, _ := w.Save(); !bytes.Equal(before, after) || s.Progress().Step != 1 || out.Len() != 0 {
		t.Errorf("a failed transaction left traces: step %d, output %q", s.Progress().Step, out)
	}
	if s.World != w {
		t.Error("Transaction replaced the World that handles point at")
	}
	if err := s.Transaction(func() error {
		return s.Step(2, "two")
	}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(out.String(), "step      2. two\n") || s.Progress().Step != 2 {
		t.Errorf("a committed transaction's events were not written: %q", out)
	}
}

// eval evaluates a Starlark expression in the session, as a line of a
// runbook would, and returns the value's text.
func eval(t *testing.T, s *lang.Session, expr string) string {
	t.Helper()
	v, err := starlark.EvalOptions(lang.FileOptions, s.NewThread("eval"), "eval", expr, s.Registry.Predeclared())
	if err != nil {
		t.Fatal(lang.FormatError(err, s.Progress()))
	}
	return v.String()
}

func TestStepBudget(t *testing.T) {
	loop := "def spin(n):\n    for i in range(n):\n        pass\nspin(N)\n"
	steps := func(n int) uint64 {
		s, _ := session(builtins.Registry(), map[string]string{"main.star": strings.Replace(loop, "N", fmt.Sprint(n), 1)})
		s.MaxSteps = 1 << 40
		th := s.NewThread("measure")
		if _, err := starlark.ExecFileOptions(lang.FileOptions, th, "main.star", strings.Replace(loop, "N", fmt.Sprint(n), 1), s.Registry.Predeclared()); err != nil {
			t.Fatal(err)
		}
		return th.ExecutionSteps()
	}
	need := steps(1000)
	for _, tc := range []struct {
		max  uint64
		fail bool
	}{{need + 10, false}, {need - 10, true}} {
		s, _ := session(builtins.Registry(), map[string]string{"main.star": strings.Replace(loop, "N", "1000", 1)})
		s.MaxSteps = tc.max
		_, err := s.ExecFile("main.star")
		if (err != nil) != tc.fail {
			t.Errorf("budget %d for a %d-step runbook: %v", tc.max, need, err)
			continue
		}
		if tc.fail {
			if lang.ExitCode(err) != lang.ExitFailed || !strings.Contains(err.Error(), fmt.Sprintf("the step budget of %d steps (--max-steps) is used up", tc.max)) {
				t.Errorf("budget error: %v (exit %d)", err, lang.ExitCode(err))
			}
			if !s.Stopped() {
				t.Error("Stopped() is false after the budget ran out")
			}
		}
	}
	// A runbook and its module share one budget.
	files := map[string]string{
		"main.star": "load(\"m.star\", \"spin\")\nspin(1000)\n",
		"m.star":    "def spin(n):\n    for i in range(n):\n        pass\nspin(1000)\n",
	}
	s, _ := session(builtins.Registry(), files)
	s.MaxSteps = need + need/2 // enough for either alone, not for both
	if _, err := s.ExecFile("main.star"); err == nil || !strings.Contains(err.Error(), "step budget") {
		t.Errorf("runbook and module each within the budget, together over it: %v", err)
	}
	s, _ = session(builtins.Registry(), files)
	s.MaxSteps = 2*need + 50
	if _, err := s.ExecFile("main.star"); err != nil {
		t.Errorf("runbook and module within the budget together: %v", err)
	}
}

func TestInterrupt(t *testing.T) {
	started := make(chan struct{})
	reg := withExtras(
		lang.Builtin{Name: "interrupt_me", Params: "()", Summary: "test", Topic: "runbook",
			Fn: func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
				lang.SessionOf(thread).Interrupt("interrupted (Ctrl-C)")
				return starlark.None, nil
			}},
		lang.Builtin{Name: "started", Params: "()", Summary: "test", Topic: "runbook",
			Fn: func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
				close(started)
				return starlark.None, nil
			}},
	)
	cancelled := "Starlark computation cancelled: interrupted (Ctrl-C)"

	// From inside: the next step stops, catch() included.
	s, out := session(reg, map[string]string{"main.star": "def f():\n    interrupt_me()\n    print(\"not reached\")\nprint(catch(f))\n"})
	_, err := s.ExecFile("main.star")
	if err == nil || !strings.Contains(err.Error(), cancelled) || lang.ExitCode(err) != lang.ExitFailed {
		t.Errorf("interrupted run: %v", err)
	}
	if out.Len() != 0 {
		t.Errorf("the interrupted run printed %q", out)
	}

	// From another goroutine while a loop runs (as on Ctrl-C).
	s, _ = session(reg, map[string]string{"main.star": "started()\nwhile True:\n    pass\n"})
	go func() {
		<-started
		s.Interrupt("interrupted (Ctrl-C)")
	}()
	if _, err := s.ExecFile("main.star"); err == nil || !strings.Contains(err.Error(), cancelled) {
		t.Errorf("loop interrupted from another goroutine: %v", err)
	}
	if !s.Stopped() {
		t.Error("Stopped() is false after an interrupt")
	}

	// An interrupted session refuses new work until the interrupt is cleared
	// (the REPL does that after Ctrl-C).
	if _, err := s.ExecSource("next.star", []byte("x = 1\n")); err == nil {
		t.Error("an interrupted session ran more code")
	}
	s.ClearInterrupt()
	if _, err := s.ExecSource("next.star", []byte("x = 1\n")); err != nil {
		t.Errorf("after ClearInterrupt: %v", err)
	}
}

func TestParseSet(t *testing.T) {
	for _, tc := range []struct{ in, name, value, typ string }{
		{"n=4", "n", "4", "int"},
		{"n=-4", "n", "-4", "int"},
		{"ratio=0.5", "ratio", "0.5", "float"},
		{"big=123456789012345678901234567890", "big", "123456789012345678901234567890", "int"},
		{"ok=True", "ok", "True", "bool"},
		{"x=None", "x", "None", "NoneType"},
		{`s="quoted"`, "s", `"quoted"`, "string"},
		{"title=Failover drill", "title", `"Failover drill"`, "string"},
		{"node=NODE1", "node", `"NODE1"`, "string"},
		{"empty=", "empty", `""`, "string"},
		{"expr=1+2", "expr", `"1+2"`, "string"},
		{"call=len([])", "call", `"len([])"`, "string"},
		{"eq=a=b", "eq", `"a=b"`, "string"},
		{`nodes=["NODE1", "NODE2"]`, "nodes", `["NODE1", "NODE2"]`, "list"},
		{`pair=(1, "a")`, "pair", `(1, "a")`, "tuple"},
		{`owners={"NODE1": 1}`, "owners", `{"NODE1": 1}`, "dict"},
		{`dup={"a": 1, "a": 2}`, "dup", `"{\"a\": 1, \"a\": 2}"`, "string"},
		{`bad=[1, x]`, "bad", `"[1, x]"`, "string"},
		{`_under=1`, "_under", "1", "int"},
	} {
		name, v, err := lang.ParseSet(tc.in)
		if err != nil {
			t.Errorf("ParseSet(%q): %v", tc.in, err)
			continue
		}
		if name != tc.name || v.String() != tc.value || v.Type() != tc.typ {
			t.Errorf("ParseSet(%q) = %s, %s (%s); want %s, %s (%s)", tc.in, name, v, v.Type(), tc.name, tc.value, tc.typ)
		}
	}
	for _, bad := range []string{"novalue", "=3", "9lives=1", "a-b=1", "a b=1"} {
		if _, _, err := lang.ParseSet(bad); err == nil || !strings.Contains(err.Error(), "--set") {
			t.Errorf("ParseSet(%q) = %v, want an error", bad, err)
		}
	}
}

func TestUnusedParams(t *testing.T) {
	s, _ := session(builtins.Registry(), map[string]string{"main.star": "param(\"used\", 1)\n"})
	for _, kv := range []string{"used=2", "zeta=1", "alpha=1"} {
		n, v, _ := lang.ParseSet(kv)
		s.Params[n] = v
	}
	if _, err := s.ExecFile("main.star"); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.UnusedParams(), " "); got != "alpha zeta" {
		t.Errorf("UnusedParams = %q", got)
	}
}

func TestExitCode(t *testing.T) {
	run := func(src string) error {
		s, _ := session(builtins.Registry(), map[string]string{"main.star": src})
		_, err := s.ExecFile("main.star")
		return err
	}
	for src, want := range map[string]int{
		"x = 1\n":                              lang.ExitOK,
		"fail(\"no\")\n":                       lang.ExitFailed,
		"check(False)\n":                       lang.ExitFailed,
		"install_server(\"A_B\")\n":            lang.ExitFailed,
		"x = (\n":                              lang.ExitUsage,
		"print(y)\n":                           lang.ExitUsage,
		"load(\"nope.star\", \"x\")\n":         lang.ExitUsage,
		"load(\"@stdlib//lab.star\", \"z\")\n": lang.ExitUsage,
	} {
		if got := lang.ExitCode(run(src)); got != want {
			t.Errorf("exit code of %q = %d, want %d", src, got, want)
		}
	}
	s, _ := session(builtins.Registry(), nil)
	if _, err := s.ExecFile("absent.star"); lang.ExitCode(err) != lang.ExitUsage || !strings.Contains(err.Error(), "cannot read runbook rb/absent.star") {
		t.Errorf("a missing runbook: %v (exit %d)", err, lang.ExitCode(err))
	}
}

func TestCheckFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("good.star", "load(\"@stdlib//lab.star\", \"build_lab\")\nload(\"lib/util.star\", \"helper\")\nbuild_lab()\nhelper()\nfail(\"check does not run anything\")\n")
	write("lib/util.star", "load(\"more.star\", \"x\")\ndef helper():\n    return x\n")
	write("lib/more.star", "x = 1\n")
	write("bad.star", `load("lib/util.star", "helper", "x", "helpr", "_private")
load("missing.star", "m")
load("../outside.star", "o")
load("/abs.star", "a")
load("lib/broken.star", "b")
load("cyc1.star", "c")
s = instal_server("NODE1")
print(undefined_thing)
`)
	write("lib/broken.star", "def f(:\n")
	write("cyc1.star", "load(\"cyc2.star\", \"d\")\nc = 1\n")
	write("cyc2.star", "load(\"cyc1.star\", \"c\")\nd = 1\n")

	msgs := func(errs []error) []string {
		var out []string
		for _, e := range errs {
			out = append(out, strings.ReplaceAll(e.Error(), dir+"/", ""))
		}
		return out
	}
	if errs := lang.CheckFile(builtins.Registry(), filepath.Join(dir, "good.star")); len(errs) != 0 {
		t.Errorf("a good runbook: %q", msgs(errs))
	}
	got := msgs(lang.CheckFile(builtins.Registry(), filepath.Join(dir, "bad.star")))
	want := []string{
		"bad.star:1:48: load: names with leading underscores are not exported: _private",
		"bad.star:7:5: undefined: instal_server (did you mean install_server?)",
		"bad.star:8:7: undefined: undefined_thing",
		"bad.star:1:34: load: lib/util.star does not define x",
		"bad.star:1:39: load: lib/util.star does not define helpr (did you mean helper?)",
		"bad.star:2:1: cannot load missing.star: no such file missing.star",
		"bad.star:3:1: cannot load ../outside.star: the path leaves the runbook's folder; a runbook loads only .star files under its own folder",
		"bad.star:4:1: cannot load /abs.star: absolute paths are refused: a runbook loads only .star files under its own folder, by relative path",
		"lib/broken.star:1:8: got ':', want ')'",
		"cyc2.star:1:1: load cycle: bad.star → cyc1.star → cyc2.star → cyc1.star",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("check bad.star:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	if errs := msgs(lang.CheckFile(builtins.Registry(), filepath.Join(dir, "nope.star"))); len(errs) != 1 || !strings.Contains(errs[0], "cannot read runbook") {
		t.Errorf("check of a missing file: %q", errs)
	}
}

// A symbolic link inside the runbook's folder that leads out of it is not
// followed: the sandbox holds.
func TestLoadRefusesSymlinkOutOfTheFolder(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.star"), []byte("x = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Symlink(filepath.Join(outside, "secret.star"), filepath.Join(dir, "link.star")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	main := filepath.Join(dir, "main.star")
	if err := os.WriteFile(main, []byte("load(\"link.star\", \"x\")\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := lang.RunFile(builtins.Plugin, main, lang.RunOptions{})
	if err == nil || !strings.Contains(err.Error(), "link.star") {
		t.Fatalf("err = %v, want the load of link.star refused", err)
	}
}
