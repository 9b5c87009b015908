package golden

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"clusterscript/explore"
	"clusterscript/internal/udiff"
)

// exploreReports are the runbooks whose explore report is kept as
// golden/explore/<same path>.golden (SPEC §10), besides any such file
// already there.
var exploreReports = []string{"exchange_cluster_end_to_end.star"}

// TestExploreReports compares the report of `clusterscript explore
// runbooks/<path>` with golden/explore/<path>.golden; -update rewrites it.
func TestExploreReports(t *testing.T) {
	runbooks := slices.Clone(exploreReports)
	filepath.WalkDir("explore", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".golden") {
			rel := filepath.ToSlash(strings.TrimSuffix(strings.TrimPrefix(p, "explore"+string(filepath.Separator)), ".golden")) + ".star"
			if !slices.Contains(runbooks, rel) {
				runbooks = append(runbooks, rel)
			}
		}
		return nil
	})
	for _, rel := range runbooks {
		t.Run(rel, func(t *testing.T) {
			x, err := explore.New(explore.Options{Path: "../runbooks/" + rel, Display: "runbooks/" + rel, Jobs: runtime.NumCPU()})
			if err != nil {
				t.Fatalf("runbooks/%s has a golden explore report but cannot be explored: %v", rel, err)
			}
			res, _ := x.Run(explore.Shard{})
			recs := make([]explore.Record, len(res))
			for i, r := range res {
				recs[i] = x.Record(r)
			}
			var got bytes.Buffer
			if err := explore.WriteReport(&got, x.Header(explore.Shard{}), recs); err != nil {
				t.Fatal(err)
			}
			gp := filepath.Join("explore", strings.TrimSuffix(rel, ".star")+".golden")
			want, err := os.ReadFile(gp)
			switch {
			case *update && !bytes.Equal(want, got.Bytes()):
				if err := os.MkdirAll(filepath.Dir(gp), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(gp, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("updated %s", gp)
			case *update:
			case err != nil:
				t.Errorf("no golden explore report %s; `go test ./golden -update` writes it", gp)
			case !bytes.Equal(want, got.Bytes()):
				t.Errorf("the explore report differs from %s; `go test ./golden -update` accepts it:\n%s",
					gp, udiff.Unified(gp, "explore report of runbooks/"+rel, string(want), got.String()))
			}
		})
	}
}
