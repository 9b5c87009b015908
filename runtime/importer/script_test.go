package importer

import (
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"clusterscript/runtime/core"
)

// No PowerShell runs where the tests run, so this test reads
// docs/Export-ClusterSnapshot.ps1 and checks every cmdlet, parameter and
// property it uses against the documented ones (learn.microsoft.com,
// FailoverClusters and NetworkLoadBalancingClusters modules), kept here.
var documentedCmdlets = map[string][]string{ // cmdlet → the parameters the script may pass
	"Get-Cluster":                   {},
	"Get-ClusterNode":               {},
	"Get-ClusterNetwork":            {},
	"Get-ClusterNetworkInterface":   {},
	"Get-ClusterQuorum":             {},
	"Get-ClusterGroup":              {},
	"Get-ClusterResource":           {},
	"Get-ClusterOwnerNode":          {"Group", "Resource"},
	"Get-ClusterResourceDependency": {"Resource"},
	"Get-ClusterParameter":          {"InputObject"},
	"Get-ClusterFaultDomain":        {},
	"Get-NlbCluster":                {},
	"Get-NlbClusterNode":            {"InputObject"},
	"Get-NlbClusterNodeDip":         {"InputObject"},
	"Get-NlbClusterPortRule":        {},
	// Core cmdlets of PowerShell itself.
	"Select-Object":  {"Name", "Expression"}, // the keys of a calculated property
	"ForEach-Object": {},
	"ConvertTo-Json": {"Depth"},
	"New-Object":     {},
	"Write-Verbose":  {},
}

// documentedProperties are the properties of each cmdlet's output objects
// the script reads.
var documentedProperties = map[string][]string{
	"Get-Cluster": {"Name", "Domain", "SameSubnetDelay", "SameSubnetThreshold", "CrossSubnetDelay", "CrossSubnetThreshold",
		"DynamicQuorum", "ClusterEnforcedAntiAffinity", "LowerQuorumPriorityNodeID", "QuarantineThreshold", "QuarantineDuration", "PreferredSite"},
	"Get-ClusterNode":             {"Name", "Id", "State", "NodeWeight", "MajorVersion", "MinorVersion", "BuildNumber"},
	"Get-ClusterNetwork":          {"Name", "Address", "AddressMask", "Role"},
	"Get-ClusterNetworkInterface": {"Node", "Network", "Address"},
	"Get-ClusterQuorum":           {"QuorumType", "QuorumResource"},
	"Get-ClusterGroup": {"Name", "OwnerNode", "State", "Description", "GroupType", "IsCoreGroup", "FailoverThreshold", "FailoverPeriod",
		"AutoFailbackType", "FailbackWindowStart", "FailbackWindowEnd", "Priority", "AntiAffinityClassNames"},
	"Get-ClusterResource": {"Name", "OwnerGroup", "ResourceType", "State", "Description", "RestartAction", "RestartThreshold",
		"RestartPeriod", "RetryPeriodOnFailure", "PendingTimeout", "IsAlivePollInterval", "LooksAlivePollInterval", "SeparateMonitor"},
	"Get-ClusterOwnerNode":          {"OwnerNodes"},
	"Get-ClusterResourceDependency": {"DependencyExpression"},
	"Get-ClusterParameter":          {"Name", "Value"},
	"Get-ClusterFaultDomain":        {"Name", "Type", "ParentName"},
	"Get-NlbCluster":                {"Name", "IPAddress", "SubnetMask", "Mode"},
	"Get-NlbClusterNode":            {"Name", "InterfaceName", "HostPriority", "InitialHostState", "State"},
	"Get-NlbClusterNodeDip":         {"IPAddress", "SubnetMask"},
	"Get-NlbClusterPortRule": {"NodeName", "VirtualIPAddress", "StartPort", "EndPort", "Protocol", "FilteringMode", "Affinity",
		"EqualLoad", "LoadWeight", "Priority", "Timeout", "PortState"},
}

func readScript(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../docs/Export-ClusterSnapshot.ps1")
	if err != nil {
		t.Fatal(err)
	}
	// Leave out the comment-based help: its example is not code.
	s := string(b)
	if i, j := strings.Index(s, "<#"), strings.Index(s, "#>"); i >= 0 && j > i {
		s = s[:i] + s[j+2:]
	}
	return s
}

func TestSnapshotScriptUsesDocumentedCmdlets(t *testing.T) {
	s := readScript(t)
	cmdlet := regexp.MustCompile(`\b([A-Z][a-z]+-[A-Z][A-Za-z]+)\b`)
	found := map[string]bool{}
	for _, m := range cmdlet.FindAllStringSubmatch(s, -1) {
		name := m[1]
		if name == "ConvertTo-Text" { // the script's own function
			continue
		}
		found[name] = true
		if _, ok := documentedCmdlets[name]; !ok {
			t.Errorf("the script runs %s, which is not in the table of documented cmdlets", name)
		}
		if !strings.HasPrefix(name, "Get-") && !strings.Contains("Select-Object ForEach-Object ConvertTo-Json New-Object Write-Verbose", name) {
			t.Errorf("the script runs %s; it may only read (Get- cmdlets)", name)
		}
	}
	for _, c := range []string{"Get-Cluster", "Get-ClusterNode", "Get-ClusterGroup", "Get-ClusterResource", "Get-NlbClusterPortRule"} {
		if !found[c] {
			t.Errorf("the script does not run %s; the table and the script disagree", c)
		}
	}
	// Parameters: "-Name" right after a cmdlet on the same pipeline stage.
	param := regexp.MustCompile(`\b((?:Get|ConvertTo)-[A-Za-z]+)((?:\s+-[A-Za-z]+(?:\s+[$'\w.()]+)?)+)`)
	for _, m := range param.FindAllStringSubmatch(s, -1) {
		for _, p := range regexp.MustCompile(`-([A-Za-z]+)`).FindAllStringSubmatch(m[2], -1) {
			if !core.ContainsFold(documentedCmdlets[m[1]], p[1]) {
				t.Errorf("the script passes -%s to %s, which the table does not document", p[1], m[1])
			}
		}
	}
}

// TestSnapshotScriptPropertiesAreDocumentedAndRead checks that every
// property the script selects is documented for the cmdlet it reads, and is
// a field of the snapshot schema the importer reads (so the two cannot
// drift apart).
func TestSnapshotScriptPropertiesAreDocumentedAndRead(t *testing.T) {
	s := readScript(t)
	// Each "Get-X ... | Select-Object a, b, @{ Name = 'c'; Expression = { ... $_.d ... } }" stage.
	stage := regexp.MustCompile(`(Get-[A-Za-z]+)[^|\n]*\|\s*Select-Object\s`)
	schema := schemaFields()
	for _, loc := range stage.FindAllStringSubmatchIndex(s, -1) {
		cmd := s[loc[2]:loc[3]]
		list := selectList(s[loc[1]:])
		if len(list) == 0 {
			t.Errorf("%s: empty Select-Object list", cmd)
		}
		for _, item := range list {
			name, read := item.name, item.reads
			// Get-ClusterParameter's Name and Value become the keys and
			// values of a resource's "Parameters".
			if !core.ContainsFold(schema, name) && cmd != "Get-ClusterParameter" {
				t.Errorf("%s: the script writes %s, which the importer's schema does not read", cmd, name)
			}
			for _, p := range append([]string{name}, read...) {
				if item.calculated && p == name && len(read) > 0 {
					continue // a calculated property's name is the schema's; what it reads is checked
				}
				if !core.ContainsFold(documentedProperties[cmd], p) && !(cmd == "Get-ClusterGroup" && p == "PreferredOwners") && !(cmd == "Get-ClusterResource" && (p == "PossibleOwners" || p == "DependencyExpression" || p == "Parameters")) && !(cmd == "Get-NlbClusterNode" && p == "DedicatedIPs") {
					t.Errorf("%s: the script reads property %s, which the table does not document for it", cmd, p)
				}
			}
		}
	}
}

type selected struct {
	name       string
	reads      []string // the $_.Property a calculated property reads
	calculated bool
}

// selectList reads the items of a Select-Object list: plain names and
// calculated properties, up to the end of the list (a line that does not
// end with a comma, outside braces).
func selectList(s string) []selected {
	var out []selected
	depth, start := 0, 0
	flush := func(item string) {
		item = strings.TrimSpace(item)
		if item == "" {
			return
		}
		if strings.HasPrefix(item, "@{") {
			n := regexp.MustCompile(`Name\s*=\s*'([A-Za-z]+)'`).FindStringSubmatch(item)
			sel := selected{calculated: true}
			if n != nil {
				sel.name = n[1]
			}
			// Only the first object's properties ($_ before any nested pipeline).
			body := item
			if i := strings.Index(body, "|"); i >= 0 {
				body = body[:i]
			}
			for _, r := range regexp.MustCompile(`\$_\.([A-Za-z]+)`).FindAllStringSubmatch(body, -1) {
				sel.reads = append(sel.reads, r[1])
			}
			out = append(out, sel)
			return
		}
		out = append(out, selected{name: item})
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '{' || c == '(':
			depth++
		case c == '}' || c == ')':
			if depth == 0 {
				flush(s[start:i])
				return out
			}
			depth--
		case c == '|' && depth == 0:
			flush(s[start:i])
			return out
		case c == ',' && depth == 0:
			flush(s[start:i])
			start = i + 1
		case c == '\n' && depth == 0:
			if strings.HasSuffix(strings.TrimSpace(s[start:i]), ",") || strings.TrimSpace(s[start:i]) == "" {
				continue
			}
			flush(s[start:i])
			return out
		}
	}
	flush(s[start:])
	return out
}

// schemaFields lists the JSON member names of the snapshot schema's types.
func schemaFields() []string {
	seen := map[string]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen["type:"+t.Name()] {
			return
		}
		seen["type:"+t.Name()] = true
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if tag := strings.Split(f.Tag.Get("json"), ",")[0]; tag != "" {
				seen[tag] = true
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeOf(psSnapshot{}))
	var out []string
	for k := range seen {
		if !strings.HasPrefix(k, "type:") {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
