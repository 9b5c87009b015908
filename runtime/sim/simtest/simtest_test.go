package simtest

import "testing"

func TestOnlineCluster(t *testing.T) {
	w := OnlineCluster(t, 12, 30)
	c, err := w.MSCS.Cluster(Cluster)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Nodes) != 12 || c.Nodes[11].Name != "NODE12" || len(c.Groups) != 31 {
		t.Fatalf("%d nodes (last %s), %d groups; want 12 (NODE12) and 30 besides the Cluster Group", len(c.Nodes), c.Nodes[len(c.Nodes)-1].Name, len(c.Groups))
	}
	for _, g := range c.Groups {
		if g.State() != "Online" || (g.Name != "Cluster Group" && len(g.Resources) != 4) {
			t.Errorf("group %s is %s with %d resources", g.Name, g.State(), len(g.Resources))
		}
	}
}
