package export

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/sim"
)

// collidingNames become the same Pacemaker id, or one another's
// suffixed ids, once made XML ids: "SQL", "SQL:" and "SQL " are all
// SQL; "SQL-2" is what a second SQL becomes; "SQL-group" what a group
// named like a resource becomes; "1st" becomes r1st.
var collidingNames = []string{"SQL", "SQL:", "SQL-2", "SQL-3", "SQL group", "SQL-group", "SQL-group-2", "Disk F:", "Disk F", "Disk-F", "1st", "r1st", "Web"}

// randomChanges makes a change log of n changes on one Windows Server
// 2012 R2 cluster whose groups and resources take their names from
// collidingNames, so that ids collide, are freed and are taken again:
// resources and groups are created, deleted, reordered by their
// dependencies, restricted to nodes and kept apart by anti-affinity.
func randomChanges(seed uint64, n int) []core.Change {
	rnd := rand.New(rand.NewPCG(seed, 1))
	pick := func(list []string) string { return list[rnd.IntN(len(list))] }
	ch := func(op, object string, s ...core.Setting) core.Change {
		return core.Change{Op: op, Target: "CL", Object: object, Settings: s}
	}
	policy := func(failback string) []core.Setting {
		return []core.Setting{core.Int("threshold", mscs.FailoverThresholdNodesMinusOne), core.Int("period", 6), core.Text("failback", failback),
			core.Int("window_start", -1), core.Int("window_end", -1)}
	}
	restart := []core.Setting{core.Bool("restart", true), core.Int("restart_threshold", 1), core.Int("restart_period", 900),
		core.Bool("affect_group", true), core.Int("retry_period", 3600)}
	nodes := []string{"NODE1", "NODE2", "NODE3", "NODE4"}
	out := []core.Change{
		{Op: "shared_disk", Object: "Data", Settings: []core.Setting{core.Text("letter", "F:"), core.Text("signature", "1A2B3C4D")}},
		ch("create_cluster", "", append(append([]core.Setting{core.Text("domain", "corp.example.com"), core.Text("node", "NODE1"), core.Text("ip", "10.0.0.100"),
			core.Text("mask", "255.255.255.0"), core.Text("network", "Public"), core.Text("account", `CORP\clussvc`), core.Text("version", "2012 R2"),
			core.Text("quorum", mscs.QuorumNodeMajority)}, policy("prevent")...), restart...)...),
		ch("add_node", "NODE2", core.List("pinned", nil)),
		ch("add_node", "NODE3", core.List("pinned", nil)),
	}
	groups := map[string][]string{} // group → its resources
	owner := map[string]string{}    // resource → group
	var order []string              // groups in creation order
	types := []string{mscs.TypeIPAddress, mscs.TypePhysicalDisk, mscs.TypeGenericService, mscs.TypeNetworkName}
	address := 0
	for len(out) < n {
		var g string
		if len(order) > 0 {
			g = pick(order)
		}
		switch op := rnd.IntN(14); {
		case op < 2 || g == "":
			name := pick(collidingNames)
			if _, ok := groups[name]; ok {
				continue
			}
			groups[name] = nil
			order = append(order, name)
			out = append(out, ch("new_group", name, append([]core.Setting{core.Text("description", ""), core.List("preferred_owners", []string{pick(nodes[:3])})}, policy("prevent")...)...))
		case op < 6:
			name := pick(collidingNames)
			if _, ok := owner[name]; ok {
				continue
			}
			owner[name] = g
			var deps []string
			if len(groups[g]) > 0 && rnd.IntN(2) == 0 {
				deps = []string{pick(groups[g])}
			}
			groups[g] = append(groups[g], name)
			address++
			params := map[string]string{}
			typ := pick(types)
			switch typ {
			case mscs.TypeIPAddress:
				params = map[string]string{"address": fmt.Sprintf("10.0.1.%d", address), "subnet_mask": "255.255.255.0", "network": "Public"}
			case mscs.TypePhysicalDisk:
				params = map[string]string{"disk": "Data"}
			case mscs.TypeGenericService:
				params = map[string]string{"service": "AppSvc"}
			case mscs.TypeNetworkName:
				params = map[string]string{"name": "VS1"}
			}
			s := []core.Setting{core.Text("group", g), core.Text("type", typ), core.Text("description", ""), core.List("dependencies", deps), core.Pairs("params", params)}
			if rnd.IntN(4) == 0 {
				s = append(s, core.List("possible_owners", []string{"NODE1", pick(nodes[1:3])}))
			}
			out = append(out, ch("new_resource", name, append(s, restart...)...))
		case op == 6 && len(groups[g]) > 0:
			r := pick(groups[g])
			groups[g] = slices.DeleteFunc(groups[g], func(s string) bool { return s == r })
			delete(owner, r)
			out = append(out, ch("delete_resource", r, core.Text("group", g)))
		case op == 7 && len(groups[g]) == 0:
			delete(groups, g)
			order = slices.DeleteFunc(order, func(s string) bool { return s == g })
			out = append(out, ch("delete_group", g))
		case op == 8 && len(groups[g]) > 1:
			// the first resource comes to depend on the last: the start order changes
			rs := groups[g]
			out = append(out, ch("set_dependencies", rs[0], core.List("dependencies", []string{rs[len(rs)-1]})))
			groups[g] = append(slices.Clone(rs[1:]), rs[0])
		case op == 9 && len(groups[g]) > 0:
			out = append(out, ch("set_possible_owners", pick(groups[g]), core.List("possible_owners", []string{pick(nodes[:3]), "NODE3"})))
		case op == 10:
			out = append(out, ch("set_anti_affinity", g, core.List("class_names", []string{pick([]string{"A", "B"})})))
		case op == 11:
			out = append(out, ch("failover_policy", g, policy(pick([]string{"prevent", "immediate"}))...))
		case op == 12:
			out = append(out, ch("bring_online", g, core.Text("kind", "group")))
		case op == 13:
			switch rnd.IntN(3) {
			case 0:
				out = append(out, ch("set_cluster_property", "", core.Int("ClusterEnforcedAntiAffinity", int64(rnd.IntN(2)))))
			case 1:
				out = append(out, ch("add_node", "NODE4", core.List("pinned", nil)), ch("evict_node", "NODE4"))
			default:
				out = append(out, core.Change{Op: "format_disk", Object: "Data", Settings: []core.Setting{core.Text("letter", pick([]string{"F:", "G:"}))}})
			}
		}
	}
	return out
}

// TestPCSIncremental checks the pcs target's bookkeeping against
// projecting the whole cluster after every change: the same ids, the same
// configuration, the same commands, on change logs where ids collide.
func TestPCSIncremental(t *testing.T) {
	for seed := range uint64(40) {
		changes := randomChanges(seed, 400)
		var got, want bytes.Buffer
		inc, ref := &pcs{live: map[string]*pcmLive{}}, &pcs{live: map[string]*pcmLive{}}
		xi, xr := &script{w: bufio.NewWriter(&got), open: "# "}, &script{w: bufio.NewWriter(&want), open: "# "}
		mi, mr := newModel(nil), newModel(nil)
		for i, ch := range changes {
			xi.write(inc, ch, mi)
			inc.applied(xi, ch, mi, mi.apply(ch))
			xr.write(ref, ch, mr)
			if tr := mr.apply(ch); tr.cluster != nil || tr.disks {
				for _, c := range mr.clusters {
					ref.whole(xr, mr, c)
				}
			}
			c := mi.cluster("CL")
			if c == nil {
				continue
			}
			l := inc.live["CL"]
			fresh := mi.live(c)
			if !reflect.DeepEqual(l.ids.of, fresh.ids.of) {
				t.Fatalf("seed %d, change %d (%s): ids %v, projected anew %v", seed, i, ch, l.ids.of, fresh.ids.of)
			}
			if a, b := l.cluster(c.name), fresh.cluster(c.name); !reflect.DeepEqual(a, b) {
				t.Fatalf("seed %d, change %d (%s): configuration\n%+v\nprojected anew\n%+v", seed, i, ch, a, b)
			}
		}
		xi.w.Flush()
		xr.w.Flush()
		if got.String() != want.String() {
			t.Fatalf("seed %d: the commands differ from those of whole projections:\n%s\n---- want ----\n%s", seed, got.String(), want.String())
		}
	}
}

// TestPCSIncrementalCollides makes sure the random logs do what they are
// for: ids collide, so the slow path (the whole cluster given ids again)
// and the fast one are both taken.
func TestPCSIncrementalCollides(t *testing.T) {
	suffixed, fast, slow := 0, 0, 0
	for seed := range uint64(40) {
		m := newModel(nil)
		p := &pcs{live: map[string]*pcmLive{}}
		x := &script{w: bufio.NewWriter(&bytes.Buffer{}), open: "# "}
		for _, ch := range randomChanges(seed, 400) {
			tc := m.apply(ch)
			if tc.cluster != nil && tc.group != "" && !tc.whole && !tc.disks {
				l := p.live["CL"]
				if _, _, ok := l.regroup(m, tc.cluster, tc.group); ok {
					fast++
				} else {
					slow++
					p.whole(x, m, tc.cluster)
				}
				continue
			}
			p.applied(x, ch, m, tc)
		}
		for id, item := range p.live["CL"].ids.owner {
			if _, r := m.cluster("CL").resource(item[1:]); item[0] == 'r' && id != pcmID(r.name) {
				suffixed++
			}
		}
	}
	if suffixed == 0 || fast == 0 || slow == 0 {
		t.Fatalf("suffixed ids %d, fast regroups %d, slow %d: the random logs no longer exercise both paths", suffixed, fast, slow)
	}
	t.Logf("suffixed ids %d, fast regroups %d, slow %d", suffixed, fast, slow)
}

// TestPCSDiskLetter: a disk's new letter reaches the Filesystem
// primitives on it where the disk is formatted.
func TestPCSDiskLetter(t *testing.T) {
	changes := slices.DeleteFunc(randomChanges(1, 4), func(ch core.Change) bool { return ch.Op == "add_node" })
	changes = append(changes,
		core.Change{Op: "new_group", Target: "CL", Object: "Files", Settings: []core.Setting{core.List("preferred_owners", []string{"NODE1"})}},
		core.Change{Op: "new_resource", Target: "CL", Object: "Data disk", Settings: []core.Setting{core.Text("group", "Files"), core.Text("type", mscs.TypePhysicalDisk),
			core.Pairs("params", map[string]string{"disk": "Data"})}},
		core.Change{Op: "format_disk", Object: "Data", Settings: []core.Setting{core.Text("letter", "G:")}},
	)
	p := &pcs{live: map[string]*pcmLive{}}
	var buf bytes.Buffer
	x := &script{w: bufio.NewWriter(&buf), open: "# "}
	m := newModel(nil)
	for _, ch := range changes[:len(changes)-1] {
		p.applied(x, ch, m, m.apply(ch))
	}
	x.w.Flush()
	if !bytes.Contains(buf.Bytes(), []byte("directory=/srv/F")) {
		t.Fatalf("the disk resource is not created on F:\n%s", buf.String())
	}
	buf.Reset()
	ch := changes[len(changes)-1]
	x.write(p, ch, m)
	p.applied(x, ch, m, m.apply(ch))
	x.w.Flush()
	want := "# prerequisite: format_disk \"Data\" letter=\"G:\"\npcs resource update Data-disk device=/dev/disk/by-label/Data directory=/srv/G fstype=ntfs3\n"
	if buf.String() != want {
		t.Fatalf("format_disk wrote\n%s\nwant\n%s", buf.String(), want)
	}
}

// Names that make the same Pacemaker id are refused, naming both, by
// both Pacemaker targets; PowerShell, which uses the names, is not.
func TestPacemakerIDsMeet(t *testing.T) {
	ch := func(op, object string, s ...core.Setting) core.Change {
		return core.Change{Op: op, Target: "CL", Object: object, Settings: s}
	}
	base := randomChanges(2, 4)[:2] // the disk and the cluster formed on NODE1
	group := func(name, node string) []core.Change {
		return []core.Change{
			ch("new_group", name, core.List("preferred_owners", []string{node})),
			ch("new_resource", name+" IP", core.Text("group", name), core.Text("type", mscs.TypeIPAddress),
				core.Pairs("params", map[string]string{"address": "10.0.0.9", "subnet_mask": "255.255.255.0"})),
		}
	}
	for _, tc := range []struct {
		name    string
		changes []core.Change
		want    string
	}{
		{"locations", append(append([]core.Change{ch("add_node", "C"), ch("add_node", "B-C")}, group("A-B", "C")...), group("A", "B-C")...),
			`the location constraint of A-B on node C and the location constraint of A on node B-C would both have the Pacemaker id "prefer-A-B-C"`},
		{"meta attributes", append(group("Web", "NODE1"), ch("new_resource", "Web meta_attributes", core.Text("group", "Web"), core.Text("type", mscs.TypeGenericService),
			core.Pairs("params", map[string]string{"service": "w3svc"}))),
			`resource "Web meta_attributes" and the meta attributes of group "Web" would both have the Pacemaker id "Web-meta_attributes"`},
	} {
		changes := append(slices.Clone(base), tc.changes...)
		for _, target := range []string{PCS, CIB, PowerShell} {
			w := sim.New()
			for _, c := range changes {
				w.RecordChange(c.Op, c.Target, c.Object, c.Settings...)
			}
			err := Write(io.Discard, target, Run{Runbook: "ids.star", Final: w}, false)
			switch {
			case target == PowerShell && err != nil:
				t.Errorf("%s: powershell refused: %v", tc.name, err)
			case target != PowerShell && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("%s: %s export gave %v, want an error saying\n%s", tc.name, target, err, tc.want)
			}
		}
	}
}
