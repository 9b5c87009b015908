package importer

import (
	"bytes"
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"clusterscript/runtime/core"
	"clusterscript/runtime/export"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/sim"
)

// The round trip through the real tools' language: a snapshot imported,
// then exported with export --all --to powershell, and the script's lines
// read back into facts (cluster, nodes, quorum, votes, properties, groups,
// owner lists, policies, priority, anti-affinity, resources, parameters,
// dependencies) that must be the snapshot's.

// Windows Server 2008 and later defaults a script leaves out.
const (
	psDefaultRestartAction    = 2 // restart, then fail the group over
	psDefaultRestartThreshold = 1
	psDefaultRestartPeriod    = 900000  // ms
	psDefaultRetryPeriod      = 3600000 // ms
)

// psFields splits a PowerShell command line into words: 'single quoted'
// strings (” is a quote) and @{…} tables are one word each.
func psFields(line string) []string {
	var out []string
	for i := 0; i < len(line); {
		switch {
		case line[i] == ' ':
			i++
		case line[i] == '\'':
			var b strings.Builder
			i++
			for i < len(line) {
				if line[i] == '\'' {
					if i+1 < len(line) && line[i+1] == '\'' {
						b.WriteByte('\'')
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(line[i])
				i++
			}
			out = append(out, b.String())
		case strings.HasPrefix(line[i:], "@{"):
			end := strings.Index(line[i:], "}")
			out = append(out, line[i:i+end+1])
			i += end + 1
		default:
			j := strings.IndexByte(line[i:], ' ')
			if j < 0 {
				j = len(line) - i
			}
			out = append(out, line[i:i+j])
			i += j
		}
	}
	return out
}

// psArg is the word after -name.
func psArg(words []string, name string) string {
	for i, w := range words {
		if strings.EqualFold(w, "-"+name) && i+1 < len(words) {
			return words[i+1]
		}
	}
	return ""
}

// psTable reads @{A='x'; B='y'}.
func psTable(s string) map[string]string {
	out := map[string]string{}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "@{"), "}")
	for _, kv := range strings.Split(s, "; ") {
		k, v, _ := strings.Cut(kv, "=")
		out[k] = strings.ReplaceAll(strings.Trim(v, "'"), "''", "'")
	}
	return out
}

// psObject reads "(Get-ClusterX -Name N -Cluster C).Prop = V".
func psObject(line string) (cmdlet, name, prop, value string, ok bool) {
	if !strings.HasPrefix(line, "(Get-") {
		return "", "", "", "", false
	}
	end := strings.Index(line, ").")
	if end < 0 {
		return "", "", "", "", false
	}
	words := psFields(line[1:end])
	prop, value, _ = strings.Cut(line[end+2:], " = ")
	return words[0], psArg(words, "Name"), prop, strings.Trim(value, "'"), true
}

// exportFacts reads an exported script back into fact lines.
func exportFacts(script string) []string {
	var facts []string
	add := func(format string, a ...any) { facts = append(facts, fmt.Sprintf(format, a...)) }
	type policy struct{ threshold, period, failback, start, end string }
	type restart struct{ action, threshold, period, retry string }
	groups := map[string]*policy{}
	var groupOrder []string
	priority := map[string]string{}
	classes := map[string][]string{}
	restarts := map[string]*restart{}
	var pending []string // $classes being built
	var quorum string
	props := map[string]string{}
	var curGroup, curRes string
	for _, line := range strings.Split(script, "\n") {
		line, _, _ = strings.Cut(line, "  # ")
		words := psFields(line)
		if len(words) == 0 || strings.HasPrefix(line, "#") {
			continue
		}
		if cmdlet, name, prop, value, ok := psObject(line); ok {
			switch {
			case cmdlet == "Get-ClusterNode" && prop == "NodeWeight":
				add("vote %s %s", name, value)
			case cmdlet == "Get-ClusterGroup" && prop == "Priority":
				priority[name] = value
			case cmdlet == "Get-ClusterGroup" && prop == "AntiAffinityClassNames":
				classes[name], pending = pending, nil
			case prop == "Description":
				add("%s %s description %q", map[string]string{"Get-ClusterGroup": "group", "Get-ClusterResource": "resource"}[cmdlet], name, value)
			default:
				add("unread %s", line)
			}
			continue
		}
		switch words[0] {
		case "New-Cluster":
			add("cluster %s address %s", psArg(words, "Name"), psArg(words, "StaticAddress"))
			add("node %s", psArg(words, "Node"))
		case "Add-ClusterNode":
			add("node %s", psArg(words, "Name"))
		case "Set-ClusterQuorum":
			quorum = strings.Join(words[1:len(words)-2], " ")
		case "Add-ClusterGroup":
			g := psArg(words, "Name")
			groups[g] = &policy{}
			groupOrder = append(groupOrder, g)
		case "Set-ClusterOwnerNode":
			if g := psArg(words, "Group"); g != "" {
				add("group %s preferred %s", g, psArg(words, "Owners"))
			} else {
				add("resource %s possible owners %s", psArg(words, "Resource"), psArg(words, "Owners"))
			}
		case "Add-ClusterResource":
			add("resource %s group %s type %s", psArg(words, "Name"), psArg(words, "Group"), psArg(words, "ResourceType"))
		case "Get-ClusterResource":
			// Get-ClusterResource -Name R -Cluster C | Set-ClusterParameter …
			r := psArg(words, "Name")
			if t := psArg(words, "Multiple"); t != "" {
				tab := psTable(t)
				for _, k := range core.SortedKeys(tab) {
					add("resource %s parameter %s=%s", r, k, tab[k])
				}
			} else if k := psArg(words, "Name"); k != "" && slices.Contains(words, "Set-ClusterParameter") {
				// -Name twice: the second is the parameter's.
				i := slices.Index(words, "Set-ClusterParameter")
				if psArg(words[i:], "Name") == "DiskSignature" {
					continue // see snapshotFacts
				}
				add("resource %s parameter %s=%s", r, psArg(words[i:], "Name"), psArg(words[i:], "Value"))
			}
		case "Set-ClusterFaultDomain":
			add("site %s %s", psArg(words, "Name"), psArg(words, "FaultDomain"))
		case "Set-ClusterResourceDependency":
			deps := strings.Split(strings.Trim(psArg(words, "Dependency"), "[]"), "] and [")
			sort.Strings(deps)
			add("resource %s depends on %s", psArg(words, "Resource"), strings.Join(deps, ", "))
		}
		switch {
		case strings.HasPrefix(line, "$group = Get-ClusterGroup"):
			curGroup = psArg(words, "Name")
			if groups[curGroup] == nil {
				groups[curGroup] = &policy{}
			}
		case strings.HasPrefix(line, "$resource = Get-ClusterResource"):
			curRes = psArg(words, "Name")
			restarts[curRes] = &restart{}
		case strings.HasPrefix(line, "$group."):
			p := groups[curGroup]
			k, v, _ := strings.Cut(strings.TrimPrefix(line, "$group."), " = ")
			switch k {
			case "FailoverThreshold":
				p.threshold = v
			case "FailoverPeriod":
				p.period = v
			case "AutoFailbackType":
				p.failback = v
			case "FailbackWindowStart":
				p.start = v
			case "FailbackWindowEnd":
				p.end = v
			}
		case strings.HasPrefix(line, "$resource."):
			r := restarts[curRes]
			k, v, _ := strings.Cut(strings.TrimPrefix(line, "$resource."), " = ")
			switch k {
			case "RestartAction":
				r.action = v
			case "RestartThreshold":
				r.threshold = v
			case "RestartPeriod":
				r.period = v
			case "RetryPeriodOnFailure":
				r.retry = v
			}
		case strings.HasPrefix(line, "$cluster."):
			k, v, _ := strings.Cut(strings.TrimPrefix(line, "$cluster."), " = ")
			props[k] = strings.Trim(v, "'")
		case strings.HasPrefix(line, "[void]$classes.Add("):
			pending = append(pending, strings.Trim(strings.TrimSuffix(strings.TrimPrefix(line, "[void]$classes.Add("), ")"), "'"))
		}
	}
	add("quorum %s", quorum)
	for _, k := range core.SortedKeys(props) {
		add("property %s=%s", k, props[k])
	}
	for _, g := range append([]string{"Cluster Group"}, groupOrder...) {
		p := groups[g]
		if p == nil {
			p = &policy{}
		}
		add("group %s failover threshold %s period %s failback %s window %s-%s", g, cmp.Or(p.threshold, "4294967295"), cmp.Or(p.period, "6"), cmp.Or(p.failback, "0"), cmp.Or(p.start, "-1"), cmp.Or(p.end, "-1"))
		add("group %s priority %s anti-affinity %q", g, cmp.Or(priority[g], "2000"), classes[g])
	}
	var restarted []string
	for r := range restarts {
		restarted = append(restarted, r)
	}
	sort.Strings(restarted)
	for _, r := range restarted {
		x := restarts[r]
		add("resource %s restart %s %s in %s, retry %s", r, x.action, x.threshold, x.period, x.retry)
	}
	sort.Strings(facts)
	return facts
}

// snapshotFacts words what the snapshot says as exportFacts reads a
// script; defaults are the cluster's own (what the import of the
// snapshot without its properties gives).
func snapshotFacts(s *Snapshot, defaults map[string]any) []string {
	var facts []string
	add := func(format string, a ...any) { facts = append(facts, fmt.Sprintf(format, a...)) }
	c := s.Clusters[0]
	add("cluster %s address %s", c.Name, c.IP)
	for _, n := range c.Nodes {
		add("node %s", n.Name)
		if n.Vote != nil && *n.Vote == 0 {
			add("vote %s 0", n.Name)
		}
		if n.Site != "" {
			add("site %s %s", n.Name, n.Site)
		}
	}
	q := map[string]string{mscs.QuorumNodeMajority: "-NodeMajority", mscs.QuorumNodeAndDisk: "-NodeAndDiskMajority", mscs.QuorumNodeAndShare: "-NodeAndFileShareMajority",
		mscs.QuorumDiskOnly: "-DiskOnly", mscs.QuorumCloudWitness: "-CloudWitness -AccountName"}[c.Quorum.Mode]
	if c.Quorum.Witness != "" {
		q += " " + c.Quorum.Witness
	}
	add("quorum %s", q)
	for _, p := range c.Properties {
		v := fmt.Sprint(p.Value)
		if p.Name == "LowerQuorumPriorityNodeID" {
			v = strconv.Itoa(slices.IndexFunc(c.Nodes, func(n *Node) bool { return n.Name == p.Value }) + 1)
		}
		if v != fmt.Sprint(defaults[p.Name]) {
			add("property %s=%s", p.Name, v)
		}
	}
	psParam := map[string]map[string]string{}
	for t, m := range typeParams {
		psParam[t] = map[string]string{}
		for ps, ours := range m {
			psParam[t][ours] = ps
		}
	}
	priorities := map[string]string{mscs.PriorityHigh: "3000", mscs.PriorityMedium: "2000", mscs.PriorityLow: "1000", mscs.PriorityNoAutoStart: "0", "": "2000"}
	for _, g := range c.Groups {
		name := g.Name
		if g.Core {
			name = "Cluster Group"
		} else if g.Description != "" {
			add("group %s description %q", name, g.Description)
		}
		if len(g.PreferredOwners) > 0 {
			add("group %s preferred %s", name, strings.Join(g.PreferredOwners, ","))
		}
		p := g.Failover
		if p == nil {
			p = &mscs.FailoverPolicy{DefaultThreshold: true, Period: 6, Failback: mscs.FailbackPrevent}
		}
		threshold := strconv.Itoa(p.Threshold)
		if p.DefaultThreshold {
			threshold = "4294967295"
		}
		start, end := "-1", "-1"
		if len(p.Window) == 2 {
			start, end = strconv.Itoa(p.Window[0]), strconv.Itoa(p.Window[1])
		}
		failback := "1"
		if p.Failback == mscs.FailbackPrevent {
			failback = "0"
		}
		add("group %s failover threshold %s period %d failback %s window %s-%s", name, threshold, p.Period, failback, start, end)
		var classes []string
		if len(g.AntiAffinity) > 0 {
			classes = g.AntiAffinity
		}
		add("group %s priority %s anti-affinity %q", name, priorities[g.Priority], classes)
		for _, r := range g.Resources {
			if g.Core && (r.Type == mscs.TypeIPAddress && r.Params["address"] == c.IP || r.Type == mscs.TypeNetworkName && strings.EqualFold(r.Params["name"], c.Name)) {
				continue // New-Cluster makes these
			}
			add("resource %s group %s type %s", r.Name, name, r.Type)
			if r.Description != "" {
				add("resource %s description %q", r.Name, r.Description)
			}
			if r.PossibleOwners != nil {
				add("resource %s possible owners %s", r.Name, strings.Join(r.PossibleOwners, ","))
			}
			if len(r.Dependencies) > 0 {
				deps := slices.Clone(r.Dependencies)
				sort.Strings(deps)
				add("resource %s depends on %s", r.Name, strings.Join(deps, ", "))
			}
			for _, k := range core.SortedKeys(r.Params) {
				if r.Type == mscs.TypePhysicalDisk {
					continue // the script names the disk by its signature, which the snapshot does not hold
				}
				add("resource %s parameter %s=%s", r.Name, psParam[r.Type][k], r.Params[k])
			}
			if x := r.Restart; x != nil {
				action := 0
				switch {
				case x.Restart && x.AffectGroup:
					action = 2
				case x.Restart:
					action = 1
				}
				retry := x.RetryPeriod
				if retry == 0 {
					retry = psDefaultRetryPeriod / 1000
				}
				if action != psDefaultRestartAction || x.Threshold != psDefaultRestartThreshold || x.Period*1000 != psDefaultRestartPeriod || retry*1000 != psDefaultRetryPeriod {
					add("resource %s restart %d %d in %d, retry %d", r.Name, action, x.Threshold, x.Period*1000, retry*1000)
				}
			}
		}
	}
	sort.Strings(facts)
	return facts
}

func TestRoundTripThroughPowerShellExport(t *testing.T) {
	for _, name := range []string{"fileserver.json", "cluster2016.json"} {
		t.Run(name, func(t *testing.T) {
			w, s := importFile(t, name)
			var script bytes.Buffer
			if err := export.Write(&script, export.PowerShell, export.Run{Runbook: name, Final: w}, true); err != nil {
				t.Fatal(err)
			}
			// A snapshot gives no disk signatures: the export asks for them
			// rather than writing an empty value.
			if strings.Contains(script.String(), "DiskSignature -Value 0x\n") || strings.HasSuffix(script.String(), "-Value 0x") {
				t.Errorf("%s: the export sets an empty DiskSignature:\n%s", name, script.String())
			}
			// The cluster's property defaults: the same snapshot imported
			// without its properties.
			bare, _ := Read(readTestdata(t, name), "", name)
			bare.Clusters[0].Properties = nil
			dw := sim.New()
			if err := Apply(dw, bare); err != nil {
				t.Fatal(err)
			}
			dc, _ := dw.MSCS.Cluster(bare.Clusters[0].Name)
			defaults := map[string]any{}
			for _, p := range mscs.ClusterProperties() {
				defaults[p.Name], _ = dc.Property(p.Attr)
			}
			want, got := snapshotFacts(s, defaults), exportFacts(script.String())
			if d := diffLines(want, got); d != "" {
				t.Errorf("the export does not say what the snapshot says (- snapshot, + export):\n%s\nscript:\n%s", d, script.String())
			}
		})
	}
}

// diffLines lists the lines only one side has.
func diffLines(want, got []string) string {
	var out []string
	for _, l := range want {
		if !slices.Contains(got, l) {
			out = append(out, "- "+l)
		}
	}
	for _, l := range got {
		if !slices.Contains(want, l) {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}

// The round trip through Pacemaker: a cluster exported with export --all
// --to cib, given the node entries a running Pacemaker cluster adds, and
// imported back keeps what the CIB can carry: each group that runs
// something, its members in order with their addresses and disks (label
// and letter), preferred owners in order and possible owners.
func TestRoundTripThroughCIB(t *testing.T) {
	w1, _ := importFile(t, "fileserver.json")
	var cib bytes.Buffer
	if err := export.Write(&cib, export.CIB, export.Run{Runbook: "fileserver.json", Final: w1}, true); err != nil {
		t.Fatal(err)
	}
	c1, _ := w1.MSCS.Cluster("FSCLUSTER")
	var nodes strings.Builder
	for i, n := range c1.Nodes {
		fmt.Fprintf(&nodes, `<node id="%d" uname="%s"/>`, i+1, n.Name)
	}
	doc := strings.Replace(cib.String(), "<nodes/>", "<nodes>"+nodes.String()+"</nodes>", 1)
	w2 := sim.New()
	s2, err := Import(w2, []byte(doc), "", "exported.xml")
	if err != nil {
		t.Fatalf("the exported CIB does not import: %v\n%s", err, doc)
	}
	c2, _ := w2.MSCS.Cluster(s2.Clusters[0].Name)
	nonID := regexp.MustCompile(`[^A-Za-z0-9._]+`)
	id := func(name string) string { // the export's ids for these names
		return strings.Trim(nonID.ReplaceAllString(name, "-"), "-")
	}
	facts := func(w *sim.World, c *mscs.Cluster, rename bool) []string {
		var out []string
		name := func(s string) string {
			if rename {
				return id(s)
			}
			return s
		}
		for _, g := range c.Groups {
			var members []string
			for _, r := range g.Resources {
				switch r.Type {
				case mscs.TypeIPAddress:
					members = append(members, fmt.Sprintf("%s ip %s/%s", name(r.Name), r.Params["address"], r.Params["subnet_mask"]))
				case mscs.TypePhysicalDisk:
					d := w.LookupDisk(r.Params["disk"])
					members = append(members, fmt.Sprintf("%s disk %s %s", name(r.Name), d.Label, d.Letter))
				case mscs.TypeGenericService:
					members = append(members, fmt.Sprintf("%s service %s", name(r.Name), r.Params["service"]))
				default:
					continue
				}
				if r.PossibleOwners != nil {
					members = append(members, fmt.Sprintf("%s possible %v", name(r.Name), r.PossibleOwners))
				}
			}
			if len(members) > 0 && g.Name != "Cluster Group" && g.Name != "Cluster-Group" {
				out = append(out, fmt.Sprintf("group %s preferred %v", name(g.Name), g.PreferredOwners))
				out = append(out, members...)
			}
		}
		sort.Strings(out)
		return out
	}
	want, got := facts(w1, c1, true), facts(w2, c2, false)
	if d := diffLines(want, got); d != "" || len(want) < 4 {
		t.Errorf("the CIB round trip changed the cluster (- exported, + imported back):\n%s\nCIB:\n%s", d, doc)
	}
}
