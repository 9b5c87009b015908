package nlb

import (
	"testing"
)

// owaRules replaces the default rule with OWA's: HTTP and HTTPS, single
// affinity.
func owaRules(b *testing.B, w *World) {
	nlbMust(b, w.RemovePortRule(tNLB, RuleRef{}))
	for _, p := range []int{80, 443} {
		_, err := w.AddPortRule(tNLB, rule(p, p, "tcp"))
		nlbMust(b, err)
	}
	w.Settle()
}

// BenchmarkNLBRoute is one filtering decision for a new connection: find
// the rule, hash the client into a bucket, read the bucket's owner.
func BenchmarkNLBRoute(b *testing.B) {
	for _, tc := range []struct {
		name  string
		rules int // port rules before the one that matches
		port  uint16
	}{{"owa-443", 0, 443}, {"32rules-last", 30, 443}} {
		b.Run(tc.name, func(b *testing.B) {
			w, c := farm(b, 4)
			owaRules(b, w)
			for i := 0; i < tc.rules; i++ {
				_, err := w.AddPortRule(tNLB, rule(10000+i, 10000+i, "tcp"))
				nlbMust(b, err)
			}
			w.Settle()
			if tc.rules > 0 {
				// Put the matching rule last, as the worst case.
				tc.port = 10000 + uint16(tc.rules) - 1
			}
			clients := make([]uint32, 1024)
			s := uint64(1)
			for i := range clients {
				clients[i], _ = nlbLoadClient(&s)
			}
			vip := ip4(tVIP)
			b.ReportAllocs()
			sink := 0
			i := 0
			for b.Loop() {
				h, _, _ := c.router.route(clients[i&1023], 1025, vip, tc.port, protoTCP)
				sink += h
				i++
			}
			if sink < 0 {
				b.Fatal("a decision dropped a packet")
			}
		})
	}
}

// BenchmarkNLBLoad1M is nlb_load of 1,000,000 seeded clients.
func BenchmarkNLBLoad1M(b *testing.B) {
	w, _ := farm(b, 4)
	owaRules(b, w)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := w.Load(tNLB, LoadSpec{Clients: 1_000_000, Port: 443, Protocol: "tcp", Seed: 1}); err != nil {
			b.Fatal(err)
		}
		w.Events = w.Events[:0]
	}
}

// BenchmarkNLBConverge32x32 is one convergence of 32 hosts with 32
// multiple-host rules: membership, a new map for every rule (host 32
// alternately leaving and joining, so buckets move), the compiled filter
// and the log lines.
func BenchmarkNLBConverge32x32(b *testing.B) {
	w, c := bigNLB(b, 32)
	nlbMust(b, w.RemovePortRule(tNLB, RuleRef{}))
	for i := 0; i < 32; i++ {
		s := rule(1000*i, 1000*i+999, "both")
		if i%2 == 1 {
			s.LoadWeights = []HostValue{{"H1", 100}, {"H7", 0}, {"H20", 10}}
		}
		_, err := w.AddPortRule(tNLB, s)
		nlbMust(b, err)
	}
	w.Settle()
	last := c.hostByPrio(32)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if n%2 == 0 {
			last.Control = ctlStopped
		} else {
			last.Control = ctlStarted
		}
		n++
		w.nlbCompleteConvergence(c)
		w.nlbRefresh(c)
		w.Events = w.Events[:0]
	}
}
