package lang

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// RunOptions configures one run of a runbook.
type RunOptions struct {
	Out       io.Writer // the transcript
	JSON      bool      // events as JSON lines
	Colour    bool      // colour the text transcript's lines by their tone
	MaxSteps  uint64    // 0: DefaultMaxSteps
	MaxMemory uint64    // 0: DefaultMaxMemory
	Sets      []string  // "name=value" for param()
	World     World     // nil: an empty world
}

// Prepare builds a session ready to run the runbook at path.
func Prepare(p Plugin, path string, opt RunOptions) (*Session, string, error) {
	w := opt.World
	if w == nil {
		w = p.NewWorld()
	}
	s := NewSession(w, p.Builtins(), opt.Out)
	s.JSON, s.Colour = opt.JSON, opt.Colour
	if opt.MaxSteps > 0 {
		s.MaxSteps = opt.MaxSteps
	}
	if opt.MaxMemory > 0 {
		s.MaxMemory = opt.MaxMemory
	}
	given := map[string]string{}
	for _, kv := range opt.Sets {
		name, v, err := ParseSet(kv)
		if err != nil {
			return nil, "", err
		}
		_, raw, _ := strings.Cut(kv, "=")
		if prev, twice := given[name]; twice && prev != raw {
			return nil, "", fmt.Errorf("--set %s is given twice, as %q and as %q; give it once", name, prev, raw)
		}
		given[name] = raw
		s.Params[name] = v
	}
	return s, s.openFolder(path), nil
}

// openFolder makes the folder of the runbook at path the session's folder
// and returns the runbook's name inside it.
func (s *Session) openFolder(path string) string {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	dir = filepath.Clean(dir)
	s.Files = FolderFS(dir)
	s.Dir = filepath.ToSlash(dir)
	return base
}

// FolderFS gives read access to the files under dir and nothing else: a
// symbolic link that leads out of the folder is refused, not followed.
func FolderFS(dir string) fs.FS {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return os.DirFS(dir) // reads then fail with the folder's own error
	}
	return root.FS()
}

// RunFile runs the runbook at path and returns its session (for the final
// world and progress) and the run's error.
func RunFile(p Plugin, path string, opt RunOptions) (*Session, error) {
	s, name, err := Prepare(p, path, opt)
	if err != nil {
		return nil, err
	}
	_, err = s.ExecFile(name)
	return s, err
}

// ParseSet parses a --set argument: name=value, the value read as a
// Starlark literal (number, string, bool, None, or a list, tuple or dict of
// literals), else taken as a plain string.
func ParseSet(kv string) (string, starlark.Value, error) {
	name, raw, ok := strings.Cut(kv, "=")
	if !ok || name == "" {
		return "", nil, fmt.Errorf("--set %q: write --set name=value", kv)
	}
	if !isIdent(name) {
		return "", nil, fmt.Errorf("--set %q: %q is not a parameter name", kv, name)
	}
	expr, err := syntax.ParseExpr("--set", raw, 0)
	if err != nil || !isLiteral(expr) {
		return name, starlark.String(raw), nil
	}
	t := &starlark.Thread{Name: "--set"}
	v, err := starlark.EvalExprOptions(&syntax.FileOptions{}, t, expr, nil)
	if err != nil {
		return name, starlark.String(raw), nil
	}
	return name, v, nil
}

func isIdent(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

func isLiteral(e syntax.Expr) bool {
	switch x := e.(type) {
	case *syntax.Literal:
		return true
	case *syntax.Ident:
		return x.Name == "True" || x.Name == "False" || x.Name == "None"
	case *syntax.UnaryExpr:
		return (x.Op == syntax.MINUS || x.Op == syntax.PLUS) && isLiteral(x.X)
	case *syntax.ParenExpr:
		return isLiteral(x.X)
	case *syntax.ListExpr:
		for _, y := range x.List {
			if !isLiteral(y) {
				return false
			}
		}
		return true
	case *syntax.TupleExpr:
		for _, y := range x.List {
			if !isLiteral(y) {
				return false
			}
		}
		return true
	case *syntax.DictExpr:
		for _, y := range x.List {
			kv := y.(*syntax.DictEntry)
			if !isLiteral(kv.Key) || !isLiteral(kv.Value) {
				return false
			}
		}
		return true
	}
	return false
}
