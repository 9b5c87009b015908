package builtins

import (
	"clusterscript/lang"
	"clusterscript/runtime/sim"

	"go.starlark.net/starlark"
)

// FaultBuiltins are the builtins of faults injected into servers, adapters and disks.
var FaultBuiltins = []lang.Builtin{
	{Name: "fail_server", Params: "(server)", Topic: "faults", Fn: serverFault((*sim.World).FailServer),
		Summary: "crashes a server (power loss); its cluster notices after the heartbeat timeout"},
	{Name: "boot_server", Params: "(server)", Topic: "faults", Fn: serverFault((*sim.World).BootServer),
		Summary: "boots a server that is down; a cluster node's Cluster service starts and joins"},
	{Name: "lose_system_disk", Params: "(server)", Topic: "faults", Fn: serverFault((*sim.World).LoseSystemDisk),
		Summary: "destroys a server's system disk: it goes down and cannot boot until asr_restore"},
	{Name: "fail_adapter", Params: "(server, adapter)", Topic: "faults", Fn: adapterFault((*sim.World).FailAdapter),
		Summary: "fails a network adapter; heartbeats and client addresses on it are lost",
		Doc: "An NLB host whose cluster adapter fails loses its connections and receives nothing; the other hosts drop it " +
			"after 5 missed heartbeats and converge 3 s later, and it converges alone, as its own default host."},
	{Name: "repair_adapter", Params: "(server, adapter)", Topic: "faults", Fn: adapterFault((*sim.World).RepairAdapter),
		Summary: "repairs a failed adapter; a node or NLB host cut off by it rejoins"},
	{Name: "fail_disk", Params: "(disk)", Topic: "faults", Fn: diskFault((*sim.World).FailDisk),
		Summary: "fails a shared disk; its Physical Disk resource fails, and a failed quorum disk stops the cluster"},
	{Name: "repair_disk", Params: "(disk)", Topic: "faults", Fn: diskFault((*sim.World).RepairDisk),
		Summary: "repairs a failed shared disk"},
}

func serverFault(op func(w *sim.World, server string) error) lang.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		srv := serverArg()
		if err := starlark.UnpackArgs(b.Name(), args, kwargs, "server", srv); err != nil {
			return nil, err
		}
		return starlark.None, op(world(thread), srv.name)
	}
}

func adapterFault(op func(w *sim.World, server, adapter string) error) lang.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		srv := serverArg()
		var adapter string
		if err := starlark.UnpackArgs(b.Name(), args, kwargs, "server", srv, "adapter", &adapter); err != nil {
			return nil, err
		}
		return starlark.None, op(world(thread), srv.name, adapter)
	}
}

func diskFault(op func(w *sim.World, label string) error) lang.BuiltinFunc {
	return func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		d := diskArg()
		if err := starlark.UnpackArgs(b.Name(), args, kwargs, "disk", d); err != nil {
			return nil, err
		}
		return starlark.None, op(world(thread), d.name)
	}
}
