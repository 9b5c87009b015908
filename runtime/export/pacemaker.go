package export

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
)

// Pacemaker: what a server cluster's groups become on Linux
// (reference/peers.md §7 says how the two differ). The configuration is
// projected from the model: IP Address → ocf:heartbeat:IPaddr2, Physical
// Disk → ocf:heartbeat:Filesystem, Generic Service → systemd:, a group →
// a resource group in dependency order, preferred owners → location
// constraints with falling scores, possible owners → -INFINITY on the
// other nodes, the failover threshold and period → migration-threshold and
// failure-timeout, prevented failback → stickiness. The pcs target writes
// the commands that take Pacemaker from the configuration before each
// change to the one after it; the cib target writes the last one.

type pcmCluster struct {
	name        string
	groups      []pcmGroup
	locations   []pcmLocation   // sorted by id
	colocations []pcmColocation // sorted by id
}

// A pcmColocation keeps two groups apart: two groups that share an
// anti-affinity class name.
type pcmColocation struct {
	id, rsc, with, score string
	a, b                 string // core.Key of the two groups' names
}

type pcmGroup struct {
	id, name  string
	members   []pcmPrimitive
	meta      []core.Pair
	lost      []string      // what the group has that Pacemaker cannot express
	locations []pcmLocation // its location constraints, sorted by id
}

type pcmPrimitive struct {
	id, name, typ          string // typ: the Windows resource type
	class, provider, agent string
	params                 []core.Pair
}

type pcmLocation struct {
	id, rsc, node, score string
}

func (p pcmPrimitive) spec() string {
	if p.provider == "" {
		return p.class + ":" + p.agent
	}
	return p.class + ":" + p.provider + ":" + p.agent
}

// pcmID makes an XML ID of a Windows name: letters, digits, '.', '_' and
// '-', not starting with a digit or punctuation.
func pcmID(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.'
		switch {
		case ok:
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	id := strings.TrimRight(b.String(), "-")
	if id == "" || !(id[0] >= 'a' && id[0] <= 'z' || id[0] >= 'A' && id[0] <= 'Z' || id[0] == '_') {
		id = "r" + id
	}
	return id
}

// unmapped says why a resource type has no Pacemaker counterpart, or ""
// when it has one.
func unmapped(c *cluster, r *resource) string {
	switch {
	case r.name == c.quorumResource:
		return "the quorum resource: Pacemaker's quorum is corosync's (votequorum; a disk quorum is closest to corosync-qdevice, pcs quorum device add)"
	case r.typ == mscs.TypeIPAddress || r.typ == mscs.TypePhysicalDisk || r.typ == mscs.TypeGenericService:
		return ""
	case r.typ == mscs.TypeNetworkName:
		return "a Network Name has no Pacemaker agent: register the name in DNS for the group's address"
	case r.typ == mscs.TypeFileShare:
		return "a File Share has no Pacemaker counterpart here: export the directory with Samba or NFS (ocf:heartbeat:exportfs)"
	case r.typ == mscs.TypeDTC || isExchange(r.typ):
		return "a Windows service (" + r.typ + ") with no Linux counterpart"
	}
	return "no Pacemaker counterpart for " + r.typ
}

// primitive maps a resource to its agent and parameters.
func (m *model) primitive(r *resource) pcmPrimitive {
	p := pcmPrimitive{name: r.name, typ: r.typ}
	switch r.typ {
	case mscs.TypeIPAddress:
		p.class, p.provider, p.agent = "ocf", "heartbeat", "IPaddr2"
		p.params = []core.Pair{{Key: "cidr_netmask", Value: maskBits(r.params["subnet_mask"])}, {Key: "ip", Value: r.params["address"]}}
	case mscs.TypePhysicalDisk:
		d := m.disks[core.Key(r.params["disk"])]
		p.class, p.provider, p.agent = "ocf", "heartbeat", "Filesystem"
		p.params = []core.Pair{{Key: "device", Value: "/dev/disk/by-label/" + udevEscape(d.label)}, {Key: "directory", Value: "/srv/" + pcmID(strings.TrimSuffix(d.letter, ":"))},
			{Key: "fstype", Value: "ntfs3"}}
	case mscs.TypeGenericService:
		p.class, p.agent = "systemd", unitEscape(r.params["service"])
	}
	return p
}

// udevEscape writes a filesystem label as udev names it under
// /dev/disk/by-label: bytes other than letters, digits and #+-.:=@_ (and
// UTF-8 beyond ASCII) as \xHH, so "Cluster Disk 1" is Cluster\x20Disk\x201.
func udevEscape(label string) string {
	var b strings.Builder
	for i := 0; i < len(label); i++ {
		c := label[i]
		if c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("#+-.:=@_", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, `\x%02x`, c)
		}
	}
	return b.String()
}

// unitEscape makes a Windows service name a systemd unit name: bytes other
// than letters, digits and :-_. as \xHH ("File Server" is File\x20Server),
// which systemd reads back as the name.
func unitEscape(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(":-_.", c) >= 0 && !(i == 0 && c == '.') {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, `\x%02x`, c)
		}
	}
	return b.String()
}

// maskBits is a dotted-quad mask's prefix length (cidr_netmask).
func maskBits(mask string) string {
	if bits, err := core.ParseMask(mask); err == nil {
		return strconv.Itoa(bits)
	}
	return mask
}

// inOrder lists a group's resources so each comes after what it depends
// on, otherwise in creation order: the order a Pacemaker group starts in.
func inOrder(g *group) []*resource {
	var out []*resource
	done := map[string]bool{}
	for len(out) < len(g.resources) {
		progress := false
		for _, r := range g.resources {
			if done[core.Key(r.name)] {
				continue
			}
			ready := true
			for _, d := range r.deps {
				ready = ready && (done[core.Key(d)] || !slices.ContainsFunc(g.resources, func(x *resource) bool { return strings.EqualFold(x.name, d) }))
			}
			if ready {
				out = append(out, r)
				done[core.Key(r.name)] = true
				progress = true
				break
			}
		}
		if !progress { // a cycle, which the engine refuses; keep the rest as created
			for _, r := range g.resources {
				if !done[core.Key(r.name)] {
					out = append(out, r)
					done[core.Key(r.name)] = true
				}
			}
		}
	}
	return out
}

// projectGroup gives a group's Pacemaker group and its location
// constraints, the ids taken from ids; order is inOrder(g).
func (m *model) projectGroup(c *cluster, g *group, order []*resource, ids *pcmIDs) pcmGroup {
	pg := pcmGroup{name: g.name}
	var allowed map[string]bool // the nodes every resource may run on, by core.Key; nil: all
	for _, r := range order {
		if r.possible != nil {
			ok := make(map[string]bool, len(r.possible))
			for _, n := range r.possible {
				if k := core.Key(n); allowed == nil || allowed[k] {
					ok[k] = true
				}
			}
			allowed = ok
		}
		if why := unmapped(c, r); why != "" {
			pg.lost = append(pg.lost, fmt.Sprintf("%q (%s): %s", r.name, r.typ, why))
			continue
		}
		p := m.primitive(r)
		p.id = ids.of[resourceItem(r.name)]
		pg.members = append(pg.members, p)
		if r.restart != defaultRestart(c.version) {
			pg.lost = append(pg.lost, fmt.Sprintf("%q: its restart policy (%s); Pacemaker restarts a failed resource in place until migration-threshold failures", r.name, restartText(r.restart)))
		}
	}
	if len(pg.members) == 0 {
		pg.lost = append([]string{"group " + strconv.Quote(g.name) + " has nothing Pacemaker can run (a Pacemaker group is never empty)"}, pg.lost...)
		return pg
	}
	pg.id = ids.of[groupItem(g.name)]
	threshold := g.policy.threshold
	if threshold == mscs.FailoverThresholdNodesMinusOne && c.version != "2003" {
		threshold = int64(len(c.nodes) - 1) // the default of 2008 and later, counted now
	}
	if threshold > 0 {
		pg.meta = append(pg.meta, core.Pair{Key: "failure-timeout", Value: strconv.FormatInt(g.policy.period, 10) + "h"},
			core.Pair{Key: "migration-threshold", Value: strconv.FormatInt(threshold, 10)})
	}
	if v, ok := pcmPriorities[g.priority]; ok {
		pg.meta = append(pg.meta, core.Pair{Key: "priority", Value: v})
	}
	if g.priority == "no_auto_start" {
		pg.lost = append(pg.lost, "Priority No Auto Start: Pacemaker starts every enabled group when the cluster forms (pcs resource disable keeps one stopped, through failovers too)")
	}
	stick := "INFINITY"
	if g.policy.failback == mscs.FailbackImmediate {
		stick = "0"
	}
	pg.meta = append(pg.meta, core.Pair{Key: "resource-stickiness", Value: stick})
	if g.policy.failback == mscs.FailbackWindow {
		pg.lost = append(pg.lost, fmt.Sprintf("failback between %02d:00 and %02d:00: the group never fails back by itself here (a time-based rule on resource-stickiness could allow it)", g.policy.windowStart, g.policy.windowEnd))
	}
	for i, n := range g.preferred {
		pg.locations = append(pg.locations, pcmLocation{"prefer-" + pg.id + "-" + pcmID(n), pg.id, n, strconv.Itoa(100 * (len(g.preferred) - i))})
	}
	if allowed != nil {
		for _, n := range c.nodes {
			if !allowed[core.Key(n)] {
				pg.locations = append(pg.locations, pcmLocation{"avoid-" + pg.id + "-" + pcmID(n), pg.id, n, "-INFINITY"})
			}
		}
	}
	slices.SortFunc(pg.locations, func(a, b pcmLocation) int { return strings.Compare(a.id, b.id) })
	return pg
}

// project gives a cluster's Pacemaker configuration.
func (m *model) project(c *cluster) pcmCluster { return m.live(c).cluster(c.name) }

// pcmPriorities are the priority meta attributes of group priorities:
// Pacemaker keeps higher-priority groups running when not all can run;
// medium is its default, 0.
var pcmPriorities = map[string]string{"high": "1", "low": "-1", "no_auto_start": "-1"}

// avoidScore keeps a group off a node that runs a group of a shared
// anti-affinity class unless no other node can take it: below any sum of
// preferred-owner scores (at most 100 × 64 nodes).
const avoidScore = "-10000"

// apartScore is the score of the colocations that keep groups sharing an
// anti-affinity class name apart: -INFINITY when the cluster enforces
// anti-affinity (ClusterEnforcedAntiAffinity 1), else avoidScore.
func apartScore(c *cluster) string {
	for _, p := range c.props {
		if p.Name == "ClusterEnforcedAntiAffinity" && p.Int == 1 {
			return "-INFINITY"
		}
	}
	return avoidScore
}

// apart gives the colocation that keeps groups a and b apart when they
// share an anti-affinity class name and both run something: the later
// group is placed with respect to the earlier one.
func apart(a, b *group, ids *pcmIDs, score string) (pcmColocation, bool) {
	if b.seq < a.seq {
		a, b = b, a
	}
	ida, idb := ids.of[groupItem(a.name)], ids.of[groupItem(b.name)]
	if ida == "" || idb == "" {
		return pcmColocation{}, false
	}
	return pcmColocation{id: "apart-" + idb + "-" + ida, rsc: idb, with: ida, score: score, a: core.Key(a.name), b: core.Key(b.name)}, true
}

// partners lists the groups that share an anti-affinity class name with
// g, in cluster order.
func (c *cluster) partners(g *group) []*group {
	var out []*group
	for _, name := range g.antiAffinity {
		for _, o := range c.classes[core.Key(name)] {
			if o != g && !slices.Contains(out, o) {
				out = append(out, o)
			}
		}
	}
	slices.SortFunc(out, func(a, b *group) int { return a.seq - b.seq })
	return out
}

// clusterLost says what a cluster's configuration has beyond its groups
// that Pacemaker cannot take from a CIB: node votes,
// cluster properties, sites. Each line says the closest Pacemaker setting.
func clusterLost(c *cluster) []string {
	var out []string // the witness is the quorum resource, which the group's comments cover
	for _, n := range c.noVote {
		out = append(out, voteLost(n))
	}
	for _, p := range c.props {
		if text, lost := propertyLost(p, c.lowPriorityNode); lost {
			out = append(out, text)
		}
	}
	nodes := slices.Sorted(maps.Keys(c.sites))
	for _, n := range nodes {
		out = append(out, fmt.Sprintf("node %s in site %s (pcs node attribute %s site=%s once it has joined)", canonical(c.nodes, n), c.sites[n], canonical(c.nodes, n), c.sites[n]))
	}
	return out
}

// canonical spells a node's key as the cluster does.
func canonical(nodes []string, key string) string {
	for _, n := range nodes {
		if core.Key(n) == key {
			return n
		}
	}
	return key
}

// quorumLost says what a quorum mode with a witness becomes; witness is
// a disk's label, a share's path or a storage account.
func quorumLost(mode, witness string) string {
	what := map[string]string{mscs.QuorumNodeAndDisk: "witness disk ", mscs.QuorumDiskOnly: "disk ",
		mscs.QuorumNodeAndShare: "file share witness ", mscs.QuorumCloudWitness: "cloud witness account "}[mode] + witness
	if mode == mscs.QuorumDiskOnly {
		return "quorum disk only, " + what + " (corosync counts votes and has no mode where one disk decides; a quorum device is the closest witness)"
	}
	return "quorum " + mode + ", " + what + " (corosync counts the nodes' votes; the closest to a witness is a quorum device on a third machine\n" +
		"  running corosync-qnetd: pcs quorum device add model net host=ARBITRATOR algorithm=ffsplit)"
}

func voteLost(node string) string {
	return "NodeWeight 0 of " + node + " (corosync: quorum_votes: 0 in the node's nodelist entry of corosync.conf; pcs has no command for it)"
}

// propertyLost says what a cluster property becomes in Pacemaker, and
// whether it is lost (ClusterEnforcedAntiAffinity is not: it sets the
// anti-affinity colocation scores).
func propertyLost(p core.Setting, lowNode string) (string, bool) {
	v := p.Name + "=" + strconv.FormatInt(p.Int, 10)
	switch p.Name {
	case "SameSubnetDelay", "SameSubnetThreshold", "CrossSubnetDelay", "CrossSubnetThreshold":
		return v + " (corosync declares a node lost after its totem token timeout, token: in ms in corosync.conf, the closest to delay × threshold)", true
	case "DynamicQuorum":
		if p.Int == 0 {
			return v + " (votes stay as configured, as corosync's do by default: last_man_standing: 0)", true
		}
		return v + " (the closest is votequorum's last_man_standing: pcs quorum update last_man_standing=1, with the cluster stopped)", true
	case "LowerQuorumPriorityNodeID":
		if p.Int == 0 {
			return v + " (no node gives up its vote first in a tie)", true
		}
		return v + ", " + lowNode + " (the closest is votequorum's auto_tie_breaker: pcs quorum update auto_tie_breaker=1, with\n" +
			"  auto_tie_breaker_node in corosync.conf naming the nodes that should win a tie)", true
	case "ClusterEnforcedAntiAffinity":
		return v + ": groups that share an anti-affinity class are kept apart by -INFINITY colocations when 1, by " + avoidScore + " when 0", false
	case "QuarantineThreshold", "QuarantineDuration":
		return v + " (Pacemaker has no node quarantine; a node that keeps failing is fenced each time)", true
	case "PreferredSite":
		return "PreferredSite=" + p.Text + " (the closest is a location rule per group on the site node attribute:\n" +
			"  pcs constraint location GROUP rule score=100 site eq " + p.Text + ")", true
	}
	return p.String() + " (no Pacemaker counterpart)", true
}

func restartText(r restart) string {
	if !r.restart {
		return "do not restart"
	}
	s := fmt.Sprintf("restart up to %d times in %d s", r.threshold, r.period)
	if !r.affectGroup {
		s += ", without failing the group over"
	}
	return s
}

// ---- pcs ----

type pcs struct {
	live    map[string]*pcmLive // by core.Key(cluster name): the configuration so far
	current string              // the cluster the last commands were for
	many    bool                // the world has several server clusters
}

func (p *pcs) check(*model, []string) error { return nil }

func (p *pcs) start(x *script, run Run, base, final *model) {
	x.open = "# "
	x.line("#!/bin/sh")
	x.header(run, PCS)
	x.comment("Pacemaker resources for the server clusters' groups (pcs 0.10 and later). To stage the configuration offline\n" +
		"first, on a cluster node:\n" +
		"  pcs cluster cib staged.xml\n" +
		"  grep -v '" + pcsLiveMark + "$' THIS_FILE | sed 's/^pcs /pcs -f staged.xml /' | sh\n" +
		"  pcs cluster cib-push staged.xml\n" +
		"then run the lines marked \"" + strings.TrimPrefix(pcsLiveMark, "# ") + "\" (membership, standby, moves): pcs runs them\n" +
		"on the running cluster, never on a file. pcs 0.10's resource move leaves a cli-prefer constraint behind\n" +
		"(pcs resource clear GROUP removes it); from 0.11 it lets go once the group has moved.\n" +
		"Fencing is left to the administrator: configure a fence device per node before production, e.g.\n" +
		"  pcs stonith create fence-NODE fence_ipmilan ip=BMC_ADDRESS username=USER password=PASSWORD pcmk_host_list=NODE")
	if final.has(mscs.TypeGenericService) {
		x.comment("A systemd:UNIT primitive (from a Generic Service) needs UNIT.service installed on every node first:\n" +
			"pcs checks the agent when it creates the primitive, staging included (--force skips that check).")
	}
	x.line("set -e")
	p.live = map[string]*pcmLive{}
	for _, c := range base.clusters {
		p.live[core.Key(c.name)] = base.live(c)
	}
	p.many = len(final.clusters) > 1
}

func (p *pcs) change(x *script, ch core.Change, m *model) {
	if c := m.cluster(ch.Target); c != nil && p.many && p.current != c.name {
		p.current = c.name
		x.comment("cluster " + c.name + ":")
	}
	f, ok := pcsOps[ch.Op]
	if !ok {
		why := ""
		if isNLBOp(ch.Op) {
			why = "Windows NLB has no Pacemaker counterpart; the closest is a cloned IPaddr2 with clusterip_hash"
		}
		x.notExported(ch, why)
		return
	}
	f(p, x, ch, m)
}

// applied writes the commands that take Pacemaker to the configuration
// after the change: of the group it touched, or of the whole cluster when
// it touched the cluster's nodes, quorum or properties (or a disk, which
// every cluster may use).
func (p *pcs) applied(x *script, ch core.Change, m *model, t touch) {
	switch {
	case t.disks:
		for _, c := range m.clusters {
			p.whole(x, m, c)
		}
	case t.cluster == nil:
	case t.whole:
		p.whole(x, m, t.cluster)
	case t.group != "":
		l := p.live[core.Key(t.cluster.name)]
		if l == nil { // a cluster the export has not projected yet
			p.whole(x, m, t.cluster)
			return
		}
		if before, after, ok := l.regroup(m, t.cluster, t.group); ok {
			pcsDiff(x, before, after)
		} else {
			p.whole(x, m, t.cluster)
		}
	}
}

// whole projects a cluster's whole configuration again and writes the
// commands that take Pacemaker there.
func (p *pcs) whole(x *script, m *model, c *cluster) {
	var before pcmCluster
	if l := p.live[core.Key(c.name)]; l != nil {
		before = l.cluster(c.name)
	}
	l := m.live(c)
	pcsDiff(x, before, l.cluster(c.name))
	p.live[core.Key(c.name)] = l
}

// end refuses a configuration whose ids meet (checkIDs).
func (p *pcs) end(x *script, m *model) {
	for _, c := range m.clusters {
		if l := p.live[core.Key(c.name)]; l != nil && x.err == nil {
			x.err = checkIDs(c.name, l.cluster(c.name))
		}
	}
}

// checkIDs refuses a configuration in which two elements would have the
// same XML id, which a CIB does not allow. Ids are made from names, and
// different names can make the same one: group "A-B" preferring node C
// and group "A" preferring node B-C both make prefer-A-B-C, and a resource
// "Web meta_attributes" takes the id of group Web's meta attributes.
func checkIDs(cluster string, pc pcmCluster) error {
	seen := map[string]string{} // id → what it names
	var err error
	add := func(id, what string) {
		if other, ok := seen[id]; ok && err == nil {
			err = core.Errf(core.ErrConflict, "cluster %s: %s and %s would both have the Pacemaker id %q (ids are made from names, and a CIB's are unique); rename one of them",
				cluster, other, what, id)
		}
		seen[id] = what
	}
	for _, g := range pc.groups {
		if len(g.members) == 0 {
			continue
		}
		what := "group " + strconv.Quote(g.name)
		add(g.id, what)
		for _, p := range g.members {
			rw := "resource " + strconv.Quote(p.name)
			add(p.id, rw)
			if len(p.params) > 0 {
				add(p.id+"-instance_attributes", "the parameters of "+rw)
			}
			for _, kv := range p.params {
				add(p.id+"-instance_attributes-"+kv.Key, "parameter "+kv.Key+" of "+rw)
			}
		}
		add(g.id+"-meta_attributes", "the meta attributes of "+what)
		for _, kv := range g.meta {
			add(g.id+"-meta_attributes-"+kv.Key, "meta attribute "+kv.Key+" of "+what)
		}
	}
	for _, l := range pc.locations {
		add(l.id, "the location constraint of "+l.rsc+" on node "+l.node)
	}
	for _, c := range pc.colocations {
		add(c.id, "the colocation keeping "+c.rsc+" from "+c.with)
	}
	return err
}

// pcsLiveMark ends the commands that act on the running cluster
// (membership, standby, moves), which pcs refuses to run on a file: the
// header's staging recipe leaves them out.
const pcsLiveMark = "# live cluster only"

// pcsLive writes a command for the running cluster.
func pcsLive(x *script, words ...string) { x.line("pcs %s  %s", pcsArgs(words), pcsLiveMark) }

func pcsLine(x *script, words ...string) { x.line("pcs %s", pcsArgs(words)) }

// pcsArgs quotes a command's words for sh.
func pcsArgs(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = shQuote(w)
	}
	return strings.Join(q, " ")
}

// pcsDiff writes the pcs commands that change before into after.
func pcsDiff(x *script, before, after pcmCluster) {
	locAfter := map[string]pcmLocation{}
	for _, l := range after.locations {
		locAfter[l.id] = l
	}
	locBefore := map[string]pcmLocation{}
	for _, l := range before.locations {
		locBefore[l.id] = l
		if a, ok := locAfter[l.id]; !ok || a != l {
			pcsLine(x, "constraint", "remove", l.id)
		}
	}
	prims := func(c pcmCluster) map[string]pcmPrimitive {
		out := map[string]pcmPrimitive{}
		for _, g := range c.groups {
			for _, p := range g.members {
				out[p.id] = p
			}
		}
		return out
	}
	pb, pa := prims(before), prims(after)
	for _, g := range before.groups {
		for _, p := range g.members {
			if a, ok := pa[p.id]; !ok || a.spec() != p.spec() {
				pcsLine(x, "resource", "delete", p.id)
			}
		}
	}
	metaBefore := map[string][]core.Pair{}
	membersBefore := map[string][]string{}
	for _, g := range before.groups {
		metaBefore[g.id] = g.meta
		for _, p := range g.members {
			if a, ok := pa[p.id]; ok && a.spec() == p.spec() {
				membersBefore[g.id] = append(membersBefore[g.id], p.id)
			}
		}
	}
	for _, g := range after.groups {
		if len(g.members) == 0 {
			continue
		}
		current := slices.Clone(membersBefore[g.id])
		for i, p := range g.members {
			old, had := pb[p.id]
			if had && old.spec() == p.spec() && slices.Contains(current, p.id) {
				if !slices.Equal(old.params, p.params) {
					args := []string{"resource", "update", p.id}
					for _, kv := range p.params {
						args = append(args, kv.Key+"="+kv.Value)
					}
					pcsLine(x, args...)
				}
				continue
			}
			args := []string{"resource", "create", p.id, p.spec()}
			for _, kv := range p.params {
				args = append(args, kv.Key+"="+kv.Value)
			}
			args = append(args, "--group", g.id)
			switch {
			case i == len(current):
				current = append(current, p.id)
			case i == 0:
				args = append(args, "--before", current[0])
				current = slices.Insert(current, 0, p.id)
			default:
				args = append(args, "--after", g.members[i-1].id)
				current = slices.Insert(current, i, p.id)
			}
			pcsLine(x, args...)
		}
		for i, p := range g.members {
			if current[i] != p.id { // an existing member whose place changed
				at := []string{"--before", current[0]}
				if i > 0 {
					at = []string{"--after", g.members[i-1].id}
				}
				pcsLine(x, append([]string{"resource", "group", "add", g.id, p.id}, at...)...)
				current = slices.Insert(slices.DeleteFunc(current, func(s string) bool { return s == p.id }), i, p.id)
			}
		}
		if !slices.Equal(metaBefore[g.id], g.meta) {
			args := []string{"resource", "meta", g.id}
			for _, kv := range g.meta {
				args = append(args, kv.Key+"="+kv.Value)
			}
			pcsLine(x, args...)
		}
	}
	colBefore, colAfter := map[string]pcmColocation{}, map[string]pcmColocation{}
	for _, c := range after.colocations {
		colAfter[c.id] = c
	}
	for _, c := range before.colocations {
		colBefore[c.id] = c
		if a, ok := colAfter[c.id]; !ok || a != c {
			pcsLine(x, "constraint", "remove", c.id)
		}
	}
	for _, c := range after.colocations {
		if b, ok := colBefore[c.id]; !ok || b != c {
			pcsLine(x, "constraint", "colocation", "add", c.rsc, "with", c.with, "--", c.score, "id="+c.id)
		}
	}
	for _, l := range after.locations {
		if b, ok := locBefore[l.id]; !ok || b != l {
			if strings.HasPrefix(l.score, "-") {
				pcsLine(x, "constraint", "location", "add", l.id, l.rsc, l.node, "--", l.score)
			} else {
				pcsLine(x, "constraint", "location", "add", l.id, l.rsc, l.node, l.score)
			}
		}
	}
}

// pcsOps holds what a change means on Pacemaker beyond the configuration
// the diff writes: commands for operations, comments for what is lost.
var pcsOps = map[string]func(p *pcs, x *script, ch core.Change, m *model){
	"create_cluster": func(p *pcs, x *script, ch core.Change, m *model) {
		x.comment("cluster " + ch.Target + ": form the Pacemaker cluster first: pcs host auth " + ch.Text("node") + "; pcs cluster setup " + ch.Target + " " + ch.Text("node") + "; pcs cluster start --all")
		switch ch.Text("quorum") {
		case mscs.QuorumDisk:
			x.comment("not exported: the quorum disk " + ch.Text("quorum_resource") + " (corosync counts votes; the closest is a quorum device: pcs quorum device add)")
		case mscs.QuorumNodeAndDisk:
			x.comment("not exported: " + quorumLost(mscs.QuorumNodeAndDisk, ch.Text("quorum_disk")))
		case mscs.QuorumLocal:
			x.comment("not exported: the local quorum of a one-node cluster (corosync's quorum applies)")
		case mscs.QuorumNodeMajority:
			x.comment("quorum: node majority is corosync's default vote quorum")
		default:
			x.comment("quorum: a majority node set is corosync's default vote quorum")
		}
	},
	"set_quorum": func(p *pcs, x *script, ch core.Change, m *model) {
		switch mode := ch.Text("mode"); mode {
		case mscs.QuorumNodeMajority:
			x.comment("quorum: node majority is corosync's default vote quorum (remove a quorum device with pcs quorum device remove)")
		default:
			x.comment("not exported: " + quorumLost(mode, ch.Text("witness")))
		}
	},
	"set_node_vote": func(p *pcs, x *script, ch core.Change, m *model) {
		if ch.Int("vote") == 0 {
			x.comment("not exported: " + voteLost(ch.Object))
			return
		}
		x.comment("not exported: NodeWeight 1 of " + ch.Object + " (corosync: quorum_votes: 1, the default, in corosync.conf)")
	},
	"set_cluster_property": func(p *pcs, x *script, ch core.Change, m *model) {
		for _, f := range ch.Settings {
			if !isProperty(f.Name) {
				continue
			}
			if text, lost := propertyLost(f, ch.Text(mscs.PropertyNodeSetting)); lost {
				x.comment("not exported: " + text)
			} else {
				x.comment(text)
			}
		}
	},
	"set_group_priority": func(p *pcs, x *script, ch core.Change, m *model) {
		if ch.Text("priority") == "no_auto_start" {
			x.comment("not exported: Priority No Auto Start of " + strconv.Quote(ch.Object) + " (Pacemaker starts every enabled group when the cluster forms)")
		}
	},
	"set_anti_affinity": func(p *pcs, x *script, ch core.Change, m *model) {},
	"set_site": func(p *pcs, x *script, ch core.Change, m *model) {
		pcsLive(x, "node", "attribute", ch.Object, "site="+ch.Text("site"))
	},
	"add_node":             func(p *pcs, x *script, ch core.Change, m *model) { pcsLive(x, "cluster", "node", "add", ch.Object) },
	"evict_node":           func(p *pcs, x *script, ch core.Change, m *model) { pcsLive(x, "cluster", "node", "remove", ch.Object) },
	"stop_cluster_service": func(p *pcs, x *script, ch core.Change, m *model) { pcsLive(x, "cluster", "stop", ch.Object) },
	"start_cluster_service": func(p *pcs, x *script, ch core.Change, m *model) {
		switch ch.Text("mode") {
		case mscs.StartForceQuorum:
			x.comment("not exported: force quorum on " + ch.Object + " (corosync: pcs quorum unblock, or pcs quorum expected-votes with the votes present, on the partition that should run)")
		case mscs.StartPreventQuorum:
			x.comment("not exported: prevent quorum on " + ch.Object + " (a corosync node that starts simply joins the partition it reaches)")
		}
		pcsLive(x, "cluster", "start", ch.Object)
	},
	"pause_node": func(p *pcs, x *script, ch core.Change, m *model) {
		x.comment("meaning changes: standby moves the node's resources away; a paused Windows node keeps its groups")
		pcsLive(x, "node", "standby", ch.Object)
	},
	"resume_node": func(p *pcs, x *script, ch core.Change, m *model) {
		if ch.Text("failback") == "immediate" {
			x.comment("meaning changes: unstandby lets resources return only as their stickiness and location scores allow; Windows brings the drained groups back at once")
		}
		pcsLive(x, "node", "unstandby", ch.Object)
	},
	"drain_node": func(p *pcs, x *script, ch core.Change, m *model) { pcsLive(x, "node", "standby", ch.Object) },
	"new_group":  func(p *pcs, x *script, ch core.Change, m *model) {},
	"new_resource": func(p *pcs, x *script, ch core.Change, m *model) {
		c := m.cluster(ch.Target)
		r := &resource{name: ch.Object, typ: ch.Text("type")}
		if why := unmapped(c, r); why != "" {
			x.comment(fmt.Sprintf("not exported: resource %q (%s): %s", ch.Object, ch.Text("type"), why))
		}
	},
	"set_dependencies":     func(p *pcs, x *script, ch core.Change, m *model) {},
	"add_dependency":       func(p *pcs, x *script, ch core.Change, m *model) {},
	"remove_dependency":    func(p *pcs, x *script, ch core.Change, m *model) {},
	"set_possible_owners":  func(p *pcs, x *script, ch core.Change, m *model) {},
	"set_preferred_owners": func(p *pcs, x *script, ch core.Change, m *model) {},
	"set_params":           func(p *pcs, x *script, ch core.Change, m *model) {},
	"delete_resource":      func(p *pcs, x *script, ch core.Change, m *model) {},
	"delete_group":         func(p *pcs, x *script, ch core.Change, m *model) {},
	"failover_policy": func(p *pcs, x *script, ch core.Change, m *model) {
		if ch.Text("failback") == mscs.FailbackWindow {
			x.comment(fmt.Sprintf("not exported: failback only between %02d:00 and %02d:00 (the group does not fail back by itself)", ch.Int("window_start"), ch.Int("window_end")))
		}
	},
	"restart_policy": func(p *pcs, x *script, ch core.Change, m *model) {
		x.comment("not exported: restart policy of " + strconv.Quote(ch.Object) + " (" + restartText(restartOf(ch)) + "); Pacemaker restarts a failed resource in place until migration-threshold failures")
	},
	"bring_online": func(p *pcs, x *script, ch core.Change, m *model) { p.operate(x, ch, "enable") },
	"take_offline": func(p *pcs, x *script, ch core.Change, m *model) { p.operate(x, ch, "disable") },
	"move_group": func(p *pcs, x *script, ch core.Change, m *model) {
		id, ok := p.idOf(ch)
		if !ok {
			x.notExported(ch, "the group has no resource Pacemaker runs")
			return
		}
		if g := m.cluster(ch.Target).group(ch.Object); g != nil && g.policy.failback == mscs.FailbackImmediate {
			x.comment("meaning changes: with resource-stickiness=0 the group goes back to its best-scoring node once pcs lets go of it;\n" +
				"Windows keeps a moved group where it is until its preferred owner next comes back online")
		}
		args := []string{"resource", "move", id}
		if n := ch.Text("node"); n != "" {
			args = append(args, n)
		}
		pcsLive(x, args...)
	},
	"install_exchange": func(p *pcs, x *script, ch core.Change, m *model) {
		x.notExported(ch, "Exchange Server 2003 runs only on Windows Server 2003")
	},
}

// idOf finds the Pacemaker id of the group or resource a change names.
func (p *pcs) idOf(ch core.Change) (string, bool) {
	l := p.live[core.Key(ch.Target)]
	if l == nil {
		return "", false
	}
	item := groupItem(ch.Object)
	if ch.Text("kind") == "resource" {
		item = resourceItem(ch.Object)
	}
	id := l.ids.of[item]
	return id, id != ""
}

func (p *pcs) operate(x *script, ch core.Change, verb string) {
	id, ok := p.idOf(ch)
	if !ok {
		x.notExported(ch, "nothing Pacemaker runs")
		return
	}
	pcsLine(x, "resource", verb, id)
}

// ---- cib ----

type cib struct {
	run      Run
	clusters []string // the server cluster the export changes (at most one)
}

// check refuses to write the configuration of several server clusters:
// a CIB is one Pacemaker cluster's.
func (c *cib) check(_ *model, clusters []string) error {
	if len(clusters) > 1 {
		return core.Errf(core.ErrInvalid, "the export changes %d server clusters (%s), and a CIB holds one Pacemaker cluster's configuration; export each with --cluster NAME",
			len(clusters), strings.Join(clusters, ", "))
	}
	c.clusters = clusters
	return nil
}

func (c *cib) start(x *script, run Run, base, final *model) {
	c.run = run
	x.escape = xmlComment
}

func (c *cib) change(*script, core.Change, *model)         {}
func (c *cib) applied(*script, core.Change, *model, touch) {}

// xmlComment makes text safe inside <!-- -->, which may not hold "--".
func xmlComment(text string) string {
	for strings.Contains(text, "--") {
		text = strings.ReplaceAll(text, "--", "- -")
	}
	return text
}

// xmlAttr escapes an attribute value.
func xmlAttr(s string) string { return xmlEscaper.Replace(s) }

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

func (c *cib) end(x *script, m *model) {
	x.open, x.close = "<!-- ", " -->"
	var clusters []*cluster // the one the export changes, as the run left it
	for _, name := range c.clusters {
		if mc := m.cluster(name); mc != nil {
			clusters = append(clusters, mc)
		}
	}
	if len(clusters) == 0 {
		clusters = []*cluster{{name: "(none)"}}
	}
	for _, cl := range clusters {
		x.line(`<?xml version="1.0" encoding="UTF-8"?>`)
		x.comment((fmt.Sprintf("Exported by clusterscript (export to cib) from %s: cluster %s.", c.run.Runbook, cl.name)))
		if t := c.run.title(); t != "" {
			x.comment(("Runbook: " + t))
		}
		x.comment("The Pacemaker configuration of the cluster's groups as the rehearsal left them; load it with\n" +
			"  cibadmin -R -o configuration -x THIS_FILE\n" +
			"Fencing is left to the administrator (pcs stonith create, one device per node); so are the nodes,\n" +
			"which the cluster adds as they join.")
		for _, n := range m.nlbs {
			x.comment(("not exported: NLB cluster " + n.name + " (Windows NLB has no Pacemaker counterpart; the closest is a cloned IPaddr2 with clusterip_hash)"))
		}
		for _, l := range clusterLost(cl) {
			x.comment("not exported: " + l)
		}
		pc := m.project(cl)
		if err := checkIDs(cl.name, pc); err != nil && x.err == nil {
			x.err = err
		}
		x.line(`<cib validate-with="pacemaker-3.0" epoch="1" num_updates="0" admin_epoch="0">`)
		x.line("  <configuration>")
		x.line("    <crm_config/>")
		x.line("    <nodes/>")
		x.line("    <resources>")
		x.open = "      <!-- "
		for _, g := range pc.groups {
			for _, l := range g.lost {
				x.comment(("not exported: " + l))
			}
			if len(g.members) == 0 {
				continue
			}
			x.line(`      <group id="%s">`, xmlAttr(g.id))
			for _, p := range g.members {
				x.line(`        <!-- %s -->`, xmlComment(p.name+" ("+p.typ+")"))
				prov := ""
				if p.provider != "" {
					prov = ` provider="` + xmlAttr(p.provider) + `"`
				}
				x.line(`        <primitive id="%s" class="%s"%s type="%s">`, xmlAttr(p.id), p.class, prov, xmlAttr(p.agent))
				if len(p.params) > 0 {
					x.line(`          <instance_attributes id="%s-instance_attributes">`, xmlAttr(p.id))
					for _, kv := range p.params {
						x.line(`            <nvpair id="%s-instance_attributes-%s" name="%s" value="%s"/>`, xmlAttr(p.id), kv.Key, kv.Key, xmlAttr(kv.Value))
					}
					x.line(`          </instance_attributes>`)
				}
				x.line(`        </primitive>`)
			}
			x.line(`        <meta_attributes id="%s-meta_attributes">`, xmlAttr(g.id))
			for _, kv := range g.meta {
				x.line(`          <nvpair id="%s-meta_attributes-%s" name="%s" value="%s"/>`, xmlAttr(g.id), kv.Key, kv.Key, xmlAttr(kv.Value))
			}
			x.line(`        </meta_attributes>`)
			x.line(`      </group>`)
		}
		x.line("    </resources>")
		x.line("    <constraints>")
		for _, l := range pc.locations {
			x.line(`      <rsc_location id="%s" rsc="%s" node="%s" score="%s"/>`, xmlAttr(l.id), xmlAttr(l.rsc), xmlAttr(l.node), l.score)
		}
		for _, c := range pc.colocations {
			x.line(`      <rsc_colocation id="%s" rsc="%s" with-rsc="%s" score="%s"/>`, xmlAttr(c.id), xmlAttr(c.rsc), xmlAttr(c.with), c.score)
		}
		x.line("    </constraints>")
		x.line("  </configuration>")
		x.line("  <status/>")
		x.line("</cib>")
		x.open = "<!-- "
	}
}
