package lang

import "io"

// The host runs runbooks; it does not know what they act on. A Plugin
// supplies the builtins and the world, the way tilt's starkit plugins supply
// theirs: the session writes the world's event log out as the transcript,
// records the lines a runbook writes, wraps catch() in a transaction, saves
// and loads the world for --state and the REPL, and asks it what :state
// draws and what completes inside quotes. builtins.Plugin is clusterscript's.

// A Plugin is what the host runs runbooks with.
type Plugin interface {
	// Builtins is the registry of every builtin a runbook can call.
	Builtins() *Registry
	// NewWorld returns an empty world.
	NewWorld() World
	// LoadWorld decodes a world that World.Save encoded (a state file).
	LoadWorld(state string) (World, error)
}

// A World is the simulated world as the host sees it.
type World interface {
	Transcript
	Transactions
	View
	// Save encodes the whole world as a state file.
	Save() ([]byte, error)
	// WriteState encodes the same document as Save straight to out.
	WriteState(out io.Writer) error
}

// A Transcript is the world's event log, read as the lines of the
// transcript. Events are numbered from 0 in the order they happened.
type Transcript interface {
	// Mark is the number of events so far: the number the next one gets.
	Mark() int
	// Kind is the kind of event i ("world", "state", "print", …).
	Kind(i int) string
	// Event describes event i, for :events filters and colour.
	Event(i int) EventInfo
	// AppendText appends event i's transcript line, newline included.
	AppendText(b []byte, i int) []byte
	// AppendJSON appends event i as one line of JSON, newline included.
	AppendJSON(b []byte, i int) []byte
	// AppendLine appends a transcript line that is no event (a summary),
	// stamped with the current virtual time like an event's line.
	AppendLine(b []byte, kind, text string) []byte
	// Record appends an event for a line the runbook itself writes: its
	// title, a procedure, a step, a print.
	Record(kind, text string)
}

// EventInfo is what the host may ask of an event besides its line.
type EventInfo struct {
	Time    string // the virtual time, "YYYY-MM-DD HH:MM:SS.mmm"
	Kind    string
	Subject string // the object it is about, or ""
	State   string // the object's new state, or ""
	Tone    Tone   // how a terminal shows its line
}

// A Tone is how a terminal shows an event's line, when it shows colour.
type Tone uint8

const (
	Plain   Tone = iota
	Failure      // something failed or went down
	Warning      // it works, but an administrator should know
	Notice       // an automatic decision: a failover, a failback, a restart
)

// Transactions make what happens between Begin and Rollback undoable, the
// events it appended included: catch() is one.
type Transactions interface {
	// Begin starts a transaction and returns its mark.
	Begin() int
	// Rollback undoes every change made since Begin returned mark and ends
	// that transaction (and any begun inside it).
	Rollback(mark int)
	// Commit keeps the changes and ends the transaction; an enclosing one
	// can still roll them back.
	Commit(mark int)
}

// A View is what the REPL shows of the world.
type View interface {
	// Clock is the virtual time, "YYYY-MM-DD HH:MM:SS".
	Clock() string
	// Draw renders the world for :state.
	Draw() string
	// DrawObject renders the objects named name, and what contains them,
	// as Draw would show them (:state NAME); an error when nothing has
	// that name, suggesting the nearest.
	DrawObject(name string) (string, error)
	// Names lists the names of the world's objects, sorted, for completion
	// inside quotes.
	Names() []string
	// NamesFor lists, sorted, the names that fit the parameter param of
	// the function call (a builtin, or a Starlark function of the
	// session): the groups for move_group's group, the nodes for its
	// node. ok is false when the world cannot tell; Names serves then.
	NamesFor(call, param string) (names []string, ok bool)
}

// The kinds of the events the host records for lines a runbook writes.
const (
	KindRunbook   = "runbook"
	KindProcedure = "procedure"
	KindStep      = "step"
	KindPrint     = "print"
)
