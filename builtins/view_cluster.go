package builtins

import (
	"fmt"
	"strings"

	"clusterscript/runtime/mscs"
	"clusterscript/runtime/sim"
)

// A server cluster as Cluster Administrator shows it: the cluster, its
// nodes, then its groups with their resources.

type clusterView struct {
	Name        string      `json:"name"`
	IP          string      `json:"ip"`
	Version     string      `json:"version"`
	Quorum      string      `json:"quorum"` // the quorum resource, or the model's name
	QuorumModel string      `json:"quorum_model"`
	HasQuorum   bool        `json:"has_quorum"`
	Nodes       []nodeView  `json:"nodes,omitempty"`
	Groups      []groupView `json:"groups,omitempty"`

	narrowed bool // some nodes or groups are left out: draw only what is left
}

type nodeView struct {
	Name  string   `json:"name"`
	State string   `json:"state"`
	Owns  []string `json:"owns"` // the groups it owns
}

type groupView struct {
	Name            string         `json:"name"`
	State           string         `json:"state"`
	Owner           string         `json:"owner"`
	PreferredOwners []string       `json:"preferred_owners,omitempty"`
	Failback        string         `json:"failback"`                  // prevent, immediate or window
	FailbackWindow  []int          `json:"failback_window,omitempty"` // [start hour, end hour]
	Resources       []resourceView `json:"resources"`
}

type resourceView struct {
	Name         string   `json:"name"`
	State        string   `json:"state"`
	Type         string   `json:"type"`
	Dependencies []string `json:"dependencies,omitempty"`
}

func viewClusters(w *sim.World) []clusterView {
	var out []clusterView
	for _, c := range w.MSCS.Clusters {
		cv := clusterView{Name: c.Name, IP: c.IP, Version: c.Version, Quorum: quorumOrNone(c), QuorumModel: c.QuorumModel, HasQuorum: c.HasQuorum()}
		for _, n := range c.Nodes {
			nv := nodeView{Name: n.Name, State: n.DisplayState(), Owns: []string{}}
			for _, g := range c.OwnedGroups(n.Name) {
				nv.Owns = append(nv.Owns, g.Name)
			}
			cv.Nodes = append(cv.Nodes, nv)
		}
		for _, g := range c.Groups {
			gv := groupView{Name: g.Name, State: g.State(), Owner: g.Owner, PreferredOwners: g.PreferredOwners, Failback: g.Failback, Resources: []resourceView{}}
			if g.Failback == mscs.FailbackWindow {
				gv.FailbackWindow = []int{g.WindowStart, g.WindowEnd}
			}
			for _, r := range g.Resources {
				gv.Resources = append(gv.Resources, resourceView{Name: r.Name, State: r.State, Type: r.Type, Dependencies: r.Dependencies})
			}
			cv.Groups = append(cv.Groups, gv)
		}
		out = append(out, cv)
	}
	return out
}

func (v *worldView) drawClusters(b *strings.Builder) {
	if len(v.Clusters) == 0 {
		return
	}
	b.WriteString("Server clusters\n")
	for _, c := range v.Clusters {
		q := "has quorum"
		if !c.HasQuorum {
			q = "NO QUORUM"
		}
		fmt.Fprintf(b, "  %s  %s, Windows Server %s, quorum %s (%s), %s\n", c.Name, c.IP, c.Version, c.Quorum, c.QuorumModel, q)
		if len(c.Nodes) > 0 || !c.narrowed {
			b.WriteString("    Nodes\n")
		}
		nw := widest(c.Nodes, func(n nodeView) string { return n.Name })
		for _, n := range c.Nodes {
			line := fmt.Sprintf("      %-*s  %-7s", nw, n.Name, n.State)
			if len(n.Owns) > 0 {
				line += "  owns " + strings.Join(n.Owns, ", ")
			}
			b.WriteString(strings.TrimRight(line, " ") + "\n")
		}
		if len(c.Groups) > 0 || !c.narrowed {
			b.WriteString("    Groups\n")
		}
		for _, g := range c.Groups {
			facts := []string{fmt.Sprintf("%s on %s", g.State, g.Owner)}
			if len(g.PreferredOwners) > 0 {
				facts = append(facts, "preferred "+strings.Join(g.PreferredOwners, ", "))
			}
			switch g.Failback {
			case mscs.FailbackImmediate:
				facts = append(facts, "failback immediate")
			case mscs.FailbackWindow:
				facts = append(facts, fmt.Sprintf("failback %02d:00–%02d:00", g.FailbackWindow[0], g.FailbackWindow[1]))
			}
			fmt.Fprintf(b, "      %s  %s\n", g.Name, strings.Join(facts, ", "))
			rw := widest(g.Resources, func(r resourceView) string { return r.Name })
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

// narrowClusters keeps the clusters asked for whole, and of the others the
// nodes, groups and resources asked for (a resource with its group).
func (v *worldView) narrowClusters(l lookup) int {
	var n int
	v.Clusters, n = narrowList(v.Clusters, l, func(c *clusterView) string { return c.Name }, func(c *clusterView) int {
		m := 0
		c.Nodes = filter(c.Nodes, func(x nodeView) bool { return l.is(x.Name) })
		var groups []groupView
		for _, g := range c.Groups {
			if l.is(g.Name) {
				groups = append(groups, g)
				m++
			} else if rs := filter(g.Resources, func(r resourceView) bool { return l.is(r.Name) }); len(rs) > 0 {
				g.Resources = rs
				groups = append(groups, g)
				m += len(rs)
			}
		}
		c.Groups, c.narrowed = groups, true
		return m + len(c.Nodes)
	})
	return n
}

// quorumOrNone is the quorum resource's name, or "no witness" for node
// majority.
func quorumOrNone(c *mscs.Cluster) string {
	if q := c.QuorumName(); q != "" {
		return q
	}
	return "no witness"
}
