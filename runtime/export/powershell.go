package export

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
)

// PowerShell: the FailoverClusters and NetworkLoadBalancingClusters
// modules of Windows Server 2008 R2 and later. A world rehearsed on 2003
// or 2008 becomes a migration script: the same configuration on a 2008 R2
// or later cluster, with a comment wherever the meaning changes.

// privateProps maps a resource type's parameters to the private property
// names Windows gives them (Get-ClusterParameter, cluster.exe /priv). A
// Physical Disk's disk is its signature, written apart.
var privateProps = map[string]map[string]string{
	mscs.TypeIPAddress:      {"address": "Address", "subnet_mask": "SubnetMask", "network": "Network"},
	mscs.TypeNetworkName:    {"name": "Name"},
	mscs.TypeGenericService: {"service": "ServiceName", "parameters": "StartupParameters"},
	mscs.TypeFileShare:      {"path": "Path", "share": "ShareName"},
}

// isExchange reports whether a resource type belongs to Exchange Server
// 2003, which runs only on Windows Server 2003.
func isExchange(typ string) bool { return strings.HasPrefix(typ, "Microsoft Exchange ") }

// The defaults of Windows Server 2008 R2 and later, against which a
// migrated group or resource writes what it sets.
var (
	psGroupDefault   = policy{threshold: mscs.FailoverThresholdNodesMinusOne, period: 6, failback: mscs.FailbackPrevent, windowStart: -1, windowEnd: -1}
	psRestartDefault = restart{restart: true, affectGroup: true, threshold: 1, period: 900, retryPeriod: 3600}
)

type powershell struct {
	nlbMade map[string]bool // NLB clusters that exist on the target (New-NlbCluster written or in the base world)
}

func (p *powershell) check(*model, []string) error { return nil }

func (p *powershell) start(x *script, run Run, base, final *model) {
	x.open = "# "
	x.header(run, PowerShell)
	var old []string
	for _, c := range final.clusters {
		if migrating(c.version) {
			old = append(old, fmt.Sprintf("%s (%s)", c.name, core.VersionName(c.version)))
		}
	}
	if len(old) > 0 {
		x.comment("Migration: the rehearsal ran " + strings.Join(old, ", ") + ", which has no FailoverClusters cmdlets.\n" +
			"This script builds the same configuration on a Windows Server 2008 R2 or later cluster;\n" +
			"comments marked \"meaning changes\" say where the later version differs. Later versions default to\n" +
			"nodes - 1 failovers in 6 hours and one restart of a failed resource; each group and resource keeps\n" +
			"the policy it had in the rehearsal, written out where it differs from those defaults.")
	}
	x.line("$ErrorActionPreference = 'Stop'")
	if len(final.clusters) > 0 {
		x.line("Import-Module FailoverClusters")
	}
	if len(final.nlbs) > 0 {
		x.line("Import-Module NetworkLoadBalancingClusters")
	}
	p.nlbMade = map[string]bool{}
	for _, n := range base.nlbs {
		if len(n.hosts) > 0 {
			p.nlbMade[core.Key(n.name)] = true
		}
	}
}

func (p *powershell) applied(*script, core.Change, *model, touch) {}
func (p *powershell) end(*script, *model)                         {}

func (p *powershell) change(x *script, ch core.Change, m *model) {
	f, ok := psOps[ch.Op]
	if !ok {
		x.notExported(ch, "")
		return
	}
	f(p, x, ch, m)
}

// psOps is the table of translations, one per operation.
var psOps = map[string]func(p *powershell, x *script, ch core.Change, m *model){
	"install_exchange": func(p *powershell, x *script, ch core.Change, m *model) {
		x.notExported(ch, "Exchange Server 2003 Setup runs on each node; Exchange 2003 runs only on Windows Server 2003")
	},
	"create_cluster": func(p *powershell, x *script, ch core.Change, m *model) {
		c := psC(ch)
		x.line("New-Cluster -Name %s -Node %s -StaticAddress %s -NoStorage", psQuote(ch.Target), psQuote(ch.Text("node")), ch.Text("ip"))
		switch ch.Text("quorum") {
		case mscs.QuorumDisk:
			q := ch.Text("quorum_resource")
			p.disk(x, c, q, "Cluster Group", m.disks[core.Key(ch.Text("quorum_disk"))])
			x.line("Set-ClusterQuorum -DiskOnly %s%s", psQuote(q), c)
			if migrating(ch.Text("version")) {
				x.comment("meaning changes: -DiskOnly keeps the single quorum device of " + core.VersionName(ch.Text("version")) + ";\n" +
					"Microsoft recommends node and disk majority on later versions (Set-ClusterQuorum -NodeAndDiskMajority).")
			}
		case mscs.QuorumMajority:
			if migrating(ch.Text("version")) {
				x.comment("meaning changes: the majority node set becomes node majority (no quorum resource, no file share for its data).")
			}
			x.line("Set-ClusterQuorum -NodeMajority%s", c)
		case mscs.QuorumLocal:
			x.comment("meaning changes: later versions have no local quorum; a one-node cluster uses node majority.")
			x.line("Set-ClusterQuorum -NodeMajority%s", c)
		case mscs.QuorumNodeMajority:
			x.line("Set-ClusterQuorum -NodeMajority%s", c)
		case mscs.QuorumNodeAndDisk:
			q := ch.Text("quorum_resource")
			p.disk(x, c, q, "Cluster Group", m.disks[core.Key(ch.Text("quorum_disk"))])
			x.line("Set-ClusterQuorum -NodeAndDiskMajority %s%s", psQuote(q), c)
		}
		p.groupPolicy(x, ch, "Cluster Group", policyOf(ch), true)
	},
	"add_node": func(p *powershell, x *script, ch core.Change, m *model) {
		x.line("Add-ClusterNode -Name %s%s", psQuote(ch.Object), psC(ch))
		if pinned := ch.List("pinned"); len(pinned) > 0 {
			x.comment(ch.Object + " does not see the disks of " + psList(pinned) + ", so it is not their possible owner (Add-ClusterNode leaves it out too).")
		}
	},
	"evict_node": func(p *powershell, x *script, ch core.Change, m *model) {
		x.line("Remove-ClusterNode -Name %s -Force%s", psQuote(ch.Object), psC(ch))
	},
	"new_group": func(p *powershell, x *script, ch core.Change, m *model) {
		x.line("Add-ClusterGroup -Name %s%s", psQuote(ch.Object), psC(ch))
		if d := ch.Text("description"); d != "" {
			x.line("(Get-ClusterGroup -Name %s%s).Description = %s", psQuote(ch.Object), psC(ch), psString(d))
		}
		if owners := ch.List("preferred_owners"); len(owners) > 0 {
			x.line("Set-ClusterOwnerNode -Group %s -Owners %s%s", psQuote(ch.Object), psList(owners), psC(ch))
		}
		p.groupPolicy(x, ch, ch.Object, policyOf(ch), true)
	},
	"new_resource": func(p *powershell, x *script, ch core.Change, m *model) {
		c := psC(ch)
		name, typ := ch.Object, ch.Text("type")
		if isExchange(typ) {
			made := ""
			for _, p := range ch.Pairs("creates") {
				made += ", " + strconv.Quote(p.Key)
			}
			x.comment(fmt.Sprintf("not exported: new_resource %q (%s) in group %q%s\n  (Exchange Server 2003 runs only on Windows Server 2003: build its virtual servers there, --to cluster.exe)",
				name, typ, ch.Text("group"), made))
			return
		}
		if typ == mscs.TypePhysicalDisk {
			p.disk(x, c, name, ch.Text("group"), m.disks[core.Key(pairMap(ch.Pairs("params"))["disk"])])
		} else {
			x.line("Add-ClusterResource -Name %s -Group %s -ResourceType %s%s", psQuote(name), psQuote(ch.Text("group")), psQuote(typ), c)
			p.params(x, ch, name, typ, ch.Pairs("params"))
		}
		if d := ch.Text("description"); d != "" {
			x.line("(Get-ClusterResource -Name %s%s).Description = %s", psQuote(name), c, psString(d))
		}
		if ch.Has("possible_owners") {
			x.line("Set-ClusterOwnerNode -Resource %s -Owners %s%s", psQuote(name), psList(ch.List("possible_owners")), c)
		}
		if deps := ch.List("dependencies"); len(deps) > 0 {
			x.line("Set-ClusterResourceDependency -Resource %s -Dependency %s%s", psQuote(name), psString(psDependency(deps)), c)
		}
		p.restartPolicy(x, ch, name, restartOf(ch), true)
	},
	"set_dependencies": func(p *powershell, x *script, ch core.Change, m *model) {
		if p.exchangeInvolved(x, ch, m, ch.List("dependencies")...) {
			return
		}
		x.line("Set-ClusterResourceDependency -Resource %s -Dependency %s%s", psQuote(ch.Object), psString(psDependency(ch.List("dependencies"))), psC(ch))
	},
	"add_dependency": func(p *powershell, x *script, ch core.Change, m *model) {
		if p.exchangeInvolved(x, ch, m, ch.Text("provider")) {
			return
		}
		x.line("Add-ClusterResourceDependency -Resource %s -Provider %s%s", psQuote(ch.Object), psQuote(ch.Text("provider")), psC(ch))
	},
	"remove_dependency": func(p *powershell, x *script, ch core.Change, m *model) {
		if p.exchangeInvolved(x, ch, m, ch.Text("provider")) {
			return
		}
		x.line("Remove-ClusterResourceDependency -Resource %s -Provider %s%s", psQuote(ch.Object), psQuote(ch.Text("provider")), psC(ch))
	},
	"set_possible_owners": func(p *powershell, x *script, ch core.Change, m *model) {
		if p.exchangeInvolved(x, ch, m) {
			return
		}
		x.line("Set-ClusterOwnerNode -Resource %s -Owners %s%s", psQuote(ch.Object), psList(ch.List("possible_owners")), psC(ch))
	},
	"set_preferred_owners": func(p *powershell, x *script, ch core.Change, m *model) {
		owners := ch.List("preferred_owners")
		if len(owners) == 0 {
			x.notExported(ch, "no cmdlet clears a group's preferred owners; clear them in Failover Cluster Manager (the group's Properties, General tab)")
			return
		}
		x.line("Set-ClusterOwnerNode -Group %s -Owners %s%s", psQuote(ch.Object), psList(owners), psC(ch))
	},
	"set_params": func(p *powershell, x *script, ch core.Change, m *model) {
		if p.exchangeInvolved(x, ch, m) {
			return
		}
		_, r := m.cluster(ch.Target).resource(ch.Object)
		if r.typ == mscs.TypePhysicalDisk {
			diskSignature(x, ch.Object, psC(ch), m.disks[core.Key(pairMap(ch.Pairs("params"))["disk"])])
			return
		}
		p.params(x, ch, ch.Object, r.typ, ch.Pairs("params"))
	},
	"delete_resource": func(p *powershell, x *script, ch core.Change, m *model) {
		if p.exchangeInvolved(x, ch, m) {
			return
		}
		x.line("Remove-ClusterResource -Name %s -Force%s", psQuote(ch.Object), psC(ch))
	},
	"delete_group": func(p *powershell, x *script, ch core.Change, m *model) {
		x.line("Remove-ClusterGroup -Name %s -Force%s", psQuote(ch.Object), psC(ch))
	},
	"failover_policy": func(p *powershell, x *script, ch core.Change, m *model) {
		p.groupPolicy(x, ch, ch.Object, policyOf(ch), false)
	},
	"restart_policy": func(p *powershell, x *script, ch core.Change, m *model) {
		if p.exchangeInvolved(x, ch, m) {
			return
		}
		p.restartPolicy(x, ch, ch.Object, restartOf(ch), false)
	},
	"bring_online": func(p *powershell, x *script, ch core.Change, m *model) {
		p.operate(x, ch, m, "Start")
	},
	"take_offline": func(p *powershell, x *script, ch core.Change, m *model) {
		p.operate(x, ch, m, "Stop")
	},
	"move_group": func(p *powershell, x *script, ch core.Change, m *model) {
		if n := ch.Text("node"); n != "" {
			x.line("Move-ClusterGroup -Name %s -Node %s%s", psQuote(ch.Object), psQuote(n), psC(ch))
			return
		}
		x.line("Move-ClusterGroup -Name %s%s", psQuote(ch.Object), psC(ch))
		x.comment("in the rehearsal it went to " + ch.Text("to") + ", the first eligible node of its list")
	},
	"pause_node": func(p *powershell, x *script, ch core.Change, m *model) {
		x.line("Suspend-ClusterNode -Name %s%s", psQuote(ch.Object), psC(ch))
	},
	"resume_node": func(p *powershell, x *script, ch core.Change, m *model) {
		if ch.Text("failback") == "immediate" {
			x.line("Resume-ClusterNode -Name %s%s -Failback Immediate", psQuote(ch.Object), psC(ch))
			return
		}
		x.line("Resume-ClusterNode -Name %s%s", psQuote(ch.Object), psC(ch))
	},
	"drain_node": func(p *powershell, x *script, ch core.Change, m *model) {
		x.line("Suspend-ClusterNode -Name %s%s -Drain", psQuote(ch.Object), psC(ch))
	},
	"stop_cluster_service": func(p *powershell, x *script, ch core.Change, m *model) {
		x.line("Stop-ClusterNode -Name %s%s", psQuote(ch.Object), psC(ch))
	},
	"start_cluster_service": func(p *powershell, x *script, ch core.Change, m *model) {
		x.line("Start-ClusterNode -Name %s%s%s", psQuote(ch.Object), psC(ch), psStartMode[ch.Text("mode")])
	},
	"set_quorum": func(p *powershell, x *script, ch core.Change, m *model) {
		c, res := psC(ch), ch.Text("witness_resource")
		switch mode := ch.Text("mode"); mode {
		case mscs.QuorumNodeMajority:
			x.line("Set-ClusterQuorum -NodeMajority%s", c)
		case mscs.QuorumNodeAndDisk, mscs.QuorumDiskOnly:
			if !ch.Bool("reused") {
				p.disk(x, c, res, "Cluster Group", m.disks[core.Key(ch.Text("witness"))])
			}
			x.line("Set-ClusterQuorum %s %s%s", psQuorumSwitch[mode], psQuote(res), c)
		case mscs.QuorumNodeAndShare:
			x.line("Set-ClusterQuorum -NodeAndFileShareMajority %s%s", psQuote(ch.Text("witness")), c)
		case mscs.QuorumCloudWitness:
			x.comment("Set CLOUD_WITNESS_KEY to an access key of storage account " + ch.Text("witness") + " first: $env:CLOUD_WITNESS_KEY = '...'")
			x.line("Set-ClusterQuorum -CloudWitness -AccountName %s -AccessKey $env:CLOUD_WITNESS_KEY%s", psQuote(ch.Text("witness")), c)
		default:
			x.notExported(ch, "")
			return
		}
		for _, r := range ch.List("removed") {
			x.comment("Set-ClusterQuorum deletes the old witness resource " + strconv.Quote(r) + " itself.")
		}
	},
	"set_node_vote": func(p *powershell, x *script, ch core.Change, m *model) {
		x.line("(Get-ClusterNode -Name %s%s).NodeWeight = %d", psQuote(ch.Object), psC(ch), ch.Int("vote"))
	},
	"set_cluster_property": func(p *powershell, x *script, ch core.Change, m *model) {
		x.line("$cluster = Get-Cluster -Name %s", psQuote(ch.Target))
		for _, f := range ch.Settings {
			switch {
			case !isProperty(f.Name):
			case f.Kind == core.SettingText:
				x.line("$cluster.%s = %s", f.Name, psString(f.Text))
			case f.Name == "LowerQuorumPriorityNodeID" && f.Int != 0:
				x.line("$cluster.%s = %d  # %s in the rehearsal; node IDs follow join order, check them with Get-ClusterNode", f.Name, f.Int, ch.Text(mscs.PropertyNodeSetting))
			default:
				x.line("$cluster.%s = %d", f.Name, f.Int)
			}
		}
	},
	"set_group_priority": func(p *powershell, x *script, ch core.Change, m *model) {
		v, ok := mscs.PriorityValues[ch.Text("priority")]
		if !ok {
			x.notExported(ch, "")
			return
		}
		x.line("(Get-ClusterGroup -Name %s%s).Priority = %d", psQuote(ch.Object), psC(ch), v)
	},
	"set_anti_affinity": func(p *powershell, x *script, ch core.Change, m *model) {
		x.line("$classes = New-Object -TypeName System.Collections.Specialized.StringCollection")
		for _, n := range ch.List("class_names") {
			x.line("[void]$classes.Add(%s)", psString(n))
		}
		x.line("(Get-ClusterGroup -Name %s%s).AntiAffinityClassNames = $classes", psQuote(ch.Object), psC(ch))
	},
	"set_site": func(p *powershell, x *script, ch core.Change, m *model) {
		site := ch.Text("site")
		if site == "" {
			x.notExported(ch, "no documented cmdlet takes a node out of its site; move it in Failover Cluster Manager")
			return
		}
		at := " -CimSession " + psQuote(ch.Target) // the fault domain cmdlets reach a cluster through CIM
		if !m.cluster(ch.Target).hasSite(site) {
			x.line("New-ClusterFaultDomain -Name %s -FaultDomainType Site%s", psQuote(site), at)
		}
		x.line("Set-ClusterFaultDomain -Name %s -FaultDomain %s%s", psQuote(ch.Object), psQuote(site), at)
	},

	"create_nlb_cluster": func(p *powershell, x *script, ch core.Change, m *model) {
		x.comment("NLB cluster " + ch.Target + " (" + ch.Text("ip") + "): New-NlbCluster creates it with its first host, below.")
	},
	"nlb_add_host": func(p *powershell, x *script, ch core.Change, m *model) {
		n := m.nlb(ch.Target)
		h := nlbHost{ch.Object, ch.Text("adapter"), ch.Text("dedicated_ip"), ch.Text("mask"), ch.Text("initial_state"), ch.Int("priority")}
		if !p.nlbMade[core.Key(n.name)] {
			p.nlbMade[core.Key(n.name)] = true
			x.line("New-NlbCluster -HostName %s -InterfaceName %s -ClusterName %s -ClusterPrimaryIP %s -SubnetMask %s -DedicatedIP %s -DedicatedIPSubnetMask %s -OperationMode %s -Force",
				psQuote(h.server), psQuote(h.adapter), psQuote(n.name), n.ip, n.mask, h.dedicatedIP, h.mask, psMode[n.mode])
			psHostSettings(x, h)
			// New-NlbCluster makes the default rule; make the rules the
			// rehearsal had by now.
			n2 := *n
			n2.hosts = []nlbHost{h}
			keep := slices.ContainsFunc(n.rules, nlbRule.isDefault)
			if !keep {
				p.removeRule(x, &n2, defaultRule)
			}
			for _, r := range n.rules {
				if !keep || !r.isDefault() {
					p.addRule(x, &n2, r)
				}
			}
			return
		}
		first := n.hosts[0]
		x.line("Add-NlbClusterNode -HostName %s -InterfaceName %s -NewNodeName %s -NewNodeInterface %s -Force", psQuote(first.server), psQuote(first.adapter), psQuote(h.server), psQuote(h.adapter))
		psHostSettings(x, h)
	},
	"nlb_port_rule": func(p *powershell, x *script, ch core.Change, m *model) {
		n := m.nlb(ch.Target)
		if !p.nlbMade[core.Key(n.name)] {
			x.comment("port rule " + ch.Object + ": added with the cluster's first host, below")
			return
		}
		p.addRule(x, n, ruleOf(ch))
	},
	"nlb_remove_port_rule": func(p *powershell, x *script, ch core.Change, m *model) {
		n := m.nlb(ch.Target)
		if !p.nlbMade[core.Key(n.name)] {
			x.comment("port rule " + ch.Object + " removed: the cluster's first host, below, is created without it")
			return
		}
		p.removeRule(x, n, ruleOf(ch))
	},
	"nlb_start":     psHost("Start-NlbClusterNode", ""),
	"nlb_stop":      psHost("Stop-NlbClusterNode", ""),
	"nlb_drainstop": psHost("Stop-NlbClusterNode", " -Drain"),
	"nlb_suspend":   psHost("Suspend-NlbClusterNode", ""),
	"nlb_resume":    psHost("Resume-NlbClusterNode", ""),
	"nlb_enable":    psRuleState("Enable-NlbClusterPortRule", ""),
	"nlb_disable":   psRuleState("Disable-NlbClusterPortRule", ""),
	"nlb_drain":     psRuleState("Disable-NlbClusterPortRule", " -Drain"),
}

// defaultRule is the port rule a new NLB cluster starts with.
var defaultRule = nlbRule{clusterIP: "all", protocol: "both", filtering: "multiple", affinity: "single", start: 0, end: 65535}

func (r nlbRule) isDefault() bool {
	return r.sameRule(defaultRule) && r.filtering == defaultRule.filtering && r.affinity == defaultRule.affinity && r.loadWeights == nil && r.priorities == nil
}

// psQuorumSwitch is Set-ClusterQuorum's switch for a mode with a disk
// witness (-NodeAndDiskMajority is -DiskWitness's alias from Windows
// Server 2012 R2 on).
var psQuorumSwitch = map[string]string{mscs.QuorumNodeAndDisk: "-NodeAndDiskMajority", mscs.QuorumDiskOnly: "-DiskOnly"}

// psStartMode is Start-ClusterNode's switch for a start mode (/fq, /pq).
var psStartMode = map[string]string{mscs.StartForceQuorum: " -FixQuorum", mscs.StartPreventQuorum: " -PreventQuorum"}

var psMode = map[string]string{"unicast": "Unicast", "multicast": "Multicast", "igmp": "IgmpMulticast"}

func psTitle(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// psC is the -Cluster argument naming the change's cluster.
func psC(ch core.Change) string { return " -Cluster " + psQuote(ch.Target) }

// psString is a PowerShell string literal (single-quoted, no expansion).
func psString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// psDependency is a dependency expression: "[A] and [B]".
func psDependency(deps []string) string {
	parts := make([]string, len(deps))
	for i, d := range deps {
		parts[i] = "[" + d + "]"
	}
	return strings.Join(parts, " and ")
}

// disk creates a Physical Disk resource for a disk, by its signature.
func (p *powershell) disk(x *script, c, name, group string, d disk) {
	x.line("Add-ClusterResource -Name %s -Group %s -ResourceType 'Physical Disk'%s", psQuote(name), psQuote(group), c)
	diskSignature(x, name, c, d)
	if d.label != "" {
		x.comment("disk " + d.label + ", drive " + d.letter)
	}
}

// params sets a resource's private properties.
func (p *powershell) params(x *script, ch core.Change, name, typ string, params []core.Pair) {
	if set := privateSettings(x, name, typ, params, psString); len(set) > 0 {
		x.line("Get-ClusterResource -Name %s%s | Set-ClusterParameter -Multiple @{%s}", psQuote(name), psC(ch), strings.Join(set, "; "))
	}
}

// exchangeInvolved writes a change that names an Exchange resource as not
// exported (Exchange 2003 does not run on a 2008 R2+ cluster).
func (p *powershell) exchangeInvolved(x *script, ch core.Change, m *model, others ...string) bool {
	c := m.cluster(ch.Target)
	for _, name := range append([]string{ch.Object}, others...) {
		if _, r := c.resource(name); r != nil && isExchange(r.typ) {
			x.notExported(ch, "it concerns Exchange resource \""+r.name+"\", which runs only on Windows Server 2003")
			return true
		}
	}
	return false
}

// groupPolicy writes a group's failover and failback properties; for a new
// group only those that differ from the target's defaults.
func (p *powershell) groupPolicy(x *script, ch core.Change, group string, pol policy, created bool) {
	if created && pol == psGroupDefault {
		return
	}
	x.line("$group = Get-ClusterGroup -Name %s%s", psQuote(group), psC(ch))
	x.line("$group.FailoverThreshold = %d", pol.threshold)
	x.line("$group.FailoverPeriod = %d", pol.period)
	auto, start, end := pol.autoFailback()
	x.line("$group.AutoFailbackType = %d", auto)
	x.line("$group.FailbackWindowStart = %d", start)
	x.line("$group.FailbackWindowEnd = %d", end)
}

// restartAction is RestartAction: 0 do not restart, 1 restart without
// failing the group over, 2 restart then fail the group over.
func restartAction(r restart) int {
	switch {
	case !r.restart:
		return 0
	case !r.affectGroup:
		return 1
	}
	return 2
}

// restartPolicy writes a resource's restart properties; for a new
// resource only when they differ from the target's defaults.
func (p *powershell) restartPolicy(x *script, ch core.Change, name string, r restart, created bool) {
	if created && r == psRestartDefault {
		return
	}
	x.line("$resource = Get-ClusterResource -Name %s%s", psQuote(name), psC(ch))
	x.line("$resource.RestartAction = %d", restartAction(r))
	x.line("$resource.RestartThreshold = %d", r.threshold)
	x.line("$resource.RestartPeriod = %d", r.period*1000)
	x.line("$resource.RetryPeriodOnFailure = %d", r.retryPeriod*1000)
}

// operate starts or stops a group or a resource.
func (p *powershell) operate(x *script, ch core.Change, m *model, verb string) {
	if ch.Text("kind") == "group" {
		x.line("%s-ClusterGroup -Name %s%s", verb, psQuote(ch.Object), psC(ch))
		return
	}
	if p.exchangeInvolved(x, ch, m) {
		return
	}
	x.line("%s-ClusterResource -Name %s%s", verb, psQuote(ch.Object), psC(ch))
}

// nlbAt names the host a cmdlet acts through: -HostName and -InterfaceName.
func nlbAt(h nlbHost) string {
	return "-HostName " + psQuote(h.server) + " -InterfaceName " + psQuote(h.adapter)
}

// ruleIP is -IP for a rule of one cluster IP; the rule for all cluster IPs
// has none.
func ruleIP(r nlbRule) string {
	if r.clusterIP == "all" {
		return ""
	}
	return " -IP " + r.clusterIP
}

func (p *powershell) addRule(x *script, n *nlbCluster, r nlbRule) {
	at := nlbAt(n.hosts[0])
	x.line("Add-NlbClusterPortRule %s%s -Protocol %s -StartPort %d -EndPort %d -Mode %s -Affinity %s",
		at, ruleIP(r), psTitle(r.protocol), r.start, r.end, psTitle(r.filtering), psTitle(r.affinity))
	vip := r.clusterIP
	if vip == "all" {
		vip = "255.255.255.255"
	}
	for _, w := range r.loadWeights {
		if h, ok := n.host(w.Key); ok {
			x.line("Set-NlbClusterPortRuleNodeWeight %s -IP %s -Port %d -LoadWeight %s", nlbAt(h), vip, r.start, w.Value)
		}
	}
	for _, hp := range r.priorities {
		if h, ok := n.host(hp.Key); ok {
			x.line("Set-NlbClusterPortRuleNodeHandlingPriority %s -IP %s -Port %d -HandlingPriority %s", nlbAt(h), vip, r.start, hp.Value)
		}
	}
}

// psHostSettings sets an NLB host's priority and initial state.
func psHostSettings(x *script, h nlbHost) {
	x.line("Set-NlbClusterNode %s -HostPriority %d -InitialHostState %s -Force", nlbAt(h), h.priority, psTitle(h.initialState))
}

func (p *powershell) removeRule(x *script, n *nlbCluster, r nlbRule) {
	x.line("Remove-NlbClusterPortRule %s%s -Port %d -Force", nlbAt(n.hosts[0]), ruleIP(r), r.start)
}

func psHost(cmdlet, extra string) func(p *powershell, x *script, ch core.Change, m *model) {
	return func(p *powershell, x *script, ch core.Change, m *model) {
		h, _ := m.nlb(ch.Target).host(ch.Object)
		x.line("%s %s%s", cmdlet, nlbAt(h), extra)
	}
}

func psRuleState(cmdlet, extra string) func(p *powershell, x *script, ch core.Change, m *model) {
	return func(p *powershell, x *script, ch core.Change, m *model) {
		h, _ := m.nlb(ch.Target).host(ch.Object)
		x.line("%s %s%s -Port %s%s", cmdlet, nlbAt(h), ruleIP(ruleOf(ch)), strconv.FormatInt(ch.Int("port"), 10), extra)
	}
}

// diskSignature points a Physical Disk resource at its disk by signature;
// a disk known without one (an imported cluster's: the snapshot cmdlets do
// not give it) gets a comment asking for it instead of an empty value.
func diskSignature(x *script, name, c string, d disk) {
	if d.signature == "" {
		x.comment(fmt.Sprintf("the disk signature of %s is not known here: set DiskSignature (Set-ClusterParameter) to the real disk's before bringing it online", name))
		return
	}
	x.line("Get-ClusterResource -Name %s%s | Set-ClusterParameter -Name DiskSignature -Value 0x%s", psQuote(name), c, d.signature)
}
