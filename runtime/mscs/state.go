package mscs

import "clusterscript/runtime/core"

// The schemas of server clusters in a state file (see core.Schema).

var clusterSchema = core.Object("a cluster",
	core.String("name", func(c *Cluster) *string { return &c.Name }),
	core.String("domain", func(c *Cluster) *string { return &c.Domain }),
	core.String("ip", func(c *Cluster) *string { return &c.IP }),
	core.String("mask", func(c *Cluster) *string { return &c.Mask }),
	core.String("account", func(c *Cluster) *string { return &c.Account }),
	core.String("version", func(c *Cluster) *string { return &c.Version }),
	core.String("quorum_model", func(c *Cluster) *string { return &c.QuorumModel }),
	core.String("quorum", func(c *Cluster) *string { return &c.Quorum }).OmitEmpty(),
	core.List("networks", networkSchema, func(c *Cluster) *[]*Network { return &c.Networks }),
	core.List("nodes", nodeSchema, func(c *Cluster) *[]*Node { return &c.Nodes }),
	core.List("groups", groupSchema, func(c *Cluster) *[]*Group { return &c.Groups }),
	core.Int("heartbeat_interval_ms", func(c *Cluster) *int64 { return &c.HeartbeatInterval }),
	core.Int("heartbeat_misses", func(c *Cluster) *int { return &c.HeartbeatMisses }),
	core.Bool("quorum_lost", func(c *Cluster) *bool { return &c.QuorumLost }).OmitEmpty(),
)

var networkSchema = core.Object("a network",
	core.String("name", func(n *Network) *string { return &n.Name }),
	core.String("subnet", func(n *Network) *string { return &n.Subnet }),
	core.String("role", func(n *Network) *string { return &n.Role }),
)

var nodeSchema = core.Object("a node",
	core.String("name", func(n *Node) *string { return &n.Name }),
	core.String("state", func(n *Node) *string { return &n.State }),
	core.Bool("paused", func(n *Node) *bool { return &n.Paused }).OmitEmpty(),
	core.Bool("cut_off", func(n *Node) *bool { return &n.CutOff }).OmitEmpty(),
)

var groupSchema = core.Object("a group",
	core.String("name", func(g *Group) *string { return &g.Name }),
	core.String("description", func(g *Group) *string { return &g.Description }).OmitEmpty(),
	core.String("owner", func(g *Group) *string { return &g.Owner }),
	core.Strings("preferred_owners", func(g *Group) *[]string { return &g.PreferredOwners }).OmitEmpty(),
	core.List("resources", resourceSchema, func(g *Group) *[]*Resource { return &g.Resources }),
	core.Int("failover_threshold", func(g *Group) *int { return &g.FailoverThreshold }),
	core.Int("failover_period", func(g *Group) *int { return &g.FailoverPeriod }),
	core.String("failback", func(g *Group) *string { return &g.Failback }),
	core.Int("window_start", func(g *Group) *int { return &g.WindowStart }),
	core.Int("window_end", func(g *Group) *int { return &g.WindowEnd }),
	core.Ints("failovers", func(g *Group) *[]int64 { return &g.Failovers }).OmitEmpty(),
	core.Int("evs", func(g *Group) *int { return &g.EVS }).OmitEmpty(),
)

var resourceSchema = core.Object("a resource",
	core.String("name", func(r *Resource) *string { return &r.Name }),
	core.String("type", func(r *Resource) *string { return &r.Type }),
	core.String("description", func(r *Resource) *string { return &r.Description }).OmitEmpty(),
	core.String("state", func(r *Resource) *string { return &r.State }),
	core.Strings("possible_owners", func(r *Resource) *[]string { return &r.PossibleOwners }).OmitEmpty(),
	core.Strings("dependencies", func(r *Resource) *[]string { return &r.Dependencies }).OmitEmpty(),
	core.StringMap("params", func(r *Resource) *map[string]string { return &r.Params }),
	core.Bool("persistent", func(r *Resource) *bool { return &r.Persistent }).OmitEmpty(),
	core.Bool("restart", func(r *Resource) *bool { return &r.Restart }),
	core.Int("restart_threshold", func(r *Resource) *int { return &r.RestartThreshold }),
	core.Int("restart_period", func(r *Resource) *int { return &r.RestartPeriod }),
	core.Bool("affect_group", func(r *Resource) *bool { return &r.AffectGroup }),
	core.Ints("restarts", func(r *Resource) *[]int64 { return &r.Restarts }).OmitEmpty(),
)
