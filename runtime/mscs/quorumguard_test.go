package mscs

import (
	"clusterscript/runtime/core"
	"strings"
	"testing"
)

// guardLab is a majority node set of NODE1–NODE3 (NODE4 stays outside),
// with group Web (Web IP ← Web Name ← Web Service, Web Share) Offline, an
// Offline Generic Service Extra in Web depending on Web Name, and an empty
// group Spare.
func guardLab(t *testing.T) *lab {
	t.Helper()
	l := newLab(t, labSpec{nodes: 4, dataDisks: 1})
	w := l.w
	_, err := w.CreateCluster(ClusterSpec{Name: labCluster, Domain: labDomain, Node: "NODE1", IP: labIP, Account: labAccount, Mask: "255.255.255.0", Quorum: QuorumMajority})
	mustDo(t, err)
	for _, s := range []string{"NODE2", "NODE3"} {
		_, err := w.AddNode(labCluster, s, labPassword, true)
		mustDo(t, err)
	}
	l.webGroup(t, "Web", "10.0.0.150", "WEB")
	_, err = w.NewResource(labCluster, ResourceSpec{Group: "Web", Name: "Extra", Type: TypeGenericService, Dependencies: []string{"Web Name"}, Params: map[string]string{"service": "extra"}})
	mustDo(t, err)
	_, err = w.NewGroup(labCluster, GroupSpec{Name: "Spare"})
	mustDo(t, err)
	return l
}

// configChanges are the calls that change a cluster's configuration, each
// as it would succeed on guardLab with quorum.
var configChanges = []struct {
	name   string
	change string // what the refusal says cannot be done
	op     func(w *World) error
}{
	{"add_node", "cannot add node NODE4", func(w *World) error { _, err := w.AddNode(labCluster, "NODE4", labPassword, true); return err }},
	{"evict_node", "cannot evict node NODE3", func(w *World) error { return w.EvictNode(labCluster, "NODE3") }},
	{"new_group", `cannot create group "App"`, func(w *World) error { _, err := w.NewGroup(labCluster, GroupSpec{Name: "App"}); return err }},
	{"new_resource", `cannot create resource "Web Log"`, func(w *World) error {
		_, err := w.NewResource(labCluster, ResourceSpec{Group: "Web", Name: "Web Log", Type: TypeGenericService, Params: map[string]string{"service": "log"}})
		return err
	}},
	{"delete_resource", `cannot delete resource "Extra"`, func(w *World) error { return w.DeleteResource(labCluster, "Extra") }},
	{"delete_group", `cannot delete group "Spare"`, func(w *World) error { return w.DeleteGroup(labCluster, "Spare") }},
	{"set_possible_owners", `cannot change the possible owners of "Web Share"`, func(w *World) error {
		return w.SetPossibleOwners(labCluster, "Web Share", []string{"NODE1", "NODE2"})
	}},
	{"set_preferred_owners", `cannot change the preferred owners of "Web"`, func(w *World) error {
		return w.SetPreferredOwners(labCluster, "Web", []string{"NODE2"})
	}},
	{"set_dependencies", `cannot change the dependencies of "Extra"`, func(w *World) error {
		return w.SetDependencies(labCluster, "Extra", []string{"Web IP"})
	}},
	{"add_dependency", `cannot change the dependencies of "Extra"`, func(w *World) error { return w.AddDependency(labCluster, "Extra", "Web IP") }},
	{"remove_dependency", `cannot change the dependencies of "Extra"`, func(w *World) error { return w.RemoveDependency(labCluster, "Extra", "Web Name") }},
	{"failover_policy", `cannot change the failover policy of "Web"`, func(w *World) error {
		return w.SetFailoverPolicy(labCluster, "Web", FailoverPolicy{Threshold: 3, Period: 6, Failback: FailbackPrevent})
	}},
	{"restart_policy", `cannot change the restart policy of "Extra"`, func(w *World) error {
		return w.SetRestartPolicy(labCluster, "Extra", RestartPolicy{Restart: true, Threshold: 1, Period: 900, AffectGroup: true})
	}},
	{"set_params", `cannot change the parameters of "Extra"`, func(w *World) error {
		return w.SetParams(labCluster, "Extra", map[string]string{"parameters": "-v"})
	}},
}

// Without quorum a cluster's configuration cannot change: every change is
// refused, naming the cluster, the rule and how many nodes bring the
// majority back; once quorum returns the same call succeeds. Today's bug:
// add_node succeeded and showed the new node Up, after which the majority
// could never form.
func TestNoConfigurationChangeWithoutQuorum(t *testing.T) {
	for _, ch := range configChanges {
		t.Run(ch.name, func(t *testing.T) {
			l := guardLab(t)
			w := l.w
			c, _ := w.Cluster(labCluster)
			mustDo(t, w.FailServer("NODE2"))
			mustDo(t, w.FailServer("NODE3"))
			w.Settle()
			if !c.QuorumLost {
				t.Fatal("1 of 3 nodes kept quorum")
			}
			refused(t, w, core.ErrState, ch.change+": cluster EXCLUSTER has no quorum (1 of 3 nodes run the Cluster service and its majority node set needs 2), and without quorum its configuration cannot change; start the Cluster service on 1 more node (NODE2 or NODE3; boot a server that is down first)", func() error { return ch.op(w) })
			if s := w.LookupServer("NODE4"); s.Cluster != "" {
				t.Fatalf("NODE4 joined cluster %s without quorum", s.Cluster)
			}
			// The fix the message gives brings quorum back, and the same
			// change then succeeds.
			mustDo(t, w.BootServer("NODE2"))
			w.Settle()
			if c.QuorumLost {
				t.Fatal("2 of 3 nodes did not bring quorum back")
			}
			mustDo(t, ch.op(w))
		})
	}
}

// The refusal says what brings quorum back for each quorum model.
func TestNoQuorumRemedyByModel(t *testing.T) {
	tests := []struct {
		name    string
		nodes   int
		quorum  string
		lose    func(t *testing.T, l *lab)
		why     string
		fix     string
		restore func(t *testing.T, l *lab)
	}{
		{"majority, two nodes short", 5, QuorumMajority, func(t *testing.T, l *lab) {
			for _, s := range []string{"NODE2", "NODE3", "NODE5"} {
				mustDo(t, l.w.FailServer(s))
			}
			mustDo(t, l.w.StopClusterService(labCluster, "NODE4"))
		}, "1 of 5 nodes run the Cluster service and its majority node set needs 3",
			"start the Cluster service on 2 more nodes (NODE2, NODE3, NODE4 or NODE5; boot a server that is down first)",
			func(t *testing.T, l *lab) {
				mustDo(t, l.w.StartClusterService(labCluster, "NODE4"))
				mustDo(t, l.w.BootServer("NODE5"))
			}},
		{"quorum disk failed", 3, "Quorum", func(t *testing.T, l *lab) {
			mustDo(t, l.w.FailDisk("Quorum"))
		}, "its quorum disk Quorum (Q:) has failed",
			`repair the quorum disk with repair_disk("Quorum"); the cluster forms again once a node can arbitrate for it`,
			func(t *testing.T, l *lab) {
				mustDo(t, l.w.RepairDisk("Quorum"))
				mustDo(t, l.w.StartClusterService(labCluster, "NODE1"))
			}},
		{"quorum disk healthy, no node running", 2, "Quorum", func(t *testing.T, l *lab) {
			mustDo(t, l.w.StopClusterService(labCluster, "NODE2"))
			mustDo(t, l.w.StopClusterService(labCluster, "NODE1"))
		}, "no node running the Cluster service holds its quorum disk Quorum (Q:)",
			"start the Cluster service on a node that sees the quorum disk (NODE1 or NODE2)",
			func(t *testing.T, l *lab) { mustDo(t, l.w.StartClusterService(labCluster, "NODE2")) }},
		{"local quorum", 1, QuorumLocal, func(t *testing.T, l *lab) {
			mustDo(t, l.w.StopClusterService(labCluster, "NODE1"))
		}, "its only node NODE1 does not run the Cluster service",
			"start the Cluster service on NODE1 (boot its server first if it is down)",
			func(t *testing.T, l *lab) { mustDo(t, l.w.StartClusterService(labCluster, "NODE1")) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLab(t, labSpec{nodes: tt.nodes})
			c := l.cluster(t, tt.quorum)
			tt.lose(t, l)
			l.w.Settle()
			if !c.QuorumLost {
				t.Fatal("the cluster kept quorum")
			}
			newGroup := func() error { _, err := l.w.NewGroup(labCluster, GroupSpec{Name: "App"}); return err }
			refused(t, l.w, core.ErrState, `cannot create group "App": cluster EXCLUSTER has no quorum (`+tt.why+"), and without quorum its configuration cannot change; "+tt.fix, newGroup)
			tt.restore(t, l)
			l.w.Settle()
			if c.QuorumLost {
				t.Fatal("following the fix did not bring quorum back")
			}
			mustDo(t, newGroup())
		})
	}
}

// While a join that will form the cluster is under way, the refusal says
// to wait for it rather than to start more nodes.
func TestNoQuorumWhileForming(t *testing.T) {
	l := guardLab(t)
	w := l.w
	mustDo(t, w.FailServer("NODE2"))
	mustDo(t, w.FailServer("NODE3"))
	w.Settle()
	mustDo(t, w.BootServer("NODE2"))
	newGroup := func() error { _, err := w.NewGroup(labCluster, GroupSpec{Name: "App"}); return err }
	refused(t, w, core.ErrState, `cannot create group "App": cluster EXCLUSTER has no quorum (it is forming again: NODE1 and NODE2 are joining), and without quorum its configuration cannot change; wait until it has formed (settle())`, newGroup)
	w.Settle()
	mustDo(t, newGroup())
}

// Operating the cluster is not configuring it: the checks that guard
// configuration leave lookups and reads alone, and a cluster with quorum is
// never refused for want of it.
func TestQuorumGuardOnlyWithoutQuorum(t *testing.T) {
	l := guardLab(t)
	w := l.w
	mustDo(t, w.FailServer("NODE3"))
	w.Settle()
	for _, ch := range configChanges {
		if err := ch.op(w); err != nil && strings.Contains(err.Error(), "no quorum") {
			t.Errorf("%s with 2 of 3 nodes: %v", ch.name, err)
		}
	}
}
