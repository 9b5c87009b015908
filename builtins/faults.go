package builtins

import (
	"clusterscript/lang"

	"go.starlark.net/starlark"
)

func init() {
	register([]lang.Builtin{
		{Name: "fail_server", Params: "(server)", Topic: "faults", Fn: failServerFn,
			Summary: "crashes a running server (power loss); its peers notice when its heartbeats stop",
			Doc:     "An NLB host's peers drop it after 5 missed heartbeats and converge 3 s later; its connections are lost at once."},
		{Name: "boot_server", Params: "(server)", Topic: "faults", Fn: bootServerFn,
			Summary: "boots a server that is down; an NLB host comes back in its initial state",
			Doc:     "A server that lost its system disk cannot boot until it is restored with ASR."},
	})
}

func failServerFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	srv := serverArg()
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "server", srv); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).FailServer(srv.name)
}

func bootServerFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	srv := serverArg()
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "server", srv); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).BootServer(srv.name)
}
