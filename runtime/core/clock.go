package core

import (
	"fmt"
	"strings"
	"time"
)

// Epoch is the instant the virtual clock starts at: Monday 5 January 2004,
// 08:00:00. The clock is kept as milliseconds since Epoch.
var Epoch = time.Date(2004, time.January, 5, 8, 0, 0, 0, time.UTC)

// Millisecond-based durations used throughout the engine.
const (
	Second int64 = 1000
	Minute       = 60 * Second
	Hour         = 60 * Minute
	Day          = 24 * Hour
)

// FormatTime renders a virtual instant as "YYYY-MM-DD HH:MM:SS.mmm".
func FormatTime(ms int64) string {
	return instant(ms).Format("2006-01-02 15:04:05.000")
}

// FormatRFC3339 renders a virtual instant in RFC 3339 with milliseconds,
// in UTC ("2004-01-05T08:00:00.000Z"), for programs that read --json.
func FormatRFC3339(ms int64) string {
	return instant(ms).Format("2006-01-02T15:04:05.000Z07:00")
}

// FormatClock renders a virtual instant as "YYYY-MM-DD HH:MM:SS", the form
// now() returns.
func FormatClock(ms int64) string {
	return instant(ms).Format("2006-01-02 15:04:05")
}

// HourOfDay is the local hour (0–23) at a virtual instant; the simulated
// cluster runs in one time zone.
func HourOfDay(ms int64) int {
	return instant(ms).Hour()
}

// sinceMidnight is the time of day of a virtual instant, in milliseconds.
func SinceMidnight(ms int64) int64 {
	t := instant(ms)
	return int64(t.Hour())*Hour + int64(t.Minute())*Minute + int64(t.Second())*Second + int64(t.Nanosecond()/1e6)
}

// FormatDuration renders a span of milliseconds, e.g. "6s", "1.2s",
// "2h 30m", "1d 4h".
func FormatDuration(ms int64) string {
	if ms == 0 {
		return "0s"
	}
	var parts []string
	for _, u := range []struct {
		n    int64
		name string
	}{{Day, "d"}, {Hour, "h"}, {Minute, "m"}} {
		if ms >= u.n {
			parts = append(parts, fmt.Sprintf("%d%s", ms/u.n, u.name))
			ms %= u.n
		}
	}
	switch {
	case ms == 0:
	case ms%Second == 0:
		parts = append(parts, fmt.Sprintf("%ds", ms/Second))
	default:
		parts = append(parts, strings.TrimRight(strings.TrimRight(fmt.Sprintf("%d.%03d", ms/Second, ms%Second), "0"), ".")+"s")
	}
	return strings.Join(parts, " ")
}

// Now is the current virtual time, in milliseconds since Epoch.
func (w *World) Now() int64 { return w.Clock }

// Advance moves the clock forward by d milliseconds, firing every timer due
// on the way in (time, sequence) order.
func (w *World) Advance(d int64) error { return w.AdvanceWith(d, nil) }

// An Interrupt is the host's say in long engine work (Ctrl-C, the step
// budget, the memory budget): advance and settle call it every
// pollFirings timer firings with the number fired since the last call,
// and stop with its error. The core itself never waits or looks outside.
type Interrupt func(fired int) error

// pollFirings is how often long engine work asks its Interrupt.
const pollFirings = 1024

// AdvanceWith is Advance under an Interrupt (nil: none). It refuses to
// move the clock past EndOfTime. Interrupted, it returns the Interrupt's
// error with the clock where the work stopped.
func (w *World) AdvanceWith(d int64, stop Interrupt) error {
	if d < 0 {
		return Errf(ErrInvalid, "cannot move the clock backwards by %s; the virtual clock only goes forward", FormatDuration(-d))
	}
	if d > w.clockLeft() {
		return Errf(ErrInvalid, "cannot advance %s from %s: the virtual clock ends at %s (%s from now)",
			FormatDuration(d), FormatClock(w.Clock), FormatTime(MaxClock), FormatDuration(w.clockLeft()))
	}
	wk := w.newWork(stop)
	return w.runUntil(w.Clock+d, wk)
}

// UntilTimeOfDay is how long it is from now to the next time the clock reads
// hh:mm. When the clock reads exactly hh:mm:00.000 already, it is zero.
func (w *World) UntilTimeOfDay(hh, mm int) (int64, error) {
	if hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, Errf(ErrInvalid, "%02d:%02d is not a time of day; use \"HH:MM\" with HH 00–23 and MM 00–59", hh, mm)
	}
	target := int64(hh)*Hour + int64(mm)*Minute
	cur := SinceMidnight(w.Clock)
	d := target - cur
	if d < 0 {
		d += Day
	}
	return d, nil
}

// Settle advances the clock until no detection, convergence, restart or join
// timer is pending, and returns how far it moved. Failback windows and
// failover-period expiries do not hold it up.
//
// It gives up after MaxSettle of virtual time, with a warning, so that work
// that never ends (a resource allowed billions of restarts that keep
// failing) cannot hang a runbook; it stops at EndOfTime too.
func (w *World) Settle() int64 {
	d, _ := w.SettleWith(nil)
	return d
}

// SettleWith is Settle under an Interrupt (nil: none); interrupted, it
// returns how far it got and the Interrupt's error.
func (w *World) SettleWith(stop Interrupt) (int64, error) {
	start := w.Clock
	limit := start + min(MaxSettle, w.clockLeft())
	wk := w.newWork(stop)
	for w.timers.settling > 0 {
		next := w.timers.peek()
		if next.At > limit {
			if err := w.runUntil(limit, wk); err != nil {
				return w.Clock - start, err
			}
			if limit == MaxClock {
				w.Warn("", "settle() stopped at %s, the end of the virtual clock: work is still pending (%d timers)", FormatTime(MaxClock), w.timers.settling)
				break
			}
			w.Warn("", "settle() gave up after %s: work is still pending (%d timers); something keeps failing and being retried", FormatDuration(MaxSettle), w.timers.settling)
			break
		}
		if err := w.runUntil(next.At, wk); err != nil {
			return w.Clock - start, err
		}
	}
	return w.Clock - start, nil
}

// Settled reports whether no timer settle() waits for is pending: the world
// is at rest, and its invariants must hold.
func (w *World) Settled() bool { return w.timers.settling == 0 }

// MaxSettle bounds how far settle() moves the clock.
const MaxSettle = Day

// work is one advance or settle in progress: how often each chain of
// timers has fired in it, and the host's Interrupt.
type work struct {
	chains map[chainKey]int
	stop   Interrupt
	fired  int // firings since stop was last asked
}

// A chainKey names a chain of timers: those of one kind for one subject.
// A timer that schedules its own successor (a restart that fails and is
// restarted again, a failback window that opens again) stays in its chain,
// whatever else it schedules on the way.
type chainKey struct{ kind, subject string }

func (w *World) newWork(stop Interrupt) *work {
	return &work{chains: map[chainKey]int{}, stop: stop}
}

// runUntil fires every timer due at or before target, then sets the clock to
// target. A chain that has fired MaxChainFirings times in this work is
// stopped: its pending timers are cancelled, leaving its object as it is
// (a resource waiting for a restart stays Failed), with a warning.
func (w *World) runUntil(target int64, wk *work) error {
	for {
		t := w.timers.peek()
		if t == nil || t.At > target {
			break
		}
		key := chainKey{t.Kind, t.Subject}
		if wk.chains[key] >= MaxChainFirings {
			n := w.CancelTimers(t.Kind, t.Subject)
			w.Warn(chainSubject(t.Subject), "stopped %s work for %s after %d firings within one call (%d pending dropped): it keeps failing and being retried; fix its cause (a paused or failed node, a policy) and try again",
				t.Kind, t.Subject, MaxChainFirings, n)
			continue
		}
		wk.chains[key]++
		w.timers.pop()
		if w.InTransaction() {
			w.OnUndo(func() { w.timers.insert(t) })
		}
		if t.At > w.Clock {
			w.Clock = t.At
		}
		w.fire(t)
		if wk.stop != nil {
			if wk.fired++; wk.fired >= pollFirings {
				n := wk.fired
				wk.fired = 0
				if err := wk.stop(n); err != nil {
					return err
				}
			}
		}
	}
	if target > w.Clock {
		w.Clock = target
	}
	return nil
}

// chainSubject is the object a timer subject names: its last part
// ("EXCLUSTER/Print IP" names the resource "Print IP").
func chainSubject(subject string) string {
	if i := strings.LastIndexByte(subject, '/'); i >= 0 {
		return subject[i+1:]
	}
	return subject
}
