package builtins

import (
	"fmt"
	"strings"

	"clusterscript/runtime/nlb"
	"clusterscript/runtime/sim"
)

// renderNLB draws each NLB cluster as NLB Manager does: the cluster with
// its mode and MAC, its hosts with priority and state, and its port rules.
func renderNLB(b *strings.Builder, w *sim.World) {
	if len(w.NLB.Clusters) == 0 {
		return
	}
	b.WriteString("NLB clusters\n")
	for _, c := range w.NLB.Clusters {
		def := w.NLB.DefaultHost(c)
		if def == "" {
			def = "none"
		}
		facts := []string{fmt.Sprintf("%s/%s", c.IP, c.Mask), c.Mode, "MAC " + c.MAC(), "default host " + def}
		if c.Converging {
			facts = append(facts, "CONVERGING")
		}
		fmt.Fprintf(b, "  %s  %s\n", c.Name, strings.Join(facts, ", "))
		b.WriteString("    Hosts\n")
		hw := widest(c.Hosts, func(h *nlb.Host) string { return h.Server })
		for _, h := range c.Hosts {
			line := fmt.Sprintf("      %-*s  priority %-2d  %s on %s  %s", hw, h.Server, h.Priority, h.DedicatedIP, h.Adapter, w.NLB.HostState(c, h))
			if n := c.OpenConnections(h.Server); n > 0 {
				line += fmt.Sprintf(", %d connections", n)
			}
			b.WriteString(line + "\n")
		}
		b.WriteString("    Port rules\n")
		for _, r := range c.Rules {
			line := fmt.Sprintf("      %s %d-%d %s, %s", r.ClusterIP, r.Start, r.End, r.Protocol, r.Filtering)
			if r.Filtering == "multiple" {
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

// nlbNames are the names of NLB clusters and their hosts.
func nlbNames(w *sim.World) []string {
	var out []string
	for _, c := range w.NLB.Clusters {
		out = append(out, c.Name)
		for _, h := range c.Hosts {
			out = append(out, h.Server)
		}
	}
	return out
}
