package golden

import (
	"io"
	"testing"

	"clusterscript/runtime/export"
)

// BenchmarkExport writes each export of the end-to-end runbook's run.
func BenchmarkExport(b *testing.B) {
	_, w, err := Transcript("../runbooks/exchange_cluster_end_to_end.star")
	if err != nil {
		b.Fatal(err)
	}
	for _, target := range export.Targets {
		b.Run(target, func(b *testing.B) {
			for b.Loop() {
				if err := export.Write(io.Discard, target, export.Run{Runbook: "runbooks/exchange_cluster_end_to_end.star", Final: w}, false); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
