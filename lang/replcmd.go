package lang

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"clusterscript/internal/spell"

	"go.starlark.net/starlark"
)

// A replCommand is one of the REPL's colon commands, for :help and
// completion.
type replCommand struct {
	name, args, summary string
}

var replCommands = []replCommand{
	{":help", "[name]", "lists the commands and builtins by topic; with a name, shows that builtin, command or function in full"},
	{":events", "[n|all]", "shows the last n events of the log (default 20)"},
	{":state", "", "shows the world as a tree: domains, servers with their adapters, shared disks"},
	{":save", "FILE.star", "writes the session's statements as a runbook that rebuilds this world, and checks that it does"},
	{":load", "FILE.star", "runs a runbook from the session's folder into this session; its globals become yours"},
	{":paste", "", "reads a block that may contain blank lines, until a line holding only :end (or Ctrl-D), then runs it"},
	{":reset", "", "starts over: the world the session opened with, and the command-line runbook run again"},
	{":quit", "", "leaves the REPL (Ctrl-D does too)"},
}

func commandNames() []string {
	names := make([]string, len(replCommands))
	for i, c := range replCommands {
		names[i] = c.name
	}
	return names
}

// command runs a colon command line.
func (r *REPL) command(line string) error {
	name, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	switch name {
	case ":help", ":h", ":?":
		r.help(arg)
	case ":events":
		r.events(arg)
	case ":state":
		r.state(arg)
	case ":save":
		r.save(arg)
	case ":load":
		r.load(arg)
	case ":paste":
		return r.paste()
	case ":reset":
		r.begin(true)
		r.saveState()
		fmt.Fprintf(r.out, "Started over: %s.\n", r.summary())
	case ":quit", ":q", ":exit":
		return errQuit
	default:
		msg := fmt.Sprintf("unknown command %s", name)
		if s := spell.Nearest(name, commandNames()); s != "" {
			msg += fmt.Sprintf("; did you mean %s?", s)
		}
		fmt.Fprintln(r.errw, msg+" (:help lists the commands)")
	}
	return nil
}

func (r *REPL) help(name string) {
	if name == "" {
		fmt.Fprintln(r.out, "Commands:")
		for _, c := range replCommands {
			fmt.Fprintf(r.out, "  %-18s %s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
		}
		fmt.Fprintln(r.out, "\nBuiltins by topic (:help NAME shows one in full):")
		for _, group := range r.reg.ByTopic() {
			names := make([]string, len(group))
			for i, b := range group {
				names[i] = b.Name
			}
			fmt.Fprint(r.out, WrapList("  "+group[0].Topic+": ", names, 78))
		}
		fmt.Fprintln(r.out, "\nType a statement to run it; an expression's value is printed and kept in _.\nTab completes names, attributes after a dot, and world names inside quotes.")
		return
	}
	for _, c := range replCommands {
		if name == c.name || ":"+name == c.name {
			fmt.Fprintf(r.out, "%s\n\n    %s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
			return
		}
	}
	if b, ok := r.reg.Lookup(name); ok {
		fmt.Fprintf(r.out, "%s\n\n    %s\n", b.Signature(), b.Summary)
		if b.Doc != "" {
			fmt.Fprintf(r.out, "\n%s\n", b.Doc)
		}
		return
	}
	if fn, ok := r.globals[name].(*starlark.Function); ok {
		fmt.Fprintf(r.out, "%s%s, defined at %s\n", fn.Name(), funcParams(fn), fn.Position())
		if doc := fn.Doc(); doc != "" {
			fmt.Fprintf(r.out, "\n%s\n", doc)
		}
		return
	}
	candidates := append(append(r.reg.Names(), commandNames()...), r.globals.Keys()...)
	msg := fmt.Sprintf("no builtin, command or function named %q", name)
	if s := spell.Nearest(name, candidates); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	fmt.Fprintln(r.errw, msg)
}

// funcParams renders a Starlark function's parameter list.
func funcParams(fn *starlark.Function) string {
	n := fn.NumParams()
	parts := make([]string, n)
	for i := range n {
		name, _ := fn.Param(i)
		switch {
		case fn.HasKwargs() && i == n-1:
			name = "**" + name
		case fn.HasVarargs() && i == n-1-btoi(fn.HasKwargs()):
			name = "*" + name
		default:
			if d := fn.ParamDefault(i); d != nil {
				name += "=" + d.String()
			}
		}
		parts[i] = name
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// WrapList writes label followed by names separated by commas, wrapped at
// width with continuation lines indented under the first name.
func WrapList(label string, names []string, width int) string {
	var b strings.Builder
	b.WriteString(label)
	col := len(label)
	pad := strings.Repeat(" ", len(label))
	for i, n := range names {
		item := n
		if i < len(names)-1 {
			item += ","
		}
		if col > len(label) && col+1+len(item) > width {
			b.WriteString("\n" + pad)
			col = len(pad)
		} else if col > len(label) {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(item)
		col += len(item)
	}
	b.WriteByte('\n')
	return b.String()
}

// state draws the world, or the objects named name.
func (r *REPL) state(name string) {
	if name == "" {
		fmt.Fprint(r.out, r.s.World.Draw())
		return
	}
	text, err := r.s.World.DrawObject(unquote(name))
	if err != nil {
		fmt.Fprintln(r.errw, err)
		return
	}
	fmt.Fprint(r.out, text)
}

// unquote takes the quotes off a command's argument written as a Starlark
// string ("EVS1 Group"); other arguments are left as they are.
func unquote(arg string) string {
	if len(arg) < 2 || arg[0] != arg[len(arg)-1] {
		return arg
	}
	switch arg[0] {
	case '"':
		if s, err := strconv.Unquote(arg); err == nil {
			return s
		}
	case '\'':
		return arg[1 : len(arg)-1]
	}
	return arg
}

func (r *REPL) events(arg string) {
	w := r.s.World
	total := w.Mark()
	n := 20
	switch {
	case arg == "all":
		n = total
	case arg != "":
		v, err := strconv.Atoi(arg)
		if err != nil || v < 0 {
			fmt.Fprintf(r.errw, ":events takes a number of events or \"all\", not %q\n", arg)
			return
		}
		n = v
	}
	if total == 0 {
		fmt.Fprintln(r.out, "(no events yet)")
		return
	}
	n = min(n, total)
	if n < total {
		fmt.Fprintf(r.out, "(last %d of %d events)\n", n, total)
	}
	var b []byte
	for i := total - n; i < total; i++ {
		b = w.AppendText(b, i)
	}
	r.out.Write(b)
}

// paste reads a block up to a line holding only :end and runs it as one
// chunk, so code with blank lines inside functions can be pasted.
func (r *REPL) paste() error {
	fmt.Fprintln(r.out, "Paste mode: end with a line holding only :end (or Ctrl-D); Ctrl-C cancels.")
	var lines []string
	for {
		l, err := r.in.Prompt(PromptContinuation)
		if errors.Is(err, ErrInterrupted) {
			fmt.Fprintln(r.out, "(paste cancelled)")
			return nil
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if strings.TrimSpace(l) == ":end" {
			break
		}
		lines = append(lines, l)
	}
	if src := joinLines(lines); src != "" {
		r.runBlock("<paste>", src, "")
	}
	return nil
}

// load runs a runbook file of the session's folder (or the standard
// library) into the session, as if its text had been pasted.
func (r *REPL) load(arg string) {
	if arg == "" {
		fmt.Fprintln(r.errw, "give a file: :load FILE.star (a path under the session's folder, or @stdlib//name.star)")
		return
	}
	name, err := ResolveModule("", arg)
	if err == nil {
		var src []byte
		if src, err = r.s.readModule(name); err == nil {
			r.runBlock(name, string(src), ":load "+arg)
			return
		}
	}
	r.failures++
	fmt.Fprintln(r.errw, err)
}

// save writes the session as a runbook and checks, by running it on the
// world the session started from, that it rebuilds the same world.
func (r *REPL) save(arg string) {
	if arg == "" || !strings.HasSuffix(arg, ".star") {
		fmt.Fprintln(r.errw, "give a runbook file name: :save FILE.star")
		return
	}
	path := arg
	if !filepath.IsAbs(path) {
		path = filepath.Join(r.dir, path)
	}
	text, n := r.runbookText(path)
	if err := WriteFileAtomic(path, []byte(text), 0o644); err != nil {
		fmt.Fprintf(r.errw, "not saved: %v\n", err)
		return
	}
	fmt.Fprintf(r.out, "Saved %s to %s.\n", plural(n, "statement"), path)
	if problem := r.replay(path); problem != "" {
		fmt.Fprintf(r.errw, "warning: running %s does not rebuild this session's world: %s\n", path, problem)
		return
	}
	fmt.Fprintf(r.out, "Checked: running it rebuilds this world exactly (%d events).\n", r.s.World.Mark())
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// replay runs a saved runbook on the base world and compares the result
// with the session's world; it returns what differs, or "".
func (r *REPL) replay(path string) string {
	w, err := r.plugin.LoadWorld(string(r.base))
	if err != nil {
		return err.Error()
	}
	s, err := RunFile(r.plugin, path, RunOptions{Out: io.Discard, World: w})
	if err != nil {
		msg := FormatError(err, Progress{})
		if s != nil {
			msg = FormatError(err, s.Progress())
		}
		first, _, _ := strings.Cut(msg, "\n")
		return "it fails: " + first
	}
	got, err1 := s.World.Save()
	want, err2 := r.s.World.Save()
	if err1 != nil || err2 != nil {
		return "the worlds cannot be compared"
	}
	if string(got) == string(want) {
		return ""
	}
	return worldDifference(r.s.World, s.World)
}

// worldDifference names the first event where two worlds part, or says
// that only their final states differ.
func worldDifference(session, rerun World) string {
	a, b := session.Mark(), rerun.Mark()
	for i := range min(a, b) {
		if string(session.AppendJSON(nil, i)) != string(rerun.AppendJSON(nil, i)) {
			return fmt.Sprintf("event %d differs:\n  session: %s\n  re-run:  %s", i+1,
				strings.TrimSuffix(string(session.AppendText(nil, i)), "\n"), strings.TrimSuffix(string(rerun.AppendText(nil, i)), "\n"))
		}
	}
	if a != b {
		return fmt.Sprintf("the session has %d events, the re-run %d", a, b)
	}
	return "the event logs match but the final worlds differ"
}

// runbookText renders the session as a runbook and counts the statements
// written. A failed statement is left out, or written as a comment when
// the world changed while it ran. An expression whose value a later
// statement reads through _ is written as an assignment to _.
func (r *REPL) runbookText(path string) (string, int) {
	var b strings.Builder
	b.WriteString("# Saved by :save from a clusterscript REPL session.\n")
	if r.baseEvents > 0 {
		fmt.Fprintf(&b, "# It continues the world of the state file %s as the session found it\n", r.statePath)
		fmt.Fprintf(&b, "# (%s, %d events), so run it on a copy of that world:\n", r.baseClock, r.baseEvents)
		fmt.Fprintf(&b, "#   clusterscript run %s --state COPY.json\n", path)
		b.WriteString("# This check stops it on any other world:\n")
		fmt.Fprintf(&b, "check_eq(len(events()), %d)\n", r.baseEvents)
	} else {
		fmt.Fprintf(&b, "# It starts from an empty world: clusterscript run %s\n", path)
	}
	need := make([]bool, len(r.entries))
	for i, e := range r.entries {
		if e.failed || !e.expr {
			continue
		}
		for _, later := range r.entries[i+1:] {
			if later.failed {
				continue
			}
			if later.usesUs {
				need[i] = true
			}
			if later.usesUs || later.expr {
				break
			}
		}
	}
	n := 0
	prevMulti, prevRunbook := true, false
	for i, e := range r.entries {
		if e.failed && !e.changed || !e.failed && e.expr && !e.calls && !e.changed && !need[i] {
			continue
		}
		note := e.note
		if prevRunbook && !e.runbook && note == "" {
			note = "At the prompt:"
		}
		prevRunbook = e.runbook
		multi := strings.Count(e.src, "\n") > 1 || note != "" || e.failed
		if multi || prevMulti {
			b.WriteString("\n")
		}
		prevMulti = multi
		if note != "" {
			fmt.Fprintf(&b, "# %s\n", note)
		}
		switch {
		case e.failed:
			b.WriteString("# Failed in the session and not replayed here; it may have changed the world\n# before it failed:\n")
			for _, l := range strings.SplitAfter(strings.TrimSuffix(e.src, "\n"), "\n") {
				b.WriteString("#   " + l)
			}
			b.WriteString("\n")
		case e.expr && need[i]:
			b.WriteString("_ = " + e.src)
			n += e.stmts
		default:
			b.WriteString(e.src)
			n += e.stmts
		}
	}
	return b.String(), n
}
