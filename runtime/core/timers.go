package core

import (
	"container/heap"
	"fmt"
)

// A Timer is a pending piece of work on the virtual clock: a failure being
// detected, a convergence completing, a restart, a failback window opening.
// Timers are plain data so that a state file can carry them; what a timer
// does when it fires is looked up by Kind.
type Timer struct {
	At      int64  `json:"at"`
	Seq     uint64 `json:"seq"`
	Kind    string `json:"kind"`
	Subject string `json:"subject"`
	Arg     string `json:"arg,omitempty"`
	N       int64  `json:"n,omitempty"`

	index int // its place in the queue's heap, -1 when not queued
}

// timerQueue is the one priority queue of the world, ordered by (At, Seq).
type timerQueue struct {
	kinds    map[string]TimerKind
	items    []*Timer
	nextSeq  uint64
	settling int // pending timers whose kind settles
}

func (q *timerQueue) Len() int { return len(q.items) }
func (q *timerQueue) Less(i, j int) bool {
	a, b := q.items[i], q.items[j]
	if a.At != b.At {
		return a.At < b.At
	}
	return a.Seq < b.Seq
}
func (q *timerQueue) Swap(i, j int) {
	q.items[i], q.items[j] = q.items[j], q.items[i]
	q.items[i].index, q.items[j].index = i, j
}
func (q *timerQueue) Push(x any) {
	t := x.(*Timer)
	t.index = len(q.items)
	q.items = append(q.items, t)
}
func (q *timerQueue) Pop() any {
	n := len(q.items)
	t := q.items[n-1]
	q.items[n-1] = nil
	q.items = q.items[:n-1]
	t.index = -1
	return t
}

func (q *timerQueue) peek() *Timer {
	if len(q.items) == 0 {
		return nil
	}
	return q.items[0]
}

func (q *timerQueue) pop() *Timer {
	t := heap.Pop(q).(*Timer)
	if q.kinds[t.Kind].Settles {
		q.settling--
	}
	return t
}

func (q *timerQueue) push(t *Timer) {
	q.nextSeq++
	t.Seq = q.nextSeq
	q.insert(t)
}

// insert queues a timer that already has its sequence number: a new one,
// or one a rollback puts back.
func (q *timerQueue) insert(t *Timer) {
	heap.Push(q, t)
	if q.kinds[t.Kind].Settles {
		q.settling++
	}
}

// remove takes a queued timer out: a rollback undoing its push.
func (q *timerQueue) remove(t *Timer) {
	heap.Remove(q, t.index)
	if q.kinds[t.Kind].Settles {
		q.settling--
	}
}

// cancel removes every pending timer for which drop returns true; with
// keep set it also returns them.
func (q *timerQueue) cancel(drop func(*Timer) bool, keep bool) (int, []*Timer) {
	kept := q.items[:0]
	removed := 0
	var dropped []*Timer
	for _, t := range q.items {
		if drop(t) {
			removed++
			if keep {
				dropped = append(dropped, t)
			}
			if q.kinds[t.Kind].Settles {
				q.settling--
			}
			t.index = -1
			continue
		}
		t.index = len(kept)
		kept = append(kept, t)
	}
	for i := len(kept); i < len(q.items); i++ {
		q.items[i] = nil
	}
	q.items = kept
	if removed > 0 {
		heap.Init(q)
	}
	return removed, dropped
}

// sorted returns the pending timers in firing order, for state files.
func (q *timerQueue) sorted() []Timer {
	out := make([]Timer, len(q.items))
	for i, t := range q.items {
		out[i] = *t
	}
	sortTimers(out)
	return out
}

// schedule adds a timer firing after delay milliseconds.
func (w *World) Schedule(delay int64, kind, subject, arg string, n int64) {
	if _, ok := w.timers.kinds[kind]; !ok {
		panic("core: unknown timer kind " + kind)
	}
	// A delay past the end of the clock never comes due; a negative one
	// (from a bad value no check caught) is due now, not in the past.
	delay = max(0, min(delay, w.clockLeft()+1))
	t := &Timer{At: w.Clock + delay, Kind: kind, Subject: subject, Arg: arg, N: n}
	w.timers.push(t)
	if w.InTransaction() {
		w.OnUndo(func() { w.timers.remove(t) }) // Begin puts nextSeq back
	}
}

// CancelTimersWhere drops every pending timer for which drop returns true.
func (w *World) CancelTimersWhere(drop func(*Timer) bool) int {
	n, dropped := w.timers.cancel(drop, w.InTransaction())
	if len(dropped) > 0 {
		w.OnUndo(func() {
			for _, t := range dropped {
				w.timers.insert(t)
			}
		})
	}
	return n
}

// CancelTimers drops the pending timers of one kind for one subject.
func (w *World) CancelTimers(kind, subject string) int {
	return w.CancelTimersWhere(func(t *Timer) bool { return t.Kind == kind && t.Subject == subject })
}

// PendingTimers lists the pending timers in firing order.
func (w *World) PendingTimers() []Timer { return w.timers.sorted() }

func (w *World) fire(t *Timer) {
	k, ok := w.timers.kinds[t.Kind]
	if !ok {
		panic(fmt.Sprintf("core: timer of unknown kind %q", t.Kind))
	}
	k.Fire(t)
}
