package export

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/sim"
)

// versionChanges is a configuration of Windows Server 2012 R2 made of
// hand-written change records, as the engine records them: a cluster, its
// properties, quorum and votes, and the placement operations of 2008 R2 to
// 2016 (group priority, anti-affinity, sites).
func versionChanges(version string) []core.Change {
	ch := func(op, target, object string, s ...core.Setting) core.Change {
		return core.Change{Op: op, Target: target, Object: object, Settings: s}
	}
	policy := []core.Setting{core.Int("threshold", mscs.FailoverThresholdNodesMinusOne), core.Int("period", 6), core.Text("failback", "prevent"),
		core.Int("window_start", -1), core.Int("window_end", -1)}
	restart := []core.Setting{core.Bool("restart", true), core.Int("restart_threshold", 1), core.Int("restart_period", 900),
		core.Bool("affect_group", true), core.Int("retry_period", 3600)}
	group := func(name string, preferred ...string) []core.Change {
		return []core.Change{
			ch("new_group", "CL", name, append([]core.Setting{core.Text("description", ""), core.List("preferred_owners", preferred)}, policy...)...),
			ch("new_resource", "CL", name+" IP", append([]core.Setting{core.Text("group", name), core.Text("type", mscs.TypeIPAddress), core.Text("description", ""),
				core.List("dependencies", nil), core.Pairs("params", map[string]string{"address": "10.0.0." + map[string]string{"SQL1": "51", "SQL2": "52"}[name], "subnet_mask": "255.255.255.0", "network": "Public"})},
				restart...)...),
		}
	}
	out := []core.Change{
		ch("shared_disk", "", "Witness", core.Text("letter", "W:"), core.Text("signature", "1A2B3C4D")),
		ch("create_cluster", "CL", "", append(append([]core.Setting{core.Text("domain", "corp.example.com"), core.Text("node", "NODE1"), core.Text("ip", "10.0.0.100"),
			core.Text("mask", "255.255.255.0"), core.Text("network", "Public"), core.Text("account", `CORP\clussvc`), core.Text("version", version),
			core.Text("quorum", mscs.QuorumNodeMajority)}, policy...), restart...)...),
		ch("add_node", "CL", "NODE2", core.List("pinned", nil)),
		ch("add_node", "CL", "NODE3", core.List("pinned", nil)),
		ch("add_node", "CL", "NODE4", core.List("pinned", nil)),
	}
	out = append(out, group("SQL1", "NODE1", "NODE2")...)
	out = append(out, group("SQL2", "NODE1", "NODE3")...)
	return append(out,
		ch("set_cluster_property", "CL", "", core.Int("SameSubnetThreshold", 15), core.Int("LowerQuorumPriorityNodeID", 4), core.Text(mscs.PropertyNodeSetting, "NODE4")),
		ch("set_quorum", "CL", "", core.Text("mode", mscs.QuorumNodeAndShare), core.Text("witness", `\\FS1\witness`), core.Text("witness_resource", "File Share Witness"), core.List("removed", nil)),
		ch("set_quorum", "CL", "", core.Text("mode", mscs.QuorumNodeAndDisk), core.Text("witness", "Witness"), core.Text("witness_resource", "Disk W:"),
			core.Text("witness_letter", "W:"), core.Bool("reused", false), core.List("removed", []string{"File Share Witness"})),
		ch("set_node_vote", "CL", "NODE4", core.Int("vote", 0)),
		ch("set_group_priority", "CL", "SQL1", core.Text("priority", "high")),
		ch("set_anti_affinity", "CL", "SQL1", core.List("class_names", []string{"SQL"})),
		ch("set_anti_affinity", "CL", "SQL2", core.List("class_names", []string{"SQL", "Reporting"})),
		ch("set_site", "CL", "NODE1", core.Text("site", "Paris")),
		ch("set_site", "CL", "NODE2", core.Text("site", "Paris")),
		ch("set_cluster_property", "CL", "", core.Int("ClusterEnforcedAntiAffinity", 1)),
		ch("start_cluster_service", "CL", "NODE3", core.Text("mode", mscs.StartForceQuorum)),
	)
}

// exportOf writes the export of a run whose change log holds changes.
func exportOf(t *testing.T, target string, all bool, changes []core.Change) string {
	t.Helper()
	w := sim.New()
	for _, ch := range changes {
		w.RecordChange(ch.Op, ch.Target, ch.Object, ch.Settings...)
	}
	run := Run{Runbook: "runbooks/versions/example.star", Final: w}
	var b bytes.Buffer
	if all { // --all reads a world; stand for one with the model the changes build
		m := newModel(nil)
		for _, ch := range changes {
			m.apply(ch)
		}
		w2 := sim.New()
		for _, ch := range synthesize(m) {
			w2.RecordChange(ch.Op, ch.Target, ch.Object, ch.Settings...)
		}
		run.Final = w2
	}
	if err := Write(&b, target, run, false); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// Each target translates the operations of Windows Server 2008 and later
// as docs/export.md's tables say.
func TestVersionOperationsTranslate(t *testing.T) {
	for _, tc := range []struct {
		target, version string
		want            []string
	}{
		{PowerShell, "2016", []string{
			"Set-ClusterQuorum -NodeMajority -Cluster CL",
			"$cluster = Get-Cluster -Name CL\n$cluster.SameSubnetThreshold = 15\n$cluster.LowerQuorumPriorityNodeID = 4  # NODE4 in the rehearsal",
			`Set-ClusterQuorum -NodeAndFileShareMajority \\FS1\witness -Cluster CL`,
			"Add-ClusterResource -Name 'Disk W:' -Group 'Cluster Group' -ResourceType 'Physical Disk' -Cluster CL\n" +
				"Get-ClusterResource -Name 'Disk W:' -Cluster CL | Set-ClusterParameter -Name DiskSignature -Value 0x1A2B3C4D",
			"Set-ClusterQuorum -NodeAndDiskMajority 'Disk W:' -Cluster CL\n# Set-ClusterQuorum deletes the old witness resource \"File Share Witness\" itself.",
			"(Get-ClusterNode -Name NODE4 -Cluster CL).NodeWeight = 0",
			"(Get-ClusterGroup -Name SQL1 -Cluster CL).Priority = 3000",
			"$classes = New-Object -TypeName System.Collections.Specialized.StringCollection\n[void]$classes.Add('SQL')\n[void]$classes.Add('Reporting')\n" +
				"(Get-ClusterGroup -Name SQL2 -Cluster CL).AntiAffinityClassNames = $classes",
			"New-ClusterFaultDomain -Name Paris -FaultDomainType Site -CimSession CL\nSet-ClusterFaultDomain -Name NODE1 -FaultDomain Paris -CimSession CL\n" +
				"Set-ClusterFaultDomain -Name NODE2 -FaultDomain Paris -CimSession CL\n$cluster",
			"Start-ClusterNode -Name NODE3 -Cluster CL -FixQuorum",
		}},
		{ClusterExe, "2012 R2", []string{
			"cluster /cluster:CL /quorum /nodemajority",
			"cluster /cluster:CL /prop SameSubnetThreshold=15 LowerQuorumPriorityNodeID=4\nrem Node ID 4 is NODE4 in the rehearsal",
			"cluster /cluster:CL resource \"File Share Witness\" /create /group:\"Cluster Group\" /type:\"File Share Witness\"\n" +
				`cluster /cluster:CL resource "File Share Witness" /priv SharePath=\\FS1\witness` + "\n" +
				"cluster /cluster:CL resource \"File Share Witness\" /online\ncluster /cluster:CL /quorum:\"File Share Witness\"",
			"cluster /cluster:CL resource \"Disk W:\" /online\ncluster /cluster:CL /quorum:\"Disk W:\"\n" +
				"cluster /cluster:CL resource \"File Share Witness\" /offline\ncluster /cluster:CL resource \"File Share Witness\" /delete",
			"cluster /cluster:CL node NODE4 /prop NodeWeight=0",
			"cluster /cluster:CL group SQL1 /prop Priority=3000",
			`cluster /cluster:CL group SQL2 /prop AntiAffinityClassNames="SQL","Reporting"`,
			"rem not exported: set_site CL \"NODE1\" site=\"Paris\"\nrem   (fault domains arrived in Windows Server 2016",
			"rem On NODE3 itself (cluster node /start has no force quorum switch): net start clussvc /fq",
		}},
		{PCS, "2016", []string{
			"# quorum: node majority is corosync's default vote quorum",
			"# not exported: SameSubnetThreshold=15 (corosync declares a node lost after its totem token timeout",
			"# not exported: LowerQuorumPriorityNodeID=4, NODE4 (the closest is votequorum's auto_tie_breaker",
			`# not exported: quorum node_and_file_share_majority, file share witness \\FS1\witness (corosync counts`,
			"# not exported: quorum node_and_disk_majority, witness disk Witness",
			"# not exported: NodeWeight 0 of NODE4 (corosync: quorum_votes: 0",
			"pcs resource meta SQL1 failure-timeout=6h migration-threshold=3 priority=1 resource-stickiness=INFINITY",
			"pcs constraint colocation add SQL2 with SQL1 -- -10000 id=apart-SQL2-SQL1",
			"pcs node attribute NODE1 site=Paris",
			"pcs constraint remove apart-SQL2-SQL1\npcs constraint colocation add SQL2 with SQL1 -- -INFINITY id=apart-SQL2-SQL1",
			"# not exported: force quorum on NODE3",
		}},
		{CIB, "2016", []string{
			"<!-- not exported: NodeWeight 0 of NODE4",
			"<!-- not exported: SameSubnetThreshold=15",
			"<!-- not exported: node NODE1 in site Paris (pcs node attribute NODE1 site=Paris once it has joined) -->",
			`<nvpair id="SQL1-meta_attributes-priority" name="priority" value="1"/>`,
			`<rsc_colocation id="apart-SQL2-SQL1" rsc="SQL2" with-rsc="SQL1" score="-INFINITY"/>`,
			`"Disk W:" (Physical Disk): the quorum resource`,
		}},
	} {
		got := exportOf(t, tc.target, false, versionChanges(tc.version))
		for _, want := range tc.want {
			if !strings.Contains(got, want) {
				t.Errorf("%s export lacks\n%s\n---- got:\n%s", tc.target, want, got)
			}
		}
		if strings.Contains(got, "not exported: set_") && tc.target != ClusterExe {
			t.Errorf("%s export has an operation without translation:\n%s", tc.target, got)
		}
	}
}

// --all writes a configuration as the changes that build it anew: taken
// through the model again, they give the same configuration.
func TestAllRebuildsVersionConfiguration(t *testing.T) {
	for _, version := range []string{"2012 R2", "2016"} {
		m := newModel(nil)
		for _, ch := range versionChanges(version) {
			m.apply(ch)
		}
		again := newModel(nil)
		again.disks = m.disks
		for _, ch := range synthesize(m) {
			again.apply(ch)
		}
		if !reflect.DeepEqual(m.clusters, again.clusters) {
			for i, c := range m.clusters {
				t.Errorf("%s: rebuilt\n%+v\nwant\n%+v", version, *again.clusters[i], *c)
				for j, g := range c.groups {
					if !reflect.DeepEqual(g, again.clusters[i].groups[j]) {
						t.Errorf("group %s: rebuilt %+v, want %+v", g.name, *again.clusters[i].groups[j], *g)
					}
				}
			}
		}
	}
}
