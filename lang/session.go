package lang

import (
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"
	"sync/atomic"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// DefaultMaxSteps is the step budget of a run unless --max-steps says
// otherwise.
const DefaultMaxSteps = 100_000_000

// FileOptions is the dialect: while loops, sets, top-level if/for and global
// reassignment; recursion stays off.
var FileOptions = &syntax.FileOptions{
	Set:             true,
	While:           true,
	TopLevelControl: true,
	GlobalReassign:  true,
}

const sessionKey = "clusterscript.session"

// SessionOf returns the session a thread belongs to, or nil.
func SessionOf(thread *starlark.Thread) *Session {
	s, _ := thread.Local(sessionKey).(*Session)
	return s
}

// A Session runs runbooks against one world and writes the transcript.
type Session struct {
	World    World
	Registry *Registry

	// Out receives the transcript: one line per event, or one JSON object
	// per event when JSON is set. Colour colours the lines of failures,
	// warnings and automatic decisions (a terminal's transcript).
	Out    io.Writer
	JSON   bool
	Colour bool

	// Files is the folder the main runbook lives in; load() reaches only
	// .star files inside it (and the embedded stdlib). Dir is how that
	// folder is shown in messages.
	Files fs.FS
	Dir   string

	// Probe, when set, is told where the run is at each place the fault
	// explorer may inject a fault (probe.go).
	Probe Probe
	// Programs, when set, keeps the files the session compiles for other
	// sessions running the same files (programs.go).
	Programs *Programs

	MaxSteps uint64
	// MaxMemory is the heap budget in bytes (0: none); passing it stops
	// the run like Ctrl-C, naming the line.
	MaxMemory uint64
	Params    map[string]starlark.Value

	progress  Progress
	flushed   int    // events written to Out so far
	hold      int    // catch() nesting: output is held until the transaction commits
	quiet     int    // quietly() nesting
	quietFrom int    // the first event of the outermost quietly() running
	folds     []fold // finished quietly() runs not yet written, in order
	buf       []byte // the transcript text being written
	writeErr  error
	usedSteps uint64
	paramsUse map[string]bool
	modules   map[string]*module
	files     map[string]*syntax.File // parsed runbooks and modules, for their load statements
	loading   []string
	sites     []probeSite         // the main file's top-level calls, when a Probe watches
	pre       starlark.StringDict // the builtins and the probe, when a Probe watches

	mu        sync.Mutex
	threads   []*starlark.Thread
	cancel    string
	stopWatch func()        // ends the memory watch while threads run
	calls     atomic.Uint32 // builtin calls, for the memory check (limits.go)
}

type module struct {
	globals starlark.StringDict
	err     error
}

// NewSession returns a session on world w with the builtins of reg. Only
// `clusterscript check`, which runs nothing, makes one without a world.
func NewSession(w World, reg *Registry, out io.Writer) *Session {
	if out == nil {
		out = io.Discard
	}
	s := &Session{
		World:     w,
		Registry:  reg,
		Out:       out,
		MaxSteps:  DefaultMaxSteps,
		MaxMemory: DefaultMaxMemory,
		Params:    map[string]starlark.Value{},
		paramsUse: map[string]bool{},
		modules:   map[string]*module{},
		files:     map[string]*syntax.File{},
	}
	if w != nil {
		s.flushed = w.Mark()
	}
	return s
}

// Interrupt cancels every running thread of the session (Ctrl-C). It is
// safe to call from another goroutine.
func (s *Session) Interrupt(reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cancel = reason
	for _, t := range s.threads {
		t.Cancel(reason)
	}
}

// ClearInterrupt forgets an earlier Interrupt so that the next statement
// can run (the REPL does this after Ctrl-C).
func (s *Session) ClearInterrupt() {
	s.mu.Lock()
	s.cancel = ""
	s.mu.Unlock()
}

// NewThread returns a thread bound to the session, with the transcript as
// print, the loader, and what is left of the step budget.
func (s *Session) NewThread(name string) *starlark.Thread {
	t := &starlark.Thread{
		Name: name,
		Print: func(t *starlark.Thread, msg string) {
			s.beforeOutput(t)
			s.World.Record(KindPrint, msg)
			s.afterOutput()
		},
		Load: s.load,
	}
	t.SetLocal(sessionKey, s)
	max := s.MaxSteps
	t.OnMaxSteps = func(t *starlark.Thread) {
		s.mu.Lock()
		left := s.stepsLeft()
		s.mu.Unlock()
		if left == 0 {
			t.Cancel(fmt.Sprintf("the step budget of %d steps (--max-steps) is used up; a loop may not terminate", max))
			return
		}
		s.Flush() // a long computation does not hold back what came before it
		s.mu.Lock()
		arm(t, s.stepsLeft())
		s.mu.Unlock()
	}
	s.mu.Lock()
	arm(t, s.stepsLeft())
	if len(s.threads) == 0 {
		s.stopWatch = s.watchMemory()
	}
	s.threads = append(s.threads, t)
	if s.cancel != "" {
		t.Cancel(s.cancel)
	}
	s.mu.Unlock()
	return t
}

// stepsLeft is what remains of the budget after the finished threads and
// the steps the running ones (a runbook and the modules it is loading)
// have taken so far. The caller holds s.mu.
func (s *Session) stepsLeft() uint64 {
	used := s.usedSteps
	for _, t := range s.threads {
		used += t.ExecutionSteps()
	}
	if used >= s.MaxSteps {
		return 0
	}
	return s.MaxSteps - used
}

// arm sets when thread t next stops to look around (OnMaxSteps): when the
// budget, of which left steps remain, is used up, or after flushSteps more
// steps, to write out pending output.
func arm(t *starlark.Thread, left uint64) {
	// At least 1: SetMaxExecutionSteps reads 0 as "no limit".
	t.SetMaxExecutionSteps(t.ExecutionSteps() + max(min(left, flushSteps), 1))
}

// releaseThread counts a finished thread's steps against the budget and
// takes them off what the threads still running (those waiting on the
// load it served) may use.
func (s *Session) releaseThread(t *starlark.Thread) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.usedSteps += t.ExecutionSteps()
	for i, x := range s.threads {
		if x == t {
			s.threads = append(s.threads[:i], s.threads[i+1:]...)
			break
		}
	}
	left := s.stepsLeft()
	for _, x := range s.threads {
		arm(x, left)
	}
	if len(s.threads) == 0 && s.stopWatch != nil {
		s.stopWatch()
		s.stopWatch = nil
	}
}

// Stopped reports whether the run must end whatever the runbook does: the
// session was interrupted or the step budget is used up. catch() does not
// turn these into a message.
func (s *Session) Stopped() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cancel != "" || s.stepsLeft() == 0
}

// predeclared is what every runbook and module starts with: the builtins.
func (s *Session) predeclared() starlark.StringDict {
	if s.Probe == nil {
		return s.Registry.Predeclared()
	}
	if s.pre == nil {
		reg := s.Registry.Predeclared()
		s.pre = make(starlark.StringDict, len(reg)+1)
		for k, v := range reg {
			s.pre[k] = v
		}
		s.pre[probeName] = probeBuiltin
	}
	return s.pre
}

// ExecFile runs a runbook file given by its path inside Files, shown as
// display in messages.
func (s *Session) ExecFile(name string) (starlark.StringDict, error) {
	src, err := fs.ReadFile(s.Files, name)
	if err != nil {
		return nil, &FileError{What: "runbook", Path: s.display(name), Err: err}
	}
	return s.ExecSource(name, src)
}

// ExecSource runs a runbook's source, named name inside Files.
func (s *Session) ExecSource(name string, src []byte) (starlark.StringDict, error) {
	t := s.NewThread(name)
	defer s.releaseThread(t)
	// The main file is in progress like a module being loaded, so that a
	// module loading it back is a cycle, not a second run of the file.
	prev, had := s.modules[name]
	s.modules[name] = nil
	s.loading = append(s.loading, name)
	defer func() {
		s.loading = s.loading[:len(s.loading)-1]
		if had {
			s.modules[name] = prev
		} else {
			delete(s.modules, name)
		}
	}()
	t.SetLocal(fromKey, name)
	g, err := s.exec(t, name, src, true)
	s.Flush()
	return g, err
}

// exec parses, resolves and runs a runbook (main) or module on thread t,
// keeping its syntax tree so that load() can check what the file asks of a
// module.
func (s *Session) exec(t *starlark.Thread, name string, src []byte, main bool) (starlark.StringDict, error) {
	pre := s.predeclared()
	c := s.compile(name, src, main)
	if c.file == nil {
		return nil, c.err
	}
	if c.err != nil {
		return nil, s.hintUndefined(c.err)
	}
	s.files[name] = c.file
	if main {
		s.sites = c.sites
	}
	trackStatements(t, c.file)
	g, err := c.prog.Init(t, pre)
	g.Freeze()
	return g, err
}

func (s *Session) display(name string) string {
	if isStdlib(name) || s.Dir == "" || s.Dir == "." {
		return name
	}
	return strings.TrimSuffix(s.Dir, "/") + "/" + name
}
