package lang

import (
	"fmt"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"time"
)

// DefaultMaxMemory is the heap a run may use unless --max-memory says
// otherwise: 4 GiB.
const DefaultMaxMemory = 4 << 30

// heapMetric is the Go heap's bytes in objects, live or not yet swept. The
// host sets the runtime's soft memory limit to the budget (cmd does), so
// the collector keeps garbage below it and the figure passes the budget
// only when what is live nearly does.
const heapMetric = "/memory/classes/heap/objects:bytes"

// memWatchEvery is how often a running session's watcher samples the heap:
// a repetition or a concatenation that doubles a list grows memory within
// one Starlark step, between the steps the step hook sees.
const memWatchEvery = 5 * time.Millisecond

// heapSample holds pointers, which go in and out of the pool without an
// allocation (a slice would be boxed at every Put).
var heapSample = sync.Pool{New: func() any { return &[1]metrics.Sample{{Name: heapMetric}} }}

// HeapBytes samples the Go heap (runtime/metrics: no stop-the-world).
func HeapBytes() uint64 {
	s := heapSample.Get().(*[1]metrics.Sample)
	metrics.Read(s[:])
	n := s[0].Value.Uint64()
	heapSample.Put(s)
	return n
}

// memoryProblem says why the heap is over the session's budget, or "".
func (s *Session) memoryProblem() string {
	if s.MaxMemory == 0 {
		return ""
	}
	if h := HeapBytes(); h > s.MaxMemory {
		return fmt.Sprintf("the memory budget of %s (--max-memory) is used up: the heap holds %s; a value may be growing without end (a list repeated or doubled in a loop)",
			FormatBytes(s.MaxMemory), FormatBytes(h))
	}
	return ""
}

// memCheckEvery is how many builtin calls share one sample of the heap:
// a runbook building a big world makes tens of thousands, and between
// samples the watcher (watchMemory) still looks every few milliseconds.
const memCheckEvery = 16

// checkCallMemory is the watch at builtin calls: checkMemory at the
// first, then at one in memCheckEvery.
func (s *Session) checkCallMemory() error {
	if s.calls.Add(1)%memCheckEvery != 1 {
		return nil
	}
	return s.checkMemory()
}

// checkMemory: over budget, the session is interrupted (so catch() does
// not swallow it) and the call refused.
func (s *Session) checkMemory() error {
	if p := s.memoryProblem(); p != "" {
		s.Interrupt(p)
		return fmt.Errorf("%s", p)
	}
	return nil
}

// Poll is the engine's Interrupt (core.Interrupt): long advance() and
// settle() work asks it every so many timer firings. Each firing costs
// one step of the budget; Ctrl-C, a used-up step budget or memory budget
// stop the work with an error.
func (s *Session) Poll(fired int) error {
	if err := s.checkMemory(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.usedSteps += uint64(fired)
	if s.cancel != "" {
		return fmt.Errorf("%s", s.cancel)
	}
	if s.stepsLeft() == 0 {
		return fmt.Errorf("the step budget of %d steps (--max-steps) is used up by the engine's work (each timer firing is a step); something keeps failing and being retried", s.MaxSteps)
	}
	return nil
}

// watchMemory samples the heap while threads of the session run and
// interrupts them when it passes the budget; the returned function stops
// the watch. The engine and the interpreter stay free of goroutines: this
// one only reads the heap's size and cancels threads, which is safe.
func (s *Session) watchMemory() func() {
	if s.MaxMemory == 0 {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(memWatchEvery)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if p := s.memoryProblem(); p != "" {
					s.Interrupt(p)
					return
				}
			}
		}
	}()
	return func() { close(done) }
}

// FormatBytes renders a size in bytes the way --max-memory reads it:
// "4 GiB", "512 MiB", "1.5 GiB".
func FormatBytes(n uint64) string {
	units := []string{"bytes", "KiB", "MiB", "GiB", "TiB"}
	f, u := float64(n), 0
	for f >= 1024 && u < len(units)-1 {
		f /= 1024
		u++
	}
	if u == 0 {
		return fmt.Sprintf("%d bytes", n)
	}
	return fmt.Sprintf("%.3g %s", f, units[u])
}

// ParseBytes reads a --max-memory value: a number of bytes with an
// optional unit, KiB, MiB, GiB or TiB (K, M, G, T and KB, MB, GB, TB mean
// the same powers of 1024).
func ParseBytes(v string) (uint64, error) {
	v = strings.TrimSpace(v)
	num := v
	mult := uint64(1)
	for i, units := range [][]string{{"K", "KB", "KiB"}, {"M", "MB", "MiB"}, {"G", "GB", "GiB"}, {"T", "TB", "TiB"}} {
		for _, u := range units {
			if len(v) > len(u) && strings.EqualFold(v[len(v)-len(u):], u) {
				num, mult = strings.TrimSpace(v[:len(v)-len(u)]), uint64(1)<<(10*(i+1))
			}
		}
	}
	var n uint64
	if _, err := fmt.Sscanf(num, "%d", &n); err != nil || fmt.Sprint(n) != num || n == 0 || n > (1<<63)/mult {
		return 0, fmt.Errorf("%q is not a memory size; write bytes or a number with KiB, MiB, GiB or TiB, e.g. 4GiB or 512MiB", v)
	}
	return n * mult, nil
}

// CollectorPercent is the garbage collector's GOGC while a memory budget
// holds (ApplyMemoryBudget).
const CollectorPercent = 400

// ApplyMemoryBudget makes budget the Go runtime's soft memory limit, so the
// collector keeps garbage under it, and, unless the GOGC environment
// variable says otherwise, lets the heap grow to five times what is live
// before collecting (GOGC=400 instead of 100). A run is short and the limit
// bounds its heap, so collecting less often buys speed with memory the
// budget allows: building the 8,000-group world takes about a third less
// time. It returns a function that puts the previous settings back.
func ApplyMemoryBudget(budget uint64) (restore func()) {
	limit := debug.SetMemoryLimit(int64(min(budget, 1<<62)))
	percent := -2 // not changed
	if os.Getenv("GOGC") == "" {
		percent = debug.SetGCPercent(CollectorPercent)
	}
	return func() {
		debug.SetMemoryLimit(limit)
		if percent != -2 {
			debug.SetGCPercent(percent)
		}
	}
}
