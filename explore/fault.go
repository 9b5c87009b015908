package explore

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"clusterscript/runtime/mscs"
	"clusterscript/runtime/sim"
)

// A Kind is a kind of fault, as --faults names it.
type Kind string

// The kinds of fault, in the order the report shows them.
const (
	Server     Kind = "server"      // fail_server of a running cluster node or NLB host
	Adapter    Kind = "adapter"     // fail_adapter of one of their working adapters
	Disk       Kind = "disk"        // fail_disk of a shared disk a cluster holds
	Resource   Kind = "resource"    // fail_resource of an Online resource
	SystemDisk Kind = "system_disk" // lose_system_disk of a cluster node
)

// Kinds lists every kind of fault in the report's order.
var Kinds = []Kind{Server, Adapter, Disk, Resource, SystemDisk}

// ParseKinds reads a --faults list: kinds separated by commas.
func ParseKinds(list string) ([]Kind, error) {
	want := map[Kind]bool{}
	for _, k := range strings.Split(list, ",") {
		k = strings.TrimSpace(k)
		if !slices.Contains(Kinds, Kind(k)) {
			return nil, fmt.Errorf("--faults: %q is not a kind of fault; the kinds are %s", k, strings.Join(kindNames(Kinds), ", "))
		}
		want[Kind(k)] = true
	}
	var out []Kind
	for _, k := range Kinds {
		if want[k] {
			out = append(out, k)
		}
	}
	return out, nil
}

// kindNames are the kinds as --faults writes them.
func kindNames(ks []Kind) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}

// A Fault is one fault that can be injected at a point: its kind and the
// object it strikes.
type Fault struct {
	Kind    Kind
	Server  string // server, adapter and system_disk faults
	Adapter string // adapter faults
	Disk    string // disk faults
	Cluster string // resource faults
	Res     string // resource faults
}

// Call is the fault as the call that injects it, e.g. fail_server("NODE2").
func (f Fault) Call() string {
	q := strconv.Quote
	switch f.Kind {
	case Server:
		return "fail_server(" + q(f.Server) + ")"
	case Adapter:
		return "fail_adapter(" + q(f.Server) + ", " + q(f.Adapter) + ")"
	case Disk:
		return "fail_disk(" + q(f.Disk) + ")"
	case Resource:
		return "fail_resource(" + q(f.Cluster) + ", " + q(f.Res) + ")"
	}
	return "lose_system_disk(" + q(f.Server) + ")"
}

// inject strikes the world with the fault.
func (f Fault) inject(w *sim.World) error {
	switch f.Kind {
	case Server:
		return w.FailServer(f.Server)
	case Adapter:
		return w.FailAdapter(f.Server, f.Adapter)
	case Disk:
		return w.FailDisk(f.Disk)
	case Resource:
		return w.MSCS.FailResource(f.Cluster, f.Res)
	}
	return w.LoseSystemDisk(f.Server)
}

// faultsAt lists every fault that can strike the world as it is, kind by
// kind in the order of Kinds, each kind's objects by name: fail_server of
// every running server that is a cluster node or an NLB host, fail_adapter
// of each of their working adapters, fail_disk of every working shared
// disk a cluster holds, fail_resource of every Online resource, and
// lose_system_disk of every cluster node that still has its system disk.
func faultsAt(w *sim.World) []Fault {
	servers := serverNames(w)
	sort.Strings(servers)
	var out []Fault
	var members []string
	for _, name := range servers {
		if s := w.LookupServer(name); s.Running && w.Membership(name) != "" {
			members = append(members, name)
			out = append(out, Fault{Kind: Server, Server: name})
		}
	}
	for _, name := range members {
		for _, a := range w.LookupServer(name).Adapters {
			if !a.Failed {
				out = append(out, Fault{Kind: Adapter, Server: name, Adapter: a.Name})
			}
		}
	}
	var disks []string
	for _, d := range w.Disks {
		if !d.Failed && w.DiskHolder(d) != "" {
			disks = append(disks, d.Label)
		}
	}
	sort.Strings(disks)
	for _, d := range disks {
		out = append(out, Fault{Kind: Disk, Disk: d})
	}
	clusters := append(w.MSCS.Clusters[:0:0], w.MSCS.Clusters...)
	sort.Slice(clusters, func(i, j int) bool { return clusters[i].Name < clusters[j].Name })
	for _, c := range clusters {
		var online []string
		for _, g := range c.Groups {
			for _, r := range g.Resources {
				if r.State == mscs.Online {
					online = append(online, r.Name)
				}
			}
		}
		sort.Strings(online)
		for _, r := range online {
			out = append(out, Fault{Kind: Resource, Cluster: c.Name, Res: r})
		}
	}
	for _, name := range servers {
		if s := w.LookupServer(name); s.Cluster != "" && !s.NoSystemDisk {
			out = append(out, Fault{Kind: SystemDisk, Server: name})
		}
	}
	return out
}

func serverNames(w *sim.World) []string {
	out := make([]string, len(w.Servers))
	for i, s := range w.Servers {
		out[i] = s.Name
	}
	return out
}
