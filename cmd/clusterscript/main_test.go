package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"clusterscript/builtins"
	"clusterscript/lang"
	"clusterscript/runtime/core"
	"clusterscript/runtime/sim"
)

type result struct {
	code           int
	stdout, stderr string
}

func run(args ...string) result {
	var out, errOut bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

func (r result) expect(t *testing.T, code int, stderrHas ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	for _, s := range stderrHas {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr does not contain %q:\n%s", s, r.stderr)
		}
	}
}

// files writes files into a new temporary folder and returns its path.
func files(t *testing.T, fs map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range fs {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestUsage(t *testing.T) {
	run().expect(t, lang.ExitUsage, "usage:")
	run("frobnicate").expect(t, lang.ExitUsage, `unknown command "frobnicate"`)
	if r := run("help"); r.code != 0 || !strings.Contains(r.stdout, "clusterscript run FILE.star") {
		t.Errorf("help: %+v", r)
	}
	dir := files(t, map[string]string{"a.star": "x = 1\n", "b.star": "x = 2\n"})
	a, b := filepath.Join(dir, "a.star"), filepath.Join(dir, "b.star")
	run("run").expect(t, lang.ExitUsage, "give exactly one runbook file")
	run("run", a, b).expect(t, lang.ExitUsage, "give exactly one runbook file")
	run("run", a, "--no-such-flag").expect(t, lang.ExitUsage, "clusterscript run: unknown flag: --no-such-flag", "Run 'clusterscript run --help'")
	run("run", a, "--max-steps", "0").expect(t, lang.ExitUsage, "--max-steps must be at least 1")
	run("run", a, "--max-steps", "many").expect(t, lang.ExitUsage, `invalid argument "many" for "--max-steps"`)
	run("run", a, "--color", "sometimes").expect(t, lang.ExitUsage, "give auto, always or never")
	run("run", a, "-state", "x.json").expect(t, lang.ExitUsage, "Long flags take two dashes: write --state.")
	if r := run("run", "-help"); r.code != lang.ExitOK || !strings.Contains(r.stdout, "usage:") {
		t.Errorf("run -help: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	run("runn", a).expect(t, lang.ExitUsage, `unknown command "runn"; did you mean "run"?`)
	run("run", a, "--set", "novalue").expect(t, lang.ExitUsage, `--set "novalue": write --set name=value`)
	r := run("run", filepath.Join(dir, "absent.star"))
	r.expect(t, lang.ExitUsage, "cannot read runbook "+filepath.Join(dir, "absent.star")+": no such file\n")
	if strings.Contains(r.stderr, "open ") || strings.Contains(r.stderr, "directory") {
		t.Errorf("the message names a system call: %s", r.stderr)
	}
	run("run", dir).expect(t, lang.ExitUsage, "cannot read runbook")
	run("check").expect(t, lang.ExitUsage, "give one or more runbook files")
	run("doc", "a", "b").expect(t, lang.ExitUsage, "give at most one name")
}

func TestRunLab(t *testing.T) {
	r := run("run", "../../runbooks/lab/build_lab.star")
	r.expect(t, lang.ExitOK)
	if want := string(read(t, "../../golden/lab/build_lab.golden")); r.stdout != want {
		t.Errorf("stdout differs from the golden transcript:\n%s", r.stdout)
	}
	if r.stderr != "" {
		t.Errorf("stderr: %s", r.stderr)
	}
	// Flags may come before or after the file.
	if r2 := run("run", "--max-steps", "1000000", "../../runbooks/lab/build_lab.star"); r2.code != 0 || r2.stdout != r.stdout {
		t.Errorf("flags first: exit %d", r2.code)
	}
}

func TestRunExitCodes(t *testing.T) {
	dir := files(t, map[string]string{
		"fails.star":  "runbook(\"r\")\nprocedure(\"P\")\nstep(1, \"Install.\")\ninstall_server(\"NODE_1\")\n",
		"check.star":  "check_eq(1, 2, \"one is two\")\n",
		"static.star": "runbook(\"r\")\nprint(nodes)\n",
		"load.star":   "load(\"../x.star\", \"x\")\n",
		"spin.star":   "while True:\n    pass\n",
		"param.star":  "n = param(\"nodes\", 2)\ncheck_eq(n, 4)\nprint(param(\"title\", \"\"))\n",
	})
	p := func(n string) string { return filepath.Join(dir, n) }
	r := run("run", p("fails.star"))
	r.expect(t, lang.ExitFailed, "fails.star:4:15: install_server: server name \"NODE_1\" contains '_'",
		`in procedure "P", step 1: Install.`, "Traceback (most recent call last):")
	if !strings.Contains(r.stdout, "step      1. Install.") {
		t.Errorf("the transcript up to the failure is printed:\n%s", r.stdout)
	}
	run("run", p("check.star")).expect(t, lang.ExitFailed, "check_eq: failed: one is two: got 1, want 2")
	run("run", p("static.star")).expect(t, lang.ExitUsage, "static.star:2:7: undefined: nodes")
	run("run", p("load.star")).expect(t, lang.ExitUsage, "the path leaves the runbook's folder")
	run("run", p("spin.star"), "--max-steps", "10000").expect(t, lang.ExitFailed, "the step budget of 10000 steps (--max-steps) is used up")
	r = run("run", p("param.star"), "--set", "nodes=4", "--set", "title=Failover drill", "--set", "unused=1")
	r.expect(t, lang.ExitOK, "warning: --set unused was not asked for by any param()")
	if !strings.HasSuffix(r.stdout, "print     Failover drill\n") {
		t.Errorf("--set title reached param():\n%s", r.stdout)
	}
	run("run", p("param.star"), "--set", "nodes=3").expect(t, lang.ExitFailed, "got 3, want 4")
}

func TestRunJSON(t *testing.T) {
	r := run("run", "--json", "../../runbooks/lab/build_lab.star")
	r.expect(t, lang.ExitOK)
	text := run("run", "../../runbooks/lab/build_lab.star").stdout
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	// The last line is the result.
	if last := lines[len(lines)-1]; last != `{"result":"ok","exit":0}` {
		t.Errorf("the last line is %s, want the result", last)
	}
	lines = lines[:len(lines)-1]
	textLines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) != len(textLines) {
		t.Fatalf("%d JSON lines for %d transcript lines", len(lines), len(textLines))
	}
	fields := map[string]bool{"seq": true, "time": true, "kind": true, "subject": true, "state": true, "text": true}
	for i, line := range lines {
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, line)
		}
		for k := range e {
			if !fields[k] {
				t.Errorf("line %d has an unexpected field %q", i+1, k)
			}
		}
		ev := core.Event{Kind: e["kind"].(string), Text: e["text"].(string)}
		at, err := time.Parse(time.RFC3339Nano, e["time"].(string))
		if err != nil || !strings.HasSuffix(e["time"].(string), "Z") {
			t.Fatalf("line %d: the time %q is not RFC 3339 in UTC: %v", i+1, e["time"], err)
		}
		if e["seq"] != float64(i+1) || at.Format("2006-01-02 15:04:05.000")+ev.String()[23:] != textLines[i] {
			t.Errorf("JSON line %d does not match transcript line:\n%s\n%s", i+1, line, textLines[i])
		}
	}
	if !strings.Contains(r.stdout, `{"seq":3,"time":"2004-01-05T08:00:00.000Z","kind":"world","subject":"corp.example.com","text":"domain corp.example.com created (NetBIOS CORP) with Administrator in Domain Admins"}`) {
		t.Errorf("the domain event is not in the expected JSON form:\n%s", lines[2])
	}
}

func TestState(t *testing.T) {
	dir := files(t, map[string]string{
		"build.star":    "runbook(\"build\")\ninstall_server(\"NODE1\")\n",
		"continue.star": "s = get_server(\"NODE1\")\nconfigure_tcpip(s, \"Public\", \"10.0.0.11\", \"255.255.255.0\")\nadvance(minutes = 5)\n",
		"fails.star":    "install_server(\"NODE2\")\ninstall_server(\"NODE1\")\n",
		"static.star":   "install_server(\"NODE3\")\nprint(x)\n",
	})
	p := func(n string) string { return filepath.Join(dir, n) }
	state := filepath.Join(dir, "lab.state.json")

	// A missing state file starts an empty world and is created.
	run("run", p("build.star"), "--state", state).expect(t, lang.ExitOK)
	first := read(t, state)
	if w, err := sim.Load(first); err != nil || len(w.Servers) != 1 {
		t.Fatalf("the state file does not hold NODE1: %v", err)
	}
	// The next run continues that world and prints only its own events.
	r := run("run", "--state", state, p("continue.star"))
	r.expect(t, lang.ExitOK)
	if strings.Contains(r.stdout, "installed") || !strings.Contains(r.stdout, "2004-01-05 08:00:00.000 world     NODE1 adapter Public") ||
		!strings.HasSuffix(r.stdout, "clock     advanced 5m to 2004-01-05 08:05:00\n") {
		t.Errorf("second run transcript:\n%s", r.stdout)
	}
	second := read(t, state)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("a temporary file was left behind: %s", e.Name())
		}
	}
	w, err := sim.Load(second)
	if err != nil {
		t.Fatal(err)
	}
	if saved, _ := w.Save(); !bytes.Equal(saved, second) || w.Now() != 5*core.Minute {
		t.Errorf("the state file is not the world's Save() document")
	}

	// A failing run, or a static error, leaves the file byte-identical.
	run("run", p("fails.star"), "--state", state).expect(t, lang.ExitFailed, "a server named NODE1 already exists")
	run("run", p("static.star"), "--state", state).expect(t, lang.ExitUsage, "undefined: x")
	if !bytes.Equal(read(t, state), second) {
		t.Error("a failed run changed the state file")
	}

	// Corrupt files and unknown versions: exit 1, the file named, untouched.
	for name, content := range map[string]string{
		"corrupt.json":  `{"format":"clusterscript-state","version":1,"world":{"clock":`,
		"version.json":  strings.Replace(string(second), fmt.Sprintf(`"version":%d`, core.StateVersion), `"version":99`, 1),
		"notstate.json": `{"name":"something else"}`,
		"empty.json":    "",
	} {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		r := run("run", p("build.star"), "--state", f)
		r.expect(t, lang.ExitFailed, "state file "+f+": bad state file", "left untouched")
		if r.stdout != "" {
			t.Errorf("%s: the runbook ran: %s", name, r.stdout)
		}
		if got := read(t, f); string(got) != content {
			t.Errorf("%s was changed", name)
		}
		info, _ := os.Stat(f)
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode changed to %v", name, info.Mode())
		}
	}
	run("run", p("build.star"), "--state", dir).expect(t, lang.ExitFailed, "state file "+dir)
	t.Chdir(dir) // a relative name works
	run("run", p("build.star"), "--state", "rel.state").expect(t, lang.ExitOK)
	if _, err := sim.Load(read(t, filepath.Join(dir, "rel.state"))); err != nil {
		t.Error(err)
	}
}

// TestWriteStateFailure checks the cleanup path of the atomic write: when
// the rename cannot happen, the old file stays and no temporary is left.
func TestWriteStateFailure(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "state")
	if err := os.MkdirAll(filepath.Join(target, "inside"), 0o755); err != nil {
		t.Fatal(err)
	}
	err := lang.WriteState(target, builtins.Plugin.NewWorld())
	if err == nil || !strings.Contains(err.Error(), "state file "+target) {
		t.Errorf("renaming over a folder: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	if err := lang.WriteState(filepath.Join(dir, "missing-folder", "state"), builtins.Plugin.NewWorld()); err == nil {
		t.Error("writing into a missing folder succeeded")
	}
}

func TestCheck(t *testing.T) {
	dir := files(t, map[string]string{
		"good.star": "load(\"@stdlib//lab.star\", \"build_lab\")\nbuild_lab()\nfail(\"not run by check\")\n",
		"bad.star":  "s = instal_server(\"NODE1\")\nprint(y)\n",
		"syn.star":  "x = (\n",
	})
	p := func(n string) string { return filepath.Join(dir, n) }
	r := run("check", p("good.star"))
	r.expect(t, lang.ExitOK)
	if r.stdout != "ok   "+p("good.star")+"\n" {
		t.Errorf("stdout: %q", r.stdout)
	}
	r = run("check", p("good.star"), p("bad.star"), p("syn.star"))
	r.expect(t, lang.ExitUsage, "bad.star:1:5: undefined: instal_server (did you mean install_server?)", "bad.star:2:7: undefined: y", "syn.star:2:1:")
	if r.stdout != "ok   "+p("good.star")+"\n" {
		t.Errorf("stdout: %q", r.stdout)
	}
	if r := run("check", p("absent.star"), dir); r.code != lang.ExitUsage ||
		r.stderr != "cannot read runbook "+p("absent.star")+": no such file\ncannot read runbook "+dir+": it is a folder, not a file\n" {
		t.Errorf("check of a missing file and a folder: exit %d\n%s", r.code, r.stderr)
	}
}

func TestGoldenCommand(t *testing.T) {
	root := files(t, map[string]string{
		"runbooks/a/one.star":     "runbook(\"one\")\nnote(\"hello\")\n",
		"runbooks/a/_helper.star": "x = 1\n",
		"runbooks/two.star":       "runbook(\"two\")\n",
		"runbooks/bad/fails.star": "fail(\"broken\")\n",
	})
	rb := func(n string) string { return filepath.Join(root, "runbooks", n) }
	gold := func(n string) string { return filepath.Join(root, "golden", n) }

	r := run("test", "--root", root, rb("a"), rb("two.star"))
	r.expect(t, lang.ExitFailed)
	if !strings.Contains(r.stdout, "no golden transcript") || !strings.Contains(r.stdout, "0 passed, 2 failed") {
		t.Errorf("without golden files:\n%s", r.stdout)
	}
	r = run("test", "--update", "--root", root, rb("a"), rb("two.star"))
	r.expect(t, lang.ExitOK)
	if !strings.Contains(r.stdout, "updated "+gold("a/one.golden")) || !strings.Contains(r.stdout, "2 passed, 0 failed") {
		t.Errorf("--update:\n%s", r.stdout)
	}
	if got := string(read(t, gold("a/one.golden"))); got != "2004-01-05 08:00:00.000 runbook   one\n2004-01-05 08:00:00.000 note      hello\n" {
		t.Errorf("one.golden = %q", got)
	}
	if _, err := os.Stat(gold("a/_helper.golden")); err == nil {
		t.Error("a helper module got a golden file")
	}
	run("test", "--root", root, rb("a"), rb("two.star")).expect(t, lang.ExitOK)

	if err := os.WriteFile(gold("two.golden"), []byte("2004-01-05 08:00:00.000 runbook   deux\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = run("test", "--root", root, rb("two.star"))
	r.expect(t, lang.ExitFailed)
	if !strings.Contains(r.stdout, "FAIL "+rb("two.star")) || !strings.Contains(r.stdout, "@@ -1 +1 @@\n    -2004-01-05 08:00:00.000 runbook   deux\n    +2004-01-05 08:00:00.000 runbook   two\n") {
		t.Errorf("a mismatch shows a diff:\n%s", r.stdout)
	}
	r = run("test", "--root", root, rb("bad/fails.star"))
	r.expect(t, lang.ExitFailed)
	if !strings.Contains(r.stdout, "the runbook failed") || !strings.Contains(r.stdout, "broken") {
		t.Errorf("a failing runbook:\n%s", r.stdout)
	}
	outside := files(t, map[string]string{"x.star": "x = 1\n"})
	r = run("test", "--root", root, filepath.Join(outside, "x.star"))
	r.expect(t, lang.ExitFailed)
	if !strings.Contains(r.stdout, "is not under") {
		t.Errorf("a runbook outside runbooks/:\n%s", r.stdout)
	}
	run("test", "--root", root, filepath.Join(root, "nope")).expect(t, lang.ExitUsage, "no such file")
	run("test", "--root", t.TempDir()).expect(t, lang.ExitUsage)
}

func TestDoc(t *testing.T) {
	r := run("doc")
	r.expect(t, lang.ExitOK)
	for _, want := range []string{"runbook:\n", "world:\n", "  install_server(name, edition=\"enterprise\", version=\"2003\", adapters=[\"Public\", \"Private\"])\n      installs Windows Server"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("doc does not contain %q", want)
		}
	}
	if strings.Index(r.stdout, "runbook:") > strings.Index(r.stdout, "world:") {
		t.Error("the runbook topic does not come first")
	}
	if again := run("doc").stdout; again != r.stdout {
		t.Error("doc output differs between runs")
	}
	r = run("doc", "advance_to")
	r.expect(t, lang.ExitOK)
	if !strings.HasPrefix(r.stdout, "advance_to(time)\n\n    moves the clock") || !strings.Contains(r.stdout, "does not move") {
		t.Errorf("doc advance_to:\n%s", r.stdout)
	}
	run("doc", "instal_server").expect(t, lang.ExitUsage, `named "instal_server"; did you mean "install_server"?`)
	run("doc", "zzzzzzzz").expect(t, lang.ExitUsage, `named "zzzzzzzz"`)
}

// BenchmarkRunLab is `clusterscript run runbooks/lab/build_lab.star` in
// process (SPEC §11: a small runbook in under 30 ms, start-up included).
func BenchmarkRunLab(b *testing.B) {
	for b.Loop() {
		if code := Main([]string{"run", "../../runbooks/lab/build_lab.star"}, nil, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}

// The transcript is written in batches, yet a failing run prints
// everything the runbook did before its error: with stdout and stderr on
// one file, as on a terminal, the error comes last. Each top-level
// statement's output is one write.
func TestTranscriptBeforeError(t *testing.T) {
	dir := files(t, map[string]string{"fails.star": `runbook("Order")
install_server("NODE1")
def later():
    print("about to fail")
    install_server("NODE1")
later()
`})
	var both countingWriter
	code := Main([]string{"run", filepath.Join(dir, "fails.star")}, strings.NewReader(""), &both, &both)
	if code != lang.ExitFailed {
		t.Fatalf("exit %d, want %d:\n%s", code, lang.ExitFailed, both.b.String())
	}
	got := both.b.String()
	transcript := strings.Index(got, "print     about to fail\n")
	failure := strings.Index(got, "install_server: a server named NODE1 already exists")
	if transcript < 0 || failure < 0 || transcript > failure || !strings.HasPrefix(got, "2004-01-05 08:00:00.000 runbook   Order\n") {
		t.Errorf("the transcript does not come before the error:\n%s", got)
	}
	// One write per statement with output (three), and the error's.
	if both.writes != 4 {
		t.Errorf("%d writes, want 4 (three statements, then the error):\n%s", both.writes, got)
	}
}

type countingWriter struct {
	b      bytes.Buffer
	writes int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.writes++
	return c.b.Write(p)
}
