package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clusterscript/runtime/core"
	"clusterscript/runtime/export"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/sim"
)

// handMadeRunbook is the versioned runbook the hand-made changes follow.
const handMadeRunbook = "../runbooks/versions/last_man_standing_2012r2.star"

// handMadeWorld is the world of handMadeRunbook's run with change records
// written by hand after its own, as the engine records them: the quorum,
// vote and property operations no runbook here makes, and the placement
// operations (group priority, anti-affinity, sites) before the engine has
// them. Group App2 prefers NODE5, as App does, and shares its
// anti-affinity class.
func handMadeWorld(t *testing.T) *sim.World {
	t.Helper()
	_, w, err := Transcript(handMadeRunbook)
	if err != nil {
		t.Fatal(err)
	}
	policy := []core.Setting{core.Int("threshold", mscs.FailoverThresholdNodesMinusOne), core.Int("period", 6), core.Text("failback", mscs.FailbackPrevent),
		core.Int("window_start", -1), core.Int("window_end", -1)}
	restart := []core.Setting{core.Bool("restart", true), core.Int("restart_threshold", 1), core.Int("restart_period", 900),
		core.Bool("affect_group", true), core.Int("retry_period", 3600)}
	rec := func(op, object string, s ...core.Setting) { w.RecordChange(op, "EXCLUSTER", object, s...) }
	rec("new_group", "App2", append([]core.Setting{core.Text("description", ""), core.List("preferred_owners", []string{"NODE5", "NODE4"})}, policy...)...)
	rec("new_resource", "App2 IP", append([]core.Setting{core.Text("group", "App2"), core.Text("type", mscs.TypeIPAddress), core.Text("description", ""),
		core.List("dependencies", nil), core.Pairs("params", map[string]string{"address": "10.0.0.102", "subnet_mask": "255.255.255.0", "network": "Public"})},
		restart...)...)
	rec("set_cluster_property", "", core.Int("SameSubnetThreshold", 20), core.Int("LowerQuorumPriorityNodeID", 2), core.Text(mscs.PropertyNodeSetting, "NODE2"))
	rec("set_quorum", "", core.Text("mode", mscs.QuorumNodeAndShare), core.Text("witness", `\\FS1\witness`), core.Text("witness_resource", "File Share Witness"),
		core.List("removed", nil))
	rec("set_node_vote", "NODE5", core.Int("vote", 0))
	rec("set_group_priority", "App2", core.Text("priority", "high"))
	rec("set_anti_affinity", "App", core.List("class_names", []string{"Apps"}))
	rec("set_anti_affinity", "App2", core.List("class_names", []string{"Apps"}))
	rec("set_site", "NODE1", core.Text("site", "Lyon"))
	rec("set_cluster_property", "", core.Int("ClusterEnforcedAntiAffinity", 1))
	return w
}

// The PowerShell of the hand-made changes uses documented cmdlets,
// parameters and properties only.
func TestHandMadeVersionExportUsesDocumentedCmdlets(t *testing.T) {
	ps, err := Exported(handMadeRunbook, export.PowerShell, handMadeWorld(t))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	checkPowerShell(t, "hand-made changes", string(ps), seen)
	for _, c := range []string{"Set-ClusterQuorum", "Get-Cluster", "Get-ClusterNode", "New-ClusterFaultDomain", "Set-ClusterFaultDomain", "New-Object"} {
		if !seen[c] {
			t.Errorf("the export does not use %s:\n%s", c, ps)
		}
	}
}

// The CIB of the hand-made changes passes crm_verify, and crm_simulate
// keeps the two groups of one anti-affinity class apart (enforced:
// -INFINITY), before and after the node of the first one fails; the
// high-priority group gets its first preferred owner.
func TestHandMadePlacementCIBWithPacemaker(t *testing.T) {
	needTool(t, "crm_verify")
	needTool(t, "crm_simulate")
	w := handMadeWorld(t)
	cib, err := Exported(handMadeRunbook, export.CIB, w)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<rsc_colocation id="apart-App2-App" rsc="App2" with-rsc="App" score="-INFINITY"/>`, `name="priority" value="1"`} {
		if !strings.Contains(string(cib), want) {
			t.Fatalf("the CIB lacks %s:\n%s", want, cib)
		}
	}
	nodes := w.MSCS.Clusters[0].NodeNames()
	full := offlineCIB(t, cib, nodes)
	path := filepath.Join(t.TempDir(), "cib.xml")
	if err := os.WriteFile(path, full, 0o644); err != nil {
		t.Fatal(err)
	}
	verify(t, path, full)
	// App2 has the higher priority, so Pacemaker places it first, as
	// Windows starts a high-priority group first: it takes NODE5.
	on := simulate(t, full, nodes)
	if on["App2-IP"] != "NODE5" || on["App-Service"] == "" || on["App-Service"] == "NODE5" {
		t.Errorf("App2 runs on %q and App on %q; want App2 on NODE5, its first preferred owner, and App running elsewhere", on["App2-IP"], on["App-Service"])
	}
	after := simulate(t, full, nodes, "NODE5")
	if after["App-Service"] == "" || after["App2-IP"] == "" || after["App-Service"] == after["App2-IP"] {
		t.Errorf("with NODE5 failed, App runs on %q and App2 on %q; want both running, apart", after["App-Service"], after["App2-IP"])
	}
}
