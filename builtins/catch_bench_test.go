package builtins_test

import (
	"fmt"
	"io"
	"testing"

	"clusterscript/builtins"
	"clusterscript/lang"
	"clusterscript/runtime/sim/simtest"

	"go.starlark.net/starlark"
)

// BenchmarkCatch measures what catch() adds to a builtin call, on the
// online SPEC §11 world (64 nodes, 8,000 groups of 4 resources) and on one
// of 32,000 groups. Each sub-benchmark makes one call per iteration, either
// plainly or as catch(fn, *args); the difference between the two is
// catch()'s cost, and it must not grow with the world:
//   - new_group: succeeds, a new group each time;
//   - new_group-refused: refused (the name is taken), and catch() rolls
//     back;
//   - move_group: succeeds, four resources going offline and online on
//     another node.
//
// Both ways write the events to the transcript (io.Discard) after each
// call, as a runbook's statement would. Calls that succeed grow the world
// and its log: every so many calls (restore) the world is put back as it
// was, outside the timer, so that it stays near its size.
func BenchmarkCatch(b *testing.B) {
	for _, groups := range []int{simtest.Groups, 4 * simtest.Groups} {
		base := simtest.OnlineCluster(b, simtest.Nodes, groups)
		w := base.Clone()
		s := lang.NewSession(builtins.NewWorld(w), builtins.Registry(), io.Discard)
		th := s.NewThread("bench")
		pre := s.Registry.Predeclared()
		// call makes one call and reports whether it succeeded; catch()
		// returns the message of a refusal as a string.
		call := func(caught bool, fn string, args ...starlark.Value) (starlark.Value, bool) {
			var v starlark.Value
			var err error
			if caught {
				v, err = starlark.Call(th, pre["catch"], append(starlark.Tuple{pre[fn]}, args...), nil)
			} else {
				v, err = starlark.Call(th, pre[fn], args, nil)
			}
			s.Flush()
			return v, err == nil && v.Type() != "string"
		}
		cluster, _ := call(false, "get_cluster", starlark.String(simtest.Cluster))
		for _, tc := range []struct {
			name    string
			args    func(i int) starlark.Tuple
			want    bool // success
			restore int  // calls between restores, 0 for never
		}{
			{"new_group", func(i int) starlark.Tuple {
				return starlark.Tuple{cluster, starlark.String(fmt.Sprintf("B%d", i))}
			}, true, 2048},
			{"new_group-refused", func(i int) starlark.Tuple {
				return starlark.Tuple{cluster, starlark.String(simtest.GroupName(i % groups))}
			}, false, 0},
			{"move_group", func(i int) starlark.Tuple {
				g, _ := call(false, "get_group", cluster, starlark.String(simtest.GroupName(i%groups)))
				return starlark.Tuple{g}
			}, true, 16384},
		} {
			fn := tc.name
			if fn == "new_group-refused" {
				fn = "new_group"
			}
			for _, caught := range []bool{false, true} {
				way := "plain"
				if caught {
					way = "catch"
				}
				b.Run(fmt.Sprintf("%s/%s/%d-groups", tc.name, way, groups), func(b *testing.B) {
					b.ReportAllocs()
					i := 0
					for b.Loop() {
						if _, ok := call(caught, fn, tc.args(i)...); ok != tc.want {
							b.Fatalf("%s: succeeded %v, want %v", tc.name, ok, tc.want)
						}
						if i++; tc.restore > 0 && i%tc.restore == 0 {
							b.StopTimer()
							*w = *base.Clone() // handles and the session see the copy
							b.StartTimer()
						}
					}
				})
				*w = *base.Clone()
			}
		}
	}
}
