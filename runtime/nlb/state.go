package nlb

import "clusterscript/runtime/core"

// The schemas of NLB clusters in a state file (see core.Schema).

var clusterSchema = core.Object("an NLB cluster",
	core.String("name", func(c *Cluster) *string { return &c.Name }),
	core.String("ip", func(c *Cluster) *string { return &c.IP }),
	core.String("mask", func(c *Cluster) *string { return &c.Mask }),
	core.String("mode", func(c *Cluster) *string { return &c.Mode }),
	core.List("hosts", hostSchema, func(c *Cluster) *[]*Host { return &c.Hosts }),
	core.List("port_rules", ruleSchema, func(c *Cluster) *[]*PortRule { return &c.Rules }),
	core.List("connections", connectionSchema, func(c *Cluster) *[]*Connection { return &c.Connections }).OmitEmpty(),
	core.Int("next_rule", func(c *Cluster) *int { return &c.NextRule }),
	core.Int("next_connection", func(c *Cluster) *int { return &c.NextConnection }),
	core.Bool("converging", func(c *Cluster) *bool { return &c.Converging }).OmitEmpty(),
	core.Int("converge_start", func(c *Cluster) *int64 { return &c.ConvergeStart }).OmitEmpty(),
	core.Int("convergences", func(c *Cluster) *int64 { return &c.Convergences }),
	core.Int("default_host", func(c *Cluster) *int { return &c.DefaultHost }).OmitEmpty(),
)

var hostSchema = core.Object("a host",
	core.String("server", func(h *Host) *string { return &h.Server }),
	core.String("adapter", func(h *Host) *string { return &h.Adapter }),
	core.Int("priority", func(h *Host) *int { return &h.Priority }),
	core.String("dedicated_ip", func(h *Host) *string { return &h.DedicatedIP }),
	core.String("mask", func(h *Host) *string { return &h.Mask }),
	core.String("initial_state", func(h *Host) *string { return &h.InitialState }),
	core.String("control", func(h *Host) *string { return &h.Control }),
	core.Bool("member", func(h *Host) *bool { return &h.Member }).OmitEmpty(),
	core.Bool("heard", func(h *Host) *bool { return &h.Heard }).OmitEmpty(),
	core.String("state", func(h *Host) *string { return &h.State }),
)

var ruleSchema = core.Object("a port rule",
	core.Int("id", func(r *PortRule) *int { return &r.ID }),
	core.String("cluster_ip", func(r *PortRule) *string { return &r.ClusterIP }),
	core.Int("start", func(r *PortRule) *int { return &r.Start }),
	core.Int("end", func(r *PortRule) *int { return &r.End }),
	core.String("protocol", func(r *PortRule) *string { return &r.Protocol }),
	core.String("filtering", func(r *PortRule) *string { return &r.Filtering }),
	core.String("affinity", func(r *PortRule) *string { return &r.Affinity }),
	core.Values("load_weights", hostValueSchema, func(r *PortRule) *[]HostValue { return &r.LoadWeights }).OmitEmpty(),
	core.Values("handling_priorities", hostValueSchema, func(r *PortRule) *[]HostValue { return &r.HandlingPriorities }).OmitEmpty(),
	core.Strings("disabled_on", func(r *PortRule) *[]string { return &r.DisabledOn }).OmitEmpty(),
	core.Strings("draining_on", func(r *PortRule) *[]string { return &r.DrainingOn }).OmitEmpty(),
	core.Ints("owners", func(r *PortRule) *[]int { return &r.Owners }).OmitEmpty(),
)

var hostValueSchema = core.Object("a host setting",
	core.String("host", func(v *HostValue) *string { return &v.Host }),
	core.Int("value", func(v *HostValue) *int { return &v.Value }),
)

var connectionSchema = core.Object("a connection",
	core.Int("id", func(c *Connection) *int { return &c.ID }),
	core.String("client", func(c *Connection) *string { return &c.Client }),
	core.Int("client_port", func(c *Connection) *int { return &c.ClientPort }),
	core.String("cluster_ip", func(c *Connection) *string { return &c.ClusterIP }),
	core.Int("port", func(c *Connection) *int { return &c.Port }),
	core.String("host", func(c *Connection) *string { return &c.Host }),
)
