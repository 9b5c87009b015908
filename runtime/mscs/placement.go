package mscs

import (
	"fmt"
	"slices"
	"strings"

	"clusterscript/runtime/core"
)

// Placement rules of Windows Server 2008 R2 and later: group priority
// (2012), anti-affinity class names (2008 R2; enforced from 2012), and the
// site preference of 2016 (sites.go). Target choice stays KB 299631's
// (groupList, afterOwner, firstChoice): these rules only filter and order
// within the list that rule gives. docs/versions.md gives the sources.

// Group priorities (the group common property Priority: 3000, 2000, 1000
// and 0), Windows Server 2012 and later.
const (
	PriorityHigh        = "high"
	PriorityMedium      = "medium"
	PriorityLow         = "low"
	PriorityNoAutoStart = "no_auto_start"
)

// Priorities lists set_group_priority's values, highest first.
var Priorities = []string{PriorityHigh, PriorityMedium, PriorityLow, PriorityNoAutoStart}

// PriorityValues are the priorities as the group common property Priority
// holds them (Get-ClusterGroup, cluster.exe /prop Priority=).
var PriorityValues = map[string]int{PriorityHigh: 3000, PriorityMedium: 2000, PriorityLow: 1000, PriorityNoAutoStart: 0}

// GroupPriority is a group's priority and whether the cluster's version has
// priorities (Windows Server 2012 and later); medium unless set.
func (c *Cluster) GroupPriority(g *Group) (string, bool) {
	if !c.profile().groupPriority {
		return "", false
	}
	if g.Priority == "" {
		return PriorityMedium, true
	}
	return g.Priority, true
}

// AntiAffinityClasses are a group's AntiAffinityClassNames, and whether the
// cluster's version has them (Windows Server 2008 R2 and later).
func (c *Cluster) AntiAffinityClasses(g *Group) ([]string, bool) {
	if !c.profile().antiAffinity {
		return nil, false
	}
	return g.AntiAffinityClassNames, true
}

// priorityRank orders groups for starting: higher first. A group with no
// priority (every group before Windows Server 2012) is medium.
func priorityRank(g *Group) int {
	if g.Priority == "" {
		return PriorityValues[PriorityMedium]
	}
	return PriorityValues[g.Priority]
}

// noAutoStart reports whether the cluster leaves the group Offline rather
// than start it by itself (priority No Auto Start).
func (g *Group) noAutoStart() bool { return g.Priority == PriorityNoAutoStart }

// SetGroupPriority sets a group's priority: the order in which groups start
// after the cluster forms and among failovers at the same instant;
// "no_auto_start" groups are never started by the cluster itself.
func (e *Engine) SetGroupPriority(cluster, group, priority string) error {
	c, g, err := e.GroupOf(cluster, group)
	if err != nil {
		return err
	}
	if err := c.needVersion("set_group_priority", features["group priority"]); err != nil {
		return err
	}
	if err := core.OneOf("group priority", priority, Priorities...); err != nil {
		return err
	}
	if err := e.requireQuorum(c, fmt.Sprintf("change the priority of %q", g.Name)); err != nil {
		return err
	}
	e.touchGroup(g)
	g.Priority = priority
	if priority == PriorityMedium {
		g.Priority = "" // the default, as a state file leaves it out
	}
	what := map[string]string{
		PriorityHigh:        "it starts before medium and low groups",
		PriorityMedium:      "the default",
		PriorityLow:         "it starts after high and medium groups",
		PriorityNoAutoStart: "the cluster never starts it by itself: after a failover or when the cluster forms it stays Offline until started",
	}[priority]
	e.Emit(core.KindCluster, g.Name, "", "priority of group %q: %s (%d; %s)", g.Name, priority, PriorityValues[priority], what)
	e.RecordChange("set_group_priority", c.Name, g.Name, core.Text("priority", priority))
	return nil
}

// MaxClassNameLength bounds an anti-affinity class name.
const MaxClassNameLength = 255

// SetAntiAffinity sets a group's AntiAffinityClassNames; an empty list
// clears them. Like Windows, it moves nothing now: the classes count the
// next time the group is placed.
func (e *Engine) SetAntiAffinity(cluster, group string, classes []string) error {
	c, g, err := e.GroupOf(cluster, group)
	if err != nil {
		return err
	}
	if err := c.needVersion("set_anti_affinity", features["anti-affinity"]); err != nil {
		return err
	}
	if err := checkClassNames(classes); err != nil {
		return err
	}
	if err := e.requireQuorum(c, fmt.Sprintf("change the anti-affinity class names of %q", g.Name)); err != nil {
		return err
	}
	e.touchGroup(g)
	e.RecordChange("set_anti_affinity", c.Name, g.Name, core.List("class_names", classes))
	g.AntiAffinityClassNames = slices.Clip(slices.Clone(classes))
	if len(classes) == 0 {
		g.AntiAffinityClassNames = nil
		e.Emit(core.KindCluster, g.Name, "", "group %q has no anti-affinity class names", g.Name)
		return nil
	}
	e.Emit(core.KindCluster, g.Name, "", "anti-affinity class names of %q: %s (failover and moves avoid nodes hosting another group of these classes)", g.Name, quoteList(classes))
	return nil
}

// checkClassNames refuses an empty, padded, overlong or repeated class
// name.
func checkClassNames(classes []string) error {
	for i, s := range classes {
		switch {
		case strings.TrimSpace(s) == "":
			return core.Errf(core.ErrInvalid, "anti-affinity class name %d is empty; name the class, e.g. \"SQL\"", i+1)
		case s != strings.TrimSpace(s):
			return core.Errf(core.ErrInvalid, "anti-affinity class name %q has leading or trailing spaces; drop them", s)
		case len(s) > MaxClassNameLength:
			return core.Errf(core.ErrInvalid, "anti-affinity class name %q is longer than %d characters", s[:20]+"…", MaxClassNameLength)
		}
		if core.ContainsFold(classes[:i], s) {
			return core.Errf(core.ErrInvalid, "anti-affinity class name %q is given twice; give each once", s)
		}
	}
	return nil
}

// ---- Choosing a target ----

// A placement is where a group goes among candidates in KB 299631 order,
// and why the nodes before it were passed over.
type placement struct {
	target  string
	skipped []core.Skip
	// ignored: every eligible node hosts a group of a class the group
	// shares, and anti-affinity, a preference, gave way (target is the
	// first of them).
	ignored bool
	// blocked: the same, with ClusterEnforcedAntiAffinity = 1: no target,
	// and this is the first eligible node, where an Offline group waits.
	blocked string
}

// note is what a failover or move event adds when anti-affinity gave way.
func (p placement) note() string {
	if !p.ignored {
		return ""
	}
	return "; every node that can take it hosts a group of its anti-affinity class, which is a preference (ClusterEnforcedAntiAffinity 0), so it goes to " + p.target + " anyway"
}

// placeGroup walks candidates, in KB 299631 order, as the placement rules
// say: the nodes of the group's site first (2016), then the first eligible
// node that hosts no running group sharing an anti-affinity class
// (2008 R2); when every eligible node does, soft anti-affinity gives way
// and enforced anti-affinity leaves no target. The walk stops at the
// target, so a failover costs what it passes over, as in KB order alone.
func (e *Engine) placeGroup(c *Cluster, g *Group, candidates []string) placement {
	order := candidates
	home := c.homeSite(g)
	if home != "" {
		order = c.sameSiteFirst(candidates, home)
	}
	aa := c.profile().antiAffinity && len(g.AntiAffinityClassNames) > 0 && g.failsOver()
	enforced := aa && c.enforcesAntiAffinity()
	var p placement
	var walked []core.Skip // the nodes passed over, in walk order
	first, beforeFirst := "", 0
	for _, n := range order {
		if w := e.eligible(c, g, n); w != "" {
			walked = append(walked, core.Skip{Node: n, Why: w})
			continue
		}
		if first == "" {
			first, beforeFirst = n, len(walked)
		}
		if aa {
			if other, class := c.antiAffinityConflict(g, n); other != nil {
				w := fmt.Sprintf("hosts %q of anti-affinity class %s", other.Name, class)
				if enforced {
					w += ", enforced"
				}
				walked = append(walked, core.Skip{Node: n, Why: w})
				continue
			}
		}
		p.target = n
		break
	}
	switch {
	case p.target == "" && first != "" && enforced:
		p.blocked = first
	case p.target == "" && first != "":
		// Soft anti-affinity gives way: the nodes before the first
		// eligible one were passed over; the conflicts after it were not.
		p.target, p.ignored = first, true
		walked = walked[:beforeFirst:beforeFirst]
	}
	p.skipped = walked
	if home != "" {
		p.skipped = passedOver(candidates, order, p.target, walked, func(n string) string { return c.otherSite(n, home) })
	}
	return p
}

// passedOver lists, in KB order, the nodes a placement in site order
// passed over: those it looked at before the target (walked, with why),
// and those the site order moved behind it (siteWhy says why); with no
// target, every candidate.
func passedOver(kb, order []string, target string, walked []core.Skip, siteWhy func(string) string) []core.Skip {
	why := make(map[string]string, len(walked))
	for _, s := range walked {
		why[s.Node] = s.Why
	}
	orderAt := make(map[string]int, len(order))
	for i, n := range order {
		orderAt[n] = i
	}
	targetAt := len(order)
	if target != "" {
		targetAt = orderAt[target]
	}
	var out []core.Skip
	beforeTarget := true // in KB order
	for _, n := range kb {
		if n == target {
			beforeTarget = false
			continue
		}
		w, looked := why[n]
		switch {
		case looked && (orderAt[n] < targetAt || beforeTarget):
		case beforeTarget:
			w = siteWhy(n) // not looked at: the site order put it behind the target
		default:
			continue
		}
		out = append(out, core.Skip{Node: n, Why: w})
	}
	return out
}

// enforcesAntiAffinity: ClusterEnforcedAntiAffinity is 1 (2012+).
func (c *Cluster) enforcesAntiAffinity() bool {
	return c.profile().enforcedAntiAffinity && c.ClusterEnforcedAntiAffinity == 1
}

// antiAffinityConflict finds a running group on node, other than g, that
// shares one of g's anti-affinity classes (the first by name), and the
// class. A group counts while any of its resources is Online or on its way
// up: an Offline or Failed group takes nothing on the node.
func (c *Cluster) antiAffinityConflict(g *Group, node string) (*Group, string) {
	if len(g.AntiAffinityClassNames) == 0 {
		return nil, ""
	}
	var found *Group
	class := ""
	for o := range c.owned[core.Key(node)] {
		if o == g || !o.anyUp() || (found != nil && o.Name > found.Name) {
			continue
		}
		if cl := sharedClass(g.AntiAffinityClassNames, o.AntiAffinityClassNames); cl != "" {
			found, class = o, cl
		}
	}
	return found, class
}

// sharedClass is the first of a's class names that b has too (case does
// not matter), or "".
func sharedClass(a, b []string) string {
	for _, x := range a {
		if core.ContainsFold(b, x) {
			return x
		}
	}
	return ""
}

// enforcedConflict refuses to run g on node when enforced anti-affinity
// forbids it: a move to a named node and bring_online check it.
func (e *Engine) enforcedConflict(c *Cluster, g *Group, node string) error {
	if !c.enforcesAntiAffinity() {
		return nil
	}
	if other, class := c.antiAffinityConflict(g, node); other != nil {
		return core.Errf(core.ErrConflict, "group %q cannot run on %s, which hosts group %q of the same anti-affinity class %s, and ClusterEnforcedAntiAffinity is 1; move %q away first, pick another node, or set ClusterEnforcedAntiAffinity=0", g.Name, node, other.Name, class, other.Name)
	}
	return nil
}

// holdOffline leaves a group that fails over Offline instead of starting
// it: its resources go offline and, when its owner is Down, it moves to
// to (when there is one), which hosts it without running it.
func (e *Engine) holdOffline(c *Cluster, g *Group, to, why, because string, skipped []core.Skip) {
	from := g.Owner
	if to == "" || !c.ownerDown(g) {
		to = from
	}
	where := "stays Offline on " + from
	if !strings.EqualFold(from, to) {
		where = fmt.Sprintf("moves from %s to %s and stays Offline", from, to)
	}
	e.EmitDecision(core.KindFailover, g.Name, &core.Decision{From: from, To: to, Reason: why, Skipped: skipped},
		"group %q %s (%s): %s%s", g.Name, where, why, because, skippedText(skipped))
	e.offlineResources(c, g, g.Resources, "failing over", false)
	for _, r := range g.Resources {
		e.CancelTimers(timerRestart, c.Name+"/"+r.Name)
	}
	if !strings.EqualFold(from, to) {
		e.setOwner(c, g, to)
	}
}

// heldFailover handles a failover of a group the cluster does not start by
// itself (priority No Auto Start): it reports whether it did.
func (e *Engine) heldFailover(c *Cluster, g *Group, candidates []string, why string) bool {
	if !g.noAutoStart() || !c.profile().groupPriority {
		return false
	}
	p := e.placeGroup(c, g, candidates)
	to := p.target
	if to == "" {
		to = p.blocked
	}
	e.holdOffline(c, g, to, why, "its priority is No Auto Start, so the cluster does not start it; start it with bring_online", p.skipped)
	return true
}

// antiAffinityHold leaves a group Offline when enforced anti-affinity
// leaves it no node: it reports whether it did.
func (e *Engine) antiAffinityHold(c *Cluster, g *Group, p placement, why string) bool {
	if p.blocked == "" {
		return false
	}
	e.holdOffline(c, g, p.blocked, why, "Anti-Affinity Conflict: every node that can take it hosts a group of its anti-affinity class, and ClusterEnforcedAntiAffinity is 1", p.skipped)
	return true
}

// validatePlacement refuses loaded placement settings the cluster's version
// does not have or the builtins could not have made; nodes holds the names
// of the cluster's nodes.
func (c *Cluster) validatePlacement(at func(...any) string, nodes core.NameSet) error {
	p := c.profile()
	for j, n := range c.Nodes {
		if err := c.validateNodePlacement(func(parts ...any) string { return at(append([]any{"nodes", j}, parts...)...) }, n); err != nil {
			return err
		}
	}
	for j, g := range c.Groups {
		gat := func(parts ...any) string { return at(append([]any{"groups", j}, parts...)...) }
		switch {
		case g.Priority != "" && !p.groupPriority:
			return core.BadField(gat("priority"), "group %q has a priority, which %s does not have; leave it out", g.Name, versionName(c.Version))
		case g.Priority != "" && (g.Priority == PriorityMedium || !slices.Contains(Priorities, g.Priority)):
			return core.BadField(gat("priority"), "group %q has priority %q; priorities are high, low and no_auto_start (medium is left out)", g.Name, g.Priority)
		case len(g.AntiAffinityClassNames) > 0 && !p.antiAffinity:
			return core.BadField(gat("anti_affinity_class_names"), "group %q has anti-affinity class names, which %s does not have; leave them out", g.Name, versionName(c.Version))
		case g.DrainedFrom != "" && !nodes.Has(g.DrainedFrom):
			return core.BadField(gat("drained_from"), "group %q was drained from %q, no node of cluster %s", g.Name, g.DrainedFrom, c.Name)
		case g.DrainedFrom != "" && !p.drain:
			return core.BadField(gat("drained_from"), "group %q was drained, which %s cannot do; leave drained_from out", g.Name, versionName(c.Version))
		}
		if err := checkClassNames(g.AntiAffinityClassNames); err != nil {
			return core.BadField(gat("anti_affinity_class_names"), "group %q: %v", g.Name, err)
		}
	}
	return nil
}
