package lang

import (
	"sync"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Programs keeps the compiled runbooks and modules of sessions that run the
// same files again and again (the fault explorer runs a runbook once per
// case), so that each file is parsed and compiled once. Compiled programs
// are immutable: sessions on many goroutines may share one Programs. The
// zero value is ready to use.
type Programs struct {
	mu sync.Mutex
	m  map[programKey]*program
}

type programKey struct {
	display, src string
	probed       bool // the main file of a session with a Probe (instrumented)
}

// A program is a file compiled for a session, or why it could not be.
type program struct {
	file  *syntax.File
	prog  *starlark.Program
	sites []probeSite // the top-level calls of an instrumented main file
	err   error       // a syntax or resolve error, before hints
}

// compile parses and compiles the file name holding src; main is set for
// the runbook the session runs (rather than a module it loads).
func (s *Session) compile(name string, src []byte, main bool) *program {
	key := programKey{display: s.display(name), src: string(src), probed: main && s.Probe != nil}
	if s.Programs == nil {
		return s.build(key, src)
	}
	p := s.Programs
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.m[key]; ok {
		return c
	}
	c := s.build(key, src)
	if p.m == nil {
		p.m = map[programKey]*program{}
	}
	p.m[key] = c
	return c
}

func (s *Session) build(key programKey, src []byte) *program {
	f, err := parseSource(key.display, src)
	if err != nil {
		return &program{err: err}
	}
	c := &program{file: f}
	if key.probed {
		c.sites = instrument(f)
	}
	pre := s.predeclared()
	c.prog, c.err = starlark.FileProgram(f, pre.Has)
	return c
}
