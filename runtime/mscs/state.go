package mscs

import "clusterscript/runtime/core"

// The schemas of server clusters in a state file (see core.Schema).

var clusterSchema = core.NewSchema("a cluster",
	core.StringField("name", func(c *Cluster) *string { return &c.Name }),
	core.StringField("domain", func(c *Cluster) *string { return &c.Domain }),
	core.StringField("ip", func(c *Cluster) *string { return &c.IP }),
	core.StringField("mask", func(c *Cluster) *string { return &c.Mask }),
	core.StringField("account", func(c *Cluster) *string { return &c.Account }),
	core.StringField("version", func(c *Cluster) *string { return &c.Version }),
	core.StringField("quorum_model", func(c *Cluster) *string { return &c.QuorumModel }),
	core.StringField("quorum", func(c *Cluster) *string { return &c.Quorum }).OmitEmpty(),
	core.ListField("networks", networkSchema, func(c *Cluster) *[]*Network { return &c.Networks }),
	core.ListField("nodes", nodeSchema, func(c *Cluster) *[]*Node { return &c.Nodes }),
	core.ListField("groups", groupSchema, func(c *Cluster) *[]*Group { return &c.Groups }),
	core.IntField("heartbeat_interval_ms", func(c *Cluster) *int64 { return &c.HeartbeatInterval }),
	core.IntField("heartbeat_misses", func(c *Cluster) *int { return &c.HeartbeatMisses }),
	core.BoolField("quorum_lost", func(c *Cluster) *bool { return &c.QuorumLost }).OmitEmpty(),
	core.IntField("cross_subnet_delay_ms", func(c *Cluster) *int64 { return &c.CrossSubnetDelay }).OmitEmpty(),
	core.IntField("cross_subnet_threshold", func(c *Cluster) *int { return &c.CrossSubnetThreshold }).OmitEmpty(),
	core.IntField("dynamic_quorum", func(c *Cluster) *int { return &c.DynamicQuorum }).OmitEmpty(),
	core.IntField("cluster_enforced_anti_affinity", func(c *Cluster) *int { return &c.ClusterEnforcedAntiAffinity }).OmitEmpty(),
	core.IntField("lower_quorum_priority_node_id", func(c *Cluster) *int { return &c.LowerQuorumPriorityNodeID }).OmitEmpty(),
	core.IntField("quarantine_threshold", func(c *Cluster) *int { return &c.QuarantineThreshold }).OmitEmpty(),
	core.IntField("quarantine_duration", func(c *Cluster) *int64 { return &c.QuarantineDuration }).OmitEmpty(),
	core.StringField("preferred_site", func(c *Cluster) *string { return &c.PreferredSite }).OmitEmpty(),
	core.BoolField("witness_vote_removed", func(c *Cluster) *bool { return &c.WitnessVoteRemoved }).OmitEmpty(),
	core.BoolField("force_quorum", func(c *Cluster) *bool { return &c.ForceQuorum }).OmitEmpty(),
)

var networkSchema = core.NewSchema("a network",
	core.StringField("name", func(n *Network) *string { return &n.Name }),
	core.StringField("subnet", func(n *Network) *string { return &n.Subnet }),
	core.StringField("role", func(n *Network) *string { return &n.Role }),
)

var nodeSchema = core.NewSchema("a node",
	core.StringField("name", func(n *Node) *string { return &n.Name }),
	core.StringField("state", func(n *Node) *string { return &n.State }),
	core.BoolField("paused", func(n *Node) *bool { return &n.Paused }).OmitEmpty(),
	core.BoolField("cut_off", func(n *Node) *bool { return &n.CutOff }).OmitEmpty(),
	core.BoolField("retrying", func(n *Node) *bool { return &n.Retrying }).OmitEmpty(),
	core.BoolField("no_vote", func(n *Node) *bool { return &n.NoVote }).OmitEmpty(),
	core.BoolField("vote_removed", func(n *Node) *bool { return &n.VoteRemoved }).OmitEmpty(),
	core.StringField("start_mode", func(n *Node) *string { return &n.StartMode }).OmitEmpty(),
)

var groupSchema = core.NewSchema("a group",
	core.StringField("name", func(g *Group) *string { return &g.Name }),
	core.StringField("description", func(g *Group) *string { return &g.Description }).OmitEmpty(),
	core.StringField("owner", func(g *Group) *string { return &g.Owner }),
	core.StringsField("preferred_owners", func(g *Group) *[]string { return &g.PreferredOwners }).OmitEmpty(),
	core.ListField("resources", resourceSchema, func(g *Group) *[]*Resource { return &g.Resources }),
	core.IntField("failover_threshold", func(g *Group) *int { return &g.FailoverThreshold }),
	core.IntField("failover_period", func(g *Group) *int { return &g.FailoverPeriod }),
	core.StringField("failback", func(g *Group) *string { return &g.Failback }),
	core.IntField("window_start", func(g *Group) *int { return &g.WindowStart }),
	core.IntField("window_end", func(g *Group) *int { return &g.WindowEnd }),
	core.IntsField("failovers", func(g *Group) *[]int64 { return &g.Failovers }).OmitEmpty(),
	core.IntField("evs", func(g *Group) *int { return &g.EVS }).OmitEmpty(),
)

var resourceSchema = core.NewSchema("a resource",
	core.StringField("name", func(r *Resource) *string { return &r.Name }),
	core.StringField("type", func(r *Resource) *string { return &r.Type }),
	core.StringField("description", func(r *Resource) *string { return &r.Description }).OmitEmpty(),
	core.StringField("state", func(r *Resource) *string { return &r.State }),
	core.StringsField("possible_owners", func(r *Resource) *[]string { return &r.PossibleOwners }).OmitEmpty(),
	core.StringsField("dependencies", func(r *Resource) *[]string { return &r.Dependencies }).OmitEmpty(),
	core.StringMapField("params", func(r *Resource) *map[string]string { return &r.Params }),
	core.StringMapField("pending_params", func(r *Resource) *map[string]string { return &r.PendingParams }).OmitEmpty(),
	core.BoolField("persistent", func(r *Resource) *bool { return &r.Persistent }).OmitEmpty(),
	core.BoolField("restart", func(r *Resource) *bool { return &r.Restart }),
	core.IntField("restart_threshold", func(r *Resource) *int { return &r.RestartThreshold }),
	core.IntField("restart_period", func(r *Resource) *int { return &r.RestartPeriod }),
	core.BoolField("affect_group", func(r *Resource) *bool { return &r.AffectGroup }),
	// Left out at the default, as in files written before it existed.
	core.IntField("retry_period", func(r *Resource) *int { return &r.RetryPeriod }).OmitEmpty(),
	core.IntsField("restarts", func(r *Resource) *[]int64 { return &r.Restarts }).OmitEmpty(),
)
