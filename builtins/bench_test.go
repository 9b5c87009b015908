package builtins

import (
	"io"
	"os"
	"testing"

	"clusterscript/lang"
	"clusterscript/runtime/sim"
)

// countingWriter counts the Write calls that reach the file under it: on
// an *os.File each is one write system call.
type countingWriter struct {
	w      io.Writer
	writes int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.writes++
	return c.w.Write(p)
}

// BenchmarkBuildBigWorld runs testdata/bench/big_world.star (SPEC §11: a
// 64-node Windows Server 2022 cluster, 8,000 groups of 4 resources, all
// online) with its transcript going to a pipe that a goroutine drains, as
// `clusterscript run ... | less` does. writes/op counts the write calls.
func BenchmarkBuildBigWorld(b *testing.B) {
	src, err := os.ReadFile("testdata/bench/big_world.star")
	if err != nil {
		b.Fatal(err)
	}
	// As `clusterscript run` does under its default --max-memory.
	defer lang.ApplyMemoryBudget(lang.DefaultMaxMemory)()
	for b.Loop() {
		r, w, err := os.Pipe()
		if err != nil {
			b.Fatal(err)
		}
		drained := make(chan error)
		go func() {
			_, err := io.Copy(io.Discard, r)
			drained <- err
		}()
		out := &countingWriter{w: w}
		world := NewWorld(sim.New())
		DiscardChanges(world) // as `clusterscript run` does
		s := lang.NewSession(world, Registry(), out)
		if os.Getenv("CLUSTERSCRIPT_BENCH_NO_MEMWATCH") != "" {
			s.MaxMemory = 0 // to measure what the memory watch costs
		}
		_, err = s.ExecSource("big_world.star", src)
		w.Close()
		if derr := <-drained; derr != nil {
			b.Fatal(derr)
		}
		r.Close()
		if err != nil {
			b.Fatal(lang.FormatError(err, s.Progress()))
		}
		b.ReportMetric(float64(out.writes), "writes/op")
	}
}
