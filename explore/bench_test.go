package explore

import (
	"runtime"
	"testing"
)

// benchExplore explores a runbook b.N times, jobs cases at once, and
// reports the cases and the cases per second.
func benchExplore(b *testing.B, opt Options) {
	opt.Jobs = runtime.NumCPU()
	cases := 0
	b.ResetTimer()
	for b.Loop() {
		x, err := New(opt)
		if err != nil {
			b.Fatal(err)
		}
		res, _ := x.Run(Shard{})
		cases = len(res)
	}
	b.ReportMetric(float64(cases), "cases")
	b.ReportMetric(float64(cases)*float64(b.N)/b.Elapsed().Seconds(), "cases/s")
}

// BenchmarkExploreEndToEnd is SPEC §11's target: the whole single-fault
// matrix of runbooks/exchange_cluster_end_to_end.star under 5 s (on the
// project's 2-core machine), the fault-free run included.
func BenchmarkExploreEndToEnd(b *testing.B) {
	benchExplore(b, Options{Path: "../runbooks/exchange_cluster_end_to_end.star"})
}

// BenchmarkExploreDepthTwo: every pair of faults on a small drill.
func BenchmarkExploreDepthTwo(b *testing.B) {
	benchExplore(b, Options{Path: "../runbooks/drills/majority_no_quorum_changes.star", Depth: 2})
}
