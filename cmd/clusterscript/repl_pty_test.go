//go:build unix

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"clusterscript/builtins"
	"clusterscript/lang"

	"github.com/creack/pty"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds the real clusterscript command once per test run.
func binary(tb testing.TB) string {
	tb.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "clusterscript-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "clusterscript")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		tb.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// requirePTY skips the test only when this machine cannot open a
// pseudo-terminal at all.
func requirePTY(tb testing.TB) {
	tb.Helper()
	master, tty, err := pty.Open()
	if err != nil {
		tb.Skipf("no pseudo-terminal can be opened here: %v", err)
	}
	master.Close()
	tty.Close()
}

// A terminal runs the binary on a pseudo-terminal and collects what it
// prints, with escape sequences and carriage returns removed.
type terminal struct {
	tb   testing.TB
	cmd  *exec.Cmd
	pty  *os.File
	mu   sync.Mutex
	raw  bytes.Buffer
	seen int // how much of the cleaned output expect has consumed
	done chan struct{}
}

func startTerminal(tb testing.TB, dir string, args ...string) *terminal {
	tb.Helper()
	return startTerminalEnv(tb, dir, nil, args...)
}

// startTerminalEnv is startTerminal with more environment variables.
func startTerminalEnv(tb testing.TB, dir string, env []string, args ...string) *terminal {
	tb.Helper()
	cmd := exec.Command(binary(tb), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TERM=xterm", "HOME="+dir, "XDG_STATE_HOME="+filepath.Join(dir, "state"), "NO_COLOR=")
	cmd.Env = append(cmd.Env, env...)
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 132})
	if err != nil {
		tb.Fatalf("starting %v on a pseudo-terminal: %v", args, err)
	}
	t := &terminal{tb: tb, cmd: cmd, pty: f, done: make(chan struct{})}
	go func() {
		defer close(t.done)
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			t.mu.Lock()
			t.raw.Write(buf[:n])
			t.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	tb.Cleanup(func() {
		cmd.Process.Kill()
		f.Close()
	})
	return t
}

var escapes = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]|\r`)

func (t *terminal) output() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return escapes.ReplaceAllString(t.raw.String(), "")
}

// expect waits until want appears in the output after what earlier
// expects consumed.
func (t *terminal) expect(want string) {
	t.tb.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		out := t.output()
		if i := strings.Index(out[t.seen:], want); i >= 0 {
			t.seen += i + len(want)
			return
		}
		if time.Now().After(deadline) {
			t.tb.Fatalf("waited in vain for %q; the terminal shows:\n%s", want, out)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// rawOutput is everything printed, escape sequences included.
func (t *terminal) rawOutput() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.raw.String()
}

func (t *terminal) send(s string) {
	t.tb.Helper()
	if _, err := io.WriteString(t.pty, s); err != nil {
		t.tb.Fatal(err)
	}
}

// wait waits for the program to end and returns its exit code.
func (t *terminal) wait() int {
	t.tb.Helper()
	errc := make(chan error, 1)
	go func() { errc <- t.cmd.Wait() }()
	select {
	case err := <-errc:
		<-t.done
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			t.tb.Fatal(err)
		}
		return 0
	case <-time.After(20 * time.Second):
		t.tb.Fatalf("the REPL did not exit; the terminal shows:\n%s", t.output())
		return -1
	}
}

func TestREPLOnATerminal(t *testing.T) {
	requirePTY(t)
	dir := t.TempDir()
	history := filepath.Join(dir, "state", "clusterscript", "history")
	if err := os.MkdirAll(filepath.Dir(history), 0o700); err != nil {
		t.Fatal(err)
	}
	var old strings.Builder
	for i := 1; i <= historyLimit+5; i++ {
		fmt.Fprintf(&old, "old_%d\n", i)
	}
	if err := os.WriteFile(history, []byte(old.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	binary(t)
	start := time.Now()
	term := startTerminal(t, dir, "repl", "--state", "world.json")
	term.expect("clusterscript REPL, empty world at 2004-01-05 08:00:00.")
	term.expect(">>> ")
	t.Logf("start-up to first prompt: %v", time.Since(start))

	// A statement; its event and value are printed.
	term.send(`install_server("NODE1")` + "\r")
	term.expect("world     server NODE1 installed")
	term.expect("<server NODE1 enterprise 2003 running>\n>>> ")

	// Tab completes a builtin (with its parenthesis), then a server name
	// inside quotes.
	term.send("get_se\t")
	term.send(`"no` + "\t")
	term.send(`").edition` + "\r")
	term.expect(`get_server("NODE1").edition`)
	term.expect("\"enterprise\"\n>>> ")

	// A block over several lines, ended by a blank line.
	term.send("def spin():\r")
	term.expect("... ")
	term.send("    print(\"spinning\")\r    while True:\r        pass\r\r")
	term.expect(">>> ")

	// Ctrl-C abandons a half-typed line... Typed keys reach the line editor
	// only once it has put the terminal in raw mode again after the block,
	// which can lag the prompt on a loaded machine: a ^C typed before that
	// is the terminal's interrupt, and flushes the half-typed line.
	time.Sleep(300 * time.Millisecond)
	term.send("abandoned(")
	term.expect("abandoned(")
	term.send("\x03")
	term.expect("^C\n>>> ")

	// ...and interrupts a running statement without ending the session.
	term.send("spin()\r")
	term.expect("print     spinning")
	term.send("\x03")
	term.expect("interrupted (Ctrl-C)")
	term.expect(">>> ")
	term.send("1 + 1\r")
	term.expect("\n2\n>>> ")

	// Ctrl-D leaves. A statement failed (the interrupted one), but an
	// interactive session still ends with success.
	term.send("\x04")
	if code := term.wait(); code != lang.ExitOK {
		t.Errorf("exit code %d, want %d; the terminal shows:\n%s", code, lang.ExitOK, term.output())
	}

	// The world was saved after the statement that changed it.
	saved, err := lang.ReadState(builtins.Plugin, filepath.Join(dir, "world.json"))
	if err != nil {
		t.Fatal(err)
	}
	w := saved.(*builtins.World).Sim()
	if len(w.Servers) != 1 || w.Servers[0].Name != "NODE1" {
		t.Errorf("state file holds %d servers, want NODE1", len(w.Servers))
	}

	// The history file was trimmed to the cap when the session began, and
	// the lines typed were appended to it.
	data, err := os.ReadFile(history)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if lines[0] != "old_6" {
		t.Errorf("history starts with %q, want old_6 (trimmed to %d lines)", lines[0], historyLimit)
	}
	typed := lines[historyLimit:]
	// A block is one entry, its lines joined by ↵, its closing blank line
	// included.
	want := []string{`install_server("NODE1")`, `get_server("NODE1").edition`, `def spin():↵    print("spinning")↵    while True:↵        pass↵`, "spin()", "1 + 1"}
	if strings.Join(typed, "\n") != strings.Join(want, "\n") {
		t.Errorf("history gained:\n%s\nwant:\n%s", strings.Join(typed, "\n"), strings.Join(want, "\n"))
	}
}

// TestREPLToolsOnATerminal types what a runbook author uses at the prompt:
// completion inside quotes that fits the argument, help(), :events
// filters, :state NAME, :save and :save!, :load, the recall of a whole
// block from history, and colour.
func TestREPLToolsOnATerminal(t *testing.T) {
	requirePTY(t)
	dir := t.TempDir()
	for name, src := range map[string]string{
		"start.star": `load("@stdlib//lab.star", "build_lab")
load("@stdlib//cluster.star", "build_cluster")
lab = build_lab(nodes = 2, data_disks = 1)
cl = build_cluster(lab)
web = new_group(cl, "Web")
`,
		"more.star": "def drill():\n    pass\nX = 1\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	term := startTerminal(t, dir, "repl", "start.star")
	term.expect("\n>>> ")

	// Inside move_group's first argument, Tab offers groups; inside its
	// second, nodes.
	term.send(`move_group("` + "\t\t")
	term.expect("\nCluster Group Web \n")
	term.send("W\t" + `", "` + "\t\t")
	term.expect("\nNODE1 NODE2 \n")
	term.send(`2")` + "\r")
	term.expect(`move_group("Web", "NODE2")`)
	term.expect(`moving group "Web" from NODE1 to NODE2 (manual move)`)
	term.expect(">>> ")

	term.send("help(move_group)\r")
	term.expect("move_group(group, node=None)\n\n    moves a group")
	term.send("help(web)\r")
	term.expect(`<group "Web" Offline on NODE2>, a value of type Group`)
	term.expect("Attributes, as they are now:")
	term.expect(">>> ")

	term.send(":events all kind=cluster subject=Web\r")
	term.expect("(2 events matching kind=cluster subject=Web)\n")
	term.expect(`cluster   group "Web" created`)
	term.expect(`cluster   moving group "Web"`)
	term.send(":state web\r")
	term.expect("    Groups\n      Web  Offline on NODE2\n>>> ")
	term.send(":help :state\r")
	term.expect("NLB clusters     address/mask, mode, MAC")

	term.send(":save s.star\r")
	term.expect("Checked: running it rebuilds this world exactly")
	term.send(":save s.star\r")
	term.expect("not saved: s.star exists; :save! s.star overwrites it")
	term.send(":save! s.star\r")
	term.expect("Saved ")

	term.send(":load more.star\r")
	term.expect("Bound: X, drill\n>>> ")

	// A block typed over several lines comes back whole with Up.
	term.send("for n in [1, 2]:\r")
	term.send("    print(\"block\", n)\r\r")
	term.expect("print     block 2\n>>> ")
	term.send("\x1b[A")
	term.expect(`for n in [1, 2]:↵    print("block", n)↵`)
	term.send("\r")
	term.expect("print     block 1\n")
	term.expect("print     block 2\n>>> ")

	// Failures and failovers are coloured on a terminal.
	term.send(`fail_server("NODE2")` + "\r")
	term.send("settle()\r")
	term.expect("6.0\n>>> ")
	raw := term.rawOutput()
	for _, want := range []string{
		"\x1b[31m2004-01-05 08:00:06.000 state     node NODE2 is Down",
		"\x1b[36m2004-01-05 08:00:06.000 failover  group \"Web\"",
	} {
		if !strings.Contains(raw, want) {
			t.Errorf("the terminal shows no %q", want)
		}
	}
	term.send("\x04")
	if code := term.wait(); code != lang.ExitOK {
		t.Errorf("exit code %d; the terminal shows:\n%s", code, term.output())
	}
}

// TestColourOnATerminal: run colours its transcript on a terminal, and
// not with NO_COLOR set.
func TestColourOnATerminal(t *testing.T) {
	requirePTY(t)
	drill, err := filepath.Abs("../../runbooks/drills/node_crash.star")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	term := startTerminal(t, dir, "run", drill)
	term.expect("ok: the node is declared Down")
	term.wait()
	if raw := term.rawOutput(); !strings.Contains(raw, "\x1b[36m2004-01-06 02:00:06.000 failover  group \"EVS2 Group\" fails over") {
		t.Errorf("no colour on a terminal:\n%q", raw[max(0, len(raw)-2000):])
	}
	term = startTerminalEnv(t, dir, []string{"NO_COLOR=1"}, "run", drill)
	term.expect("ok: the node is declared Down")
	term.wait()
	if raw := term.rawOutput(); strings.Contains(raw, "\x1b[3") {
		t.Error("colour with NO_COLOR=1")
	}
}

// BenchmarkStartupToPrompt measures the real binary from exec to its first
// prompt on a pseudo-terminal: on an empty world, and after running the lab
// runbook.
func BenchmarkStartupToPrompt(b *testing.B) {
	requirePTY(b)
	lab, err := filepath.Abs("../../runbooks/lab/build_lab.star")
	if err != nil {
		b.Fatal(err)
	}
	binary(b)
	for _, bc := range []struct {
		name string
		args []string
	}{
		{"empty", []string{"repl"}},
		{"lab", []string{"repl", lab}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			dir := b.TempDir()
			for range b.N {
				term := startTerminal(b, dir, bc.args...)
				term.expect(">>> ")
				b.StopTimer()
				term.send("\x04")
				term.wait()
				b.StartTimer()
			}
		})
	}
}
