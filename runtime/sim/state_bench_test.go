package sim_test

import (
	"io"
	"strings"
	"testing"

	"clusterscript/runtime/sim"
	"clusterscript/runtime/sim/simtest"
)

// The state-file benchmarks use the SPEC §11 world: 64 nodes, 8,000 groups,
// 32,000 resources, all online, with the event log that built it. Together,
// Save and Load should take under 100 ms (issue 10). They measure what
// `clusterscript run --state` does, without the disk: WriteState streams
// into the file, and the file is read into one string that LoadString
// decodes.

func bigWorld(b *testing.B) (*sim.World, string) {
	b.Helper()
	w := simtest.OnlineCluster(b, simtest.Nodes, simtest.Groups)
	var doc strings.Builder
	if err := w.WriteState(&doc); err != nil {
		b.Fatal(err)
	}
	return w, doc.String()
}

// BenchmarkSave encodes the world; file-MB is the state file's size.
func BenchmarkSave(b *testing.B) {
	w, doc := bigWorld(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := w.WriteState(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(doc))/1e6, "file-MB")
}

// BenchmarkSaveBytes is Save, which returns the document as one []byte
// (for snapshots and tests); growing that buffer is most of the difference.
func BenchmarkSaveBytes(b *testing.B) {
	w, _ := bigWorld(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.Save(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad decodes the state file into a new world.
func BenchmarkLoad(b *testing.B) {
	_, doc := bigWorld(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sim.LoadString(doc); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(doc))/1e6, "file-MB")
}

// BenchmarkSaveLoad saves the world and loads what it saved.
func BenchmarkSaveLoad(b *testing.B) {
	w, doc := bigWorld(b)
	b.ReportAllocs()
	for b.Loop() {
		var file strings.Builder
		file.Grow(len(doc))
		if err := w.WriteState(&file); err != nil {
			b.Fatal(err)
		}
		if _, err := sim.LoadString(file.String()); err != nil {
			b.Fatal(err)
		}
	}
}
