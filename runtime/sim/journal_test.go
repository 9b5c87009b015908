package sim

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/nlb"
)

// The journal is complete only if every change records its undo: a missed
// one is a silent bug. These tests drive the engines with random sequences
// of calls inside transactions and require, after each rollback, the state
// file byte for byte as before and every derived index in agreement with
// the objects; then they replay the same calls for real, on the rolled-back
// world and on a shadow world that never saw a transaction (sometimes a
// fresh load of the state file, sometimes a Clone), and require the same
// results, event for event.

// An op is one engine call with its arguments chosen; star, when set, is
// the same call written with the builtins, for a runbook that reproduces a
// failing sequence (property_test.go).
type op struct {
	name string
	do   func(w *World) error
	star string
}

func (o op) run(w *World) string {
	if err := o.do(w); err != nil {
		return err.Error()
	}
	return ""
}

// ---- choosing calls from what the world holds ----

func pick[T any](r *rand.Rand, xs []T) T {
	var zero T
	if len(xs) == 0 {
		return zero
	}
	return xs[r.IntN(len(xs))]
}

func subset(r *rand.Rand, xs []string) []string {
	var out []string
	for _, x := range xs {
		if r.IntN(2) == 0 {
			out = append(out, x)
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// names lists the names of objects.
func names[T any](list []T, name func(T) string) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = name(x)
	}
	return out
}

// where keeps the objects that keep accepts.
func where[T any](list []T, keep func(T) bool) []T {
	var out []T
	for _, x := range list {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

func serverNames(w *World) []string {
	return names(w.Servers, func(s *core.Server) string { return s.Name })
}

func exclus(w *World) *mscs.Cluster {
	c, _ := w.MSCS.Cluster("EXCLUSTER")
	return c
}

func nodeNames(w *World) []string { return exclus(w).NodeNames() }

func nodesIn(w *World, state string) []string {
	in := where(exclus(w).Nodes, func(n *mscs.Node) bool { return n.State == state })
	return names(in, func(n *mscs.Node) string { return n.Name })
}

func groupNames(w *World) []string {
	return names(exclus(w).Groups, func(g *mscs.Group) string { return g.Name })
}

func resources(w *World) []*mscs.Resource {
	var out []*mscs.Resource
	for _, g := range exclus(w).Groups {
		out = append(out, g.Resources...)
	}
	return out
}

func resourceNames(w *World) []string {
	return names(resources(w), func(r *mscs.Resource) string { return r.Name })
}

func diskLabels(w *World) []string {
	return names(w.Disks, func(d *core.Disk) string { return d.Label })
}

func farm(w *World) *nlb.Cluster { return w.NLB.Clusters[0] }

func hostNames(w *World) []string {
	return names(farm(w).Hosts, func(h *nlb.Host) string { return h.Server })
}

// gens are the calls the harness makes, each choosing its arguments from
// the world as it is. Most choices are valid, so that most calls change
// something; the rest are refusals, which must change nothing.
var gens = []struct {
	weight int
	gen    func(r *rand.Rand, w *World) op
}{
	// The clock: timers fire inside transactions.
	{8, func(r *rand.Rand, w *World) op {
		d := pick(r, []int64{500, core.Second, 3 * core.Second, 6 * core.Second, 30 * core.Second, 10 * core.Minute, 3 * core.Hour})
		return op{name: "advance", do: func(w *World) error { return w.Advance(d) }, star: star("advance(seconds = %g)", float64(d)/float64(core.Second))}
	}},
	{4, func(r *rand.Rand, w *World) op {
		return op{name: "settle", do: func(w *World) error { w.Settle(); return nil }, star: "settle()"}
	}},
	// Faults.
	{3, func(r *rand.Rand, w *World) op {
		s := pick(r, serverNames(w))
		return op{name: "fail_server", do: func(w *World) error { return w.FailServer(s) }, star: star("fail_server(get_server(%q))", s)}
	}},
	{4, func(r *rand.Rand, w *World) op {
		down := where(w.Servers, func(s *core.Server) bool { return !s.Running })
		s := pick(r, names(down, func(s *core.Server) string { return s.Name }))
		return op{name: "boot_server", do: func(w *World) error { return w.BootServer(s) }, star: star("boot_server(get_server(%q))", s)}
	}},
	{2, func(r *rand.Rand, w *World) op {
		s, a := pick(r, serverNames(w)), pick(r, []string{"Public", "Private"})
		return op{name: "fail_adapter", do: func(w *World) error { return w.FailAdapter(s, a) }, star: star("fail_adapter(get_server(%q), %q)", s, a)}
	}},
	{3, func(r *rand.Rand, w *World) op {
		var s, a string
		for _, x := range w.Servers {
			for _, ad := range x.Adapters {
				if ad.Failed {
					s, a = x.Name, ad.Name
				}
			}
		}
		return op{name: "repair_adapter", do: func(w *World) error { return w.RepairAdapter(s, a) }, star: star("repair_adapter(get_server(%q), %q)", s, a)}
	}},
	{2, func(r *rand.Rand, w *World) op {
		d := pick(r, diskLabels(w))
		return op{name: "fail_disk", do: func(w *World) error { return w.FailDisk(d) }, star: star("fail_disk(get_disk(%q))", d)}
	}},
	{3, func(r *rand.Rand, w *World) op {
		failed := where(w.Disks, func(d *core.Disk) bool { return d.Failed })
		d := pick(r, names(failed, func(d *core.Disk) string { return d.Label }))
		return op{name: "repair_disk", do: func(w *World) error { return w.RepairDisk(d) }, star: star("repair_disk(get_disk(%q))", d)}
	}},
	{1, func(r *rand.Rand, w *World) op {
		s := pick(r, serverNames(w))
		return op{name: "lose_system_disk", do: func(w *World) error { return w.LoseSystemDisk(s) }, star: star("lose_system_disk(get_server(%q))", s)}
	}},
	{2, func(r *rand.Rand, w *World) op {
		s := pick(r, serverNames(w))
		return op{name: "asr_backup", do: func(w *World) error { _, err := w.AsrBackup(s, `\\BACKUP\asr`); return err }}
	}},
	{3, func(r *rand.Rand, w *World) op {
		// The server of a backup loses its system disk, if it is running,
		// and is rebuilt from its last set.
		last := map[string]string{}
		for _, set := range w.AsrSets {
			last[set.Server] = set.ID
		}
		s := pick(r, slices.Sorted(maps.Keys(last)))
		id := last[s]
		return op{name: "asr_restore", do: func(w *World) error {
			if srv := w.LookupServer(s); srv != nil && srv.Running {
				if err := w.LoseSystemDisk(s); err != nil {
					return err
				}
			}
			return w.AsrRestore(s, id)
		}}
	}},
	// The directory, servers and disks.
	{1, func(r *rand.Rand, w *World) op {
		name := fmt.Sprintf("NEW%d", r.IntN(50))
		return op{name: "install_server", do: func(w *World) error {
			_, err := w.InstallServer(name, "enterprise", "2003", []string{"Public", "Private"})
			return err
		}}
	}},
	{2, func(r *rand.Rand, w *World) op {
		s, a := pick(r, serverNames(w)), pick(r, []string{"Public", "Private"})
		net := map[string]string{"Public": "10.0.0", "Private": "192.168.1"}[a]
		ip := fmt.Sprintf("%s.%d", net, 30+r.IntN(60))
		var extra []string
		if srv := w.LookupServer(s); srv != nil {
			if ad, err := srv.Adapter(a); err == nil {
				extra = ad.ExtraIPs
				if r.IntN(2) == 0 && ad.IP != "" {
					ip = ad.IP // same address, new role: allowed on cluster nodes and NLB hosts
				}
			}
		}
		role := pick(r, []string{"", "public", "mixed"})
		return op{name: "configure_tcpip", do: func(w *World) error {
			return w.ConfigureTCPIP(s, a, core.TCPIPSpec{IP: ip, Mask: "255.255.255.0", ExtraIPs: extra, Role: role})
		}}
	}},
	{1, func(r *rand.Rand, w *World) op {
		s := pick(r, serverNames(w))
		return op{name: "join_domain", do: func(w *World) error { return w.JoinDomain(s, "corp.example.com") }}
	}},
	{1, func(r *rand.Rand, w *World) op {
		s, c := pick(r, serverNames(w)), pick(r, core.Components)
		return op{name: "install_component", do: func(w *World) error { return w.InstallComponent(s, c) }}
	}},
	{1, func(r *rand.Rand, w *World) op {
		name := fmt.Sprintf("user%d", r.IntN(40))
		groups := subset(r, []string{core.GroupDomainAdmins, core.GroupExchangeAdmins})
		return op{name: "create_user", do: func(w *World) error {
			_, err := w.CreateUser("CORP", name, "pw", groups)
			return err
		}}
	}},
	{1, func(r *rand.Rand, w *World) op {
		u := pick(r, []string{"clussvc", "exadmin", "Administrator", fmt.Sprintf("user%d", r.IntN(40))})
		g := pick(r, []string{core.GroupDomainAdmins, core.GroupExchangeAdmins, core.GroupDomainUsers})
		return op{name: "add_to_group", do: func(w *World) error { return w.AddToGroup(`CORP\`+u, g) }}
	}},
	{1, func(r *rand.Rand, w *World) op {
		label := fmt.Sprintf("Disk%d", r.IntN(40))
		servers := subset(r, []string{"NODE1", "NODE2", "NODE3", "NODE4"})
		kind := pick(r, core.DiskKinds)
		return op{name: "create_shared_disk", do: func(w *World) error {
			_, err := w.CreateSharedDisk(core.DiskSpec{Label: label, SizeGB: 5, Servers: servers, Kind: kind, FS: "raw"})
			return err
		}}
	}},
	{1, func(r *rand.Rand, w *World) op {
		d, l := pick(r, diskLabels(w)), pick(r, []string{"U:", "V:", "W:", "X:"})
		return op{name: "format_disk", do: func(w *World) error { return w.FormatDisk(d, l, "NTFS") }}
	}},
	{1, func(r *rand.Rand, w *World) op {
		d := pick(r, diskLabels(w))
		return op{name: "convert_to_basic", do: func(w *World) error { return w.ConvertToBasic(d) }}
	}},
	// The server cluster.
	{3, func(r *rand.Rand, w *World) op {
		name, pref := fmt.Sprintf("G%d", r.IntN(30)), subset(r, nodeNames(w))
		return op{name: "new_group", do: func(w *World) error {
			_, err := w.MSCS.NewGroup("EXCLUSTER", mscs.GroupSpec{Name: name, PreferredOwners: pref})
			return err
		}}
	}},
	{6, func(r *rand.Rand, w *World) op {
		g := pick(r, groupNames(w))
		var deps []string
		var ip, netName string
		if _, grp, err := w.MSCS.GroupOf("EXCLUSTER", g); err == nil {
			for _, x := range grp.Resources {
				switch x.Type {
				case mscs.TypeIPAddress:
					ip = x.Name
				case mscs.TypeNetworkName:
					netName = x.Name
				}
			}
		}
		n := r.IntN(100)
		name := fmt.Sprintf("%s R%d", g, n)
		typ := pick(r, []string{mscs.TypeIPAddress, mscs.TypeNetworkName, mscs.TypeGenericService, mscs.TypeFileShare, mscs.TypePhysicalDisk})
		params := map[string]string{}
		switch typ {
		case mscs.TypeIPAddress:
			params["address"], params["subnet_mask"] = fmt.Sprintf("10.0.0.%d", 130+r.IntN(60)), "255.255.255.0"
		case mscs.TypeNetworkName:
			params["name"] = fmt.Sprintf("VS%d", n)
			deps = []string{ip}
		case mscs.TypeGenericService:
			params["service"] = "Svc"
			if netName != "" {
				deps = []string{netName}
			}
		case mscs.TypeFileShare:
			params["path"], params["share"] = `C:\s`, fmt.Sprintf("s%d", n)
		case mscs.TypePhysicalDisk:
			params["disk"] = pick(r, []string{"Data2", "Data3", "Scratch"})
		}
		return op{name: "new_resource", do: func(w *World) error {
			_, err := w.MSCS.NewResource("EXCLUSTER", mscs.ResourceSpec{Group: g, Name: name, Type: typ, Dependencies: deps, Params: params})
			return err
		}}
	}},
	{2, func(r *rand.Rand, w *World) op {
		// Another Exchange virtual server: its group, address, name, disk
		// and System Attendant, which creates the rest.
		n := 2 + r.IntN(5)
		g, vs := fmt.Sprintf("EVS%d Group", n), fmt.Sprintf("EVS%d", n)
		disk := pick(r, []string{"Data2", "Data3"})
		owners := []string{"NODE1", "NODE2", "NODE3"}
		return op{name: "new_evs", do: func(w *World) error {
			m := w.MSCS
			if _, err := m.NewGroup("EXCLUSTER", mscs.GroupSpec{Name: g, PreferredOwners: owners}); err != nil {
				return err
			}
			if _, err := m.NewResource("EXCLUSTER", mscs.ResourceSpec{Group: g, Name: vs + " IP", Type: mscs.TypeIPAddress, Params: map[string]string{"address": fmt.Sprintf("10.0.0.%d", 100+n), "subnet_mask": "255.255.255.0"}}); err != nil {
				return err
			}
			if _, err := m.NewResource("EXCLUSTER", mscs.ResourceSpec{Group: g, Name: vs + " Name", Type: mscs.TypeNetworkName, Dependencies: []string{vs + " IP"}, Params: map[string]string{"name": vs}}); err != nil {
				return err
			}
			if _, err := m.NewResource("EXCLUSTER", mscs.ResourceSpec{Group: g, Name: vs + " Disk", Type: mscs.TypePhysicalDisk, Params: map[string]string{"disk": disk}}); err != nil {
				return err
			}
			letter := w.LookupDisk(disk).Letter
			_, err := m.NewResource("EXCLUSTER", mscs.ResourceSpec{Group: g, Name: vs + " SA", Type: mscs.TypeSA, PossibleOwners: owners, Dependencies: []string{vs + " Name", vs + " Disk"}, Params: map[string]string{"data_directory": letter + `\Exchsrvr`}})
			return err
		}}
	}},
	{2, func(r *rand.Rand, w *World) op {
		res := pick(r, resourceNames(w))
		return op{name: "delete_resource", do: func(w *World) error { return w.MSCS.DeleteResource("EXCLUSTER", res) }, star: star("delete_resource(get_resource(EX, %q))", res)}
	}},
	{1, func(r *rand.Rand, w *World) op {
		empty := where(exclus(w).Groups, func(g *mscs.Group) bool { return len(g.Resources) == 0 })
		g := pick(r, append(names(empty, func(g *mscs.Group) string { return g.Name }), pick(r, groupNames(w))))
		return op{name: "delete_group", do: func(w *World) error { return w.MSCS.DeleteGroup("EXCLUSTER", g) }, star: star("delete_group(get_group(EX, %q))", g)}
	}},
	{10, func(r *rand.Rand, w *World) op {
		// A group or a resource, brought online (more often) or taken offline.
		isGroup := r.IntN(2) == 0
		name := pick(r, groupNames(w))
		if !isGroup {
			name = pick(r, resourceNames(w))
		}
		if r.IntN(5) < 3 {
			return op{name: "bring_online", do: func(w *World) error { return w.MSCS.BringOnline("EXCLUSTER", name, isGroup) }, star: star("bring_online(%s(EX, %q))", getter(isGroup), name)}
		}
		return op{name: "take_offline", do: func(w *World) error { return w.MSCS.TakeOffline("EXCLUSTER", name, isGroup) }, star: star("take_offline(%s(EX, %q))", getter(isGroup), name)}
	}},
	{5, func(r *rand.Rand, w *World) op {
		g, n := pick(r, groupNames(w)), pick(r, append(nodeNames(w), ""))
		return op{name: "move_group", do: func(w *World) error { return w.MSCS.MoveGroup("EXCLUSTER", g, n) }, star: star("move_group(get_group(EX, %q), %s)", g, nodeOrNone(n))}
	}},
	{4, func(r *rand.Rand, w *World) op {
		online := where(resources(w), func(x *mscs.Resource) bool { return x.State == mscs.Online })
		res := pick(r, names(online, func(x *mscs.Resource) string { return x.Name }))
		return op{name: "fail_resource", do: func(w *World) error { return w.MSCS.FailResource("EXCLUSTER", res) }, star: star("fail_resource(get_resource(EX, %q))", res)}
	}},
	{7, func(r *rand.Rand, w *World) op {
		verb := pick(r, []struct {
			name  string
			nodes []string // the nodes it applies to
			f     func(e *mscs.Engine, cluster, node string) error
		}{
			{"pause_node", nodeNames(w), (*mscs.Engine).PauseNode},
			{"resume_node", nodesIn(w, mscs.NodePaused), (*mscs.Engine).ResumeNode},
			{"stop_cluster_service", nodeNames(w), (*mscs.Engine).StopClusterService},
			{"start_cluster_service", nodesIn(w, mscs.NodeDown), (*mscs.Engine).StartClusterService},
		})
		n := pick(r, verb.nodes)
		return op{name: verb.name, do: func(w *World) error { return verb.f(w.MSCS, "EXCLUSTER", n) }, star: star("%s(get_node(EX, %q))", verb.name, n)}
	}},
	{2, func(r *rand.Rand, w *World) op {
		res, nodes := pick(r, resourceNames(w)), subset(r, nodeNames(w))
		return op{name: "set_possible_owners", do: func(w *World) error { return w.MSCS.SetPossibleOwners("EXCLUSTER", res, nodes) }, star: star("set_possible_owners(get_resource(EX, %q), %s)", res, nodeList(nodes))}
	}},
	{2, func(r *rand.Rand, w *World) op {
		g, nodes := pick(r, groupNames(w)), subset(r, nodeNames(w))
		return op{name: "set_preferred_owners", do: func(w *World) error { return w.MSCS.SetPreferredOwners("EXCLUSTER", g, nodes) }, star: star("set_preferred_owners(get_group(EX, %q), %s)", g, nodeList(nodes))}
	}},
	{2, func(r *rand.Rand, w *World) op {
		var res string
		var params map[string]string
		offline := where(resources(w), func(x *mscs.Resource) bool { return x.State == mscs.Offline || x.State == mscs.Failed })
		if x := pick(r, offline); x != nil {
			res = x.Name
			switch x.Type {
			case mscs.TypeIPAddress:
				params = map[string]string{"address": fmt.Sprintf("10.0.0.%d", 130+r.IntN(60))}
			case mscs.TypeNetworkName:
				params = map[string]string{"name": fmt.Sprintf("VS%d", r.IntN(100))}
			case mscs.TypeGenericService:
				params = map[string]string{"service": fmt.Sprintf("Svc%d", r.IntN(5))}
			default:
				params = map[string]string{"share": "x"}
			}
		}
		return op{name: "set_params", do: func(w *World) error { return w.MSCS.SetParams("EXCLUSTER", res, params) }}
	}},
	{3, func(r *rand.Rand, w *World) op {
		// On 2003 dependencies change only while the resource does not run:
		// prefer the resources that are not Online, as an administrator would.
		var idle []*mscs.Resource
		for _, y := range resources(w) {
			if y.State != mscs.Online {
				idle = append(idle, y)
			}
		}
		x := pick(r, resources(w))
		if len(idle) > 0 && r.IntN(4) > 0 {
			x = pick(r, idle)
		}
		var res, other, dep string
		var set []string
		if x != nil {
			res = x.Name
			var sameGroup []string
			for _, y := range x.Group().Resources {
				if y != x {
					sameGroup = append(sameGroup, y.Name)
				}
			}
			other, set, dep = pick(r, sameGroup), subset(r, sameGroup), pick(r, x.Dependencies)
		}
		switch r.IntN(3) {
		case 0:
			return op{name: "add_dependency", do: func(w *World) error { return w.MSCS.AddDependency("EXCLUSTER", res, other) }}
		case 1:
			return op{name: "remove_dependency", do: func(w *World) error { return w.MSCS.RemoveDependency("EXCLUSTER", res, dep) }}
		}
		return op{name: "set_dependencies", do: func(w *World) error { return w.MSCS.SetDependencies("EXCLUSTER", res, set) }}
	}},
	{2, func(r *rand.Rand, w *World) op {
		g := pick(r, groupNames(w))
		threshold, period := r.IntN(4), 1+r.IntN(6)
		failback := pick(r, []string{mscs.FailbackPrevent, mscs.FailbackImmediate, mscs.FailbackWindow})
		var window []int
		if failback == mscs.FailbackWindow {
			window = []int{r.IntN(24), r.IntN(24)}
		}
		return op{name: "set_failover_policy", do: func(w *World) error {
			return w.MSCS.SetFailoverPolicy("EXCLUSTER", g, mscs.FailoverPolicy{Threshold: threshold, Period: period, Failback: failback, Window: window})
		}}
	}},
	{2, func(r *rand.Rand, w *World) op {
		res := pick(r, resourceNames(w))
		restart, threshold, affect := r.IntN(4) > 0, r.IntN(3), r.IntN(2) == 0
		return op{name: "set_restart_policy", do: func(w *World) error {
			return w.MSCS.SetRestartPolicy("EXCLUSTER", res, mscs.RestartPolicy{Restart: restart, Threshold: threshold, Period: 60, AffectGroup: affect})
		}}
	}},
	{1, func(r *rand.Rand, w *World) op {
		s := pick(r, []string{"SPARE1", "SPARE2", "NODE4"})
		return op{name: "add_node", do: func(w *World) error { _, err := w.MSCS.AddNode("EXCLUSTER", s, "pw", true); return err }, star: star("add_node(EX, get_server(%q), password = \"pw\")", s)}
	}},
	{1, func(r *rand.Rand, w *World) op {
		n := pick(r, nodeNames(w))
		return op{name: "evict_node", do: func(w *World) error { return w.MSCS.EvictNode("EXCLUSTER", n) }, star: star("evict_node(get_node(EX, %q))", n)}
	}},
	{1, func(r *rand.Rand, w *World) op {
		s := pick(r, []string{"NODE4", "SPARE1", "SPARE2"})
		return op{name: "install_exchange", do: func(w *World) error {
			for _, c := range core.Components {
				if err := w.InstallComponent(s, c); err != nil {
					return err
				}
			}
			return w.MSCS.InstallExchange(mscs.ExchangeSpec{Server: s, Account: `CORP\exadmin`, Edition: "enterprise", Components: mscs.ExchangeComponents, Drive: "C:"})
		}}
	}},
	// Network Load Balancing.
	{6, func(r *rand.Rand, w *World) op {
		h := pick(r, hostNames(w))
		verbs := []struct {
			name string
			f    func(e *nlb.Engine, c, h string) error
		}{
			{"nlb_start", (*nlb.Engine).Start}, {"nlb_stop", (*nlb.Engine).Stop}, {"nlb_drainstop", (*nlb.Engine).DrainStop},
			{"nlb_suspend", (*nlb.Engine).Suspend}, {"nlb_resume", (*nlb.Engine).Resume}, {"nlb_start", (*nlb.Engine).Start},
		}
		v := pick(r, verbs)
		return op{name: v.name, do: func(w *World) error { return v.f(w.NLB, "owa.corp.example.com", h) }, star: star("%s(nlb_host(get_nlb(\"owa.corp.example.com\"), %q))", v.name, h)}
	}},
	{2, func(r *rand.Rand, w *World) op {
		start := pick(r, []int{25, 110, 8080, 8443, 3389})
		spec := nlb.PortRuleSpec{ClusterIP: pick(r, []string{"all", "10.0.0.200"}), Start: start, End: start + r.IntN(3),
			Protocol: pick(r, nlb.Protocols), Filtering: pick(r, nlb.Filterings), Affinity: pick(r, nlb.Affinities)}
		if spec.Filtering == "multiple" && r.IntN(2) == 0 {
			spec.LoadWeights = []nlb.HostValue{{Host: pick(r, hostNames(w)), Value: r.IntN(100)}}
		}
		if spec.Filtering == "single" && r.IntN(2) == 0 {
			spec.HandlingPriorities = []nlb.HostValue{{Host: pick(r, hostNames(w)), Value: 1 + r.IntN(3)}}
		}
		return op{name: "nlb_port_rule", do: func(w *World) error {
			_, err := w.NLB.AddPortRule("owa.corp.example.com", spec)
			return err
		}}
	}},
	{1, func(r *rand.Rand, w *World) op {
		var port int
		if x := pick(r, farm(w).Rules); x != nil {
			port = x.Start
		}
		return op{name: "nlb_remove_port_rule", do: func(w *World) error { return w.NLB.RemovePortRule("owa.corp.example.com", nlb.RuleRef{Port: port}) }}
	}},
	{3, func(r *rand.Rand, w *World) op {
		h := pick(r, hostNames(w))
		var port int
		if x := pick(r, farm(w).Rules); x != nil {
			port = x.Start
		}
		state := pick(r, []string{nlb.RuleEnabled, nlb.RuleDisabled, nlb.RuleDraining})
		return op{name: "nlb_rule_state", do: func(w *World) error {
			return w.NLB.SetRuleState("owa.corp.example.com", h, nlb.RuleRef{Port: port}, state)
		}}
	}},
	{6, func(r *rand.Rand, w *World) op {
		p := nlb.Packet{Client: fmt.Sprintf("172.16.%d.%d", r.IntN(4), 1+r.IntN(250)), AnyPort: true,
			Port: pick(r, []int{80, 443, 25}), Protocol: pick(r, []string{"tcp", "tcp", "udp"})}
		return op{name: "nlb_connect", do: func(w *World) error { _, _, err := w.NLB.Connect("owa.corp.example.com", p); return err }}
	}},
	{3, func(r *rand.Rand, w *World) op {
		id := 0
		if k := pick(r, farm(w).Connections); k != nil {
			id = k.ID
		}
		return op{name: "nlb_close", do: func(w *World) error { return w.NLB.Close("owa.corp.example.com", id) }}
	}},
	{1, func(r *rand.Rand, w *World) op {
		// A new web server joins the farm.
		n := 4 + r.IntN(8)
		name, ip := fmt.Sprintf("WEB%d", n), fmt.Sprintf("10.0.0.%d", 20+n)
		initial := pick(r, nlb.InitialStates)
		return op{name: "nlb_add_host", do: func(w *World) error {
			if w.LookupServer(name) == nil {
				if _, err := w.InstallServer(name, "standard", "2003", []string{"Public", "Private"}); err != nil {
					return err
				}
				if err := w.ConfigureTCPIP(name, "Public", core.TCPIPSpec{IP: ip, Mask: "255.255.255.0", ExtraIPs: []string{"10.0.0.200"}}); err != nil {
					return err
				}
			}
			_, err := w.NLB.AddHost("owa.corp.example.com", nlb.HostSpec{Server: name, Adapter: "Public", Priority: n, DedicatedIP: ip, Mask: "255.255.255.0", InitialState: initial})
			return err
		}}
	}},
	{1, func(r *rand.Rand, w *World) op {
		n := r.IntN(10)
		mode := pick(r, nlb.Modes)
		return op{name: "nlb_create_cluster", do: func(w *World) error {
			_, err := w.NLB.CreateCluster(nlb.ClusterSpec{IP: fmt.Sprintf("10.0.0.%d", 230+n), Mask: "255.255.255.0", Name: fmt.Sprintf("farm%d.corp.example.com", n), Mode: mode})
			return err
		}}
	}},
	{1, func(r *rand.Rand, w *World) op {
		// A second server cluster, on servers of its own: a majority node
		// set of two nodes with a group.
		n := r.IntN(10)
		name := fmt.Sprintf("C%d", n)
		return op{name: "create_cluster", do: func(w *World) error {
			var nodes []string
			for i := 1; i <= 2; i++ {
				s := fmt.Sprintf("C%dN%d", n, i)
				nodes = append(nodes, s)
				if w.LookupServer(s) != nil {
					continue
				}
				if _, err := w.InstallServer(s, "enterprise", "2003", []string{"Public", "Private"}); err != nil {
					return err
				}
				if err := w.ConfigureTCPIP(s, "Public", core.TCPIPSpec{IP: fmt.Sprintf("10.1.%d.%d", n, 10+i), Mask: "255.255.255.0"}); err != nil {
					return err
				}
				if err := w.ConfigureTCPIP(s, "Private", core.TCPIPSpec{IP: fmt.Sprintf("192.168.%d.%d", 10+n, 10+i), Mask: "255.255.255.0"}); err != nil {
					return err
				}
				if err := w.JoinDomain(s, "CORP"); err != nil {
					return err
				}
			}
			if _, err := w.MSCS.CreateCluster(mscs.ClusterSpec{Name: name, Domain: "corp.example.com", Node: nodes[0], IP: fmt.Sprintf("10.1.%d.100", n), Account: `CORP\clussvc`, Mask: "255.255.255.0", Quorum: "majority"}); err != nil {
				return err
			}
			if _, err := w.MSCS.AddNode(name, nodes[1], "pw", true); err != nil {
				return err
			}
			if _, err := w.MSCS.NewGroup(name, mscs.GroupSpec{Name: "App"}); err != nil {
				return err
			}
			if _, err := w.MSCS.NewResource(name, mscs.ResourceSpec{Group: "App", Name: name + " App IP", Type: mscs.TypeIPAddress, Params: map[string]string{"address": fmt.Sprintf("10.1.%d.101", n), "subnet_mask": "255.255.255.0"}}); err != nil {
				return err
			}
			return w.MSCS.BringOnline(name, "App", true)
		}}
	}},
	{1, func(r *rand.Rand, w *World) op {
		seed := r.Int64N(1000)
		return op{name: "nlb_load", do: func(w *World) error {
			_, err := w.NLB.Load("owa.corp.example.com", nlb.LoadSpec{Clients: 200, Port: 80, Protocol: "tcp", Seed: seed})
			return err
		}}
	}},
}

func randomOp(r *rand.Rand, w *World) op {
	total := 0
	for _, g := range gens {
		total += g.weight
	}
	n := r.IntN(total)
	for _, g := range gens {
		if n < g.weight {
			return g.gen(r, w)
		}
		n -= g.weight
	}
	panic("unreachable")
}

// ---- the harness ----

type harness struct {
	t        *testing.T
	r        *rand.Rand
	w        *World
	shadow   *World // never in a transaction
	last     []byte // w's state file as the last step left it
	lastAddr string // and its address index
	ok, runs map[string]int
	nested   int
}

func (h *harness) save(w *World) []byte {
	h.t.Helper()
	b, err := w.Save()
	if err != nil {
		h.t.Fatal(err)
	}
	return b
}

// rolledBack requires w to be exactly as saved in before: its state file,
// its address index in the same order (which use of an address a message
// names depends on it), and its indexes in agreement with its objects.
func (h *harness) rolledBack(what string, before []byte, addrs string, ops []string) {
	h.t.Helper()
	if after := h.save(h.w); !bytes.Equal(before, after) {
		h.t.Fatalf("%s after %s: the world differs from before the transaction\n%s", what, strings.Join(ops, ", "), core.FirstDifference(before, after))
	}
	if after := addressIndex(h.w); after != addrs {
		h.t.Fatalf("%s after %s: the address index differs from before the transaction\n%s", what, strings.Join(ops, ", "), core.FirstDifference([]byte(addrs), []byte(after)))
	}
	if err := h.w.CheckIndexes(); err != nil {
		h.t.Fatalf("%s after %s: %v", what, strings.Join(ops, ", "), err)
	}
}

// addressIndex renders the uses of every address the harness's calls can
// touch, in index order.
func addressIndex(w *World) string {
	var b strings.Builder
	for _, net := range []string{"10.0.0", "10.1.0", "10.1.1", "10.1.2", "10.1.3", "10.1.4", "10.1.5", "10.1.6", "10.1.7", "10.1.8", "10.1.9", "192.168.1", "192.168.2"} {
		for i := range 256 {
			ip := fmt.Sprintf("%s.%d", net, i)
			if uses := w.AddressUses(ip); len(uses) > 0 {
				fmt.Fprintf(&b, "%s %v\n", ip, uses)
			}
		}
	}
	return b.String()
}

// step tries a few calls in a transaction, some of them in transactions
// nested inside it, and rolls it back; then it makes the calls that were
// kept for real on the world and on the shadow.
func (h *harness) step() {
	before, addrs := h.last, h.lastAddr
	outer := h.w.Begin()
	type level struct {
		mark  int
		saved []byte
		addrs string
		from  int // index in kept of its first call
	}
	var open []level
	var kept []op
	var results []string
	n := 1 + h.r.IntN(5)
	for range n {
		if len(open) < 3 && h.r.IntN(6) == 0 {
			open = append(open, level{h.w.Begin(), h.save(h.w), addressIndex(h.w), len(kept)})
			h.nested++
		}
		o := randomOp(h.r, h.w)
		res := o.run(h.w)
		h.runs[o.name]++
		if res == "" {
			h.ok[o.name]++
		}
		kept, results = append(kept, o), append(results, res)
		if len(open) > 0 && h.r.IntN(3) == 0 {
			l := open[len(open)-1]
			open = open[:len(open)-1]
			if h.r.IntN(2) == 0 {
				h.w.Commit(l.mark)
			} else {
				h.w.Rollback(l.mark)
				h.rolledBack("a nested rollback", l.saved, l.addrs, opNames(kept[l.from:]))
				kept, results = kept[:l.from], results[:l.from]
			}
		}
	}
	for i := len(open) - 1; i >= 0; i-- {
		h.w.Commit(open[i].mark)
	}
	inside := h.save(h.w)
	h.w.Rollback(outer)
	h.rolledBack("a rollback", before, addrs, opNames(kept))

	// The same calls again, for real: on the rolled-back world (in a
	// committed transaction or not), they must do exactly what they did
	// inside the transaction; on the shadow, the same.
	var mark []int
	for range h.r.IntN(3) {
		mark = append(mark, h.w.Begin())
	}
	for i, o := range kept {
		if got := o.run(h.w); got != results[i] {
			h.t.Fatalf("after a rollback, %s (call %d of %s) gave %q; in the transaction it gave %q", o.name, i+1, strings.Join(opNames(kept), ", "), got, results[i])
		}
		if got := o.run(h.shadow); got != results[i] {
			h.t.Fatalf("on the shadow world, %s (call %d of %s) gave %q; in the transaction it gave %q", o.name, i+1, strings.Join(opNames(kept), ", "), got, results[i])
		}
	}
	for i := len(mark) - 1; i >= 0; i-- {
		h.w.Commit(mark[i])
	}
	after := h.save(h.w)
	if !bytes.Equal(after, inside) {
		h.t.Fatalf("%s made for real after a rollback left another world than inside the transaction\n%s", strings.Join(opNames(kept), ", "), core.FirstDifference(inside, after))
	}
	if s := h.save(h.shadow); !bytes.Equal(after, s) {
		h.t.Fatalf("%s: the world and its shadow differ\n%s", strings.Join(opNames(kept), ", "), core.FirstDifference(s, after))
	}
	h.last, h.lastAddr = after, addressIndex(h.w)
}

func opNames(ops []op) []string { return names(ops, func(o op) string { return o.name }) }

// TestTransactionsRollBackEverything is the harness: 20 episodes of 40
// steps, each step one to five random calls, about 2,500 calls in all.
func TestTransactionsRollBackEverything(t *testing.T) {
	base := txLab(t)
	h := &harness{t: t, ok: map[string]int{}, runs: map[string]int{}}
	calls := 0
	for episode := range 20 {
		h.r = rand.New(rand.NewPCG(uint64(episode), 2004))
		h.w = base.Clone()
		h.last, h.lastAddr = h.save(h.w), addressIndex(h.w)
		if episode%2 == 0 {
			h.shadow = base.Clone()
		} else {
			s, err := Load(h.save(base))
			if err != nil {
				t.Fatal(err)
			}
			h.shadow = s
		}
		for s := range 40 {
			h.step()
			if s%10 == 9 {
				// The shadow starts again from the world as it is: a fresh
				// load of its state file, or a copy.
				if s%20 == 9 {
					h.shadow = h.w.Clone()
				} else if sh, err := Load(h.save(h.w)); err != nil {
					t.Fatal(err)
				} else {
					h.shadow = sh
				}
			}
		}
		if err := h.shadow.CheckIndexes(); err != nil {
			t.Fatalf("episode %d: the shadow: %v", episode, err)
		}
	}
	var lines []string
	for _, name := range slices.Sorted(maps.Keys(h.runs)) {
		calls += h.runs[name]
		lines = append(lines, fmt.Sprintf("%s %d/%d", name, h.ok[name], h.runs[name]))
	}
	t.Logf("%d calls in transactions (%d nested transactions); succeeded/made: %s", calls, h.nested, strings.Join(lines, ", "))
	// Every kind of call must have changed the world at least once, or the
	// harness is not testing what it claims to.
	for _, name := range slices.Sorted(maps.Keys(h.runs)) {
		if h.ok[name] == 0 {
			t.Errorf("%s never succeeded in %d tries; the harness does not reach it", name, h.runs[name])
		}
	}
	if calls < 2000 || h.nested < 100 {
		t.Errorf("only %d calls and %d nested transactions", calls, h.nested)
	}
}

// Lists that the engine changes in place (sorted, or filtered by a sliding
// window) must be copied when a transaction saves their owner: a saved
// header over the same array would see the change. Random calls reach
// these cases rarely, so each is set up here on purpose.
func TestRollbackOfListsChangedInPlace(t *testing.T) {
	ok := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	m := func(w *World) *mscs.Engine { return w.MSCS }
	for _, tc := range []struct {
		name  string
		setup func(w *World)
		tx    func(w *World)
	}{
		{"components, sorted after an append",
			func(w *World) {
				for _, c := range []string{"IIS", "WWW", "SMTP"} { // three in an array of four
					ok(w.InstallComponent("NODE4", c))
				}
			},
			func(w *World) { ok(w.InstallComponent("NODE4", ".NET Framework")) }},
		{"restart times, filtered by the restart period",
			func(w *World) {
				ok(m(w).SetRestartPolicy("EXCLUSTER", "Web Service", mscs.RestartPolicy{Restart: true, Threshold: 3, Period: 60}))
				for range 2 {
					ok(m(w).FailResource("EXCLUSTER", "Web Service"))
					ok(w.Advance(30 * core.Second)) // restarted after a second
				}
				ok(w.Advance(45 * core.Second)) // the first restart leaves the window
			},
			func(w *World) {
				ok(m(w).FailResource("EXCLUSTER", "Web Service"))
				w.Settle()
			}},
		{"failover times, filtered by the failover period",
			func(w *World) {
				ok(m(w).SetFailoverPolicy("EXCLUSTER", "Web", mscs.FailoverPolicy{Threshold: 10, Period: 1, Failback: mscs.FailbackPrevent}))
				ok(m(w).SetRestartPolicy("EXCLUSTER", "Web Service", mscs.RestartPolicy{Restart: true, Period: 60, AffectGroup: true})) // every failure fails the group over
				ok(m(w).FailResource("EXCLUSTER", "Web Service"))
				ok(w.Advance(40 * core.Minute))
				ok(m(w).FailResource("EXCLUSTER", "Web Service"))
				ok(w.Advance(30 * core.Minute)) // the first failover leaves the window
			},
			func(w *World) {
				ok(m(w).FailResource("EXCLUSTER", "Web Service"))
				w.Settle()
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := txLab(t)
			tc.setup(w)
			before, err := w.Save()
			ok(err)
			mark := w.Begin()
			tc.tx(w)
			inside, err := w.Save()
			ok(err)
			if bytes.Equal(before, inside) {
				t.Fatal("the transaction changed nothing")
			}
			w.Rollback(mark)
			if after, _ := w.Save(); !bytes.Equal(before, after) {
				t.Errorf("the rollback did not restore the list\n%s", core.FirstDifference(before, after))
			}
		})
	}
}
