package lang

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// A LineReader supplies the REPL's input one line at a time. Prompt shows
// prompt and returns the line typed, without its newline. It returns io.EOF
// when the input ends (Ctrl-D) and ErrInterrupted when the user abandons
// the line (Ctrl-C).
type LineReader interface {
	Prompt(prompt string) (string, error)
}

// ErrInterrupted is what a LineReader returns for Ctrl-C at a prompt.
var ErrInterrupted = errors.New("interrupted")

// The REPL's prompts: a new statement, and the continuation of one.
const (
	PromptStatement    = ">>> "
	PromptContinuation = "... "
)

// replOptions is the dialect at the prompt: the runbook dialect, with load()
// bindings kept as globals so that a load on one line serves the next.
var replOptions = func() *syntax.FileOptions {
	o := *FileOptions
	o.LoadBindsGlobally = true
	return &o
}()

// REPLOptions configures an interactive session.
type REPLOptions struct {
	In  LineReader
	Out io.Writer // values, the transcript, command output
	Err io.Writer // errors; nil means Out

	// StatePath, when set, is read before the session starts (a missing
	// file is an empty world) and rewritten atomically after every
	// statement that changed the world, so that it always holds the
	// session's world.
	StatePath string

	// Runbook, when set, is a runbook file that runs before the first
	// prompt; the prompt opens on its world and sees its globals. Its
	// folder is the session's folder (load, :load, :save); without it the
	// session's folder is the current directory.
	Runbook string

	// Interactive prints a banner before the first prompt and a newline
	// when the input ends.
	Interactive bool

	// Colour colours the transcript's lines by their tone; ColourErrors
	// the first line of each error (Out and Err may be different streams).
	Colour, ColourErrors bool

	// MaxMemory is the heap budget (0: DefaultMaxMemory); a statement
	// that passes it fails and the session goes on.
	MaxMemory uint64
}

// A REPL is an interactive session: it reads statements through a
// LineReader, runs them against one world and prints their events and
// values. Errors are printed and never end it.
type REPL struct {
	plugin      Plugin
	reg         *Registry
	in          LineReader
	out, errw   io.Writer
	statePath   string
	interactive bool
	colour      bool // the transcript's lines
	maxMemory   uint64
	colourErrs  bool

	files   fs.FS  // the session's folder
	dir     string // that folder as a host path
	runbook string // the runbook's path inside files, or ""

	// base is the world the session started from, before the runbook:
	// where :reset starts over and what a saved runbook builds on.
	base       []byte
	baseEvents int
	baseClock  string

	s        *Session
	globals  starlark.StringDict
	entries  []entry
	failures int
	line     int               // input lines read so far, for positions in piped input
	helpFn   *starlark.Builtin // the REPL's help(), a global of every session

	mu      sync.Mutex // guards running and s for Interrupt
	running bool
}

// An entry is one statement (or block) the session ran, for :save.
type entry struct {
	src     string // source text, ending in a newline
	note    string // a comment written before it, e.g. ":load x.star"
	failed  bool
	changed bool // the world changed while it ran
	expr    bool // a sole expression, whose value became _
	calls   bool // it calls something (an expression without calls changes nothing)
	usesUs  bool // it mentions _
	stmts   int  // how many top-level statements it holds
	runbook bool // it comes from the command-line runbook
	help    bool // a call of the REPL's help(), which :save leaves out
}

var errQuit = errors.New("quit")

// NewREPL prepares a session. It fails when the state file cannot be read
// or the runbook does not exist.
func NewREPL(p Plugin, opt REPLOptions) (*REPL, error) {
	if opt.In == nil {
		return nil, errors.New("lang: a REPL needs a LineReader")
	}
	r := &REPL{plugin: p, reg: p.Builtins(), in: opt.In, out: opt.Out, errw: opt.Err, statePath: opt.StatePath, interactive: opt.Interactive,
		colour: opt.Colour, colourErrs: opt.ColourErrors, maxMemory: opt.MaxMemory}
	if r.out == nil {
		r.out = io.Discard
	}
	if r.errw == nil {
		r.errw = r.out
	}
	w := p.NewWorld()
	if opt.StatePath != "" {
		var err error
		if w, err = ReadState(p, opt.StatePath); err != nil {
			return nil, err
		}
	}
	base, err := w.Save()
	if err != nil {
		return nil, err
	}
	r.base, r.baseEvents, r.baseClock = base, w.Mark(), w.Clock()
	r.dir = "."
	if opt.Runbook != "" {
		if _, err := os.Stat(opt.Runbook); err != nil {
			return nil, &FileError{What: "runbook", Path: opt.Runbook, Err: err}
		}
		dir, name := filepath.Split(opt.Runbook)
		if dir != "" {
			r.dir = filepath.Clean(dir)
		}
		r.runbook = name
	}
	r.files = FolderFS(r.dir)
	return r, nil
}

// Session is the session the REPL currently runs in (a new one after
// :reset).
func (r *REPL) Session() *Session {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.s
}

// Globals are the session's global names, builtins included.
func (r *REPL) Globals() starlark.StringDict { return r.globals }

// Interrupt stops the statement that is running, if any (Ctrl-C), and
// reports whether there was one. It is safe to call from another goroutine.
func (r *REPL) Interrupt() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.running {
		return false
	}
	r.s.Interrupt("interrupted (Ctrl-C)")
	return true
}

// Run runs the runbook, if any, then reads, evaluates and prints until
// the input ends or :quit. It returns how many statements failed, and an
// error only when the LineReader fails.
func (r *REPL) Run() (failed int, err error) {
	r.begin(false)
	if r.interactive {
		fmt.Fprintf(r.out, "clusterscript REPL, %s. :help lists commands and builtins; Ctrl-D quits.\n", r.summary())
		if r.dir != "." {
			fmt.Fprintf(r.out, "load(), :load and :save paths are relative to %s.\n", r.dir)
		}
	}
	for {
		err := r.step()
		if err == nil {
			continue
		}
		if err == io.EOF && r.interactive {
			fmt.Fprintln(r.out)
		}
		if err == io.EOF || err == errQuit {
			return r.failures, nil
		}
		return r.failures, err
	}
}

// summary describes the world in a few words.
func (r *REPL) summary() string {
	w := r.s.World
	if w.Mark() == 0 {
		return "empty world at " + w.Clock()
	}
	return fmt.Sprintf("world at %s with %s", w.Clock(), plural(w.Mark(), "event"))
}

// begin starts the session over: the base world, fresh globals and the
// runbook run again (read anew, so edits to it take effect). quiet keeps
// the runbook's events off the output.
func (r *REPL) begin(quiet bool) {
	w, err := r.plugin.LoadWorld(string(r.base))
	if err != nil { // the bytes came from Save a moment ago
		panic("lang: the base world does not reload: " + err.Error())
	}
	s := NewSession(w, r.reg, r.out)
	s.Files, s.Dir = r.files, filepath.ToSlash(r.dir)
	s.Colour = r.colour
	if r.maxMemory > 0 {
		s.MaxMemory = r.maxMemory
	}
	pre := r.reg.Predeclared()
	globals := make(starlark.StringDict, len(pre)+16)
	for k, v := range pre {
		globals[k] = v // ExecREPLChunk ignores predeclared names
	}
	if r.helpFn == nil {
		r.helpFn = starlark.NewBuiltin("help", r.helpBuiltin)
	}
	if _, taken := globals["help"]; !taken {
		globals["help"] = r.helpFn
	}
	r.mu.Lock()
	r.s, r.globals, r.entries = s, globals, nil
	r.mu.Unlock()
	if r.runbook == "" {
		return
	}
	if quiet { // the events were shown once; errors are shown again
		s.Out = io.Discard
	}
	src, err := fs.ReadFile(r.files, r.runbook)
	if err != nil {
		fmt.Fprintln(r.errw, &FileError{What: "runbook", Path: s.display(r.runbook), Err: err})
		r.failures++
	} else {
		r.runBlock(r.runbook, string(src), fmt.Sprintf("From %s, run before the first prompt:", s.display(r.runbook)), 0)
		for i := range r.entries {
			r.entries[i].runbook = true
		}
	}
	s.Out = r.out
}

// prompt reads one line of input, counting the lines read.
func (r *REPL) prompt(p string) (string, error) {
	line, err := r.in.Prompt(p)
	if err == nil {
		r.line++
	}
	return line, err
}

// lineBase is what positions in typed input are counted from: a statement
// typed at a terminal starts at line 1, as in Python's REPL; piped input
// counts from the start of the input, so an error names the input's line.
func (r *REPL) lineBase(first int) int {
	if r.interactive {
		return 0
	}
	return first - 1
}

// step reads and handles one statement or command.
func (r *REPL) step() error {
	r.s.ClearInterrupt()
	line, err := r.prompt(PromptStatement)
	if errors.Is(err, ErrInterrupted) {
		return nil
	}
	if err != nil {
		return err
	}
	trimmed := strings.TrimSpace(line)
	switch {
	case trimmed == "" || strings.HasPrefix(trimmed, "#"):
		return nil
	case strings.HasPrefix(trimmed, ":"):
		return r.command(trimmed)
	case (trimmed == "quit" || trimmed == "exit") && !r.globals.Has(trimmed),
		trimmed == "help" && r.globals["help"] == r.helpFn:
		fmt.Fprintln(r.out, "Type :help for help, help(x) for the documentation of x, :quit or Ctrl-D to leave.")
		return nil
	}
	r.statement(line)
	return nil
}

// statement reads the rest of a statement that begins with first (a def,
// if, for or while block, or an open bracket continues onto more lines),
// runs it and prints its value.
func (r *REPL) statement(first string) {
	lines := []string{first}
	base := r.lineBase(r.line)
	started, eof, interrupted := false, false, false
	readline := func() ([]byte, error) {
		if !started {
			started = true
			return []byte(first + "\n"), nil
		}
		if eof {
			return nil, nil
		}
		l, err := r.prompt(PromptContinuation)
		switch {
		case err == io.EOF: // Ctrl-D ends the block; the next prompt sees the end of input
			eof = true
			return nil, nil
		case err != nil:
			interrupted = errors.Is(err, ErrInterrupted)
			return nil, err
		}
		lines = append(lines, l)
		return []byte(l + "\n"), nil
	}
	f, err := replOptions.ParseCompoundStmt("<stdin>", readline)
	if interrupted {
		return
	}
	if se, ok := err.(syntax.Error); ok {
		se.Pos.Line += int32(base)
		err = se
	}
	if err != nil {
		r.fail(err)
		return
	}
	if len(f.Stmts) == 0 {
		return
	}
	if base > 0 { // parse again, placed where it stands in the input
		if f, err = replOptions.Parse("<stdin>", strings.Repeat("\n", base)+strings.Join(lines, "\n")+"\n", 0); err != nil {
			r.fail(err)
			return
		}
	}
	src := joinLines(lines)
	e := entry{src: src, calls: hasCall(f), usesUs: mentionsUnderscore(f), stmts: len(f.Stmts), help: r.callsHelp(f)}
	if expr := soleExpr(f); expr != nil {
		e.expr = true
		var v starlark.Value
		e.changed, err = r.run("<stdin>", func(t *starlark.Thread) error {
			var err error
			v, err = starlark.EvalExprOptions(replOptions, t, expr, r.globals)
			return err
		})
		if err == nil {
			r.globals["_"] = v
			if v != starlark.None {
				fmt.Fprintln(r.out, v.String())
			}
		}
	} else {
		e.changed, err = r.run("<stdin>", func(t *starlark.Thread) error {
			return starlark.ExecREPLChunk(f, t, r.globals)
		})
	}
	e.failed = err != nil
	if e.failed && e.changed {
		fmt.Fprintln(r.errw, "note: the statement changed the world before it failed; those changes stay, and :save does not replay them.")
	}
	r.entries = append(r.entries, e)
}

func soleExpr(f *syntax.File) syntax.Expr {
	if len(f.Stmts) == 1 {
		if s, ok := f.Stmts[0].(*syntax.ExprStmt); ok {
			return s.X
		}
	}
	return nil
}

// runBlock runs a whole file's worth of source (the runbook, :load, :paste)
// as one chunk, so that its functions may refer to names defined further
// down, and records what ran for :save. Positions in it count from line
// base+1 (a block pasted into piped input stands where it was read).
func (r *REPL) runBlock(name, src, note string, base int) {
	display := name
	if !isInput(name) {
		display = r.s.display(name)
	}
	f, err := replOptions.Parse(display, strings.Repeat("\n", base)+src, 0)
	if err != nil {
		r.fail(err)
		return
	}
	changed, err := r.run(name, func(t *starlark.Thread) error {
		trackStatements(t, f)
		return starlark.ExecREPLChunk(f, t, r.globals)
	})
	src = rebaseLoads(f, src, name)
	whole := entry{src: src, note: note, calls: true, usesUs: mentionsUnderscore(f), stmts: len(f.Stmts)}
	if err == nil {
		r.entries = append(r.entries, whole)
		return
	}
	// Split at the top-level statement that failed: what ran before it is
	// kept; the failed one is recorded as failed.
	var ee *starlark.EvalError
	if !errors.As(err, &ee) || len(ee.CallStack) == 0 {
		return // a static error: nothing ran
	}
	lines := strings.SplitAfter(src, "\n")
	from, to, index := unitAt(f, ee.CallStack[0].Pos.Line)
	from, to = max(1, from-int32(base)), to-int32(base) // lines of src

	if index < 0 {
		whole.failed, whole.changed = true, changed
		r.entries = append(r.entries, whole)
		return
	}
	if index > 0 {
		before := 0
		for _, st := range f.Stmts {
			if start, _ := st.Span(); start.Line-int32(base) < from {
				before++
			}
		}
		r.entries = append(r.entries, entry{src: joinLines(lines[:from-1]), note: note, calls: true, usesUs: whole.usesUs, stmts: before})
	}
	r.entries = append(r.entries, entry{src: joinLines(lines[from-1 : to]), failed: true, changed: changed, calls: true})
	if changed {
		fmt.Fprintf(r.errw, "note: what ran before %s:%d stays in the world; :save replays it but not the statement that failed.\n", display, ee.CallStack[0].Pos.Line)
	}
}

// rebaseLoads rewrites the relative load()s of a file in a subfolder of
// the session's folder to paths from the folder itself, so that its text
// still loads the same modules when :save writes it at the top.
func rebaseLoads(f *syntax.File, src, from string) string {
	if isInput(from) || isStdlib(from) || path.Dir(from) == "." {
		return src
	}
	lines := strings.SplitAfter(src, "\n")
	for _, st := range f.Stmts {
		ld, ok := st.(*syntax.LoadStmt)
		if !ok {
			continue
		}
		module, _ := ld.Module.Value.(string)
		canon, err := ResolveModule(from, module)
		if err != nil || isStdlib(canon) {
			continue
		}
		pos := ld.Module.TokenPos
		i := int(pos.Line) - 1
		if i < 0 || i >= len(lines) || pos.Col < 1 {
			continue
		}
		runes := []rune(lines[i])
		at := len(string(runes[:min(int(pos.Col)-1, len(runes))]))
		if strings.HasPrefix(lines[i][at:], ld.Module.Raw) {
			lines[i] = lines[i][:at] + strconv.Quote(canon) + lines[i][at+len(ld.Module.Raw):]
		}
	}
	return strings.Join(lines, "")
}

// isInput reports whether a chunk name stands for typed input (<stdin>,
// <paste>) rather than a file.
func isInput(name string) bool { return strings.HasPrefix(name, "<") }

// unitAt finds the top-level statement of f on the given line. Statements
// that share a line form one unit; a unit's region starts after the
// previous unit, so comments above a statement go with it. It returns the
// region's first and last line and the unit's index, or -1.
func unitAt(f *syntax.File, line int32) (from, to int32, index int) {
	type unit struct{ from, first, last int32 }
	var units []unit
	for _, st := range f.Stmts {
		start, end := st.Span()
		if n := len(units); n > 0 && start.Line <= units[n-1].last {
			units[n-1].last = max(units[n-1].last, end.Line)
			continue
		}
		prev := int32(0)
		if n := len(units); n > 0 {
			prev = units[n-1].last
		}
		units = append(units, unit{prev + 1, start.Line, end.Line})
	}
	for i, u := range units {
		if u.first <= line && line <= u.last {
			return u.from, u.last, i
		}
	}
	return 0, 0, -1
}

// run runs body on a fresh thread of the session with a full step budget,
// prints the events it produced and any error, and saves the world to the
// state file when it changed.
func (r *REPL) run(from string, body func(t *starlark.Thread) error) (changed bool, err error) {
	s := r.s
	w := s.World
	events, clock := w.Mark(), w.Clock()
	s.usedSteps = 0 // each statement gets the whole budget
	t := s.NewThread(from)
	t.SetLocal(fromKey, from)
	if !isInput(from) {
		s.loading = append(s.loading, from)
	}
	r.setRunning(true)
	err = body(t)
	r.setRunning(false)
	if !isInput(from) {
		s.loading = s.loading[:len(s.loading)-1]
	}
	s.releaseThread(t)
	s.Flush()
	s.ClearInterrupt()
	changed = w.Mark() != events || w.Clock() != clock
	if err != nil {
		r.fail(err)
	}
	if changed {
		r.saveState()
	}
	return changed, err
}

// fail counts a failed statement and prints its error.
func (r *REPL) fail(err error) {
	r.failures++
	msg := FormatError(err, r.s.Progress())
	if r.colourErrs {
		msg = PaintError(msg)
	}
	fmt.Fprint(r.errw, msg)
}

func (r *REPL) setRunning(on bool) {
	r.mu.Lock()
	r.running = on
	r.mu.Unlock()
}

// saveState writes the world to the state file, if there is one.
func (r *REPL) saveState() {
	if r.statePath == "" {
		return
	}
	if err := WriteState(r.statePath, r.s.World); err != nil {
		r.failures++ // a piped session that lost its world must not exit 0
		fmt.Fprintf(r.errw, "warning: the world was not saved: %v\n", err)
	}
}

// joinLines joins input lines into source text ending in one newline,
// without leading or trailing blank lines.
func joinLines(lines []string) string {
	var kept []string
	for _, l := range lines {
		kept = append(kept, strings.TrimRight(l, "\r\n"))
	}
	for len(kept) > 0 && strings.TrimSpace(kept[0]) == "" {
		kept = kept[1:]
	}
	for len(kept) > 0 && strings.TrimSpace(kept[len(kept)-1]) == "" {
		kept = kept[:len(kept)-1]
	}
	if len(kept) == 0 {
		return ""
	}
	return strings.Join(kept, "\n") + "\n"
}

// hasCall reports whether the statements call anything.
func hasCall(f *syntax.File) bool {
	found := false
	for _, st := range f.Stmts {
		syntax.Walk(st, func(n syntax.Node) bool {
			if _, ok := n.(*syntax.CallExpr); ok {
				found = true
			}
			return !found
		})
	}
	return found
}

// mentionsUnderscore reports whether the statements mention the name _.
func mentionsUnderscore(f *syntax.File) bool { return mentions(f, "_") }

// mentions reports whether the statements mention a name.
func mentions(f *syntax.File, name string) bool {
	found := false
	for _, st := range f.Stmts {
		syntax.Walk(st, func(n syntax.Node) bool {
			if id, ok := n.(*syntax.Ident); ok && id.Name == name {
				found = true
			}
			return !found
		})
	}
	return found
}
