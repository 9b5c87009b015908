package builtins

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"clusterscript/internal/spell"
	"clusterscript/lang"
	"clusterscript/runtime/core"
	"clusterscript/runtime/sim"
)

// What the REPL's :state and `clusterscript status` show of the world is
// first gathered as data, a worldView, then drawn as a tree of text (the
// way Cluster Administrator and Computer Management show it) or encoded as
// JSON (status --json). One object (:state NAME, status F NAME) is the same
// view narrowed to that object and what contains it. Server clusters and
// NLB clusters have files of their own.

// A worldView is the world as :state shows it.
type worldView struct {
	Clock         string        `json:"clock"` // RFC 3339, UTC
	Events        int           `json:"events"`
	TimersPending int           `json:"timers_pending"`
	Only          string        `json:"only,omitempty"` // the NAME the view was narrowed to
	Domains       []domainView  `json:"domains,omitempty"`
	Servers       []serverView  `json:"servers,omitempty"`
	Disks         []diskView    `json:"disks,omitempty"`
	Clusters      []clusterView `json:"clusters,omitempty"`
	NLBClusters   []nlbView     `json:"nlb_clusters,omitempty"`

	at int64 // the clock, for the text header
}

type domainView struct {
	Name     string   `json:"name"`
	NetBIOS  string   `json:"netbios"`
	Accounts []string `json:"accounts"` // sorted
}

type serverView struct {
	Name           string        `json:"name"`
	Version        string        `json:"version"`
	Edition        string        `json:"edition"`
	Running        bool          `json:"running"`
	SystemDiskLost bool          `json:"system_disk_lost,omitempty"`
	Domain         string        `json:"domain,omitempty"`
	Cluster        string        `json:"cluster,omitempty"`
	Exchange       string        `json:"exchange,omitempty"`
	Adapters       []adapterView `json:"adapters"`
	Components     []string      `json:"components,omitempty"`
}

type adapterView struct {
	Name       string   `json:"name"`
	Configured bool     `json:"configured"`
	IP         string   `json:"ip,omitempty"`
	PrefixBits int      `json:"prefix_bits,omitempty"`
	Role       string   `json:"role,omitempty"`
	Gateway    string   `json:"gateway,omitempty"`
	ExtraIPs   []string `json:"extra_ips,omitempty"`
	Failed     bool     `json:"failed,omitempty"`
}

type diskView struct {
	Label   string   `json:"label"`
	Letter  string   `json:"letter,omitempty"`
	Kind    string   `json:"kind"`
	FS      string   `json:"fs"`
	SizeGB  float64  `json:"size_gb"`
	Servers []string `json:"servers"`
	Failed  bool     `json:"failed,omitempty"`
}

// viewWorld gathers the whole world.
func viewWorld(w *sim.World) *worldView {
	v := &worldView{
		Clock:         core.FormatRFC3339(w.Now()),
		Events:        len(w.Log()),
		TimersPending: len(w.PendingTimers()),
		at:            w.Now(),
	}
	for _, d := range w.Domains {
		dv := domainView{Name: d.Name, NetBIOS: d.NetBIOS, Accounts: make([]string, len(d.Users))}
		for i, u := range d.Users {
			dv.Accounts[i] = u.Name
		}
		sort.Strings(dv.Accounts)
		v.Domains = append(v.Domains, dv)
	}
	for _, s := range w.Servers {
		sv := serverView{Name: s.Name, Version: s.Version, Edition: s.Edition, Running: s.Running, SystemDiskLost: s.NoSystemDisk,
			Domain: s.Domain, Cluster: s.Cluster, Exchange: s.Exchange, Components: s.Components, Adapters: []adapterView{}}
		for _, a := range s.Adapters {
			av := adapterView{Name: a.Name, Configured: a.Configured(), Failed: a.Failed}
			if av.Configured {
				av.IP, av.PrefixBits, av.Role, av.Gateway, av.ExtraIPs = a.IP, a.Prefix().Bits(), a.Role, a.Gateway, a.ExtraIPs
			}
			sv.Adapters = append(sv.Adapters, av)
		}
		v.Servers = append(v.Servers, sv)
	}
	for _, d := range w.Disks {
		v.Disks = append(v.Disks, diskView{Label: d.Label, Letter: d.Letter, Kind: d.Kind, FS: d.FS, SizeGB: d.SizeGB, Servers: d.Servers, Failed: d.Failed})
	}
	v.Clusters = viewClusters(w)
	v.NLBClusters = viewNLB(w)
	return v
}

// drawWorld draws the whole world: what :state prints.
func drawWorld(w *sim.World) string { return viewWorld(w).draw() }

// draw renders the view as a tree: a header with the clock, then one
// section per kind of object it holds.
func (v *worldView) draw() string {
	var b strings.Builder
	timers := "no timers pending"
	if v.TimersPending > 0 {
		timers = fmt.Sprintf("%d timers pending", v.TimersPending)
	}
	fmt.Fprintf(&b, "World at %s: %d events, %s\n", core.FormatClock(v.at), v.Events, timers)
	n := b.Len()
	v.drawDomains(&b)
	v.drawServers(&b)
	v.drawDisks(&b)
	v.drawClusters(&b)
	v.drawNLB(&b)
	if b.Len() == n {
		b.WriteString("  (nothing built yet)\n")
	}
	return b.String()
}

func (v *worldView) drawDomains(b *strings.Builder) {
	if len(v.Domains) == 0 {
		return
	}
	b.WriteString("Domains\n")
	for _, d := range v.Domains {
		fmt.Fprintf(b, "  %s (%s)\n", d.Name, d.NetBIOS)
		b.WriteString(lang.WrapList("    accounts: ", d.Accounts, 78))
	}
}

func (v *worldView) drawServers(b *strings.Builder) {
	if len(v.Servers) == 0 {
		return
	}
	b.WriteString("Servers\n")
	width := widest(v.Servers, func(s serverView) string { return s.Name })
	for _, s := range v.Servers {
		facts := []string{fmt.Sprintf("Windows Server %s %s", s.Version, titleCase(s.Edition))}
		switch {
		case s.Running:
			facts = append(facts, "running")
		case s.SystemDiskLost:
			facts = append(facts, "DOWN, system disk lost (needs an ASR restore)")
		default:
			facts = append(facts, "DOWN")
		}
		if s.Domain != "" {
			facts = append(facts, "member of "+s.Domain)
		}
		if s.Cluster != "" {
			facts = append(facts, "node of "+s.Cluster)
		}
		if s.Exchange != "" {
			facts = append(facts, "Exchange "+s.Exchange)
		}
		fmt.Fprintf(b, "  %-*s  %s\n", width, s.Name, strings.Join(facts, ", "))
		aw := widest(s.Adapters, func(a adapterView) string { return a.Name })
		for _, a := range s.Adapters {
			fmt.Fprintf(b, "    %-*s  %s\n", aw, a.Name, a.facts())
		}
		if len(s.Components) > 0 {
			fmt.Fprintf(b, "    components: %s\n", strings.Join(s.Components, ", "))
		}
	}
}

func (a adapterView) facts() string {
	if !a.Configured {
		s := "not configured"
		if a.Failed {
			s += ", FAILED"
		}
		return s
	}
	facts := []string{fmt.Sprintf("%s/%d %s", a.IP, a.PrefixBits, a.Role)}
	if a.Gateway != "" {
		facts = append(facts, "gateway "+a.Gateway)
	}
	if len(a.ExtraIPs) > 0 {
		facts = append(facts, "also "+strings.Join(a.ExtraIPs, ", "))
	}
	if a.Failed {
		facts = append(facts, "FAILED")
	}
	return strings.Join(facts, ", ")
}

func (v *worldView) drawDisks(b *strings.Builder) {
	if len(v.Disks) == 0 {
		return
	}
	b.WriteString("Shared disks\n")
	width := widest(v.Disks, func(d diskView) string { return d.Label })
	for _, d := range v.Disks {
		letter := d.Letter
		if letter == "" {
			letter = "--"
		}
		facts := []string{fmt.Sprintf("%s %s %s, %g GB", letter, d.Kind, d.FS, d.SizeGB), "seen by " + strings.Join(d.Servers, ", ")}
		if d.Failed {
			facts = append(facts, "FAILED")
		}
		fmt.Fprintf(b, "  %-*s  %s\n", width, d.Label, strings.Join(facts, ", "))
	}
}

// narrow keeps only the objects named name (a server, disk, domain,
// cluster, node, group, resource, NLB cluster or NLB host; names compare
// without regard to case) and what contains them. "CLUSTER/NAME" picks a
// node, group or resource of one cluster, or a host of one NLB cluster. It
// reports how many objects matched.
func (v *worldView) narrow(name string) int {
	v.Only = name
	n := 0
	keep := func(match bool) bool {
		if match {
			n++
		}
		return match
	}
	v.Domains = filter(v.Domains, func(d domainView) bool {
		return keep(strings.EqualFold(d.Name, name) || strings.EqualFold(d.NetBIOS, name))
	})
	v.Servers = filter(v.Servers, func(s serverView) bool { return keep(strings.EqualFold(s.Name, name)) })
	v.Disks = filter(v.Disks, func(d diskView) bool { return keep(strings.EqualFold(d.Label, name)) })
	l := newLookup(name)
	n += v.narrowClusters(l)
	n += v.narrowNLB(l)
	return n
}

// A lookup is the NAME given to narrow, as a cluster (server or NLB) reads
// it: the cluster's own name, or the name of something inside it,
// "CLUSTER/NAME" for the inside of one cluster only.
type lookup struct {
	name, cluster, inner string
	qualified            bool
}

func newLookup(name string) lookup {
	cluster, inner, qualified := strings.Cut(name, "/")
	if !qualified {
		inner = name
	}
	return lookup{name, cluster, inner, qualified}
}

// whole reports whether the cluster named c is asked for as a whole.
func (l lookup) whole(c string) bool { return !l.qualified && strings.EqualFold(c, l.name) }

// inside reports whether the insides of the cluster named c are searched.
func (l lookup) inside(c string) bool { return !l.qualified || strings.EqualFold(c, l.cluster) }

// is reports whether an object inside a cluster has the name asked for.
func (l lookup) is(name string) bool { return strings.EqualFold(name, l.inner) }

// narrowList keeps the clusters of list asked for whole, and the others
// whose insides hold something asked for, narrowed by inside to that
// (inside returns how many objects it kept). It returns the clusters kept
// and how many objects matched.
func narrowList[T any](list []T, l lookup, name func(*T) string, inside func(*T) int) ([]T, int) {
	n := 0
	var kept []T
	for _, x := range list {
		switch {
		case l.whole(name(&x)):
			n++
		case !l.inside(name(&x)):
			continue
		default:
			m := inside(&x)
			if m == 0 {
				continue
			}
			n += m
		}
		kept = append(kept, x)
	}
	return kept, n
}

// visit calls fn with the kind and name of every object in the view, in
// the order :state draws them. Kinds: "domain" (by name and by NetBIOS
// name), "server", "adapter", "disk", "cluster", "node", "group",
// "resource", "nlb" (an NLB cluster) and "host" (an NLB host).
func (v *worldView) visit(fn func(kind, name string)) {
	for _, d := range v.Domains {
		fn("domain", d.Name)
		fn("domain", d.NetBIOS)
	}
	for _, s := range v.Servers {
		fn("server", s.Name)
		for _, a := range s.Adapters {
			fn("adapter", a.Name)
		}
	}
	for _, d := range v.Disks {
		fn("disk", d.Label)
	}
	for _, c := range v.Clusters {
		fn("cluster", c.Name)
		for _, n := range c.Nodes {
			fn("node", n.Name)
		}
		for _, g := range c.Groups {
			fn("group", g.Name)
			for _, r := range g.Resources {
				fn("resource", r.Name)
			}
		}
	}
	for _, c := range v.NLBClusters {
		fn("nlb", c.Name)
		for _, h := range c.Hosts {
			fn("host", h.Server)
		}
	}
}

// names lists the names of the objects of the given kinds (all kinds when
// none is given), sorted, each once.
func (v *worldView) names(kinds ...string) []string {
	seen := map[string]bool{}
	var out []string
	v.visit(func(kind, name string) {
		if !seen[name] && (len(kinds) == 0 || slices.Contains(kinds, kind)) {
			seen[name] = true
			out = append(out, name)
		}
	})
	sort.Strings(out)
	return out
}

// viewObject is the world narrowed to the objects named name, or an error
// that says no object has that name and suggests the nearest one.
func viewObject(w *sim.World, name string) (*worldView, error) {
	v := viewWorld(w)
	all := v.names("domain", "server", "disk", "cluster", "node", "group", "resource", "nlb", "host")
	if v.narrow(name) == 0 {
		msg := fmt.Sprintf("no server, disk, domain, cluster, node, group, resource or NLB cluster is named %q", name)
		if s := spell.Nearest(name, all); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		return nil, fmt.Errorf("%s", msg)
	}
	return v, nil
}

// filter keeps the elements of xs for which keep is true, in order.
func filter[T any](xs []T, keep func(T) bool) []T {
	var out []T
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// widest is the length of the longest name, for aligning a column.
func widest[T any](xs []T, name func(T) string) int {
	n := 0
	for _, x := range xs {
		n = max(n, len(name(x)))
	}
	return n
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// worldNames are the names of everything in the world, sorted and unique,
// for completion inside quotes.
func worldNames(w *sim.World) []string { return viewWorld(w).names() }
