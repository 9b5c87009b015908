package golden

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestNoMapOrderReachesOutput reads the program's source (every package
// but tests) and flags each range over a map whose body lets the order of
// the walk escape: it appends to a slice that lives on after the loop and
// is not sorted afterwards in the same function, returns a value made from
// what it met first, stops at the first match (break) after setting a
// variable of the enclosing function, or writes output (an event, an
// error, the transcript) as it goes. Go starts every range over a map at a
// random place, so any of these can word a message or order a transcript
// differently from one run to the next.
func TestNoMapOrderReachesOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the whole program")
	}
	found, checked := mapOrderFindings(t, "../...")
	if checked < 8 {
		t.Fatalf("only %d packages checked", checked)
	}
	for _, f := range found {
		t.Error(f)
	}
}

// The checker itself, on small programs: what it must flag and what it
// must leave alone.
func TestMapOrderChecker(t *testing.T) {
	fset := token.NewFileSet()
	imp, _ := listPackages(t, fset, "fmt", "sort", "strings")
	for _, tc := range []struct {
		name, body string
		flagged    bool
	}{
		{"first match returned", `
			for k := range m { if k != "" { return k } }
			return ""`, true},
		{"existence check", `
			for k := range m { if k == "x" { return "yes" } }
			return ""`, false},
		{"keys appended, never sorted", `
			var out []string
			for k := range m { out = append(out, k) }
			return strings.Join(out, ",")`, true},
		{"keys appended, then sorted", `
			var out []string
			for k := range m { out = append(out, k) }
			sort.Strings(out)
			return strings.Join(out, ",")`, false},
		{"sorted with sort.Slice", `
			var out []string
			for k := range m { out = append(out, k) }
			sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
			return strings.Join(out, ",")`, false},
		{"a slice local to one iteration", `
			n := 0
			for k, v := range m { var xs []int; xs = append(xs, v); n += len(xs) + len(k) }
			return fmt.Sprint(n)`, false},
		{"a map built from a map", `
			inv := map[int]string{}
			for k, v := range m { inv[v] = k }
			return fmt.Sprint(len(inv))`, false},
		{"a sum", `
			n := 0
			for _, v := range m { n += v }
			return fmt.Sprint(n)`, false},
		{"output written in the walk", `
			var b strings.Builder
			for k := range m { fmt.Fprintf(&b, "%s;", k) }
			return b.String()`, true},
		{"first match kept, then break", `
			found := ""
			for k := range m { if len(k) > 1 { found = k; break } }
			return found`, true},
		{"break out of a switch only", `
			n := 0
			for _, v := range m { switch { case v > 1: n++; break } }
			return fmt.Sprint(n)`, false},
		{"the least by name", `
			found := ""
			for k := range m { if found == "" || k < found { found = k } }
			return found`, false},
		{"a range over a slice", `
			var out []string
			for _, k := range []string{"b", "a"} { out = append(out, k) }
			return strings.Join(out, ",")`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			src := "package p\n\nimport (\n\t\"fmt\"\n\t\"sort\"\n\t\"strings\"\n)\n\nvar _ = fmt.Sprint\nvar _ = sort.Strings\nvar _ = strings.Join\n\n" +
				"func f(m map[string]int) string {" + tc.body + "\n}\n"
			if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			found := checkMapOrder(t, fset, imp, "p", []string{filepath.Join(dir, "p.go")})
			if flagged := len(found) > 0; flagged != tc.flagged {
				t.Errorf("flagged %v, want %v: %q", flagged, tc.flagged, found)
			}
		})
	}
}

// mapOrderFindings type-checks the packages matching pattern from source,
// their imports from the export data `go list -export` gives, and returns
// the findings of every package.
func mapOrderFindings(t *testing.T, pattern string) ([]string, int) {
	t.Helper()
	fset := token.NewFileSet()
	imp, own := listPackages(t, fset, pattern)
	var found []string
	for _, p := range own {
		found = append(found, checkMapOrder(t, fset, imp, p.path, p.files)...)
	}
	return found, len(own)
}

// A listedPackage is one of the program's own packages and its Go files.
type listedPackage struct {
	path  string
	files []string
}

// listPackages runs `go list -export -deps` on patterns: it returns an
// importer reading the export data of every package listed, and the
// program's own packages among them.
func listPackages(t *testing.T, fset *token.FileSet, patterns ...string) (types.Importer, []listedPackage) {
	t.Helper()
	args := append([]string{"list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}\t{{.Module}}\t{{.Dir}}\t{{join .GoFiles \" \"}}"}, patterns...)
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	exports := map[string]string{}
	var own []listedPackage
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 5 {
			t.Fatalf("go list gave %q", sc.Text())
		}
		exports[f[0]] = f[1]
		if strings.HasPrefix(f[2], "clusterscript") && f[4] != "" {
			p := listedPackage{path: f[0]}
			for _, name := range strings.Fields(f[4]) {
				p.files = append(p.files, filepath.Join(f[3], name))
			}
			own = append(own, p)
		}
	}
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		if exports[path] == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(exports[path])
	})
	return imp, own
}

// checkMapOrder type-checks one package and returns its findings.
func checkMapOrder(t *testing.T, fset *token.FileSet, imp types.Importer, path string, files []string) []string {
	t.Helper()
	var parsed []*ast.File
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, f)
	}
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{},
		Defs:  map[*ast.Ident]types.Object{},
		Uses:  map[*ast.Ident]types.Object{},
	}
	conf := types.Config{Importer: imp}
	if _, err := conf.Check(path, fset, parsed, info); err != nil {
		t.Fatalf("type-checking %s: %v", path, err)
	}
	var found []string
	for _, f := range parsed {
		// A walk whose order cannot reach a user is marked on its line, or
		// the line above, with "maporder:" and the reason.
		excused := map[int]bool{}
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				if strings.Contains(c.Text, "maporder:") {
					line := fset.Position(c.Pos()).Line
					excused[line], excused[line+1] = true, true
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			var body *ast.BlockStmt
			switch fn := n.(type) {
			case *ast.FuncDecl:
				body = fn.Body
			case *ast.FuncLit:
				body = fn.Body
			}
			if body == nil {
				return true
			}
			for _, why := range mapWalks(info, body) {
				if excused[fset.Position(why.loop).Line] {
					continue
				}
				found = append(found, fmt.Sprintf("%s: %s", fset.Position(why.pos), why.text))
			}
			return true
		})
	}
	sort.Strings(found)
	return found
}

type finding struct {
	pos  token.Pos
	loop token.Pos // the range statement
	text string
}

// mapWalks checks the ranges over maps directly in one function body (the
// bodies of function literals are checked as functions of their own).
func mapWalks(info *types.Info, body *ast.BlockStmt) []finding {
	var out []finding
	inspectOwn(body, func(n ast.Node) {
		r, ok := n.(*ast.RangeStmt)
		if !ok {
			return
		}
		if _, isMap := info.TypeOf(r.X).Underlying().(*types.Map); !isMap {
			return
		}
		for _, f := range escapes(info, body, r) {
			f.loop = r.For
			out = append(out, f)
		}
	})
	return out
}

// inspectOwn visits the nodes of a body without entering function literals.
func inspectOwn(n ast.Node, visit func(ast.Node)) {
	ast.Inspect(n, func(x ast.Node) bool {
		if _, lit := x.(*ast.FuncLit); lit && x != n {
			return false
		}
		if x != nil {
			visit(x)
		}
		return true
	})
}

// outputCalls are the calls that write something a user sees, or record it.
var outputCalls = map[string]bool{
	"Emit": true, "Warn": true, "Record": true, "Addf": true,
	"Print": true, "Printf": true, "Println": true, "Fprint": true, "Fprintf": true, "Fprintln": true,
	"Write": true, "WriteString": true, "WriteByte": true, "WriteRune": true,
	"SetKey": true, "Append": true, "Log": true, "Logf": true,
}

// escapes lists how the order of one range over a map leaves the loop.
func escapes(info *types.Info, fnBody *ast.BlockStmt, r *ast.RangeStmt) []finding {
	inLoop := func(id *ast.Ident) bool {
		obj := info.ObjectOf(id)
		return obj != nil && obj.Pos() >= r.Pos() && obj.Pos() < r.End()
	}
	mapType := info.TypeOf(r.X).String()
	var out []finding
	assignsOuter := false
	inspectOwn(r.Body, func(n ast.Node) {
		switch x := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range x.Lhs {
				id := rootIdent(lhs)
				if id == nil || inLoop(id) || id.Name == "_" {
					continue
				}
				if _, isIndex := lhs.(*ast.IndexExpr); !isIndex {
					assignsOuter = true
				}
				if i < len(x.Rhs) && isAppendTo(x.Rhs[i], lhs) && !sortedAfter(fnBody, r, lhs) {
					out = append(out, finding{pos: x.Pos(), text: fmt.Sprintf("a range over a map (%s) appends to %s, which is not sorted afterwards", mapType, exprText(lhs))})
				}
			}
		case *ast.ReturnStmt:
			for _, res := range x.Results {
				if tv := info.Types[res]; tv.Value != nil || tv.IsNil() {
					continue
				}
				if mentionsLoopVar(res, inLoop) {
					out = append(out, finding{pos: x.Pos(), text: fmt.Sprintf("a range over a map (%s) returns what it met first", mapType)})
					break
				}
			}
		case *ast.CallExpr:
			if name := callName(x); outputCalls[name] {
				out = append(out, finding{pos: x.Pos(), text: fmt.Sprintf("a range over a map (%s) calls %s as it goes", mapType, name)})
			}
		}
	})
	if assignsOuter && breaksLoop(r.Body) {
		out = append(out, finding{pos: r.Pos(), text: fmt.Sprintf("a range over a map (%s) keeps the first match and stops (break)", mapType)})
	}
	return out
}

// rootIdent is the variable an assignment target belongs to: x in x,
// x.f, x[i].
func rootIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// isAppendTo reports whether rhs is append(lhs, ...).
func isAppendTo(rhs, lhs ast.Expr) bool {
	call, ok := rhs.(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return false
	}
	if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "append" {
		return false
	}
	return exprText(call.Args[0]) == exprText(lhs)
}

// sortedAfter reports whether the function sorts target after the loop:
// sort.X(target, ...) or slices.SortX(target, ...).
func sortedAfter(fnBody *ast.BlockStmt, r *ast.RangeStmt, target ast.Expr) bool {
	want := exprText(target)
	sorted := false
	ast.Inspect(fnBody, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || call.Pos() < r.End() || len(call.Args) == 0 {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		pkg, ok := sel.X.(*ast.Ident)
		if ok && (pkg.Name == "sort" || pkg.Name == "slices" && strings.HasPrefix(sel.Sel.Name, "Sort")) && exprText(call.Args[0]) == want {
			sorted = true
		}
		return true
	})
	return sorted
}

func mentionsLoopVar(e ast.Expr, inLoop func(*ast.Ident) bool) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && inLoop(id) {
			found = true
		}
		return !found
	})
	return found
}

func callName(call *ast.CallExpr) string {
	switch f := call.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

// breaksLoop reports whether body leaves the loop it belongs to with an
// unlabelled break (a break inside a nested for, switch or select leaves
// only that statement).
func breaksLoop(body *ast.BlockStmt) bool {
	found := false
	var walk func(n ast.Node) bool
	walk = func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit, *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			return false
		case *ast.BranchStmt:
			if x.Tok == token.BREAK && x.Label == nil {
				found = true
			}
		}
		return !found
	}
	for _, st := range body.List {
		ast.Inspect(st, walk)
	}
	return found
}

func exprText(e ast.Expr) string { return types.ExprString(e) }
