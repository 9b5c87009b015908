package golden

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"clusterscript/explore"
	"clusterscript/internal/udiff"
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
	want, rerr := os.ReadFile(gp)
	if rerr != nil && !slices.Contains(ExploreReports, runbookRel(runbook)) {
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
	switch {
	case update && (rerr != nil || !bytes.Equal(want, got.Bytes())):
		if err := os.MkdirAll(filepath.Dir(gp), 0o755); err != nil {
			r.Problem = err.Error()
		} else if err := os.WriteFile(gp, got.Bytes(), 0o644); err != nil {
			r.Problem = err.Error()
		} else {
			r.Updated, r.Golden = true, gp
		}
	case update:
	case rerr != nil:
		r.Problem = fmt.Sprintf("no golden explore report %s; run `clusterscript test --update %s` to create it", gp, runbook)
	case !bytes.Equal(want, got.Bytes()):
		r.Problem = fmt.Sprintf("the explore report differs from %s; `clusterscript test --update %s` accepts it:\n%s",
			gp, runbook, udiff.Unified(gp, "explore report of "+runbook, string(want), got.String()))
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
