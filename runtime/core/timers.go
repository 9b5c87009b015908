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
func (q *timerQueue) Swap(i, j int) { q.items[i], q.items[j] = q.items[j], q.items[i] }
func (q *timerQueue) Push(x any)    { q.items = append(q.items, x.(*Timer)) }
func (q *timerQueue) Pop() any {
	n := len(q.items)
	t := q.items[n-1]
	q.items[n-1] = nil
	q.items = q.items[:n-1]
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
	heap.Push(q, t)
	if q.kinds[t.Kind].Settles {
		q.settling++
	}
}

// cancel removes every pending timer for which drop returns true.
func (q *timerQueue) cancel(drop func(*Timer) bool) int {
	kept := q.items[:0]
	removed := 0
	for _, t := range q.items {
		if drop(t) {
			removed++
			if q.kinds[t.Kind].Settles {
				q.settling--
			}
			continue
		}
		kept = append(kept, t)
	}
	for i := len(kept); i < len(q.items); i++ {
		q.items[i] = nil
	}
	q.items = kept
	if removed > 0 {
		heap.Init(q)
	}
	return removed
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
	w.timers.push(&Timer{At: w.Clock + delay, Kind: kind, Subject: subject, Arg: arg, N: n})
}

// CancelTimersWhere drops every pending timer for which drop returns true.
func (w *World) CancelTimersWhere(drop func(*Timer) bool) int { return w.timers.cancel(drop) }

// CancelTimers drops the pending timers of one kind for one subject.
func (w *World) CancelTimers(kind, subject string) int {
	return w.timers.cancel(func(t *Timer) bool { return t.Kind == kind && t.Subject == subject })
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
