package sim_test

import (
	"testing"

	"clusterscript/runtime/sim"
	"clusterscript/runtime/sim/simtest"
)

// The state-file benchmarks use the SPEC §11 world: 64 nodes, 8,000 groups,
// 32,000 resources, all online, with the event log that built it. Together,
// Save and Load should take under 100 ms (issue 10).

func bigWorld(b *testing.B) (*sim.World, []byte) {
	b.Helper()
	w, err := simtest.BigCluster()
	if err != nil {
		b.Fatal(err)
	}
	data, err := w.Save()
	if err != nil {
		b.Fatal(err)
	}
	return w, data
}

// BenchmarkSave encodes the world; file-MB is the state file's size.
func BenchmarkSave(b *testing.B) {
	w, data := bigWorld(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.Save(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(data))/1e6, "file-MB")
}

// BenchmarkLoad decodes the state file into a new world.
func BenchmarkLoad(b *testing.B) {
	_, data := bigWorld(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sim.Load(data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(data))/1e6, "file-MB")
}

// BenchmarkSaveLoad saves the world and loads what it saved.
func BenchmarkSaveLoad(b *testing.B) {
	w, _ := bigWorld(b)
	b.ReportAllocs()
	for b.Loop() {
		data, err := w.Save()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := sim.Load(data); err != nil {
			b.Fatal(err)
		}
	}
}
