package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
)

// The snapshot schema that docs/Export-ClusterSnapshot.ps1 writes and
// docs/import.md documents. Member names in PascalCase are the cmdlets'
// own property names; lower-case members are the schema's structure.
const (
	SnapshotSchema  = "clusterscript-snapshot"
	SnapshotVersion = 1
)

type psSnapshot struct {
	Schema    string        `json:"schema"`
	Version   *int          `json:"version"`
	OSVersion string        `json:"os_version"`
	Cluster   *psCluster    `json:"cluster"`
	Nodes     []psNode      `json:"nodes"`
	Networks  []psNetwork   `json:"networks"`
	Ifaces    []psInterface `json:"interfaces"`
	Quorum    *psQuorum     `json:"quorum"`
	Groups    []psGroup     `json:"groups"`
	Resources []psResource  `json:"resources"`
	// FaultDomains are Get-ClusterFaultDomain's sites, racks, chassis and
	// nodes (Windows Server 2016 and later; absent before).
	FaultDomains []psFaultDomain `json:"fault_domains"`
	NLB          *psNLBSnapshot  `json:"nlb"`
}

type psFaultDomain struct {
	Name       string `json:"Name"`
	Type       string `json:"Type"` // Site, Rack, Chassis, Node
	ParentName string `json:"ParentName"`
}

type psCluster struct {
	Name                        string  `json:"Name"`
	Domain                      string  `json:"Domain"`
	SameSubnetDelay             *int64  `json:"SameSubnetDelay"`
	SameSubnetThreshold         *int64  `json:"SameSubnetThreshold"`
	CrossSubnetDelay            *int64  `json:"CrossSubnetDelay"`
	CrossSubnetThreshold        *int64  `json:"CrossSubnetThreshold"`
	DynamicQuorum               *int64  `json:"DynamicQuorum"`
	ClusterEnforcedAntiAffinity *int64  `json:"ClusterEnforcedAntiAffinity"`
	LowerQuorumPriorityNodeID   *int64  `json:"LowerQuorumPriorityNodeID"`
	QuarantineThreshold         *int64  `json:"QuarantineThreshold"`
	QuarantineDuration          *int64  `json:"QuarantineDuration"`
	PreferredSite               *string `json:"PreferredSite"`
}

type psNode struct {
	Name         string   `json:"Name"`
	ID           flexEnum `json:"Id"` // a string on 2012 and later
	State        string   `json:"State"`
	NodeWeight   *int64   `json:"NodeWeight"`
	MajorVersion *int64   `json:"MajorVersion"`
	MinorVersion *int64   `json:"MinorVersion"`
	BuildNumber  *int64   `json:"BuildNumber"`
}

type psNetwork struct {
	Name        string `json:"Name"`
	Address     string `json:"Address"`
	AddressMask string `json:"AddressMask"`
	Role        string `json:"Role"`
}

type psInterface struct {
	Node    string `json:"Node"`
	Network string `json:"Network"`
	Address string `json:"Address"`
}

type psQuorum struct {
	QuorumType     string `json:"QuorumType"`
	QuorumResource string `json:"QuorumResource"`
}

type psGroup struct {
	Name                   string   `json:"Name"`
	OwnerNode              string   `json:"OwnerNode"`
	State                  string   `json:"State"`
	Description            string   `json:"Description"`
	GroupType              string   `json:"GroupType"`
	IsCoreGroup            *bool    `json:"IsCoreGroup"`
	FailoverThreshold      *int64   `json:"FailoverThreshold"`
	FailoverPeriod         *int64   `json:"FailoverPeriod"`
	AutoFailbackType       flexEnum `json:"AutoFailbackType"`
	FailbackWindowStart    *int64   `json:"FailbackWindowStart"`
	FailbackWindowEnd      *int64   `json:"FailbackWindowEnd"`
	Priority               *int64   `json:"Priority"`
	AntiAffinityClassNames []string `json:"AntiAffinityClassNames"`
	PreferredOwners        []string `json:"PreferredOwners"`
}

type psResource struct {
	Name                   string            `json:"Name"`
	OwnerGroup             string            `json:"OwnerGroup"`
	ResourceType           string            `json:"ResourceType"`
	State                  string            `json:"State"`
	Description            string            `json:"Description"`
	RestartAction          flexEnum          `json:"RestartAction"`
	RestartThreshold       *int64            `json:"RestartThreshold"`
	RestartPeriod          *int64            `json:"RestartPeriod"`
	RetryPeriodOnFailure   *int64            `json:"RetryPeriodOnFailure"`
	PendingTimeout         *int64            `json:"PendingTimeout"`
	IsAlivePollInterval    *int64            `json:"IsAlivePollInterval"`
	LooksAlivePollInterval *int64            `json:"LooksAlivePollInterval"`
	SeparateMonitor        *bool             `json:"SeparateMonitor"`
	PossibleOwners         []string          `json:"PossibleOwners"`
	DependencyExpression   string            `json:"DependencyExpression"`
	Parameters             map[string]string `json:"Parameters"`
}

type psNLBSnapshot struct {
	Cluster   *psNLBCluster `json:"cluster"`
	Nodes     []psNLBNode   `json:"nodes"`
	PortRules []psPortRule  `json:"port_rules"`
}

type psNLBCluster struct {
	Name       string `json:"Name"`
	IPAddress  string `json:"IPAddress"`
	SubnetMask string `json:"SubnetMask"`
	Mode       string `json:"Mode"`
}

type psNLBNode struct {
	Name             string  `json:"Name"`
	InterfaceName    string  `json:"InterfaceName"`
	HostPriority     *int64  `json:"HostPriority"`
	InitialHostState string  `json:"InitialHostState"`
	State            string  `json:"State"`
	DedicatedIPs     []psDIP `json:"DedicatedIPs"`
}

type psDIP struct {
	IPAddress  string `json:"IPAddress"`
	SubnetMask string `json:"SubnetMask"`
}

type psPortRule struct {
	NodeName         string `json:"NodeName"`
	VirtualIPAddress string `json:"VirtualIPAddress"`
	StartPort        *int64 `json:"StartPort"`
	EndPort          *int64 `json:"EndPort"`
	Protocol         string `json:"Protocol"`
	FilteringMode    string `json:"FilteringMode"`
	Affinity         string `json:"Affinity"`
	EqualLoad        *bool  `json:"EqualLoad"`
	LoadWeight       *int64 `json:"LoadWeight"`
	Priority         *int64 `json:"Priority"`
	Timeout          *int64 `json:"Timeout"`
	PortState        string `json:"PortState"`
}

// A flexEnum is a property PowerShell writes as a number or, for an enum
// type, as its name: RestartAction 2 or "RestartNotify".
type flexEnum struct {
	Set  bool
	Num  int64
	Name string
}

func (f *flexEnum) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	f.Set = true
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &f.Name); err != nil {
			return err
		}
		if n, err := strconv.ParseInt(f.Name, 10, 64); err == nil {
			f.Num, f.Name = n, ""
		}
		return nil
	}
	return json.Unmarshal(b, &f.Num)
}

// number reads the enum as its number, knowing the names of its values.
func (f flexEnum) number(names ...string) (int64, bool) {
	if f.Name == "" {
		return f.Num, true
	}
	for i, n := range names {
		if strings.EqualFold(n, f.Name) {
			return int64(i), true
		}
	}
	return 0, false
}

// ReadPowerShell reads a snapshot written by Export-ClusterSnapshot.ps1.
func ReadPowerShell(data []byte, source string) (*Snapshot, error) {
	data, err := utf8Text(data, source)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var ps psSnapshot
	if err := dec.Decode(&ps); err != nil {
		return nil, jsonErr(source, data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, inputErr("%s: there is more after the snapshot's JSON object; a snapshot is one object", source)
	}
	switch {
	case ps.Schema != SnapshotSchema:
		return nil, inputErr("%s: not a cluster snapshot (its \"schema\" is %q, not %q); write one with docs/Export-ClusterSnapshot.ps1", source, ps.Schema, SnapshotSchema)
	case ps.Version == nil:
		return nil, inputErr("%s: the snapshot has no \"version\"; write it again with docs/Export-ClusterSnapshot.ps1", source)
	case *ps.Version != SnapshotVersion:
		return nil, inputErr("%s: snapshot schema version %d is not one this clusterscript reads (it reads version %d); take the snapshot with the Export-ClusterSnapshot.ps1 of this release", source, *ps.Version, SnapshotVersion)
	case ps.Cluster == nil && ps.NLB == nil:
		return nil, inputErr("%s: the snapshot holds neither a cluster nor an NLB cluster", source)
	}
	s := &Snapshot{Source: source}
	r := psReader{s: s, ps: &ps}
	if ps.Cluster != nil {
		if err := r.cluster(); err != nil {
			return nil, err
		}
	}
	if ps.NLB != nil {
		if err := r.nlb(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// utf8Text returns the text without a byte order mark, decoding UTF-16
// (Windows PowerShell 5.1's Out-File writes it).
func utf8Text(data []byte, source string) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		if len(data)%2 != 0 {
			return nil, inputErr("%s: UTF-16 text of an odd length: the file is cut short", source)
		}
		le := data[0] == 0xFF
		var b strings.Builder
		for i := 2; i+1 < len(data); i += 2 {
			u := uint16(data[i]) | uint16(data[i+1])<<8
			if !le {
				u = uint16(data[i])<<8 | uint16(data[i+1])
			}
			if u >= 0xD800 && u < 0xE000 {
				return nil, inputErr("%s: UTF-16 text outside the Basic Multilingual Plane; save the snapshot as UTF-8", source)
			}
			b.WriteRune(rune(u))
		}
		return []byte(b.String()), nil
	}
	return data, nil
}

// jsonErr words a JSON decoding error with where it happened.
func jsonErr(source string, data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return inputErr("%s: the JSON ends before the snapshot does (after %d bytes): the file is cut short; copy it again or take a new snapshot", source, len(data))
	case errors.As(err, &syn):
		line, col := position(data, syn.Offset)
		return inputErr("%s:%d:%d: not valid JSON: %v", source, line, col, syn)
	case errors.As(err, &typ):
		line, col := position(data, typ.Offset)
		return inputErr("%s:%d:%d: %s holds a JSON %s where the snapshot schema has a %s", source, line, col, typ.Field, typ.Value, typ.Type)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return inputErr("%s: %s is not in snapshot schema version %d (docs/import.md lists the fields)", source, strings.TrimPrefix(err.Error(), "json: "), SnapshotVersion)
	}
	return inputErr("%s: %v", source, err)
}

func position(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

type psReader struct {
	s  *Snapshot
	ps *psSnapshot
}

// versionOf maps a node's Windows version numbers to the simulation's.
func versionOf(major, minor, build int64) (string, bool) {
	switch {
	case major == 6 && minor == 1:
		return "2008 R2", true
	case major == 6 && minor == 2:
		return "2012", true
	case major == 6 && minor == 3:
		return "2012 R2", true
	case major == 10 && build < 17763:
		return "2016", true
	case major == 10 && build < 20348:
		return "2019", true
	case major == 10:
		return "2022", true
	}
	return "", false
}

func (r *psReader) cluster() error {
	s, ps, pc := r.s, r.ps, r.ps.Cluster
	if err := core.ValidNetBIOS("cluster", pc.Name); err != nil {
		return inputErr("%s: Get-Cluster: %v", s.Source, err)
	}
	if pc.Domain == "" {
		return inputErr("%s: Get-Cluster gives cluster %s no Domain; the snapshot must name the cluster's Active Directory domain", s.Source, pc.Name)
	}
	s.Domain = pc.Domain
	c := &Cluster{Name: pc.Name, Origin: "Get-Cluster", Edition: "datacenter"}
	s.Clusters = append(s.Clusters, c)
	if len(ps.Nodes) == 0 {
		return inputErr("%s: cluster %s (Get-Cluster) lists no nodes (Get-ClusterNode); take the snapshot on a node of the running cluster", s.Source, c.Name)
	}
	nodes := append([]psNode(nil), ps.Nodes...)
	sort.SliceStable(nodes, func(i, j int) bool { return nodes[i].ID.Num < nodes[j].ID.Num })
	versions := map[string]bool{}
	for _, pn := range nodes {
		origin := fmt.Sprintf("Get-ClusterNode %q", pn.Name)
		if err := core.ValidNetBIOS("node", pn.Name); err != nil {
			return inputErr("%s: %s: %v", s.Source, origin, err)
		}
		v, ok := versionOf(val(pn.MajorVersion, 0), val(pn.MinorVersion, 0), val(pn.BuildNumber, 0))
		if !ok {
			return inputErr("%s: %s runs Windows %d.%d (build %d); the import reads Windows Server 2008 R2 (6.1) to 2022 (10.0)", s.Source, origin, val(pn.MajorVersion, 0), val(pn.MinorVersion, 0), val(pn.BuildNumber, 0))
		}
		versions[v] = true
		if c.Version == "" || !core.VersionAtLeast(v, c.Version) {
			c.Version = v // the oldest node decides what the cluster does
		}
		n := &Node{Name: pn.Name, Origin: origin}
		switch pn.State {
		case "Up", "Joining":
			n.State = mscs.NodeUp
		case "Paused":
			n.State = mscs.NodePaused
		case "Down", "Unknown", "":
			n.State = mscs.NodeDown
		default:
			return inputErr("%s: %s has State %q; Get-ClusterNode gives Up, Down, Paused, Joining or Unknown", s.Source, origin, pn.State)
		}
		if pn.NodeWeight != nil {
			w := int(*pn.NodeWeight)
			n.Vote = &w
		}
		c.Nodes = append(c.Nodes, n)
	}
	if err := r.sites(c); err != nil {
		return err
	}
	if len(versions) > 1 {
		s.note(c.Name, "the nodes run different Windows versions (%s): the cluster is imported as %s, its oldest", strings.Join(core.SortedKeys(versions), ", "), c.Version)
	}
	if c.Version == "2008 R2" {
		c.Edition = "enterprise"
	}
	if err := r.adapters(c); err != nil {
		return err
	}
	r.properties(c, nodes)
	if err := r.groups(c); err != nil {
		return err
	}
	return r.quorum(c)
}

func val(p *int64, def int64) int64 {
	if p == nil {
		return def
	}
	return *p
}

// sites gives each node the site above it in the fault domain tree
// (Get-ClusterFaultDomain): a node's domain, its chassis and rack if any,
// then a Site. Racks and chassis have no counterpart and only lead there.
func (r *psReader) sites(c *Cluster) error {
	s := r.s
	byName := map[string]psFaultDomain{}
	for _, fd := range r.ps.FaultDomains {
		origin := fmt.Sprintf("Get-ClusterFaultDomain %q", fd.Name)
		if strings.TrimSpace(fd.Name) == "" {
			return inputErr("%s: a fault domain (Get-ClusterFaultDomain) has no name", s.Source)
		}
		switch fd.Type {
		case "Site", "Rack", "Chassis", "Node":
		default:
			return inputErr("%s: %s has Type %q; Get-ClusterFaultDomain gives Site, Rack, Chassis or Node", s.Source, origin, fd.Type)
		}
		k := fd.Type + "/" + core.Key(fd.Name)
		if _, dup := byName[k]; dup {
			return inputErr("%s: %s is listed twice", s.Source, origin)
		}
		byName[k] = fd
	}
	parent := func(fd psFaultDomain) (psFaultDomain, bool) {
		for _, t := range []string{"Site", "Rack", "Chassis"} {
			if p, ok := byName[t+"/"+core.Key(fd.ParentName)]; ok && fd.ParentName != "" {
				return p, true
			}
		}
		return psFaultDomain{}, false
	}
	for _, n := range c.Nodes {
		fd, ok := byName["Node/"+core.Key(n.Name)]
		for hops := 0; ok && fd.Type != "Site"; hops++ {
			if hops > len(byName) {
				return inputErr("%s: the fault domains above node %s (Get-ClusterFaultDomain) form a loop", s.Source, n.Name)
			}
			fd, ok = parent(fd)
		}
		if ok {
			n.Site = fd.Name
		}
	}
	return nil
}

// adapters gives each node one adapter per cluster network, named after
// the network (the simulation names cluster networks after adapters), with
// the node's address on it.
func (r *psReader) adapters(c *Cluster) error {
	s := r.s
	nets := map[string]psNetwork{}
	for _, n := range r.ps.Networks {
		nets[n.Name] = n
	}
	roles := map[string]string{"Cluster": "private", "ClusterAndClient": "mixed", "Client": "public", "None": "public",
		"1": "private", "3": "mixed", "2": "public", "0": "public"}
	for _, n := range r.ps.Networks {
		if _, ok := roles[n.Role]; !ok {
			return inputErr("%s: cluster network %q (Get-ClusterNetwork) has Role %q; it is None, Cluster, Client or ClusterAndClient", s.Source, n.Name, n.Role)
		}
		if n.Role == "None" || n.Role == "0" {
			s.note(c.Name, "cluster network %q is not used by the cluster (Role None); it is imported as a client network", n.Name)
		}
	}
	for _, i := range r.ps.Ifaces {
		node := c.node(i.Node)
		if node == nil {
			return inputErr("%s: network interface on %s (Get-ClusterNetworkInterface) names node %s, which the snapshot does not list among the nodes of cluster %s", s.Source, i.Network, i.Node, c.Name)
		}
		nw, ok := nets[i.Network]
		if !ok {
			return inputErr("%s: the interface of %s names cluster network %q, which Get-ClusterNetwork does not list", s.Source, i.Node, i.Network)
		}
		if a, err := netip.ParseAddr(i.Address); err != nil || !a.Is4() {
			s.note(node.Name, "interface of %s on %q has no IPv4 address (%q); it is left out", node.Name, i.Network, i.Address)
			continue
		}
		node.Adapters = append(node.Adapters, Adapter{Name: nw.Name, IP: i.Address, Mask: nw.AddressMask, Role: roles[nw.Role]})
	}
	for _, n := range c.Nodes {
		if len(n.Adapters) == 0 {
			return inputErr("%s: node %s has no IPv4 network interface in the snapshot (Get-ClusterNetworkInterface); a node needs one", s.Source, n.Name)
		}
		sort.Slice(n.Adapters, func(i, j int) bool { return n.Adapters[i].Name < n.Adapters[j].Name })
	}
	return nil
}

// properties reads the cluster common properties of SPEC §12.
func (r *psReader) properties(c *Cluster, nodes []psNode) {
	pc := r.ps.Cluster
	add := func(name string, v *int64) {
		if v != nil {
			c.Properties = append(c.Properties, mscs.PropertySetting{Name: name, Value: *v})
		}
	}
	add("SameSubnetDelay", pc.SameSubnetDelay)
	add("SameSubnetThreshold", pc.SameSubnetThreshold)
	add("CrossSubnetDelay", pc.CrossSubnetDelay)
	add("CrossSubnetThreshold", pc.CrossSubnetThreshold)
	add("DynamicQuorum", pc.DynamicQuorum)
	add("ClusterEnforcedAntiAffinity", pc.ClusterEnforcedAntiAffinity)
	if id := val(pc.LowerQuorumPriorityNodeID, 0); id != 0 {
		// Node IDs of a real cluster keep gaps where nodes were evicted;
		// the simulation numbers its nodes in join order, so pass the name.
		for _, n := range nodes {
			if n.ID.Num == id {
				c.Properties = append(c.Properties, mscs.PropertySetting{Name: "LowerQuorumPriorityNodeID", Value: n.Name})
			}
		}
	}
	add("QuarantineThreshold", pc.QuarantineThreshold)
	add("QuarantineDuration", pc.QuarantineDuration)
	if pc.PreferredSite != nil && *pc.PreferredSite != "" {
		c.Properties = append(c.Properties, mscs.PropertySetting{Name: "PreferredSite", Value: *pc.PreferredSite})
	}
}

var groupStates = map[string]string{
	"Online": mscs.Online, "Offline": mscs.Offline, "Failed": mscs.Failed, "PartialOnline": mscs.PartialOnline,
	"Pending": mscs.Online, "Unknown": mscs.Offline,
}

var resourceStates = map[string]string{
	"Online": mscs.Online, "OnlinePending": mscs.Online, "Offline": mscs.Offline, "OfflinePending": mscs.Offline,
	"Failed": mscs.Failed, "Inherited": mscs.Offline, "Initializing": mscs.Offline, "Pending": mscs.Online, "Unknown": mscs.Offline,
}

// priorityNamed is set_group_priority's name for a Priority value, or ""
// when it is none of them.
func priorityNamed(v int64) string {
	for _, name := range mscs.Priorities {
		if int64(mscs.PriorityValues[name]) == v {
			return name
		}
	}
	return ""
}

func (r *psReader) groups(c *Cluster) error {
	s := r.s
	for _, pg := range r.ps.Groups {
		origin := fmt.Sprintf("Get-ClusterGroup %q", pg.Name)
		if strings.TrimSpace(pg.Name) == "" {
			return inputErr("%s: a group (Get-ClusterGroup) has no name", s.Source)
		}
		state, ok := groupStates[pg.State]
		if !ok {
			return inputErr("%s: %s has State %q; Get-ClusterGroup gives Online, Offline, Failed, PartialOnline, Pending or Unknown", s.Source, origin, pg.State)
		}
		g := &Group{Name: pg.Name, Description: pg.Description, Owner: pg.OwnerNode, State: state, Origin: origin,
			Core:            pg.GroupType == "Cluster" || pg.IsCoreGroup != nil && *pg.IsCoreGroup,
			PreferredOwners: pg.PreferredOwners, AntiAffinity: pg.AntiAffinityClassNames}
		if err := r.failover(g, pg); err != nil {
			return err
		}
		if pg.Priority != nil {
			g.Priority = priorityNamed(*pg.Priority)
			if g.Priority == "" {
				s.note(g.Name, "Priority %d of group %q is none of 3000, 2000, 1000, 0; it is read as medium", *pg.Priority, g.Name)
				g.Priority = "medium"
			}
		}
		c.Groups = append(c.Groups, g)
	}
	return r.resources(c)
}

// failover reads FailoverThreshold, FailoverPeriod, AutoFailbackType and
// the failback window.
func (r *psReader) failover(g *Group, pg psGroup) error {
	s := r.s
	// Without FailoverThreshold, and for 4294967295 (the stored 2008+
	// default, read as nodes − 1 at each failure), the group keeps the
	// version's default.
	p := mscs.FailoverPolicy{DefaultThreshold: true, Period: mscs.DefaultFailoverPeriod, Failback: mscs.FailbackPrevent}
	given := false
	if pg.FailoverThreshold != nil {
		given = true
		if *pg.FailoverThreshold != mscs.FailoverThresholdNodesMinusOne {
			p.DefaultThreshold, p.Threshold = false, int(*pg.FailoverThreshold)
		}
	}
	if pg.FailoverPeriod != nil {
		given = true
		p.Period = int(*pg.FailoverPeriod)
	}
	if pg.AutoFailbackType.Set {
		given = true
		n, ok := pg.AutoFailbackType.number("Prevent", "Allow")
		if !ok || n > 1 {
			return inputErr("%s: group %q has AutoFailbackType %v; it is 0 (Prevent) or 1 (Allow)", s.Source, g.Name, pg.AutoFailbackType)
		}
		if n == 1 {
			p.Failback = mscs.FailbackImmediate
			start, end := hour(pg.FailbackWindowStart), hour(pg.FailbackWindowEnd)
			switch {
			case start >= 0 && end >= 0 && start != end:
				p.Failback, p.Window = mscs.FailbackWindow, []int{start, end}
			case start >= 0 || end >= 0:
				s.note(g.Name, "failback window %d–%d of group %q is not a window the simulation takes; failback is immediate", start, end, g.Name)
			}
		}
	}
	if given {
		g.Failover = &p
	}
	return nil
}

// hour reads FailbackWindowStart/End: -1 (written as 4294967295 by a
// UInt32) is none.
func hour(v *int64) int {
	if v == nil || *v < 0 || *v > 23 {
		return -1
	}
	return int(*v)
}

// typeParams maps the private properties (Get-ClusterParameter) of the
// types the simulation models to its parameter names.
var typeParams = map[string]map[string]string{
	mscs.TypeIPAddress:      {"Address": "address", "SubnetMask": "subnet_mask", "Network": "network"},
	mscs.TypeNetworkName:    {"Name": "name"},
	mscs.TypePhysicalDisk:   {},
	mscs.TypeDTC:            {},
	mscs.TypeGenericService: {"ServiceName": "service", "StartupParameters": "parameters"},
	mscs.TypeFileShare:      {"ShareName": "share", "Path": "path"},
}

// witnessTypes are the quorum witnesses that are resources on Windows but
// the quorum configuration in the simulation.
var witnessTypes = map[string]string{"File Share Witness": "SharePath", "Cloud Witness": "AccountName"}

func (r *psReader) resources(c *Cluster) error {
	s := r.s
	dropped, common, letters := counted{}, counted{}, counted{}
	letter := 'D'
	groups := make(map[string]*Group, len(c.Groups))
	for _, g := range c.Groups {
		if groups[g.Name] == nil { // the first of a name; check refuses a second
			groups[g.Name] = g
		}
	}
	for _, pr := range r.ps.Resources {
		origin := fmt.Sprintf("Get-ClusterResource %q", pr.Name)
		g := groups[pr.OwnerGroup]
		if g == nil {
			return inputErr("%s: %s belongs to group %q, which Get-ClusterGroup does not list", s.Source, origin, pr.OwnerGroup)
		}
		if p, ok := witnessTypes[pr.ResourceType]; ok {
			c.Quorum.Witness = pr.Parameters[p]
			continue
		}
		state, ok := resourceStates[pr.State]
		if !ok {
			return inputErr("%s: %s has State %q; Get-ClusterResource gives Online, Offline, Failed, OnlinePending, OfflinePending or Unknown", s.Source, origin, pr.State)
		}
		res := &Resource{Name: pr.Name, Type: pr.ResourceType, Description: pr.Description, State: state, Origin: origin, Params: map[string]string{}}
		if len(pr.PossibleOwners) != len(c.Nodes) {
			res.PossibleOwners = pr.PossibleOwners
		}
		deps, or := dependencyNames(pr.DependencyExpression)
		res.Dependencies = deps
		if or {
			s.note(pr.Name, "dependency expression %q of %q uses OR; imported as AND of all its resources (the simulation has AND only)", pr.DependencyExpression, pr.Name)
		}
		names, known := typeParams[pr.ResourceType]
		for _, k := range core.SortedKeys(pr.Parameters) {
			if p, ok := names[k]; ok {
				if v := pr.Parameters[k]; v != "" {
					res.Params[p] = v
				}
			} else if known && pr.Parameters[k] != "" {
				dropped.add(pr.ResourceType+"\x00"+k, pr.Name)
			}
		}
		if !known {
			standIn(res, pr.ResourceType)
			dropped.add("type\x00"+pr.ResourceType, pr.Name)
		}
		if res.Type == mscs.TypePhysicalDisk {
			if letter > 'Z' {
				return inputErr("%s: cluster %s has more Physical Disk resources than drive letters D: to Z:; the simulation gives each disk a letter", s.Source, c.Name)
			}
			l := string(letter) + ":"
			letter++
			servers := res.PossibleOwners
			if servers == nil {
				servers = c.nodeNames()
			}
			res.Disk = &Disk{Label: pr.Name, SizeGB: 100, Letter: l, Servers: servers}
			res.Params["disk"] = pr.Name
			letters.add("x", pr.Name+" "+l)
		}
		if err := r.restart(res, pr, common); err != nil {
			return err
		}
		g.Resources = append(g.Resources, res)
		if g.Core && res.Type == mscs.TypeIPAddress && c.IP == "" {
			c.IP, c.Mask = res.Params["address"], res.Params["subnet_mask"]
		}
	}
	dropped.flush(s, c.Name, func(k string, objs []string) string {
		typ, param, _ := strings.Cut(k, "\x00")
		if typ == "type" {
			return fmt.Sprintf("resource type %q is not simulated: %s imported as Generic Service with service %q", param, some(objs), param)
		}
		return fmt.Sprintf("parameter %s of %s resources (%s) dropped: the simulation does not model it", param, typ, some(objs))
	})
	common.flush(s, c.Name, func(k string, objs []string) string {
		return fmt.Sprintf("%s dropped: the simulation does not model it (%s)", k, some(objs))
	})
	letters.flush(s, c.Name, func(_ string, objs []string) string {
		return fmt.Sprintf("the snapshot holds no drive letters or sizes: the disks are lettered in order, 100 GB each (%s)", strings.Join(objs, ", "))
	})
	if c.IP == "" {
		return inputErr("%s: the core group of cluster %s holds no IP Address resource; the simulation needs the cluster's IPv4 address", s.Source, c.Name)
	}
	return nil
}

// dependencyNames reads the resource names of a dependency expression
// ("[A] and ([B] or [C])"), and whether it has an OR.
func dependencyNames(expr string) (names []string, or bool) {
	rest := expr
	for {
		i := strings.IndexByte(rest, '[')
		if i < 0 {
			break
		}
		or = or || strings.Contains(strings.ToLower(rest[:i]), " or ")
		j := strings.IndexByte(rest[i:], ']')
		if j < 0 {
			break
		}
		names = append(names, rest[i+1:i+j])
		rest = rest[i+j+1:]
	}
	return names, or || strings.Contains(strings.ToLower(rest), " or ")
}

// restart reads RestartAction, RestartThreshold, RestartPeriod and
// RetryPeriodOnFailure (milliseconds), and notes the common properties the
// simulation does not model when they differ from their defaults.
func (r *psReader) restart(res *Resource, pr psResource, common counted) error {
	if pr.RestartAction.Set || pr.RestartThreshold != nil || pr.RestartPeriod != nil || pr.RetryPeriodOnFailure != nil {
		p := mscs.RestartPolicy{Restart: true, AffectGroup: true, Threshold: int(val(pr.RestartThreshold, mscs.DefaultRestartThreshold)),
			Period: int(val(pr.RestartPeriod, mscs.DefaultRestartPeriod*1000) / 1000), RetryPeriod: int(val(pr.RetryPeriodOnFailure, 0) / 1000)}
		if pr.RestartAction.Set {
			n, ok := pr.RestartAction.number("DontRestart", "RestartNoNotify", "RestartNotify")
			if !ok || n > 2 {
				return inputErr("%s: resource %q has RestartAction %v; it is 0 (DontRestart), 1 (RestartNoNotify) or 2 (RestartNotify)", r.s.Source, res.Name, pr.RestartAction)
			}
			p.Restart, p.AffectGroup = n != 0, n == 2
		}
		if p.Period < 1 {
			p.Period = 1
		}
		if p.RetryPeriod < p.Period && p.RetryPeriod != 0 {
			p.RetryPeriod = p.Period
		}
		res.Restart = &p
	}
	if v := val(pr.PendingTimeout, 180000); v != 180000 {
		common.add(fmt.Sprintf("PendingTimeout %d ms", v), res.Name)
	}
	if v := val(pr.IsAlivePollInterval, 0xFFFFFFFF); v != 0xFFFFFFFF {
		common.add(fmt.Sprintf("IsAlivePollInterval %d ms", v), res.Name)
	}
	if v := val(pr.LooksAlivePollInterval, 0xFFFFFFFF); v != 0xFFFFFFFF {
		common.add(fmt.Sprintf("LooksAlivePollInterval %d ms", v), res.Name)
	}
	if pr.SeparateMonitor != nil && *pr.SeparateMonitor {
		common.add("SeparateMonitor", res.Name)
	}
	return nil
}

// quorum reads Get-ClusterQuorum into the quorum model and witness.
func (r *psReader) quorum(c *Cluster) error {
	q := r.ps.Quorum
	if q == nil {
		return nil
	}
	c.Quorum.Origin = "Get-ClusterQuorum"
	var witnessType string
	for _, pr := range r.ps.Resources {
		if pr.Name == q.QuorumResource {
			witnessType = pr.ResourceType
		}
	}
	switch q.QuorumType {
	case "NodeMajority":
		c.Quorum.Mode = mscs.QuorumNodeMajority
	case "NodeAndDiskMajority":
		c.Quorum.Mode = mscs.QuorumNodeAndDisk
	case "NodeAndFileShareMajority":
		c.Quorum.Mode = mscs.QuorumNodeAndShare
	case "DiskOnly":
		c.Quorum.Mode = mscs.QuorumDiskOnly
	case "Majority":
		// 2012 R2 and later name the witness by its resource.
		c.Quorum.Mode = map[string]string{"": mscs.QuorumNodeMajority, mscs.TypePhysicalDisk: mscs.QuorumNodeAndDisk,
			"File Share Witness": mscs.QuorumNodeAndShare, "Cloud Witness": mscs.QuorumCloudWitness}[witnessType]
		if c.Quorum.Mode == "" {
			return inputErr("%s: the quorum witness %q (Get-ClusterQuorum) is a %q resource; a witness is a Physical Disk, File Share Witness or Cloud Witness", r.s.Source, q.QuorumResource, witnessType)
		}
	default:
		return inputErr("%s: Get-ClusterQuorum gives QuorumType %q; the import reads NodeMajority, NodeAndDiskMajority, NodeAndFileShareMajority, DiskOnly and Majority", r.s.Source, q.QuorumType)
	}
	if witnessType == mscs.TypePhysicalDisk {
		c.Quorum.Witness = q.QuorumResource
	}
	return nil
}

// ---- NLB ----

func (r *psReader) nlb() error {
	s, pn := r.s, r.ps.NLB
	if pn.Cluster == nil {
		return inputErr("%s: the \"nlb\" section has no \"cluster\" (Get-NlbCluster)", s.Source)
	}
	version := "2022"
	if parts := strings.Split(r.ps.OSVersion, "."); len(parts) >= 3 {
		major, _ := strconv.ParseInt(parts[0], 10, 64)
		minor, _ := strconv.ParseInt(parts[1], 10, 64)
		build, _ := strconv.ParseInt(parts[2], 10, 64)
		if v, ok := versionOf(major, minor, build); ok {
			version = v
		}
	}
	mode := map[string]string{"UNICAST": "unicast", "MULTICAST": "multicast", "IGMPMULTICAST": "igmp"}[strings.ToUpper(pn.Cluster.Mode)]
	if mode == "" {
		return inputErr("%s: Get-NlbCluster gives Mode %q; it is Unicast, Multicast or IgmpMulticast", s.Source, pn.Cluster.Mode)
	}
	n := &NLBCluster{Name: pn.Cluster.Name, IP: pn.Cluster.IPAddress, Mask: pn.Cluster.SubnetMask, Mode: mode, Version: version, Origin: "Get-NlbCluster"}
	s.NLBs = append(s.NLBs, n)
	vips := map[string]bool{}
	for _, pr := range pn.PortRules {
		if ip := pr.VirtualIPAddress; ip != "" && ip != "255.255.255.255" && !strings.EqualFold(ip, "All") && ip != n.IP {
			vips[ip] = true
		}
	}
	extra := append([]string{n.IP}, core.SortedKeys(vips)...)
	initial := map[string]string{"STARTED": "started", "STOPPED": "stopped", "SUSPENDED": "suspended"}
	for _, pnode := range pn.Nodes {
		origin := fmt.Sprintf("Get-NlbClusterNode %q", pnode.Name)
		h := &NLBHost{Server: pnode.Name, Adapter: pnode.InterfaceName, Priority: int(val(pnode.HostPriority, 0)), Origin: origin, ExtraIPs: extra}
		h.InitialState = initial[strings.ToUpper(pnode.InitialHostState)]
		if h.InitialState == "" {
			return inputErr("%s: %s has InitialHostState %q; it is Started, Stopped or Suspended", s.Source, origin, pnode.InitialHostState)
		}
		switch st := strings.ToUpper(pnode.State); {
		case strings.HasPrefix(st, "CONVERG"), st == "DRAINING":
			h.State = "started"
		case st == "STOPPED":
			h.State = "stopped"
		case st == "SUSPENDED":
			h.State = "suspended"
		}
		for _, d := range pnode.DedicatedIPs {
			if a, err := netip.ParseAddr(d.IPAddress); err == nil && a.Is4() && h.DedicatedIP == "" {
				h.DedicatedIP, h.Mask = d.IPAddress, d.SubnetMask
			}
		}
		if h.DedicatedIP == "" {
			return inputErr("%s: %s has no IPv4 dedicated address (Get-NlbClusterNodeDip); the simulation needs one", s.Source, origin)
		}
		n.Hosts = append(n.Hosts, h)
	}
	return r.portRules(n)
}

// portRules joins the per-host rows of Get-NlbClusterNode |
// Get-NlbClusterPortRule into rules with their per-host settings.
func (r *psReader) portRules(n *NLBCluster) error {
	s := r.s
	byKey := map[string]*PortRule{}
	dropped := counted{}
	for _, pr := range r.ps.NLB.PortRules {
		vip := pr.VirtualIPAddress
		if vip == "" || vip == "255.255.255.255" || strings.EqualFold(vip, "All") {
			vip = "all"
		}
		proto, filt := strings.ToLower(pr.Protocol), strings.ToLower(pr.FilteringMode)
		aff := strings.ToLower(pr.Affinity)
		if aff == "" {
			aff = "single" // not shown for a single-host or disabled rule
		}
		key := fmt.Sprintf("%s %d %d %s", vip, val(pr.StartPort, 0), val(pr.EndPort, 0), proto)
		rule := byKey[key]
		if rule == nil {
			rule = &PortRule{ClusterIP: vip, Start: int(val(pr.StartPort, 0)), End: int(val(pr.EndPort, 0)), Protocol: proto, Filtering: filt, Affinity: aff,
				Origin: fmt.Sprintf("Get-NlbClusterPortRule %d-%d %s", val(pr.StartPort, 0), val(pr.EndPort, 0), pr.Protocol)}
			byKey[key] = rule
			n.Rules = append(n.Rules, rule)
		}
		host := pr.NodeName
		switch {
		case filt == "multiple" && pr.EqualLoad != nil && !*pr.EqualLoad && pr.LoadWeight != nil:
			if rule.LoadWeights == nil {
				rule.LoadWeights = map[string]int{}
			}
			rule.LoadWeights[host] = int(*pr.LoadWeight)
		case filt == "single" && pr.Priority != nil && host != "":
			if rule.HandlingPriorities == nil {
				rule.HandlingPriorities = map[string]int{}
			}
			rule.HandlingPriorities[host] = int(*pr.Priority)
		}
		if t := val(pr.Timeout, 0); t != 0 {
			dropped.add(fmt.Sprintf("Timeout %d", t), rule.Origin)
		}
		if st := strings.ToLower(pr.PortState); st != "" && st != "enabled" {
			dropped.add("PortState "+pr.PortState+" on "+host, rule.Origin)
		}
	}
	for _, rule := range n.Rules {
		if rule.LoadWeights != nil {
			// Hosts with equal load on a rule where others have weights
			// count as the default weight.
			for _, h := range n.Hosts {
				if _, ok := rule.LoadWeights[h.Server]; !ok {
					rule.LoadWeights[h.Server] = 50
				}
			}
		}
	}
	dropped.flush(s, n.Name, func(k string, objs []string) string {
		return fmt.Sprintf("port rule %s dropped: the simulation does not import it (%s)", k, strings.Join(objs, ", "))
	})
	return nil
}
