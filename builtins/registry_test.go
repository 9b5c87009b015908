package builtins

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"clusterscript/lang"
	"clusterscript/runtime/core"
	"clusterscript/runtime/sim"

	"go.starlark.net/starlark"
)

// TestRegistry checks every registered builtin: its documentation is
// complete, and an unknown keyword argument is refused before anything
// happens, naming the nearest parameter.
func TestRegistry(t *testing.T) {
	reg := Registry()
	if len(reg.All()) < 20 {
		t.Fatalf("only %d builtins registered", len(reg.All()))
	}
	ident := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	for _, b := range reg.All() {
		t.Run(b.Name, func(t *testing.T) {
			if !slices.Contains(Topics, b.Topic) {
				t.Errorf("topic %q is not one `doc` orders", b.Topic)
			}
			if !strings.HasPrefix(b.Params, "(") || !strings.HasSuffix(b.Params, ")") {
				t.Errorf("Params %q is not a parenthesised list", b.Params)
			}
			if strings.HasSuffix(b.Summary, ".") || strings.Contains(b.Summary, "\n") {
				t.Errorf("Summary %q is not one line without a full stop", b.Summary)
			}
			names := b.ParamNames()
			for _, n := range names {
				if !ident.MatchString(n) {
					t.Errorf("parameter %q of %s is not a name", n, b.Signature())
				}
			}
			if strings.Contains(b.Params, "**") {
				return // takes any keyword
			}
			s := lang.NewSession(NewWorld(sim.New()), reg, nil)
			thread := s.NewThread("registry_test")
			fn := reg.Predeclared()[b.Name]
			_, err := starlark.Call(thread, fn, nil, []starlark.Tuple{{starlark.String("qqqqqqqqqqqq"), starlark.None}})
			want := b.Name + `: unexpected keyword argument "qqqqqqqqqqqq"`
			if err == nil || lang.ErrorMessage(err) != want {
				t.Errorf("an unknown keyword gives %v, want %q", err, want)
			}
			for _, n := range names {
				if len(n) < 4 {
					continue
				}
				typo := n[:len(n)-1] // drop the last letter
				_, err := starlark.Call(thread, fn, nil, []starlark.Tuple{{starlark.String(typo), starlark.None}})
				if err == nil || !strings.HasSuffix(lang.ErrorMessage(err), "(did you mean "+n+"?)") {
					t.Errorf("keyword %s= gives %v, want a suggestion of %s", typo, err, n)
				}
			}
			if got := s.World.Mark(); got != 0 {
				t.Errorf("refused calls wrote %d events", got)
			}
		})
	}
}

func TestParamNames(t *testing.T) {
	for params, want := range map[string]string{
		"()":                               "",
		"(name, netbios=None)":             "name netbios",
		`(name, adapters=["A", "B"], x=1)`: "name adapters x",
		`(fn, *args, **kwargs)`:            "fn",
		`(s=", (", t={"a": [1, 2]})`:       "s t",
	} {
		b := &lang.Builtin{Params: params}
		if got := strings.Join(b.ParamNames(), " "); got != want {
			t.Errorf("ParamNames(%s) = %q, want %q", params, got, want)
		}
	}
}

// TestNoInit keeps registration explicit: the registry holds the tables
// Domains names, and no file adds to anything from an init function.
func TestNoInit(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files here: %v", err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Name.Name == "init" && fn.Recv == nil {
				t.Errorf("%s has an init function; list the table in Domains instead", fset.Position(fn.Pos()))
			}
		}
	}
	n := 0
	for _, table := range Domains {
		n += len(table)
	}
	if got := len(Registry().All()); got != n {
		t.Errorf("the registry holds %d builtins, the tables of Domains %d", got, n)
	}
}

// The host records the runbook's own lines with kinds the engine's log
// knows under the same names.
func TestHostKindsAreLogKinds(t *testing.T) {
	for host, log := range map[string]string{
		lang.KindRunbook:   core.KindRunbook,
		lang.KindProcedure: core.KindProcedure,
		lang.KindStep:      core.KindStep,
		lang.KindPrint:     core.KindPrint,
	} {
		if host != log {
			t.Errorf("the host records %q where the log says %q", host, log)
		}
	}
}
