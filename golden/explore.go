package golden

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"clusterscript/explore"
)

// Explore goldens: golden/explore/<path>.golden holds the report of
// `clusterscript explore runbooks/<path>.star` (SPEC §10). A runbook has
// one when the file exists or when ExploreReports names it.

// ExploreReports lists, by path under runbooks/, the runbooks whose explore
// report must be kept as a golden even before the file exists.
var ExploreReports = []string{"exchange_cluster_end_to_end.star"}

// ExploreGoldenPath maps root/runbooks/a/b.star to
// root/golden/explore/a/b.golden.
func ExploreGoldenPath(root, runbook string) (string, error) {
	rel, err := goldenRel(root, runbook)
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "golden", "explore", rel), nil
}

// CheckExplore explores a runbook that keeps an explore golden and compares
// the report with it (or rewrites it when update is set). A runbook without
// one passes untouched.
func CheckExplore(root, runbook string, update bool) Result {
	r := Result{Runbook: runbook}
	gp, err := ExploreGoldenPath(root, runbook)
	if err != nil {
		return r
	}
	if _, err := os.Stat(gp); err != nil && !slices.Contains(ExploreReports, runbookRel(runbook)) {
		return r
	}
	x, err := explore.New(explore.Options{Path: runbook, Display: "runbooks/" + runbookRel(runbook), Jobs: explore.DefaultJobs()})
	if err != nil {
		r.Problem = fmt.Sprintf("%s keeps a golden explore report but cannot be explored: %v", runbook, err)
		return r
	}
	res, _ := x.Run(explore.Shard{})
	var got bytes.Buffer
	if err := explore.WriteReport(&got, x.Header(explore.Shard{}), x.Records(res)); err != nil {
		r.Problem = err.Error()
		return r
	}
	if r.Updated, r.Problem = compare(gp, got.Bytes(), update, runbook, "explore report", "explore report"); r.Updated {
		r.Golden = gp
	}
	return r
}

// exploreGoldens lists the runbooks under root that keep an explore golden.
func exploreGoldens(root string) ([]string, error) {
	all, err := Find(root, nil)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, rb := range all {
		gp, err := ExploreGoldenPath(root, rb)
		if err != nil {
			continue
		}
		if _, err := os.Stat(gp); err == nil || slices.Contains(ExploreReports, runbookRel(rb)) {
			out = append(out, rb)
		}
	}
	return out, nil
}
