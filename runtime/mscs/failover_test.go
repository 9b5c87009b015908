package mscs

import (
	"bytes"
	"clusterscript/runtime/core"
	"fmt"
	"strings"
	"testing"
)

// smallCluster builds a 2003 cluster of n nodes (NODE1…) with the given
// quorum ("" for the disk Q:, "majority" or "local").
func smallCluster(t *testing.T, n int, quorum string) (*World, *Cluster) {
	t.Helper()
	w := NewWorld()
	ok := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := w.CreateDomain("corp.example.com", "")
	ok(err)
	_, err = w.CreateUser("corp.example.com", "clussvc", "pw", nil)
	ok(err)
	var names []string
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("NODE%d", i)
		names = append(names, name)
		_, err := w.InstallServer(name, "enterprise", "2003", []string{"Public", "Private"})
		ok(err)
		ok(w.ConfigureTCPIP(name, "Public", core.TCPIPSpec{IP: fmt.Sprintf("10.0.0.%d", 10+i), Mask: "255.255.255.0"}))
		ok(w.ConfigureTCPIP(name, "Private", core.TCPIPSpec{IP: fmt.Sprintf("192.168.1.%d", 10+i), Mask: "255.255.255.0"}))
		ok(w.JoinDomain(name, "corp.example.com"))
	}
	_, err = w.CreateSharedDisk(core.DiskSpec{Label: "Quorum", SizeGB: 0.5, Servers: names, Kind: "basic", FS: "NTFS", Letter: "Q:"})
	ok(err)
	_, err = w.CreateSharedDisk(core.DiskSpec{Label: "Data1", SizeGB: 100, Servers: names, Kind: "basic", FS: "NTFS", Letter: "R:"})
	ok(err)
	q := quorum
	if q == "" {
		q = "Quorum"
	}
	c, err := w.CreateCluster(ClusterSpec{Name: "EXCLUSTER", Domain: "corp.example.com", Node: "NODE1", IP: "10.0.0.100", Account: `CORP\clussvc`, Mask: "255.255.255.0", Quorum: q})
	ok(err)
	for _, name := range names[1:] {
		_, err := w.AddNode("EXCLUSTER", name, "", false)
		ok(err)
	}
	return w, c
}

// appGroup adds an online group with one Generic Service resource.
func appGroup(t *testing.T, w *World, name string, preferred ...string) *Group {
	t.Helper()
	g, err := w.NewGroup("EXCLUSTER", GroupSpec{Name: name, PreferredOwners: preferred})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.NewResource("EXCLUSTER", ResourceSpec{Group: name, Name: name + " Service", Type: TypeGenericService, Params: map[string]string{"service": "svc"}}); err != nil {
		t.Fatal(err)
	}
	if err := w.BringOnline("EXCLUSTER", name, true); err != nil {
		t.Fatal(err)
	}
	return g
}

func TestDetectionAfterHeartbeatTimeout(t *testing.T) {
	w, c := smallCluster(t, 2, "")
	g := appGroup(t, w, "App", "NODE2")
	mustDo(t, w.FailServer("NODE2"))
	mustDo(t, w.Advance(5999))
	if n := c.nodes["NODE2"]; n.State != NodeUp || g.Owner != "NODE2" {
		t.Fatalf("before the timeout: node %s, owner %s; want Up on NODE2", n.State, g.Owner)
	}
	mustDo(t, w.Advance(1))
	if n := c.nodes["NODE2"]; n.State != NodeDown {
		t.Fatalf("after 6 s the node is %s, want Down", n.State)
	}
	if g.Owner != "NODE1" || g.State() != Online {
		t.Fatalf("group is %s on %s, want Online on NODE1", g.State(), g.Owner)
	}
}

func TestSettleWaitsForDetectionOnly(t *testing.T) {
	w, _ := smallCluster(t, 2, "")
	if d := w.Settle(); d != 0 {
		t.Fatalf("settle with nothing pending moved %d ms", d)
	}
	mustDo(t, w.FailServer("NODE2"))
	if d := w.Settle(); d != 6*core.Second {
		t.Fatalf("settle after a crash waited %d ms, want 6000", d)
	}
	// A failback window timer does not hold settle up.
	w2, _ := smallCluster(t, 2, "")
	g := appGroup(t, w2, "App", "NODE1")
	mustDo(t, w2.SetFailoverPolicy("EXCLUSTER", "App", FailoverPolicy{Threshold: 10, Period: 6, Failback: FailbackWindow, Window: []int{22, 2}}))
	mustDo(t, w2.FailServer("NODE1"))
	w2.Settle()
	mustDo(t, w2.BootServer("NODE1"))
	w2.Settle()
	if g.Owner != "NODE2" {
		t.Fatalf("failback happened outside the window: owner %s", g.Owner)
	}
	if len(w2.PendingTimers()) != 1 || w2.PendingTimers()[0].Kind != timerFailback {
		t.Fatalf("want one pending failback timer, got %v", w2.PendingTimers())
	}
}

// The example of SPEC §5 and KB 299631: preferred (NODE3, NODE4) gives the
// list NODE3, NODE4, NODE1, NODE2; a group failing on NODE4 goes to NODE1.
func TestFailoverGoesToTheNodeAfterTheOwner(t *testing.T) {
	w, _ := smallCluster(t, 4, "")
	g := appGroup(t, w, "App", "NODE3", "NODE4")
	mustDo(t, w.MoveGroup("EXCLUSTER", "App", "NODE4"))
	mustDo(t, w.FailServer("NODE4"))
	w.Settle()
	if g.Owner != "NODE1" {
		t.Fatalf("failover went to %s, want NODE1", g.Owner)
	}
	// Wrapping round: from NODE2, the last of the list, to NODE3.
	mustDo(t, w.MoveGroup("EXCLUSTER", "App", "NODE2"))
	mustDo(t, failUntilMoved(w, "EXCLUSTER", "App Service"))
	if g.Owner != "NODE3" {
		t.Fatalf("failover from NODE2 went to %s, want NODE3 (wrapping round)", g.Owner)
	}
}

// failUntilMoved fails a resource until its restarts are used up and the
// group fails over, settling in between.
func failUntilMoved(w *World, cluster, resource string) error {
	_, r, err := w.ResourceOf(cluster, resource)
	if err != nil {
		return err
	}
	start := r.group.Owner
	for i := 0; i < 10 && r.group.Owner == start; i++ {
		if err := w.FailResource(cluster, resource); err != nil {
			return err
		}
		w.Settle()
	}
	return nil
}

func TestMoveWithoutTargetTakesFirstEligible(t *testing.T) {
	w, _ := smallCluster(t, 4, "")
	g := appGroup(t, w, "App", "NODE3", "NODE4")
	if g.Owner != "NODE3" {
		t.Fatalf("new group owned by %s, want its first preferred owner NODE3", g.Owner)
	}
	mustDo(t, w.PauseNode("", "NODE4"))
	mustDo(t, w.MoveGroup("EXCLUSTER", "App", ""))
	if g.Owner != "NODE1" {
		t.Fatalf("move went to %s, want NODE1 (NODE3 is the owner, NODE4 paused)", g.Owner)
	}
	if len(g.Failovers) != 0 {
		t.Fatalf("a manual move counted as a failover")
	}
}

func TestEligibilitySkipsPausedDownAndImpossibleOwners(t *testing.T) {
	w, c := smallCluster(t, 4, "")
	g := appGroup(t, w, "App", "NODE1")
	mustDo(t, w.PauseNode("", "NODE2"))
	mustDo(t, w.SetPossibleOwners("EXCLUSTER", "App Service", []string{"NODE1", "NODE2", "NODE4"}))
	mustDo(t, w.FailServer("NODE1"))
	w.Settle()
	if g.Owner != "NODE4" {
		t.Fatalf("failover went to %s, want NODE4 (NODE2 paused, NODE3 not a possible owner)", g.Owner)
	}
	var text string
	for _, e := range w.Log() {
		if e.Kind == core.KindFailover && e.Subject == "App" {
			text = e.Text
		}
	}
	for _, want := range []string{"NODE2 (Paused)", `NODE3 (not a possible owner of "App Service")`} {
		if !strings.Contains(text, want) {
			t.Errorf("failover event %q does not explain %q", text, want)
		}
	}
	_ = c
}

func TestFailoverThresholdLeavesGroupFailed(t *testing.T) {
	w, _ := smallCluster(t, 3, "")
	g := appGroup(t, w, "App", "NODE1")
	mustDo(t, w.SetFailoverPolicy("EXCLUSTER", "App", FailoverPolicy{Threshold: 2, Period: 1, Failback: FailbackPrevent}))
	mustDo(t, w.SetRestartPolicy("EXCLUSTER", "App Service", RestartPolicy{Restart: true, Period: 900, AffectGroup: true}))
	owners := []string{}
	for i := 0; i < 3; i++ {
		mustDo(t, w.FailResource("EXCLUSTER", "App Service"))
		w.Settle()
		owners = append(owners, g.Owner)
	}
	if got := strings.Join(owners, ","); got != "NODE2,NODE3,NODE3" {
		t.Fatalf("owners after each failure %s, want NODE2,NODE3,NODE3", got)
	}
	if g.State() != Failed {
		t.Fatalf("group is %s after the third failure in the period, want Failed", g.State())
	}
	// After the period the count starts again.
	mustDo(t, w.Advance(core.Hour))
	mustDo(t, w.BringOnline("EXCLUSTER", "App", true))
	mustDo(t, w.FailResource("EXCLUSTER", "App Service"))
	w.Settle()
	if g.Owner != "NODE1" || g.State() != Online {
		t.Fatalf("after the period: %s on %s, want Online on NODE1", g.State(), g.Owner)
	}
}

func TestRestartPolicy(t *testing.T) {
	w, _ := smallCluster(t, 2, "")
	g := appGroup(t, w, "App", "NODE1")
	r := g.Resources[0]
	mustDo(t, w.SetRestartPolicy("EXCLUSTER", r.Name, RestartPolicy{Restart: true, Threshold: 2, Period: 60, AffectGroup: true}))
	for i := 0; i < 2; i++ {
		mustDo(t, w.FailResource("EXCLUSTER", r.Name))
		if r.State != Failed {
			t.Fatalf("resource is %s right after the failure, want Failed", r.State)
		}
		if d := w.Settle(); d != RestartDelay {
			t.Fatalf("restart took %d ms, want %d", d, RestartDelay)
		}
		if r.State != Online || g.Owner != "NODE1" {
			t.Fatalf("restart %d: %s on %s", i+1, r.State, g.Owner)
		}
	}
	mustDo(t, w.FailResource("EXCLUSTER", r.Name))
	w.Settle()
	if g.Owner != "NODE2" {
		t.Fatalf("past the restart threshold the group is on %s, want NODE2", g.Owner)
	}
	// Restarts outside the period do not count.
	mustDo(t, w.Advance(61*core.Second))
	mustDo(t, w.FailResource("EXCLUSTER", r.Name))
	w.Settle()
	if g.Owner != "NODE2" || r.State != Online {
		t.Fatalf("a failure after the period was not restarted in place: %s on %s", r.State, g.Owner)
	}
	// Do not restart: stays Failed, no failover.
	mustDo(t, w.SetRestartPolicy("EXCLUSTER", r.Name, RestartPolicy{Threshold: 3, Period: 900, AffectGroup: true}))
	mustDo(t, w.FailResource("EXCLUSTER", r.Name))
	w.Settle()
	if r.State != Failed || g.Owner != "NODE2" {
		t.Fatalf("restart=False: %s on %s, want Failed on NODE2", r.State, g.Owner)
	}
}

func TestFailbackWindowWrapsPastMidnight(t *testing.T) {
	for _, tc := range []struct {
		hour, start, end int
		in               bool
	}{
		{22, 22, 2, true}, {1, 22, 2, true}, {2, 22, 2, false}, {21, 22, 2, false},
		{9, 9, 17, true}, {16, 9, 17, true}, {17, 9, 17, false}, {8, 9, 17, false},
	} {
		if got := InWindow(tc.hour, tc.start, tc.end); got != tc.in {
			t.Errorf("InWindow(%d, %d, %d) = %v, want %v", tc.hour, tc.start, tc.end, got, tc.in)
		}
	}
}

func TestFailbackImmediateOnResume(t *testing.T) {
	w, _ := smallCluster(t, 3, "")
	g := appGroup(t, w, "App", "NODE1", "NODE2")
	mustDo(t, w.SetFailoverPolicy("EXCLUSTER", "App", FailoverPolicy{Threshold: 10, Period: 6, Failback: FailbackImmediate}))
	mustDo(t, w.MoveGroup("EXCLUSTER", "App", "NODE2"))
	if g.Owner != "NODE2" {
		t.Fatal("move failed")
	}
	// Moving away from the preferred node does not fail back by itself...
	mustDo(t, w.PauseNode("", "NODE1"))
	mustDo(t, w.ResumeNode("", "NODE1"))
	// ...but the return of a more preferred node does.
	if g.Owner != "NODE1" {
		t.Fatalf("after NODE1 resumed the group is on %s, want NODE1", g.Owner)
	}
}

func TestMajorityQuorum(t *testing.T) {
	w, c := smallCluster(t, 4, QuorumMajority)
	g := appGroup(t, w, "App", "NODE4")
	mustDo(t, w.FailServer("NODE1"))
	w.Settle()
	if !c.HasQuorum() {
		t.Fatal("3 of 4 nodes lost quorum; a majority of 4 is 3")
	}
	mustDo(t, w.FailServer("NODE2"))
	w.Settle()
	if c.HasQuorum() || g.State() != Offline {
		t.Fatalf("2 of 4: quorum %v, group %s; want no quorum, Offline", c.HasQuorum(), g.State())
	}
	for _, n := range []string{"NODE3", "NODE4"} {
		if s := c.nodes[n].State; s != NodeJoining {
			t.Fatalf("%s is %s, want Joining", n, s)
		}
	}
	mustDo(t, w.BootServer("NODE1"))
	w.Settle()
	if !c.HasQuorum() || g.State() != Online || g.Owner != "NODE4" {
		t.Fatalf("after NODE1 returns: quorum %v, group %s on %s", c.HasQuorum(), g.State(), g.Owner)
	}
}

func TestQuorumDiskFailureStopsEveryNode(t *testing.T) {
	w, c := smallCluster(t, 3, "")
	appGroup(t, w, "App")
	mustDo(t, w.FailDisk("Quorum"))
	if c.running() || c.HasQuorum() {
		t.Fatal("the cluster runs without its quorum disk")
	}
	for _, n := range c.Nodes {
		if n.State != NodeDown {
			t.Fatalf("%s is %s, want Down", n.Name, n.State)
		}
	}
	refused(t, w, core.ErrState, "lost quorum", func() error { return w.BringOnline("EXCLUSTER", "App", true) })
}

func TestPartitionLosesToTheQuorumOwner(t *testing.T) {
	w, c := smallCluster(t, 3, "")
	g := appGroup(t, w, "App", "NODE3")
	mustDo(t, w.FailAdapter("NODE3", "Private"))
	w.Settle()
	if c.nodes["NODE3"].State != NodeUp {
		t.Fatal("NODE3 still has the mixed public network and must stay Up")
	}
	mustDo(t, w.FailAdapter("NODE3", "Public"))
	w.Settle()
	if c.nodes["NODE3"].State != NodeDown || g.Owner != "NODE1" {
		t.Fatalf("cut-off node %s, group on %s; want Down and NODE1", c.nodes["NODE3"].State, g.Owner)
	}
	mustDo(t, w.RepairAdapter("NODE3", "Private"))
	w.Settle()
	if c.nodes["NODE3"].State != NodeUp {
		t.Fatalf("after the repair NODE3 is %s, want Up", c.nodes["NODE3"].State)
	}
}

func TestPendingTimersAndCountersSurviveAStateFile(t *testing.T) {
	w, _ := smallCluster(t, 3, "")
	appGroup(t, w, "App", "NODE1")
	mustDo(t, w.FailServer("NODE1"))
	mustDo(t, w.Advance(3*core.Second)) // detection is pending
	data, err := w.Save()
	mustDo(t, err)
	w2, err := Load(data)
	mustDo(t, err)
	w.Settle()
	w2.Settle()
	a, _ := w.Save()
	b, _ := w2.Save()
	if !bytes.Equal(a, b) {
		t.Fatal("a world reloaded mid-detection went a different way")
	}
	if g := w2.clusters["EXCLUSTER"].groups["APP"]; len(g.Failovers) != 1 || g.Owner != "NODE2" {
		t.Fatalf("reloaded world: %d failovers, owner %s", len(g.Failovers), g.Owner)
	}
}

func TestFaultRefusals(t *testing.T) {
	w, _ := smallCluster(t, 2, "")
	appGroup(t, w, "App", "NODE1")
	_, err := w.NewResource("EXCLUSTER", ResourceSpec{Group: "App", Name: "Spare", Type: TypeGenericService, Params: map[string]string{"service": "spare"}})
	mustDo(t, err)
	set, err := w.AsrBackup("NODE2", `\\BACKUP1\asr\NODE2.bkf`)
	mustDo(t, err)
	mustDo(t, w.LoseSystemDisk("NODE2"))
	w.Settle()
	tests := []struct {
		name string
		kind error
		want string
		call func() error
	}{
		{"boot a running server", core.ErrState, "already running", func() error { return w.BootServer("NODE1") }},
		{"boot without a system disk", core.ErrPrereq, "asr_restore", func() error { return w.BootServer("NODE2") }},
		{"fail an unknown adapter", core.ErrNotFound, "did you mean \"Public\"", func() error { return w.FailAdapter("NODE1", "Pubic") }},
		{"repair a working adapter", core.ErrState, "not failed", func() error { return w.RepairAdapter("NODE1", "Public") }},
		{"crash a crashed server", core.ErrState, "already down", func() error { return w.FailServer("NODE2") }},
		{"restore onto another server", core.ErrInvalid, "its own ASR set", func() error { return w.AsrRestore("NODE1", set.ID) }},
		{"unknown ASR set", core.ErrNotFound, "ASR set", func() error { return w.AsrRestore("NODE2", "ASR-NODE9-1") }},
		{"threshold out of range", core.ErrInvalid, "failover threshold", func() error {
			return w.SetFailoverPolicy("EXCLUSTER", "App", FailoverPolicy{Threshold: -1, Period: 6, Failback: FailbackPrevent})
		}},
		{"period out of range", core.ErrInvalid, "1 to 1193", func() error {
			return w.SetFailoverPolicy("EXCLUSTER", "App", FailoverPolicy{Threshold: 10, Period: 1194, Failback: FailbackPrevent})
		}},
		{"period zero", core.ErrInvalid, "1 to 1193", func() error {
			return w.SetFailoverPolicy("EXCLUSTER", "App", FailoverPolicy{Threshold: 10, Failback: FailbackPrevent})
		}},
		{"window hour 24", core.ErrInvalid, "outside 0–23", func() error {
			return w.SetFailoverPolicy("EXCLUSTER", "App", FailoverPolicy{Threshold: 10, Period: 6, Failback: FailbackWindow, Window: []int{22, 24}})
		}},
		{"window hour negative", core.ErrInvalid, "outside 0–23", func() error {
			return w.SetFailoverPolicy("EXCLUSTER", "App", FailoverPolicy{Threshold: 10, Period: 6, Failback: FailbackWindow, Window: []int{-1, 2}})
		}},
		{"window without failback window", core.ErrInvalid, "only with failback", func() error {
			return w.SetFailoverPolicy("EXCLUSTER", "App", FailoverPolicy{Threshold: 10, Period: 6, Failback: FailbackImmediate, Window: []int{1, 2}})
		}},
		{"failback window without hours", core.ErrInvalid, "needs window", func() error {
			return w.SetFailoverPolicy("EXCLUSTER", "App", FailoverPolicy{Threshold: 10, Period: 6, Failback: FailbackWindow})
		}},
		{"empty window", core.ErrInvalid, "is empty", func() error {
			return w.SetFailoverPolicy("EXCLUSTER", "App", FailoverPolicy{Threshold: 10, Period: 6, Failback: FailbackWindow, Window: []int{3, 3}})
		}},
		{"unknown failback", core.ErrInvalid, "failback policy", func() error {
			return w.SetFailoverPolicy("EXCLUSTER", "App", FailoverPolicy{Threshold: 10, Period: 6, Failback: "sometimes"})
		}},
		{"restart threshold negative", core.ErrInvalid, "restart threshold", func() error {
			return w.SetRestartPolicy("EXCLUSTER", "App Service", RestartPolicy{Restart: true, Threshold: -1, Period: 900, AffectGroup: true})
		}},
		{"restart period zero", core.ErrInvalid, "restart period", func() error {
			return w.SetRestartPolicy("EXCLUSTER", "App Service", RestartPolicy{Restart: true, Threshold: 3, AffectGroup: true})
		}},
		{"fail an offline resource", core.ErrState, "only an Online resource", func() error { return w.FailResource("EXCLUSTER", "Spare") }},
		{"fail an unknown resource", core.ErrNotFound, "did you mean", func() error { return w.FailResource("EXCLUSTER", "App Servce") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { refused(t, w, tc.kind, tc.want, tc.call) })
	}
	// The restore itself works and the node rejoins.
	mustDo(t, w.AsrRestore("NODE2", set.ID))
	w.Settle()
	if n := w.clusters["EXCLUSTER"].nodes["NODE2"]; n.State != NodeUp {
		t.Fatalf("restored node is %s, want Up", n.State)
	}
	refused(t, w, core.ErrState, "is running", func() error { return w.AsrRestore("NODE2", set.ID) })
}

func TestAsrRestoreWarnsAboutFailback(t *testing.T) {
	w, _ := smallCluster(t, 2, "")
	appGroup(t, w, "App", "NODE2")
	mustDo(t, w.SetFailoverPolicy("EXCLUSTER", "App", FailoverPolicy{Threshold: 10, Period: 6, Failback: FailbackImmediate}))
	set, err := w.AsrBackup("NODE2", "tape")
	mustDo(t, err)
	mustDo(t, w.LoseSystemDisk("NODE2"))
	w.Settle()
	mustDo(t, w.AsrRestore("NODE2", set.ID))
	found := false
	for _, e := range w.Log() {
		found = found || (e.Kind == core.KindWarning && e.Subject == "App" && strings.Contains(e.Text, "failback"))
	}
	if !found {
		t.Fatal("no warning about the group that may fail back onto the restored node")
	}
}

func TestSettleGivesUpOnEndlessRetries(t *testing.T) {
	w, c := smallCluster(t, 2, "")
	g, err := w.NewGroup("EXCLUSTER", GroupSpec{Name: "Data", PreferredOwners: []string{"NODE1"}})
	mustDo(t, err)
	_, err = w.NewResource("EXCLUSTER", ResourceSpec{Group: "Data", Name: "Disk R:", Type: TypePhysicalDisk, Params: map[string]string{"disk": "Data1"}})
	mustDo(t, err)
	mustDo(t, w.BringOnline("EXCLUSTER", "Data", true))
	mustDo(t, w.SetRestartPolicy("EXCLUSTER", "Disk R:", RestartPolicy{Restart: true, Threshold: 0xFFFFFFFE, Period: 1}))
	mustDo(t, w.FailDisk("Data1"))
	if d := w.Settle(); d != core.MaxSettle {
		t.Fatalf("settle moved %d ms, want it to stop at %d", d, core.MaxSettle)
	}
	last := w.Log()[len(w.Log())-1]
	if last.Kind != core.KindWarning || !strings.Contains(last.Text, "gave up") {
		t.Fatalf("last event %q, want the give-up warning", last)
	}
	_, _ = c, g
}

func TestRestartCountStartsAgainOnTheNewNode(t *testing.T) {
	w, _ := smallCluster(t, 2, "")
	g := appGroup(t, w, "App", "NODE1")
	r := g.Resources[0]
	mustDo(t, w.FailResource("EXCLUSTER", r.Name))
	w.Settle()
	if len(r.Restarts) != 1 {
		t.Fatalf("%d restarts recorded, want 1", len(r.Restarts))
	}
	mustDo(t, w.MoveGroup("EXCLUSTER", "App", "NODE2"))
	if len(r.Restarts) != 0 {
		t.Fatalf("after the move %d restarts still count, want 0", len(r.Restarts))
	}
}

// A node that crashes and boots again before the heartbeat timeout still
// lost what it ran: its groups fail over when it comes back.
func TestQuickRebootFailsOverTheNodesGroups(t *testing.T) {
	w, c := smallCluster(t, 3, "")
	g := appGroup(t, w, "App", "NODE2")
	mustDo(t, w.FailServer("NODE2"))
	mustDo(t, w.Advance(2*core.Second))
	mustDo(t, w.BootServer("NODE2"))
	if g.Owner == "NODE2" || g.State() != Online {
		t.Fatalf("after a quick reboot the group is %s on %s; want it Online elsewhere", g.State(), g.Owner)
	}
	w.Settle()
	if n := c.nodes["NODE2"]; n.State != NodeUp {
		t.Fatalf("NODE2 is %s after rejoining, want Up", n.State)
	}
}

// A node whose server dies while it is joining is Down, not Joining.
func TestCrashWhileJoining(t *testing.T) {
	w, c := smallCluster(t, 2, "")
	mustDo(t, w.StopClusterService("", "NODE2"))
	mustDo(t, w.StartClusterService("", "NODE2"))
	mustDo(t, w.FailServer("NODE2"))
	w.Settle()
	if n := c.nodes["NODE2"]; n.State != NodeDown {
		t.Fatalf("NODE2 is %s, want Down", n.State)
	}
}
