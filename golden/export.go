package golden

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"clusterscript/runtime/export"
	"clusterscript/runtime/sim"
)

// Export goldens: golden/export/<target>/<path>.<ext> holds what `clusterscript
// export` writes for runbooks/<path>.star. Every runbook has its PowerShell
// and cluster.exe exports; ExportTargets names the runbooks that keep the
// Pacemaker ones too.

// EveryRunbookTargets are the export targets kept for every runbook.
var EveryRunbookTargets = []string{export.PowerShell, export.ClusterExe}

// ExportTargets lists, by runbook path under runbooks/, the targets kept
// beside EveryRunbookTargets.
var ExportTargets = map[string][]string{
	"exchange_cluster_end_to_end.star":       {export.PCS, export.CIB},
	"versions/last_man_standing_2012r2.star": {export.PCS, export.CIB},
}

// ExportGoldenPath maps root/runbooks/a/b.star to
// root/golden/export/<target>/a/b.<ext>.
func ExportGoldenPath(root, runbook, target string) (string, error) {
	rel, err := goldenRel(root, runbook)
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "golden", "export", target, strings.TrimSuffix(rel, ".golden")+"."+export.Extensions[target]), nil
}

// goldenRel is the path of a runbook's golden transcript under golden/:
// a/b.golden for runbooks/a/b.star.
func goldenRel(root, runbook string) (string, error) {
	gp, err := GoldenPath(root, runbook)
	if err != nil {
		return "", err
	}
	return filepath.Rel(filepath.Join(root, "golden"), gp)
}

// targetsOf is the export targets kept for a runbook.
func targetsOf(runbook string) []string {
	return append(slices.Clone(EveryRunbookTargets), ExportTargets[runbookRel(runbook)]...)
}

// Exported writes a runbook's export for one target from the world its
// run left.
func Exported(runbook, target string, w *sim.World) ([]byte, error) {
	var b bytes.Buffer
	err := export.Write(&b, target, export.Run{Runbook: "runbooks/" + runbookRel(runbook), Final: w}, false)
	return b.Bytes(), err
}

func runbookRel(runbook string) string {
	p := filepath.ToSlash(runbook)
	if i := strings.LastIndex(p, "runbooks/"); i >= 0 {
		return p[i+len("runbooks/"):]
	}
	return filepath.Base(p)
}

// CheckExports runs a runbook and compares its exports with their goldens
// (or rewrites them when update is set). A project without a
// golden/export folder keeps no export goldens.
func CheckExports(root, runbook string, update bool) Result {
	r := Result{Runbook: runbook}
	_, w, err := Transcript(runbook)
	if err != nil {
		r.Problem = "the runbook failed:\n" + err.Error()
		return r
	}
	return checkExports(root, runbook, w, update)
}

// checkExports compares the exports of the world a runbook's run left
// with their goldens.
func checkExports(root, runbook string, w *sim.World, update bool) Result {
	r := Result{Runbook: runbook}
	if _, err := os.Stat(filepath.Join(root, "golden", "export")); err != nil {
		return r
	}
	var problems []string
	for _, target := range targetsOf(runbook) {
		gp, err := ExportGoldenPath(root, runbook, target)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		got, err := Exported(runbook, target, w)
		if err != nil {
			got = []byte("export refused: " + err.Error() + "\n")
		}
		updated, problem := compare(gp, got, update, runbook, target+" export", "export")
		if updated {
			r.Updated, r.Golden = true, gp
		}
		if problem != "" {
			problems = append(problems, problem)
		}
	}
	r.Problem = strings.Join(problems, "\n")
	return r
}
