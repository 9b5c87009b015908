package mscs

import (
	"strings"
	"testing"

	"clusterscript/runtime/core"
)

// lastChange is the newest record of the change log, or "".
func lastChange(w *World) string {
	chs := w.Changes()
	if len(chs) == 0 {
		return ""
	}
	return chs[len(chs)-1].String()
}

// The configuration changes of Windows Server 2008 and later are in the
// change log, one record per call with the values that took effect; a
// refused call and a rolled-back one leave none.
func TestVersionChangesAreRecorded(t *testing.T) {
	l := newLab(t, labSpec{nodes: 3, version: "2012 R2"})
	l.cluster(t, "Quorum")
	w := l.w
	var created string
	for _, ch := range w.Changes() {
		if ch.Op == "create_cluster" {
			created = ch.String()
		}
	}
	for _, want := range []string{`quorum="node_and_disk_majority"`, `quorum_resource="Disk Q:"`, `quorum_disk="Quorum"`, `quorum_letter="Q:"`} {
		if !strings.Contains(created, want) {
			t.Errorf("create_cluster record %s lacks %s", created, want)
		}
	}
	appGroup(t, w, "App", "NODE1")

	for _, tc := range []struct {
		name string
		do   func() error
		want string
	}{
		{"properties", func() error {
			return w.SetClusterProperty(labCluster, []PropertySetting{{Name: "SameSubnetThreshold", Value: int64(10)}, {Name: "LowerQuorumPriorityNodeID", Value: "NODE3"}})
		}, `set_cluster_property EXCLUSTER SameSubnetThreshold=10 LowerQuorumPriorityNodeID=3 lower_quorum_priority_node="NODE3"`},
		{"file share witness", func() error {
			return w.SetQuorum(labCluster, QuorumSpec{Mode: QuorumNodeAndShare, Witness: `\\FS1\witness`})
		}, `set_quorum EXCLUSTER mode="node_and_file_share_majority" witness="\\FS1\witness" witness_resource="File Share Witness" removed=[]`},
		{"back to the disk", func() error {
			return w.SetQuorum(labCluster, QuorumSpec{Mode: QuorumNodeAndDisk, Witness: "Quorum", WitnessIsDisk: true})
		}, `set_quorum EXCLUSTER mode="node_and_disk_majority" witness="Quorum" witness_resource="Disk Q:" witness_letter="Q:" reused=true removed=[File Share Witness]`},
		{"node majority", func() error {
			return w.SetQuorum(labCluster, QuorumSpec{Mode: QuorumNodeMajority})
		}, `set_quorum EXCLUSTER mode="node_majority" removed=[]`},
		{"vote", func() error { return w.SetNodeVote(labCluster, "node3", 0) }, `set_node_vote EXCLUSTER "NODE3" vote=0`},
		{"default threshold", func() error {
			return w.SetFailoverPolicy(labCluster, "App", FailoverPolicy{DefaultThreshold: true, Period: 6, Failback: FailbackPrevent})
		}, `failover_policy EXCLUSTER "App" threshold=4294967295 period=6 failback="prevent" window_start=-1 window_end=-1`},
		{"stop", func() error { return w.StopClusterService(labCluster, "NODE2") }, `stop_cluster_service EXCLUSTER "NODE2"`},
		{"start with prevent quorum", func() error {
			return w.StartClusterServiceWith(labCluster, "NODE2", StartSpec{PreventQuorum: true})
		}, `start_cluster_service EXCLUSTER "NODE2" mode="prevent_quorum"`},
	} {
		n := len(w.Changes())
		mustDo(t, tc.do())
		if got := len(w.Changes()) - n; got != 1 {
			t.Errorf("%s: %d records, want 1", tc.name, got)
		}
		if got := lastChange(w); got != tc.want {
			t.Errorf("%s: recorded\n  %s\nwant\n  %s", tc.name, got, tc.want)
		}
	}

	n := len(w.Changes())
	refused(t, w, core.ErrNotFound, "no cluster property", func() error {
		return w.SetClusterProperty(labCluster, []PropertySetting{{Name: "SameSubnetThreshold", Value: int64(10)}, {Name: "NoSuchThing", Value: int64(1)}})
	})
	refused(t, w, core.ErrInvalid, "has no witness", func() error {
		return w.SetQuorum(labCluster, QuorumSpec{Mode: QuorumNodeMajority, Witness: `\\FS1\w`})
	})
	refused(t, w, core.ErrState, "already has NodeWeight 0", func() error { return w.SetNodeVote(labCluster, "NODE3", 0) })
	mark := w.Begin()
	mustDo(t, w.SetNodeVote(labCluster, "NODE3", 1))
	mustDo(t, w.SetClusterProperty(labCluster, []PropertySetting{{Name: "DynamicQuorum", Value: int64(0)}}))
	w.Rollback(mark)
	if got := len(w.Changes()); got != n {
		t.Errorf("refused and rolled-back calls left %d records: %v", got-n, w.Changes()[n:])
	}
}
