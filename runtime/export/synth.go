package export

import (
	"maps"
	"slices"
	"strconv"

	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
)

// synthesize writes a configuration as the changes that would build it
// from nothing (for --all): each cluster formed with its first node, the
// other nodes added, each group created with its resources in dependency
// order and their owners and policies; each NLB cluster with its hosts and
// rules. The Exchange resources a System Attendant creates come with it.
func synthesize(m *model) []core.Change {
	var out []core.Change
	add := func(op, target, object string, s ...core.Setting) {
		out = append(out, core.Change{Op: op, Target: target, Object: object, Settings: s})
	}
	for _, c := range m.clusters {
		cg := c.group("Cluster Group")
		first := c.nodes[0]
		formed := c.quorum // set_quorum makes the other modes of 2008 and later once the nodes are in
		switch c.quorum {
		case mscs.QuorumNodeAndShare, mscs.QuorumCloudWitness, mscs.QuorumDiskOnly:
			formed = mscs.QuorumNodeMajority
		}
		s := []core.Setting{core.Text("domain", c.domain), core.Text("node", first), core.Text("ip", c.ip), core.Text("mask", c.mask),
			core.Text("network", c.network), core.Text("account", c.account), core.Text("version", c.version), core.Text("quorum", formed)}
		if formed == mscs.QuorumDisk || formed == mscs.QuorumNodeAndDisk {
			_, q := c.resource(c.quorumResource)
			d := m.disks[core.Key(q.params["disk"])]
			s = append(s, core.Text("quorum_resource", q.name), core.Text("quorum_disk", d.label), core.Text("quorum_letter", d.letter))
		}
		var core3 []string
		if cg != nil {
			s = append(s, policySettings(cg.policy)...)
			core3 = []string{"Cluster IP Address", "Cluster Name", c.quorumResource}
			if len(cg.resources) > 0 {
				s = append(s, restartSettings(cg.resources[0].restart)...)
			}
		}
		add("create_cluster", c.name, "", s...)
		for _, n := range c.nodes[1:] {
			add("add_node", c.name, n, core.List("pinned", nil))
		}
		if formed != c.quorum {
			q := []core.Setting{core.Text("mode", c.quorum), core.Text("witness", c.witness), core.Text("witness_resource", c.quorumResource)}
			if c.quorum == mscs.QuorumDiskOnly {
				q = append(q, core.Text("witness_letter", m.disks[core.Key(c.witness)].letter), core.Bool("reused", false))
			}
			add("set_quorum", c.name, "", append(q, core.List("removed", nil))...)
		}
		for _, n := range c.noVote {
			add("set_node_vote", c.name, n, core.Int("vote", 0))
		}
		if len(c.props) > 0 {
			props := slices.Clone(c.props)
			if slices.ContainsFunc(props, func(p core.Setting) bool { return p.Name == "LowerQuorumPriorityNodeID" }) {
				props = append(props, core.Text(mscs.PropertyNodeSetting, c.lowPriorityNode))
			}
			add("set_cluster_property", c.name, "", props...)
		}
		for _, n := range slices.Sorted(maps.Keys(c.sites)) {
			add("set_site", c.name, canonical(c.nodes, n), core.Text("site", c.sites[n]))
		}
		for _, g := range c.groups {
			if g.name != "Cluster Group" {
				add("new_group", c.name, g.name, append([]core.Setting{core.Text("description", g.description), core.List("preferred_owners", g.preferred)}, policySettings(g.policy)...)...)
			} else if len(g.preferred) > 0 {
				add("set_preferred_owners", c.name, g.name, core.List("preferred_owners", g.preferred))
			}
			if g.priority != "" {
				add("set_group_priority", c.name, g.name, core.Text("priority", g.priority))
			}
			if len(g.antiAffinity) > 0 {
				add("set_anti_affinity", c.name, g.name, core.List("class_names", g.antiAffinity))
			}
			created := map[string]bool{}
			for _, r := range inOrder(g) {
				if created[core.Key(r.name)] {
					continue
				}
				if g.name == "Cluster Group" && slices.Contains(core3, r.name) {
					// formed with the cluster; only what differs is set
					if r.possible != nil {
						add("set_possible_owners", c.name, r.name, core.List("possible_owners", r.possible))
					}
					continue
				}
				s := []core.Setting{core.Text("group", g.name), core.Text("type", r.typ), core.Text("description", r.description)}
				if r.possible != nil {
					s = append(s, core.List("possible_owners", r.possible))
				}
				s = append(s, core.List("dependencies", r.deps), core.Pairs("params", r.params))
				s = append(s, restartSettings(r.restart)...)
				if r.typ == mscs.TypeSA {
					made := map[string]string{}
					for _, o := range g.resources {
						if isExchange(o.typ) && o.typ != mscs.TypeSA && o.typ != mscs.TypeIMAP4 && o.typ != mscs.TypePOP3 && slices.Contains(o.deps, r.name) {
							made[o.name] = o.typ
							created[core.Key(o.name)] = true
						}
					}
					s = append(s, core.Pairs("creates", made))
				}
				add("new_resource", c.name, r.name, s...)
			}
		}
	}
	for _, n := range m.nlbs {
		add("create_nlb_cluster", n.name, "", core.Text("ip", n.ip), core.Text("mask", n.mask), core.Text("mode", n.mode))
		for _, h := range n.hosts {
			add("nlb_add_host", n.name, h.server, core.Text("adapter", h.adapter), core.Int("priority", h.priority),
				core.Text("dedicated_ip", h.dedicatedIP), core.Text("mask", h.mask), core.Text("initial_state", h.initialState))
		}
		keep := slices.ContainsFunc(n.rules, nlbRule.isDefault)
		if !keep {
			add("nlb_remove_port_rule", n.name, describeRule(defaultRule), ruleSettings(defaultRule)...)
		}
		for _, r := range n.rules {
			if keep && r.isDefault() {
				continue
			}
			s := append(ruleSettings(r), core.Text("filtering", r.filtering), core.Text("affinity", r.affinity))
			if r.loadWeights != nil {
				s = append(s, pairsSetting("load_weights", r.loadWeights))
			}
			if r.priorities != nil {
				s = append(s, pairsSetting("handling_priorities", r.priorities))
			}
			add("nlb_port_rule", n.name, describeRule(r), s...)
		}
	}
	return out
}

func policySettings(p policy) []core.Setting {
	return []core.Setting{core.Int("threshold", p.threshold), core.Int("period", p.period), core.Text("failback", p.failback),
		core.Int("window_start", p.windowStart), core.Int("window_end", p.windowEnd)}
}

func restartSettings(r restart) []core.Setting {
	return []core.Setting{core.Bool("restart", r.restart), core.Int("restart_threshold", r.threshold), core.Int("restart_period", r.period),
		core.Bool("affect_group", r.affectGroup), core.Int("retry_period", r.retryPeriod)}
}

func ruleSettings(r nlbRule) []core.Setting {
	return []core.Setting{core.Text("cluster_ip", r.clusterIP), core.Int("start", r.start), core.Int("end", r.end), core.Text("protocol", r.protocol)}
}

func pairsSetting(name string, ps []core.Pair) core.Setting {
	return core.Setting{Name: name, Kind: core.SettingPairs, Pairs: ps}
}

// describeRule names a rule as NLB Manager lists it: 80/tcp, 0-65535/both@10.0.0.5.
func describeRule(r nlbRule) string {
	s := strconv.FormatInt(r.start, 10)
	if r.end != r.start {
		s += "-" + strconv.FormatInt(r.end, 10)
	}
	s += "/" + r.protocol
	if r.clusterIP != "all" {
		s += "@" + r.clusterIP
	}
	return s
}
