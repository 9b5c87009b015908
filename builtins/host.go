package builtins

import (
	"encoding/json"
	"io"

	"clusterscript/lang"
	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/sim"

	"go.starlark.net/starlark"
)

// Plugin plugs the builtins and the simulated world into the host.
var Plugin lang.Plugin = plugin{}

type plugin struct{}

func (plugin) Builtins() *lang.Registry { return Registry() }

func (plugin) NewWorld() lang.World { return NewWorld(sim.New()) }

func (plugin) LoadWorld(state string) (lang.World, error) {
	w, err := sim.LoadString(state)
	if err != nil {
		return nil, err
	}
	return NewWorld(w), nil
}

// World is the simulated world as the host sees it (lang.World).
type World struct {
	// Transactions are the core's undo journal (core.World.Begin,
	// Rollback, Commit): a rollback costs what the transaction changed.
	lang.Transactions
	sim *sim.World

	// The timestamp last formatted: events come in runs of the same
	// instant, and formatting a time is most of formatting a line.
	stampAt int64
	stamp   string
}

// NewWorld presents w to the host.
func NewWorld(w *sim.World) *World {
	return &World{Transactions: w, sim: w}
}

// Sim is the engine's world.
func (w *World) Sim() *sim.World { return w.sim }

// SimOf is the engine's world of a session on a world this package made.
func SimOf(s *lang.Session) *sim.World { return s.World.(*World).sim }

// DiscardChanges stops the change log of a world Plugin made: run never
// reads it (export does), so it need not pay for recording.
func DiscardChanges(w lang.World) { w.(*World).sim.DiscardChanges() }

// world returns the engine's world of the thread's session.
func world(thread *starlark.Thread) *sim.World { return SimOf(lang.SessionOf(thread)) }

func (w *World) Mark() int { return len(w.sim.Log()) }

func (w *World) Kind(i int) string { return w.sim.Log()[i].Kind }

func (w *World) Event(i int) lang.EventInfo {
	e := &w.sim.Log()[i]
	return lang.EventInfo{Time: w.timestamp(e.At), Kind: e.Kind, Subject: e.Subject, State: e.State, Tone: tone(e)}
}

// tone is how a terminal shows an event: failures red, warnings yellow,
// the engine's automatic decisions cyan.
func tone(e *core.Event) lang.Tone {
	switch {
	case e.Kind == core.KindWarning:
		return lang.Warning
	case e.Kind == core.KindFailover:
		return lang.Notice
	case e.Kind == core.KindState && (e.State == mscs.Failed || e.State == mscs.NodeDown):
		return lang.Failure
	}
	return lang.Plain
}

// AppendText appends what core.Event.String gives, without its
// allocations; TestAppendTextIsEventString holds the two together.
func (w *World) AppendText(b []byte, i int) []byte {
	e := &w.sim.Log()[i]
	return appendLine(append(b, w.timestamp(e.At)...), e.Kind, e.Text)
}

func (w *World) timestamp(at int64) string {
	if w.stamp == "" || at != w.stampAt {
		w.stampAt, w.stamp = at, core.FormatTime(at)
	}
	return w.stamp
}

// appendLine appends the rest of a transcript line after its timestamp:
// the kind in a column of 9, the text, a newline.
func appendLine(b []byte, kind, text string) []byte {
	b = append(append(b, ' '), kind...)
	for n := len(kind); n < 9; n++ {
		b = append(b, ' ')
	}
	b = append(append(b, ' '), text...)
	return append(b, '\n')
}

// jsonEvent is an event as `clusterscript run --json` prints it
// (docs/json.md): the time in RFC 3339, and a decision's fields beside
// the others.
type jsonEvent struct {
	Seq     int    `json:"seq"`
	Time    string `json:"time"`
	Kind    string `json:"kind"`
	Subject string `json:"subject,omitempty"`
	State   string `json:"state,omitempty"`
	Text    string `json:"text"`
	*core.Decision
}

func (w *World) AppendJSON(b []byte, i int) []byte {
	e := &w.sim.Log()[i]
	line, err := json.Marshal(jsonEvent{e.Seq, core.FormatRFC3339(e.At), e.Kind, e.Subject, e.State, e.Text, e.Decision})
	if err != nil { // strings and ints always encode
		panic("builtins: an event does not encode: " + err.Error())
	}
	return append(append(b, line...), '\n')
}

func (w *World) AppendLine(b []byte, kind, text string) []byte {
	return appendLine(append(b, w.timestamp(w.sim.Now())...), kind, text)
}

func (w *World) Record(kind, text string) { w.sim.Record(kind, "", text) }

func (w *World) Save() ([]byte, error) { return w.sim.Save() }

func (w *World) WriteState(out io.Writer) error { return w.sim.WriteState(out) }

func (w *World) Clock() string { return core.FormatClock(w.sim.Now()) }

func (w *World) Draw() string { return drawWorld(w.sim) }

func (w *World) DrawObject(name string) (string, error) {
	v, err := viewObject(w.sim, name)
	if err != nil {
		return "", err
	}
	return v.draw(), nil
}

// StatusJSON is what `clusterscript status --json` prints: the world as
// :state shows it, or with a name only the objects of that name and what
// contains them, as one JSON document (docs/json.md).
func (w *World) StatusJSON(name string) ([]byte, error) {
	v := viewWorld(w.sim)
	if name != "" {
		var err error
		if v, err = viewObject(w.sim, name); err != nil {
			return nil, err
		}
	}
	b, err := json.MarshalIndent(v, "", "  ")
	return append(b, '\n'), err
}

func (w *World) Names() []string { return worldNames(w.sim) }
