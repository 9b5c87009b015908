package core

import "time"

// The limits that keep the virtual clock and the engine's work finite. They
// are checked by the builtins and by state-file loading alike, so that a
// loaded world is one the builtins could have built.

// EndOfTime is the last instant the virtual clock can show:
// 9999-12-31 23:59:59.999. advance() refuses to pass it, settle() stops at
// it, and a timer due after it never fires.
var EndOfTime = time.Date(9999, time.December, 31, 23, 59, 59, 999e6, time.UTC)

// MaxClock is EndOfTime as a virtual instant (milliseconds since Epoch).
var MaxClock = EndOfTime.UnixMilli() - Epoch.UnixMilli()

// MaxChainFirings is how many times one chain of timers (the timers of one
// kind for one subject, such as the restarts of one resource) may fire
// within one advance(), advance_to() or settle() before the engine stops
// it with a warning.
const MaxChainFirings = 100_000

// instant is the calendar time of a virtual instant. It goes through Unix
// milliseconds: a time.Duration holds only about 292 years of nanoseconds.
func instant(ms int64) time.Time {
	return time.UnixMilli(Epoch.UnixMilli() + ms).UTC()
}

// ValidClock refuses a virtual instant before Epoch or after EndOfTime (a
// state file's clock or an event's time).
func ValidClock(what string, ms int64) error {
	if ms < 0 || ms > MaxClock {
		return Errf(ErrInvalid, "%s %d is outside the virtual clock's range: 0 (%s) to %d (%s) milliseconds",
			what, ms, FormatTime(0), MaxClock, EndOfTime.Format("2006-01-02 15:04:05.000"))
	}
	return nil
}

// ValidDuration refuses a duration of n units (Second, Minute, Hour, Day or
// 1 for milliseconds) that is negative or longer than the whole virtual
// clock: a restart period, a failover period, a retry period, an NLB time.
// what names it with its unit, e.g. "restart period (seconds)".
func ValidDuration(what string, n, unit int64) error {
	if n < 0 {
		return Errf(ErrInvalid, "%s %d is negative; a duration is 0 or more", what, n)
	}
	if n > MaxClock/unit {
		return Errf(ErrInvalid, "%s %d is longer than the virtual clock's whole range (at most %d)", what, n, MaxClock/unit)
	}
	return nil
}

// ValidHour refuses an hour of the day outside 0–23 (a failback window's
// start or end).
func ValidHour(what string, h int) error {
	if h < 0 || h > 23 {
		return Errf(ErrInvalid, "%s %d is not an hour of the day; use 0–23", what, h)
	}
	return nil
}

// clockLeft is how far the clock may still move.
func (w *World) clockLeft() int64 { return MaxClock - w.Clock }
