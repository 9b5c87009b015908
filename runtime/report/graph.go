package report

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/sim"
)

// A Graph is one group's resources and their dependencies, laid out in
// layers: a resource is drawn above the resources it depends on.
type Graph struct {
	Cluster string      `json:"cluster"`
	Group   string      `json:"group"`
	Owner   string      `json:"owner"`
	State   string      `json:"state"`
	Nodes   []GraphNode `json:"nodes"`
	Edges   [][2]int    `json:"edges"` // dependent → dependency, as indexes into Nodes
	Width   float64     `json:"width"`
	Height  float64     `json:"height"`
}

// A GraphNode is a resource and its box: X, Y is the top-left corner.
type GraphNode struct {
	Name  string  `json:"name"`
	Type  string  `json:"type"`
	State string  `json:"state"`
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
	W     float64 `json:"w"`
}

// Box geometry, in pixels; the page draws boxes of NodeHeight.
const (
	NodeHeight = 36.0
	rowGap     = 44.0
	colGap     = 18.0
	graphPad   = 8.0
	charW      = 6.6 // the page's 11px sans-serif, on average
	minNodeW   = 90.0
	maxNodeW   = 210.0
)

func buildGraphs(w *sim.World) []*Graph {
	var out []*Graph
	for _, c := range w.MSCS.Clusters {
		for _, g := range c.Groups {
			out = append(out, layoutGroup(c, g))
		}
	}
	return out
}

// layoutGroup lays a group's dependency graph out in layers. Such graphs
// are small (an Exchange virtual server has a dozen resources, at most
// four levels deep) and acyclic (the engine refuses cycles), so a
// layered drawing needs only the longest-path layering and a few
// barycentre sweeps to order each layer; docs/report.md says why no
// general layout library is used.
func layoutGroup(c *mscs.Cluster, g *mscs.Group) *Graph {
	gr := &Graph{Cluster: c.Name, Group: g.Name, Owner: g.Owner, State: g.State()}
	index := map[string]int{}
	for i, r := range g.Resources {
		index[core.Key(r.Name)] = i
		gr.Nodes = append(gr.Nodes, GraphNode{Name: r.Name, Type: r.Type, State: r.State,
			W: math.Round(min(maxNodeW, max(minNodeW, charW*float64(max(len(r.Name), len(r.Type)*9/10))+16)))})
	}
	deps := make([][]int, len(g.Resources))
	for i, r := range g.Resources {
		for _, d := range r.Dependencies {
			if j, ok := index[core.Key(d)]; ok {
				deps[i] = append(deps[i], j)
				gr.Edges = append(gr.Edges, [2]int{i, j})
			}
		}
	}
	// height: the longest chain of dependencies below a resource.
	height := make([]int, len(deps))
	state := make([]int8, len(deps)) // 0 new, 1 in progress, 2 done
	var visit func(i int) int
	visit = func(i int) int {
		if state[i] != 0 { // 1: a cycle, which the engine refuses; cut it
			return height[i]
		}
		state[i] = 1
		for _, j := range deps[i] {
			height[i] = max(height[i], visit(j)+1)
		}
		state[i] = 2
		return height[i]
	}
	top := 0
	for i := range deps {
		top = max(top, visit(i))
	}
	layers := make([][]int, top+1)
	for i, h := range height {
		layers[top-h] = append(layers[top-h], i) // dependents on top
	}
	orderLayers(layers, deps)
	widths := make([]float64, len(layers))
	for row, l := range layers {
		widths[row] = -colGap
		for _, i := range l {
			widths[row] += gr.Nodes[i].W + colGap
		}
		gr.Width = max(gr.Width, widths[row])
	}
	for row, l := range layers {
		x := graphPad + (gr.Width-widths[row])/2
		for _, i := range l {
			gr.Nodes[i].X = math.Round(x)
			gr.Nodes[i].Y = graphPad + float64(row)*(NodeHeight+rowGap)
			x += gr.Nodes[i].W + colGap
		}
	}
	gr.Width = math.Round(gr.Width + 2*graphPad)
	gr.Height = 2*graphPad + float64(len(layers))*NodeHeight + float64(len(layers)-1)*rowGap
	if len(g.Resources) == 0 {
		gr.Width, gr.Height = 2*graphPad+minNodeW, 2*graphPad
	}
	return gr
}

// orderLayers reorders each layer by the mean position of its nodes'
// neighbours in the layer above, then below, a few times over: the
// barycentre heuristic, which keeps edges from crossing in graphs this
// small. Ties keep the group's order of resources.
func orderLayers(layers [][]int, deps [][]int) {
	up := make([][]int, len(deps)) // dependents of each resource
	for i, ds := range deps {
		for _, j := range ds {
			up[j] = append(up[j], i)
		}
	}
	pos := make([]float64, len(deps))
	place := func() {
		for _, l := range layers {
			for k, i := range l {
				pos[i] = float64(k)
			}
		}
	}
	place()
	sweep := func(l []int, neighbours [][]int) {
		bary := map[int]float64{}
		for _, i := range l {
			if len(neighbours[i]) == 0 {
				bary[i] = pos[i]
				continue
			}
			s := 0.0
			for _, j := range neighbours[i] {
				s += pos[j]
			}
			bary[i] = s / float64(len(neighbours[i]))
		}
		slices.SortStableFunc(l, func(a, b int) int {
			switch {
			case bary[a] < bary[b]:
				return -1
			case bary[a] > bary[b]:
				return 1
			}
			return 0
		})
		for k, i := range l {
			pos[i] = float64(k)
		}
	}
	for range 4 {
		for r := 1; r < len(layers); r++ {
			sweep(layers[r], up)
		}
		for r := len(layers) - 2; r >= 0; r-- {
			sweep(layers[r], deps)
		}
	}
}

// stateColour is the fill of a resource in the state it ended in; the
// page's stylesheet and the Mermaid classes use the same colours.
func stateColour(state string) string { return stateColours[stateClass(state)] }

var stateColours = map[string]string{"online": "#b7e4c7", "failed": "#f4a6a6", "pending": "#ffe08a", "offline": "#e0e0e0"}

// WriteDOT writes the final world's server clusters, groups, resources and
// dependencies as a Graphviz digraph: a box per cluster and per group, a
// node per resource (filled by state), an edge from each resource to each
// resource it depends on.
func WriteDOT(out io.Writer, w *sim.World) error {
	var b strings.Builder
	b.WriteString("digraph clusterscript {\n")
	b.WriteString("\tgraph [rankdir=TB, fontname=\"Helvetica\", fontsize=11];\n")
	b.WriteString("\tnode [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n")
	b.WriteString("\tedge [arrowsize=0.7];\n")
	for ci, c := range w.MSCS.Clusters {
		fmt.Fprintf(&b, "\tsubgraph cluster_%d {\n\t\tlabel=%s;\n", ci, dotQuote(fmt.Sprintf("cluster %s (%s)", c.Name, nodeList(c))))
		for gi, g := range c.Groups {
			fmt.Fprintf(&b, "\t\tsubgraph cluster_%d_%d {\n\t\t\tlabel=%s;\n", ci, gi, dotQuote(groupLabel(g)))
			if len(g.Resources) == 0 {
				// An empty subgraph is not drawn; a point keeps the group visible.
				fmt.Fprintf(&b, "\t\t\t%s [label=\"\", shape=point, style=invis];\n", dotQuote(c.Name+"/"+g.Name+"/"))
			}
			for _, r := range g.Resources {
				fmt.Fprintf(&b, "\t\t\t%s [label=%s, fillcolor=%s];\n", dotQuote(c.Name+"/"+r.Name),
					dotQuote(r.Name+"\n"+r.Type+"\n"+r.State), dotQuote(stateColour(r.State)))
			}
			b.WriteString("\t\t}\n")
		}
		b.WriteString("\t}\n")
		for _, g := range c.Groups {
			for _, r := range g.Resources {
				for _, d := range r.Dependencies {
					fmt.Fprintf(&b, "\t%s -> %s;\n", dotQuote(c.Name+"/"+r.Name), dotQuote(c.Name+"/"+d))
				}
			}
		}
	}
	b.WriteString("}\n")
	_, err := io.WriteString(out, b.String())
	return err
}

func nodeList(c *mscs.Cluster) string {
	var names []string
	for _, n := range c.Nodes {
		names = append(names, n.Name+" "+n.State)
	}
	if len(names) == 0 {
		return "no nodes"
	}
	return strings.Join(names, ", ")
}

func groupLabel(g *mscs.Group) string {
	if g.Owner == "" {
		return fmt.Sprintf("group %s: %s", g.Name, g.State())
	}
	return fmt.Sprintf("group %s: %s on %s", g.Name, g.State(), g.Owner)
}

// dotQuote makes a DOT double-quoted string: quotes and backslashes are
// escaped, and a newline becomes DOT's centred line break.
func dotQuote(s string) string { return `"` + dotEscaper.Replace(s) + `"` }

var dotEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// WriteMermaid writes the same graph as WriteDOT as a Mermaid flowchart,
// which GitHub and many wikis draw from a ```mermaid block.
func WriteMermaid(out io.Writer, w *sim.World) error {
	var b strings.Builder
	b.WriteString("flowchart TB\n")
	b.WriteString("\tclassDef online fill:#b7e4c7,stroke:#2d6a4f\n")
	b.WriteString("\tclassDef failed fill:#f4a6a6,stroke:#9d0208\n")
	b.WriteString("\tclassDef pending fill:#ffe08a,stroke:#b08900\n")
	b.WriteString("\tclassDef offline fill:#e0e0e0,stroke:#666\n")
	id := 0
	for ci, c := range w.MSCS.Clusters {
		fmt.Fprintf(&b, "\tsubgraph c%d[%s]\n", ci, mermaidText(fmt.Sprintf("cluster %s (%s)", c.Name, nodeList(c))))
		ids := map[string]string{}
		for gi, g := range c.Groups {
			fmt.Fprintf(&b, "\t\tsubgraph c%dg%d[%s]\n", ci, gi, mermaidText(groupLabel(g)))
			for _, r := range g.Resources {
				id++
				rid := fmt.Sprintf("r%d", id)
				ids[core.Key(r.Name)] = rid
				fmt.Fprintf(&b, "\t\t\t%s[%s]:::%s\n", rid, mermaidText(r.Name+"<br/>"+r.Type+" · "+r.State), stateClass(r.State))
			}
			b.WriteString("\t\tend\n")
		}
		b.WriteString("\tend\n")
		for _, g := range c.Groups {
			for _, r := range g.Resources {
				for _, d := range r.Dependencies {
					if to, ok := ids[core.Key(d)]; ok {
						fmt.Fprintf(&b, "\t%s --> %s\n", ids[core.Key(r.Name)], to)
					}
				}
			}
		}
	}
	_, err := io.WriteString(out, b.String())
	return err
}

// mermaidText quotes a label; Mermaid reads entity codes such as #quot;
// inside quoted labels, and <br/> as a line break.
func mermaidText(s string) string { return `"` + mermaidEscaper.Replace(s) + `"` }

var mermaidEscaper = strings.NewReplacer(`"`, "#quot;", "<br/>", "<br/>", "<", "#lt;", ">", "#gt;", "\n", " ")

func stateClass(state string) string {
	switch state {
	case mscs.Online:
		return "online"
	case mscs.Failed:
		return "failed"
	case mscs.OnlinePending, mscs.OfflinePending, mscs.Pending, mscs.PartialOnline:
		return "pending"
	}
	return "offline"
}
