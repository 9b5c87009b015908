package mscs

import (
	"slices"
	"strings"
	"testing"

	"clusterscript/runtime/core"
)

// exchangeWorld is a healthy four-node Exchange cluster: EVS1 Online on
// NODE1, EVS2 on NODE2, a Web group on NODE3, NODE4 passive, and a third
// data disk for one more virtual server.
func exchangeWorld(t *testing.T) (*lab, *Cluster) {
	t.Helper()
	l, c := exchangeLab(t, 4, 3)
	l.evs(t, 1, "NODE1")
	l.evs(t, 2, "NODE2")
	l.webGroup(t, "Web", "10.0.0.50", "WEB", "NODE3")
	for _, g := range []string{"EVS1 Group", "EVS2 Group", "Web"} {
		mustDo(t, l.w.BringOnline(labCluster, g, true))
	}
	return l, c
}

// Worlds the engine built by itself, at rest, keep every invariant: after
// failures, with quorum lost, and with two virtual servers on one node of a
// two-node (active/active) cluster.
func TestHealthyClustersKeepTheirInvariants(t *testing.T) {
	for _, tc := range []struct {
		name  string
		build func(t *testing.T) (*World, *Cluster)
	}{
		{"four-node Exchange cluster", func(t *testing.T) (*World, *Cluster) {
			l, c := exchangeWorld(t)
			return l.w, c
		}},
		{"after a node crash and failover", func(t *testing.T) (*World, *Cluster) {
			l, c := exchangeWorld(t)
			mustDo(t, l.w.FailServer("NODE1"))
			l.w.Settle()
			return l.w, c
		}},
		{"paused and stopped nodes", func(t *testing.T) (*World, *Cluster) {
			l, c := exchangeWorld(t)
			mustDo(t, l.w.PauseNode(labCluster, "NODE3"))
			mustDo(t, l.w.StopClusterService(labCluster, "NODE2"))
			l.w.Settle()
			return l.w, c
		}},
		{"majority node set without quorum", func(t *testing.T) (*World, *Cluster) {
			w, c := smallCluster(t, 4, QuorumMajority)
			appGroup(t, w, "App", "NODE4")
			mustDo(t, w.FailServer("NODE1"))
			mustDo(t, w.FailServer("NODE2"))
			w.Settle()
			if c.running() {
				t.Fatal("2 of 4 nodes kept quorum")
			}
			return w, c
		}},
		{"quorum disk failed", func(t *testing.T) (*World, *Cluster) {
			w, c := smallCluster(t, 3, "")
			appGroup(t, w, "App")
			mustDo(t, w.FailDisk("Quorum"))
			return w, c
		}},
		{"local quorum", func(t *testing.T) (*World, *Cluster) {
			w, c := smallCluster(t, 1, QuorumLocal)
			appGroup(t, w, "App")
			return w, c
		}},
		{"active/active on two nodes", func(t *testing.T) (*World, *Cluster) {
			l, c := exchangeLab(t, 2, 2)
			l.evs(t, 1, "NODE1")
			l.evs(t, 2, "NODE1")
			mustDo(t, l.w.BringOnline(labCluster, "EVS1 Group", true))
			mustDo(t, l.w.BringOnline(labCluster, "EVS2 Group", true))
			return l.w, c
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, c := tc.build(t)
			if got := w.ClusterInvariants(c); got != nil {
				t.Errorf("a healthy cluster breaks invariants:\n  %s", strings.Join(got, "\n  "))
			}
			if got := w.Invariants(); got != nil {
				t.Errorf("Invariants() = %q, want nil", got)
			}
		})
	}
}

// Each case breaks one rule behind the engine's back (the engine itself
// refuses to) and requires exactly the sentences naming it, in order.
func TestEachBrokenInvariantIsNamed(t *testing.T) {
	exchange := func(t *testing.T) (*lab, *Cluster) { return exchangeWorld(t) }
	for _, tc := range []struct {
		name  string
		build func(t *testing.T) (*lab, *Cluster)
		edit  func(t *testing.T, w *World, c *Cluster)
		want  []string
	}{
		{
			name: "owner outside the cluster", build: exchange,
			edit: func(t *testing.T, w *World, c *Cluster) { mustGroup(t, w, "Web").Owner = "NODE9" },
			want: []string{
				`group "Web" is owned by NODE9, which is not a node of the cluster`,
				`group "Web" has owner NODE9 but is listed by nodes [NODE3]; a group lives on exactly one node`,
			},
		},
		{
			name: "no owner", build: exchange,
			edit: func(t *testing.T, w *World, c *Cluster) {
				g := mustGroup(t, w, "Web")
				delete(c.owned["NODE3"], g)
				g.Owner = ""
			},
			want: []string{`group "Web" has no owner; every group is owned by one node`},
		},
		{
			name: "two owners", build: exchange,
			edit: func(t *testing.T, w *World, c *Cluster) { c.owned["NODE4"][mustGroup(t, w, "Web")] = true },
			want: []string{`group "Web" has owner NODE3 but is listed by nodes [NODE3, NODE4]; a group lives on exactly one node`},
		},
		{
			name: "a node lists a group the cluster lacks", build: exchange,
			edit: func(t *testing.T, w *World, c *Cluster) {
				ghost := &Group{Name: "Ghost"}
				c.owned["NODE2"][ghost] = true
				c.owned["NODE4"][ghost] = true
			},
			want: []string{`nodes [NODE2, NODE4] list group "Ghost", which the cluster does not have`},
		},
		{
			name: "running on a Down node", build: exchange,
			edit: func(t *testing.T, w *World, c *Cluster) { mustNode(t, w, "NODE3").State = NodeDown },
			want: []string{`group "Web" runs "Web IP" on NODE3, which is Down; a running group needs an Up or Paused node`},
		},
		{
			name: "dependency not Online", build: exchange,
			edit: func(t *testing.T, w *World, c *Cluster) { mustResource(t, w, "EVS1 IP Address").State = Offline },
			want: []string{`resource "EVS1 Network Name" is Online but its dependency "EVS1 IP Address" is Offline`},
		},
		{
			name: "Online outside its possible owners", build: exchange,
			edit: func(t *testing.T, w *World, c *Cluster) {
				mustResource(t, w, "Web Share").PossibleOwners = []string{"NODE4", "NODE2"}
			},
			want: []string{`resource "Web Share" is Online on NODE3, which is not one of its possible owners (NODE2, NODE4)`},
		},
		{
			name: "Online away from its group's owner", build: exchange,
			edit: func(t *testing.T, w *World, c *Cluster) {
				mustResource(t, w, "EVS1 IP Address").group = mustGroup(t, w, "EVS2 Group")
			},
			want: []string{`resource "EVS1 IP Address" is Online on NODE2 but its group "EVS1 Group" is owned by NODE1`},
		},
		{
			name: "missing from the index", build: exchange,
			edit: func(t *testing.T, w *World, c *Cluster) { delete(c.resources, core.Key("Web Service")) },
			want: []string{`resource "Web Service" of group "Web" is missing from the cluster's resource index`},
		},
		{
			name: "quorum disk Failed while running", build: exchange,
			edit: func(t *testing.T, w *World, c *Cluster) { mustResource(t, w, "Disk Q:").State = Failed },
			want: []string{
				`it runs without quorum: its quorum resource "Disk Q:" is Failed`,
				`resource "MSDTC" is Online but its dependency "Disk Q:" is Failed`,
			},
		},
		{
			name: "quorum lost but running", build: exchange,
			edit: func(t *testing.T, w *World, c *Cluster) {
				c.QuorumLost = true
				for _, n := range c.Nodes[1:] {
					n.State = NodeJoining
				}
				for _, g := range c.Groups[1:] {
					for _, r := range g.Resources {
						r.State = Offline
					}
				}
			},
			want: []string{
				"it has lost quorum, but node NODE1 is Up; without quorum every node is Joining or Down",
				`it has lost quorum, but resource "Cluster IP Address" is Online on NODE1; without quorum nothing runs`,
				`it has lost quorum, but resource "Cluster Name" is Online on NODE1; without quorum nothing runs`,
				`it has lost quorum, but resource "Disk Q:" is Online on NODE1; without quorum nothing runs`,
				`it has lost quorum, but resource "MSDTC" is Online on NODE1; without quorum nothing runs`,
			},
		},
		{
			name: "majority short while running",
			build: func(t *testing.T) (*lab, *Cluster) {
				w, c := smallCluster(t, 4, QuorumMajority)
				return &lab{w: w}, c
			},
			edit: func(t *testing.T, w *World, c *Cluster) {
				mustNode(t, w, "NODE3").State = NodeDown
				mustNode(t, w, "NODE4").State = NodeJoining
			},
			want: []string{"it runs without quorum: 2 of its 4 nodes are Up or Paused, and a majority node set needs 3"},
		},
		{
			name: "local quorum on a Down node",
			build: func(t *testing.T) (*lab, *Cluster) {
				w, c := smallCluster(t, 1, QuorumLocal)
				return &lab{w: w}, c
			},
			edit: func(t *testing.T, w *World, c *Cluster) { mustNode(t, w, "NODE1").State = NodeDown },
			want: []string{
				"it runs without quorum: its local quorum is on node NODE1, which is Down",
				`group "Cluster Group" runs "Cluster IP Address" on NODE1, which is Down; a running group needs an Up or Paused node`,
			},
		},
		{
			name: "Exchange without MSDTC", build: exchange,
			edit: func(t *testing.T, w *World, c *Cluster) {
				g := mustGroup(t, w, "Cluster Group")
				g.Resources = slices.DeleteFunc(g.Resources, func(r *Resource) bool { return r.Type == TypeDTC })
				c.reindex()
			},
			want: []string{"cluster-aware Exchange is installed on NODE1, NODE2, NODE3, NODE4 but the cluster has no Distributed Transaction Coordinator; Exchange needs MSDTC in the cluster"},
		},
		{
			name: "two System Attendants", build: exchange,
			edit: func(t *testing.T, w *World, c *Cluster) {
				mustResource(t, w, "Exchange Routing Service Instance (EVS2)").Type = TypeSA
			},
			want: []string{`group "EVS2 Group" has 2 System Attendants; a virtual server has one`},
		},
		{
			name: "Exchange resources without a System Attendant",
			build: func(t *testing.T) (*lab, *Cluster) {
				l, c := exchangeLab(t, 4, 1)
				l.evs(t, 1)
				return l, c
			},
			edit: func(t *testing.T, w *World, c *Cluster) {
				g := mustGroup(t, w, "EVS1 Group")
				g.Resources = slices.DeleteFunc(g.Resources, func(r *Resource) bool { return r.Type == TypeSA })
			},
			want: []string{
				`group "EVS1 Group" holds Exchange resources but no System Attendant`,
				`group "EVS1 Group" is numbered as Exchange virtual server 1 but has no System Attendant`,
			},
		},
		{
			name: "a virtual server not numbered", build: exchange,
			edit: func(t *testing.T, w *World, c *Cluster) { mustGroup(t, w, "EVS2 Group").EVS = 0 },
			want: []string{`group "EVS2 Group" has a System Attendant but is not numbered as an Exchange virtual server`},
		},
		{
			name: "System Attendant without a Network Name", build: exchange,
			edit: func(t *testing.T, w *World, c *Cluster) {
				mustResource(t, w, "EVS1 System Attendant").Dependencies = []string{"EVS1 Disk"}
			},
			want: []string{`System Attendant "EVS1 System Attendant" does not depend on a Network Name`},
		},
		{
			name: "System Attendant off a disk of its group", build: exchange,
			edit: func(t *testing.T, w *World, c *Cluster) {
				mustResource(t, w, "EVS1 System Attendant").Dependencies = []string{"EVS1 Network Name"}
			},
			want: []string{`System Attendant "EVS1 System Attendant" does not depend on "EVS1 Disk", a Physical Disk of group "EVS1 Group"`},
		},
		{
			name: "possible owner without Exchange", build: exchange,
			edit: func(t *testing.T, w *World, c *Cluster) { w.LookupServer("NODE4").Exchange = "" },
			want: []string{
				`node NODE4 is a possible owner of System Attendant "EVS1 System Attendant" but has no cluster-aware Exchange`,
				`node NODE4 is a possible owner of System Attendant "EVS2 System Attendant" but has no cluster-aware Exchange`,
			},
		},
		{
			name: "Exchange resource off its System Attendant", build: exchange,
			edit: func(t *testing.T, w *World, c *Cluster) {
				mustResource(t, w, "Exchange MS Search Instance (EVS2)").Dependencies = nil
			},
			want: []string{`Exchange resource "Exchange MS Search Instance (EVS2)" does not depend on System Attendant "EVS2 System Attendant"`},
		},
		{
			name: "more virtual servers than N-1",
			build: func(t *testing.T) (*lab, *Cluster) {
				l, c := exchangeLab(t, 4, 3)
				for i, n := range []string{"NODE1", "NODE2", "NODE3"} {
					l.evs(t, i+1, n)
				}
				return l, c
			},
			edit: func(t *testing.T, w *World, c *Cluster) {
				c.Nodes = c.Nodes[:3]
				c.reindex()
			},
			want: []string{"it has 3 nodes and 3 Exchange virtual servers; Exchange 2003 allows at most 2 (N-1 on a cluster of 3 or more nodes)"},
		},
		{
			name: "more virtual servers than nodes",
			build: func(t *testing.T) (*lab, *Cluster) {
				l, c := exchangeLab(t, 2, 2)
				l.evs(t, 1)
				l.evs(t, 2)
				return l, c
			},
			edit: func(t *testing.T, w *World, c *Cluster) {
				c.Nodes = c.Nodes[:1]
				c.reindex()
			},
			want: []string{"it has 1 node and 2 Exchange virtual servers; Exchange 2003 allows at most 1 (one per node on a cluster of 1 or 2 nodes)"},
		},
		{
			name: "two virtual servers running on one node", build: exchange,
			edit: func(t *testing.T, w *World, c *Cluster) {
				w.setOwner(c, mustGroup(t, w, "EVS2 Group"), "NODE1")
			},
			want: []string{`node NODE1 runs Exchange virtual servers "EVS1 Group", "EVS2 Group"; on 4 nodes each node runs at most one`},
		},
		{
			name: "a second Message Transfer Agent", build: exchange,
			edit: func(t *testing.T, w *World, c *Cluster) {
				mustResource(t, w, "Exchange Routing Service Instance (EVS2)").Type = TypeMTA
			},
			want: []string{"it has 2 Exchange virtual servers and 2 Message Transfer Agents; the first virtual server holds the only one"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, c := tc.build(t)
			if got := l.w.ClusterInvariants(c); got != nil {
				t.Fatalf("before the edit the cluster already breaks:\n  %s", strings.Join(got, "\n  "))
			}
			tc.edit(t, l.w, c)
			var want []string
			for _, s := range tc.want {
				want = append(want, "cluster EXCLUSTER: "+s)
			}
			got := l.w.ClusterInvariants(c)
			if !slices.Equal(got, want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
			if again := l.w.ClusterInvariants(c); !slices.Equal(again, got) {
				t.Errorf("a second call gave another list (map order?):\n  %s", strings.Join(again, "\n  "))
			}
		})
	}
}

// The whole engine lists its clusters by name.
func TestInvariantsListClustersByName(t *testing.T) {
	w := NewWorld()
	a := &Cluster{Name: "BETA", QuorumModel: QuorumLocal, QuorumLost: true}
	b := &Cluster{Name: "ALPHA", QuorumModel: QuorumLocal, QuorumLost: true}
	for _, c := range []*Cluster{a, b} {
		c.Nodes = []*Node{{Name: "N" + c.Name, State: NodeUp}}
		c.reindex()
	}
	w.Clusters = []*Cluster{a, b}
	want := []string{
		"cluster ALPHA: it has lost quorum, but node NALPHA is Up; without quorum every node is Joining or Down",
		"cluster BETA: it has lost quorum, but node NBETA is Up; without quorum every node is Joining or Down",
	}
	if got := w.Invariants(); !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
