package core

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// testEngine owns the test-only timer kinds: "test-work" is work settle()
// waits for (like failure detection), "test-window" is not (like a
// failback window). When a timer with N > 0 fires it schedules the next
// link of its chain N-1 seconds later... at a one-second interval, so
// settle() has to follow it.
type testEngine struct{ w *World }

func (e testEngine) TimerKinds() []TimerKind {
	w := e.w
	fire := func(t *Timer) {
		w.Emit(KindFailover, t.Subject, "", "%s %s %s fired (seq %d)", t.Kind, t.Subject, t.Arg, t.Seq)
		if t.N > 0 {
			w.Schedule(Second, t.Kind, t.Subject, t.Arg, t.N-1)
		}
	}
	return []TimerKind{
		{Name: "test-work", Settles: true, Fire: fire},
		{Name: "test-window", Settles: false, Fire: fire},
		{Name: "test-now", Settles: true, Fire: func(t *Timer) {
			if t.N > 0 { // work that schedules itself again, due at once
				w.Schedule(0, t.Kind, t.Subject, t.Arg, t.N-1)
			}
		}},
		{Name: "test-same-time", Settles: true, Fire: func(t *Timer) {
			w.Emit(KindFailover, t.Subject, "", "%s %s fired", t.Kind, t.Subject)
			if t.N > 0 { // work that schedules more work for the same instant
				w.Schedule(0, "test-same-time", t.Subject+"+", "", t.N-1)
			}
		}},
	}
}

func (testEngine) MemberOf(string) string { return "" }
func (testEngine) GuardAdapter(*Server, *Adapter, netip.Prefix, []string) error {
	return nil
}
func (testEngine) HolderOf(*Disk) string                  { return "" }
func (testEngine) OnServerDown(*Server)                   {}
func (testEngine) OnServerUp(*Server)                     {}
func (testEngine) OnAdapterFailed(*Server, *Adapter)      {}
func (testEngine) OnAdapterRepaired(*Server, *Adapter)    {}
func (testEngine) OnDiskFailed(*Disk)                     {}
func (testEngine) OnDiskRepaired(*Disk)                   {}
func (testEngine) OnAsrBackup(*Server)                    {}
func (testEngine) CheckAsrRestore(*Server, *AsrSet) error { return nil }
func (testEngine) OnAsrRestoring(*Server)                 {}
func (testEngine) Reindex()                               {}
func (testEngine) Addresses(func(string, AddrUse))        {}
func (testEngine) CheckIndexes() error                    { return nil }
func (testEngine) StateKey() string                       { return "test" }
func (testEngine) HasState() bool                         { return false }
func (testEngine) EncodeState(*StateEncoder)              {}
func (testEngine) DecodeState(d *StateDecoder)            { d.Skip() }
func (testEngine) Validate() error                        { return nil }

// testWorld is a core world with the test engine attached.
func testWorld() *World {
	w := NewWorld()
	w.Attach(testEngine{w})
	return w
}

// Load reads a state file into a new test world.
func Load(data []byte) (*World, error) {
	w := testWorld()
	if err := w.ReadState(string(data)); err != nil {
		return nil, err
	}
	return w, nil
}

func fired(w *World, from int) []string {
	var out []string
	for _, e := range w.Log()[from:] {
		if e.Kind == KindFailover {
			out = append(out, FormatTime(e.At)[11:]+" "+e.Text)
		}
	}
	return out
}

func TestEpoch(t *testing.T) {
	w := testWorld()
	if got := FormatTime(w.Now()); got != "2004-01-05 08:00:00.000" {
		t.Errorf("the clock starts at %s, want 2004-01-05 08:00:00.000", got)
	}
	if Epoch.Weekday() != time.Monday {
		t.Errorf("the epoch is a %s, want Monday", Epoch.Weekday())
	}
	if got := FormatClock(Day + Hour + 1500); got != "2004-01-06 09:00:01" {
		t.Errorf("FormatClock = %s", got)
	}
	if got := HourOfDay(16 * Hour); got != 0 {
		t.Errorf("HourOfDay(16h after 08:00) = %d, want 0", got)
	}
}

func TestFormatDuration(t *testing.T) {
	for ms, want := range map[int64]string{
		0:                        "0s",
		1:                        "0.001s",
		1200:                     "1.2s",
		6 * Second:               "6s",
		90 * Second:              "1m 30s",
		2*Hour + 30*Minute:       "2h 30m",
		Day + 4*Hour:             "1d 4h",
		Day + 1500:               "1d 1.5s",
		3*Day + Minute + 10*1000: "3d 1m 10s",
	} {
		if got := FormatDuration(ms); got != want {
			t.Errorf("FormatDuration(%d) = %q, want %q", ms, got, want)
		}
	}
}

func TestTimerOrder(t *testing.T) {
	w := testWorld()
	// Scheduled out of order, with ties in time: ties fire in the order
	// they were scheduled (sequence), whatever the heap does.
	w.Schedule(5*Second, "test-window", "E", "", 0)
	w.Schedule(2*Second, "test-work", "B1", "", 0)
	w.Schedule(Second, "test-window", "A", "", 0)
	w.Schedule(2*Second, "test-window", "B2", "", 0)
	w.Schedule(2*Second, "test-work", "B3", "", 0)
	w.Schedule(9*Second, "test-work", "late", "", 0)
	w.Schedule(2*Second, "test-work", "B4", "", 0)
	pending := w.PendingTimers()
	var order []string
	for _, p := range pending {
		order = append(order, fmt.Sprintf("%d/%d %s", p.At/Second, p.Seq, p.Subject))
	}
	eqStrings(t, "pending", order, []string{"1/3 A", "2/2 B1", "2/4 B2", "2/5 B3", "2/7 B4", "5/1 E", "9/6 late"})

	n := len(w.Log())
	if err := w.Advance(5 * Second); err != nil {
		t.Fatal(err)
	}
	eqStrings(t, "fired", fired(w, n), []string{
		"08:00:01.000 test-window A  fired (seq 3)",
		"08:00:02.000 test-work B1  fired (seq 2)",
		"08:00:02.000 test-window B2  fired (seq 4)",
		"08:00:02.000 test-work B3  fired (seq 5)",
		"08:00:02.000 test-work B4  fired (seq 7)",
		"08:00:05.000 test-window E  fired (seq 1)", // due exactly at the target: fires
	})
	if w.Now() != 5*Second {
		t.Errorf("clock = %s, want 5s", FormatDuration(w.Now()))
	}
	if len(w.PendingTimers()) != 1 {
		t.Errorf("pending after advance: %v", w.PendingTimers())
	}
}

func TestTimersAtTheSameInstant(t *testing.T) {
	w := testWorld()
	w.Schedule(Second, "test-same-time", "X", "", 2)
	w.Schedule(Second, "test-same-time", "Y", "", 0)
	n := len(w.Log())
	if err := w.Advance(Second); err != nil {
		t.Fatal(err)
	}
	// Work scheduled for "now" by a firing timer runs after what was
	// already due at that instant, and before the clock moves on.
	eqStrings(t, "fired", fired(w, n), []string{
		"08:00:01.000 test-same-time X fired",
		"08:00:01.000 test-same-time Y fired",
		"08:00:01.000 test-same-time X+ fired",
		"08:00:01.000 test-same-time X++ fired",
	})
}

func TestCancelTimers(t *testing.T) {
	w := testWorld()
	for i, s := range []string{"A", "B", "A", "C", "A"} {
		w.Schedule(int64(i+1)*Second, "test-work", s, "", 0)
	}
	w.Schedule(Second, "test-window", "A", "", 0)
	if got := w.CancelTimers("test-work", "A"); got != 3 {
		t.Errorf("cancelTimers removed %d, want 3", got)
	}
	if got := w.CancelTimers("test-work", "Z"); got != 0 {
		t.Errorf("cancelTimers removed %d of nothing", got)
	}
	n := len(w.Log())
	if d := w.Settle(); d != 4*Second {
		t.Errorf("Settle moved %s, want 4s (to C)", FormatDuration(d))
	}
	eqStrings(t, "fired", fired(w, n), []string{
		"08:00:01.000 test-window A  fired (seq 6)",
		"08:00:02.000 test-work B  fired (seq 2)",
		"08:00:04.000 test-work C  fired (seq 4)",
	})
}

func TestAdvanceRefusesToGoBack(t *testing.T) {
	w := testWorld()
	w.Schedule(Second, "test-work", "A", "", 0)
	before := save(t, w)
	err := w.Advance(-1500)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "cannot move the clock backwards by 1.5s") {
		t.Errorf("Advance(-1.5s) = %v", err)
	}
	if after := save(t, w); string(before) != string(after) {
		t.Error("a refused Advance changed the world")
	}
	if err := w.Advance(0); err != nil || w.Now() != 0 || len(w.PendingTimers()) != 1 {
		t.Errorf("Advance(0) = %v, clock %d, pending %d", err, w.Now(), len(w.PendingTimers()))
	}
}

func TestUntilTimeOfDay(t *testing.T) {
	w := testWorld()
	for _, tc := range []struct {
		hh, mm int
		want   int64
	}{
		{8, 0, 0}, // already exactly 08:00
		{8, 1, Minute},
		{23, 59, 15*Hour + 59*Minute},
		{0, 0, 16 * Hour},
		{7, 59, 23*Hour + 59*Minute},
	} {
		got, err := w.UntilTimeOfDay(tc.hh, tc.mm)
		if err != nil || got != tc.want {
			t.Errorf("UntilTimeOfDay(%02d:%02d) = %s, %v; want %s", tc.hh, tc.mm, FormatDuration(got), err, FormatDuration(tc.want))
		}
	}
	if err := w.Advance(1); err != nil {
		t.Fatal(err)
	}
	if got, _ := w.UntilTimeOfDay(8, 0); got != Day-1 {
		t.Errorf("one millisecond past 08:00, the next 08:00 is %s away, want 1d less 1ms", FormatDuration(got))
	}
	for _, bad := range [][2]int{{25, 0}, {24, 0}, {-1, 0}, {12, 60}, {12, -1}} {
		_, err := w.UntilTimeOfDay(bad[0], bad[1])
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "is not a time of day") {
			t.Errorf("UntilTimeOfDay(%d, %d) = %v", bad[0], bad[1], err)
		}
	}
}

func TestSettle(t *testing.T) {
	w := testWorld()
	if d := w.Settle(); d != 0 {
		t.Errorf("Settle with nothing pending moved %s", FormatDuration(d))
	}
	w.Schedule(Hour, "test-window", "window", "", 0)    // not waited for
	w.Schedule(2*Second, "test-window", "early", "", 0) // fires on the way
	w.Schedule(Second, "test-work", "detect", "", 3)    // a chain: 1s, 2s, 3s, 4s
	w.Schedule(1500, "test-work", "converge", "b", 0)   // 1.5s
	w.Schedule(Day, "test-window", "failover-period", "", 0)
	if w.Settled() {
		t.Error("Settled with detection and convergence work pending")
	}
	n := len(w.Log())
	d := w.Settle()
	if d != 4*Second {
		t.Errorf("Settle moved %s, want 4s (the end of the chain)", FormatDuration(d))
	}
	eqStrings(t, "fired", fired(w, n), []string{
		"08:00:01.000 test-work detect  fired (seq 3)",
		"08:00:01.500 test-work converge b fired (seq 4)",
		"08:00:02.000 test-window early  fired (seq 2)",
		"08:00:02.000 test-work detect  fired (seq 6)",
		"08:00:03.000 test-work detect  fired (seq 7)",
		"08:00:04.000 test-work detect  fired (seq 8)",
	})
	var left []string
	for _, p := range w.PendingTimers() {
		left = append(left, p.Subject)
	}
	eqStrings(t, "left pending", left, []string{"window", "failover-period"})
	if !w.Settled() {
		t.Error("not Settled after Settle, with only a window and a failover period pending")
	}
	if d := w.Settle(); d != 0 {
		t.Errorf("a second Settle moved %s", FormatDuration(d))
	}
}

// TestTimersSurviveStateFile checks that a world saved with pending timers
// and loaded again behaves exactly like the original: same firing order,
// same sequence numbers, settle() still knows what it waits for.
func TestTimersSurviveStateFile(t *testing.T) {
	w := testWorld()
	w.Schedule(3*Second, "test-work", "A", "x", 1)
	w.Schedule(Second, "test-window", "B", "", 0)
	w.Schedule(3*Second, "test-window", "C", "", 0)
	if err := w.Advance(500); err != nil {
		t.Fatal(err)
	}
	data := save(t, w)
	w2, err := Load(data)
	if err != nil {
		t.Fatal(err)
	}
	if again := save(t, w2); string(again) != string(data) {
		t.Fatalf("save → load → save differs:\n%s\n%s", data, again)
	}
	n := len(w.Log())
	d1, d2 := w.Settle(), w2.Settle()
	w.Schedule(0, "test-window", "new", "", 0)
	w2.Schedule(0, "test-window", "new", "", 0)
	if d1 != d2 || d1 != 3500 {
		t.Errorf("Settle: original %s, reloaded %s; want 3.5s", FormatDuration(d1), FormatDuration(d2))
	}
	eqStrings(t, "reloaded world fires like the original", fired(w2, n), fired(w, n))
	if a, b := save(t, w), save(t, w2); string(a) != string(b) {
		t.Errorf("the worlds diverged:\n%s\n%s", a, b)
	}
}
