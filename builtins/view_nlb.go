package builtins

import (
	"fmt"
	"strings"

	"clusterscript/runtime/sim"
)

// An NLB cluster as NLB Manager shows it: the cluster with its mode and
// MAC, its hosts with priority and state, and its port rules.

type nlbView struct {
	Name        string         `json:"name"`
	IP          string         `json:"ip"`
	Mask        string         `json:"mask"`
	Mode        string         `json:"mode"`
	MAC         string         `json:"mac"`
	DefaultHost string         `json:"default_host,omitempty"`
	Converging  bool           `json:"converging,omitempty"`
	Hosts       []nlbHostView  `json:"hosts,omitempty"`
	PortRules   []portRuleView `json:"port_rules,omitempty"`

	narrowed bool // some hosts are left out, and the port rules
}

type nlbHostView struct {
	Server      string `json:"server"`
	Priority    int    `json:"priority"`
	DedicatedIP string `json:"dedicated_ip"`
	Adapter     string `json:"adapter"`
	State       string `json:"state"`
	Connections int    `json:"connections,omitempty"`
}

type portRuleView struct {
	ClusterIP  string   `json:"cluster_ip"`
	Start      int      `json:"start"`
	End        int      `json:"end"`
	Protocol   string   `json:"protocol"`
	Filtering  string   `json:"filtering"`
	Affinity   string   `json:"affinity,omitempty"` // for multiple-host filtering
	DisabledOn []string `json:"disabled_on,omitempty"`
	DrainingOn []string `json:"draining_on,omitempty"`
}

func viewNLB(w *sim.World) []nlbView {
	var out []nlbView
	for _, c := range w.NLB.Clusters {
		v := nlbView{Name: c.Name, IP: c.IP, Mask: c.Mask, Mode: c.Mode, MAC: c.MAC(), DefaultHost: w.NLB.DefaultHost(c), Converging: c.Converging}
		for _, h := range c.Hosts {
			v.Hosts = append(v.Hosts, nlbHostView{Server: h.Server, Priority: h.Priority, DedicatedIP: h.DedicatedIP, Adapter: h.Adapter,
				State: w.NLB.HostState(c, h), Connections: c.OpenConnections(h.Server)})
		}
		for _, r := range c.Rules {
			rv := portRuleView{ClusterIP: r.ClusterIP, Start: r.Start, End: r.End, Protocol: r.Protocol, Filtering: r.Filtering, DisabledOn: r.DisabledOn, DrainingOn: r.DrainingOn}
			if r.Filtering == "multiple" {
				rv.Affinity = r.Affinity
			}
			v.PortRules = append(v.PortRules, rv)
		}
		out = append(out, v)
	}
	return out
}

func (v *worldView) drawNLB(b *strings.Builder) {
	if len(v.NLBClusters) == 0 {
		return
	}
	b.WriteString("NLB clusters\n")
	for _, c := range v.NLBClusters {
		def := c.DefaultHost
		if def == "" {
			def = "none"
		}
		facts := []string{fmt.Sprintf("%s/%s", c.IP, c.Mask), c.Mode, "MAC " + c.MAC, "default host " + def}
		if c.Converging {
			facts = append(facts, "CONVERGING")
		}
		fmt.Fprintf(b, "  %s  %s\n", c.Name, strings.Join(facts, ", "))
		b.WriteString("    Hosts\n")
		hw := widest(c.Hosts, func(h nlbHostView) string { return h.Server })
		for _, h := range c.Hosts {
			line := fmt.Sprintf("      %-*s  priority %-2d  %s on %s  %s", hw, h.Server, h.Priority, h.DedicatedIP, h.Adapter, h.State)
			if h.Connections > 0 {
				line += fmt.Sprintf(", %d connections", h.Connections)
			}
			b.WriteString(line + "\n")
		}
		if c.narrowed {
			continue
		}
		b.WriteString("    Port rules\n")
		for _, r := range c.PortRules {
			line := fmt.Sprintf("      %s %d-%d %s, %s", r.ClusterIP, r.Start, r.End, r.Protocol, r.Filtering)
			if r.Affinity != "" {
				line += ", affinity " + r.Affinity
			}
			if len(r.DisabledOn) > 0 {
				line += ", disabled on " + strings.Join(r.DisabledOn, ", ")
			}
			if len(r.DrainingOn) > 0 {
				line += ", draining on " + strings.Join(r.DrainingOn, ", ")
			}
			b.WriteString(line + "\n")
		}
	}
}

// narrowNLB keeps the NLB clusters asked for whole, and of the others the
// hosts asked for.
func (v *worldView) narrowNLB(l lookup) int {
	var n int
	v.NLBClusters, n = narrowList(v.NLBClusters, l, func(c *nlbView) string { return c.Name }, func(c *nlbView) int {
		c.Hosts = filter(c.Hosts, func(h nlbHostView) bool { return l.is(h.Server) })
		c.PortRules, c.narrowed = nil, true
		return len(c.Hosts)
	})
	return n
}
