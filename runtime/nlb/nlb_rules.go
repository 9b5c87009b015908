package nlb

import (
	"clusterscript/runtime/core"
	"fmt"
	"net/netip"
	"sort"
	"strings"
)

// PortRuleSpec is what nlb_port_rule asks for. Nil LoadWeights means equal
// load; nil HandlingPriorities means host priority order.
type PortRuleSpec struct {
	ClusterIP          string // "all" or a cluster IP
	Start, End         int
	Protocol           string
	Filtering          string
	Affinity           string
	LoadWeights        []HostValue
	HandlingPriorities []HostValue
}

// Describe names a rule compactly: "80/tcp", "0-65535/both",
// "443/tcp@10.0.0.101".
func (r *PortRule) Describe() string {
	s := fmt.Sprint(r.Start)
	if r.End != r.Start {
		s += fmt.Sprintf("-%d", r.End)
	}
	s += "/" + r.Protocol
	if r.ClusterIP != "all" {
		s += "@" + r.ClusterIP
	}
	return s
}

func (r *PortRule) settings() string {
	switch r.Filtering {
	case "multiple":
		load := "equal load"
		if r.LoadWeights != nil {
			parts := make([]string, len(r.LoadWeights))
			for i, hv := range r.LoadWeights {
				parts[i] = fmt.Sprintf("%s %d", hv.Host, hv.Value)
			}
			load = "load weights " + strings.Join(parts, ", ")
		}
		return fmt.Sprintf("multiple hosts, affinity %s, %s", r.Affinity, load)
	case "single":
		return "single host"
	}
	return "disabled (traffic dropped)"
}

// Contains reports whether the rule covers a port.
func (r *PortRule) Contains(port int) bool { return port >= r.Start && port <= r.End }

func protocolsShare(a, b string) bool { return a == b || a == "both" || b == "both" }

func (r *PortRule) overlaps(o *PortRule) bool {
	return r.ClusterIP == o.ClusterIP && protocolsShare(r.Protocol, o.Protocol) && r.Start <= o.End && o.Start <= r.End
}

// HostRuleState is "enabled", "disabled" or "draining": what an
// administrator set for the rule on one host.
func (r *PortRule) HostRuleState(host string) string {
	switch {
	case core.ContainsFold(r.DisabledOn, host):
		return RuleDisabled
	case core.ContainsFold(r.DrainingOn, host):
		return RuleDraining
	}
	return RuleEnabled
}

// Weight is a host's load weight for the rule (equal load counts every
// host as 1).
func (r *PortRule) Weight(host string) int {
	if r.LoadWeights == nil {
		return 1
	}
	for _, hv := range r.LoadWeights {
		if strings.EqualFold(hv.Host, host) {
			return hv.Value
		}
	}
	return nlbDefaultWeight
}

// HandlingPriorities gives every host of the cluster its handling priority
// for a single-host rule: the value set for it, else host priority order.
// Hosts the rule does not list take the lowest numbers no listed host
// uses, in host priority order, so the values stay unique.
func (c *Cluster) HandlingPriorities(r *PortRule) []HostValue {
	var out []HostValue
	if r.HandlingPriorities == nil {
		for _, h := range c.sortedHosts() {
			out = append(out, HostValue{h.Server, h.Priority})
		}
	} else {
		used := map[int]bool{}
		listed := map[string]int{}
		for _, hv := range r.HandlingPriorities {
			used[hv.Value] = true
			listed[core.Key(hv.Host)] = hv.Value
		}
		next := 1
		for _, h := range c.sortedHosts() {
			v, ok := listed[core.Key(h.Server)]
			if !ok {
				for used[next] {
					next++
				}
				v = next
				used[v] = true
			}
			out = append(out, HostValue{h.Server, v})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Host < out[j].Host })
	return out
}

// BucketCounts is how many buckets each host owns in the rule's current
// map, by host name (multiple-host rules only).
func (c *Cluster) BucketCounts(r *PortRule) []HostValue {
	if r.Filtering != "multiple" {
		return nil
	}
	count := map[int]int{}
	for _, p := range r.Owners {
		if p != 0 {
			count[p]++
		}
	}
	var out []HostValue
	for _, h := range c.Hosts {
		if n := count[h.Priority]; n > 0 {
			out = append(out, HostValue{h.Server, n})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Host < out[j].Host })
	return out
}

// Rule finds a rule by ID.
func (c *Cluster) Rule(id int) *PortRule {
	for _, r := range c.Rules {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// nlbClusterIP normalizes a rule's cluster_ip: "all" (any case) or an
// address in the cluster's subnet.
func (c *Cluster) normClusterIP(v string) (string, error) {
	if strings.EqualFold(v, "all") {
		return "all", nil
	}
	a, err := core.ParseIPv4("cluster IP", v)
	if err != nil {
		return "", core.Errf(core.ErrInvalid, "cluster_ip %q is neither \"all\" nor an IPv4 address of NLB cluster %s", v, c.Name)
	}
	if p := c.prefix(); !core.SameSubnet(p, a) {
		return "", core.Errf(core.ErrInvalid, "cluster IP %s is outside %s, the subnet of NLB cluster %s; a virtual cluster IP shares the cluster's subnet", v, p.Masked(), c.Name)
	}
	if err := core.UnicastHost("cluster IP", a, c.prefix().Bits()); err != nil {
		return "", err
	}
	return a.String(), nil
}

func (c *Cluster) prefix() netip.Prefix {
	p, _ := core.HostAddress("cluster IP", c.IP, c.Mask)
	return p
}

// AddPortRule adds a port rule; the cluster converges on it.
func (e *Engine) AddPortRule(cluster string, spec PortRuleSpec) (*PortRule, error) {
	c, err := e.Cluster(cluster)
	if err != nil {
		return nil, err
	}
	vip, err := c.normClusterIP(spec.ClusterIP)
	if err != nil {
		return nil, err
	}
	for _, x := range []struct {
		what string
		v    int
	}{{"start port", spec.Start}, {"end port", spec.End}} {
		if x.v < 0 || x.v > 65535 {
			return nil, core.Errf(core.ErrInvalid, "%s %d is outside 0–65535", x.what, x.v)
		}
	}
	if spec.Start > spec.End {
		return nil, core.Errf(core.ErrInvalid, "port rule starts at %d, after its end %d; give start <= end", spec.Start, spec.End)
	}
	if err := core.OneOf("protocol", spec.Protocol, Protocols...); err != nil {
		return nil, err
	}
	if err := core.OneOf("filtering mode", spec.Filtering, Filterings...); err != nil {
		return nil, err
	}
	if err := core.OneOf("affinity", spec.Affinity, Affinities...); err != nil {
		return nil, err
	}
	weights, err := c.hostValues("load weight", spec.LoadWeights, 0, 100)
	if err != nil {
		return nil, err
	}
	prios, err := c.hostValues("handling priority", spec.HandlingPriorities, 1, MaxHosts)
	if err != nil {
		return nil, err
	}
	if spec.LoadWeights != nil && spec.Filtering != "multiple" {
		return nil, core.Errf(core.ErrInvalid, "load_weights apply to multiple-host rules only, and this rule's filtering is %s; drop load_weights or use filtering=\"multiple\"", spec.Filtering)
	}
	if spec.HandlingPriorities != nil && spec.Filtering != "single" {
		return nil, core.Errf(core.ErrInvalid, "handling_priorities apply to single-host rules only, and this rule's filtering is %s; drop handling_priorities or use filtering=\"single\"", spec.Filtering)
	}
	seen := map[int]string{}
	for _, hv := range prios {
		if o, dup := seen[hv.Value]; dup {
			return nil, core.Errf(core.ErrConflict, "handling priority %d is given to both %s and %s; handling priorities are unique within a rule", hv.Value, o, hv.Host)
		}
		seen[hv.Value] = hv.Host
	}
	if len(c.Rules) >= MaxRules {
		return nil, core.Errf(core.ErrLimit, "NLB cluster %s already has %d port rules, the limit; remove one with nlb_remove_port_rule first", c.Name, MaxRules)
	}
	r := &PortRule{ID: c.NextRule, ClusterIP: vip, Start: spec.Start, End: spec.End, Protocol: spec.Protocol,
		Filtering: spec.Filtering, Affinity: spec.Affinity, LoadWeights: weights, HandlingPriorities: prios}
	for _, o := range c.Rules {
		if r.overlaps(o) {
			return nil, core.Errf(core.ErrConflict, "port rule %s overlaps port rule %s of NLB cluster %s (same cluster IP, a shared protocol); remove that one with nlb_remove_port_rule(nlb, %d) or choose ports outside %d–%d", r.Describe(), o.Describe(), c.Name, o.Start, o.Start, o.End)
		}
	}
	newVIP := vip != "all" && vip != c.IP && !core.ContainsFold(c.virtualIPs(), vip)
	if newVIP {
		if u, ok := e.AddrConflict(vip, core.AddrNLB, ""); ok {
			return nil, core.Errf(core.ErrConflict, "address %s is already used by %s; a virtual cluster IP needs an address of its own", vip, u.Describe())
		}
		for _, h := range c.sortedHosts() {
			if a := e.nlbAdapter(h); a != nil && !core.ContainsFold(a.ExtraIPs, vip) {
				return nil, core.Errf(core.ErrPrereq, "host %s does not have cluster IP %s bound on adapter %s; add it to the adapter's extra_ips with configure_tcpip first", h.Server, vip, h.Adapter)
			}
		}
	}
	// All checks passed.
	e.touchCluster(c)
	c.NextRule++
	c.Rules = append(c.Rules, r)
	c.sortRules()
	if newVIP {
		e.ClaimAddr(vip, core.AddrUse{Kind: core.AddrNLB, Owner: nlbOwner(c.Name)})
	}
	e.nlbLog(c, "port rule %s added: %s", r.Describe(), r.settings())
	if r.Filtering == "multiple" && r.Affinity == "none" && r.Protocol != "tcp" {
		e.Warn(c.Name, "port rule %s balances UDP with affinity none: IP fragments carry no port and may reach the wrong host (KB 229064); use single affinity", r.Describe())
	}
	e.nlbStartConvergence(c, "port rules changed")
	e.nlbRefresh(c)
	e.recordRule("nlb_port_rule", c, r)
	return r, nil
}

func (c *Cluster) sortRules() {
	order := map[string]int{"tcp": 0, "udp": 1, "both": 2}
	sort.SliceStable(c.Rules, func(i, j int) bool {
		a, b := c.Rules[i], c.Rules[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.Protocol != b.Protocol {
			return order[a.Protocol] < order[b.Protocol]
		}
		return a.ClusterIP < b.ClusterIP
	})
}

// nlbAdapter is the adapter a host is bound to.
func (e *Engine) nlbAdapter(h *Host) *core.Adapter {
	if s := e.LookupServer(h.Server); s != nil {
		if a, err := s.Adapter(h.Adapter); err == nil {
			return a
		}
	}
	return nil
}

// hostValues checks per-host settings: existing hosts, each once, values
// in range; it returns them sorted by host name (nil stays nil).
func (c *Cluster) hostValues(what string, in []HostValue, lo, hi int) ([]HostValue, error) {
	if in == nil {
		return nil, nil
	}
	out := make([]HostValue, 0, len(in))
	seen := map[string]bool{}
	for _, hv := range in {
		h, err := c.Host(hv.Host)
		if err != nil {
			return nil, err
		}
		if seen[core.Key(h.Server)] {
			return nil, core.Errf(core.ErrConflict, "host %s is given a %s twice", h.Server, what)
		}
		seen[core.Key(h.Server)] = true
		if hv.Value < lo || hv.Value > hi {
			return nil, core.Errf(core.ErrInvalid, "%s %d for host %s is outside %d–%d", what, hv.Value, h.Server, lo, hi)
		}
		out = append(out, HostValue{h.Server, hv.Value})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Host < out[j].Host })
	return out, nil
}

// findRule finds the one rule that contains port, narrowed by protocol
// and cluster IP when they are given ("" for any).
func (c *Cluster) findRule(port int, protocol, clusterIP string) (*PortRule, error) {
	if port < 0 || port > 65535 {
		return nil, core.Errf(core.ErrInvalid, "port %d is outside 0–65535", port)
	}
	if protocol != "" {
		if err := core.OneOf("protocol", protocol, Protocols...); err != nil {
			return nil, err
		}
	}
	if clusterIP != "" {
		v, err := c.normClusterIP(clusterIP)
		if err != nil {
			return nil, err
		}
		clusterIP = v
	}
	var found []*PortRule
	for _, r := range c.Rules {
		if r.Contains(port) && (protocol == "" || protocolsShare(r.Protocol, protocol)) && (clusterIP == "" || r.ClusterIP == clusterIP) {
			found = append(found, r)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		all := make([]string, len(c.Rules))
		for i, r := range c.Rules {
			all[i] = r.Describe()
		}
		if len(all) == 0 {
			all = []string{"none"}
		}
		return nil, core.Errf(core.ErrNotFound, "no port rule of NLB cluster %s contains port %d (rules: %s)", c.Name, port, strings.Join(all, ", "))
	}
	names := make([]string, len(found))
	for i, r := range found {
		names[i] = r.Describe()
	}
	return nil, core.Errf(core.ErrConflict, "port %d is in %d port rules of NLB cluster %s (%s); pass protocol= or cluster_ip= to say which", port, len(found), c.Name, strings.Join(names, ", "))
}

// RuleRef names a port rule the way wlbs does: a port it covers, and the
// protocol and cluster IP when several rules cover that port.
type RuleRef struct {
	Port      int
	Protocol  string
	ClusterIP string
}

// RemovePortRule removes the rule that contains port. Connections it
// carried stay on their hosts; the cluster converges without the rule.
func (e *Engine) RemovePortRule(cluster string, rule RuleRef) error {
	port, protocol, clusterIP := rule.Port, rule.Protocol, rule.ClusterIP
	c, err := e.Cluster(cluster)
	if err != nil {
		return err
	}
	r, err := c.findRule(port, protocol, clusterIP)
	if err != nil {
		return err
	}
	before := c.virtualIPs()
	e.touchCluster(c)
	kept := c.Rules[:0]
	for _, x := range c.Rules {
		if x != r {
			kept = append(kept, x)
		}
	}
	c.Rules = kept
	after := c.virtualIPs()
	for _, v := range before {
		if !core.ContainsFold(after, v) {
			e.ReleaseAddr(v, func(u core.AddrUse) bool { return u.Kind == core.AddrNLB && u.Owner == nlbOwner(c.Name) })
		}
	}
	e.nlbLog(c, "port rule %s removed", r.Describe())
	e.nlbStartConvergence(c, "port rules changed")
	e.nlbRefresh(c)
	e.recordRule("nlb_remove_port_rule", c, r)
	return nil
}

// SetRuleState enables, disables or drains one rule on one host (wlbs
// enable, disable, drain). Disable drops the host's connections of that
// rule; drain keeps them but takes no new ones. The cluster converges.
func (e *Engine) SetRuleState(cluster, host string, rule RuleRef, state string) error {
	port, protocol, clusterIP := rule.Port, rule.Protocol, rule.ClusterIP
	verb := map[string]string{RuleEnabled: "enable", RuleDisabled: "disable", RuleDraining: "drain"}[state]
	if verb == "" {
		return core.OneOf("port rule state", state, RuleEnabled, RuleDisabled, RuleDraining)
	}
	c, h, err := e.nlbTarget(cluster, host, verb+" a port rule on it")
	if err != nil {
		return err
	}
	r, err := c.findRule(port, protocol, clusterIP)
	if err != nil {
		return err
	}
	if h.Control == ctlStopped {
		return core.Errf(core.ErrState, "NLB host %s of %s is stopped; port rule commands need a started host — call nlb_start first", h.Server, c.Name)
	}
	if r.HostRuleState(h.Server) == state {
		e.nlbLog(c, "%s: rule %s is already %s", h.label(), r.Describe(), state)
		e.recordRuleState(state, c, h, r, port)
		return nil
	}
	// All checks passed.
	e.touchRule(r)
	r.DisabledOn = core.RemoveFold(r.DisabledOn, h.Server)
	r.DrainingOn = core.RemoveFold(r.DrainingOn, h.Server)
	switch state {
	case RuleEnabled:
		e.nlbLog(c, "%s enabled traffic handling for rule %s containing port %d", h.label(), r.Describe(), port)
	case RuleDisabled:
		r.DisabledOn = insertSorted(r.DisabledOn, h.Server)
		n := e.nlbDropConnections(c, func(k *Connection) bool { return k.Host == h.Server && c.ruleOf(k) == r })
		e.nlbLog(c, "%s disabled ALL traffic handling for rule %s containing port %d; %s dropped", h.label(), r.Describe(), port, plural(n, "connection"))
	case RuleDraining:
		r.DrainingOn = insertSorted(r.DrainingOn, h.Server)
		e.nlbLog(c, "%s disabled NEW traffic handling for rule %s containing port %d; its connections continue", h.label(), r.Describe(), port)
	}
	e.nlbHostChanged(c, h, fmt.Sprintf("%s changed its handling of rule %s", h.label(), r.Describe()))
	e.nlbRefresh(c)
	e.recordRuleState(state, c, h, r, port)
	return nil
}

func insertSorted(xs []string, x string) []string {
	out := append(append([]string(nil), xs...), x)
	sort.Strings(out)
	return out
}

// matchRule is the rule that handles traffic to a cluster IP, port and
// protocol ("tcp" or "udp"): a rule for that cluster IP before a rule for
// all, or nil when none covers it.
func (c *Cluster) matchRule(clusterIP string, port int, protocol string) *PortRule {
	var all *PortRule
	for _, r := range c.Rules {
		if !r.Contains(port) || !protocolsShare(r.Protocol, protocol) {
			continue
		}
		if r.ClusterIP == clusterIP {
			return r
		}
		if r.ClusterIP == "all" && all == nil {
			all = r
		}
	}
	return all
}

// ruleOf is the rule a TCP connection falls under now.
func (c *Cluster) ruleOf(k *Connection) *PortRule {
	return c.matchRule(k.ClusterIP, k.Port, "tcp")
}
