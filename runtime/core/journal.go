package core

import (
	"bytes"
	"fmt"
)

// Transactions. catch() (and the fault explorer to come) tries a call and
// keeps its changes only when it succeeds. Copying the world for that costs its size;
// instead, while a transaction is open, every change records how to undo
// itself in the journal, and a rollback replays those records backwards, so
// its cost follows what changed. With no transaction open nothing is
// recorded: each recording helper starts by checking one field.
//
// Three ways of recording cover the world:
//   - the clock, the log and the append-only lists (Domains, Servers, Disks,
//     AsrSets) are saved by Begin: a slice header each; an engine saves its
//     own such fields with Keep;
//   - an object (a server, a group, a host...) is copied whole the first
//     time a transaction changes it (Touch), and the copy is put back on
//     rollback, into the same object, so every pointer to it stays good;
//   - a map entry (a name index, an owner index) records its old value when
//     set or deleted (SetKey, DeleteKey); the timer queue records each push,
//     pop and cancel.
//
// Copies alias the slices of an object that are only ever appended to or
// replaced, never written in place; a slice that is sorted or filtered in
// place is copied with the object.

// journal is the undo log of the open transactions.
type journal struct {
	undo   []func() // how to undo each recorded change, oldest first
	open   []txLevel
	stamp  uint64 // the innermost open transaction's stamp; 0 when none is open
	stamps uint64 // the last stamp handed out; stamps are never reused

	check    bool          // CheckRollbacks is on
	verify   []verifyPoint // the world as each open transaction began
	verified int           // rollbacks checked
	verr     error         // the first that failed
}

type txLevel struct {
	mark  int
	stamp uint64
}

type verifyPoint struct {
	saved []byte
	err   error
}

// A Stamp records which transaction last saved an object, so that an object
// is copied once per transaction however often it changes.
type Stamp struct{ tx uint64 }

// Begin opens a transaction, inside the one already open if any, and
// returns its mark for Rollback or Commit.
func (w *World) Begin() int {
	j := &w.journal
	if j.check {
		b, err := w.Save()
		j.verify = append(j.verify, verifyPoint{b, err})
	}
	mark := len(j.undo)
	j.stamps++
	j.stamp = j.stamps
	j.open = append(j.open, txLevel{mark, j.stamp})
	clock, events, seq := w.Clock, w.Events, w.timers.nextSeq
	domains, servers, disks, asr := w.Domains, w.Servers, w.Disks, w.AsrSets
	changes := w.changes
	j.undo = append(j.undo, func() {
		w.changes = changes
		w.Clock = clock
		clear(w.Events[len(events):]) // let go of the texts
		w.Events = events
		w.timers.nextSeq = seq
		w.Domains, w.Servers, w.Disks, w.AsrSets = domains, servers, disks, asr
	})
	return mark
}

// Rollback undoes every change made since Begin returned mark, closing that
// transaction and any still open inside it.
func (w *World) Rollback(mark int) {
	j := &w.journal
	depth := j.close(mark, "Rollback")
	parent := j.stamp
	j.stamp = 0 // undoing records nothing
	for i := len(j.undo) - 1; i >= mark; i-- {
		j.undo[i]()
		j.undo[i] = nil
	}
	j.undo = j.undo[:mark]
	j.stamp = parent
	if j.check {
		w.verifyRollback(depth)
	}
}

// Commit keeps the changes made since Begin returned mark. Inside another
// transaction they stay recorded, for that one to undo; the outermost
// commit drops the journal.
func (w *World) Commit(mark int) {
	j := &w.journal
	depth := j.close(mark, "Commit")
	if j.check {
		j.verify = j.verify[:min(depth, len(j.verify))]
	}
	if len(j.open) == 0 {
		clear(j.undo)
		j.undo = j.undo[:0]
	}
}

// close ends the open transaction marked mark, and any inside it, and
// returns how many stay open. A mark that is not open is a bug in the
// caller, not a user's mistake.
func (j *journal) close(mark int, op string) int {
	for i := len(j.open) - 1; i >= 0; i-- {
		if j.open[i].mark == mark {
			j.open = j.open[:i]
			j.stamp = 0
			if i > 0 {
				j.stamp = j.open[i-1].stamp
			}
			return i
		}
	}
	panic(fmt.Sprintf("core: %s(%d): no open transaction has that mark", op, mark))
}

// InTransaction reports whether a transaction is open.
func (w *World) InTransaction() bool { return w.journal.stamp != 0 }

// OnUndo records f to run if the innermost open transaction rolls back.
// Callers check InTransaction first, so that building f costs nothing when
// no transaction is open.
func (w *World) OnUndo(f func()) {
	if w.journal.stamp != 0 {
		w.journal.undo = append(w.journal.undo, f)
	}
}

// Touch saves obj, copied by clone, the first time the open transaction
// changes it; call it before changing any field. stamp is obj's own Stamp.
func Touch[T any](w *World, obj *T, stamp *Stamp, clone func(*T) T) {
	j := &w.journal
	if j.stamp == 0 || stamp.tx == j.stamp {
		return
	}
	old := clone(obj) // taken before stamping: a rollback restores the old stamp too
	stamp.tx = j.stamp
	j.undo = append(j.undo, func() { *obj = old })
}

// Keep saves the value of one variable (a field of the world or an engine)
// for a rollback to put back; call it before changing the variable.
func Keep[T any](w *World, p *T) {
	if w.journal.stamp == 0 {
		return
	}
	old := *p
	w.journal.undo = append(w.journal.undo, func() { *p = old })
}

// SetKey sets m[k] = v, recording the entry it replaces.
func SetKey[K comparable, V any](w *World, m map[K]V, k K, v V) {
	if w.journal.stamp != 0 {
		old, had := m[k]
		w.journal.undo = append(w.journal.undo, func() {
			if had {
				m[k] = old
			} else {
				delete(m, k)
			}
		})
	}
	m[k] = v
}

// DeleteKey deletes m[k], recording the entry it removes.
func DeleteKey[K comparable, V any](w *World, m map[K]V, k K) {
	old, had := m[k]
	if !had {
		return
	}
	if w.journal.stamp != 0 {
		w.journal.undo = append(w.journal.undo, func() { m[k] = old })
	}
	delete(m, k)
}

// CheckRollbacks turns on a self-check for tests: Begin saves the world,
// and each Rollback requires the state file to be byte-identical to that
// and the derived indexes to agree with the objects. Turn it on before the
// first Begin.
func (w *World) CheckRollbacks() { w.journal.check = true }

// RollbacksChecked reports how many rollbacks CheckRollbacks checked and the
// first failure it found, if any.
func (w *World) RollbacksChecked() (int, error) { return w.journal.verified, w.journal.verr }

func (w *World) verifyRollback(depth int) {
	j := &w.journal
	if depth >= len(j.verify) {
		return // the transaction began before CheckRollbacks
	}
	p := j.verify[depth]
	j.verify = j.verify[:depth]
	j.verified++
	if j.verr != nil {
		return
	}
	after, err := w.Save()
	switch {
	case p.err != nil || err != nil:
		j.verr = fmt.Errorf("saving around a rollback failed: %v, %v", p.err, err)
	case !bytes.Equal(p.saved, after):
		j.verr = fmt.Errorf("a rollback left the world different from before the transaction: %s", FirstDifference(p.saved, after))
	default:
		if err := w.CheckIndexes(); err != nil {
			j.verr = fmt.Errorf("after a rollback: %w", err)
		}
	}
}

// FirstDifference shows where two state files first differ, with some
// context on each side.
func FirstDifference(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-100)
	return fmt.Sprintf("at byte %d:\n  before: …%s…\n  after:  …%s…", i, a[from:min(len(a), i+100)], b[from:min(len(b), i+100)])
}
