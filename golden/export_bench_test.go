package golden

import (
	"io"
	"os"
	"strings"
	"testing"

	"clusterscript/builtins"
	"clusterscript/lang"
	"clusterscript/runtime/export"
	"clusterscript/runtime/sim"
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

// bigWorld runs the SPEC §11 world's runbook (64 nodes, 4 resources a
// group) with groups groups on Windows Server version, keeping its change
// log as export does.
func bigWorld(tb testing.TB, groups, version string) *sim.World {
	src, err := os.ReadFile("../builtins/testdata/bench/big_world.star")
	if err != nil {
		tb.Fatal(err)
	}
	text := string(src)
	for _, r := range [][2]string{{"GROUPS = 8000", "GROUPS = " + groups}, {`version = "2022"`, `version = "` + version + `"`}} {
		if !strings.Contains(text, r[0]) {
			tb.Fatalf("big_world.star no longer holds %s", r[0])
		}
		text = strings.Replace(text, r[0], r[1], 1)
	}
	w := sim.New()
	s := lang.NewSession(builtins.NewWorld(w), builtins.Registry(), io.Discard)
	if _, err := s.ExecSource("big_world.star", []byte(text)); err != nil {
		tb.Fatal(lang.FormatError(err, s.Progress()))
	}
	return builtins.SimOf(s)
}

// BenchmarkExportBigWorld writes each export of the big world's run, at
// 1,000 and 8,000 groups: the time per op should grow eightfold, not
// sixty-four-fold (SPEC §11: cost grows with the work). cluster.exe gets
// the world on Windows Server 2012 R2, its last version.
func BenchmarkExportBigWorld(b *testing.B) {
	for _, groups := range []string{"1000", "8000"} {
		worlds := map[string]*sim.World{"2022": bigWorld(b, groups, "2022"), "2012 R2": bigWorld(b, groups, "2012 R2")}
		for _, target := range export.Targets {
			w := worlds["2022"]
			if target == export.ClusterExe {
				w = worlds["2012 R2"]
			}
			b.Run(groups+"/"+target, func(b *testing.B) {
				for b.Loop() {
					if err := export.Write(io.Discard, target, export.Run{Runbook: "big_world.star", Final: w}, false); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
