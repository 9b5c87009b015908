package lang

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"clusterscript/internal/spell"
	"clusterscript/stdlib"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// StdlibPrefix introduces a module of the embedded standard library.
const StdlibPrefix = "@stdlib//"

const fromKey = "clusterscript.file"

// A LoadError is a load() that cannot be resolved: a missing file, a path
// outside the runbook's folder, a cycle. It is a static error (exit 2).
type LoadError struct {
	Module string
	Msg    string
}

func (e *LoadError) Error() string { return fmt.Sprintf("cannot load %s: %s", e.Module, e.Msg) }

func isStdlib(name string) bool { return strings.HasPrefix(name, StdlibPrefix) }

// ResolveModule maps the module string of a load() in file from to the
// canonical module name: "@stdlib//x.star" or a slash path inside the
// runbook's folder.
func ResolveModule(from, module string) (string, error) {
	bad := func(format string, args ...any) error {
		return &LoadError{Module: module, Msg: fmt.Sprintf(format, args...)}
	}
	if !strings.HasSuffix(module, ".star") {
		return "", bad("only .star files can be loaded")
	}
	if isStdlib(module) {
		rest := module[len(StdlibPrefix):]
		clean := path.Clean(rest)
		if !fs.ValidPath(clean) || clean != rest {
			return "", bad("not a module of the standard library; write @stdlib//name.star")
		}
		return StdlibPrefix + clean, nil
	}
	if strings.HasPrefix(module, "@") {
		return "", bad("the only repository is @stdlib//; other modules are .star files in the runbook's folder")
	}
	if strings.HasPrefix(module, "/") || strings.Contains(module, `\`) || (len(module) > 1 && module[1] == ':') {
		return "", bad("absolute paths are refused: a runbook loads only .star files under its own folder, by relative path")
	}
	if isStdlib(from) {
		dir := path.Dir(from[len(StdlibPrefix):])
		joined := path.Join(dir, module)
		if !fs.ValidPath(joined) {
			return "", bad("a standard-library module loads only other standard-library modules")
		}
		return StdlibPrefix + joined, nil
	}
	joined := path.Join(path.Dir(from), module)
	if joined == ".." || strings.HasPrefix(joined, "../") || !fs.ValidPath(joined) {
		return "", bad("the path leaves the runbook's folder; a runbook loads only .star files under its own folder")
	}
	return joined, nil
}

func (s *Session) readModule(name string) ([]byte, error) {
	if isStdlib(name) {
		src, err := fs.ReadFile(stdlib.FS, name[len(StdlibPrefix):])
		if err != nil {
			return nil, &LoadError{Module: name, Msg: "no such module in the standard library (see `clusterscript doc` and stdlib/)"}
		}
		return src, nil
	}
	src, err := fs.ReadFile(s.Files, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &LoadError{Module: name, Msg: fmt.Sprintf("no such file %s", s.display(name))}
		}
		return nil, &LoadError{Module: name, Msg: fmt.Sprintf("cannot read %s: %s", s.display(name), FileProblem(err))}
	}
	return src, nil
}

// load implements Thread.Load: each module runs once per session on its own
// thread with the same builtins; an in-progress entry detects cycles.
func (s *Session) load(thread *starlark.Thread, modName string) (starlark.StringDict, error) {
	from, _ := thread.Local(fromKey).(string)
	name, err := ResolveModule(from, modName)
	if err != nil {
		return nil, err
	}
	if m, ok := s.modules[name]; ok {
		if m == nil {
			chain := append(append([]string(nil), s.loading...), name)
			for i := range chain {
				chain[i] = s.display(chain[i])
			}
			return nil, &LoadError{Module: modName, Msg: "load cycle: " + strings.Join(chain, " → ")}
		}
		if m.err != nil {
			return nil, m.err
		}
		return m.globals, s.checkImports(from, modName, m.globals)
	}
	src, err := s.readModule(name)
	if err != nil {
		return nil, err
	}
	s.modules[name] = nil
	t := s.NewThread(name)
	t.SetLocal(fromKey, name)
	s.loading = append(s.loading, name)
	globals, err := s.exec(t, name, src, false)
	s.loading = s.loading[:len(s.loading)-1]
	s.releaseThread(t)
	s.Flush()
	s.modules[name] = &module{globals: globals, err: err}
	if err != nil {
		return nil, err
	}
	return globals, s.checkImports(from, modName, globals)
}

// checkImports makes a name that a load statement of from asks for and the
// module does not define a static error, as `clusterscript check` reports
// it, rather than the interpreter's run-time error.
func (s *Session) checkImports(from, modName string, globals starlark.StringDict) error {
	f := s.files[from]
	if f == nil {
		return nil
	}
	for _, st := range f.Stmts { // load statements are top-level only
		ld, ok := st.(*syntax.LoadStmt)
		if !ok || ld.ModuleName() != modName {
			continue
		}
		for _, id := range ld.From {
			if _, ok := globals[id.Name]; ok || strings.HasPrefix(id.Name, "_") {
				continue
			}
			return &StaticError{Pos: id.NamePos, Msg: "load: " + notDefined(modName, id.Name, globals.Keys())}
		}
	}
	return nil
}

// notDefined says that a module lacks a name, suggesting the nearest one
// it exports.
func notDefined(modName, name string, defined []string) string {
	var exported []string
	for _, n := range defined {
		if !strings.HasPrefix(n, "_") {
			exported = append(exported, n)
		}
	}
	msg := fmt.Sprintf("%s does not define %s", modName, name)
	if s := spell.Nearest(name, exported); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return msg
}
