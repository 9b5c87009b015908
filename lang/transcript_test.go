package lang_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"clusterscript/builtins"
	"clusterscript/lang"

	"go.starlark.net/starlark"
)

// writes records each Write call on its own.
type writes struct {
	calls []string
}

func (w *writes) Write(p []byte) (int, error) {
	w.calls = append(w.calls, string(p))
	return len(p), nil
}

func (w *writes) String() string { return strings.Join(w.calls, "") }

// The flush rule (transcript.go): a top-level statement's output is one
// write, made when the next statement produces output or the file ends; a
// statement that produces many events writes every 1,024 of them; what is
// written is exactly the unbuffered transcript.
func TestTranscriptIsWrittenByStatement(t *testing.T) {
	src := `runbook("Writes")
install_server("A")
for i in range(3000):
    note("n%d" % i)
x = 1
print("done")
`
	s, _ := session(builtins.Registry(), map[string]string{"main.star": src})
	var out writes
	s.Out = &out
	if _, err := s.ExecFile("main.star"); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	for i := range s.World.Mark() {
		want.Write(s.World.AppendText(nil, i))
	}
	if out.String() != want.String() {
		t.Fatalf("the batched transcript differs from the events:\n%s", out.String())
	}
	// runbook; install_server; the loop's notes in 1,024, 1,024 and 952;
	// print.
	var sizes []int
	for _, c := range out.calls {
		sizes = append(sizes, strings.Count(c, "\n"))
	}
	if got, want := fmt.Sprint(sizes), "[1 1 1024 1024 952 1]"; got != want {
		t.Errorf("lines per write %s, want %s", got, want)
	}
}

// A statement that computes for a long time after producing output does
// not hold that output back: the thread writes it out every million steps.
func TestTranscriptIsWrittenDuringLongComputations(t *testing.T) {
	var seen string
	reg := withExtras(lang.Builtin{Name: "probe", Params: "()", Summary: "test", Topic: "runbook",
		Fn: func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			seen = lang.SessionOf(thread).Out.(*writes).String()
			return starlark.None, nil
		}})
	src := `def f():
    print("before the loop")
    for i in range(1000000):
        pass
    probe()
f()
`
	s, _ := session(reg, map[string]string{"main.star": src})
	s.Out = &writes{}
	if _, err := s.ExecFile("main.star"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(seen, "print     before the loop\n") {
		t.Errorf("after a million steps the print was still not written; written: %q", seen)
	}
}

// quietly() folds the events of a call into one line counting them by
// kind, in the text transcript only; nested calls fold into the outermost;
// a call rolled back by catch() leaves no line; a failing call's earlier
// events are still counted, and the line comes before the error.
func TestQuietly(t *testing.T) {
	src := `runbook("Quiet")
def setup(n):
    d = domain("corp.example.com")
    for i in range(n):
        quietly(install_server, "NODE%d" % (i + 1))
    advance(seconds = 2)
    return d
d = quietly(setup, 2)
check_eq((d.name, len(events())), ("corp.example.com", 5))
print(catch(quietly, install_server, "NODE1"))
print(catch(quietly, install_server, "WEB3"))
def refused():
    install_server("WEB1")
    install_server("NODE1")
print(quietly(catch, refused))
print(quietly(lambda: "nothing"))
quietly(print, "hidden")
def half():
    install_server("WEB2")
    fail("stop")
quietly(half)
`
	s, out := session(builtins.Registry(), map[string]string{"main.star": src})
	_, err := s.ExecFile("main.star")
	if err == nil || !strings.Contains(err.Error(), "stop") {
		t.Fatalf("the failing quietly() call: %v", err)
	}
	refusal := "install_server: a server named NODE1 already exists; computer names are unique on the network"
	want := `2004-01-05 08:00:00.000 runbook   Quiet
2004-01-05 08:00:02.000 quietly   4 events: 3 world, 1 clock
2004-01-05 08:00:02.000 print     ` + refusal + `
2004-01-05 08:00:02.000 quietly   1 event: 1 world
2004-01-05 08:00:02.000 print     None
2004-01-05 08:00:02.000 quietly   no events
2004-01-05 08:00:02.000 print     ` + refusal + `
2004-01-05 08:00:02.000 quietly   no events
2004-01-05 08:00:02.000 print     nothing
2004-01-05 08:00:02.000 quietly   1 event: 1 print
2004-01-05 08:00:02.000 quietly   1 event: 1 world
`
	if got := out.String(); got != want {
		t.Errorf("transcript:\n%s\nwant:\n%s", got, want)
	}
	// The log has every event, and --json prints every one of them.
	if got := s.World.Mark(); got != 12 {
		t.Errorf("the log holds %d events, want 12", got)
	}
	s, out = session(builtins.Registry(), map[string]string{"main.star": src})
	s.JSON = true
	s.ExecFile("main.star")
	if got := strings.Count(out.String(), "\n"); got != 12 || strings.Contains(out.String(), "quietly") {
		t.Errorf("--json printed %d lines, want the 12 events:\n%s", got, out)
	}
}
