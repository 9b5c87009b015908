package mscs

import (
	"clusterscript/runtime/core"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// ---- Dependency order ----

func (c *Cluster) depsOf(r *Resource) []*Resource {
	out := make([]*Resource, len(r.Dependencies))
	for i, d := range r.Dependencies {
		out[i] = c.resources[core.Key(d)]
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (c *Cluster) dependentsOf(r *Resource) []*Resource {
	out := append([]*Resource(nil), c.dependents[r]...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func byName(rs []*Resource) []*Resource {
	out := append([]*Resource(nil), rs...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// walk lists targets and every resource reached from them through next,
// deepest first (each resource after the ones next leads to), keeping only
// those keep accepts; resources are visited in name order.
func walk(targets []*Resource, next func(*Resource) []*Resource, keep func(*Resource) bool) []*Resource {
	var order []*Resource
	seen := map[*Resource]bool{}
	var visit func(r *Resource)
	visit = func(r *Resource) {
		if seen[r] {
			return
		}
		seen[r] = true
		for _, d := range next(r) {
			visit(d)
		}
		if keep(r) {
			order = append(order, r)
		}
	}
	for _, r := range byName(targets) {
		visit(r)
	}
	return order
}

// onlineOrder lists targets and the dependencies they need that are not
// Online, dependencies first; siblings start in name order.
func (c *Cluster) onlineOrder(targets []*Resource) []*Resource {
	return walk(targets, c.depsOf, func(r *Resource) bool { return r.State != Online })
}

// offlineOrder lists targets and their dependents that are not Offline,
// dependents first.
func (c *Cluster) offlineOrder(targets []*Resource) []*Resource {
	return walk(targets, c.dependentsOf, func(r *Resource) bool { return r.State != Offline })
}

// closure lists targets and everything they depend on, dependencies first,
// whatever their state.
func (c *Cluster) closure(targets []*Resource) []*Resource {
	return walk(targets, c.depsOf, func(*Resource) bool { return true })
}

// ---- Whether a resource can run on a node ----

// canRun explains why resource r cannot come online on node, or returns nil.
func (e *Engine) canRun(c *Cluster, r *Resource, node string) error {
	n := c.nodes[core.Key(node)]
	switch {
	case n == nil:
		return core.Errf(core.ErrState, "group %q has no owner node", r.group.Name)
	case n.State == NodePaused:
		return core.Errf(core.ErrState, "node %s is Paused and cannot bring resources online; resume it or move group %q", n.Name, r.group.Name)
	case n.State != NodeUp:
		return core.Errf(core.ErrState, "node %s is %s; resources come online only on an Up node — move group %q", n.Name, n.State, r.group.Name)
	}
	if silent := e.silent(c, node); silent != "" { // only an Up node can be silent yet undeclared
		return core.Errf(core.ErrState, "%s; %q cannot come online there — wait until the cluster declares %s Down and group %q fails over", silent, r.Name, n.Name, r.group.Name)
	}
	if !c.canOwn(r, n.Name) {
		return core.Errf(core.ErrPrereq, "node %s is not a possible owner of %q (possible owners: %s); add it with set_possible_owners or move the group", n.Name, r.Name, strings.Join(c.PossibleOwnerNames(r), ", "))
	}
	s := e.LookupServer(n.Name)
	switch r.Type {
	case TypePhysicalDisk:
		d := e.LookupDisk(r.Params["disk"])
		if d.Failed {
			return core.Errf(core.ErrState, "disk %s of %q has failed; repair it first", d.Label, r.Name)
		}
		if !d.Sees(n.Name) {
			return core.Errf(core.ErrPrereq, "node %s does not see disk %s of %q", n.Name, d.Label, r.Name)
		}
	case TypeIPAddress:
		nw, _ := c.network(r.Params["network"])
		if nw != nil && !s.HasWorkingAdapterOn(nw.Subnet) {
			return core.Errf(core.ErrState, "node %s has no working adapter on network %s for %q; repair or configure one", n.Name, nw.Name, r.Name)
		}
	}
	if resourceTypes[r.Type].exchange && s.Exchange != "cluster-aware" {
		return core.Errf(core.ErrPrereq, "node %s has no cluster-aware Exchange, which %q needs; install_exchange on it", n.Name, r.Name)
	}
	if r.Type == TypeSA {
		if other := e.otherEVSOn(c, r.group, n.Name); other != nil {
			return core.Errf(core.ErrState, "node %s already hosts Exchange virtual server %q; on a cluster of %d nodes each node runs at most one (the System Attendant fails with error 5018) — move the group to a passive node", n.Name, other.Name, len(c.Nodes))
		}
	}
	return nil
}

// otherEVSOn finds another Exchange virtual server running on node, when
// the one-per-node rule applies (clusters of three or more nodes).
func (e *Engine) otherEVSOn(c *Cluster, g *Group, node string) *Group {
	if len(c.Nodes) < 3 {
		return nil
	}
	// The owned set is a map: pick the first by name, so that the message
	// naming it is the same on every run.
	var found *Group
	for o := range c.owned[core.Key(node)] {
		if o != g && o.runsVirtualServer() && (found == nil || o.Name < found.Name) {
			found = o
		}
	}
	return found
}

// runsVirtualServer reports whether the group runs an Exchange virtual
// server on its owner: one of its Exchange resources (the System Attendant
// or one made with it) is Online or on its way up or down. Its disk,
// address or name alone do not count: they are plain cluster resources,
// and Exchange's one-per-node rule is enforced when the System Attendant
// starts (error 5018). The bring_online gate, target choice and the
// invariants all use this one definition.
func (g *Group) runsVirtualServer() bool {
	if g.EVS == 0 {
		return false
	}
	for _, r := range g.Resources {
		if rt := resourceTypes[r.Type]; rt != nil && rt.exchange && (r.State == Online || r.State == OnlinePending || r.State == OfflinePending) {
			return true
		}
	}
	return false
}

func (g *Group) anyUp() bool {
	for _, r := range g.Resources {
		if r.State == Online || r.State == OnlinePending {
			return true
		}
	}
	return false
}

// ---- State changes ----

func (e *Engine) setState(r *Resource, state, why string) {
	if r.State == Failed && state != Failed {
		e.cancelRetry(r)
	}
	e.touchResource(r)
	r.State = state
	e.applyStoredParams(r)
	text := "resource " + strconv.Quote(r.Name) + " is " + state
	if state == Online {
		text += " on " + r.group.Owner
	}
	if why != "" {
		text += " (" + why + ")"
	}
	e.EmitText(core.KindState, r.Name, state, text)
}

// groupChanged emits the group's derived state when it differs from before.
func (e *Engine) groupChanged(g *Group, before string) {
	if after := g.State(); after != before {
		e.EmitText(core.KindState, g.Name, after, "group "+strconv.Quote(g.Name)+" is "+after+" on "+g.Owner)
	}
}

// onlineResources brings resources online, in order, without checks.
func (e *Engine) onlineResources(c *Cluster, g *Group, targets []*Resource, why string) {
	before := g.State()
	for _, r := range c.onlineOrder(targets) {
		e.touchResource(r)
		r.Persistent = true
		e.setState(r, Online, why)
	}
	e.groupChanged(g, before)
}

// offlineResources takes resources offline, dependents first.
func (e *Engine) offlineResources(c *Cluster, g *Group, targets []*Resource, why string, admin bool) {
	before := g.State()
	for _, r := range c.offlineOrder(targets) {
		if admin {
			e.touchResource(r)
			r.Persistent = false
		}
		e.setState(r, Offline, why)
		e.CancelTimers(timerRestart, c.Name+"/"+r.Name)
	}
	e.groupChanged(g, before)
}

// checkOnline validates bringing targets online on the group's owner.
func (e *Engine) checkOnline(c *Cluster, g *Group, targets []*Resource, node string) error {
	if !c.running() {
		return core.Errf(core.ErrState, "cluster %s has lost quorum and runs nothing; restore quorum first", c.Name)
	}
	for _, r := range c.onlineOrder(targets) {
		if err := e.canRun(c, r, node); err != nil {
			return err
		}
	}
	return nil
}

// resolveTarget finds the resource or group a builtin names.
func (e *Engine) resolveTarget(cluster, name string, isGroup bool) (*Cluster, *Group, []*Resource, error) {
	if isGroup {
		c, g, err := e.GroupOf(cluster, name)
		if err != nil {
			return nil, nil, nil, err
		}
		return c, g, g.Resources, nil
	}
	c, r, err := e.ResourceOf(cluster, name)
	if err != nil {
		return nil, nil, nil, err
	}
	return c, r.group, []*Resource{r}, nil
}

// BringOnline brings a resource (with its dependencies) or a whole group
// online on the group's owner.
func (e *Engine) BringOnline(cluster, name string, isGroup bool) error {
	c, g, targets, err := e.resolveTarget(cluster, name, isGroup)
	if err != nil {
		return err
	}
	if len(targets) == 0 {
		return core.Errf(core.ErrState, "group %q is empty; add resources to it first", g.Name)
	}
	if err := e.checkOnline(c, g, targets, g.Owner); err != nil {
		return err
	}
	if err := e.enforcedConflict(c, g, g.Owner); err != nil { // placement: enforced anti-affinity
		return err
	}
	for _, r := range targets {
		e.touchResource(r)
		r.Persistent = true
	}
	e.onlineResources(c, g, targets, "")
	e.recordOperation("bring_online", c, name, isGroup)
	return nil
}

// TakeOffline takes a resource (with its dependents) or a whole group
// offline.
func (e *Engine) TakeOffline(cluster, name string, isGroup bool) error {
	c, g, targets, err := e.resolveTarget(cluster, name, isGroup)
	if err != nil {
		return err
	}
	what := fmt.Sprintf("take %q offline", g.Name)
	if !isGroup {
		what = fmt.Sprintf("take %q offline", targets[0].Name)
	}
	// Whether a resource should be online is kept in the cluster database,
	// which only a running cluster changes; and a stopped cluster must not
	// forget that its quorum resource comes online when it forms again.
	if err := e.requireQuorum(c, what); err != nil {
		return err
	}
	if n := c.nodes[core.Key(g.Owner)]; n == nil || n.State == NodeDown || n.State == NodeJoining {
		return core.Errf(core.ErrState, "group %q is on node %s, which is not running the Cluster service", g.Name, g.Owner)
	}
	if err := e.mustRespond(c, g, what); err != nil {
		return err
	}
	for _, r := range c.offlineOrder(targets) {
		if r.Type == TypeMajorityNodeSet || r.Type == TypeLocalQuorum || r.Name == c.Quorum {
			return core.Errf(core.ErrState, "%q is the quorum resource of cluster %s and must stay online while the cluster runs", r.Name, c.Name)
		}
	}
	e.offlineResources(c, g, targets, "", true)
	for _, r := range targets {
		e.touchResource(r)
		r.Persistent = false
	}
	e.recordOperation("take_offline", c, name, isGroup)
	return nil
}

// ---- Moving groups ----

// groupList is a group's node list: its preferred owners in order, then
// every other node by name.
func (c *Cluster) groupList(g *Group) []string {
	names := c.NodeNames()
	list := make([]string, 0, len(names))
	list = append(list, g.PreferredOwners...)
	for _, n := range names {
		if !core.ContainsFold(g.PreferredOwners, n) {
			list = append(list, n)
		}
	}
	return list
}

// eligible explains why node cannot host group g, or returns "".
func (e *Engine) eligible(c *Cluster, g *Group, node string) string {
	n := c.nodes[core.Key(node)]
	switch {
	case n.State == NodePaused:
		return "Paused"
	case n.State != NodeUp:
		return n.DisplayState()
	}
	for _, r := range g.Resources {
		if !c.canOwn(r, node) {
			return fmt.Sprintf("not a possible owner of %q", r.Name)
		}
	}
	if g.EVS > 0 {
		if other := e.otherEVSOn(c, g, node); other != nil {
			return fmt.Sprintf("already hosts Exchange virtual server %q", other.Name)
		}
		if e.LookupServer(node).Exchange != "cluster-aware" {
			return "no cluster-aware Exchange"
		}
	}
	return ""
}

// pick walks candidates in order and returns the first eligible node, with
// the reasons the others before it were skipped; the placement rules of
// later versions (placement.go) filter and order within that walk.
func (e *Engine) pick(c *Cluster, g *Group, candidates []string) (string, []core.Skip) {
	p := e.placeGroup(c, g, candidates)
	return p.target, p.skipped
}

// firstChoice is the move/failback/quorum-return order: the group's list
// without the nodes in except.
func (c *Cluster) firstChoice(g *Group, except string) []string {
	var out []string
	for _, n := range c.groupList(g) {
		if !strings.EqualFold(n, except) {
			out = append(out, n)
		}
	}
	return out
}

// afterOwner is the failover order: the nodes after the current owner in
// the group's list, wrapping round, without the owner itself (KB 299631).
func (c *Cluster) afterOwner(g *Group) []string {
	list := c.groupList(g)
	at := -1
	for i, n := range list {
		if strings.EqualFold(n, g.Owner) {
			at = i
		}
	}
	var out []string
	for i := 1; i < len(list); i++ {
		out = append(out, list[(at+i+len(list))%len(list)])
	}
	if at < 0 {
		out = list
	}
	return out
}

func skippedText(skipped []core.Skip) string {
	if len(skipped) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("; skipped ")
	for i, s := range skipped {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s.Node + " (" + s.Why + ")")
	}
	return b.String()
}

// MoveGroup moves a group to node, or without a node to the first eligible
// node of its list other than its owner, restoring its state there.
func (e *Engine) MoveGroup(cluster, group, node string) error {
	c, g, err := e.GroupOf(cluster, group)
	if err != nil {
		return err
	}
	if !c.running() {
		return core.Errf(core.ErrState, "cluster %s has lost quorum; restore quorum before moving groups", c.Name)
	}
	if err := e.mustRespond(c, g, fmt.Sprintf("move group %q", g.Name)); err != nil {
		return err
	}
	var target string
	var skipped []core.Skip
	if node != "" {
		n, err := c.Node(node)
		if err != nil {
			return err
		}
		if strings.EqualFold(n.Name, g.Owner) {
			return core.Errf(core.ErrState, "group %q is already on %s", g.Name, n.Name)
		}
		if why := e.eligible(c, g, n.Name); why != "" {
			return core.Errf(core.ErrState, "group %q cannot move to %s: the node %s", g.Name, n.Name, nodeIs(why))
		}
		if g.failsOver() {
			if err := e.enforcedConflict(c, g, n.Name); err != nil { // placement: enforced anti-affinity
				return err
			}
		}
		target = n.Name
	} else {
		target, skipped = e.pick(c, g, c.firstChoice(g, g.Owner))
		if target == "" {
			return core.Errf(core.ErrState, "group %q has no other node to move to%s; bring a node up or resume one", g.Name, skippedText(skipped))
		}
	}
	if why := e.silent(c, target); why != "" {
		chosen := ""
		if node == "" {
			chosen = " (the first eligible node of its list)"
		}
		return core.Errf(core.ErrState, "group %q cannot move to %s%s: %s; move it to another node, or wait until the cluster declares %s Down", g.Name, target, chosen, why, target)
	}
	restore := g.persistentResources()
	if err := e.checkRestore(c, restore, target); err != nil {
		return err
	}
	e.EmitDecision(core.KindCluster, g.Name, &core.Decision{From: g.Owner, To: target, Reason: "manual move", Skipped: skipped},
		"moving group %q from %s to %s (manual move%s)", g.Name, g.Owner, target, skippedText(skipped))
	e.relocate(c, g, target, restore, "moved")
	e.RecordChange("move_group", c.Name, g.Name, core.Text("node", canonicalNode(c, node)), core.Text("to", target))
	return nil
}

// relocate takes a group offline on its owner, hands it to target and
// brings restore online there.
func (e *Engine) relocate(c *Cluster, g *Group, target string, restore []*Resource, why string) {
	e.offlineResources(c, g, g.Resources, "", false)
	e.setOwner(c, g, target)
	if len(restore) > 0 {
		e.onlineResources(c, g, restore, why)
	}
}

// setOwner hands a group to another node. Restart counts start again there:
// the Resource Monitor of the new node has seen no failures.
func (e *Engine) setOwner(c *Cluster, g *Group, node string) {
	core.DeleteKey(e.World, c.owned[core.Key(g.Owner)], g)
	if !strings.EqualFold(g.Owner, node) {
		for _, r := range g.Resources {
			e.touchResource(r)
			r.Restarts = nil
		}
	}
	e.touchGroup(g)
	g.Owner = node
	core.SetKey(e.World, c.owned[core.Key(node)], g, true)
}

// ---- Nodes ----

// PauseNode pauses a node: it keeps its groups but takes no new ones.
func (e *Engine) PauseNode(cluster, node string) error {
	c, n, err := e.NodeOf(cluster, node)
	if err != nil {
		return err
	}
	switch n.State {
	case NodePaused:
		return core.Errf(core.ErrState, "node %s is already Paused", n.Name)
	case NodeUp:
	default:
		return core.Errf(core.ErrState, "node %s is %s; only an Up node can be paused", n.Name, n.State)
	}
	e.touchNode(n)
	n.State, n.Paused = NodePaused, true
	e.Emit(core.KindState, n.Name, NodePaused, "node %s is %s (it keeps its %d groups; none can move to it)", n.Name, NodePaused, len(c.owned[core.Key(n.Name)]))
	e.RecordChange("pause_node", c.Name, n.Name)
	return nil
}

// ResumeNode resumes a paused node (drain.go: ResumeNodeWith).
func (e *Engine) ResumeNode(cluster, node string) error {
	return e.ResumeNodeWith(cluster, node, false)
}

// StopClusterService stops the Cluster service on a node gracefully: its
// groups move to other nodes at once, then the node is Down.
func (e *Engine) StopClusterService(cluster, node string) error {
	c, n, err := e.NodeOf(cluster, node)
	if err != nil {
		return err
	}
	if n.Retrying {
		e.stopRetrying(c, n)
		e.RecordChange("stop_cluster_service", c.Name, n.Name)
		return nil
	}
	if n.State == NodeDown {
		return core.Errf(core.ErrState, "the Cluster service on %s is already stopped", n.Name)
	}
	if why := e.silent(c, n.Name); why != "" {
		return core.Errf(core.ErrState, "cannot stop the Cluster service on %s: %s; the cluster declares it Down by itself", n.Name, why)
	}
	e.Emit(core.KindCluster, n.Name, "", "stopping the Cluster service on %s", n.Name)
	e.CancelTimers(timerNodeJoin, c.Name+"/"+n.Name)
	if member(n) {
		// A node leaving gracefully gives up its vote first (dynamic quorum).
		e.adjustVotes(c, n.Name+" is stopping its Cluster service", n)
	}
	groups := c.OwnedGroups(n.Name)
	sortCoreFirst(groups)
	for _, g := range groups {
		if !c.running() {
			break
		}
		target, skipped := e.pick(c, g, c.firstChoice(g, n.Name))
		restore := g.persistentResources()
		if target == "" {
			e.offlineResources(c, g, g.Resources, "Cluster service stopping", false)
			e.EmitDecision(core.KindWarning, g.Name, &core.Decision{From: n.Name, Reason: "Cluster service stopping", Skipped: skipped},
				"group %q has no node to move to and stays Offline on %s%s", g.Name, n.Name, skippedText(skipped))
			continue
		}
		if err := e.checkRestore(c, restore, target); err != nil {
			e.offlineResources(c, g, g.Resources, "Cluster service stopping", false)
			e.Warn(g.Name, "group %q cannot come online on %s (%v) and stays Offline", g.Name, target, err)
			e.setOwner(c, g, target)
			continue
		}
		e.EmitDecision(core.KindCluster, g.Name, &core.Decision{From: n.Name, To: target, Reason: "Cluster service stopping", Skipped: skipped},
			"moving group %q from %s to %s (Cluster service stopping%s)", g.Name, n.Name, target, skippedText(skipped))
		e.relocate(c, g, target, restore, "moved")
	}
	for _, g := range c.OwnedGroups(n.Name) {
		e.offlineResources(c, g, g.Resources, "Cluster service stopped", false)
	}
	e.touchNode(n)
	n.State = NodeDown
	e.Emit(core.KindState, n.Name, NodeDown, "node %s is %s (Cluster service stopped)", n.Name, NodeDown)
	e.checkQuorum(c, fmt.Sprintf("the Cluster service stopped on %s", n.Name))
	e.RecordChange("stop_cluster_service", c.Name, n.Name)
	return nil
}

// sortCoreFirst orders groups for failover: the Cluster Group (with the
// quorum) first, then by priority (2012+), then by name.
func sortCoreFirst(gs []*Group) {
	sort.SliceStable(gs, func(i, j int) bool {
		ci, cj := gs[i].Name == "Cluster Group", gs[j].Name == "Cluster Group"
		if ci != cj {
			return ci
		}
		if pi, pj := priorityRank(gs[i]), priorityRank(gs[j]); pi != pj {
			return pi > pj // placement: higher priority starts first (2012+)
		}
		return gs[i].Name < gs[j].Name
	})
}

func (g *Group) persistentResources() []*Resource {
	var out []*Resource
	for _, r := range g.Resources {
		if r.Persistent {
			out = append(out, r)
		}
	}
	return out
}

// checkRestore explains why the resources to restore (with everything they
// depend on, whatever its state now) cannot run on node, or returns nil.
func (e *Engine) checkRestore(c *Cluster, restore []*Resource, node string) error {
	for _, r := range c.closure(restore) {
		if err := e.canRun(c, r, node); err != nil {
			return err
		}
	}
	return nil
}

// nodeIs words an eligibility reason to follow "the node".
func nodeIs(why string) string {
	switch {
	case strings.HasPrefix(why, "already "):
		return why
	case strings.HasPrefix(why, "no "):
		return "has " + why
	}
	return "is " + why
}

// StartClusterService starts the Cluster service on a node; it joins (or
// forms) the cluster after JoinTime.
func (e *Engine) StartClusterService(cluster, node string) error {
	return e.StartClusterServiceWith(cluster, node, StartSpec{})
}

// StartClusterServiceWith starts the Cluster service as spec says: with
// ForceQuorum (/fq, 2008+) the node forms the cluster without quorum; with
// PreventQuorum (/pq, 2008 R2+) it joins a cluster but never forms one. A
// node waiting as Joining for quorum has its service started again so.
func (e *Engine) StartClusterServiceWith(cluster, node string, spec StartSpec) error {
	c, n, err := e.NodeOf(cluster, node)
	if err != nil {
		return err
	}
	s := e.LookupServer(n.Name)
	if !s.Running {
		return core.Errf(core.ErrState, "server %s is not running; boot it first", s.Name)
	}
	mode, why := "", "Cluster service started"
	switch {
	case spec.ForceQuorum && spec.PreventQuorum:
		return core.Errf(core.ErrInvalid, "force_quorum and prevent_quorum exclude each other: force one node, start the others with prevent_quorum")
	case spec.ForceQuorum:
		if err := c.needVersion("force_quorum", features["force quorum"]); err != nil {
			return err
		}
		if c.running() {
			return core.Errf(core.ErrState, "cluster %s has quorum; force_quorum only forms a cluster that cannot reach quorum, so start %s's service without it", c.Name, n.Name)
		}
		mode, why = StartForceQuorum, "Cluster service started with force quorum (/fq)"
	case spec.PreventQuorum:
		if err := c.needVersion("prevent_quorum", features["prevent quorum"]); err != nil {
			return err
		}
		mode, why = StartPreventQuorum, "Cluster service started with prevent quorum (/pq): it joins, never forms"
	}
	if err := refuseQuarantined(c, n); err != nil { // placement: quarantine.go
		return err
	}
	if n.State != NodeDown && !(mode != "" && n.State == NodeJoining && !c.running()) {
		return core.Errf(core.ErrState, "the Cluster service on %s is already running (node is %s)", n.Name, n.State)
	}
	e.touchNode(n)
	n.StartMode = mode
	e.startJoin(c, n, why)
	e.rearmServiceRetry(c) // it no longer waits for the next retry
	if mode != "" {
		e.RecordChange("start_cluster_service", c.Name, n.Name, core.Text("mode", mode))
	} else {
		e.RecordChange("start_cluster_service", c.Name, n.Name)
	}
	return nil
}
