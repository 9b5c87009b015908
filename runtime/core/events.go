package core

import (
	"fmt"
	"slices"
	"strings"
)

// Event kinds written by the engine and by the runbook layer.
const (
	KindRunbook   = "runbook"
	KindProcedure = "procedure"
	KindStep      = "step"
	KindNote      = "note"
	KindPrint     = "print"
	KindState     = "state"   // an object changed state; Event.State holds the new state
	KindWarning   = "warning" // something works but an administrator should know
	KindWorld     = "world"   // domains, servers, adapters, disks, components
	KindCluster   = "cluster" // server-cluster configuration
	KindExchange  = "exchange"
	KindFailover  = "failover" // automatic decisions: detection, failover, restart, failback, quorum
	KindNLB       = "nlb"
	KindASR       = "asr"
	KindClock     = "clock"
	KindCheck     = "check"
)

// An Event is one line of the log: every change to the world, every
// automatic decision and every line a runbook prints.
type Event struct {
	Seq     int    `json:"seq"`
	At      int64  `json:"at"` // milliseconds since Epoch
	Kind    string `json:"kind"`
	Subject string `json:"subject,omitempty"`
	State   string `json:"state,omitempty"`
	Text    string `json:"text"`

	// Decision is the structured account of a failover, failback or move,
	// which Text words for the transcript; nil for other events.
	Decision *Decision `json:"decision,omitempty"`
}

// A Decision is where a group went and why: the node it left and the one
// it went to (either may be empty: a group left Failed goes nowhere), the
// reason, and the nodes passed over on the way with the reason for each.
// --json and the state file carry it, so that no program has to parse a
// transcript line to learn it.
type Decision struct {
	From    string `json:"from,omitempty"`
	To      string `json:"to,omitempty"`
	Reason  string `json:"reason,omitempty"`
	Skipped []Skip `json:"skipped,omitempty"`
}

// A Skip is a node a decision passed over, and why: "Paused", "Down", "not
// a possible owner of resource ...".
type Skip struct {
	Node string `json:"node"`
	Why  string `json:"why"`
}

// Time is the event's virtual timestamp, "YYYY-MM-DD HH:MM:SS.mmm".
func (e Event) Time() string { return FormatTime(e.At) }

// String is the event's transcript line.
func (e Event) String() string {
	var b strings.Builder
	b.WriteString(e.Time())
	b.WriteByte(' ')
	fmt.Fprintf(&b, "%-9s ", e.Kind)
	b.WriteString(e.Text)
	return b.String()
}

// Log is the event log so far. The slice must not be modified.
func (w *World) Log() []Event { return w.Events }

// emit appends an event at the current virtual time.
func (w *World) Emit(kind, subject, state, format string, args ...any) {
	text := format
	if len(args) > 0 {
		text = fmt.Sprintf(format, args...)
	}
	w.EmitText(kind, subject, state, text)
}

// EmitText appends an event whose text is already worded: Emit without
// formatting, for the engine's most frequent events.
func (w *World) EmitText(kind, subject, state, text string) {
	if len(w.Events) == cap(w.Events) {
		// Double the log rather than let append grow it by a quarter: a
		// big world writes tens of thousands of events, and each growth
		// copies every event so far.
		w.Events = slices.Grow(w.Events, max(len(w.Events), 1024))
	}
	w.Events = append(w.Events, Event{
		Seq:     len(w.Events) + 1,
		At:      w.Clock,
		Kind:    kind,
		Subject: subject,
		State:   state,
		Text:    text,
	})
}

// EmitDecision appends an event that records a decision (Event.Decision)
// as well as its text.
func (w *World) EmitDecision(kind, subject string, d *Decision, format string, args ...any) {
	w.Emit(kind, subject, "", format, args...)
	w.Events[len(w.Events)-1].Decision = d
}

// Record appends a runbook-level line (runbook title, procedure, step, note,
// print) to the log.
func (w *World) Record(kind, subject, text string) {
	w.EmitText(kind, subject, "", text)
}

// warn appends a warning event.
func (w *World) Warn(subject, format string, args ...any) {
	w.Emit(KindWarning, subject, "", format, args...)
}
