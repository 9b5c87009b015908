package lang_test

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"clusterscript/builtins"
	"clusterscript/lang"
)

// probeFiles is a runbook whose places the probe must report: top-level
// calls (in a comprehension and a loop too), a call into a module's
// function and one into the file's own function (one place each), and
// the starts of steps.
var probeFiles = map[string]string{
	"main.star": `load("lib.star", "helper", "stepper")
runbook("r")

def own():
    note("inside")
    return 1

procedure("P")
step(1, "first")
x = [note("a%d" % i) for i in range(2)]
for i in range(2):
    helper()
own()
stepper()
step(3, "third")
`,
	"lib.star": `def helper():
    note("h")

def stepper():
    step(2, "from a module")
`,
}

// TestProbePlaces: a probe hears each top-level call return and each step
// start, at the call's position, and nothing from inside functions.
func TestProbePlaces(t *testing.T) {
	s, _ := session(builtins.Registry(), probeFiles)
	var got []string
	s.Probe = func(at lang.ProbeAt) {
		if at.Step {
			got = append(got, fmt.Sprintf("step %d at %s:%d", s.Progress().Step, at.Pos.Filename(), at.Pos.Line))
			return
		}
		got = append(got, fmt.Sprintf("%s at %d:%d", at.Call, at.Pos.Line, at.Pos.Col))
	}
	if _, err := s.ExecFile("main.star"); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"runbook at 2:1", "procedure at 8:1",
		"step 1 at rb/main.star:9", "step at 9:1",
		"range at 10:31", "note at 10:6", "note at 10:6",
		"range at 11:10", "helper at 12:5", "helper at 12:5",
		"own at 13:1",
		"step 2 at rb/lib.star:5", "stepper at 14:1",
		"step 3 at rb/main.star:15", "step at 15:1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("places:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestProbeIsInvisible: with a probe that does nothing, a run writes the
// same transcript and fails with the same message, positions and
// backtrace as without one.
func TestProbeIsInvisible(t *testing.T) {
	files := map[string]string{"main.star": `runbook("r")
def f(n):
    return check_eq(n, 2, "n is two")
note("before")
for i in [2, 2, 3]:
    f(i)
`}
	run := func(probe bool) (string, string) {
		s, out := session(builtins.Registry(), files)
		if probe {
			s.Probe = func(lang.ProbeAt) {}
		}
		_, err := s.ExecFile("main.star")
		return out.String(), lang.FormatError(err, s.Progress())
	}
	plainOut, plainErr := run(false)
	probedOut, probedErr := run(true)
	if plainOut != probedOut || plainErr != probedErr {
		t.Errorf("a probe changed the run:\nplain:\n%s%s\nprobed:\n%s%s", plainOut, plainErr, probedOut, probedErr)
	}
	if !strings.Contains(plainErr, "rb/main.star:3:20: check_eq: failed: n is two") || !strings.Contains(plainErr, "rb/main.star:6:6: in <toplevel>") {
		t.Errorf("unexpected error:\n%s", plainErr)
	}
}

// TestProbeChangesTheWorld: what a probe does at a place happens there,
// between the call that returned and what follows it.
func TestProbeChangesTheWorld(t *testing.T) {
	files := map[string]string{"main.star": `runbook("r")
note("one")
check_eq(len(events()), 3, "the probe's line is an event")
`}
	s, out := session(builtins.Registry(), files)
	s.Probe = func(at lang.ProbeAt) {
		if at.Call == "note" {
			builtins.SimOf(s).Record("note", "", "probe was here")
		}
	}
	if _, err := s.ExecFile("main.star"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out.String(), "note      one\n2004-01-05 08:00:00.000 note      probe was here\n") {
		t.Errorf("transcript:\n%s", out)
	}
}

// TestProgramsAreShared: sessions sharing Programs compile each file once
// and still run apart: each gets its own module globals.
func TestProgramsAreShared(t *testing.T) {
	files := map[string]string{
		"main.star": `load("lib.star", "fresh")
items = fresh()
items.append(1)
check_eq(len(items), 1)
`,
		"lib.star": "def fresh():\n    return []\n",
	}
	var progs lang.Programs
	for i := range 3 {
		s, out := session(builtins.Registry(), files)
		s.Programs = &progs
		if _, err := s.ExecFile("main.star"); err != nil {
			t.Fatalf("run %d: %v\n%s", i, err, out)
		}
	}
	// A file that does not compile fails the same way every time, with
	// the hint of a run that compiles it afresh.
	bad := map[string]string{"main.star": "craete_cluster()\n"}
	for range 2 {
		s, _ := session(builtins.Registry(), bad)
		s.Programs = &progs
		if _, err := s.ExecFile("main.star"); err == nil || !strings.Contains(err.Error(), "did you mean create_cluster?") {
			t.Errorf("got %v", err)
		}
	}
}

// countingWorld counts the transcript lines the session formats.
type countingWorld struct {
	lang.World
	lines *int
}

func (w countingWorld) AppendText(b []byte, i int) []byte {
	*w.lines++
	return w.World.AppendText(b, i)
}

// TestDiscardFormatsNothing: a session whose transcript goes to io.Discard
// formats no line; one that writes somewhere formats each.
func TestDiscardFormatsNothing(t *testing.T) {
	for _, tc := range []struct {
		out  io.Writer
		want int
	}{{io.Discard, 0}, {&strings.Builder{}, 3}} {
		n := 0
		s := lang.NewSession(countingWorld{builtins.Plugin.NewWorld(), &n}, builtins.Registry(), tc.out)
		thread := s.NewThread("t")
		for _, msg := range []string{"a", "b", "c"} {
			thread.Print(thread, msg)
		}
		s.Flush()
		if n != tc.want {
			t.Errorf("%T: %d lines formatted, want %d", tc.out, n, tc.want)
		}
	}
}
