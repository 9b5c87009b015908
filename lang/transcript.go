package lang

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// The transcript is the world's event log written to Session.Out. Events
// stay in the log until they are written, and are written in batches, one
// Write call each, so that a runbook of 80,000 events does not make 80,000
// system calls. The flush rule:
//
//   - A top-level statement's output is written when the statement is over:
//     when the next top-level statement of the same file produces output
//     (a builtin or print called with the file's top-level frame at another
//     statement), or when the file ends.
//   - A thread that computes flushSteps steps with output pending writes it
//     out, so a long loop never hides what came before it; flushEvents
//     pending events are written at once too.
//   - A run, a REPL statement and a loaded module write everything before
//     they return, so before any error or prompt is printed.
//   - Nothing is written inside catch() (Transaction) until it commits,
//     nor inside quietly() until it returns.
//
// Each batch is written in pieces of at most about chunkBytes.
const (
	flushSteps  = 1_000_000
	flushEvents = 1024
	chunkBytes  = 64 << 10
)

// Flush writes the events appended since the last flush to Out, unless a
// catch() transaction is holding output back.
func (s *Session) Flush() {
	if s.hold > 0 || s.World == nil {
		return
	}
	end := s.World.Mark()
	if s.flushed > end { // a transaction rolled back what was not written
		s.flushed = end
	}
	if s.quiet > 0 {
		end = min(end, s.quietFrom)
	}
	if s.Out == io.Discard { // nobody reads it: format nothing
		for len(s.folds) > 0 && s.folds[0].from < end {
			s.folds = s.folds[1:]
		}
		s.flushed = end
		return
	}
	b := s.buf[:0]
	for i := s.flushed; ; i++ {
		for len(s.folds) > 0 && s.folds[0].from == i {
			b = append(b, s.folds[0].line...)
			i = s.folds[0].to
			s.folds = s.folds[1:]
		}
		if i >= end {
			break
		}
		switch {
		case s.JSON:
			b = s.World.AppendJSON(b, i)
		case s.Colour:
			b = appendToned(b, s.World.Event(i).Tone, func(b []byte) []byte { return s.World.AppendText(b, i) })
		default:
			b = s.World.AppendText(b, i)
		}
		if len(b) >= chunkBytes {
			s.write(b)
			b = b[:0]
		}
	}
	s.write(b)
	s.buf = b[:0]
	s.flushed = end
}

// A fold is a run of events that the text transcript shows as one line.
type fold struct {
	from, to int    // the events [from, to)
	line     []byte // what is written instead
}

// Quietly runs fn with the events it appends folded, in the text
// transcript, into one line that counts them by kind (quietly()). The log
// keeps every event: events(), --json and the state file see them all.
// Calls nest; the outermost one makes the line. When fn fails, the events
// it appended before failing are folded all the same.
func (s *Session) Quietly(fn func() error) error {
	if s.JSON { // a JSON line per event is for programs; nothing is folded
		return fn()
	}
	if s.quiet == 0 {
		s.quietFrom = s.World.Mark()
	}
	s.quiet++
	err := fn()
	s.quiet--
	if s.quiet == 0 {
		from, to := s.quietFrom, s.World.Mark()
		var line []byte
		if s.Out != io.Discard {
			line = s.World.AppendLine(nil, "quietly", s.countKinds(from, to))
		}
		s.folds = append(s.folds, fold{from, to, line})
	}
	return err
}

// countKinds says how many events [from, to) holds of each kind, kinds in
// the order they first occur: "214 events: 3 world, 180 cluster, 31 state".
func (s *Session) countKinds(from, to int) string {
	if from == to {
		return "no events"
	}
	var kinds []string
	count := map[string]int{}
	for i := from; i < to; i++ {
		k := s.World.Kind(i)
		if count[k] == 0 {
			kinds = append(kinds, k)
		}
		count[k]++
	}
	var b strings.Builder
	if to-from == 1 {
		b.WriteString("1 event: ")
	} else {
		fmt.Fprintf(&b, "%d events: ", to-from)
	}
	for i, k := range kinds {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%d %s", count[k], k)
	}
	return b.String()
}

func (s *Session) write(b []byte) {
	if len(b) == 0 || s.writeErr != nil {
		return
	}
	_, s.writeErr = s.Out.Write(b)
}

// WriteErr reports the first error writing the transcript, if any.
func (s *Session) WriteErr() error { return s.writeErr }

// beforeOutput is called before a builtin or print runs on thread t: when
// t's file has moved on to another top-level statement, the output of the
// previous one is written.
func (s *Session) beforeOutput(t *starlark.Thread) {
	st, _ := t.Local(statementsKey).(*statements)
	if st == nil || t.CallStackDepth() == 0 {
		return
	}
	top := t.CallFrame(t.CallStackDepth() - 1) // the file's top-level frame
	if i := st.at(top.Pos.Line); i != st.current {
		st.current = i
		s.Flush()
	}
}

// afterOutput is called after a builtin or print: when much is pending, it
// is written without waiting for the statement to end.
func (s *Session) afterOutput() {
	if s.hold == 0 && s.World.Mark()-s.flushed >= flushEvents {
		s.Flush()
	}
}

const statementsKey = "clusterscript.statements"

// statements are the top-level statements of the file a thread runs, by
// the line each starts on; current is the one whose output is pending.
// Statements sharing a line count as one.
type statements struct {
	starts  []int32
	current int
}

// trackStatements lets thread t write its file's output statement by
// statement.
func trackStatements(t *starlark.Thread, f *syntax.File) {
	st := &statements{current: -1}
	for _, stmt := range f.Stmts {
		start, _ := stmt.Span()
		st.starts = append(st.starts, start.Line)
	}
	t.SetLocal(statementsKey, st)
}

// at is the index of the statement that holds line.
func (st *statements) at(line int32) int {
	return sort.Search(len(st.starts), func(i int) bool { return st.starts[i] > line }) - 1
}
