package importer

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/sim"
)

// The round trip: a snapshot imported into a world and read back out of
// it into the snapshot model gives the same objects and properties.
// exportrt_test.go makes the same trip through export --all --to
// powershell.

// extract reads a world's cluster back into the snapshot model.
func extract(w *sim.World, name string) *Cluster {
	c, _ := w.MSCS.Cluster(name)
	out := &Cluster{Name: c.Name, Version: c.Version, IP: c.IP, Mask: c.Mask, Quorum: Quorum{Mode: c.QuorumModel}}
	for _, n := range c.Nodes {
		vote := 1
		if n.NoVote {
			vote = 0
		}
		out.Nodes = append(out.Nodes, &Node{Name: n.Name, State: n.State, Vote: &vote, Site: n.Site})
	}
	for _, p := range mscs.ClusterProperties() {
		if v, ok := c.Property(p.Attr); ok {
			out.Properties = append(out.Properties, mscs.PropertySetting{Name: p.Name, Value: v})
		}
	}
	for _, g := range c.Groups {
		sg := &Group{Name: g.Name, Owner: g.Owner, State: g.State(), Description: g.Description, PreferredOwners: g.PreferredOwners,
			Core: g.Name == "Cluster Group", Priority: cmp.Or(g.Priority, mscs.PriorityMedium), AntiAffinity: g.AntiAffinityClassNames}
		p := mscs.FailoverPolicy{Threshold: g.FailoverThreshold, Period: g.FailoverPeriod, Failback: g.Failback}
		if g.FailoverThreshold == mscs.FailoverThresholdNodesMinusOne {
			p.DefaultThreshold, p.Threshold = true, 0
		}
		if g.WindowStart >= 0 {
			p.Window = []int{g.WindowStart, g.WindowEnd}
		}
		sg.Failover = &p
		for _, r := range g.Resources {
			switch {
			case r.Type == mscs.TypeMajorityNodeSet:
				continue // the engine's own quorum resource
			case r.Name == c.Quorum && r.Type == mscs.TypeFileShareWitness:
				out.Quorum.Witness = r.Params["path"]
				continue // the quorum configuration in a snapshot
			case r.Name == c.Quorum && r.Type == mscs.TypeCloudWitness:
				out.Quorum.Witness = r.Params["account"]
				continue
			case r.Name == c.Quorum:
				out.Quorum.Witness = r.Name
			}
			sr := &Resource{Name: r.Name, Type: r.Type, Description: r.Description, State: r.State, Dependencies: r.Dependencies,
				Params: r.Params, PossibleOwners: r.PossibleOwners,
				Restart: &mscs.RestartPolicy{Restart: r.Restart, Threshold: r.RestartThreshold, Period: r.RestartPeriod, AffectGroup: r.AffectGroup, RetryPeriod: r.RetryPeriodOnFailure()}}
			sg.Resources = append(sg.Resources, sr)
		}
		out.Groups = append(out.Groups, sg)
	}
	return out
}

// describe lists what a model says of a cluster, one fact a line, in a
// stable order; only the facts the snapshot sets (want) are compared.
func describe(c *Cluster, want *Cluster) []string {
	renamed := map[string]string{}
	for _, g := range want.Groups {
		if g.Core {
			renamed[g.Name] = "Cluster Group"
			for _, r := range g.Resources {
				switch {
				case r.Type == mscs.TypeIPAddress && r.Params["address"] == want.IP:
					renamed[r.Name] = "Cluster IP Address"
				case r.Type == mscs.TypeNetworkName && strings.EqualFold(r.Params["name"], want.Name):
					renamed[r.Name] = "Cluster Name"
				}
			}
		}
	}
	nm := func(s string) string { return rename(renamed, s) }
	var out []string
	add := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }
	add("cluster %s %s %s/%s", c.Name, c.Version, c.IP, c.Mask)
	add("quorum %s witness %q", c.Quorum.Mode, c.Quorum.Witness)
	for i, n := range c.Nodes {
		add("node %s %s site %q", n.Name, n.State, n.Site)
		if v := want.Nodes[i].Vote; v != nil && n.Vote != nil {
			add("node %s vote %d", n.Name, *n.Vote)
		}
	}
	props := map[string]any{}
	for _, p := range c.Properties {
		props[p.Name] = p.Value
	}
	for _, p := range want.Properties {
		v := props[p.Name]
		if p.Name == "LowerQuorumPriorityNodeID" {
			if s, ok := v.(string); ok {
				v = int64(slices.IndexFunc(c.Nodes, func(n *Node) bool { return n.Name == s }) + 1)
			}
		}
		add("property %s=%v", p.Name, v)
	}
	wantGroups := map[string]*Group{}
	for _, g := range want.Groups {
		wantGroups[nm(g.Name)] = g
	}
	var groups []*Group
	groups = append(groups, c.Groups...)
	sort.Slice(groups, func(i, j int) bool { return nm(groups[i].Name) < nm(groups[j].Name) })
	for _, g := range groups {
		wg := wantGroups[nm(g.Name)]
		if wg == nil {
			add("group %s not in the snapshot", g.Name)
			continue
		}
		add("group %q owner %s state %s preferred %v", nm(g.Name), g.Owner, g.State, g.PreferredOwners)
		if wg.Failover != nil {
			add("group %q failover %d (version default %v) in %d h, failback %s %v", nm(g.Name), g.Failover.Threshold, g.Failover.DefaultThreshold, g.Failover.Period, g.Failover.Failback, g.Failover.Window)
		}
		if wg.Priority != "" {
			add("group %q priority %s", nm(g.Name), g.Priority)
		}
		add("group %q anti-affinity %q", nm(g.Name), g.AntiAffinity)
		wantRes := map[string]*Resource{}
		for _, r := range wg.Resources {
			wantRes[nm(r.Name)] = r
		}
		rs := append([]*Resource(nil), g.Resources...)
		sort.Slice(rs, func(i, j int) bool { return nm(rs[i].Name) < nm(rs[j].Name) })
		for _, r := range rs {
			wr := wantRes[nm(r.Name)]
			if wr == nil {
				add("resource %s not in the snapshot", r.Name)
				continue
			}
			deps := make([]string, len(r.Dependencies))
			for i, d := range r.Dependencies {
				deps[i] = nm(d)
			}
			sort.Strings(deps)
			owners := slices.Clone(r.PossibleOwners)
			sort.Strings(owners)
			add("resource %q %s %q owners %v deps %v state %s", nm(r.Name), r.Type, r.Description, owners, deps, r.State)
			for _, k := range core.SortedKeys(wr.Params) {
				add("resource %q param %s=%s", nm(r.Name), k, r.Params[k])
			}
			if wr.Restart != nil && r.Restart != nil {
				p := r.Restart
				retry := p.RetryPeriod
				if retry == 0 {
					retry = mscs.DefaultRetryPeriod
				}
				add("resource %q restart %v %d in %d s, affect group %v, retry %d s", nm(r.Name), p.Restart, p.Threshold, p.Period, p.AffectGroup, retry)
			}
		}
	}
	return out
}

func TestRoundTripThroughTheWorld(t *testing.T) {
	for _, name := range []string{"fileserver.json", "cluster2016.json"} {
		t.Run(name, func(t *testing.T) {
			w, s := importFile(t, name)
			want := s.Clusters[0]
			got := extract(w, want.Name)
			wantLines, gotLines := describe(want, want), describe(got, want)
			if strings.Join(wantLines, "\n") != strings.Join(gotLines, "\n") {
				for i := 0; i < max(len(wantLines), len(gotLines)); i++ {
					var a, b string
					if i < len(wantLines) {
						a = wantLines[i]
					}
					if i < len(gotLines) {
						b = gotLines[i]
					}
					if a != b {
						t.Errorf("snapshot: %s\n     world: %s", a, b)
					}
				}
			}
			// The comparison sees a change: one preferred owner list less.
			g := want.Groups[1]
			if err := w.MSCS.SetPreferredOwners(want.Name, g.Name, nil); err != nil {
				t.Fatal(err)
			}
			if strings.Join(describe(extract(w, want.Name), want), "\n") == strings.Join(wantLines, "\n") {
				t.Errorf("clearing the preferred owners of %q went unnoticed", g.Name)
			}
		})
	}
}
