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
