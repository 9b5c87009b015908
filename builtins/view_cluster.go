package builtins

import (
	"fmt"
	"strings"

	"clusterscript/runtime/mscs"
	"clusterscript/runtime/sim"
)

// renderClusters draws each server cluster as Cluster Administrator does:
// the cluster, its nodes, then its groups with their resources.
func renderClusters(b *strings.Builder, w *sim.World) {
	if len(w.MSCS.Clusters) == 0 {
		return
	}
	b.WriteString("Server clusters\n")
	for _, c := range w.MSCS.Clusters {
		q := "has quorum"
		if !c.HasQuorum() {
			q = "NO QUORUM"
		}
		fmt.Fprintf(b, "  %s  %s, Windows Server %s, quorum %s (%s), %s\n", c.Name, c.IP, c.Version, c.QuorumName(), c.QuorumModel, q)
		b.WriteString("    Nodes\n")
		nw := widest(c.Nodes, func(n *mscs.Node) string { return n.Name })
		for _, n := range c.Nodes {
			var groups []string
			for _, g := range c.OwnedGroups(n.Name) {
				groups = append(groups, g.Name)
			}
			line := fmt.Sprintf("      %-*s  %-7s", nw, n.Name, n.State)
			if len(groups) > 0 {
				line += "  owns " + strings.Join(groups, ", ")
			}
			b.WriteString(strings.TrimRight(line, " ") + "\n")
		}
		b.WriteString("    Groups\n")
		for _, g := range c.Groups {
			facts := []string{fmt.Sprintf("%s on %s", g.State(), g.Owner)}
			if len(g.PreferredOwners) > 0 {
				facts = append(facts, "preferred "+strings.Join(g.PreferredOwners, ", "))
			}
			switch g.Failback {
			case mscs.FailbackImmediate:
				facts = append(facts, "failback immediate")
			case mscs.FailbackWindow:
				facts = append(facts, fmt.Sprintf("failback %02d:00–%02d:00", g.WindowStart, g.WindowEnd))
			}
			fmt.Fprintf(b, "      %s  %s\n", g.Name, strings.Join(facts, ", "))
			rw := widest(g.Resources, func(r *mscs.Resource) string { return r.Name })
			for _, r := range g.Resources {
				line := fmt.Sprintf("        %-*s  %-15s %s", rw, r.Name, r.State, r.Type)
				if len(r.Dependencies) > 0 {
					line += ", depends on " + strings.Join(r.Dependencies, ", ")
				}
				b.WriteString(line + "\n")
			}
		}
	}
}

// clusterNames are the names of clusters, groups and resources.
func clusterNames(w *sim.World) []string {
	var out []string
	for _, c := range w.MSCS.Clusters {
		out = append(out, c.Name)
		for _, g := range c.Groups {
			out = append(out, g.Name)
			for _, r := range g.Resources {
				out = append(out, r.Name)
			}
		}
	}
	return out
}
