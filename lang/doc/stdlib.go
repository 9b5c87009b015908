package doc

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"unicode/utf8"

	"clusterscript/lang"
	"clusterscript/stdlib"

	"go.starlark.net/syntax"
)

// A Module is one file of the standard library, documented by its
// docstrings.
type Module struct {
	Name      string // "lab.star"
	Summary   string // the first paragraph of its docstring
	Doc       string // the rest of its docstring
	Funcs     []*Func
	Constants []Constant
}

// Path is how a runbook loads the module: "@stdlib//lab.star".
func (m *Module) Path() string { return lang.StdlibPrefix + m.Name }

// A Func is a public function of the standard library.
type Func struct {
	Module  *Module
	Name    string
	Params  string // "(nodes=4, data_disks=2, version=\"2003\")", as builtins write theirs
	Summary string // the first paragraph of its docstring, on one line
	Doc     string // the rest of its docstring
}

// Signature is the name followed by the parameter list.
func (f *Func) Signature() string { return f.Name + f.Params }

// A Constant is a public top-level name bound to a value.
type Constant struct{ Name, Value string }

// Stdlib reads the standard library's modules, sorted by name.
func Stdlib() ([]*Module, error) {
	names, err := fs.Glob(stdlib.FS, "*.star")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []*Module
	for _, name := range names {
		src, err := fs.ReadFile(stdlib.FS, name)
		if err != nil {
			return nil, err
		}
		m, err := parseModule(name, src)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

func parseModule(name string, src []byte) (*Module, error) {
	f, err := lang.FileOptions.Parse(lang.StdlibPrefix+name, src, 0)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(string(src), "\n")
	m := &Module{Name: name}
	m.Summary, m.Doc = splitDocstring(docstring(f.Stmts))
	for _, st := range f.Stmts {
		switch x := st.(type) {
		case *syntax.DefStmt:
			if strings.HasPrefix(x.Name.Name, "_") {
				continue
			}
			fn := &Func{Module: m, Name: x.Name.Name, Params: params(lines, x.Params)}
			fn.Summary, fn.Doc = splitDocstring(docstring(x.Body))
			m.Funcs = append(m.Funcs, fn)
		case *syntax.AssignStmt:
			if id, ok := x.LHS.(*syntax.Ident); ok && x.Op == syntax.EQ && !strings.HasPrefix(id.Name, "_") {
				m.Constants = append(m.Constants, Constant{id.Name, text(lines, x.RHS)})
			}
		}
	}
	return m, nil
}

// docstring is the string literal that opens a body, or "".
func docstring(body []syntax.Stmt) string {
	if len(body) == 0 {
		return ""
	}
	if e, ok := body[0].(*syntax.ExprStmt); ok {
		if lit, ok := e.X.(*syntax.Literal); ok {
			if s, ok := lit.Value.(string); ok {
				return s
			}
		}
	}
	return ""
}

// splitDocstring returns a docstring's first paragraph joined on one line,
// and the rest with the indentation its lines share removed.
func splitDocstring(s string) (summary, rest string) {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	i := 0
	var first []string
	for ; i < len(lines) && strings.TrimSpace(lines[i]) != ""; i++ {
		first = append(first, strings.TrimSpace(lines[i]))
	}
	body := lines[i:]
	indent := -1
	for _, l := range body {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " "))
		if indent < 0 || n < indent {
			indent = n
		}
	}
	for j, l := range body {
		if len(l) >= indent && indent > 0 {
			body[j] = l[indent:]
		}
		body[j] = strings.TrimRight(body[j], " ")
	}
	return strings.Join(first, " "), strings.Trim(strings.Join(body, "\n"), "\n")
}

// params renders a def's parameters as builtins write theirs: no spaces
// around "=", each default as its source text.
func params(lines []string, ps []syntax.Expr) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		switch x := p.(type) {
		case *syntax.Ident:
			parts[i] = x.Name
		case *syntax.BinaryExpr:
			parts[i] = x.X.(*syntax.Ident).Name + "=" + text(lines, x.Y)
		case *syntax.UnaryExpr:
			parts[i] = x.Op.String()
			if x.X != nil {
				parts[i] += x.X.(*syntax.Ident).Name
			}
		default:
			parts[i] = fmt.Sprintf("%T", p)
		}
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// text is the source text of an expression, on one line.
func text(lines []string, e syntax.Expr) string {
	start, end := e.Span()
	var b strings.Builder
	for l := start.Line; l <= end.Line && int(l) <= len(lines); l++ {
		line := lines[l-1]
		from, to := 0, len(line)
		if l == start.Line {
			from = byteCol(line, start.Col)
		}
		if l == end.Line {
			to = byteCol(line, end.Col)
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strings.TrimSpace(line[from:to]))
	}
	return b.String()
}

// byteCol turns a 1-based rune column into a byte offset in line.
func byteCol(line string, col int32) int {
	off := 0
	for c := int32(1); c < col && off < len(line); c++ {
		_, n := utf8.DecodeRuneInString(line[off:])
		off += n
	}
	return off
}
