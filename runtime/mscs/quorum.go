package mscs

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"clusterscript/runtime/core"
)

// Quorum of Windows Server 2008 and later: a cluster runs while the nodes
// that are members hold more than half of its votes, a node's vote and,
// in every mode but node majority and disk only, a witness's. From 2012
// the cluster moves votes as nodes leave and return (dynamic quorum); from
// 2012 R2 the witness votes only when that makes the total odd (dynamic
// witness), and with no witness vote to break a tie one node gives up its
// vote (the tie-breaker). docs/versions.md and reference/wsfc.md §1.7.

// Witness resource types (created by set_quorum, never by new_resource).
const (
	TypeFileShareWitness = "File Share Witness"
	TypeCloudWitness     = "Cloud Witness"
)

// voteModel reports whether a quorum model counts votes (2008+, every mode
// but disk only).
func voteModel(m string) bool {
	switch m {
	case QuorumNodeMajority, QuorumNodeAndDisk, QuorumNodeAndShare, QuorumCloudWitness:
		return true
	}
	return false
}

// diskQuorum reports whether the cluster runs while a node holds its
// quorum disk: the 2003 disk model and disk only.
func (c *Cluster) diskQuorum() bool {
	return c.QuorumModel == QuorumDisk || c.QuorumModel == QuorumDiskOnly
}

// votes reports whether the cluster counts votes.
func (c *Cluster) countsVotes() bool { return voteModel(c.QuorumModel) }

// hasWitness: the cluster has a witness that votes (disk, share, cloud).
func (c *Cluster) hasWitness() bool { return c.countsVotes() && c.Quorum != "" }

// NodeVote is a node's vote now: its NodeWeight, less a vote dynamic
// quorum or the tie-breaker removed (DynamicWeight).
func (c *Cluster) NodeVote(n *Node) int {
	if n.NoVote || n.VoteRemoved {
		return 0
	}
	return 1
}

// WitnessVote is the witness's vote now (WitnessDynamicWeight from 2012
// R2): 0 without a witness.
func (c *Cluster) WitnessVote() int {
	if !c.hasWitness() || c.WitnessVoteRemoved {
		return 0
	}
	return 1
}

func member(n *Node) bool { return n.State == NodeUp || n.State == NodePaused }

// tally counts the votes of the nodes in holds and, when witness, the
// witness's; total is every vote of the cluster.
func (c *Cluster) tally(in func(*Node) bool, witness bool) (have, total int) {
	for _, n := range c.Nodes {
		v := c.NodeVote(n)
		total += v
		if in(n) {
			have += v
		}
	}
	total += c.WitnessVote()
	if witness {
		have += c.WitnessVote()
	}
	return have, total
}

func quorate(have, total int) bool { return 2*have > total }

// witnessResource is the witness's resource, or nil.
func (c *Cluster) witnessResource() *Resource {
	if !c.hasWitness() {
		return nil
	}
	return c.resources[core.Key(c.Quorum)]
}

// witnessOnline: the witness runs on a member (the steady state).
func (c *Cluster) witnessOnline() bool {
	r := c.witnessResource()
	if r == nil || r.State != Online {
		return false
	}
	o := c.nodes[core.Key(r.group.Owner)]
	return o != nil && member(o)
}

// witnessReachable: the witness works and one of the nodes in can reach
// it: a disk that has not failed and that one of them sees; a share or a
// cloud account whose resource has not failed.
func (e *Engine) witnessReachable(c *Cluster, in func(*Node) bool) bool {
	r := c.witnessResource()
	if r == nil || r.State == Failed {
		return false
	}
	if r.Type != TypePhysicalDisk {
		return true
	}
	d := e.LookupDisk(r.Params["disk"])
	if d == nil || d.Failed {
		return false
	}
	for _, n := range c.Nodes {
		if in(n) && d.Sees(n.Name) {
			return true
		}
	}
	return false
}

// voteQuorum is HasQuorum for the vote models.
func (c *Cluster) voteQuorum() bool {
	if c.ForceQuorum {
		for _, n := range c.Nodes {
			if member(n) {
				return true
			}
		}
		return false
	}
	return quorate(c.tally(member, c.witnessOnline()))
}

// votesText words a tally: "2 of 3 votes".
func votesText(have, total int) string { return fmt.Sprintf("%d of %d votes", have, total) }

// ---- Adjusting votes ----

// adjustVotes brings the dynamic weights up to date after the members
// changed, on a running cluster that kept quorum; leaving is a node that
// is stopping gracefully (its vote goes before it leaves), why what
// changed. Every vote that changes is an event saying why.
func (e *Engine) adjustVotes(c *Cluster, why string, leaving *Node) {
	if !c.countsVotes() || !c.running() {
		return
	}
	in := func(n *Node) bool { return n != leaving && member(n) }
	if c.ForceQuorum {
		if !quorate(c.tally(in, c.witnessOnline())) {
			return // forced: votes are left as they are
		}
		e.touchCluster(c)
		c.ForceQuorum = false
		have, total := c.tally(in, c.witnessOnline())
		e.Emit(core.KindCluster, c.Name, "", "cluster %s has a majority again (%s) and leaves forced quorum", c.Name, votesText(have, total))
	}
	p := c.profile()
	dynamic := p.dynamicQuorum && c.DynamicQuorum == 1
	want := make([]bool, len(c.Nodes)) // index: the node's vote after
	count := 0
	for i, n := range c.Nodes {
		want[i] = !n.NoVote && (!dynamic || in(n) || c.NodeVote(n) == 1)
		if want[i] {
			count++
		}
	}
	healthy := e.witnessReachable(c, in)
	witness := func(voters int) bool {
		if !c.hasWitness() {
			return false
		}
		if p.dynamicWitness && dynamic {
			return healthy && voters%2 == 0
		}
		return true
	}
	total := func() int {
		if witness(count) {
			return count + 1
		}
		return count
	}
	// A departed node's vote goes, one at a time in ID order, unless that
	// would leave fewer than three votes in a cluster with a witness.
	for i, n := range c.Nodes {
		// A node that is joining has not left: its vote stays.
		if dynamic && want[i] && !in(n) && (n.State != NodeJoining || n == leaving) {
			want[i] = false
			count--
			if c.hasWitness() && total() < 3 {
				want[i] = true
				count++
			}
		}
	}
	tie := -1
	if p.tieBreaker && dynamic && count > 0 && count%2 == 0 && !witness(count) {
		tie = e.tieBreakerPick(c, want)
		want[tie] = false
		count--
	}
	for i, n := range c.Nodes {
		if n.NoVote || want[i] == (c.NodeVote(n) == 1) {
			continue
		}
		e.touchNode(n)
		n.VoteRemoved = !want[i]
		switch {
		case i == tie:
			e.Emit(core.KindCluster, n.Name, "", "node %s's vote is removed: tie-breaker, %d voting nodes and no witness vote would allow a 50 %% split (%s)", n.Name, count+1, c.tieBreakerReason(n))
		case !want[i]:
			e.Emit(core.KindCluster, n.Name, "", "node %s's vote is removed (dynamic quorum: %s)", n.Name, why)
		default:
			e.Emit(core.KindCluster, n.Name, "", "node %s's vote is restored (dynamic quorum: %s is %s)", n.Name, n.Name, n.State)
		}
	}
	if w := witness(count); c.hasWitness() && w == c.WitnessVoteRemoved {
		e.touchCluster(c)
		c.WitnessVoteRemoved = !w
		reason := fmt.Sprintf("%d voting nodes, an odd number", count)
		switch {
		case w:
			reason = fmt.Sprintf("%d voting nodes, an even number", count)
		case !healthy:
			reason = "the witness has failed"
		}
		verb := "votes again"
		if !w {
			verb = "loses its vote"
		}
		e.Emit(core.KindCluster, c.Name, "", "the witness %q %s (dynamic witness: %s)", c.Quorum, verb, reason)
	}
}

// tieBreakerPick is the voter whose vote the tie-breaker removes: the node
// LowerQuorumPriorityNodeID names; else, when the cluster has a
// PreferredSite (2016+), the highest-numbered voter outside it, so that the
// preferred site keeps quorum in a 50 % split; else the voter with the
// highest ID that does not own the Cluster Group (so the side holding the
// core resources and the witness keeps quorum in a split).
func (e *Engine) tieBreakerPick(c *Cluster, want []bool) int {
	if id := c.LowerQuorumPriorityNodeID; id > 0 && id <= len(c.Nodes) && want[id-1] {
		return id - 1
	}
	if c.profile().sites && c.PreferredSite != "" {
		for i := len(c.Nodes) - 1; i >= 0; i-- {
			if want[i] && !c.inPreferredSite(c.Nodes[i]) {
				return i
			}
		}
	}
	cg := c.groups[core.Key("Cluster Group")]
	for i := len(c.Nodes) - 1; i >= 0; i-- {
		if want[i] && (cg == nil || !strings.EqualFold(cg.Owner, c.Nodes[i].Name)) {
			return i
		}
	}
	for i := len(c.Nodes) - 1; i >= 0; i-- {
		if want[i] {
			return i
		}
	}
	return 0
}

func (c *Cluster) tieBreakerReason(n *Node) string {
	if c.LowerQuorumPriorityNodeID == c.NodeID(n.Name) {
		return fmt.Sprintf("LowerQuorumPriorityNodeID is %d", c.LowerQuorumPriorityNodeID)
	}
	if c.profile().sites && c.PreferredSite != "" && !c.inPreferredSite(n) {
		return fmt.Sprintf("it is the highest-numbered voter outside the preferred site %s", c.PreferredSite)
	}
	return "it is the highest-numbered voter not owning the Cluster Group"
}

// ---- set_quorum ----

// QuorumSpec is Set-ClusterQuorum: a mode and its witness (a disk label, a
// UNC path or a storage account name).
type QuorumSpec struct {
	Mode    string
	Witness string
	// WitnessIsDisk: the witness was given as a Disk handle.
	WitnessIsDisk bool
}

var (
	uncPath      = regexp.MustCompile(`^\\\\([A-Za-z0-9][A-Za-z0-9.-]*)\\[^\\/:*?"<>|]+(\\[^\\/:*?"<>|]+)*$`)
	storageAcct  = regexp.MustCompile(`^[a-z0-9]{3,24}$`)
	witnessKinds = map[string]string{
		QuorumNodeMajority: "no witness", QuorumNodeAndDisk: "a Disk", QuorumDiskOnly: "a Disk",
		QuorumNodeAndShare: `a UNC path such as "\\\\FS1\\witness"`, QuorumCloudWitness: "a storage account name such as \"contosowitness\"",
	}
)

// SetQuorum changes a cluster's quorum mode and witness (Windows Server
// 2008 and later): Configure Cluster Quorum Settings, Set-ClusterQuorum.
func (e *Engine) SetQuorum(cluster string, spec QuorumSpec) error {
	c, err := e.Cluster(cluster)
	if err != nil {
		return err
	}
	if err := c.needVersion("set_quorum", features["set_quorum"]); err != nil {
		return err
	}
	if err := core.OneOf("quorum mode", spec.Mode, QuorumModes...); err != nil {
		return err
	}
	if !core.ContainsFold(c.profile().quorumModes, spec.Mode) {
		return c.needVersion("quorum mode "+spec.Mode, features["cloud witness"])
	}
	if err := e.requireQuorum(c, "change the quorum"); err != nil {
		return err
	}
	kind := witnessKinds[spec.Mode]
	switch spec.Mode {
	case QuorumNodeMajority:
		if spec.Witness != "" {
			return core.Errf(core.ErrInvalid, "quorum mode %s has no witness; drop witness=, or pick node_and_disk_majority, node_and_file_share_majority or cloud_witness", spec.Mode)
		}
	case QuorumNodeAndDisk, QuorumDiskOnly:
		if spec.Witness == "" || !spec.WitnessIsDisk && e.LookupDisk(spec.Witness) == nil {
			return core.Errf(core.ErrInvalid, "quorum mode %s needs %s as its witness, got %q", spec.Mode, kind, spec.Witness)
		}
	default:
		if spec.WitnessIsDisk || spec.Witness == "" {
			what := "nothing"
			if spec.WitnessIsDisk {
				what = "disk " + spec.Witness
			}
			return core.Errf(core.ErrInvalid, "quorum mode %s needs %s as its witness, got %s", spec.Mode, kind, what)
		}
	}
	var disk *core.Disk
	var reuse *Resource // a Physical Disk of the Cluster Group holding the witness disk
	switch spec.Mode {
	case QuorumNodeAndDisk, QuorumDiskOnly:
		disk = e.LookupDisk(spec.Witness)
		if _, r := e.diskOwner(disk.Label); r != nil && r.group == c.groups[core.Key("Cluster Group")] {
			reuse = r
		} else if err := e.checkClusterDisk(disk, c.NodeNames(), nil); err != nil {
			return err
		}
		if err := disk.Clusterable(); err != nil {
			return err
		}
		for _, n := range c.NodeNames() {
			if !disk.Sees(n) {
				return core.Errf(core.ErrPrereq, "disk %s is not on the shared bus of %s; every node must see the witness disk", disk.Label, n)
			}
		}
		if disk.Failed {
			return core.Errf(core.ErrState, "disk %s has failed and cannot be the witness; repair it with repair_disk(%q) or pick another disk", disk.Label, disk.Label)
		}
	case QuorumNodeAndShare:
		m := uncPath.FindStringSubmatch(spec.Witness)
		if m == nil {
			return core.Errf(core.ErrInvalid, "file share witness %q is not a UNC path; give one such as \"\\\\\\\\FS1\\\\witness\" (a share on a server outside the cluster)", spec.Witness)
		}
		if where := c.hostedBy(m[1]); where != "" {
			return core.Errf(core.ErrConflict, "file share witness %s is on %s, so it lives on the cluster it votes for (a cluster disk or node); put the share on a server outside cluster %s", spec.Witness, where, c.Name)
		}
	case QuorumCloudWitness:
		if !storageAcct.MatchString(spec.Witness) {
			return core.Errf(core.ErrInvalid, "cloud witness %q is not a storage account name: 3 to 24 lower-case letters and digits", spec.Witness)
		}
	}
	// The new configuration must keep the cluster running.
	if err := e.checkQuorumAfterSet(c, spec, disk); err != nil {
		return err
	}

	// Everything is checked: change the quorum.
	cg := c.groups[core.Key("Cluster Group")]
	old := c.witnessResource()
	if c.diskQuorum() {
		old = c.resources[core.Key(c.Quorum)]
	}
	e.touchCluster(c)
	var removed []string
	for _, r := range append([]*Resource(nil), cg.Resources...) {
		legacy := r.Type == TypeMajorityNodeSet || r.Type == TypeLocalQuorum
		if legacy || r == old && (r.Type == TypeFileShareWitness || r.Type == TypeCloudWitness) {
			e.offlineResources(c, cg, []*Resource{r}, "", true)
			e.dropResource(c, r, "the quorum changed")
			removed = append(removed, r.Name)
		}
	}
	c.QuorumModel, c.Quorum, c.WitnessVoteRemoved = spec.Mode, "", false
	var w *Resource
	switch {
	case reuse != nil:
		w = reuse
	case disk != nil:
		w = e.addResource(c, cg, "Disk "+disk.Letter, TypePhysicalDisk, "", nil, nil, map[string]string{"disk": disk.Label})
	case spec.Mode == QuorumNodeAndShare:
		w = e.addResource(c, cg, "File Share Witness", TypeFileShareWitness, "", nil, nil, map[string]string{"path": spec.Witness})
	case spec.Mode == QuorumCloudWitness:
		w = e.addResource(c, cg, "Cloud Witness", TypeCloudWitness, "", nil, nil, map[string]string{"account": spec.Witness})
	}
	text := fmt.Sprintf("cluster %s: quorum mode %s", c.Name, spec.Mode)
	if w != nil {
		c.Quorum = w.Name
		text += fmt.Sprintf(", witness %q (%s)", w.Name, spec.Witness)
	}
	e.Emit(core.KindCluster, c.Name, "", "%s", text)
	if w != nil && w.State != Online {
		e.onlineRunnable(c, cg, []*Resource{w}, "the witness of the quorum")
	}
	e.adjustVotes(c, "the quorum changed", nil)
	e.recordQuorum(c, spec, w, disk, reuse != nil, removed)
	return nil
}

// hostedBy says where a share's host lives in the cluster: a node, the
// cluster name or a Network Name of one of its groups; "" when outside.
func (c *Cluster) hostedBy(host string) string {
	switch {
	case c.nodes[core.Key(host)] != nil:
		return "node " + c.nodes[core.Key(host)].Name
	case strings.EqualFold(host, c.Name):
		return "the cluster name " + c.Name
	case c.netNames[core.Key(host)] != nil:
		return fmt.Sprintf("Network Name %q of group %q", c.netNames[core.Key(host)].Name, c.netNames[core.Key(host)].group.Name)
	}
	return ""
}

// checkQuorumAfterSet refuses a quorum the members could not run on now.
func (e *Engine) checkQuorumAfterSet(c *Cluster, spec QuorumSpec, disk *core.Disk) error {
	if spec.Mode == QuorumDiskOnly {
		return nil // the disk is healthy and every node sees it
	}
	have, total := 0, 0
	for _, n := range c.Nodes {
		v := 0
		if !n.NoVote {
			v = 1
		}
		total += v
		if member(n) {
			have += v
		}
	}
	if spec.Mode != QuorumNodeMajority {
		total++
		have++ // the witness comes online on the Cluster Group's owner
	}
	if !quorate(have, total) {
		return core.Errf(core.ErrState, "cluster %s would not have quorum in mode %s: its running nodes would hold %s; start the Cluster service on more nodes first", c.Name, spec.Mode, votesText(have, total))
	}
	return nil
}

// ---- Votes ----

// SetNodeVote sets a node's NodeWeight (0 or 1), Windows Server 2008 R2
// and later.
func (e *Engine) SetNodeVote(cluster, node string, vote int) error {
	c, n, err := e.NodeOf(cluster, node)
	if err != nil {
		return err
	}
	if err := c.needVersion("NodeWeight (set_node_vote)", features["node weight"]); err != nil {
		return err
	}
	if vote != 0 && vote != 1 {
		return core.Errf(core.ErrInvalid, "node vote %d is out of range; a node has 1 vote or 0", vote)
	}
	if !c.countsVotes() {
		return core.Errf(core.ErrState, "cluster %s uses quorum mode %s, where only the disk counts; set_quorum a mode with node votes first", c.Name, c.QuorumModel)
	}
	if err := e.requireQuorum(c, fmt.Sprintf("change the vote of %s", n.Name)); err != nil {
		return err
	}
	if (vote == 1) == !n.NoVote {
		return core.Errf(core.ErrState, "node %s already has NodeWeight %d", n.Name, vote)
	}
	if vote == 0 {
		have, total := c.tally(member, c.witnessOnline())
		if v := c.NodeVote(n); !quorate(have-map[bool]int{true: v}[member(n)], total-v) || total-v == 0 {
			return core.Errf(core.ErrState, "removing the vote of %s would leave cluster %s without quorum (%s now); give another node a vote or configure a witness first", n.Name, c.Name, votesText(have, total))
		}
	}
	e.touchNode(n)
	n.NoVote, n.VoteRemoved = vote == 0, false
	e.Emit(core.KindCluster, n.Name, "", "node %s's vote (NodeWeight) is set to %d by the administrator", n.Name, vote)
	e.adjustVotes(c, "a vote was set", nil)
	e.RecordChange("set_node_vote", c.Name, n.Name, core.Int("vote", int64(vote)))
	return nil
}

// ---- Forming, splitting, forcing ----

// How a node's Cluster service was started (Node.StartMode).
const (
	StartForceQuorum   = "force_quorum"
	StartPreventQuorum = "prevent_quorum"
)

// joiners are the nodes whose Cluster service runs and waits to join.
func (e *Engine) joiner(n *Node) bool {
	return n.State == NodeJoining && e.LookupServer(n.Name).Running
}

// canFormVotes: the joining nodes (with the witness they reach) hold more
// than half the votes, and one of them may form the cluster (a node
// started with prevent_quorum only joins).
func (e *Engine) canFormVotes(c *Cluster, n *Node) (bool, string) {
	have, total := c.tally(e.joiner, e.witnessReachable(c, e.joiner))
	if !quorate(have, total) {
		return false, fmt.Sprintf("the running nodes hold %s and need more than half", votesText(have, total))
	}
	for _, x := range c.Nodes {
		if e.joiner(x) && x.StartMode != StartPreventQuorum {
			return true, ""
		}
	}
	return false, "every running node was started with prevent_quorum and only joins a cluster another node formed"
}

// tryForm forms a stopped vote cluster when its waiting nodes now can.
func (e *Engine) tryForm(c *Cluster, why string) {
	if !c.countsVotes() || c.running() {
		return
	}
	for _, n := range c.Nodes {
		if e.joiner(n) {
			if ok, _ := e.canForm(c, n); ok {
				e.regainQuorum(c, n)
			}
			return
		}
	}
}

// formForced forms the cluster on a node started with force_quorum,
// whatever the votes (/fq): its configuration is the one the cluster
// keeps, and the cluster leaves forced quorum once its members hold a
// majority.
func (e *Engine) formForced(c *Cluster, n *Node) {
	e.touchCluster(c)
	c.ForceQuorum = true
	have, total := c.tally(e.joiner, e.witnessReachable(c, e.joiner))
	e.Emit(core.KindFailover, c.Name, "", "cluster %s is forced to form on %s with %s (force quorum): votes are ignored until the members hold a majority; start the other nodes with prevent_quorum=True so that they join it", c.Name, n.Name, votesText(have, total))
	e.regainQuorum(c, n)
}

// voteSurvivor picks the partition that holds more than half the votes
// with the weights held before the split; the witness counts for the
// partition that owns the Cluster Group, else for the first that reaches
// it; nil when none does.
func (e *Engine) voteSurvivor(c *Cluster, parts [][]*Node) []*Node {
	in := func(p []*Node) func(*Node) bool {
		return func(n *Node) bool { return slices.Contains(p, n) }
	}
	holder := -1
	if cg := c.groups[core.Key("Cluster Group")]; cg != nil {
		for i, p := range parts {
			if in(p)(c.nodes[core.Key(cg.Owner)]) && e.witnessReachable(c, in(p)) {
				holder = i
			}
		}
	}
	for i, p := range parts {
		if holder < 0 && e.witnessReachable(c, in(p)) {
			holder = i
		}
	}
	if c.ForceQuorum {
		return parts[max(holder, 0)]
	}
	for i, p := range parts {
		if quorate(c.tally(in(p), i == holder)) {
			return p
		}
	}
	return nil
}

// StartSpec is how start_cluster_service starts a node's Cluster service.
type StartSpec struct {
	ForceQuorum, PreventQuorum bool
}
