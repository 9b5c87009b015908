package lang

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"clusterscript/internal/spell"

	"go.starlark.net/starlark"
)

// A replCommand is one of the REPL's colon commands, for :help and
// completion: a summary for the list, and a longer text for :help NAME.
type replCommand struct {
	name, args, summary, doc string
}

var replCommands = []replCommand{
	{":help", "[name]", "lists the commands and builtins by topic; with a name, shows that builtin, command or function in full", `
With a name, :help shows a builtin (its signature and documentation), a
command, or a function of the session or the standard library (its
signature, where it is defined, and its docstring). help(x) does the same
for any value x, and lists the attributes of a handle with their current
values.`},
	{":events", "[n|all] [filter...]", "shows the last n events of the log (default 20), or of those that match kind=, subject=, since=", `
Filters combine; the count applies to the events that match:
  kind=K      events of kind K; several kinds separated by commas
              (kind=failover,warning)
  subject=S   events about S (a server, group, resource, node, disk...);
              quote a name with spaces: subject="EVS1 Group"
  since=T     events at or after T: HH:MM or HH:MM:SS is the last time the
              clock read that time of day; YYYY-MM-DDTHH:MM names a day too
Example: :events all kind=failover since=02:00`},
	{":state", "[NAME]", "shows the world as a tree, or one object of it (:help :state says all it shows)", `
:state draws the world as Cluster Administrator and Computer Management
would show it. A header gives the virtual clock, the number of events and
of pending timers, then one section per kind of object that exists:
  Domains          each domain, its NetBIOS name and its accounts
  Servers          edition and version; running, or DOWN (and whether the
                   system disk is lost); domain membership, cluster node,
                   Exchange; each adapter with its address/prefix, role,
                   gateway, extra addresses, or "not configured", and
                   FAILED; installed components
  Shared disks     drive letter, kind, file system, size, the servers that
                   see it, FAILED
  Server clusters  address, version, quorum resource and model, whether it
                   has quorum; each node with its state (Up, Down, Paused,
                   Joining) and the groups it owns; each group with its
                   state, owner, preferred owners and failback policy, and
                   each resource with its state, type and dependencies
  NLB clusters     address/mask, mode, MAC, default host, CONVERGING; each
                   host with priority, dedicated address, adapter, state and
                   open connections; each port rule with its range,
                   protocol, filtering, affinity, and the hosts it is
                   disabled or draining on
:state NAME shows only the objects named NAME (a server, disk, domain,
cluster, node, group, resource, NLB cluster or NLB host; case does not
matter) inside what contains them: a group under its cluster, a resource
under its group. CLUSTER/NAME picks one cluster's node, group or resource.
clusterscript status STATE.json [NAME] shows the same from a state file.`},
	{":save", "FILE.star", "writes the session's statements as a runbook that rebuilds this world, and checks that it does", `
:save refuses to overwrite a file that exists; :save! FILE.star does.
Statements that failed without changing the world, expressions that call
nothing and help() are left out.`},
	{":save!", "FILE.star", "as :save, overwriting FILE.star if it exists", ""},
	{":load", "FILE.star", "runs a runbook from the session's folder into this session and says which names it bound; its globals become yours", ""},
	{":paste", "", "reads a block that may contain blank lines, until a line holding only :end (or Ctrl-D), then runs it", ""},
	{":reset", "", "starts over: the world the session opened with, and the command-line runbook run again", ""},
	{":quit", "", "leaves the REPL (Ctrl-D does too)", ""},
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
		r.save(arg, false)
	case ":save!":
		r.save(arg, true)
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
		fmt.Fprintln(r.out, "\nType a statement to run it; an expression's value is printed and kept in _.\nhelp(x) documents a builtin, a function or a value. Tab completes names,\nattributes after a dot, and inside quotes the names that fit the argument.")
		return
	}
	for _, c := range replCommands {
		if name == c.name || ":"+name == c.name {
			fmt.Fprintf(r.out, "%s\n\n    %s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
			if c.doc != "" {
				fmt.Fprintf(r.out, "%s\n", c.doc)
			}
			return
		}
	}
	if b, ok := r.reg.Lookup(name); ok {
		fmt.Fprint(r.out, builtinDoc(b))
		return
	}
	if fn, ok := r.globals[name].(*starlark.Function); ok {
		fmt.Fprint(r.out, functionDoc(fn))
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

// events shows the last events of the log, or the last of those that
// match the filters (see :help :events).
func (r *REPL) events(arg string) {
	w := r.s.World
	total := w.Mark()
	n := 20
	var f eventFilter
	for _, word := range splitArgs(arg) {
		key, value, isFilter := strings.Cut(word, "=")
		var err error
		switch {
		case word == "all":
			n = total
		case !isFilter:
			v, cerr := strconv.Atoi(word)
			if cerr != nil || v < 0 {
				err = fmt.Errorf(":events takes a number of events or \"all\", and filters kind=, subject=, since=; not %q", word)
			}
			n = v
		default:
			err = f.set(key, value, w.Clock())
		}
		if err != nil {
			fmt.Fprintln(r.errw, err)
			return
		}
	}
	if total == 0 {
		fmt.Fprintln(r.out, "(no events yet)")
		return
	}
	var match []int // newest first
	for i := total - 1; i >= 0 && (f.on || len(match) < n); i-- {
		if !f.on {
			match = append(match, i)
			continue
		}
		e := w.Event(i)
		if f.since != "" && e.Time < f.since {
			break // the log is in time order
		}
		if f.matches(e) {
			match = append(match, i)
		}
	}
	matching := len(match)
	match = match[:min(n, len(match))]
	switch {
	case f.on && matching == 0:
		fmt.Fprintf(r.out, "(no events match %s)\n", f)
		return
	case f.on && len(match) < matching:
		fmt.Fprintf(r.out, "(last %d of %d events matching %s)\n", len(match), matching, f)
	case f.on:
		fmt.Fprintf(r.out, "(%s matching %s)\n", plural(matching, "event"), f)
	case len(match) < total:
		fmt.Fprintf(r.out, "(last %d of %d events)\n", len(match), total)
	}
	var b []byte
	for k := len(match) - 1; k >= 0; k-- {
		b = w.AppendText(b, match[k])
	}
	r.out.Write(b)
}

// An eventFilter is what :events keeps: events of some kinds, about a
// subject, at or after a time.
type eventFilter struct {
	on      bool
	kinds   []string
	subject string
	since   string // "YYYY-MM-DD HH:MM:SS.mmm", comparable with EventInfo.Time
	words   []string
}

func (f eventFilter) String() string { return strings.Join(f.words, " ") }

func (f *eventFilter) set(key, value, clock string) error {
	switch key {
	case "kind":
		f.kinds = strings.Split(value, ",")
	case "subject":
		f.subject = unquote(value)
	case "since":
		since, err := sinceTime(value, clock)
		if err != nil {
			return err
		}
		f.since = since
	default:
		msg := fmt.Sprintf(":events has no filter %q; the filters are kind=, subject= and since=", key)
		if s := spell.Nearest(key, []string{"kind", "subject", "since"}); s != "" {
			msg += fmt.Sprintf(" (did you mean %s=?)", s)
		}
		return errors.New(msg)
	}
	f.on = true
	f.words = append(f.words, key+"="+value)
	return nil
}

func (f *eventFilter) matches(e EventInfo) bool {
	if len(f.kinds) > 0 && !slices.Contains(f.kinds, e.Kind) {
		return false
	}
	return f.subject == "" || strings.EqualFold(e.Subject, f.subject)
}

// The virtual clock as Clock and EventInfo give it.
const (
	clockLayout = "2006-01-02 15:04:05"
	eventLayout = "2006-01-02 15:04:05.000"
)

// sinceTime reads the value of since=: a time of day (HH:MM or HH:MM:SS),
// the last time the clock read it, at or before now; or a day and time
// (YYYY-MM-DDTHH:MM[:SS]).
func sinceTime(value, clock string) (string, error) {
	now, err := time.Parse(clockLayout, clock)
	if err != nil {
		return "", err
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, value); err == nil {
			return t.Format(eventLayout), nil
		}
	}
	for _, layout := range []string{"15:04:05", "15:04"} {
		if t, err := time.Parse(layout, value); err == nil {
			at := time.Date(now.Year(), now.Month(), now.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
			if at.After(now) {
				at = at.AddDate(0, 0, -1)
			}
			return at.Format(eventLayout), nil
		}
	}
	return "", fmt.Errorf("since=%s: give a time of day, HH:MM or HH:MM:SS, or a day and time, YYYY-MM-DDTHH:MM", value)
}

// splitArgs splits a command's arguments at spaces, keeping quoted text
// ("EVS1 Group", also after key=) in one piece with its quotes.
func splitArgs(s string) []string {
	var out []string
	var cur strings.Builder
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case quote == 0 && (c == ' ' || c == '\t'):
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
			continue
		}
		cur.WriteByte(c)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// paste reads a block up to a line holding only :end and runs it as one
// chunk, so code with blank lines inside functions can be pasted.
func (r *REPL) paste() error {
	fmt.Fprintln(r.out, "Paste mode: end with a line holding only :end (or Ctrl-D); Ctrl-C cancels.")
	var lines []string
	first := r.line + 1
	for {
		l, err := r.prompt(PromptContinuation)
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
		if len(lines) == 0 && strings.TrimSpace(l) == "" {
			first++ // joinLines drops leading blank lines
			continue
		}
		lines = append(lines, l)
	}
	if src := joinLines(lines); src != "" {
		r.runBlock("<paste>", src, "", r.lineBase(first))
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
			before := maps.Clone(r.globals)
			r.runBlock(name, string(src), ":load "+arg, 0)
			r.sayBound(before)
			return
		}
	}
	r.failures++
	fmt.Fprintln(r.errw, err)
}

// sayBound says which global names a :load bound or bound anew.
func (r *REPL) sayBound(before starlark.StringDict) {
	var names []string
	for k, v := range r.globals {
		if old, had := before[k]; k != "_" && (!had || !sameValue(old, v)) {
			names = append(names, k)
		}
	}
	if len(names) == 0 {
		fmt.Fprintln(r.out, "It bound no names.")
		return
	}
	sort.Strings(names)
	fmt.Fprint(r.out, WrapList("Bound: ", names, 78))
}

// sameValue reports whether a global still holds the same value: the same
// object, or for values Go cannot compare (tuples), an equal one.
func sameValue(a, b starlark.Value) bool {
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	if ta != tb {
		return false
	}
	if ta.Comparable() {
		return a == b
	}
	eq, err := starlark.Equal(a, b)
	return err == nil && eq
}

// save writes the session as a runbook and checks, by running it on the
// world the session started from, that it rebuilds the same world. It
// does not overwrite a file unless told to (:save!).
func (r *REPL) save(arg string, overwrite bool) {
	if arg == "" || !strings.HasSuffix(arg, ".star") {
		r.failures++
		fmt.Fprintln(r.errw, "give a runbook file name: :save FILE.star")
		return
	}
	path := arg
	if !filepath.IsAbs(path) {
		path = filepath.Join(r.dir, path)
	}
	if _, err := os.Lstat(path); err == nil && !overwrite {
		r.failures++
		fmt.Fprintf(r.errw, "not saved: %s exists; :save! %s overwrites it\n", path, arg)
		return
	}
	text, n := r.runbookText(path)
	if err := WriteFileAtomic(path, []byte(text), 0o644); err != nil {
		r.failures++
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

// writeCommented writes source lines as comments, indented.
func writeCommented(b *strings.Builder, src string) {
	for _, l := range strings.SplitAfter(strings.TrimSuffix(src, "\n"), "\n") {
		b.WriteString("#   " + l)
	}
	b.WriteString("\n")
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
		if e.failed && !e.changed || !e.failed && e.expr && !e.calls && !e.changed && !need[i] || e.help && !e.changed {
			continue
		}
		note := e.note
		if prevRunbook && !e.runbook && note == "" {
			note = "At the prompt:"
		}
		prevRunbook = e.runbook
		multi := strings.Count(e.src, "\n") > 1 || note != "" || e.failed || e.help
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
			writeCommented(&b, e.src)
		case e.help:
			b.WriteString("# Calls help(), which only the REPL has, so it is not replayed here; it changed\n# the world in the session:\n")
			writeCommented(&b, e.src)
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
