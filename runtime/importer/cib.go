package importer

import (
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
)

// The parts of a Pacemaker CIB (cibadmin -Q) the import reads. Elements it
// refuses are kept too, so that the refusal names them.
type cibDoc struct {
	Config struct {
		CrmConfig   []nvset
		Nodes       []cibNode
		Resources   []cibElem
		Constraints []cibConst
		RscDefaults []nvset
		OpDefaults  []nvset
	}
	Status []nodeState
}

type nvset struct {
	ID    string
	Rules []string // the ids of its rules
	Pairs []nvpair
}

type nvpair struct{ Name, Value string }

type cibNode struct {
	ID, Uname, Type string
	Attrs           []nvset // its instance_attributes: permanent node attributes
}

// A cibElem is a primitive, group, clone, bundle or other resource element.
type cibElem struct {
	Kind                                string // the element's name
	ID, Class, Provider, Type, Template string
	Instance, Meta                      []nvset
	Ops                                 int // how many operations it defines
	Members                             []cibElem
}

type cibConst struct {
	Kind                                        string
	ID, Rsc, RscPattern, Node, Score, ScoreAttr string
	Rules, Sets                                 []string // ids
}

type nodeState struct {
	ID, Uname, Crmd string
	Lrm             []lrmResource
}

type lrmResource struct {
	ID  string
	Ops []lrmOp
}

type lrmOp struct{ Operation, CallID, RC string }

// cibOf reads the parsed document into a cibDoc.
func cibOf(root *xnode) (*cibDoc, error) {
	if root.name != "cib" {
		return nil, fmt.Errorf("not a Pacemaker CIB (the document is a <%s> element, not <cib>); give cibadmin -Q output", root.name)
	}
	doc := &cibDoc{}
	sets := func(n *xnode, name string) []nvset {
		var out []nvset
		n.each(name, func(x *xnode) {
			s := nvset{ID: x.attr("id")}
			x.each("rule", func(r *xnode) { s.Rules = append(s.Rules, r.attr("id")) })
			x.each("nvpair", func(p *xnode) { s.Pairs = append(s.Pairs, nvpair{p.attr("name"), p.attr("value")}) })
			out = append(out, s)
		})
		return out
	}
	var elem func(x *xnode) cibElem
	elem = func(x *xnode) cibElem {
		e := cibElem{Kind: x.name, ID: x.attr("id"), Class: x.attr("class"), Provider: x.attr("provider"), Type: x.attr("type"),
			Template: x.attr("template"), Instance: sets(x, "instance_attributes"), Meta: sets(x, "meta_attributes")}
		if ops := x.child("operations"); ops != nil {
			e.Ops = len(ops.children)
		}
		x.each("primitive", func(m *xnode) { e.Members = append(e.Members, elem(m)) })
		return e
	}
	cfg := root.child("configuration")
	if cfg == nil {
		return nil, fmt.Errorf("the <cib> has no <configuration>; give cibadmin -Q output")
	}
	if cc := cfg.child("crm_config"); cc != nil {
		doc.Config.CrmConfig = sets(cc, "cluster_property_set")
	}
	cfg.child("nodes").each("node", func(x *xnode) {
		doc.Config.Nodes = append(doc.Config.Nodes, cibNode{x.attr("id"), x.attr("uname"), x.attr("type"), sets(x, "instance_attributes")})
	})
	if rs := cfg.child("resources"); rs != nil {
		doc.Config.Resources = make([]cibElem, 0, len(rs.children))
		for _, x := range rs.children {
			doc.Config.Resources = append(doc.Config.Resources, elem(x))
		}
	}
	if cs := cfg.child("constraints"); cs != nil {
		doc.Config.Constraints = make([]cibConst, 0, len(cs.children))
		for _, x := range cs.children {
			c := cibConst{Kind: x.name, ID: x.attr("id"), Rsc: x.attr("rsc"), RscPattern: x.attr("rsc-pattern"), Node: x.attr("node"),
				Score: x.attr("score"), ScoreAttr: x.attr("score-attribute")}
			x.each("rule", func(r *xnode) { c.Rules = append(c.Rules, r.attr("id")) })
			x.each("resource_set", func(r *xnode) { c.Sets = append(c.Sets, r.attr("id")) })
			doc.Config.Constraints = append(doc.Config.Constraints, c)
		}
	}
	if d := cfg.child("rsc_defaults"); d != nil {
		doc.Config.RscDefaults = sets(d, "meta_attributes")
	}
	if d := cfg.child("op_defaults"); d != nil {
		doc.Config.OpDefaults = sets(d, "meta_attributes")
	}
	root.child("status").each("node_state", func(x *xnode) {
		ns := nodeState{ID: x.attr("id"), Uname: x.attr("uname"), Crmd: x.attr("crmd")}
		if lrm := x.child("lrm"); lrm != nil {
			lrm.child("lrm_resources").each("lrm_resource", func(r *xnode) {
				lr := lrmResource{ID: r.attr("id"), Ops: make([]lrmOp, 0, len(r.children))}
				r.each("lrm_rsc_op", func(o *xnode) {
					lr.Ops = append(lr.Ops, lrmOp{o.attr("operation"), o.attr("call-id"), o.attr("rc-code")})
				})
				ns.Lrm = append(ns.Lrm, lr)
			})
		}
		doc.Status = append(doc.Status, ns)
	})
	return doc, nil
}

// pairs reads the name=value pairs of attribute sets; a set with a rule
// is refused (rules have no Windows equivalent).
func pairs(sets []nvset, where string) (map[string]string, error) {
	out := map[string]string{}
	for _, s := range sets {
		if len(s.Rules) > 0 {
			return nil, fmt.Errorf("<rule id=%q> in %s: rules (time- or attribute-based conditions) have no Windows equivalent; remove the rule or import a CIB without it", s.Rules[0], where)
		}
		for _, p := range s.Pairs {
			out[p.Name] = p.Value
		}
	}
	return out, nil
}

// ReadCIB reads a Pacemaker CIB (cibadmin -Q output).
func ReadCIB(data []byte, source string) (*Snapshot, error) {
	data, err := utf8Text(data, source)
	if err != nil {
		return nil, err
	}
	root, err := parseXML(string(data))
	if err != nil {
		var xe *xmlError
		if errors.As(err, &xe) && xe.eof {
			return nil, inputErr("%s: the XML ends before the CIB does: the file is cut short; run cibadmin -Q again", source)
		}
		return nil, inputErr("%s:%v (not well-formed XML)", source, err)
	}
	doc, err := cibOf(root)
	if err != nil {
		return nil, inputErr("%s: %v", source, err)
	}
	r := &cibReader{s: &Snapshot{Source: source}, doc: doc}
	if err := r.read(); err != nil {
		return nil, inputErr("%s: %v", source, err)
	}
	return r.s, nil
}

type cibReader struct {
	s     *Snapshot
	doc   *cibDoc
	c     *Cluster
	names map[string]string // Pacemaker node name → server name

	groups   map[string]*Group    // by the id of the element it came from
	members  map[string]*Resource // primitive id → resource
	groupOf  map[string]*Group    // primitive id → its group
	defaults map[string]string    // rsc_defaults
	scores   map[*Group]map[string]int64
	banned   map[*Resource]map[string]bool
	dropped  counted
}

const infinity = 1000000

// score reads a Pacemaker score: INFINITY is 1,000,000.
func score(s string) (int64, error) {
	switch strings.TrimPrefix(s, "+") {
	case "INFINITY", "inf":
		return infinity, nil
	case "-INFINITY", "-inf":
		return -infinity, nil
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(s, "+"), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("score %q is not a number or INFINITY", s)
	}
	return max(min(n, infinity), -infinity), nil
}

func (r *cibReader) read() error {
	s, doc := r.s, r.doc
	props, err := pairs(doc.Config.CrmConfig, "<crm_config>")
	if err != nil {
		return err
	}
	name := "PACEMAKER"
	if cn := props["cluster-name"]; cn != "" {
		name = netbiosName(cn)
		if name != cn {
			s.note(name, "cluster-name %q is not a NetBIOS name; the cluster is named %s", cn, name)
		}
	} else {
		s.note(name, "the CIB has no cluster-name; the cluster is named %s", name)
	}
	ignored := map[string]bool{"cluster-name": true, "dc-version": true, "cluster-infrastructure": true, "have-watchdog": true, "last-lrm-refresh": true}
	for _, k := range core.SortedKeys(props) {
		if !ignored[k] && k != "symmetric-cluster" {
			s.note(name, "cluster property %s=%s dropped: fencing and cluster-wide defaults have no Windows equivalent", k, props[k])
		}
	}
	r.c = &Cluster{Name: name, Version: "2022", Edition: "datacenter", Origin: "<crm_config>"}
	s.Clusters = append(s.Clusters, r.c)
	if err := r.nodes(); err != nil {
		return err
	}
	if r.defaults, err = pairs(doc.Config.RscDefaults, "<rsc_defaults>"); err != nil {
		return err
	}
	for _, k := range core.SortedKeys(r.defaults) {
		if k != "resource-stickiness" && k != "migration-threshold" && k != "failure-timeout" {
			s.note(name, "resource default %s=%s dropped: it has no Windows equivalent", k, r.defaults[k])
		}
	}
	opd, err := pairs(doc.Config.OpDefaults, "<op_defaults>")
	if err != nil {
		return err
	}
	for _, k := range core.SortedKeys(opd) {
		s.note(name, "operation default %s=%s dropped: the simulation's health checks are Windows'", k, opd[k])
	}
	r.groups, r.members, r.groupOf = map[string]*Group{}, map[string]*Resource{}, map[string]*Group{}
	r.scores, r.banned, r.dropped = map[*Group]map[string]int64{}, map[*Resource]map[string]bool{}, counted{}
	if err := r.resources(); err != nil {
		return err
	}
	if err := r.constraints(props["symmetric-cluster"] == "false"); err != nil {
		return err
	}
	r.status()
	r.dropped.flush(s, name, func(k string, objs []string) string { return k + " (" + some(objs) + ")" })
	r.addresses()
	return nil
}

// netbiosName makes a Pacemaker node or cluster name a NetBIOS name: its
// first DNS label, characters NetBIOS refuses as hyphens, at most 15.
func netbiosName(n string) string {
	n, _, _ = strings.Cut(n, ".")
	b := []byte(n)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			b[i] = '-'
		}
	}
	if len(b) > 15 {
		b = b[:15]
	}
	out := string(b)
	if strings.Trim(out, "0123456789") == "" {
		out = "N" + out
		if len(out) > 15 {
			out = out[:15]
		}
	}
	return out
}

func (r *cibReader) nodes() error {
	r.names = map[string]string{}
	used := map[string]string{}
	for _, n := range r.doc.Config.Nodes {
		pn := n.Uname
		if pn == "" {
			pn = n.ID
		}
		if n.Type == "remote" || n.Type == "ping" {
			r.s.note(pn, "<node id=%q> is a %s node, which Windows has no equivalent of; it is left out", n.ID, n.Type)
			continue
		}
		name := netbiosName(pn)
		if o, dup := used[core.Key(name)]; dup {
			return fmt.Errorf("<node uname=%q> and <node uname=%q> both become server %s (NetBIOS names: first label, at most 15 characters); rename one", o, pn, name)
		}
		used[core.Key(name)] = pn
		if name != pn {
			r.s.note(name, "node %q is named %s (a NetBIOS computer name)", pn, name)
		}
		r.names[pn] = name
		if n.ID != "" {
			if _, ok := r.names[n.ID]; !ok {
				r.names[n.ID] = name
			}
		}
		r.c.Nodes = append(r.c.Nodes, &Node{Name: name, State: mscs.NodeUp, Origin: fmt.Sprintf("<node uname=%q>", pn), Site: r.site(n, pn)})
	}
	if len(r.c.Nodes) == 0 {
		return fmt.Errorf("<nodes> lists no cluster nodes; give the CIB of a cluster that has nodes (cibadmin -Q on a member)")
	}
	if len(r.c.Nodes) > 64 {
		return fmt.Errorf("<nodes> lists %d nodes; a Windows Server 2022 cluster has at most 64", len(r.c.Nodes))
	}
	return nil
}

// site is a node's "site" attribute (pcs node attribute N site=S, as
// export writes a Windows site), or "". A set under a rule holds when the
// rule does, which a Windows site cannot say; it is left out with a note.
func (r *cibReader) site(n cibNode, pn string) string {
	site := ""
	for _, set := range n.Attrs {
		for _, p := range set.Pairs {
			switch {
			case p.Name != "site":
			case len(set.Rules) > 0:
				r.s.note(pn, "node attribute site=%s of node %q is under a rule (<rule id=%q>); a Windows site holds always, so it is left out", p.Value, pn, set.Rules[0])
			default:
				site = p.Value
			}
		}
	}
	return site
}

// node maps a Pacemaker node name to its server, or "" when unknown.
func (r *cibReader) node(pn string) string { return r.names[pn] }

func (r *cibReader) resources() error {
	refused := map[string]string{
		"clone":    "clones (copies of a resource running on several nodes at once) have no Windows equivalent",
		"master":   "promotable (master/slave) resources have no Windows equivalent",
		"bundle":   "bundles (containers) have no Windows equivalent",
		"template": "resource templates are not imported; expand them into primitives",
	}
	for i := range r.doc.Config.Resources {
		e := &r.doc.Config.Resources[i]
		if why, ok := refused[e.Kind]; ok {
			return fmt.Errorf("<%s id=%q>: %s", e.Kind, e.ID, why)
		}
		switch e.Kind {
		case "primitive":
			if e.Class == "stonith" {
				r.s.note(e.ID, "fencing device <primitive id=%q class=\"stonith\" type=%q> dropped: Windows clusters do not fence", e.ID, e.Type)
				continue
			}
			g := &Group{Name: e.ID, Origin: fmt.Sprintf("<primitive id=%q>", e.ID)}
			if err := r.group(g, e, []cibElem{*e}); err != nil {
				return err
			}
		case "group":
			g := &Group{Name: e.ID, Origin: fmt.Sprintf("<group id=%q>", e.ID)}
			if err := r.group(g, e, e.Members); err != nil {
				return err
			}
		default:
			return fmt.Errorf("<%s id=%q> in <resources> is not a primitive or group; the import reads only those", e.Kind, e.ID)
		}
	}
	return nil
}

// group reads a group (or a lone primitive, a group of one): its members
// become resources, each depending on the one before (a Pacemaker group
// starts its members in order and keeps them together).
func (r *cibReader) group(g *Group, e *cibElem, members []cibElem) error {
	meta, err := pairs(e.Meta, fmt.Sprintf("<%s id=%q>", e.Kind, e.ID))
	if err != nil {
		return err
	}
	if _, dup := r.groups[g.Name]; dup {
		return fmt.Errorf("%s: the id is used twice", g.Origin)
	}
	r.groups[g.Name] = g
	r.c.Groups = append(r.c.Groups, g)
	g.State = mscs.Online
	geff := maps.Clone(r.defaults)
	maps.Copy(geff, meta)
	var prev *Resource
	for i := range members {
		m := &members[i]
		if m.Class == "stonith" {
			return fmt.Errorf("<primitive id=%q class=\"stonith\"> is in group %q; fencing devices are not group members", m.ID, g.Name)
		}
		if m.Template != "" {
			return fmt.Errorf("<primitive id=%q template=%q>: resource templates are not imported; expand them into primitives", m.ID, m.Template)
		}
		res, mmeta, err := r.primitive(m)
		if err != nil {
			return err
		}
		if _, dup := r.members[m.ID]; dup {
			return fmt.Errorf("<primitive id=%q>: the id is used twice", m.ID)
		}
		if prev != nil {
			res.Dependencies = []string{prev.Name}
		}
		prev = res
		r.members[m.ID], r.groupOf[m.ID] = res, g
		g.Resources = append(g.Resources, res)
		// A member's own meta attributes win over its group's.
		eff := geff
		if len(mmeta) > 0 {
			eff = maps.Clone(geff)
			maps.Copy(eff, mmeta)
		}
		if err := r.restart(res, eff); err != nil {
			return err
		}
	}
	return r.groupMeta(g, geff, meta)
}

// primitive maps a resource agent to a resource type.
func (r *cibReader) primitive(m *cibElem) (*Resource, map[string]string, error) {
	where := fmt.Sprintf("<primitive id=%q>", m.ID)
	inst, err := pairs(m.Instance, where)
	if err != nil {
		return nil, nil, err
	}
	meta, err := pairs(m.Meta, where)
	if err != nil {
		return nil, nil, err
	}
	agent := m.Class + ":" + m.Type
	if m.Provider != "" {
		agent = m.Class + ":" + m.Provider + ":" + m.Type
	}
	res := &Resource{Name: m.ID, Origin: where, Params: map[string]string{}, State: mscs.Offline}
	used := map[string]bool{}
	switch {
	case m.Class == "ocf" && (m.Type == "IPaddr2" || m.Type == "IPaddr"):
		res.Type = mscs.TypeIPAddress
		ip := inst["ip"]
		a, err := netip.ParseAddr(ip)
		if err != nil || !a.Is4() {
			return nil, nil, fmt.Errorf("%s (%s) has ip=%q; the import needs an IPv4 address", where, agent, ip)
		}
		bits := 24
		if nm := inst["cidr_netmask"]; nm != "" {
			if b, err := strconv.Atoi(nm); err == nil && b >= 1 && b <= 30 {
				bits = b
			} else if b, err := core.ParseMask(nm); err == nil {
				bits = b
			} else {
				return nil, nil, fmt.Errorf("%s has cidr_netmask=%q; give a prefix length such as 24", where, nm)
			}
		} else {
			r.dropped.add("no cidr_netmask: /24 assumed for", m.ID)
		}
		res.Params["address"], res.Params["subnet_mask"] = ip, core.MaskString(bits)
		used["ip"], used["cidr_netmask"] = true, true
	case m.Class == "ocf" && m.Type == "Filesystem":
		// The disk is named by its filesystem label and lettered by the
		// directory's last letter when the CIB says so, as export writes
		// them (device=/dev/disk/by-label/Data1, directory=/srv/R); else
		// by the primitive and the next free letter (disks).
		res.Type = mscs.TypePhysicalDisk
		label := m.ID
		if l, ok := strings.CutPrefix(inst["device"], "/dev/disk/by-label/"); ok {
			if l, ok := udevLabel(l); ok {
				label = l
			}
		}
		letter := ""
		if d := inst["directory"]; len(d) >= 2 && d[len(d)-2] == '/' && unicode.IsLetter(rune(d[len(d)-1])) && d[len(d)-1] < 0x80 {
			letter = strings.ToUpper(d[len(d)-1:]) + ":"
		}
		res.Params["disk"] = label
		res.Disk = &Disk{Label: label, SizeGB: 100, Letter: letter}
		r.dropped.add("Filesystem becomes a lettered NTFS shared disk (named by a /dev/disk/by-label/ device and lettered by a directory ending in /LETTER when given; fstype dropped) for", m.ID)
		used["device"], used["directory"], used["fstype"] = true, true, true
	case m.Class == "systemd" || m.Class == "service" || m.Class == "lsb" || m.Class == "upstart":
		res.Type = mscs.TypeGenericService
		res.Params["service"] = m.Type
		if m.Class == "systemd" {
			res.Params["service"] = unhex(m.Type) // a unit name escapes what Windows names may hold
		}
		res.Description = "imported " + agent + " resource"
	default:
		standIn(res, agent)
		r.dropped.add(fmt.Sprintf("agent %s is not simulated: imported as Generic Service with service %q for", agent, agent), m.ID)
	}
	for _, k := range core.SortedKeys(inst) {
		if !used[k] {
			r.dropped.add(fmt.Sprintf("instance attribute %s of %s dropped for", k, agent), m.ID)
		}
	}
	if m.Ops > 0 {
		r.dropped.add("operations (monitor intervals, timeouts) dropped: the simulation's health checks are Windows' for", m.ID)
	}
	return res, meta, nil
}

// restart maps migration-threshold and failure-timeout to the nearest
// restart policy: k failures on a node move the group, so k−1 restarts
// then a failover (RestartThreshold k−1 within failure-timeout).
func (r *cibReader) restart(res *Resource, meta map[string]string) error {
	mt, ok := meta["migration-threshold"]
	if !ok {
		return nil
	}
	p := mscs.RestartPolicy{Restart: true, AffectGroup: true, Period: mscs.DefaultRestartPeriod}
	n, err := score(mt)
	if err != nil {
		return fmt.Errorf("%s: migration-threshold: %v", res.Origin, err)
	}
	switch {
	case n <= 0 || n >= infinity:
		// Never moves for failures: restart in place, never fail over.
		p.Threshold, p.AffectGroup = infinity, false
		r.dropped.add("migration-threshold INFINITY approximated as 1,000,000 restarts that never fail the group over for", res.Name)
	default:
		p.Threshold = int(n - 1)
	}
	if ft := meta["failure-timeout"]; ft != "" {
		secs, err := seconds(ft)
		if err != nil || secs < 1 {
			return fmt.Errorf("%s: failure-timeout %q is not a duration such as 60s or 10min", res.Origin, ft)
		}
		p.Period = secs
	}
	res.Restart = &p
	return nil
}

// seconds reads a Pacemaker interval: 90, 90s, 10min, 2h.
func seconds(s string) (int, error) {
	units := []struct {
		suffix string
		mul    int
	}{{"ms", 0}, {"min", 60}, {"m", 60}, {"h", 3600}, {"s", 1}, {"", 1}}
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			n, err := strconv.Atoi(strings.TrimSuffix(s, u.suffix))
			if err != nil {
				return 0, err
			}
			if u.mul == 0 {
				return n / 1000, nil
			}
			return n * u.mul, nil
		}
	}
	return 0, fmt.Errorf("bad interval")
}

// groupMeta maps a group's meta attributes: resource-stickiness to the
// failback policy, target-role=Stopped to a group kept Offline.
func (r *cibReader) groupMeta(g *Group, eff, own map[string]string) error {
	sticky := int64(0)
	if v, ok := eff["resource-stickiness"]; ok {
		n, err := score(v)
		if err != nil {
			return fmt.Errorf("%s: resource-stickiness: %v", g.Origin, err)
		}
		sticky = n
	}
	// Pacemaker counts failures per resource (migration-threshold, read
	// above); a group keeps its version's own failover threshold.
	p := mscs.FailoverPolicy{DefaultThreshold: true, Period: mscs.DefaultFailoverPeriod, Failback: mscs.FailbackPrevent}
	if sticky <= 0 {
		// No stickiness: Pacemaker moves a group back to its best node as
		// soon as that node returns.
		p.Failback = mscs.FailbackImmediate
	}
	g.Failover = &p
	if strings.EqualFold(own["target-role"], "Stopped") {
		g.State = mscs.Offline
	}
	for _, k := range core.SortedKeys(own) {
		switch k {
		case "resource-stickiness", "target-role", "migration-threshold", "failure-timeout":
		default:
			r.dropped.add("meta attribute "+k+" dropped", g.Name)
		}
	}
	return nil
}

func (r *cibReader) constraints(optIn bool) error {
	for _, e := range r.doc.Config.Constraints {
		where := fmt.Sprintf("<%s id=%q>", e.Kind, e.ID)
		switch e.Kind {
		case "rsc_location":
		case "rsc_order", "rsc_colocation":
			return fmt.Errorf("%s: order and colocation constraints between groups have no Windows equivalent (a dependency stays within a group); put the resources in one group, or remove the constraint", where)
		default:
			return fmt.Errorf("%s: %s constraints have no Windows equivalent", where, e.Kind)
		}
		switch {
		case len(e.Rules) > 0:
			return fmt.Errorf("%s: its <rule id=%q> (a condition on time or node attributes) has no Windows equivalent; give node scores instead", where, e.Rules[0])
		case e.RscPattern != "":
			return fmt.Errorf("%s: rsc-pattern %q is not imported; give one constraint per resource", where, e.RscPattern)
		case len(e.Sets) > 0:
			return fmt.Errorf("%s: resource sets are not imported; give one constraint per resource", where)
		case e.ScoreAttr != "":
			return fmt.Errorf("%s: score-attribute has no Windows equivalent; give a score", where)
		}
		sc, err := score(e.Score)
		if err != nil {
			return fmt.Errorf("%s: %v", where, err)
		}
		node := r.node(e.Node)
		if node == "" {
			return fmt.Errorf("%s names node %q, which <nodes> does not list", where, e.Node)
		}
		g, member := r.groups[e.Rsc], r.members[e.Rsc]
		switch {
		case g != nil && len(g.Resources) > 0:
		case member != nil:
			g = r.groupOf[e.Rsc]
		default:
			return fmt.Errorf("%s names resource %q, which is no primitive or group of <resources>", where, e.Rsc)
		}
		if sc <= -infinity {
			targets := g.Resources
			if member != nil && r.groups[e.Rsc] == nil {
				targets = []*Resource{member}
			}
			for _, res := range targets {
				if r.banned[res] == nil {
					r.banned[res] = map[string]bool{}
				}
				r.banned[res][node] = true
			}
			continue
		}
		if member != nil && r.groups[e.Rsc] == nil {
			r.dropped.add("location scores of group members apply to their group", e.Rsc)
		}
		if r.scores[g] == nil {
			r.scores[g] = map[string]int64{}
		}
		r.scores[g][node] += sc
	}
	for _, g := range r.c.Groups {
		type ns struct {
			node  string
			score int64
		}
		var list []ns
		for n, sc := range r.scores[g] {
			if sc > 0 {
				list = append(list, ns{n, sc})
			} else if sc < 0 {
				r.dropped.add("negative finite location scores approximated as \"not a preferred owner\"", g.Name)
			}
		}
		sort.Slice(list, func(i, j int) bool {
			if list[i].score != list[j].score {
				return list[i].score > list[j].score
			}
			return list[i].node < list[j].node
		})
		for i, x := range list {
			if i > 0 && list[i-1].score == x.score {
				r.dropped.add("equal location scores ordered by node name", g.Name)
			}
			g.PreferredOwners = append(g.PreferredOwners, x.node)
		}
		for _, res := range g.Resources {
			ban := r.banned[res]
			if ban == nil && !optIn {
				continue
			}
			var owners []string
			for _, n := range r.c.Nodes {
				allowed := !ban[n.Name]
				if optIn {
					_, scored := r.scores[g][n.Name]
					allowed = allowed && scored && r.scores[g][n.Name] >= 0
				}
				if allowed {
					owners = append(owners, n.Name)
				}
			}
			if len(owners) == 0 {
				return fmt.Errorf("resource %q may run on no node (every node is -INFINITY, or none is allowed in an opt-in cluster); Windows needs a possible owner", res.Name)
			}
			res.PossibleOwners = owners
		}
		for _, res := range g.Resources {
			if res.Disk == nil {
				continue
			}
			res.Disk.Servers = res.PossibleOwners
			if res.Disk.Servers == nil {
				res.Disk.Servers = r.c.nodeNames()
			}
		}
	}
	return r.disks()
}

// disks makes the Filesystem disks' labels unique (a label two primitives
// share falls back to the primitive's id) and gives each a drive letter:
// the one its directory names when it is free, else the first free one
// from D: (C: is the system drive).
func (r *cibReader) disks() error {
	var all []*Resource
	labels := map[string]int{}
	for _, g := range r.c.Groups {
		for _, res := range g.Resources {
			if res.Disk != nil {
				all = append(all, res)
				labels[core.Key(res.Disk.Label)]++
			}
		}
	}
	taken := map[string]bool{"C:": true}
	for _, res := range all {
		if labels[core.Key(res.Disk.Label)] > 1 {
			res.Disk.Label, res.Params["disk"] = res.Name, res.Name
		}
		if l := res.Disk.Letter; l != "" && !taken[l] {
			taken[l] = true
		} else {
			res.Disk.Letter = ""
		}
	}
	next := 'D'
	for _, res := range all {
		if res.Disk.Letter != "" {
			continue
		}
		for next <= 'Z' && taken[string(next)+":"] {
			next++
		}
		if next > 'Z' {
			return fmt.Errorf("the CIB has more Filesystem primitives than free drive letters (D: to Z:); the simulation gives each disk a letter")
		}
		res.Disk.Letter = string(next) + ":"
		taken[res.Disk.Letter] = true
	}
	return nil
}

// udevLabel reads a filesystem label from its /dev/disk/by-label name;
// false when it is no label a disk can take (blank, padded, over 32
// characters, a control character).
func udevLabel(name string) (string, bool) {
	l := unhex(name)
	ok := l != "" && strings.TrimSpace(l) == l && utf8.ValidString(l) && utf8.RuneCountInString(l) <= 32 &&
		!strings.ContainsFunc(l, unicode.IsControl)
	return l, ok
}

// unhex reads the \xHH escapes udev (by-label names) and systemd (unit
// names) write for the bytes they do not keep: Cluster\x20Disk is
// "Cluster Disk".
func unhex(s string) string {
	if !strings.Contains(s, `\x`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
			if v, err := strconv.ParseUint(s[i+2:i+4], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// status reads where each resource runs (the last operation recorded on
// each node) and which nodes are online; without any resource history,
// every group starts on its first preferred owner, as Pacemaker would
// start it.
func (r *cibReader) status() {
	running := map[string]string{} // primitive id → node
	history := false
	online := map[string]bool{}
	for _, ns := range r.doc.Status {
		node := r.node(ns.Uname)
		if node == "" {
			node = r.node(ns.ID)
		}
		if node == "" {
			continue
		}
		if ns.Crmd == "online" {
			online[node] = true
		}
		for _, lr := range ns.Lrm {
			history = true
			best, last := int64(-1), ""
			for _, op := range lr.Ops {
				id, err := strconv.ParseInt(op.CallID, 10, 64)
				if err != nil || id < best {
					continue
				}
				best = id
				switch {
				case op.RC == "0" && (op.Operation == "start" || op.Operation == "monitor" || op.Operation == "migrate_from" || op.Operation == "promote"):
					last = "running"
				default:
					last = ""
				}
			}
			if last == "running" {
				running[lr.ID] = node
			}
		}
	}
	if len(r.doc.Status) > 0 {
		for _, n := range r.c.Nodes {
			if !online[n.Name] {
				n.State = mscs.NodeDown
			}
		}
	}
	if !history {
		if len(r.c.Groups) > 0 {
			r.s.note(r.c.Name, "the CIB records no resource history: each group is brought online on its first preferred owner, where Pacemaker would start it")
		}
		for _, g := range r.c.Groups {
			if g.State == mscs.Online {
				for _, res := range g.Resources {
					res.State = mscs.Online
				}
			}
		}
		return
	}
	for _, g := range r.c.Groups {
		on := 0
		for _, res := range g.Resources {
			if n, ok := running[res.Name]; ok {
				res.State = mscs.Online
				if g.Owner == "" {
					g.Owner = n
				} else if g.Owner != n {
					r.dropped.add("members running on different nodes: the group is imported on the node of its first running member", g.Name)
				}
				on++
			}
		}
		switch {
		case on == 0:
			g.State = mscs.Offline
		case on == len(g.Resources):
			g.State = mscs.Online
		default:
			g.State = mscs.PartialOnline
		}
	}
}

// addresses gives the nodes the addresses a CIB does not hold: one
// adapter per subnet of the IPaddr2 resources (Public, Public 2, …) and a
// Private one for heartbeats, and the cluster its own address.
func (r *cibReader) addresses() {
	var subnets []netip.Prefix
	used := map[netip.Addr]bool{}
	for _, g := range r.c.Groups {
		for _, res := range g.Resources {
			if res.Type != mscs.TypeIPAddress {
				continue
			}
			a := netip.MustParseAddr(res.Params["address"])
			bits, _ := core.ParseMask(res.Params["subnet_mask"])
			used[a] = true
			p := netip.PrefixFrom(a, bits).Masked()
			found := false
			for _, q := range subnets {
				found = found || q == p
			}
			if !found {
				subnets = append(subnets, p)
			}
		}
	}
	if len(subnets) == 0 {
		subnets = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24")}
	}
	private := netip.Prefix{}
	for _, cand := range []string{"192.168.254.0/24", "172.31.254.0/24", "10.254.254.0/24"} {
		p := netip.MustParsePrefix(cand)
		clash := false
		for _, q := range subnets {
			clash = clash || q.Overlaps(p)
		}
		if !clash {
			private = p
			break
		}
	}
	next := map[netip.Prefix]netip.Addr{}
	free := func(p netip.Prefix) string {
		a, ok := next[p]
		if !ok {
			a = p.Addr().Next()
		}
		for used[a] && p.Contains(a) {
			a = a.Next()
		}
		used[a] = true
		next[p] = a.Next()
		return a.String()
	}
	for _, n := range r.c.Nodes {
		for i, p := range subnets {
			name := "Public"
			if i > 0 {
				name = fmt.Sprintf("Public %d", i+1)
			}
			n.Adapters = append(n.Adapters, Adapter{Name: name, IP: free(p), Mask: core.MaskString(p.Bits()), Role: "mixed"})
		}
		if private.IsValid() {
			n.Adapters = append(n.Adapters, Adapter{Name: "Private", IP: free(private), Mask: core.MaskString(private.Bits()), Role: "private"})
		}
	}
	r.c.IP, r.c.Mask = free(subnets[0]), core.MaskString(subnets[0].Bits())
	first := r.c.Nodes[0].Adapters[0]
	r.s.note(r.c.Name, "a CIB holds no node or cluster addresses: the nodes get addresses from %s (%s on %s…), the cluster %s", subnets[0], first.IP, r.c.Nodes[0].Name, r.c.IP)
}
