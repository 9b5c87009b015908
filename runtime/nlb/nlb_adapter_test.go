package nlb

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"clusterscript/runtime/core"
)

// ---- The cluster adapter ----

// bucketsOf counts the buckets of a rule's map a host priority owns.
func bucketsOf(r *PortRule, prio int) int {
	n := 0
	for _, p := range r.Owners {
		if p == prio {
			n++
		}
	}
	return n
}

// clientOf finds a client of 172.16.<net>.0/24 whose new connection to
// port the map gives to host.
func clientOf(t *testing.T, c *Cluster, r *PortRule, prio, net int) string {
	t.Helper()
	for i := 1; i < 255; i++ {
		cli := fmt.Sprintf("172.16.%d.%d", net, i)
		if r.Owners[Bucket(r.Affinity, ip4(cli), 0)] == prio {
			return cli
		}
	}
	t.Fatalf("no client of 172.16.%d.0/24 falls in a bucket of host %d", net, prio)
	return ""
}

func TestNLBClusterAdapterFailureTiming(t *testing.T) {
	w, c := farm(t, 3)
	r := c.Rules[0]
	before := slices.Clone(r.Owners)
	mine := []*Connection{connectTo(t, w, "WEB2", 80, 1), connectTo(t, w, "WEB2", 80, 2)}
	others := len(c.Connections) - len(mine)
	lost := clientOf(t, c, r, 2, 3)
	start, n := w.Clock, len(w.Events)

	nlbMust(t, w.FailAdapter("WEB2", "Public"))
	// Its connections are lost with the adapter; the others' are not.
	if c.OpenConnections("WEB2") != 0 || len(c.Connections) != others || c.Connection(mine[0].ID) != nil {
		t.Errorf("after the failure: %d connections on WEB2, %d in all (want 0, %d)", c.OpenConnections("WEB2"), len(c.Connections), others)
	}
	if ev := lastEvents(w, n); !strings.Contains(ev, "lost its cluster adapter Public") || !strings.Contains(ev, "2 connections lost") {
		t.Errorf("events:\n%s", ev)
	}
	// Nobody has noticed yet: WEB2 still answers a query run on it.
	if q := query(t, w); q["WEB1"] != ConvergedDefault || q["WEB2"] != Converged || q["WEB3"] != Converged {
		t.Errorf("right after the failure: %v", q)
	}
	// Its buckets drop new connections at once; it receives nothing.
	got := load(t, w, 30000, 80, 3)
	if got["WEB2"] != 0 || got["dropped"] < 9000 || got["dropped"] > 11000 {
		t.Errorf("right after the failure: %v", got)
	}
	d, err := w.Route(tNLB, Packet{Client: lost, ClientPort: 2000, Port: 80, Protocol: "tcp"})
	nlbMust(t, err)
	if d.Host != "" || !strings.Contains(d.Why, "belongs to WEB2, which receives nothing (adapter Public failed)") {
		t.Errorf("a packet of WEB2's bucket: host %q, why %q", d.Host, d.Why)
	}
	_, k, err := w.Connect(tNLB, Packet{Client: lost, AnyPort: true, Port: 80, Protocol: "tcp"})
	nlbMust(t, err)
	if k != nil {
		t.Errorf("a connection opened on %s", k.Host)
	}

	// Five heartbeats: the others drop it, and it drops them. Three more:
	// the rest converge without it, taking its buckets, and it converges
	// alone, as its own default host.
	silentHostDropped(t, w, start, [3]string{Converged, Converging, ConvergedDefault})
	if !strings.Contains(lastEvents(w, n), "WEB2 (host 2) converged as DEFAULT host with host(s) 2 as part of the cluster") {
		t.Errorf("events:\n%s", lastEvents(w, n))
	}
	if bucketsOf(r, 2) != 0 || bucketsOf(r, 1) != 30 || bucketsOf(r, 3) != 30 || w.DefaultHost(c) != "WEB1" {
		t.Errorf("after convergence: map %v, default host %s", r.Owners, w.DefaultHost(c))
	}
	for b := range before {
		if before[b] != 2 && r.Owners[b] != before[b] {
			t.Errorf("bucket %d moved from surviving host %d", b, before[b])
		}
	}
	if bad := w.ClusterInvariants(c); bad != nil {
		t.Errorf("invariants: %v", bad)
	}

	// The repair: it is heard again; the two clusters merge and converge
	// 3 s later, until when it takes nothing.
	n = len(w.Events)
	nlbMust(t, w.RepairAdapter("WEB2", "Public"))
	if ev := lastEvents(w, n); !strings.Contains(ev, "duplicate cluster subnets detected") || !strings.Contains(ev, "convergence started: WEB2 (host 2) joined") {
		t.Errorf("events:\n%s", ev)
	}
	if q := query(t, w); q["WEB1"] != Converging || q["WEB2"] != Converging {
		t.Errorf("after the repair: %v", q)
	}
	if got := load(t, w, 30000, 80, 3); got["WEB2"] != 0 || got["dropped"] != 0 {
		t.Errorf("before converging again: %v", got)
	}
	if d := w.Settle(); d != ConvergeBeats*Heartbeat {
		t.Errorf("converged %s after the repair, want 3s", core.FormatDuration(d))
	}
	if q := query(t, w); q["WEB1"] != ConvergedDefault || q["WEB2"] != Converged || q["WEB3"] != Converged {
		t.Errorf("back: %v", q)
	}
	if got := load(t, w, 30000, 80, 3); got["WEB2"] < 9000 || got["dropped"] != 0 {
		t.Errorf("back: %v", got)
	}
}

// A single-host rule and traffic no rule covers follow the default host:
// lost while it is cut off, then handled by the next host.
func TestNLBCutOffDefaultHost(t *testing.T) {
	w, c := farm(t, 2)
	nlbMust(t, w.RemovePortRule(tNLB, RuleRef{}))
	s := rule(25, 25, "tcp")
	s.Filtering = "single"
	_, err := w.AddPortRule(tNLB, s)
	nlbMust(t, err)
	w.Settle()
	nlbMust(t, w.FailAdapter("WEB1", "Public"))
	for _, port := range []int{25, 8080} {
		if h := route(t, w, "172.16.1.1", 3000, port, "tcp"); h != "" {
			t.Errorf("port %d went to %q while its host was cut off", port, h)
		}
	}
	if w.DefaultHost(c) != "" {
		t.Errorf("default host %q while cut off", w.DefaultHost(c))
	}
	w.Settle()
	for _, port := range []int{25, 8080} {
		if h := route(t, w, "172.16.1.1", 3000, port, "tcp"); h != "WEB2" {
			t.Errorf("port %d went to %q after convergence, want WEB2", port, h)
		}
	}
	// Two default hosts: the sign of a partitioned cluster (KB Q197863).
	if q := query(t, w); q["WEB1"] != ConvergedDefault || q["WEB2"] != ConvergedDefault {
		t.Errorf("query %v", q)
	}
}

func TestNLBAdapterBackWithinTolerance(t *testing.T) {
	w, c := farm(t, 3)
	owners := slices.Clone(c.Rules[0].Owners)
	convergences := c.Convergences
	nlbMust(t, w.FailAdapter("WEB2", "Public"))
	nlbMust(t, w.Advance(Tolerance*Heartbeat-1))
	n := len(w.Events)
	nlbMust(t, w.RepairAdapter("WEB2", "Public"))
	if !strings.Contains(lastEvents(w, n), "the other hosts never dropped it") {
		t.Errorf("events:\n%s", lastEvents(w, n))
	}
	// Nothing to detect, nothing to converge: the map never changed.
	if d := w.Settle(); d != 0 || c.Convergences != convergences || !slices.Equal(c.Rules[0].Owners, owners) {
		t.Errorf("settle waited %s; %d convergences (was %d)", core.FormatDuration(d), c.Convergences, convergences)
	}
	if got := load(t, w, 30000, 80, 3); got["WEB2"] < 9000 || got["dropped"] != 0 {
		t.Errorf("back: %v", got)
	}
	// During a convergence the short loss holds it up; once the host is
	// heard again it completes 3 s later.
	nlbMust(t, w.RemovePortRule(tNLB, RuleRef{}))
	_, err := w.AddPortRule(tNLB, rule(443, 443, "tcp"))
	nlbMust(t, err)
	nlbMust(t, w.FailAdapter("WEB3", "Public"))
	nlbMust(t, w.Advance(4*core.Second))
	if q := query(t, w); q["WEB1"] != Converging {
		t.Errorf("a convergence completed without the silent host: %v", q)
	}
	nlbMust(t, w.RepairAdapter("WEB3", "Public"))
	if d := w.Settle(); d != ConvergeBeats*Heartbeat {
		t.Errorf("settled %s after the repair, want 3s", core.FormatDuration(d))
	}
	if q := query(t, w); q["WEB1"] != ConvergedDefault || q["WEB2"] != Converged || q["WEB3"] != Converged {
		t.Errorf("query %v", q)
	}
	if bad := w.ClusterInvariants(c); bad != nil {
		t.Errorf("invariants: %v", bad)
	}
}

// Heartbeats use the cluster adapter only: losing another adapter changes
// nothing for NLB.
func TestNLBOtherAdapterIsNotWatched(t *testing.T) {
	w, _ := farm(t, 2)
	k := connectTo(t, w, "WEB2", 80, 1)
	n := len(w.Events)
	nlbMust(t, w.FailAdapter("WEB2", "Private"))
	nlbMust(t, w.RepairAdapter("WEB2", "Private"))
	if ev := lastEvents(w, n); strings.Contains(ev, tNLB) {
		t.Errorf("NLB reacted:\n%s", ev)
	}
	if w.Settle() != 0 || w.nlbByName(tNLB).Connection(k.ID) == nil {
		t.Error("a Private adapter's failure moved NLB")
	}
}

func TestNLBCutOffHostCommands(t *testing.T) {
	t.Run("stop while cut off keeps the detection time", func(t *testing.T) {
		w, _ := farm(t, 2)
		nlbMust(t, w.FailAdapter("WEB2", "Public"))
		nlbMust(t, w.Advance(2*core.Second))
		nlbMust(t, w.Stop(tNLB, "WEB2"))
		if d := w.Settle(); d != 3*core.Second+3*core.Second {
			t.Errorf("settled %s after the stop, want 6s (dropped 5 s after the failure, converged 3 s later)", core.FormatDuration(d))
		}
		if q := query(t, w); q["WEB2"] != Stopped || q["WEB1"] != ConvergedDefault {
			t.Errorf("query %v", q)
		}
		// Repaired while stopped: it stays out.
		nlbMust(t, w.RepairAdapter("WEB2", "Public"))
		if w.Settle() != 0 || query(t, w)["WEB2"] != Stopped {
			t.Error("a stopped host rejoined on repair")
		}
	})
	t.Run("started while cut off, it converges alone", func(t *testing.T) {
		w, c := farm(t, 2)
		nlbMust(t, w.Stop(tNLB, "WEB2"))
		w.Settle()
		convergences := c.Convergences
		nlbMust(t, w.FailAdapter("WEB2", "Public"))
		nlbMust(t, w.Start(tNLB, "WEB2"))
		if q := query(t, w); q["WEB2"] != Converging || q["WEB1"] != ConvergedDefault {
			t.Errorf("query %v", q)
		}
		if d := w.Settle(); d != ConvergeBeats*Heartbeat || c.Convergences != convergences {
			t.Errorf("settled %s, %d convergences (was %d): the others must not hear it", core.FormatDuration(d), c.Convergences, convergences)
		}
		if q := query(t, w); q["WEB2"] != ConvergedDefault || load(t, w, 1000, 80, 1)["WEB2"] != 0 {
			t.Errorf("query %v", q)
		}
		nlbMust(t, w.RepairAdapter("WEB2", "Public"))
		w.Settle()
		if q := query(t, w); q["WEB2"] != Converged || load(t, w, 1000, 80, 1)["WEB2"] == 0 {
			t.Errorf("after the repair: %v", q)
		}
	})
	t.Run("booted with a failed adapter", func(t *testing.T) {
		w, c := farm(t, 2)
		nlbMust(t, w.FailServer("WEB2"))
		w.Settle()
		nlbMust(t, w.FailAdapter("WEB2", "Public"))
		convergences := c.Convergences
		nlbMust(t, w.BootServer("WEB2"))
		if d := w.Settle(); d != ConvergeBeats*Heartbeat || c.Convergences != convergences {
			t.Errorf("settled %s, %d convergences (was %d)", core.FormatDuration(d), c.Convergences, convergences)
		}
		if q := query(t, w); q["WEB2"] != ConvergedDefault || q["WEB1"] != ConvergedDefault {
			t.Errorf("query %v", q)
		}
		// Down again while cut off: gone from the query, its own view
		// forgotten.
		nlbMust(t, w.FailServer("WEB2"))
		if q := query(t, w); len(q) != 1 || w.Settle() != 0 {
			t.Errorf("query %v", q)
		}
	})
	t.Run("a draining host loses its last connections and stops", func(t *testing.T) {
		w, c := farm(t, 2)
		connectTo(t, w, "WEB2", 80, 1)
		nlbMust(t, w.DrainStop(tNLB, "WEB2"))
		w.Settle()
		nlbMust(t, w.FailAdapter("WEB2", "Public"))
		if q := query(t, w); q["WEB2"] != Stopped || c.OpenConnections("WEB2") != 0 {
			t.Errorf("query %v", q)
		}
		if d := w.Settle(); d != 5*core.Second+3*core.Second {
			t.Errorf("settled %s, want 8s", core.FormatDuration(d))
		}
		nlbMust(t, w.RepairAdapter("WEB2", "Public"))
		if w.Settle() != 0 || query(t, w)["WEB2"] != Stopped {
			t.Error("a stopped host rejoined on repair")
		}
	})
	t.Run("a rule changed while cut off converges on the return", func(t *testing.T) {
		w, c := farm(t, 2)
		nlbMust(t, w.FailAdapter("WEB2", "Public"))
		nlbMust(t, w.SetRuleState(tNLB, "WEB2", RuleRef{Port: 80}, RuleDisabled))
		if q := query(t, w); q["WEB2"] != Converging || q["WEB1"] != ConvergedDefault {
			t.Errorf("query %v", q)
		}
		nlbMust(t, w.Advance(2*core.Second))
		convergences := c.Convergences
		nlbMust(t, w.RepairAdapter("WEB2", "Public"))
		if c.Convergences != convergences+1 {
			t.Error("the host's own change did not make the cluster converge on its return")
		}
		w.Settle()
		if got := load(t, w, 1000, 80, 1); got["WEB2"] != 0 || got["WEB1"] != 1000 {
			t.Errorf("rule disabled on WEB2: %v", got)
		}
	})
}

// A fault, its repair and the timers they set roll back exactly; refused
// faults change nothing.
func TestNLBAdapterFaultsAllOrNothing(t *testing.T) {
	w, _ := farm(t, 3)
	connectTo(t, w, "WEB2", 80, 1)
	refusedSaying(t, w, core.ErrNotFound, func() error { return w.FailAdapter("WEB2", "Backup") }, "Backup", "Public")
	refusedSaying(t, w, core.ErrState, func() error { return w.RepairAdapter("WEB2", "Public") }, "has not failed")
	nlbMust(t, w.FailAdapter("WEB2", "Public"))
	refusedSaying(t, w, core.ErrState, func() error { return w.FailAdapter("WEB2", "Public") }, "already failed")

	steps := []struct {
		what string
		do   func() error
	}{
		{"the drop", func() error { return w.Advance(5 * core.Second) }},
		{"the convergences", func() error { w.Settle(); return nil }},
		{"the repair", func() error { return w.RepairAdapter("WEB2", "Public") }},
		{"the rejoin", func() error { w.Settle(); return nil }},
		{"another failure", func() error { return w.FailAdapter("WEB1", "Public") }},
	}
	for _, s := range steps {
		before, err := w.Save()
		nlbMust(t, err)
		mark := w.Begin()
		nlbMust(t, s.do())
		w.Rollback(mark)
		after, err := w.Save()
		nlbMust(t, err)
		if !bytes.Equal(before, after) {
			t.Fatalf("rolling back %s left the world changed", s.what)
		}
		nlbMust(t, w.Engine.CheckIndexes())
		nlbMust(t, s.do()) // now for real
	}
	if q := query(t, w); q["WEB2"] != Converged || q["WEB1"] != ConvergedDefault {
		t.Errorf("query %v", q)
	}
}

func TestNLBStateFileRoundTripWhileCutOff(t *testing.T) {
	w, _ := farm(t, 3)
	nlbMust(t, w.FailAdapter("WEB2", "Public"))
	nlbMust(t, w.Advance(6*core.Second)) // dropped, and converging alone
	loaded, saved := roundTrip(t, w)
	if !bytes.Contains(saved, []byte(`"alone":"converging"`)) || !bytes.Contains(saved, []byte(timerNLBAlone)) {
		t.Fatal("the host's own convergence is missing from the state file")
	}
	n := len(w.Events)
	for _, s := range []*World{w, loaded} {
		s.Settle()
		nlbMust(t, s.RepairAdapter("WEB2", "Public"))
		s.Settle()
	}
	if lastEvents(w, n) != lastEvents(loaded, n) || !strings.Contains(lastEvents(w, n), "duplicate cluster subnets") {
		t.Errorf("the loaded world diverged:\n%s\nvs\n%s", lastEvents(w, n), lastEvents(loaded, n))
	}
}
