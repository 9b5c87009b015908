package nlb

import (
	"strconv"

	"clusterscript/runtime/core"
)

// The NLB operations in the change log (core.Change), recorded by the
// public methods once a change is made, under the builtins' names. A port
// rule is named by its cluster IP and port range, as NLB Manager lists it.

func (e *Engine) recordCluster(c *Cluster) {
	e.RecordChange("create_nlb_cluster", c.Name, "", core.Text("ip", c.IP), core.Text("mask", c.Mask), core.Text("mode", c.Mode))
}

func (e *Engine) recordHost(c *Cluster, h *Host) {
	e.RecordChange("nlb_add_host", c.Name, h.Server, core.Text("adapter", h.Adapter), core.Int("priority", int64(h.Priority)),
		core.Text("dedicated_ip", h.DedicatedIP), core.Text("mask", h.Mask), core.Text("initial_state", h.InitialState))
}

func ruleSettings(r *PortRule) []core.Setting {
	return []core.Setting{core.Text("cluster_ip", r.ClusterIP), core.Int("start", int64(r.Start)), core.Int("end", int64(r.End)), core.Text("protocol", r.Protocol)}
}

func hostValues(name string, hv []HostValue) core.Setting {
	m := make(map[string]string, len(hv))
	for _, v := range hv {
		m[v.Host] = strconv.Itoa(v.Value)
	}
	return core.Pairs(name, m)
}

func (e *Engine) recordRule(op string, c *Cluster, r *PortRule) {
	s := ruleSettings(r)
	if op == "nlb_port_rule" {
		s = append(s, core.Text("filtering", r.Filtering), core.Text("affinity", r.Affinity))
		if r.LoadWeights != nil {
			s = append(s, hostValues("load_weights", r.LoadWeights))
		}
		if r.HandlingPriorities != nil {
			s = append(s, hostValues("handling_priorities", r.HandlingPriorities))
		}
	}
	e.RecordChange(op, c.Name, r.Describe(), s...)
}

// recordControl, deferred by a host command once its host is found,
// records the command if it succeeded (one that found nothing to do too:
// the administrator ran it).
func (e *Engine) recordControl(op string, c *Cluster, h *Host, err *error) {
	if *err == nil {
		e.RecordChange(op, c.Name, h.Server)
	}
}

// recordRuleState records wlbs enable, disable or drain of one rule on
// one host.
func (e *Engine) recordRuleState(state string, c *Cluster, h *Host, r *PortRule, port int) {
	op := map[string]string{RuleEnabled: "nlb_enable", RuleDisabled: "nlb_disable", RuleDraining: "nlb_drain"}[state]
	e.RecordChange(op, c.Name, h.Server, append(ruleSettings(r), core.Int("port", int64(port)))...)
}
