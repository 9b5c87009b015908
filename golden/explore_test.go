package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExploreReports compares the report of `clusterscript explore
// runbooks/<path>` with golden/explore/<path>.golden; -update rewrites it.
func TestExploreReports(t *testing.T) {
	runbooks, err := exploreGoldens("..")
	if err != nil {
		t.Fatal(err)
	}
	if len(runbooks) < len(ExploreReports) {
		t.Fatalf("found %d runbooks with explore goldens, want at least the %d of ExploreReports", len(runbooks), len(ExploreReports))
	}
	for _, rb := range runbooks {
		t.Run(runbookRel(rb), func(t *testing.T) {
			r := CheckExplore("..", rb, *update)
			switch {
			case r.Problem != "":
				t.Error(r.Problem)
			case r.Updated:
				t.Logf("updated %s", r.Golden)
			}
		})
	}
}

// TestExploreGoldenWithoutRunbook: an explore golden whose runbook is gone
// is reported, not silently kept.
func TestExploreGoldensHaveRunbooks(t *testing.T) {
	filepath.WalkDir("explore", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".golden") {
			return err
		}
		rb := filepath.Join("..", "runbooks", strings.TrimSuffix(strings.TrimPrefix(p, "explore"+string(filepath.Separator)), ".golden")+".star")
		if _, err := os.Stat(rb); err != nil {
			t.Errorf("%s has no runbook %s", p, rb)
		}
		return nil
	})
}
