package doc

import (
	"strings"
	"testing"
)

func TestParseModule(t *testing.T) {
	src := `"""A module.

    load("@stdlib//m.star", "f")
    f(1)

Prose after the example.
"""

load("@stdlib//lab.star", "build_lab")

GREETING = "héllo"
_HIDDEN = 1

def f(
        a,
        b = {"x": [1, 2]},
        c = "ü, (",
        *args,
        **kwargs):
    """Does f, on
    two lines.

    More about f:
      indented detail.
    """
    return a

def _private():
    pass

def g():
    return 1
`
	m, err := parseModule("m.star", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if m.Summary != "A module." || !strings.HasPrefix(m.Doc, "    load(") || !strings.HasSuffix(m.Doc, "Prose after the example.") {
		t.Errorf("module doc: %q / %q", m.Summary, m.Doc)
	}
	if len(m.Funcs) != 2 || m.Funcs[0].Name != "f" || m.Funcs[1].Name != "g" {
		t.Fatalf("funcs: %+v", m.Funcs)
	}
	f := m.Funcs[0]
	if want := `f(a, b={"x": [1, 2]}, c="ü, (", *args, **kwargs)`; f.Signature() != want {
		t.Errorf("signature %s, want %s", f.Signature(), want)
	}
	if f.Summary != "Does f, on two lines." || f.Doc != "More about f:\n  indented detail." {
		t.Errorf("f's doc: %q / %q", f.Summary, f.Doc)
	}
	if m.Funcs[1].Summary != "" || m.Funcs[1].Signature() != "g()" {
		t.Errorf("g: %+v", m.Funcs[1])
	}
	if len(m.Constants) != 1 || m.Constants[0] != (Constant{"GREETING", `"héllo"`}) {
		t.Errorf("constants: %+v", m.Constants)
	}
}

func TestBlock(t *testing.T) {
	got := block("Intro *here*.\n\n    code()\n\n    more()\nafter <b>")
	want := "Intro \\*here\\*.\n\n```python\ncode()\n\nmore()\n```\n\nafter &lt;b>"
	if got != want {
		t.Errorf("block:\n%s\nwant\n%s", got, want)
	}
}
