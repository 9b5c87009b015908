package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"clusterscript/runtime/sim/simtest"
)

// BenchmarkRunFailNodeWithState is the whole `clusterscript run --state F`
// on the SPEC §11 world (64 nodes, 8,000 groups, 32,000 resources, all
// online): read and decode F, run a runbook that fails one node and settles
// (its 125 groups fail over), print the transcript, encode and write F back
// atomically. Issue 10's target is under 150 ms. Restoring F between
// iterations is not timed.
func BenchmarkRunFailNodeWithState(b *testing.B) {
	w := simtest.OnlineCluster(b, simtest.Nodes, simtest.Groups)
	online, err := w.Save()
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	state := filepath.Join(dir, "world.json")
	runbook := filepath.Join(dir, "fail.star")
	if err := os.WriteFile(runbook, []byte("fail_server(\"NODE01\")\nsettle()\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		if err := os.WriteFile(state, online, 0o600); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if code := Main([]string{"run", runbook, "--state", state}, nil, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
	b.StopTimer()
	after, err := os.ReadFile(state)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(online))/1e6, "file-MB")
	if len(after) <= len(online) {
		b.Fatalf("the state file did not grow with the failover's events: %d then %d bytes", len(online), len(after))
	}
}
