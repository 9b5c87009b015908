package golden

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// documentedCmdlets are the cmdlets a PowerShell export may use, with their
// documented parameters: FailoverClusters (reference/mscs.md §4.1 and the
// module's reference pages for Windows Server 2012 R2) and
// NetworkLoadBalancingClusters (reference/nlb.md §5.4), and for Windows
// Server 2008 and later reference/wsfc.md §4.2 (Set-ClusterQuorum's modes,
// Start-ClusterNode's quorum switches, the fault domain cmdlets of 2016).
// Set-ClusterQuorum's -NodeMajority, -NodeAndDiskMajority and
// -NodeAndFileShareMajority are the 2008 R2 names, aliases of -NoWitness,
// -DiskWitness and -FileShareWitness from 2012 R2 on; Start-ClusterNode's
// -FixQuorum is an alias of -ForceQuorum from 2016. New-Object (PowerShell's
// own) builds the StringCollection AntiAffinityClassNames takes.
var documentedCmdlets = map[string][]string{
	"Import-Module":                    {"Name"},
	"New-Cluster":                      {"Name", "Node", "StaticAddress", "IgnoreNetwork", "NoStorage", "AdministrativeAccessPoint", "Force"},
	"Add-ClusterNode":                  {"Name", "Cluster"},
	"Remove-ClusterNode":               {"Name", "Force", "Wait", "Cluster"},
	"Suspend-ClusterNode":              {"Name", "Drain", "ForceDrain", "TargetNode", "Cluster"},
	"Resume-ClusterNode":               {"Name", "Failback", "Cluster"},
	"Start-ClusterNode":                {"Name", "Cluster", "FixQuorum", "PreventQuorum"},
	"Get-Cluster":                      {"Name", "Domain"},
	"Get-ClusterNode":                  {"Name", "Cluster"},
	"New-ClusterFaultDomain":           {"Name", "FaultDomain", "FaultDomainType", "Description", "Location", "CimSession"},
	"Set-ClusterFaultDomain":           {"Name", "FaultDomain", "NewName", "Description", "Location", "CimSession"},
	"New-Object":                       {"TypeName"},
	"Stop-ClusterNode":                 {"Name", "Cluster"},
	"Add-ClusterGroup":                 {"Name", "GroupType", "Cluster"},
	"Remove-ClusterGroup":              {"Name", "Force", "RemoveResources", "Cluster"},
	"Get-ClusterGroup":                 {"Name", "Cluster"},
	"Start-ClusterGroup":               {"Name", "Cluster"},
	"Stop-ClusterGroup":                {"Name", "Cluster"},
	"Move-ClusterGroup":                {"Name", "Node", "Wait", "IgnoreLocked", "Cluster"},
	"Add-ClusterResource":              {"Name", "Group", "ResourceType", "SeparateMonitor", "Cluster"},
	"Remove-ClusterResource":           {"Name", "Force", "Cluster"},
	"Get-ClusterResource":              {"Name", "Cluster"},
	"Start-ClusterResource":            {"Name", "Cluster"},
	"Stop-ClusterResource":             {"Name", "Cluster"},
	"Add-ClusterResourceDependency":    {"Resource", "Provider", "Cluster"},
	"Set-ClusterResourceDependency":    {"Resource", "Dependency", "Cluster"},
	"Remove-ClusterResourceDependency": {"Resource", "Provider", "Cluster"},
	"Set-ClusterOwnerNode":             {"Group", "Resource", "Owners", "Cluster"},
	"Set-ClusterParameter":             {"Name", "Value", "Multiple", "Create", "Delete", "InputObject", "Cluster"},
	"Set-ClusterQuorum": {"NodeMajority", "NodeAndDiskMajority", "NodeAndFileShareMajority", "DiskOnly", "NoWitness", "DiskWitness", "FileShareWitness",
		"CloudWitness", "AccountName", "AccessKey", "Endpoint", "Cluster"},

	"New-NlbCluster":                             {"HostName", "InterfaceName", "ClusterName", "ClusterPrimaryIP", "SubnetMask", "DedicatedIP", "DedicatedIPSubnetMask", "OperationMode", "Force"},
	"Add-NlbClusterNode":                         {"HostName", "InterfaceName", "NewNodeName", "NewNodeInterface", "Force"},
	"Set-NlbClusterNode":                         {"HostName", "InterfaceName", "HostPriority", "InitialHostState", "RetainSuspended", "Reload", "Force"},
	"Start-NlbClusterNode":                       {"HostName", "InterfaceName"},
	"Stop-NlbClusterNode":                        {"HostName", "InterfaceName", "Drain", "Timeout"},
	"Suspend-NlbClusterNode":                     {"HostName", "InterfaceName"},
	"Resume-NlbClusterNode":                      {"HostName", "InterfaceName"},
	"Add-NlbClusterPortRule":                     {"HostName", "InterfaceName", "IP", "Protocol", "StartPort", "EndPort", "Mode", "Affinity", "Timeout"},
	"Remove-NlbClusterPortRule":                  {"HostName", "InterfaceName", "IP", "Port", "Force"},
	"Enable-NlbClusterPortRule":                  {"HostName", "InterfaceName", "IP", "Port"},
	"Disable-NlbClusterPortRule":                 {"HostName", "InterfaceName", "IP", "Port", "Drain", "Timeout", "ClusterWide"},
	"Set-NlbClusterPortRuleNodeWeight":           {"HostName", "InterfaceName", "IP", "Port", "LoadWeight", "Equal"},
	"Set-NlbClusterPortRuleNodeHandlingPriority": {"HostName", "InterfaceName", "IP", "Port", "HandlingPriority"},
}

// documentedProperties are the common properties an export assigns
// (reference/mscs.md §4.2; for 2008 and later the cluster properties of
// SPEC §12, NodeWeight, Priority and AntiAffinityClassNames of
// reference/wsfc.md §2 and §4.2) and the private properties it sets with
// Set-ClusterParameter (DiskSignature per the cmdlet's page).
var documentedProperties = []string{
	"Description", "FailoverThreshold", "FailoverPeriod", "AutoFailbackType", "FailbackWindowStart", "FailbackWindowEnd",
	"RestartAction", "RestartThreshold", "RestartPeriod", "RetryPeriodOnFailure",
	"Address", "SubnetMask", "Network", "Name", "DiskSignature", "ServiceName", "StartupParameters", "Path", "ShareName",
	"SameSubnetDelay", "SameSubnetThreshold", "CrossSubnetDelay", "CrossSubnetThreshold", "DynamicQuorum", "ClusterEnforcedAntiAffinity",
	"LowerQuorumPriorityNodeID", "QuarantineThreshold", "QuarantineDuration", "PreferredSite",
	"NodeWeight", "Priority", "AntiAffinityClassNames",
}

var (
	psStrings   = regexp.MustCompile(`'(?:[^']|'')*'`)
	psParam     = regexp.MustCompile(`(?:^|\s)-([A-Za-z][A-Za-z0-9]*)`)
	psProperty  = regexp.MustCompile(`^\$\w+\.(\w+) = |^\(Get-Cluster\w+ [^)]*\)\.(\w+) = `)
	psHashKeys  = regexp.MustCompile(`(\w+)=`)
	psParamName = regexp.MustCompile(`-Name (\w+) -Value`)
	// psCollectionAdd is a line that fills a collection a property takes:
	// [void]$classes.Add('SQL').
	psCollectionAdd = regexp.MustCompile(`^\[void\]\$\w+\.Add\('(?:[^']|'')*'\)$`)
)

// TestPowerShellExportsUseDocumentedCmdlets reads every PowerShell export
// golden: each command is a documented cmdlet with documented parameters,
// and each property it sets is a documented one.
func TestPowerShellExportsUseDocumentedCmdlets(t *testing.T) {
	files, _ := filepath.Glob("export/powershell/*.ps1")
	more, _ := filepath.Glob("export/powershell/*/*.ps1")
	files = append(files, more...)
	if len(files) < 10 {
		t.Fatalf("found %d PowerShell export goldens; run go test ./golden -update", len(files))
	}
	seen := map[string]bool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkPowerShell(t, f, string(data), seen)
	}
	for _, c := range []string{"New-Cluster", "Add-ClusterResource", "Set-ClusterOwnerNode", "New-NlbCluster", "Add-NlbClusterPortRule"} {
		if !seen[c] {
			t.Errorf("no export uses %s: the goldens do not cover what the table is for", c)
		}
	}
}

// checkPowerShell checks every command of a PowerShell export: a documented
// cmdlet with documented parameters, each property it sets a documented
// one; seen collects the cmdlets used.
func checkPowerShell(t *testing.T, f, text string, seen map[string]bool) {
	t.Helper()
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || line == "$ErrorActionPreference = 'Stop'" || psCollectionAdd.MatchString(line) {
			continue
		}
		if m := psProperty.FindStringSubmatch(line); m != nil {
			prop := m[1] + m[2]
			if !slices.Contains(documentedProperties, prop) {
				t.Errorf("%s:%d: property %s is not in the documented table: %s", f, i+1, prop, line)
			}
			if strings.HasPrefix(line, "$") {
				continue
			}
			line = strings.TrimPrefix(line[:strings.Index(line, ")")], "(")
		}
		if m := psParamName.FindStringSubmatch(line); m != nil && !slices.Contains(documentedProperties, m[1]) {
			t.Errorf("%s:%d: private property %s is not in the documented table", f, i+1, m[1])
		}
		if j := strings.Index(line, "@{"); j >= 0 {
			for _, k := range psHashKeys.FindAllStringSubmatch(psStrings.ReplaceAllString(line[j:], "''"), -1) {
				if !slices.Contains(documentedProperties, k[1]) {
					t.Errorf("%s:%d: private property %s is not in the documented table", f, i+1, k[1])
				}
			}
		}
		for _, cmd := range strings.Split(psStrings.ReplaceAllString(line, "''"), "|") {
			words := strings.Fields(cmd)
			if len(words) == 0 {
				t.Errorf("%s:%d: empty command in %q", f, i+1, line)
				continue
			}
			if strings.HasPrefix(words[0], "$") && len(words) > 2 && words[1] == "=" {
				words = words[2:] // $group = Get-ClusterGroup ...
			}
			params, ok := documentedCmdlets[words[0]]
			if !ok {
				t.Errorf("%s:%d: %s is not a documented cmdlet: %s", f, i+1, words[0], line)
				continue
			}
			seen[words[0]] = true
			for _, p := range psParam.FindAllStringSubmatch(strings.Join(words[1:], " "), -1) {
				if !slices.Contains(params, p[1]) {
					t.Errorf("%s:%d: %s has no documented parameter -%s", f, i+1, words[0], p[1])
				}
			}
		}
	}
}
