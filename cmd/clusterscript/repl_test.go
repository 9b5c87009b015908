package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clusterscript/builtins"
	"clusterscript/lang"
)

// TestREPLFromAPipe is `clusterscript repl < session.star`: plain line
// reading, every line echoed with its prompt, errors on stderr, exit code 1
// when a statement failed.
func TestREPLFromAPipe(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "w.json")
	in := strings.NewReader("s = install_server(\"NODE1\")\r\nfor n in [\"A\"]:\n    install_server(n)\n\ns.name\ninstall_server(\"NODE1\")\n:quit\n")
	var out, errb bytes.Buffer
	code := Main([]string{"repl", "--state", state}, in, &out, &errb)
	if code != lang.ExitFailed {
		t.Errorf("exit code %d, want %d (one statement failed)", code, lang.ExitFailed)
	}
	want := `>>> s = install_server("NODE1")
2004-01-05 08:00:00.000 world     server NODE1 installed: Windows Server 2003 Enterprise edition, adapters Public, Private
>>> for n in ["A"]:
...     install_server(n)
...
2004-01-05 08:00:00.000 world     server A installed: Windows Server 2003 Enterprise edition, adapters Public, Private
>>> s.name
"NODE1"
>>> install_server("NODE1")
>>> :quit
`
	if out.String() != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out.String(), want)
	}
	if !strings.Contains(errb.String(), "<stdin>:6:15: install_server: a server named NODE1 already exists") {
		t.Errorf("stderr lacks the error:\n%s", errb.String())
	}
	saved, err := lang.ReadState(builtins.Plugin, state)
	if err != nil {
		t.Fatal(err)
	}
	w := saved.(*builtins.World).Sim()
	if len(w.Servers) != 2 {
		t.Errorf("the state file holds %d servers, want 2", len(w.Servers))
	}
}

func TestREPLUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Main([]string{"repl", "a.star", "b.star"}, strings.NewReader(""), &out, &errb); code != lang.ExitUsage {
		t.Errorf("two runbooks: exit code %d, want %d", code, lang.ExitUsage)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("nonsense"), 0o644)
	errb.Reset()
	if code := Main([]string{"repl", "--state", bad}, strings.NewReader(""), &out, &errb); code != lang.ExitFailed || !strings.Contains(errb.String(), "bad.json") {
		t.Errorf("corrupt state file: exit code %d, stderr %q", code, errb.String())
	}
	if data, _ := os.ReadFile(bad); string(data) != "nonsense" {
		t.Error("the corrupt state file was changed")
	}
	out.Reset()
	if code := Main([]string{"repl"}, strings.NewReader("1 + 1\n"), &out, &errb); code != lang.ExitOK || out.String() != ">>> 1 + 1\n2\n" {
		t.Errorf("exit code %d, stdout %q", code, out.String())
	}
}
