package builtins

import (
	"fmt"
	"sort"
	"strings"

	"clusterscript/lang"
	"clusterscript/runtime/core"
	"clusterscript/runtime/sim"
)

// drawWorld draws the world as a tree, the way Cluster Administrator and
// Computer Management show it: a header with the clock, then one section
// per kind of object that exists. The REPL's :state prints it.
func drawWorld(w *sim.World) string {
	var b strings.Builder
	timers := "no timers pending"
	if n := len(w.PendingTimers()); n > 0 {
		timers = fmt.Sprintf("%d timers pending", n)
	}
	fmt.Fprintf(&b, "World at %s: %d events, %s\n", core.FormatClock(w.Now()), len(w.Log()), timers)
	n := b.Len()
	for _, section := range worldSections {
		section(&b, w)
	}
	if b.Len() == n {
		b.WriteString("  (nothing built yet)\n")
	}
	return b.String()
}

// worldSections render the parts of the world in order; each writes
// nothing when its part is empty. Server clusters (cluster → nodes, groups
// → resources, with states and owners) and NLB clusters (hosts, port
// rules) have files of their own.
var worldSections = []func(b *strings.Builder, w *sim.World){
	renderDomains,
	renderServers,
	renderDisks,
	renderClusters,
	renderNLB,
}

func renderDomains(b *strings.Builder, w *sim.World) {
	if len(w.Domains) == 0 {
		return
	}
	b.WriteString("Domains\n")
	for _, d := range w.Domains {
		fmt.Fprintf(b, "  %s (%s)\n", d.Name, d.NetBIOS)
		users := make([]string, len(d.Users))
		for i, u := range d.Users {
			users[i] = u.Name
		}
		sort.Strings(users)
		b.WriteString(lang.WrapList("    accounts: ", users, 78))
	}
}

func renderServers(b *strings.Builder, w *sim.World) {
	if len(w.Servers) == 0 {
		return
	}
	b.WriteString("Servers\n")
	width := widest(w.Servers, func(s *core.Server) string { return s.Name })
	for _, s := range w.Servers {
		facts := []string{fmt.Sprintf("Windows Server %s %s", s.Version, titleCase(s.Edition))}
		switch {
		case s.Running:
			facts = append(facts, "running")
		case s.NoSystemDisk:
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
		aw := widest(s.Adapters, func(a *core.Adapter) string { return a.Name })
		for _, a := range s.Adapters {
			fmt.Fprintf(b, "    %-*s  %s\n", aw, a.Name, adapterFacts(a))
		}
		if len(s.Components) > 0 {
			fmt.Fprintf(b, "    components: %s\n", strings.Join(s.Components, ", "))
		}
	}
}

func adapterFacts(a *core.Adapter) string {
	if !a.Configured() {
		s := "not configured"
		if a.Failed {
			s += ", FAILED"
		}
		return s
	}
	facts := []string{fmt.Sprintf("%s/%d %s", a.IP, a.Prefix().Bits(), a.Role)}
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

func renderDisks(b *strings.Builder, w *sim.World) {
	if len(w.Disks) == 0 {
		return
	}
	b.WriteString("Shared disks\n")
	width := widest(w.Disks, func(d *core.Disk) string { return d.Label })
	for _, d := range w.Disks {
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

// worldNameSources list the names of the world's objects, for completion
// inside quotes.
var worldNameSources = []func(w *sim.World) []string{
	func(w *sim.World) []string {
		var out []string
		for _, d := range w.Domains {
			out = append(out, d.Name, d.NetBIOS)
		}
		return out
	},
	func(w *sim.World) []string {
		var out []string
		for _, s := range w.Servers {
			out = append(out, s.Name)
			for _, a := range s.Adapters {
				out = append(out, a.Name)
			}
		}
		return out
	},
	func(w *sim.World) []string {
		var out []string
		for _, d := range w.Disks {
			out = append(out, d.Label)
		}
		return out
	},
	clusterNames,
	nlbNames,
}

// worldNames are the names of everything in the world, sorted and unique.
func worldNames(w *sim.World) []string {
	seen := map[string]bool{}
	var out []string
	for _, src := range worldNameSources {
		for _, n := range src(w) {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	sort.Strings(out)
	return out
}
