package sim

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestPureGo keeps the engine free of the Starlark interpreter: nothing
// any package under runtime/ depends on, directly or not, may come from
// go.starlark.net, and none of them may import the layers above.
func TestPureGo(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "../...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 5 {
		t.Fatalf("go list -deps gave too little to be the dependency list: %q", deps)
	}
	for _, d := range deps {
		if d == "go.starlark.net" || strings.HasPrefix(d, "go.starlark.net/") {
			t.Errorf("runtime depends on %s; the engine must not know about Starlark", d)
		}
		for _, above := range []string{"clusterscript/lang", "clusterscript/builtins", "clusterscript/golden", "clusterscript/explore", "clusterscript/cmd/"} {
			if strings.HasPrefix(d, above) {
				t.Errorf("runtime depends on %s; data flows from the layers above into the engine, never back", d)
			}
		}
	}
}

// TestNoHostAccess reads the engine's source: no files, network, processes,
// wall clock, randomness or goroutines. (The time package is allowed for
// formatting virtual instants.)
func TestNoHostAccess(t *testing.T) {
	forbiddenImports := map[string]bool{
		"os": true, "os/exec": true, "os/signal": true, "io/ioutil": true, "io/fs": true,
		"net": true, "net/http": true, "syscall": true, "unsafe": true,
		"math/rand": true, "math/rand/v2": true, "crypto/rand": true,
		"go.starlark.net/starlark": true,
	}
	forbiddenTime := map[string]bool{
		"Now": true, "Since": true, "Until": true, "Sleep": true, "After": true,
		"AfterFunc": true, "Tick": true, "NewTimer": true, "NewTicker": true,
	}
	files, err := filepath.Glob("../*/*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if forbiddenImports[p] || strings.HasPrefix(p, "go.starlark.net") {
				t.Errorf("%s imports %s", fset.Position(imp.Pos()), p)
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncDecl:
				if x.Name.Name == "init" && x.Recv == nil {
					t.Errorf("%s has an init function; engines are wired explicitly (sim.New), never by registration", fset.Position(x.Pos()))
				}
			case *ast.GoStmt:
				t.Errorf("%s starts a goroutine; the engine is synchronous", fset.Position(x.Pos()))
			case *ast.SelectorExpr:
				if id, ok := x.X.(*ast.Ident); ok && id.Name == "time" && forbiddenTime[x.Sel.Name] {
					t.Errorf("%s uses time.%s; only the virtual clock may tell time", fset.Position(x.Pos()), x.Sel.Name)
				}
			}
			return true
		})
	}
	if checked < 20 {
		t.Fatalf("only %d engine source files found under runtime/", checked)
	}
}
