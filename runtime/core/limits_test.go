package core

import (
	"errors"
	"strings"
	"testing"
)

// A chain that reschedules itself forever (a restart of a resource whose
// node cannot run it, every second) is stopped after MaxChainFirings
// firings in one advance, with a warning; advance still reaches its target.
func TestAdvanceStopsEndlessChain(t *testing.T) {
	w := testWorld()
	w.Schedule(Second, "test-work", "CL/R", "", 1<<62) // practically endless
	w.Schedule(Second, "test-window", "CL/G", "", 3)   // a short chain beside it
	if err := w.Advance(365 * Day); err != nil {
		t.Fatal(err)
	}
	if w.Clock != 365*Day {
		t.Fatalf("clock at %s, want 365d", FormatDuration(w.Clock))
	}
	fired := map[string]int{}
	var warns []Event
	for _, e := range w.Events {
		switch e.Kind {
		case KindFailover:
			fired[e.Subject]++
		case KindWarning:
			warns = append(warns, e)
		}
	}
	if fired["CL/R"] != MaxChainFirings || fired["CL/G"] != 4 {
		t.Errorf("fired %v, want CL/R %d times and CL/G 4 times", fired, MaxChainFirings)
	}
	if len(warns) != 1 || warns[0].Subject != "R" || !strings.Contains(warns[0].Text, "100000 firings") {
		t.Errorf("warnings %+v, want one about R's 100000 firings", warns)
	}
	if len(w.PendingTimers()) != 0 {
		t.Errorf("timers still pending: %+v", w.PendingTimers())
	}
	// The count is per call: the next advance lets a new chain run again.
	w.Schedule(0, "test-work", "CL/R", "", 2)
	ok(t, w.Advance(Minute))
}

// Work at a single instant that never ends (a failback window that is
// never open, read from a bad state file) is stopped the same way.
func TestSettleStopsSameInstantChain(t *testing.T) {
	w := testWorld()
	w.Schedule(0, "test-same-time", "X", "", 3)
	w.Settle()
	w.Schedule(0, "test-now", "Y", "", 1<<62)
	if d := w.Settle(); d != 0 {
		t.Errorf("settle moved %s, want 0s", FormatDuration(d))
	}
	if !w.Settled() {
		t.Error("work still pending after the chain was stopped")
	}
}

// The host's Interrupt stops long engine work with its error.
func TestAdvanceInterrupted(t *testing.T) {
	w := testWorld()
	w.Schedule(Second, "test-work", "CL/R", "", 1<<62)
	stop := errors.New("interrupted (Ctrl-C)")
	total := 0
	err := w.AdvanceWith(Day, func(n int) error {
		total += n
		if total >= 5*pollFirings {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || total != 5*pollFirings || w.Clock != 5*pollFirings*Second {
		t.Errorf("got %v after %d firings at %s", err, total, FormatDuration(w.Clock))
	}
	_, err = w.SettleWith(func(int) error { return stop })
	if !errors.Is(err, stop) {
		t.Errorf("settle: got %v", err)
	}
}

// The clock ends at 9999-12-31 23:59:59.999: advance refuses to pass it,
// settle stops there, and dates far from Epoch print right (a
// time.Duration of nanoseconds wraps after 292 years).
func TestEndOfTime(t *testing.T) {
	w := testWorld()
	for range 3 {
		ok(t, w.Advance(36500*Day))
	}
	if got := FormatClock(w.Clock); got != "2303-10-25 08:00:00" {
		t.Errorf("after 3×36500 days: %s", got)
	}
	if got := FormatTime(MaxClock); got != "9999-12-31 23:59:59.999" {
		t.Errorf("end of time prints %s", got)
	}
	err := w.Advance(MaxClock)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "the virtual clock ends at 9999-12-31 23:59:59.999") {
		t.Errorf("advance past the end: %v", err)
	}
	ok(t, w.Advance(MaxClock-w.Clock))
	if err := w.Advance(1); err == nil {
		t.Error("advance of 1ms at the end of time accepted")
	}
	w.Schedule(Hour, "test-work", "Z", "", 0)
	w.Schedule(-Hour, "test-work", "NOW", "", 0) // a bad delay is due now
	if d := w.Settle(); d != 0 || w.Clock != MaxClock {
		t.Errorf("settle at the end moved %d to %d", d, w.Clock)
	}
	last := w.Events[len(w.Events)-1]
	if last.Kind != KindWarning || !strings.Contains(last.Text, "end of the virtual clock") {
		t.Errorf("last event %+v, want the end-of-clock warning", last)
	}
}

func TestValidDuration(t *testing.T) {
	for _, c := range []struct {
		n, unit int64
		want    string
	}{
		{0, Second, ""},
		{900, Second, ""},
		{-1, Second, "restart period (seconds) -1 is negative"},
		{MaxClock / Hour, Hour, ""},
		{MaxClock/Hour + 1, Hour, "longer than the virtual clock's whole range"},
		{1 << 62, Day, "longer than"},
	} {
		err := ValidDuration("restart period (seconds)", c.n, c.unit)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("ValidDuration(%d, %d) = %v, want %q", c.n, c.unit, err, c.want)
		}
	}
	if ValidHour("window start", 99) == nil || ValidHour("window end", -7) == nil || ValidHour("h", 23) != nil {
		t.Error("ValidHour accepts 99 or -7, or refuses 23")
	}
	if ValidClock("clock", -1) == nil || ValidClock("clock", MaxClock+1) == nil || ValidClock("clock", MaxClock) != nil {
		t.Error("ValidClock's range is wrong")
	}
}
