package mscs

import (
	"bytes"
	"clusterscript/runtime/core"
	"slices"
	"strings"
	"testing"
)

// ---- The Cluster service starting again every minute ----

// nodeStates lists "NODE=state" for every node, with "+retrying" for a node
// whose Cluster service starts again at the next retry.
func nodeStates(c *Cluster) []string {
	var out []string
	for _, n := range c.Nodes {
		s := n.Name + "=" + n.State
		if n.Retrying {
			s += "+retrying"
		}
		out = append(out, s)
	}
	return out
}

// pendingKinds lists the kinds of the pending timers, in firing order.
func pendingKinds(w *World) []string {
	var out []string
	for _, t := range w.PendingTimers() {
		out = append(out, t.Kind)
	}
	return out
}

// countEvents counts the events since n whose text holds substr.
func countEvents(w *World, n int, substr string) int {
	count := 0
	for _, e := range eventsSince(w, n) {
		if strings.Contains(e.Text, substr) {
			count++
		}
	}
	return count
}

// noTimersPending: nothing is left to happen on its own.
func noTimersPending(t *testing.T, w *World) {
	t.Helper()
	if got := pendingKinds(w); len(got) != 0 {
		t.Fatalf("timers still pending: %v", got)
	}
}

func noBreaches(t *testing.T, w *World, c *Cluster) {
	t.Helper()
	if b := w.ClusterInvariants(c); len(b) > 0 {
		t.Fatalf("invariants broken: %q", b)
	}
}

func TestDiskQuorumClusterFormsAgainByItself(t *testing.T) {
	w, c := smallCluster(t, 3, "")
	app := appGroup(t, w, "App", "NODE2")
	mustDo(t, w.FailDisk("Quorum"))
	if got, want := nodeStates(c), []string{"NODE1=Down+retrying", "NODE2=Down+retrying", "NODE3=Down+retrying"}; !slices.Equal(got, want) {
		t.Fatalf("after the quorum disk failed: %v, want %v", got, want)
	}
	if waited := w.Settle(); waited != 0 {
		t.Fatalf("settle() waited %s for retries that cannot succeed", core.FormatDuration(waited))
	}
	if got := pendingKinds(w); !slices.Equal(got, []string{timerServiceRetry}) {
		t.Fatalf("pending timers %v, want one %s", got, timerServiceRetry)
	}

	// Ten minutes of retries: each start fails, and the log says so once.
	logged := len(w.Events)
	mustDo(t, w.Advance(10*core.Minute))
	if c.running() || app.State() != Offline {
		t.Fatalf("the cluster formed without its quorum disk (group App %s)", app.State())
	}
	if n := countEvents(w, logged, "starts again but cannot form cluster EXCLUSTER: the quorum disk Quorum has failed"); n != 1 {
		t.Fatalf("%d events about the failing retries in ten minutes, want 1", n)
	}

	// The disk is repaired between two retries: the next one forms the
	// cluster, and settle() waits for it.
	mustDo(t, w.Advance(30*core.Second))
	mustDo(t, w.RepairDisk("Quorum"))
	if c.running() {
		t.Fatal("the cluster formed at the repair; the stopped services notice only when they start again")
	}
	if waited := w.Settle(); waited != 30*core.Second+JoinTime {
		t.Fatalf("settle() waited %s, want 33s: the retry 30 s later and the join", core.FormatDuration(waited))
	}
	if !c.running() || !c.HasQuorum() {
		t.Fatal("the cluster did not form again after the repair")
	}
	if got, want := nodeStates(c), []string{"NODE1=Up", "NODE2=Up", "NODE3=Up"}; !slices.Equal(got, want) {
		t.Fatalf("after forming: %v, want %v", got, want)
	}
	if cg := c.groups[core.Key("Cluster Group")]; cg.Owner != "NODE1" || cg.State() != Online {
		t.Fatalf("Cluster Group %s on %s, want Online on NODE1 (first of its list, it formed the cluster)", cg.State(), cg.Owner)
	}
	if app.State() != Online || app.Owner != "NODE2" {
		t.Fatalf("App %s on %s, want Online on NODE2", app.State(), app.Owner)
	}
	noTimersPending(t, w)
	noBreaches(t, w, c)
}

// Which nodes keep starting their Cluster service: those whose service
// stopped for want of quorum, not those the administrator stopped or whose
// server is down.
func TestWhoRetriesToFormTheCluster(t *testing.T) {
	for _, tt := range []struct {
		name   string
		before func(w *World) // before the quorum disk fails
		after  func(w *World) // after it failed
		want   []string
	}{
		{"every running node", nil, nil,
			[]string{"NODE1=Down+retrying", "NODE2=Down+retrying", "NODE3=Down+retrying"}},
		{"not one whose service the administrator stopped",
			func(w *World) { mustDo(t, w.StopClusterService("EXCLUSTER", "NODE2")) }, nil,
			[]string{"NODE1=Down+retrying", "NODE2=Down", "NODE3=Down+retrying"}},
		{"not one that crashed", func(w *World) {
			mustDo(t, w.FailServer("NODE3"))
			w.Settle()
		}, nil, []string{"NODE1=Down+retrying", "NODE2=Down+retrying", "NODE3=Down"}},
		{"not one that crashes while it waits", nil,
			func(w *World) { mustDo(t, w.FailServer("NODE1")) },
			[]string{"NODE1=Down", "NODE2=Down+retrying", "NODE3=Down+retrying"}},
		{"not one whose service the administrator then stops", nil,
			func(w *World) { mustDo(t, w.StopClusterService("EXCLUSTER", "NODE3")) },
			[]string{"NODE1=Down+retrying", "NODE2=Down+retrying", "NODE3=Down"}},
		{"a node started by hand that cannot form the cluster stops again and retries", nil,
			func(w *World) {
				mustDo(t, w.StartClusterService("EXCLUSTER", "NODE2"))
				w.Settle()
			},
			[]string{"NODE1=Down+retrying", "NODE2=Down+retrying", "NODE3=Down+retrying"}},
		{"a node booted while the disk is down retries", func(w *World) {
			mustDo(t, w.FailServer("NODE3"))
			w.Settle()
		}, func(w *World) {
			mustDo(t, w.BootServer("NODE3"))
			w.Settle()
		}, []string{"NODE1=Down+retrying", "NODE2=Down+retrying", "NODE3=Down+retrying"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w, c := smallCluster(t, 3, "")
			if tt.before != nil {
				tt.before(w)
			}
			mustDo(t, w.FailDisk("Quorum"))
			if tt.after != nil {
				tt.after(w)
			}
			if got := nodeStates(c); !slices.Equal(got, tt.want) {
				t.Fatalf("nodes %v, want %v", got, tt.want)
			}
			// Once the disk is back, exactly the retrying nodes come Up.
			mustDo(t, w.RepairDisk("Quorum"))
			w.Settle()
			var up []string
			for _, s := range tt.want {
				if strings.HasSuffix(s, "+retrying") {
					up = append(up, strings.TrimSuffix(s, "Down+retrying")+"Up")
				}
			}
			var got []string
			for _, s := range nodeStates(c) {
				if strings.HasSuffix(s, "=Up") {
					got = append(got, s)
				}
			}
			if !c.running() || !slices.Equal(got, up) {
				t.Fatalf("after the repair: running %v, Up nodes %v, want %v", c.running(), got, up)
			}
			noBreaches(t, w, c)
		})
	}
}

// stop_cluster_service on a node whose service waits to start again keeps
// it stopped; on a node stopped by hand it is still refused.
func TestStopClusterServiceWhileRetrying(t *testing.T) {
	w, c := smallCluster(t, 2, "")
	mustDo(t, w.StopClusterService("EXCLUSTER", "NODE2"))
	mustDo(t, w.FailDisk("Quorum"))
	refused(t, w, core.ErrState, "the Cluster service on NODE2 is already stopped", func() error { return w.StopClusterService("EXCLUSTER", "NODE2") })
	logged := len(w.Events)
	mustDo(t, w.StopClusterService("EXCLUSTER", "NODE1"))
	if n := countEvents(w, logged, "the Cluster service on NODE1 is stopped and no longer started again every minute"); n != 1 {
		t.Fatalf("stopping the retrying service logged %d events, want 1", n)
	}
	noTimersPending(t, w)
	refused(t, w, core.ErrState, "the Cluster service on NODE1 is already stopped", func() error { return w.StopClusterService("EXCLUSTER", "NODE1") })
	mustDo(t, w.RepairDisk("Quorum"))
	mustDo(t, w.Advance(core.Hour))
	if c.running() {
		t.Fatal("the cluster formed although the administrator stopped every Cluster service")
	}
}

// The node that forms a disk-quorum cluster owns its core resources, so it
// must be a possible owner of each: a node that is not cannot form the
// cluster (the core resources could not come online), and the cluster
// forms on one that is.
func TestTheFormingNodeOwnsTheCoreResources(t *testing.T) {
	w, c := smallCluster(t, 3, "")
	mustDo(t, w.SetPossibleOwners("EXCLUSTER", "Cluster Name", []string{"NODE1", "NODE3"}))
	mustDo(t, w.FailServer("NODE1"))
	w.Settle()
	if cg := c.groups[core.Key("Cluster Group")]; cg.Owner != "NODE3" {
		t.Fatalf("Cluster Group failed over to %s, want NODE3 (NODE2 is not a possible owner of Cluster Name)", cg.Owner)
	}
	mustDo(t, w.FailDisk("Quorum"))
	mustDo(t, w.FailServer("NODE3"))
	mustDo(t, w.RepairDisk("Quorum"))
	// Only NODE2 is left to retry, by itself or started by hand.
	logged := len(w.Events)
	mustDo(t, w.Advance(2*core.Minute))
	mustDo(t, w.StartClusterService("EXCLUSTER", "NODE2"))
	w.Settle()
	if c.running() {
		t.Fatalf("NODE2 formed the cluster; %s", strings.Join(w.ClusterInvariants(c), "; "))
	}
	if n := countEvents(w, logged, `NODE2 is not a possible owner of the core resource "Cluster Name"`); n == 0 {
		t.Fatal("no event says why NODE2 cannot form the cluster")
	}
	noBreaches(t, w, c)

	// NODE3 boots and forms the cluster; NODE2 joins at its next retry.
	mustDo(t, w.BootServer("NODE3"))
	w.Settle()
	if !c.running() {
		t.Fatal("NODE3 could not form the cluster")
	}
	if got, want := nodeStates(c), []string{"NODE1=Down", "NODE2=Up", "NODE3=Up"}; !slices.Equal(got, want) {
		t.Fatalf("nodes %v, want %v", got, want)
	}
	for _, name := range []string{"Cluster IP Address", "Cluster Name", "Disk Q:"} {
		if r := c.resources[core.Key(name)]; r.State != Online || r.group.Owner != "NODE3" {
			t.Fatalf("%s is %s on %s, want Online on NODE3", name, r.State, r.group.Owner)
		}
	}
	noBreaches(t, w, c)
}

// A resource of the Cluster Group that cannot run on the node that formed
// the cluster is not brought online there: it fails, and its restart
// policy moves the group to a node where everything runs.
func TestFormingBringsOnlyRunnableResourcesOnline(t *testing.T) {
	w, c := smallCluster(t, 3, "")
	_, err := w.NewResource("EXCLUSTER", ResourceSpec{Group: "Cluster Group", Name: "Cluster Tool", Type: TypeGenericService, Params: map[string]string{"service": "tool"}})
	mustDo(t, err)
	mustDo(t, w.BringOnline("EXCLUSTER", "Cluster Tool", false))
	mustDo(t, w.FailDisk("Quorum"))
	// Without quorum set_possible_owners is refused; a world loaded from an
	// older state file may still hold owners changed while it was down.
	c.resources[core.Key("Cluster Tool")].PossibleOwners = []string{"NODE2"}
	mustDo(t, w.RepairDisk("Quorum"))
	w.Settle()
	if !c.running() {
		t.Fatal("the cluster did not form")
	}
	noBreaches(t, w, c)
	cg := c.groups[core.Key("Cluster Group")]
	if cg.Owner != "NODE2" || cg.State() != Online {
		t.Fatalf("Cluster Group %s on %s, want Online on NODE2, the one node Cluster Tool may run on", cg.State(), cg.Owner)
	}
}

// A state file carries the stopped nodes and their next retry: a loaded
// world forms the cluster the same way.
func TestServiceRetriesSurviveAStateFile(t *testing.T) {
	w, c := smallCluster(t, 2, "")
	appGroup(t, w, "App")
	mustDo(t, w.FailDisk("Quorum"))
	mustDo(t, w.Advance(90*core.Second))
	data := mustSave(t, w)
	if !bytes.Contains(data, []byte(`"retrying":true`)) || !bytes.Contains(data, []byte(timerServiceRetry)) {
		t.Fatal("the state file lacks the retrying nodes or their timer")
	}
	loaded, err := Load(data)
	mustDo(t, err)
	for _, x := range []*World{w, loaded} {
		mustDo(t, x.RepairDisk("Quorum"))
		x.Settle()
	}
	if !c.running() || !loaded.clusters[core.Key("EXCLUSTER")].running() {
		t.Fatal("the cluster did not form again")
	}
	if a, b := mustSave(t, w), mustSave(t, loaded); !bytes.Equal(a, b) {
		t.Fatalf("the loaded world went on differently: %s", firstDifference(a, b))
	}
}

// ---- RetryPeriodOnFailure ----

// retryLab is a 3-node cluster with group Files (preferred NODE2, NODE3): a
// Physical Disk on Data1 and a File Share on it, Online on NODE2.
func retryLab(t *testing.T) (*World, *Cluster, *Group) {
	t.Helper()
	w, c := smallCluster(t, 3, "")
	g, err := w.NewGroup("EXCLUSTER", GroupSpec{Name: "Files", PreferredOwners: []string{"NODE2", "NODE3"}})
	mustDo(t, err)
	_, err = w.NewResource("EXCLUSTER", ResourceSpec{Group: "Files", Name: "Files Disk", Type: TypePhysicalDisk, Params: map[string]string{"disk": "Data1"}})
	mustDo(t, err)
	_, err = w.NewResource("EXCLUSTER", ResourceSpec{Group: "Files", Name: "Files Share", Type: TypeFileShare, Dependencies: []string{"Files Disk"}, Params: map[string]string{"path": `R:\files`, "share": "files"}})
	mustDo(t, err)
	mustDo(t, w.BringOnline("EXCLUSTER", "Files", true))
	return w, c, g
}

func TestRetryPeriodOnFailure(t *testing.T) {
	for _, tt := range []struct {
		name   string
		setup  func(w *World)
		fail   func(w *World)
		retry  int64  // when the retry comes, after the failure; 0: never
		states string // of the disk and the share after it
	}{
		{"restarts used up, the resource does not affect the group",
			func(w *World) {
				mustDo(t, w.SetRestartPolicy("EXCLUSTER", "Files Share", RestartPolicy{Restart: true, Threshold: 0, Period: 900}))
			},
			func(w *World) { mustDo(t, w.FailResource("EXCLUSTER", "Files Share")) },
			core.Hour, "Online Online"},
		{"the group is left Failed at its failover threshold",
			func(w *World) {
				mustDo(t, w.SetRestartPolicy("EXCLUSTER", "Files Share", RestartPolicy{Restart: true, Threshold: 0, Period: 900, AffectGroup: true}))
				mustDo(t, w.SetFailoverPolicy("EXCLUSTER", "Files", FailoverPolicy{Threshold: 0, Period: 6, Failback: FailbackPrevent}))
			},
			func(w *World) { mustDo(t, w.FailResource("EXCLUSTER", "Files Share")) },
			core.Hour, "Online Online"},
		{"a retry period of its own",
			func(w *World) {
				mustDo(t, w.SetRestartPolicy("EXCLUSTER", "Files Share", RestartPolicy{Restart: true, Threshold: 0, Period: 60, RetryPeriod: 600}))
			},
			func(w *World) { mustDo(t, w.FailResource("EXCLUSTER", "Files Share")) },
			10 * core.Minute, "Online Online"},
		{"the group is left Failed because no node can take it",
			func(w *World) {
				mustDo(t, w.SetPossibleOwners("EXCLUSTER", "Files Share", []string{"NODE2"}))
				mustDo(t, w.SetRestartPolicy("EXCLUSTER", "Files Share", RestartPolicy{Restart: true, Threshold: 0, Period: 900, AffectGroup: true}))
			},
			func(w *World) { mustDo(t, w.FailResource("EXCLUSTER", "Files Share")) },
			core.Hour, "Online Online"},
		{"Do not restart: never",
			func(w *World) {
				mustDo(t, w.SetRestartPolicy("EXCLUSTER", "Files Share", RestartPolicy{Restart: false, Threshold: 3, Period: 900}))
			},
			func(w *World) { mustDo(t, w.FailResource("EXCLUSTER", "Files Share")) },
			0, "Online Failed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w, c, g := retryLab(t)
			tt.setup(w)
			tt.fail(w)
			if waited := w.Settle(); waited > 10*core.Second {
				t.Fatalf("settle() waited %s: it must not wait for RetryPeriodOnFailure", core.FormatDuration(waited))
			}
			share := c.resources[core.Key("Files Share")]
			if share.State != Failed {
				t.Fatalf("the share is %s after its failure, want Failed", share.State)
			}
			wait := tt.retry
			if wait == 0 {
				wait = 10 * core.Hour
			}
			mustDo(t, w.Advance(wait-1))
			if share.State != Failed {
				t.Fatalf("the share is %s a moment before its retry, want Failed", share.State)
			}
			mustDo(t, w.Advance(1))
			disk := c.resources[core.Key("Files Disk")]
			if got := disk.State + " " + share.State; got != tt.states {
				t.Fatalf("after %s: disk and share %s, want %s", core.FormatDuration(wait), got, tt.states)
			}
			if tt.retry > 0 && g.Owner != "NODE2" {
				t.Fatalf("the retry ran on %s, want NODE2, the group's owner", g.Owner)
			}
			noBreaches(t, w, c)
		})
	}
}

// A retry that fails leaves the resource Failed for another period; once the
// cause is repaired the next retry brings it back, with what depends on it.
func TestRetryRepeatsUntilItSucceeds(t *testing.T) {
	w, c, g := retryLab(t)
	mustDo(t, w.SetRestartPolicy("EXCLUSTER", "Files Disk", RestartPolicy{Restart: true, Threshold: 1, Period: 900, AffectGroup: true}))
	mustDo(t, w.SetFailoverPolicy("EXCLUSTER", "Files", FailoverPolicy{Threshold: 1, Period: 6, Failback: FailbackPrevent}))
	mustDo(t, w.FailDisk("Data1"))
	w.Settle()
	if g.State() != Failed || g.Owner != "NODE3" {
		t.Fatalf("Files is %s on %s, want left Failed on NODE3", g.State(), g.Owner)
	}
	logged := len(w.Events)
	mustDo(t, w.Advance(core.Hour))
	if n := countEvents(w, logged, `the retry after its retry period of 1h fails on NODE3: disk Data1 of "Files Disk" has failed`); n != 1 {
		t.Fatalf("%d events for the failed retry, want 1", n)
	}
	mustDo(t, w.RepairDisk("Data1"))
	mustDo(t, w.Advance(core.Hour-core.Second))
	if g.State() != Failed {
		t.Fatalf("Files is %s before the second retry", g.State())
	}
	mustDo(t, w.Advance(core.Second))
	if g.State() != Online || g.Owner != "NODE3" {
		t.Fatalf("Files is %s on %s after the second retry, want Online on NODE3", g.State(), g.Owner)
	}
	noTimersPending(t, w)
	noBreaches(t, w, c)
}

// A resource that leaves the Failed state drops its pending retry: when it
// fails again later, its retry comes a whole period after that failure.
func TestRetryIsDroppedWhenTheResourceRecovers(t *testing.T) {
	w, c, _ := retryLab(t)
	mustDo(t, w.SetRestartPolicy("EXCLUSTER", "Files Share", RestartPolicy{Restart: true, Threshold: 0, Period: 900}))
	share := c.resources[core.Key("Files Share")]
	mustDo(t, w.FailResource("EXCLUSTER", "Files Share"))
	mustDo(t, w.Advance(10*core.Minute))
	mustDo(t, w.BringOnline("EXCLUSTER", "Files Share", false))
	mustDo(t, w.Advance(10*core.Minute))
	mustDo(t, w.FailResource("EXCLUSTER", "Files Share"))
	mustDo(t, w.Advance(50*core.Minute)) // past the first failure's hour
	if share.State != Failed {
		t.Fatalf("the share is %s: the retry of its first failure fired", share.State)
	}
	mustDo(t, w.Advance(10*core.Minute))
	if share.State != Online {
		t.Fatalf("the share is %s an hour after its second failure, want Online", share.State)
	}
	// Taking a Failed resource offline, or deleting it, drops its retry too.
	for _, drop := range []func() error{
		func() error { return w.TakeOffline("EXCLUSTER", "Files Share", false) },
		func() error { return w.DeleteResource("EXCLUSTER", "Files Share") },
	} {
		mustDo(t, w.FailResource("EXCLUSTER", "Files Share"))
		mustDo(t, drop())
		noTimersPending(t, w)
		if share.State == Offline {
			mustDo(t, w.BringOnline("EXCLUSTER", "Files Share", false))
		}
	}
}

func TestRestartPolicyRetryPeriodRefusals(t *testing.T) {
	w, _, _ := retryLab(t)
	for _, tt := range []struct {
		name string
		p    RestartPolicy
		want string
	}{
		{"shorter than the restart period", RestartPolicy{Restart: true, Threshold: 3, Period: 900, RetryPeriod: 899},
			"retry period 899 s is shorter than the restart period of 900 s; RetryPeriodOnFailure must be at least RestartPeriod — give retry_period=900 or more"},
		{"negative", RestartPolicy{Restart: true, Threshold: 3, Period: 900, RetryPeriod: -1}, "retry period -1 is out of range; it is 900 to 4294967 seconds"},
		{"past the DWORD of milliseconds", RestartPolicy{Restart: true, Threshold: 3, Period: 900, RetryPeriod: MaxRetryPeriod + 1}, "retry period 4294968 is out of range"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			refused(t, w, core.ErrInvalid, tt.want, func() error { return w.SetRestartPolicy("EXCLUSTER", "Files Share", tt.p) })
		})
	}
	// The default follows a restart period longer than an hour.
	mustDo(t, w.SetRestartPolicy("EXCLUSTER", "Files Share", RestartPolicy{Restart: true, Threshold: 3, Period: 7200}))
	if got := mustResource(t, w, "Files Share").RetryPeriodOnFailure(); got != 7200 {
		t.Fatalf("retry period %d with a 2 h restart period, want 7200", got)
	}
}

// State files carry the retry period (left out at the default, so files
// from before it read as the default) and the pending retries.
func TestRetryPeriodInStateFiles(t *testing.T) {
	w, _, _ := retryLab(t)
	mustDo(t, w.SetRestartPolicy("EXCLUSTER", "Files Share", RestartPolicy{Restart: true, Threshold: 0, Period: 900, RetryPeriod: 1800}))
	mustDo(t, w.FailResource("EXCLUSTER", "Files Share"))
	data := mustSave(t, w)
	if n := bytes.Count(data, []byte(`"retry_period"`)); n != 1 {
		t.Fatalf("%d resources carry retry_period, want only the one off the default", n)
	}
	loaded, err := Load(data)
	mustDo(t, err)
	if got := mustResource(t, loaded, "Files Share").RetryPeriodOnFailure(); got != 1800 {
		t.Fatalf("loaded retry period %d, want 1800", got)
	}
	if got := mustResource(t, loaded, "Files Disk").RetryPeriodOnFailure(); got != DefaultRetryPeriod {
		t.Fatalf("a resource without retry_period loads with %d, want %d", got, DefaultRetryPeriod)
	}
	for _, x := range []*World{w, loaded} {
		mustDo(t, x.Advance(30*core.Minute))
	}
	if a, b := mustSave(t, w), mustSave(t, loaded); !bytes.Equal(a, b) {
		t.Fatalf("the loaded world went on differently: %s", firstDifference(a, b))
	}
	if s := mustResource(t, loaded, "Files Share").State; s != Online {
		t.Fatalf("the loaded world's share is %s after its retry period, want Online", s)
	}
}
