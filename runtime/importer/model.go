// Package importer builds a world from a real cluster's configuration: a
// snapshot taken by docs/Export-ClusterSnapshot.ps1 (FailoverClusters and
// NetworkLoadBalancingClusters cmdlets, as JSON) or a Pacemaker CIB
// (cibadmin -Q). Both are read into one typed model (Snapshot), which
// Apply turns into engine calls, so that every imported object passes the
// rules a runbook's objects pass and has its events. It reads bytes and
// changes a world; it does no I/O of its own.
package importer

import (
	"errors"
	"fmt"
	"strings"

	"clusterscript/runtime/mscs"
)

// ErrInput is wrapped by every refusal of an input: a damaged or unknown
// snapshot, a CIB with what does not map, a name clash on merge.
var ErrInput = errors.New("cannot import")

func inputErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInput, fmt.Sprintf(format, args...))
}

// Formats are the inputs Import reads.
var Formats = []string{"powershell", "cib"}

// A Snapshot is a real configuration, read and checked, before it becomes
// engine calls. Origins say where each object came from ("Get-ClusterGroup
// \"Files\"", "<group id=\"web\">") and end up in its import event.
type Snapshot struct {
	Source   string // the file, as the events name it
	Domain   string // DNS name of the Active Directory domain
	Clusters []*Cluster
	NLBs     []*NLBCluster
	// Notes are what the reader approximated or dropped; Apply writes each
	// as a warning event.
	Notes []Note
}

// A Note is a warning found while reading: the object it is about and
// what was approximated or dropped.
type Note struct{ Subject, Text string }

func (s *Snapshot) note(subject, format string, args ...any) {
	s.Notes = append(s.Notes, Note{subject, fmt.Sprintf(format, args...)})
}

// A Cluster is a server cluster of the snapshot.
type Cluster struct {
	Name    string
	Version string // a core.Versions value
	Edition string
	IP      string // the cluster's own address (Cluster IP Address)
	Mask    string
	Origin  string

	Nodes []*Node // in node ID order: the first forms the cluster
	// Properties are cluster common properties (set_cluster_property).
	Properties []mscs.PropertySetting
	Groups     []*Group
	Quorum     Quorum // set_quorum
}

// A Quorum is the quorum configuration of a 2008+ cluster.
type Quorum struct {
	Mode    string // an mscs.QuorumModes value; "" when unknown
	Witness string // the witness: a Physical Disk resource, a share path, a storage account
	Origin  string
}

// A Node is a server that is a node of the cluster.
type Node struct {
	Name     string
	State    string // mscs node state: Up, Down, Paused
	Adapters []Adapter
	// Vote is NodeWeight (0 or 1, set_node_vote); nil when the snapshot
	// does not say.
	Vote *int
	// Site is the node's site (a Site fault domain above it), "" for none.
	Site   string
	Origin string
}

// An Adapter is a network adapter of a server with its static address.
type Adapter struct {
	Name, IP, Mask, Role string
	ExtraIPs             []string
}

// A Group is a resource group.
type Group struct {
	Name, Description string
	Core              bool   // the cluster's own group (Cluster Group)
	Owner             string // the node it runs on or last ran on
	State             string // mscs group state: Online, Offline, Partially Online, Failed
	PreferredOwners   []string
	Failover          *mscs.FailoverPolicy // nil: the engine's defaults
	// Priority ("high", "medium", "low", "no_auto_start"; "" when the
	// snapshot does not say) and AntiAffinity: set_group_priority and
	// set_anti_affinity.
	Priority     string
	AntiAffinity []string
	Resources    []*Resource
	Origin       string
}

// A Resource is a cluster resource.
type Resource struct {
	Name, Type, Description string
	State                   string   // Online, Offline, Failed
	PossibleOwners          []string // nil: every node
	Dependencies            []string
	Params                  map[string]string
	Restart                 *mscs.RestartPolicy // nil: the engine's defaults
	// Disk, for a Physical Disk, is the shared disk it holds: created with
	// the servers that see it.
	Disk   *Disk
	Origin string
}

// A Disk is a shared disk a Physical Disk resource holds.
type Disk struct {
	Label   string
	SizeGB  float64
	Letter  string
	Servers []string
}

// An NLBCluster is a Network Load Balancing cluster.
type NLBCluster struct {
	Name, IP, Mask, Mode string
	Version              string
	Hosts                []*NLBHost
	Rules                []*PortRule // nil: keep the default rule
	Origin               string
}

// An NLBHost is a server's adapter bound to the NLB cluster.
type NLBHost struct {
	Server, Adapter   string
	Priority          int
	DedicatedIP, Mask string
	InitialState      string // started, stopped, suspended
	State             string // started, stopped, suspended: what it was doing
	ExtraIPs          []string
	Origin            string
}

// A PortRule is an NLB port rule with its per-host settings.
type PortRule struct {
	ClusterIP                     string // "all" or an address
	Start, End                    int
	Protocol, Filtering, Affinity string
	LoadWeights                   map[string]int // host → weight; nil: equal
	HandlingPriorities            map[string]int // host → priority; nil: host priority order
	Origin                        string
}

// simName is the group's name in the simulation: the core group is the
// Cluster Group that create_cluster makes, whatever the snapshot calls it.
func (g *Group) simName() string {
	if g.Core {
		return "Cluster Group"
	}
	return g.Name
}

// node finds a node of the cluster by name, ignoring case.
func (c *Cluster) node(name string) *Node {
	for _, n := range c.Nodes {
		if strings.EqualFold(n.Name, name) {
			return n
		}
	}
	return nil
}

// nodeNames lists the names of the cluster's nodes, in node order.
func (c *Cluster) nodeNames() []string {
	names := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		names[i] = n.Name
	}
	return names
}
