// Package export turns a rehearsed run into what an administrator runs on
// the real systems: PowerShell (FailoverClusters and
// NetworkLoadBalancingClusters cmdlets), cluster.exe (Windows Server 2003
// to 2012 R2), pcs commands and a CIB for Pacemaker. It reads the run's
// change log (core.Change), never its transcript text, and writes to an
// io.Writer: no Starlark, no files.
//
// Each target has a table from operation to translation. An operation a
// target has no entry for is written as a "not exported" comment naming
// it, so nothing is dropped silently; so is a setting the target cannot
// express.
package export

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"clusterscript/runtime/core"
	"clusterscript/runtime/sim"
)

// The targets.
const (
	PowerShell = "powershell"
	ClusterExe = "cluster.exe"
	PCS        = "pcs"
	CIB        = "cib"
)

// Targets lists the targets, for usage and "did you mean".
var Targets = []string{PowerShell, ClusterExe, PCS, CIB}

// Extensions is the usual file extension of each target's output.
var Extensions = map[string]string{PowerShell: "ps1", ClusterExe: "cmd", PCS: "sh", CIB: "xml"}

// A Run is a finished rehearsal.
type Run struct {
	Runbook string     // the runbook's path, named in the header
	Final   *sim.World // the world the run left
	// Initial is the world the run started from (--state), nil for an
	// empty one: a change script is written against it.
	Initial *sim.World
	// Start is how many events Initial brought in: the run's own events
	// are Final.Log()[Start:].
	Start int
	// Cluster, when set, keeps the export to one server or NLB cluster:
	// its changes and the prerequisites (servers, addresses, disks).
	Cluster string
}

// Write writes the run's configuration changes in order for target; with
// all, the whole configuration of the world the run left instead.
func Write(out io.Writer, target string, run Run, all bool) error {
	var t translator
	switch target {
	case PowerShell:
		t = &powershell{}
	case ClusterExe:
		t = &clusterExe{}
	case PCS:
		t = &pcs{}
	case CIB:
		t = &cib{}
	default:
		return core.OneOf("export target", target, Targets...)
	}
	final := newModel(run.Final)
	var (
		base    *model
		changes []core.Change
		events  []core.Event
	)
	if all {
		// The disks are the world's, made before the script runs: the
		// rebuilt clusters' disk resources are on them.
		base, changes = newModel(nil), synthesize(final)
		maps.Copy(base.disks, final.disks)
	} else {
		base, changes, events = newModel(run.Initial), run.Final.Changes(), run.Final.Log()
	}
	if run.Cluster != "" {
		if final.cluster(run.Cluster) == nil && final.nlb(run.Cluster) == nil {
			return core.Errf(core.ErrNotFound, "--cluster %s: the world has no cluster of that name; it has %s", run.Cluster, final.clusterNames())
		}
		changes = slices.DeleteFunc(slices.Clone(changes), func(ch core.Change) bool {
			return !prerequisites[ch.Op] && !strings.EqualFold(ch.Target, run.Cluster)
		})
		final.keep(run.Cluster)
		base.keep(run.Cluster)
	}
	if err := t.check(final, exported(changes)); err != nil {
		return err
	}
	bw := bufio.NewWriter(out)
	x := &script{w: bw, all: all}
	t.start(x, run, base, final)
	h := headings{events: events, next: run.Start}
	m := base
	for _, ch := range changes {
		if target != CIB { // a document, not a script: no running headings or commands
			for _, line := range h.before(ch.Events) {
				if line == "" {
					x.blank()
				} else {
					x.comment(line)
				}
			}
			x.write(t, ch, m)
		}
		t.applied(x, ch, m, m.apply(ch))
	}
	t.end(x, m)
	if x.err != nil {
		return x.err
	}
	return bw.Flush()
}

// exported lists the server clusters that changes touch, by the name
// each first appears under.
func exported(changes []core.Change) []string {
	var names []string
	seen := map[string]bool{}
	for _, ch := range changes {
		if prerequisites[ch.Op] || isNLBOp(ch.Op) || ch.Target == "" || seen[core.Key(ch.Target)] {
			continue
		}
		seen[core.Key(ch.Target)] = true
		names = append(names, ch.Target)
	}
	return names
}

// isNLBOp reports whether an operation is on an NLB cluster.
func isNLBOp(op string) bool { return op == "create_nlb_cluster" || strings.HasPrefix(op, "nlb_") }

// A translator writes one target.
type translator interface {
	// check refuses a world the target cannot express at all; clusters
	// names the server clusters the export changes (exported).
	check(final *model, clusters []string) error
	start(x *script, run Run, base, final *model)
	// change writes one change that is not a prerequisite (scripts only:
	// Write does not call it for the CIB document); m is the configuration
	// before it.
	change(x *script, ch core.Change, m *model)
	// applied follows change, with m the configuration after it and
	// what the change touched of it.
	applied(x *script, ch core.Change, m *model, t touch)
	end(x *script, m *model)
}

// A script is the output being written: lines, comments in the target's
// syntax, the first write error.
type script struct {
	w     *bufio.Writer
	all   bool
	err   error
	open  string // the comment prefix: "# ", "rem "
	close string // the comment suffix: " -->" for XML
	// escape makes comment text safe for the target (nil: as it is).
	escape func(string) string
}

func (x *script) line(format string, args ...any) {
	if x.err != nil {
		return
	}
	s := format
	if len(args) > 0 {
		s = fmt.Sprintf(format, args...)
	}
	_, x.err = x.w.WriteString(s + "\n")
}

// comment writes text as comment lines, one per line of text.
func (x *script) comment(text string) {
	if x.escape != nil {
		text = x.escape(text)
	}
	for _, l := range strings.Split(text, "\n") {
		x.line("%s", strings.TrimRight(x.open+l, " ")+x.close)
	}
}

// blank writes an empty line.
func (x *script) blank() { x.line("") }

// notExported writes the comment for a change a target has no mapping
// for: the operation and its settings, and why when known.
func (x *script) notExported(ch core.Change, why string) {
	text := "not exported: " + ch.String()
	if why != "" {
		text += "\n  (" + why + ")"
	}
	x.comment(text)
}

// prerequisite writes a change to the world outside the clusters (a
// server, an address, a disk): made before the script runs, not by it.
func (x *script) prerequisite(ch core.Change) {
	x.comment("prerequisite: " + ch.String())
}

// write writes one change of a script: a prerequisite the same way for
// every target, any other change as t translates it.
func (x *script) write(t translator, ch core.Change, m *model) {
	if prerequisites[ch.Op] {
		x.prerequisite(ch)
		return
	}
	t.change(x, ch, m)
}

// prerequisites are the operations on the world outside the clusters.
var prerequisites = map[string]bool{
	"domain": true, "create_user": true, "add_to_group": true, "install_server": true, "configure_tcpip": true,
	"join_domain": true, "shared_disk": true, "format_disk": true, "convert_to_basic": true, "install_component": true,
}

// headings finds the runbook's procedure, step and note lines that come
// before each change, so the script reads like the runbook. A heading is
// written only when a change follows it.
type headings struct {
	events          []core.Event
	next            int
	procedure, step string // waiting to be written
	note            string
}

func (h *headings) before(pos int) []string {
	for ; h.next < pos && h.next < len(h.events); h.next++ {
		e := h.events[h.next]
		switch e.Kind {
		case core.KindProcedure:
			h.procedure, h.step, h.note = "Procedure: "+e.Text, "", ""
		case core.KindStep:
			h.step, h.note = e.Text, ""
		case core.KindNote:
			h.note = e.Text
		}
	}
	var out []string
	if h.procedure != "" {
		out = append(out, "", h.procedure)
	}
	if h.step != "" {
		out = append(out, "Step "+h.step) // "3. Create the group"

	}
	if h.note != "" {
		if h.procedure == "" {
			out = append(out, "")
		}
		out = append(out, h.note)
	}
	h.procedure, h.step, h.note = "", "", ""
	return out
}

// title is the runbook's title, from the run's runbook event, or "".
func (r Run) title() string {
	log := r.Final.Log()
	for i := r.Start; i < len(log); i++ {
		if log[i].Kind == core.KindRunbook {
			return log[i].Text
		}
	}
	return ""
}

// header writes the comment lines every target starts with.
func (x *script) header(run Run, what string) {
	x.comment("Exported by clusterscript (export to " + what + ") from " + run.Runbook + ".")
	if t := run.title(); t != "" {
		x.comment("Runbook: " + t)
	}
	if x.all {
		x.comment("The whole configuration of the world the rehearsal left, as if built anew.")
	} else {
		x.comment("The configuration changes of the rehearsal, in order, under its procedures and steps.")
		x.comment("Faults, repairs, clock moves, checks, lookups and client traffic are not exported;")
		x.comment("\"prerequisite\" lines are made before this script runs (servers, addresses, disks).")
	}
}

// migrating reports whether a cluster's version predates the 2008 R2
// cmdlets, so its PowerShell export is a migration script.
func migrating(version string) bool { return version == "2003" || version == "2008" }

// privateSettings are a resource's parameters as PROPERTY=value, the value
// quoted for the target; a parameter with no private property is written
// as a comment saying it is not exported.
func privateSettings(x *script, name, typ string, params []core.Pair, quote func(string) string) []string {
	names := privateProps[typ]
	var set []string
	for _, kv := range params {
		prop, ok := names[kv.Key]
		if !ok {
			x.comment(fmt.Sprintf("not exported: parameter %s=%s of %s (no private property of %s resources)", kv.Key, kv.Value, name, typ))
			continue
		}
		set = append(set, prop+"="+quote(kv.Value))
	}
	return set
}
