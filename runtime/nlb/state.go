package nlb

import "clusterscript/runtime/core"

// The schemas of NLB clusters in a state file (see core.Schema).

var clusterSchema = core.NewSchema("an NLB cluster",
	core.StringField("name", func(c *Cluster) *string { return &c.Name }),
	core.StringField("ip", func(c *Cluster) *string { return &c.IP }),
	core.StringField("mask", func(c *Cluster) *string { return &c.Mask }),
	core.StringField("mode", func(c *Cluster) *string { return &c.Mode }),
	core.ListField("hosts", hostSchema, func(c *Cluster) *[]*Host { return &c.Hosts }),
	core.ListField("port_rules", ruleSchema, func(c *Cluster) *[]*PortRule { return &c.Rules }),
	core.ListField("connections", connectionSchema, func(c *Cluster) *[]*Connection { return &c.Connections }).OmitEmpty(),
	core.IntField("next_rule", func(c *Cluster) *int { return &c.NextRule }),
	core.IntField("next_connection", func(c *Cluster) *int { return &c.NextConnection }),
	core.BoolField("converging", func(c *Cluster) *bool { return &c.Converging }).OmitEmpty(),
	core.IntField("converge_start", func(c *Cluster) *int64 { return &c.ConvergeStart }).OmitEmpty(),
	core.IntField("convergences", func(c *Cluster) *int64 { return &c.Convergences }),
	core.IntField("default_host", func(c *Cluster) *int { return &c.DefaultHost }).OmitEmpty(),
)

var hostSchema = core.NewSchema("a host",
	core.StringField("server", func(h *Host) *string { return &h.Server }),
	core.StringField("adapter", func(h *Host) *string { return &h.Adapter }),
	core.IntField("priority", func(h *Host) *int { return &h.Priority }),
	core.StringField("dedicated_ip", func(h *Host) *string { return &h.DedicatedIP }),
	core.StringField("mask", func(h *Host) *string { return &h.Mask }),
	core.StringField("initial_state", func(h *Host) *string { return &h.InitialState }),
	core.StringField("control", func(h *Host) *string { return &h.Control }),
	core.BoolField("member", func(h *Host) *bool { return &h.Member }).OmitEmpty(),
	core.BoolField("heard", func(h *Host) *bool { return &h.Heard }).OmitEmpty(),
	core.StringField("alone", func(h *Host) *string { return &h.Alone }).OmitEmpty(),
	core.StringField("state", func(h *Host) *string { return &h.State }),
)

var ruleSchema = core.NewSchema("a port rule",
	core.IntField("id", func(r *PortRule) *int { return &r.ID }),
	core.StringField("cluster_ip", func(r *PortRule) *string { return &r.ClusterIP }),
	core.IntField("start", func(r *PortRule) *int { return &r.Start }),
	core.IntField("end", func(r *PortRule) *int { return &r.End }),
	core.StringField("protocol", func(r *PortRule) *string { return &r.Protocol }),
	core.StringField("filtering", func(r *PortRule) *string { return &r.Filtering }),
	core.StringField("affinity", func(r *PortRule) *string { return &r.Affinity }),
	core.ValuesField("load_weights", hostValueSchema, func(r *PortRule) *[]HostValue { return &r.LoadWeights }).OmitEmpty(),
	core.ValuesField("handling_priorities", hostValueSchema, func(r *PortRule) *[]HostValue { return &r.HandlingPriorities }).OmitEmpty(),
	core.StringsField("disabled_on", func(r *PortRule) *[]string { return &r.DisabledOn }).OmitEmpty(),
	core.StringsField("draining_on", func(r *PortRule) *[]string { return &r.DrainingOn }).OmitEmpty(),
	core.IntsField("owners", func(r *PortRule) *[]int { return &r.Owners }).OmitEmpty(),
)

var hostValueSchema = core.NewSchema("a host setting",
	core.StringField("host", func(v *HostValue) *string { return &v.Host }),
	core.IntField("value", func(v *HostValue) *int { return &v.Value }),
)

var connectionSchema = core.NewSchema("a connection",
	core.IntField("id", func(c *Connection) *int { return &c.ID }),
	core.StringField("client", func(c *Connection) *string { return &c.Client }),
	core.IntField("client_port", func(c *Connection) *int { return &c.ClientPort }),
	core.StringField("cluster_ip", func(c *Connection) *string { return &c.ClusterIP }),
	core.IntField("port", func(c *Connection) *int { return &c.Port }),
	core.StringField("host", func(c *Connection) *string { return &c.Host }),
)
