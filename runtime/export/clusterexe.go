package export

import (
	"fmt"
	"strconv"
	"strings"

	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
)

// cluster.exe: the command line of Windows Server 2003 to 2012 R2, as a
// batch file (cmd.exe quoting: names in double quotes, % doubled). No
// command of Windows Server 2003 creates an NLB cluster, host or rule (NLB
// Manager does), so those are a commented checklist; the control commands
// are nlb.exe. Windows Server 2016 removed cluster.exe.

// The defaults of Windows Server 2003, against which a new group or
// resource writes what it sets.
var (
	cmdGroupDefault   = policy{threshold: 10, period: 6, failback: mscs.FailbackPrevent, windowStart: -1, windowEnd: -1}
	cmdRestartDefault = restart{restart: true, affectGroup: true, threshold: 3, period: 900, retryPeriod: 3600}
)

type clusterExe struct{}

func (clusterExe) check(final *model, clusters []string) error {
	for _, name := range clusters {
		c := final.cluster(name)
		if c == nil {
			continue
		}
		if v, err := strconv.Atoi(c.version); err == nil && v >= 2016 {
			return core.Errf(core.ErrInvalid, "cluster %s runs %s, which has no cluster.exe (removed in Windows Server 2016); export it with --to powershell", c.name, core.VersionName(c.version))
		}
	}
	return nil
}

func (clusterExe) start(x *script, run Run, base, final *model) {
	x.open = "rem "
	x.escape = func(s string) string { return strings.ReplaceAll(s, "%", "%%") } // a batch file expands %...% even in rem
	x.line("@echo off")
	x.header(run, ClusterExe)
	if len(final.clusters) > 0 {
		x.comment("Set CLUSTER_PASSWORD to the Cluster service account's password first: set CLUSTER_PASSWORD=...")
	}
	if len(final.nlbs) > 0 {
		x.comment("nlb.exe control commands reach a host remotely only with remote control enabled in NLB Manager;\n" +
			"set NLB_PASSWORD to the remote control password, or run them on the host with /local.")
	}
}

func (clusterExe) applied(*script, core.Change, *model, touch) {}
func (clusterExe) end(*script, *model)                         {}

func (c clusterExe) change(x *script, ch core.Change, m *model) {
	f, ok := cmdOps[ch.Op]
	if !ok {
		x.notExported(ch, "")
		return
	}
	f(x, ch, m)
}

// cmdLine writes one command line from its words, already quoted.
func cmdLine(x *script, words ...string) {
	x.line("%s", strings.Join(words, " "))
}

// q quotes one argument. A double quote, which no cmd.exe argument can
// carry, is dropped: the operations that take free text check it first
// with cmdQuotable; names are NetBIOS or cluster names, which have none.
func q(s string) string {
	v, ok := cmdQuote(s)
	if !ok {
		return `"` + strings.ReplaceAll(s, `"`, "") + `"`
	}
	return v
}

// cmdQuotable reports whether every name of the change can be written on
// a cmd.exe command line; else it writes the change as not exported.
func cmdQuotable(x *script, ch core.Change) bool {
	names := []string{ch.Target, ch.Object}
	for _, s := range ch.Settings {
		names = append(names, s.Text)
		names = append(names, s.List...)
		for _, p := range s.Pairs {
			names = append(names, p.Key, p.Value)
		}
	}
	for _, n := range names {
		if _, ok := cmdQuote(n); !ok {
			x.notExported(ch, "a name or value holds a double quote, which a cmd.exe argument cannot carry")
			return false
		}
	}
	return true
}

func cl(ch core.Change) string { return "cluster /cluster:" + q(ch.Target) }

var cmdOps = map[string]func(x *script, ch core.Change, m *model){
	"install_exchange": func(x *script, ch core.Change, m *model) {
		x.comment(fmt.Sprintf("On %s: run Exchange Server 2003 Setup (%s Edition; components %s; drive %s).",
			ch.Object, psTitle(ch.Text("edition")), strings.Join(ch.List("components"), ", "), ch.Text("drive")))
	},
	"create_cluster": func(x *script, ch core.Change, m *model) {
		if !cmdQuotable(x, ch) {
			return
		}
		cmdLine(x, cl(ch), "/create", "/ipaddress:"+q(ch.Text("ip")+","+ch.Text("mask")+","+ch.Text("network")),
			"/user:"+q(ch.Text("account")), "/password:%CLUSTER_PASSWORD%", "/node:"+q(ch.Text("node")), "/minimum", "/unattended")
		switch ch.Text("quorum") {
		case mscs.QuorumDisk:
			r := ch.Text("quorum_resource")
			d := m.disks[core.Key(ch.Text("quorum_disk"))]
			cmdDisk(x, ch, r, "Cluster Group", d)
			cmdLine(x, cl(ch), "resource", q(r), "/online")
			cmdLine(x, cl(ch), "/quorumresource:"+q(r), "/path:"+q(d.letter+`\MSCS\`))
		case mscs.QuorumMajority:
			cmdLine(x, cl(ch), "resource", q("Majority Node Set"), "/create", "/group:"+q("Cluster Group"), "/type:"+q(mscs.TypeMajorityNodeSet))
			cmdLine(x, cl(ch), "resource", q("Majority Node Set"), "/online")
			cmdLine(x, cl(ch), "/quorumresource:"+q("Majority Node Set"))
		case mscs.QuorumLocal:
			x.comment("A minimum configuration with no shared disk keeps the local quorum.")
		case mscs.QuorumNodeMajority:
			cmdLine(x, cl(ch), "/quorum", "/nodemajority")
		case mscs.QuorumNodeAndDisk:
			r := ch.Text("quorum_resource")
			cmdDisk(x, ch, r, "Cluster Group", m.disks[core.Key(ch.Text("quorum_disk"))])
			cmdLine(x, cl(ch), "resource", q(r), "/online")
			cmdLine(x, cl(ch), "/quorum:"+q(r))
		}
		cmdGroupPolicy(x, ch, "Cluster Group", policyOf(ch), defaultPolicy(ch.Text("version")), true)
	},
	"add_node": func(x *script, ch core.Change, m *model) {
		cmdLine(x, cl(ch), "/add:"+q(ch.Object), "/password:%CLUSTER_PASSWORD%", "/minimum", "/unattended")
		if pinned := ch.List("pinned"); len(pinned) > 0 {
			x.comment(ch.Object + " does not see the disks of " + strings.Join(pinned, ", ") + ", so it is not their possible owner.")
		}
	},
	"evict_node": func(x *script, ch core.Change, m *model) {
		cmdLine(x, cl(ch), "node", q(ch.Object), "/evict")
	},
	"new_group": func(x *script, ch core.Change, m *model) {
		if !cmdQuotable(x, ch) {
			return
		}
		g := q(ch.Object)
		cmdLine(x, cl(ch), "group", g, "/create")
		if d := ch.Text("description"); d != "" {
			cmdLine(x, cl(ch), "group", g, "/prop", "Description="+q(d))
		}
		if owners := ch.List("preferred_owners"); len(owners) > 0 {
			cmdLine(x, cl(ch), "group", g, "/setowners:"+q(strings.Join(owners, ",")))
		}
		cmdGroupPolicy(x, ch, ch.Object, policyOf(ch), defaultPolicy(m.cluster(ch.Target).version), true)
	},
	"new_resource": func(x *script, ch core.Change, m *model) {
		if !cmdQuotable(x, ch) {
			return
		}
		name, typ, group := ch.Object, ch.Text("type"), ch.Text("group")
		if typ == mscs.TypeSA {
			var b strings.Builder
			fmt.Fprintf(&b, "Exchange System Attendant %q: create it in Cluster Administrator (File, New, Resource) in group %q,\n", name, group)
			fmt.Fprintf(&b, "depending on %s; the wizard asks for", strings.Join(ch.List("dependencies"), ", "))
			for _, p := range ch.Pairs("params") {
				fmt.Fprintf(&b, " %s=%s;", p.Key, p.Value)
			}
			b.WriteString("\nit creates the other Exchange resources of the virtual server:")
			for _, p := range ch.Pairs("creates") {
				fmt.Fprintf(&b, "\n  %s (%s)", p.Key, p.Value)
			}
			x.comment(b.String())
			return
		}
		r := q(name)
		if typ == mscs.TypePhysicalDisk {
			cmdDisk(x, ch, name, group, m.disks[core.Key(pairMap(ch.Pairs("params"))["disk"])])
		} else {
			cmdLine(x, cl(ch), "resource", r, "/create", "/group:"+q(group), "/type:"+q(typ))
			cmdParams(x, ch, name, typ, ch.Pairs("params"))
		}
		if d := ch.Text("description"); d != "" {
			cmdLine(x, cl(ch), "resource", r, "/prop", "Description="+q(d))
		}
		if ch.Has("possible_owners") {
			cmdOwners(x, ch, m.cluster(ch.Target).nodes, ch.List("possible_owners"))
		}
		for _, d := range ch.List("dependencies") {
			cmdLine(x, cl(ch), "resource", r, "/adddep:"+q(d))
		}
		cmdRestartPolicy(x, ch, name, restartOf(ch), defaultRestart(m.cluster(ch.Target).version), true)
	},
	"set_dependencies": func(x *script, ch core.Change, m *model) {
		_, r := m.cluster(ch.Target).resource(ch.Object)
		now := ch.List("dependencies")
		for _, d := range r.deps {
			if !core.ContainsFold(now, d) {
				cmdLine(x, cl(ch), "resource", q(ch.Object), "/removedep:"+q(d))
			}
		}
		for _, d := range now {
			if !core.ContainsFold(r.deps, d) {
				cmdLine(x, cl(ch), "resource", q(ch.Object), "/adddep:"+q(d))
			}
		}
	},
	"add_dependency": func(x *script, ch core.Change, m *model) {
		cmdLine(x, cl(ch), "resource", q(ch.Object), "/adddep:"+q(ch.Text("provider")))
	},
	"remove_dependency": func(x *script, ch core.Change, m *model) {
		cmdLine(x, cl(ch), "resource", q(ch.Object), "/removedep:"+q(ch.Text("provider")))
	},
	"set_possible_owners": func(x *script, ch core.Change, m *model) {
		c := m.cluster(ch.Target)
		_, r := c.resource(ch.Object)
		cmdOwners(x, ch, c.owners(r), ch.List("possible_owners"))
	},
	"set_preferred_owners": func(x *script, ch core.Change, m *model) {
		cmdLine(x, cl(ch), "group", q(ch.Object), "/setowners:"+q(strings.Join(ch.List("preferred_owners"), ",")))
	},
	"set_params": func(x *script, ch core.Change, m *model) {
		if !cmdQuotable(x, ch) {
			return
		}
		_, r := m.cluster(ch.Target).resource(ch.Object)
		if r.typ == mscs.TypePhysicalDisk {
			d := m.disks[core.Key(pairMap(ch.Pairs("params"))["disk"])]
			cmdSignature(x, ch, ch.Object, d)
			return
		}
		cmdParams(x, ch, ch.Object, r.typ, ch.Pairs("params"))
	},
	"delete_resource": func(x *script, ch core.Change, m *model) {
		cmdLine(x, cl(ch), "resource", q(ch.Object), "/delete")
		if with := ch.List("with"); len(with) > 0 {
			x.comment("Deleting the System Attendant deletes " + strings.Join(with, ", ") + " with it.")
		}
	},
	"delete_group": func(x *script, ch core.Change, m *model) {
		cmdLine(x, cl(ch), "group", q(ch.Object), "/delete")
	},
	"failover_policy": func(x *script, ch core.Change, m *model) {
		cmdGroupPolicy(x, ch, ch.Object, policyOf(ch), policy{}, false)
	},
	"restart_policy": func(x *script, ch core.Change, m *model) {
		cmdRestartPolicy(x, ch, ch.Object, restartOf(ch), restart{}, false)
	},
	"bring_online": func(x *script, ch core.Change, m *model) {
		cmdLine(x, cl(ch), cmdKind(ch), q(ch.Object), "/online")
	},
	"take_offline": func(x *script, ch core.Change, m *model) {
		cmdLine(x, cl(ch), cmdKind(ch), q(ch.Object), "/offline")
	},
	"move_group": func(x *script, ch core.Change, m *model) {
		if n := ch.Text("node"); n != "" {
			cmdLine(x, cl(ch), "group", q(ch.Object), "/moveto:"+q(n))
			return
		}
		cmdLine(x, cl(ch), "group", q(ch.Object), "/move")
		x.comment("in the rehearsal it went to " + ch.Text("to") + ", the first eligible node of its list")
	},
	"pause_node": cmdNode("/pause"),
	"resume_node": func(x *script, ch core.Change, m *model) {
		cmdNode("/resume")(x, ch, m)
		if ch.Text("failback") == "immediate" {
			x.comment("cluster.exe has no failback switch on resume: move the groups drained from " + ch.Object + " back by hand (cluster group NAME /moveto:" + ch.Object + ")")
		}
	},
	"drain_node": func(x *script, ch core.Change, m *model) {
		x.notExported(ch, "cluster.exe has no drain: move each group off "+ch.Object+" (cluster group NAME /move), then pause it (cluster node "+ch.Object+" /pause)")
	},
	"stop_cluster_service": cmdNode("/stop"),
	"start_cluster_service": func(x *script, ch core.Change, m *model) {
		switch ch.Text("mode") {
		case mscs.StartForceQuorum:
			x.comment("On " + ch.Object + " itself (cluster node /start has no force quorum switch): net start clussvc /fq")
		case mscs.StartPreventQuorum:
			x.comment("On " + ch.Object + " itself (cluster node /start has no prevent quorum switch): net start clussvc /pq")
		default:
			cmdLine(x, cl(ch), "node", q(ch.Object), "/start")
		}
	},
	"set_quorum": cmdQuorum,
	"set_node_vote": func(x *script, ch core.Change, m *model) {
		cmdLine(x, cl(ch), "node", q(ch.Object), "/prop", fmt.Sprintf("NodeWeight=%d", ch.Int("vote")))
	},
	"set_cluster_property": func(x *script, ch core.Change, m *model) {
		if !cmdQuotable(x, ch) {
			return
		}
		words := []string{cl(ch), "/prop"}
		for _, f := range ch.Settings {
			switch {
			case !isProperty(f.Name):
			case f.Kind == core.SettingText:
				words = append(words, f.Name+"="+q(f.Text))
			default:
				words = append(words, fmt.Sprintf("%s=%d", f.Name, f.Int))
			}
		}
		cmdLine(x, words...)
		if id := ch.Int("LowerQuorumPriorityNodeID"); id != 0 {
			x.comment(fmt.Sprintf("Node ID %d is %s in the rehearsal; IDs follow join order: check them with cluster /cluster:%s node.", id, ch.Text(mscs.PropertyNodeSetting), ch.Target))
		}
	},
	"set_group_priority": func(x *script, ch core.Change, m *model) {
		v, ok := mscs.PriorityValues[ch.Text("priority")]
		if !ok {
			x.notExported(ch, "")
			return
		}
		cmdLine(x, cl(ch), "group", q(ch.Object), "/prop", fmt.Sprintf("Priority=%d", v))
	},
	"set_anti_affinity": func(x *script, ch core.Change, m *model) {
		if !cmdQuotable(x, ch) {
			return
		}
		names := make([]string, len(ch.List("class_names")))
		for i, n := range ch.List("class_names") {
			v, _ := cmdQuote(n)
			names[i] = `"` + strings.Trim(v, `"`) + `"`
		}
		cmdLine(x, cl(ch), "group", q(ch.Object), "/prop", "AntiAffinityClassNames="+strings.Join(names, ","))
	},
	"set_site": func(x *script, ch core.Change, m *model) {
		x.notExported(ch, "fault domains arrived in Windows Server 2016, which has no cluster.exe")
	},

	"create_nlb_cluster": func(x *script, ch core.Change, m *model) {
		x.comment(fmt.Sprintf("NLB Manager, Cluster, New: cluster IP %s, subnet mask %s, full Internet name %s,\n"+
			"cluster operation mode %s; the port rules start with the default rule (0-65535, both, multiple host, single affinity).",
			ch.Text("ip"), ch.Text("mask"), ch.Target, ch.Text("mode")))
	},
	"nlb_add_host": func(x *script, ch core.Change, m *model) {
		x.comment(fmt.Sprintf("NLB Manager, Cluster %s, Add Host: %s, interface %s, priority (unique host identifier) %d,\n"+
			"dedicated IP %s mask %s, default state %s.",
			ch.Target, ch.Object, ch.Text("adapter"), ch.Int("priority"), ch.Text("dedicated_ip"), ch.Text("mask"), ch.Text("initial_state")))
	},
	"nlb_port_rule": func(x *script, ch core.Change, m *model) {
		r := ruleOf(ch)
		text := fmt.Sprintf("NLB Manager, Cluster %s, Cluster Properties, Port Rules, Add: cluster IP %s, ports %d to %d, protocol %s,\nfiltering mode %s",
			ch.Target, r.clusterIP, r.start, r.end, r.protocol, r.filtering)
		if r.filtering == "multiple" {
			text += ", affinity " + r.affinity
		}
		for _, w := range r.loadWeights {
			text += ", load weight of " + w.Key + " " + w.Value
		}
		for _, p := range r.priorities {
			text += ", handling priority of " + p.Key + " " + p.Value
		}
		x.comment(text + ".")
	},
	"nlb_remove_port_rule": func(x *script, ch core.Change, m *model) {
		x.comment(fmt.Sprintf("NLB Manager, Cluster %s, Cluster Properties, Port Rules: remove the rule for cluster IP %s, ports %d to %d, protocol %s.",
			ch.Target, ch.Text("cluster_ip"), ch.Int("start"), ch.Int("end"), ch.Text("protocol")))
	},
	"nlb_start":     nlbControl("start"),
	"nlb_stop":      nlbControl("stop"),
	"nlb_drainstop": nlbControl("drainstop"),
	"nlb_suspend":   nlbControl("suspend"),
	"nlb_resume":    nlbControl("resume"),
	"nlb_enable":    nlbPortControl("enable"),
	"nlb_disable":   nlbPortControl("disable"),
	"nlb_drain":     nlbPortControl("drain"),
}

func cmdKind(ch core.Change) string {
	if ch.Text("kind") == "group" {
		return "group"
	}
	return "resource"
}

func cmdNode(option string) func(x *script, ch core.Change, m *model) {
	return func(x *script, ch core.Change, m *model) { cmdLine(x, cl(ch), "node", q(ch.Object), option) }
}

// signature is a disk signature as cluster.exe reads a number (decimal),
// or false when it is not known (a disk brought in by import).
func signature(d disk) (string, bool) {
	v, err := strconv.ParseUint(d.signature, 16, 32)
	if err != nil || v == 0 {
		return "", false
	}
	return strconv.FormatUint(v, 10), true
}

// cmdSignature sets a Physical Disk resource's Signature, or says to.
func cmdSignature(x *script, ch core.Change, name string, d disk) {
	if sig, ok := signature(d); ok {
		cmdLine(x, cl(ch), "resource", q(name), "/priv", "Signature="+sig)
		return
	}
	x.comment("the disk signature of " + name + " is not known here: set Signature (resource /priv Signature=, in decimal) to the real disk's before bringing it online")
}

func cmdDisk(x *script, ch core.Change, name, group string, d disk) {
	cmdLine(x, cl(ch), "resource", q(name), "/create", "/group:"+q(group), "/type:"+q(mscs.TypePhysicalDisk))
	cmdSignature(x, ch, name, d)
	if d.label != "" {
		x.comment("disk " + d.label + ", drive " + d.letter + ", signature " + d.signature)
	}
}

func cmdParams(x *script, ch core.Change, name, typ string, params []core.Pair) {
	if set := privateSettings(x, name, typ, params, q); len(set) > 0 {
		cmdLine(x, append([]string{cl(ch), "resource", q(name), "/priv"}, set...)...)
	}
}

// cmdOwners changes a resource's possible owners from was to now, one
// node at a time (cluster.exe has no command that sets the list).
func cmdOwners(x *script, ch core.Change, was, now []string) {
	for _, n := range now {
		if !core.ContainsFold(was, n) {
			cmdLine(x, cl(ch), "resource", q(ch.Object), "/addowner:"+q(n))
		}
	}
	for _, n := range was {
		if !core.ContainsFold(now, n) {
			cmdLine(x, cl(ch), "resource", q(ch.Object), "/removeowner:"+q(n))
		}
	}
}

// cmdGroupPolicy writes a group's failover and failback properties; for a
// new group only when they differ from its version's defaults (def).
func cmdGroupPolicy(x *script, ch core.Change, group string, pol, def policy, created bool) {
	if created && pol == def {
		return
	}
	auto, start, end := pol.autoFailback()
	cmdLine(x, cl(ch), "group", q(group), "/prop", fmt.Sprintf("FailoverThreshold=%d FailoverPeriod=%d AutoFailbackType=%d FailbackWindowStart=%d FailbackWindowEnd=%d",
		pol.threshold, pol.period, auto, start, end))
}

// cmdRestartPolicy writes a resource's restart properties; for a new
// resource only when they differ from its version's defaults (def).
func cmdRestartPolicy(x *script, ch core.Change, name string, r, def restart, created bool) {
	if created && r == def {
		return
	}
	cmdLine(x, cl(ch), "resource", q(name), "/prop", fmt.Sprintf("RestartAction=%d RestartThreshold=%d RestartPeriod=%d RetryPeriodOnFailure=%d",
		restartAction(r), r.threshold, r.period*1000, r.retryPeriod*1000))
}

// cmdQuorum changes the quorum of a cluster of Windows Server 2008 to 2012
// R2: /quorum /nodemajority, or the witness resource made and brought
// online, then /quorum:RESOURCE (the forms Microsoft's Exchange 2010 and
// SQL Server 2008 R2 guides use); disk only has no documented form.
func cmdQuorum(x *script, ch core.Change, m *model) {
	if !cmdQuotable(x, ch) {
		return
	}
	res, removed := ch.Text("witness_resource"), ch.List("removed")
	switch ch.Text("mode") {
	case mscs.QuorumNodeMajority:
		cmdLine(x, cl(ch), "/quorum", "/nodemajority")
	case mscs.QuorumNodeAndDisk, mscs.QuorumDiskOnly:
		if !ch.Bool("reused") {
			cmdDisk(x, ch, res, "Cluster Group", m.disks[core.Key(ch.Text("witness"))])
			cmdLine(x, cl(ch), "resource", q(res), "/online")
		}
		if ch.Text("mode") == mscs.QuorumDiskOnly {
			x.notExported(ch, "cluster.exe documents no switch for No Majority: Disk Only; choose it in Failover Cluster Management,\n"+
				"  Configure Cluster Quorum Settings, with "+res+" as the disk")
			return
		}
		cmdLine(x, cl(ch), "/quorum:"+q(res))
	case mscs.QuorumNodeAndShare:
		path := "SharePath=" + q(ch.Text("witness"))
		if core.ContainsFold(removed, res) { // a new path for the same resource
			removed = core.RemoveFold(removed, res)
			cmdLine(x, cl(ch), "resource", q(res), "/priv", path)
		} else {
			cmdLine(x, cl(ch), "resource", q(res), "/create", "/group:"+q("Cluster Group"), "/type:"+q(mscs.TypeFileShareWitness))
			cmdLine(x, cl(ch), "resource", q(res), "/priv", path)
			cmdLine(x, cl(ch), "resource", q(res), "/online")
		}
		cmdLine(x, cl(ch), "/quorum:"+q(res))
	default:
		x.notExported(ch, "")
		return
	}
	for _, r := range removed {
		cmdLine(x, cl(ch), "resource", q(r), "/offline")
		cmdLine(x, cl(ch), "resource", q(r), "/delete")
	}
}

// nlbTarget is nlb.exe's cluster:host, the host by its host ID (its
// priority).
func nlbTarget(m *model, ch core.Change) string {
	n := m.nlb(ch.Target)
	h, _ := n.host(ch.Object)
	return n.ip + ":" + strconv.FormatInt(h.priority, 10)
}

func nlbControl(command string) func(x *script, ch core.Change, m *model) {
	return func(x *script, ch core.Change, m *model) {
		x.line("nlb %s %s /passw %%NLB_PASSWORD%%", command, nlbTarget(m, ch))
		x.comment("(host " + ch.Object + ")")
	}
}

func nlbPortControl(command string) func(x *script, ch core.Change, m *model) {
	return func(x *script, ch core.Change, m *model) {
		x.line("nlb %s %s:%d %s /passw %%NLB_PASSWORD%%", command, ch.Text("cluster_ip"), ch.Int("port"), nlbTarget(m, ch))
		x.comment("(host " + ch.Object + ")")
	}
}
