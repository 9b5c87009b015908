package mscs

import (
	"clusterscript/runtime/core"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// quorumLab is a cluster of n nodes of a version formed with quorum ("":
// node majority from 2008; "Quorum": the Q: disk) and group App on NODE1.
func quorumLab(t *testing.T, version string, n int, quorum string) (*World, *Cluster) {
	t.Helper()
	l := newLab(t, labSpec{nodes: n, version: version})
	c := l.cluster(t, quorum)
	appGroup(t, l.w, "App", "NODE1")
	return l.w, c
}

// votes lists each node's vote now and the witness's: "1 1 0 w1".
func votes(c *Cluster) string {
	var parts []string
	for _, n := range c.Nodes {
		parts = append(parts, fmt.Sprint(c.NodeVote(n)))
	}
	return strings.Join(parts, " ") + fmt.Sprintf(" w%d", c.WitnessVote())
}

func crash(t *testing.T, w *World, nodes ...string) {
	t.Helper()
	for _, n := range nodes {
		mustDo(t, w.FailServer(n))
	}
	w.Settle()
}

// create_cluster on 2008 and later: node majority without a disk, node
// and disk majority with one; no local quorum.
func TestCreateClusterQuorum2008(t *testing.T) {
	for _, tc := range []struct {
		version, quorum, model, witness string
	}{
		{"2008", "", QuorumNodeMajority, ""},
		{"2012 R2", "majority", QuorumNodeMajority, ""},
		{"2016", "Quorum", QuorumNodeAndDisk, "Disk Q:"},
		{"2003", "", QuorumDisk, "Disk Q:"},
	} {
		l := newLab(t, labSpec{nodes: 3, version: tc.version})
		c := l.cluster(t, tc.quorum)
		if c.QuorumModel != tc.model || c.QuorumName() != tc.witness || !c.HasQuorum() {
			t.Errorf("%s quorum=%q: model %s witness %q has quorum %v; want %s %q", tc.version, tc.quorum, c.QuorumModel, c.QuorumName(), c.HasQuorum(), tc.model, tc.witness)
		}
	}
	l := newLab(t, labSpec{nodes: 1, version: "2008"})
	refused(t, l.w, core.ErrInvalid, "Windows Server 2008 has no local quorum", func() error {
		_, err := l.w.CreateCluster(ClusterSpec{Name: labCluster, Domain: labDomain, Node: "NODE1", IP: labIP, Account: labAccount, Mask: "255.255.255.0", Quorum: QuorumLocal})
		return err
	})
}

// set_quorum: every mode with its witness, refused where the version lacks
// the mode, with a witness of the wrong kind, a share on the cluster, or
// when the running nodes would not hold a majority.
func TestSetQuorum(t *testing.T) {
	w, c := quorumLab(t, "2016", 3, "")
	for _, tc := range []struct {
		spec    QuorumSpec
		witness string
		typ     string
	}{
		{QuorumSpec{Mode: QuorumNodeAndDisk, Witness: "Quorum", WitnessIsDisk: true}, "Disk Q:", TypePhysicalDisk},
		{QuorumSpec{Mode: QuorumNodeAndShare, Witness: `\\FS1\witness`}, "File Share Witness", TypeFileShareWitness},
		{QuorumSpec{Mode: QuorumCloudWitness, Witness: "contosowitness"}, "Cloud Witness", TypeCloudWitness},
		{QuorumSpec{Mode: QuorumDiskOnly, Witness: "Quorum", WitnessIsDisk: true}, "Disk Q:", TypePhysicalDisk},
		{QuorumSpec{Mode: QuorumNodeMajority}, "", ""},
	} {
		mustDo(t, w.SetQuorum(labCluster, tc.spec))
		if c.QuorumModel != tc.spec.Mode || c.QuorumName() != tc.witness || !c.HasQuorum() {
			t.Fatalf("%s: model %s witness %q quorum %v", tc.spec.Mode, c.QuorumModel, c.QuorumName(), c.HasQuorum())
		}
		if tc.typ != "" {
			if r := mustResource(t, w, tc.witness); r.Type != tc.typ || r.State != Online || r.Group().Name != "Cluster Group" {
				t.Errorf("%s: witness %s %s in %s", tc.spec.Mode, r.Type, r.State, r.Group().Name)
			}
		}
	}
	// The share and cloud witnesses went with their modes; the disk stays.
	for _, gone := range []string{"File Share Witness", "Cloud Witness"} {
		if _, _, err := w.ResourceOf(labCluster, gone); err == nil {
			t.Errorf("%s is still there after the mode changed", gone)
		}
	}

	bad := []struct {
		version string
		spec    QuorumSpec
		kind    error
		msg     string
	}{
		{"2003", QuorumSpec{Mode: QuorumNodeMajority}, core.ErrPrereq, "set_quorum arrived in Windows Server 2008, and cluster EXCLUSTER runs Windows Server 2003"},
		{"2012 R2", QuorumSpec{Mode: QuorumCloudWitness, Witness: "acct123"}, core.ErrPrereq, "quorum mode cloud_witness arrived in Windows Server 2016"},
		{"2016", QuorumSpec{Mode: "node_majorty"}, core.ErrInvalid, `unknown quorum mode "node_majorty" (did you mean "node_majority"?)`},
		{"2016", QuorumSpec{Mode: QuorumNodeMajority, Witness: "Quorum", WitnessIsDisk: true}, core.ErrInvalid, "quorum mode node_majority has no witness"},
		{"2016", QuorumSpec{Mode: QuorumNodeAndDisk, Witness: `\\FS1\w`}, core.ErrInvalid, `quorum mode node_and_disk_majority needs a Disk as its witness, got "\\\\FS1\\w"`},
		{"2016", QuorumSpec{Mode: QuorumNodeAndShare, Witness: "Quorum", WitnessIsDisk: true}, core.ErrInvalid, "quorum mode node_and_file_share_majority needs a UNC path"},
		{"2016", QuorumSpec{Mode: QuorumNodeAndShare}, core.ErrInvalid, "got nothing"},
		{"2016", QuorumSpec{Mode: QuorumNodeAndShare, Witness: `C:\witness`}, core.ErrInvalid, `file share witness "C:\\witness" is not a UNC path`},
		{"2016", QuorumSpec{Mode: QuorumNodeAndShare, Witness: `\\NODE2\witness`}, core.ErrConflict, `file share witness \\NODE2\witness is on node NODE2, so it lives on the cluster it votes for`},
		{"2016", QuorumSpec{Mode: QuorumNodeAndShare, Witness: `\\excluster\witness`}, core.ErrConflict, "is on the cluster name EXCLUSTER"},
		{"2016", QuorumSpec{Mode: QuorumCloudWitness, Witness: "Bad_Name"}, core.ErrInvalid, `cloud witness "Bad_Name" is not a storage account name`},
	}
	for _, tc := range bad {
		t.Run(tc.version+" "+tc.spec.Mode, func(t *testing.T) {
			w, _ := quorumLab(t, tc.version, 3, "")
			refused(t, w, tc.kind, tc.msg, func() error { return w.SetQuorum(labCluster, tc.spec) })
		})
	}
	// A share on a Network Name of the cluster lives on its disks too.
	w2, _ := quorumLab(t, "2019", 3, "")
	_, err := w2.NewResource(labCluster, ResourceSpec{Group: "App", Name: "App IP", Type: TypeIPAddress, Params: map[string]string{"address": "10.0.0.120", "subnet_mask": "255.255.255.0"}})
	mustDo(t, err)
	_, err = w2.NewResource(labCluster, ResourceSpec{Group: "App", Name: "App Name", Type: TypeNetworkName, Dependencies: []string{"App IP"}, Params: map[string]string{"name": "FILES"}})
	mustDo(t, err)
	refused(t, w2, core.ErrConflict, `is on Network Name "App Name" of group "App"`, func() error {
		return w2.SetQuorum(labCluster, QuorumSpec{Mode: QuorumNodeAndShare, Witness: `\\FILES\witness`})
	})
	// Node majority on two nodes of four running is short of a majority.
	w3, _ := quorumLab(t, "2008", 4, "Quorum")
	crash(t, w3, "NODE4")
	crash(t, w3, "NODE3")
	refused(t, w3, core.ErrState, "would not have quorum in mode node_majority: its running nodes would hold 2 of 4 votes", func() error {
		return w3.SetQuorum(labCluster, QuorumSpec{Mode: QuorumNodeMajority})
	})
}

// 2008 node and disk majority, two nodes: one node and the witness keep
// quorum; losing the witness too stops the cluster: groups go Offline,
// nothing fails over, the node waits as Joining; the cluster forms again by
// itself once the disk is repaired.
func TestNodeAndDiskMajority2008(t *testing.T) {
	w, c := quorumLab(t, "2008", 2, "Quorum")
	crash(t, w, "NODE2")
	if !c.running() || mustGroup(t, w, "App").Owner != "NODE1" {
		t.Fatalf("one node and the witness lost quorum: running %v", c.running())
	}
	mustDo(t, w.FailDisk("Quorum"))
	w.Settle()
	if c.running() {
		t.Fatal("one node alone (1 of 3 votes) kept quorum")
	}
	if g := mustGroup(t, w, "App"); g.State() != Offline {
		t.Errorf("without quorum App is %s, want Offline", g.State())
	}
	if n := mustNode(t, w, "NODE1"); n.State != NodeJoining {
		t.Errorf("NODE1 is %s, want Joining", n.State)
	}
	mustDo(t, w.RepairDisk("Quorum"))
	w.Settle()
	if !c.running() || mustGroup(t, w, "App").State() != Online {
		t.Fatalf("after the repair: running %v, App %s", c.running(), mustGroup(t, w, "App").State())
	}
	// Static votes: both nodes keep theirs all along.
	if got := votes(c); got != "1 1 w1" {
		t.Errorf("votes %s, want 1 1 w1", got)
	}
}

// Losing nodes one at a time: 2008's votes are static, so four nodes go
// down at the second loss; 2012 removes the votes of the nodes that left,
// but with two voters and no tie-breaker the third loss stops it; from
// 2012 R2 the tie-breaker keeps the last man standing.
func TestOneAtATime(t *testing.T) {
	for _, tc := range []struct {
		version string
		survive int // nodes lost one at a time before quorum goes
	}{{"2008", 1}, {"2008 R2", 1}, {"2012", 2}, {"2012 R2", 3}, {"2022", 3}} {
		t.Run(tc.version, func(t *testing.T) {
			w, c := quorumLab(t, tc.version, 4, "")
			lost := 0
			for _, n := range []string{"NODE4", "NODE3", "NODE2"} {
				crash(t, w, n)
				if !c.running() {
					break
				}
				lost++
			}
			if lost != tc.survive {
				t.Errorf("the cluster survived %d losses, want %d (votes %s)", lost, tc.survive, votes(c))
			}
		})
	}
}

// 2012 R2, five nodes and a disk witness, down to the last man: votes
// follow the members, the witness votes only with an even number of voting
// nodes, and no vote goes below three in total; then the witness fails and
// the cluster stops.
func TestLastManStandingWithWitness(t *testing.T) {
	w, c := quorumLab(t, "2012 R2", 5, "Quorum")
	steps := []struct {
		crash, votes string
	}{
		{"", "1 1 1 1 1 w0"},
		{"NODE5", "1 1 1 1 0 w1"},
		{"NODE4", "1 1 1 0 0 w0"},
		{"NODE3", "1 1 0 0 0 w1"},
		{"NODE2", "1 1 0 0 0 w1"}, // NODE2 keeps its vote: the total stays 3
	}
	for _, s := range steps {
		if s.crash != "" {
			crash(t, w, s.crash)
		}
		if !c.running() || votes(c) != s.votes {
			t.Fatalf("after %s: running %v, votes %s, want %s", s.crash, c.running(), votes(c), s.votes)
		}
	}
	mustDo(t, w.FailDisk("Quorum"))
	w.Settle()
	if c.running() {
		t.Fatalf("the last node without the witness kept quorum (votes %s)", votes(c))
	}
}

// 2012 R2 dynamic witness: with four voting nodes the witness votes; with
// three it does not; it votes again when the fourth returns. Each change is
// an event saying why.
func TestDynamicWitnessFlips(t *testing.T) {
	w, c := quorumLab(t, "2012 R2", 4, "Quorum")
	if votes(c) != "1 1 1 1 w1" {
		t.Fatalf("votes %s", votes(c))
	}
	before := len(w.Events)
	crash(t, w, "NODE4")
	if votes(c) != "1 1 1 0 w0" {
		t.Fatalf("after NODE4: votes %s", votes(c))
	}
	var texts []string
	for _, ev := range eventsSince(w, before) {
		if strings.Contains(ev.Text, "vote") {
			texts = append(texts, ev.Text)
		}
	}
	want := []string{`node NODE4's vote is removed (dynamic quorum: NODE4 stopped responding)`, `the witness "Disk Q:" loses its vote (dynamic witness: 3 voting nodes, an odd number)`}
	if !slices.Equal(texts, want) {
		t.Errorf("vote events %q, want %q", texts, want)
	}
	mustDo(t, w.BootServer("NODE4"))
	w.Settle()
	if votes(c) != "1 1 1 1 w1" {
		t.Fatalf("after NODE4 rejoined: votes %s", votes(c))
	}
	// 2012: the witness vote is static.
	w2, c2 := quorumLab(t, "2012", 4, "Quorum")
	crash(t, w2, "NODE4")
	if votes(c2) != "1 1 1 0 w1" {
		t.Errorf("2012 after NODE4: votes %s, want the witness to keep its vote", votes(c2))
	}
}

// The 50 % tie-breaker (2012 R2+): two nodes without a witness, one vote
// goes; LowerQuorumPriorityNodeID chooses it, else the highest-numbered
// node not owning the Cluster Group. The voter's crash stops the cluster;
// the other's does not; a graceful stop of the voter hands its vote over.
func TestTieBreaker(t *testing.T) {
	w, c := quorumLab(t, "2012 R2", 2, "")
	if votes(c) != "1 0 w0" {
		t.Fatalf("votes %s, want NODE2's removed", votes(c))
	}
	mustDo(t, w.SetClusterProperty(labCluster, []PropertySetting{{"LowerQuorumPriorityNodeID", int64(1)}}))
	if votes(c) != "0 1 w0" {
		t.Fatalf("with LowerQuorumPriorityNodeID 1: votes %s", votes(c))
	}
	crash(t, w, "NODE1")
	if !c.running() {
		t.Fatal("the non-voter's crash stopped the cluster")
	}
	w, c = quorumLab(t, "2012 R2", 2, "")
	crash(t, w, "NODE1")
	if c.running() {
		t.Fatal("the voter's crash left the cluster running")
	}
	w, c = quorumLab(t, "2012 R2", 2, "")
	mustDo(t, w.StopClusterService(labCluster, "NODE1"))
	if !c.running() || votes(c) != "0 1 w0" {
		t.Fatalf("after a graceful stop of the voter: running %v, votes %s", c.running(), votes(c))
	}
	// 2012 has no tie-breaker: both keep their votes.
	_, c = quorumLab(t, "2012", 2, "")
	if votes(c) != "1 1 w0" {
		t.Errorf("2012: votes %s, want 1 1 w0", votes(c))
	}
	// DynamicQuorum=0 turns vote adjustment off.
	w, c = quorumLab(t, "2016", 4, "")
	mustDo(t, w.SetClusterProperty(labCluster, []PropertySetting{{"DynamicQuorum", int64(0)}}))
	if votes(c) != "1 1 1 1 w0" {
		t.Errorf("DynamicQuorum 0: votes %s, want every node's", votes(c))
	}
	crash(t, w, "NODE4", "NODE3")
	if c.running() {
		t.Error("without dynamic quorum two of four nodes kept quorum")
	}
}

// set_node_vote: NodeWeight from 2008 R2, 0 or 1, never leaving the
// running nodes short of a majority; dynamic quorum leaves a zero alone.
func TestSetNodeVote(t *testing.T) {
	w, c := quorumLab(t, "2012 R2", 3, "")
	mustDo(t, w.SetNodeVote(labCluster, "NODE3", 0))
	if votes(c) != "1 0 0 w0" && votes(c) != "1 1 0 w0" {
		t.Fatalf("votes %s", votes(c))
	}
	if n := mustNode(t, w, "NODE3"); !n.NoVote {
		t.Error("NODE3 still has NodeWeight 1")
	}
	for _, tc := range []struct {
		version string
		node    string
		vote    int
		kind    error
		msg     string
	}{
		{"2008", "NODE1", 0, core.ErrPrereq, "NodeWeight (set_node_vote) arrived in Windows Server 2008 R2"},
		{"2016", "NODE1", 2, core.ErrInvalid, "node vote 2 is out of range; a node has 1 vote or 0"},
		{"2016", "NODE1", 1, core.ErrState, "node NODE1 already has NodeWeight 1"},
	} {
		w, _ := quorumLab(t, tc.version, 3, "")
		refused(t, w, tc.kind, tc.msg, func() error { return w.SetNodeVote(labCluster, tc.node, tc.vote) })
	}
	w, _ = quorumLab(t, "2008 R2", 3, "")
	crash(t, w, "NODE3")
	refused(t, w, core.ErrState, "removing the vote of NODE1 would leave cluster EXCLUSTER without quorum (2 of 3 votes now)", func() error {
		return w.SetNodeVote(labCluster, "NODE1", 0)
	})
}

// A site loss: three of five nodes fail at once, the other two lose
// quorum; force_quorum on one forms the cluster there, the other joins,
// the returning nodes started with prevent_quorum join it, and the cluster
// leaves forced quorum once its members hold a majority.
func TestForceQuorum(t *testing.T) {
	w, c := quorumLab(t, "2016", 5, "")
	crash(t, w, "NODE3", "NODE4", "NODE5")
	if c.running() {
		t.Fatal("two of five nodes kept quorum")
	}
	refused(t, w, core.ErrInvalid, "force_quorum and prevent_quorum exclude each other", func() error {
		return w.StartClusterServiceWith(labCluster, "NODE1", StartSpec{ForceQuorum: true, PreventQuorum: true})
	})
	mustDo(t, w.StartClusterServiceWith(labCluster, "NODE1", StartSpec{ForceQuorum: true}))
	w.Settle()
	if !c.running() || !c.ForceQuorum || mustGroup(t, w, "App").State() != Online {
		t.Fatalf("forced: running %v, forced %v, App %s", c.running(), c.ForceQuorum, mustGroup(t, w, "App").State())
	}
	if n := mustNode(t, w, "NODE2"); n.State != NodeUp {
		t.Errorf("NODE2 is %s, want Up in the forced cluster", n.State)
	}
	refused(t, w, core.ErrState, "cluster EXCLUSTER has quorum; force_quorum only forms a cluster that cannot reach quorum", func() error {
		return w.StartClusterServiceWith(labCluster, "NODE2", StartSpec{ForceQuorum: true})
	})
	for _, n := range []string{"NODE3", "NODE4"} {
		mustDo(t, w.BootServer(n))
	}
	w.Settle()
	if c.ForceQuorum || !c.running() {
		t.Errorf("with four of five nodes back: forced %v, running %v", c.ForceQuorum, c.running())
	}
	// On 2003 force_quorum is not the /fq of 2008.
	w2, _ := quorumLab(t, "2003", 2, "")
	mustDo(t, w2.StopClusterService(labCluster, "NODE2"))
	refused(t, w2, core.ErrPrereq, "force_quorum arrived in Windows Server 2008", func() error {
		return w2.StartClusterServiceWith(labCluster, "NODE2", StartSpec{ForceQuorum: true})
	})
	refused(t, w2, core.ErrPrereq, "prevent_quorum arrived in Windows Server 2008 R2", func() error {
		return w2.StartClusterServiceWith(labCluster, "NODE2", StartSpec{PreventQuorum: true})
	})
}

// A node started with prevent_quorum never forms the cluster, even with
// the votes to; it joins one another node formed.
func TestPreventQuorum(t *testing.T) {
	w, c := quorumLab(t, "2012 R2", 3, "")
	crash(t, w, "NODE2", "NODE3")
	if c.running() {
		t.Fatal("one of three nodes kept quorum")
	}
	mustDo(t, w.BootServer("NODE2"))
	mustDo(t, w.StartClusterServiceWith(labCluster, "NODE2", StartSpec{PreventQuorum: true}))
	mustDo(t, w.StopClusterService(labCluster, "NODE1"))
	w.Settle()
	if c.running() {
		t.Fatal("a node started with prevent_quorum formed the cluster")
	}
	mustDo(t, w.StartClusterService(labCluster, "NODE1"))
	w.Settle()
	if !c.running() || mustNode(t, w, "NODE2").State != NodeUp {
		t.Errorf("NODE1 started normally: running %v, NODE2 %s", c.running(), mustNode(t, w, "NODE2").State)
	}
}

// Exchange Server 2003 installs on Windows Server 2003 only.
func TestExchangeOnlyOn2003(t *testing.T) {
	for _, v := range []string{"2008", "2012 R2", "2022"} {
		l := newLab(t, labSpec{nodes: 1, version: v})
		for _, comp := range core.Components {
			mustDo(t, l.w.InstallComponent("NODE1", comp))
		}
		refused(t, l.w, core.ErrPrereq, "server NODE1 runs Windows Server "+v+", and Exchange Server 2003 installs only on Windows Server 2003", func() error {
			return l.w.InstallExchange(ExchangeSpec{Server: "NODE1", Account: labExAdmin, Edition: "enterprise", Components: ExchangeComponents, Drive: "C:"})
		})
	}
}
