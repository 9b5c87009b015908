package mscs

import (
	"fmt"
	"strconv"

	"clusterscript/runtime/core"
)

// A profile is what a cluster's Windows version changes in the rules the
// engine enforces. A rule reads its field of the cluster's profile, never
// the version string, so a version's differences are listed in one place
// (docs/versions.md gives the source of each).
type profile struct {
	// maxNodes is the most nodes a cluster may have (KB 288778; 64 from
	// Windows Server 2012).
	maxNodes int

	// dependenciesWhileOnline: a resource's dependencies may change while it
	// is online. Windows Server 2003 refuses with ERROR_RESOURCE_ONLINE;
	// Windows Server 2008 changed that (AddClusterResourceDependency).
	dependenciesWhileOnline bool

	// Group and resource defaults. failoverNodesMinusOne: a group's
	// FailoverThreshold defaults to 0xFFFFFFFF, read as the number of nodes
	// minus one (2008+); else failoverThreshold.
	failoverNodesMinusOne bool
	failoverThreshold     int
	restartThreshold      int // RestartThreshold: 3 on 2003, 1 from 2008 (KB 947712)
	restartPeriod         int // RestartPeriod, seconds
	retryPeriod           int // RetryPeriodOnFailure, seconds
	pendingTimeout        int // PendingTimeout, seconds

	// Node-down detection: a node is Down after threshold heartbeats every
	// delay milliseconds are missed, on a route within one subnet (same)
	// or across subnets (cross). properties: the version has the
	// SameSubnet*/CrossSubnet* cluster properties (2008+); 2003 has a
	// fixed 1.2 s × 5.
	properties                                 bool
	sameDelay, sameThreshold                   int
	crossDelay, crossThreshold                 int
	maxSameThreshold, maxCrossThreshold        int
	maxSameDelay, maxCrossDelay                int
	quorumModes                                []string // set_quorum's modes; nil: none (2003)
	nodeWeight, preventQuorum                  bool     // NodeWeight and /pq (KB 2494036, 2008 R2)
	dynamicQuorum                              bool     // dynamic node votes (2012)
	dynamicWitness, tieBreaker                 bool     // dynamic witness vote, 50 % tie-breaker (2012 R2)
	exchange2003                               bool     // Exchange Server 2003 installs (2003 only)
	antiAffinity                               bool     // group AntiAffinityClassNames (2008 R2)
	enforcedAntiAffinity, groupPriority, drain bool     // ClusterEnforcedAntiAffinity, Priority, drain (2012)
	quarantine, sites                          bool     // node quarantine, fault-domain sites (2016)
}

// Quorum modes of Windows Server 2008 and later (set_quorum).
const (
	QuorumNodeMajority = "node_majority"
	QuorumNodeAndDisk  = "node_and_disk_majority"
	QuorumNodeAndShare = "node_and_file_share_majority"
	QuorumDiskOnly     = "disk_only"
	QuorumCloudWitness = "cloud_witness"
)

// DefaultPendingTimeout is PendingTimeout, in seconds, on every version:
// how long a resource may stay Online Pending or Offline Pending.
const DefaultPendingTimeout = 180

// FailoverThresholdNodesMinusOne is the FailoverThreshold that Windows
// Server 2008 and later store by default, 0xFFFFFFFF: read as the number of
// nodes minus one.
const FailoverThresholdNodesMinusOne = 0xFFFFFFFF

// QuorumModes lists set_quorum's modes in the order of the docs.
var QuorumModes = []string{QuorumNodeMajority, QuorumNodeAndDisk, QuorumNodeAndShare, QuorumDiskOnly, QuorumCloudWitness}

// profiles by Windows version (core.Versions). Each later version starts
// from the one before it and changes what that release changed.
var profiles = func() map[string]profile {
	p2003 := profile{
		maxNodes: 8, failoverThreshold: 10, restartThreshold: 3, restartPeriod: 900, retryPeriod: 3600, pendingTimeout: DefaultPendingTimeout,
		sameDelay: DefaultHeartbeatInterval, sameThreshold: DefaultHeartbeatMisses,
		exchange2003: true,
	}
	p2008 := p2003
	p2008.maxNodes, p2008.exchange2003, p2008.dependenciesWhileOnline = 16, false, true
	p2008.failoverNodesMinusOne, p2008.restartThreshold = true, 1
	p2008.properties = true
	p2008.sameDelay, p2008.sameThreshold, p2008.crossDelay, p2008.crossThreshold = 1000, 5, 1000, 5
	p2008.maxSameDelay, p2008.maxCrossDelay = 2000, 4000
	p2008.maxSameThreshold, p2008.maxCrossThreshold = 10, 10
	p2008.quorumModes = QuorumModes[:4]
	p2008r2 := p2008
	p2008r2.nodeWeight, p2008r2.preventQuorum, p2008r2.antiAffinity = true, true, true
	p2012 := p2008r2
	p2012.maxNodes, p2012.maxSameThreshold, p2012.maxCrossThreshold = 64, 120, 120
	p2012.dynamicQuorum, p2012.enforcedAntiAffinity, p2012.groupPriority, p2012.drain = true, true, true, true
	p2012r2 := p2012
	p2012r2.dynamicWitness, p2012r2.tieBreaker = true, true
	p2016 := p2012r2
	p2016.sameThreshold, p2016.crossThreshold = 10, 20
	p2016.quorumModes = QuorumModes
	p2016.quarantine, p2016.sites = true, true
	p2019 := p2016
	p2019.sameThreshold = 20
	return map[string]profile{
		"2003": p2003, "2008": p2008, "2008 R2": p2008r2, "2012": p2012, "2012 R2": p2012r2,
		"2016": p2016, "2019": p2019, "2022": p2019,
	}
}()

// profileOf is a version's profile; a version the table does not know
// (none is accepted at install) gets Windows Server 2003's.
func profileOf(version string) profile {
	if p, ok := profiles[version]; ok {
		return p
	}
	return profiles["2003"]
}

// profile is the cluster's version profile.
func (c *Cluster) profile() profile { return profileOf(c.Version) }

// since is the first version whose profile has a feature: what an error
// names when an older cluster is asked for it.
func since(has func(p profile) bool) string {
	for _, v := range core.Versions {
		if has(profiles[v]) {
			return v
		}
	}
	return ""
}

// needVersion refuses what a cluster's version does not have, naming the
// version that brought it: what is "DynamicQuorum", "set_quorum", …
func (c *Cluster) needVersion(what string, has func(p profile) bool) error {
	if has(c.profile()) {
		return nil
	}
	v := since(has)
	return core.Errf(core.ErrPrereq, "%s arrived in %s, and cluster %s runs %s; it needs nodes running %s or later",
		what, core.VersionName(v), c.Name, core.VersionName(c.Version), core.VersionName(v))
}

// Since names the first Windows version that has a feature, for docs:
// "drain", "group priority", "dynamic quorum", "dynamic witness",
// "anti-affinity", "quarantine", "sites", "node weight", "prevent quorum",
// "set_quorum", "cloud witness"; "" for one it does not know.
func Since(feature string) string {
	if has, ok := features[feature]; ok {
		return since(has)
	}
	return ""
}

// features are the profile's switches by the name Since takes.
var features = map[string]func(p profile) bool{
	"set_quorum":      func(p profile) bool { return p.quorumModes != nil },
	"cloud witness":   func(p profile) bool { return len(p.quorumModes) == len(QuorumModes) },
	"node weight":     func(p profile) bool { return p.nodeWeight },
	"prevent quorum":  func(p profile) bool { return p.preventQuorum },
	"force quorum":    func(p profile) bool { return p.properties },
	"dynamic quorum":  func(p profile) bool { return p.dynamicQuorum },
	"dynamic witness": func(p profile) bool { return p.dynamicWitness },
	"anti-affinity":   func(p profile) bool { return p.antiAffinity },
	"group priority":  func(p profile) bool { return p.groupPriority },
	"drain":           func(p profile) bool { return p.drain },
	"quarantine":      func(p profile) bool { return p.quarantine },
	"sites":           func(p profile) bool { return p.sites },
}

// defaultFailoverThreshold is what a new group's FailoverThreshold holds:
// 10 on 2003, 0xFFFFFFFF (nodes − 1) from 2008.
func (c *Cluster) defaultFailoverThreshold() int {
	if p := c.profile(); !p.failoverNodesMinusOne {
		return p.failoverThreshold
	}
	return FailoverThresholdNodesMinusOne
}

// FailoverThreshold is the number of failovers a group may make in its
// period: its FailoverThreshold, or for 0xFFFFFFFF the cluster's nodes
// minus one (configured nodes, counted now: a node added or evicted
// changes it).
func (c *Cluster) FailoverThreshold(g *Group) int {
	if c.nodesMinusOne(g) {
		return len(c.Nodes) - 1
	}
	return g.FailoverThreshold
}

// nodesMinusOne reports whether g's FailoverThreshold is 0xFFFFFFFF on a
// version that reads it as the number of nodes minus one.
func (c *Cluster) nodesMinusOne(g *Group) bool {
	return g.FailoverThreshold == FailoverThresholdNodesMinusOne && c.profile().failoverNodesMinusOne
}

// thresholdText words a group's threshold for events: "3" or, for the
// 2008+ default, "nodes − 1 = 3".
func (c *Cluster) thresholdText(g *Group) string {
	if c.nodesMinusOne(g) {
		return fmt.Sprintf("nodes − 1 = %d", len(c.Nodes)-1)
	}
	return strconv.Itoa(g.FailoverThreshold)
}

// Modern reports whether the cluster runs Windows Server 2008 or later
// (quorum modes, votes, cluster properties).
func (c *Cluster) Modern() bool { return c.profile().properties }

// Has reports whether the cluster's version has a feature (Since's names).
func (c *Cluster) Has(feature string) bool {
	has, ok := features[feature]
	return ok && has(c.profile())
}
