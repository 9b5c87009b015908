package sim_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"clusterscript/runtime/core"
	"clusterscript/runtime/sim"
	"clusterscript/runtime/sim/simtest"
)

// BenchmarkClone copies the SPEC §11 world (64 nodes, 8,000 groups of 4
// resources, all online) without a state file; via-state-file is the
// old way, a Save and a Load, for comparison.
func BenchmarkClone(b *testing.B) {
	w := simtest.OnlineCluster(b, simtest.Nodes, simtest.Groups)
	b.Run("copy", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = w.Clone()
		}
	})
	b.Run("via-state-file", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			data, err := w.Save()
			if err != nil {
				b.Fatal(err)
			}
			if _, err := sim.Load(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRollback times transactions that are rolled back, on the online
// SPEC §11 world (8,000 groups) and on one of 32,000 groups, both on 64
// nodes:
//   - calls: a fixed set of calls (8 groups moved, 8 taken offline, a new
//     group of 4 resources brought online, a resource failed and restarted
//     2 seconds later), the same work at either size;
//   - node-failure: a node crashes and, once the heartbeat timeout has
//     passed, the groups it owns fail over (125 at 8,000 groups, 500 at
//     32,000): the work follows the groups moved.
//
// ns/op is the whole transaction, Begin to Rollback; rollback-ns/op is
// the part Rollback takes.
func BenchmarkRollback(b *testing.B) {
	for _, groups := range []int{simtest.Groups, 4 * simtest.Groups} {
		w := simtest.OnlineCluster(b, simtest.Nodes, groups)
		c, err := w.MSCS.Cluster(simtest.Cluster)
		if err != nil {
			b.Fatal(err)
		}
		ok := func(err error) {
			if err != nil {
				b.Fatal(err)
			}
		}
		m := w.MSCS
		calls := func(i int) {
			for k := range 8 {
				ok(m.MoveGroup(simtest.Cluster, simtest.GroupName((i*16+k)%groups), ""))
				ok(m.TakeOffline(simtest.Cluster, simtest.GroupName((i*16+8+k)%groups), true))
			}
			simtest.AddGroup(b, w, groups+i%1000, c.Nodes[i%len(c.Nodes)].Name)
			ok(m.BringOnline(simtest.Cluster, simtest.GroupName(groups+i%1000), true))
			ok(m.FailResource(simtest.Cluster, simtest.GroupName((i*16+20)%groups)+" Service"))
			ok(w.Advance(2 * core.Second))
		}
		nodeFailure := func(i int) {
			node := c.Nodes[1+i%(len(c.Nodes)-1)].Name // not the quorum's owner
			ok(w.FailServer(node))
			ok(w.Advance(c.HeartbeatTimeout()))
		}
		for _, tc := range []struct {
			name string
			tx   func(i int)
		}{{"calls", calls}, {"node-failure", nodeFailure}} {
			b.Run(fmt.Sprintf("%s/%d-groups", tc.name, groups), func(b *testing.B) {
				before, err := w.Save()
				ok(err)
				b.ReportAllocs()
				var rollback time.Duration
				n := 0
				for b.Loop() {
					mark := w.Begin()
					tc.tx(n)
					start := time.Now()
					w.Rollback(mark)
					rollback += time.Since(start)
					n++
				}
				b.ReportMetric(float64(rollback.Nanoseconds())/float64(n), "rollback-ns/op")
				b.StopTimer()
				if after, _ := w.Save(); !bytes.Equal(before, after) {
					b.Fatal("the rollbacks did not restore the world")
				}
			})
		}
	}
}
