package builtins

import (
	"fmt"

	"clusterscript/lang"
	"clusterscript/runtime/core"
	"clusterscript/runtime/sim"

	"go.starlark.net/starlark"
)

var (
	domainKind = newKind("Domain", "an Active Directory domain, from domain() or get_domain()", attrs(
		"name", "the DNS name, e.g. \"corp.example.com\"",
		"netbios", "the NetBIOS name, e.g. \"CORP\"",
		"users", "the accounts, as \"DOMAIN\\\\name\", sorted",
		"groups", "the domain groups, sorted"),
		domainAttr, func(o *Object) string { return fmt.Sprintf("<domain %s>", o.name) })
	userKind = newKind("User", "a domain account, from create_user()", attrs(
		"name", "the account as \"DOMAIN\\\\name\"",
		"domain", "the DNS name of its domain",
		"groups", "the groups it is a member of, sorted"),
		userAttr, func(o *Object) string { return fmt.Sprintf("<user %s>", o.name) })
	serverKind = newKind("Server", "a Windows server, from install_server() or get_server()", attrs(
		"name", "the computer name",
		"edition", "\"standard\", \"enterprise\", \"datacenter\" or \"web\"",
		"version", "the Windows Server version, e.g. \"2003\"",
		"domain", "the DNS name of the domain it joined, or None",
		"adapters", "its network adapters, as Adapter values, in install order",
		"components", "the Windows components installed, sorted",
		"exchange", "\"standalone\" or \"cluster-aware\" once Exchange Setup ran, else None",
		"running", "False while it is crashed or powered off",
		"cluster", "the server cluster it is a node of, or None"),
		serverAttr, serverStr)
	diskKind = newKind("Disk", "a disk on the shared bus, from shared_disk() or get_disk()", attrs(
		"name", "the label (the same as label)",
		"label", "the label that identifies the disk",
		"size_gb", "the size in GB",
		"servers", "the servers whose bus it is on, sorted",
		"kind", "\"basic\" or \"dynamic\"",
		"fs", "\"raw\", \"NTFS\", \"FAT32\" or \"FAT\"",
		"letter", "the drive letter, e.g. \"Q:\", or None",
		"signature", "the disk signature the cluster's Physical Disk resources use",
		"failed", "True after fail_disk() until repair_disk()"),
		diskAttr, diskStr)

	// adapterType is the record adapterValue makes.
	adapterType = &lang.Type{Name: "Adapter", Summary: "a network adapter of a server, read from Server.adapters", Attrs: attrs(
		"name", "the adapter's name, e.g. \"Public\"",
		"ip", "its static address, or None before configure_tcpip()",
		"mask", "its subnet mask, or None",
		"gateway", "its default gateway, or None",
		"extra_ips", "further addresses bound on it (an NLB cluster IP)",
		"role", "\"private\", \"public\" or \"mixed\" (the cluster's use of its network), or None",
		"failed", "True after fail_adapter() until repair_adapter()")}
)

// WorldBuiltins are the builtins of the domain, servers, adapters and shared disks.
var WorldBuiltins = []lang.Builtin{
	{Name: "domain", Params: "(name, netbios=None)", Topic: "world", Fn: domainFn,
		Summary: "creates an Active Directory domain with Domain Admins, Domain Users, Exchange Admins and Administrator",
		Doc:     "name is the DNS name, e.g. \"corp.example.com\"; the NetBIOS name defaults to the first label upper-cased."},
	{Name: "create_user", Params: `(domain, name, password="", groups=[])`, Topic: "world", Fn: createUserFn,
		Summary: `creates a domain account ("DOMAIN\\name"), a member of Domain Users and of groups`},
	{Name: "add_to_group", Params: "(user, group)", Topic: "world", Fn: addToGroupFn,
		Summary: "adds an account to a domain group"},
	{Name: "install_server", Params: `(name, edition="enterprise", version="2003", adapters=["Public", "Private"])`, Topic: "world", Fn: installServerFn,
		Enums:   map[string]*lang.Enum{"edition": oneOf("edition", core.Editions...), "version": oneOf("version", core.Versions...)},
		Summary: "installs Windows Server on a new machine with the named network adapters",
		Doc:     "Editions: standard, enterprise, datacenter, web (clustering needs enterprise or datacenter). Versions: 2003 (8 cluster nodes), 2008 and 2008 R2 (16), 2012, 2012 R2, 2016, 2019, 2022 (64); a cluster behaves as its version does (doc versions)."},
	{Name: "configure_tcpip", Params: "(server, adapter, ip, mask, gateway=None, extra_ips=[], role=None)", Topic: "world", Fn: configureTCPIPFn,
		Enums:   map[string]*lang.Enum{"role": oneOf("adapter role", core.Roles...)},
		Summary: "gives an adapter a static address; role private, public or mixed",
		Doc:     "The default role is private for an adapter named Private, else mixed. Addresses are unique in the world, except that extra addresses (an NLB cluster IP) may be bound on several adapters."},
	{Name: "join_domain", Params: "(server, domain)", Topic: "world", Fn: joinDomainFn,
		Summary: "joins a server to a domain"},
	{Name: "shared_disk", Params: `(label, size_gb, servers, kind="basic", fs="raw", letter=None)`, Topic: "world", Fn: sharedDiskFn,
		Enums:   map[string]*lang.Enum{"kind": oneOf("disk kind", core.DiskKinds...), "fs": oneOfFold("file system", core.FileSystems...)},
		Summary: "adds a disk on a shared bus visible to servers",
		Doc:     "Cluster disks must be basic, NTFS and lettered."},
	{Name: "format_disk", Params: `(disk, letter, fs="NTFS")`, Topic: "world", Fn: formatDiskFn,
		Enums:   map[string]*lang.Enum{"fs": oneOfFold("file system", core.FormattedFileSystems...)},
		Summary: `formats a shared disk and gives it a drive letter ("Q:" or "Q")`},
	{Name: "convert_to_basic", Params: "(disk)", Topic: "world", Fn: convertToBasicFn,
		Summary: "converts an empty dynamic disk to a basic disk"},
	{Name: "install_component", Params: "(server, name)", Topic: "world", Fn: installComponentFn,
		Enums:   map[string]*lang.Enum{"name": oneOfFold("Windows component", core.Components...)},
		Summary: `installs a Windows component: "IIS", "WWW", "SMTP", "NNTP", "ASP.NET", ".NET Framework"`,
		Doc:     "As in the Windows Components Wizard, a component brings the components it needs (WWW brings IIS)."},
	{Name: "get_domain", Params: "(name)", Topic: "world", Fn: getDomainFn,
		Summary: "looks up a domain by DNS or NetBIOS name"},
	{Name: "get_server", Params: "(name)", Topic: "world", Fn: getServerFn,
		Summary: "looks up a server by name"},
	{Name: "get_disk", Params: "(label)", Topic: "world", Fn: getDiskFn,
		Summary: "looks up a shared disk by label"},
}

func domainValue(w *sim.World, d *core.Domain) *Object {
	return &Object{kind: domainKind, name: d.Name, w: w}
}
func serverValue(w *sim.World, s *core.Server) *Object {
	return &Object{kind: serverKind, name: s.Name, w: w}
}
func diskValue(w *sim.World, d *core.Disk) *Object {
	return &Object{kind: diskKind, name: d.Label, w: w}
}

func domainAttr(o *Object, name string) (starlark.Value, error) {
	d, err := o.w.Domain(o.name)
	if err != nil {
		return nil, err
	}
	switch name {
	case "name":
		return str(d.Name), nil
	case "netbios":
		return str(d.NetBIOS), nil
	case "users":
		names := make([]string, len(d.Users))
		for i, u := range d.Users {
			names[i] = u.QualifiedName()
		}
		return sortedStrList(names), nil
	case "groups":
		return sortedStrList(d.Groups()), nil
	}
	return nil, nil
}

func userAttr(o *Object, name string) (starlark.Value, error) {
	u, err := o.w.User(o.name)
	if err != nil {
		return nil, err
	}
	switch name {
	case "name":
		return str(u.QualifiedName()), nil
	case "domain":
		return str(u.Domain), nil
	case "groups":
		return sortedStrList(u.Groups), nil
	}
	return nil, nil
}

func serverStr(o *Object) string {
	s, err := o.w.Server(o.name)
	if err != nil {
		return fmt.Sprintf("<server %s (gone)>", o.name)
	}
	state := "running"
	if !s.Running {
		state = "down"
	}
	return fmt.Sprintf("<server %s %s %s %s>", s.Name, s.Edition, s.Version, state)
}

func adapterValue(a *core.Adapter) *record {
	repr := fmt.Sprintf("<adapter %s unconfigured>", a.Name)
	if a.Configured() {
		repr = fmt.Sprintf("<adapter %s %s/%d %s>", a.Name, a.IP, a.Prefix().Bits(), a.Role)
	}
	return newRecord(adapterType, repr,
		str(a.Name), strOrNone(a.IP), strOrNone(a.Mask), strOrNone(a.Gateway),
		strList(a.ExtraIPs), strOrNone(a.Role), starlark.Bool(a.Failed))
}

func serverAttr(o *Object, name string) (starlark.Value, error) {
	s, err := o.w.Server(o.name)
	if err != nil {
		return nil, err
	}
	switch name {
	case "name":
		return str(s.Name), nil
	case "edition":
		return str(s.Edition), nil
	case "version":
		return str(s.Version), nil
	case "domain":
		return strOrNone(s.Domain), nil
	case "adapters":
		vs := make([]starlark.Value, len(s.Adapters))
		for i, a := range s.Adapters {
			vs[i] = adapterValue(a)
		}
		return starlark.NewList(vs), nil
	case "components":
		return sortedStrList(s.Components), nil
	case "exchange":
		return strOrNone(s.Exchange), nil
	case "running":
		return starlark.Bool(s.Running), nil
	case "cluster":
		return strOrNone(s.Cluster), nil
	}
	return nil, nil
}

func diskStr(o *Object) string {
	d, err := o.w.Disk(o.name)
	if err != nil {
		return fmt.Sprintf("<disk %s (gone)>", o.name)
	}
	letter := d.Letter
	if letter == "" {
		letter = "no letter"
	}
	return fmt.Sprintf("<disk %s %s %s %s>", d.Label, letter, d.Kind, d.FS)
}

func diskAttr(o *Object, name string) (starlark.Value, error) {
	d, err := o.w.Disk(o.name)
	if err != nil {
		return nil, err
	}
	switch name {
	case "name", "label":
		return str(d.Label), nil
	case "size_gb":
		return starlark.Float(d.SizeGB), nil
	case "servers":
		return sortedStrList(d.Servers), nil
	case "kind":
		return str(d.Kind), nil
	case "fs":
		return str(d.FS), nil
	case "letter":
		return strOrNone(d.Letter), nil
	case "signature":
		return str(d.Signature), nil
	case "failed":
		return starlark.Bool(d.Failed), nil
	}
	return nil, nil
}

// Argument kinds shared by several files.
// serverKinds are the handles accepted where a server is expected; the
// cluster adapters add Node.
var serverKinds = []*objectKind{serverKind, nodeKind}

func serverArg() *ref { return refTo("server", serverKinds...) }
func diskArg() *ref   { return refTo("disk", diskKind) }
func domainArg() *ref { return refTo("domain", domainKind) }

func domainFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var netbios optString
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "name", &name, "netbios?", &netbios); err != nil {
		return nil, err
	}
	w := world(thread)
	d, err := w.CreateDomain(name, netbios.s)
	if err != nil {
		return nil, err
	}
	return domainValue(w, d), nil
}

func createUserFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	dom := domainArg()
	var name, password string
	var groups stringList
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "domain", dom, "name", &name, "password?", &password, "groups?", &groups); err != nil {
		return nil, err
	}
	w := world(thread)
	u, err := w.CreateUser(dom.name, name, password, groups)
	if err != nil {
		return nil, err
	}
	return &Object{kind: userKind, name: u.QualifiedName(), w: w}, nil
}

func addToGroupFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var user account
	var group string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "user", &user, "group", &group); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).AddToGroup(user.name, group)
}

func installServerFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	edition, version := "enterprise", "2003"
	adapters := stringList{"Public", "Private"}
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "name", &name, "edition?", &edition, "version?", &version, "adapters?", &adapters); err != nil {
		return nil, err
	}
	w := world(thread)
	s, err := w.InstallServer(name, edition, version, adapters)
	if err != nil {
		return nil, err
	}
	return serverValue(w, s), nil
}

func configureTCPIPFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	srv := serverArg()
	var adapter, ip, mask string
	var gateway, role optString
	var extra stringList
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "server", srv, "adapter", &adapter, "ip", &ip, "mask", &mask,
		"gateway?", &gateway, "extra_ips?", &extra, "role?", &role); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).ConfigureTCPIP(srv.name, adapter, core.TCPIPSpec{IP: ip, Mask: mask, Gateway: gateway.s, ExtraIPs: extra, Role: role.s})
}

func joinDomainFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	srv, dom := serverArg(), domainArg()
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "server", srv, "domain", dom); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).JoinDomain(srv.name, dom.name)
}

func sharedDiskFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var label string
	var size number
	servers := refsTo("server", serverKinds...)
	kind, fs := "basic", "raw"
	var letter optString
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "label", &label, "size_gb", &size, "servers", servers,
		"kind?", &kind, "fs?", &fs, "letter?", &letter); err != nil {
		return nil, err
	}
	w := world(thread)
	d, err := w.CreateSharedDisk(core.DiskSpec{Label: label, SizeGB: float64(size), Servers: servers.names, Kind: kind, FS: fs, Letter: letter.s})
	if err != nil {
		return nil, err
	}
	return diskValue(w, d), nil
}

func formatDiskFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	d := diskArg()
	var letter string
	fs := "NTFS"
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "disk", d, "letter", &letter, "fs?", &fs); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).FormatDisk(d.name, letter, fs)
}

func convertToBasicFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	d := diskArg()
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "disk", d); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).ConvertToBasic(d.name)
}

func installComponentFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	srv := serverArg()
	var name string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "server", srv, "name", &name); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).InstallComponent(srv.name, name)
}

func getDomainFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "name", &name); err != nil {
		return nil, err
	}
	w := world(thread)
	d, err := w.Domain(name)
	if err != nil {
		return nil, err
	}
	return domainValue(w, d), nil
}

func getServerFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "name", &name); err != nil {
		return nil, err
	}
	w := world(thread)
	s, err := w.Server(name)
	if err != nil {
		return nil, err
	}
	return serverValue(w, s), nil
}

func getDiskFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var label string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "label", &label); err != nil {
		return nil, err
	}
	w := world(thread)
	d, err := w.Disk(label)
	if err != nil {
		return nil, err
	}
	return diskValue(w, d), nil
}
