package mscs

import (
	"fmt"
	"strings"

	"clusterscript/runtime/core"
)

// Sites (fault domains of Windows Server 2016 and later): set_site puts a
// node in a site, and the cluster's PreferredSite names one. Failover,
// moves and drain try the nodes of the group's site first, keeping KB
// 299631's order within each site; a 50 % split keeps the preferred site.

// NodeSite is a node's site ("" for none) and whether the cluster's
// version has sites.
func (c *Cluster) NodeSite(n *Node) (string, bool) {
	return n.Site, c.profile().sites
}

// SetSite puts a node in a site (New-ClusterFaultDomain -Type Site, then
// Set-ClusterFaultDomain -Parent); "" takes it out of its site.
func (e *Engine) SetSite(cluster, node, site string) error {
	c, n, err := e.NodeOf(cluster, node)
	if err != nil {
		return err
	}
	if err := c.needVersion("set_site", features["sites"]); err != nil {
		return err
	}
	if err := checkSiteName(site); err != nil {
		return err
	}
	if err := e.requireQuorum(c, fmt.Sprintf("change the site of %s", n.Name)); err != nil {
		return err
	}
	e.touchNode(n)
	e.RecordChange("set_site", c.Name, n.Name, core.Text("site", site))
	old := n.Site
	n.Site = site
	switch {
	case site == "":
		e.Emit(core.KindCluster, n.Name, "", "node %s is in no site (it was in %s)", n.Name, old)
	case c.PreferredSite != "" && strings.EqualFold(site, c.PreferredSite):
		e.Emit(core.KindCluster, n.Name, "", "node %s is in site %s, the preferred site", n.Name, site)
	default:
		e.Emit(core.KindCluster, n.Name, "", "node %s is in site %s", n.Name, site)
	}
	e.adjustVotes(c, "a node's site changed", nil) // the tie-breaker prefers a voter outside PreferredSite
	return nil
}

// checkSiteName refuses what cannot name a site.
func checkSiteName(s string) error {
	if !siteNameOK(s) {
		return core.Errf(core.ErrInvalid, "%q is not a site name: no leading or trailing spaces, at most 63 characters", s)
	}
	return nil
}

// siteNameOK is the rule a site name follows, node sites and PreferredSite
// alike: no leading or trailing spaces, at most 63 characters.
func siteNameOK(s string) bool { return s == strings.TrimSpace(s) && len(s) <= 63 }

// homeSite is the site a group's failover prefers: its owner's, else the
// cluster's PreferredSite; "" when sites do not apply.
func (c *Cluster) homeSite(g *Group) string {
	if !c.profile().sites {
		return ""
	}
	if o := c.nodes[core.Key(g.Owner)]; o != nil && o.Site != "" {
		return o.Site
	}
	return c.PreferredSite
}

// sameSiteFirst is candidates with the nodes of site first, each part in
// the order it had.
func (c *Cluster) sameSiteFirst(candidates []string, site string) []string {
	out := make([]string, 0, len(candidates))
	var rest []string
	for _, name := range candidates {
		if n := c.nodes[core.Key(name)]; n != nil && strings.EqualFold(n.Site, site) {
			out = append(out, name)
		} else {
			rest = append(rest, name)
		}
	}
	return append(out, rest...)
}

// otherSite says why a node of another site came after the target.
func (c *Cluster) otherSite(name, home string) string {
	if n := c.nodes[core.Key(name)]; n != nil && n.Site != "" {
		return fmt.Sprintf("site %s, not %s", n.Site, home)
	}
	return "in no site, not " + home
}

// inPreferredSite reports whether a node is in the cluster's PreferredSite.
// The 50 % tie-breaker takes a vote from a node outside it first.
func (c *Cluster) inPreferredSite(n *Node) bool {
	return c.profile().sites && c.PreferredSite != "" && strings.EqualFold(n.Site, c.PreferredSite)
}
