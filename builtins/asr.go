package builtins

import (
	"fmt"

	"clusterscript/lang"
	"clusterscript/runtime/core"

	"go.starlark.net/starlark"
)

var asrKind = newKind("AsrSet", "an Automated System Recovery backup set, from asr_backup()", attrs(
	"id", "the set's identifier",
	"server", "the server it was taken of",
	"destination", "where the backup was written",
	"time", "the virtual time it was taken",
	"cluster", "the server cluster the server was a node of then, or None",
	"disks", "the signatures of the disks it records, sorted"),
	asrAttr, func(o *Object) string { return fmt.Sprintf("<asr %s>", o.name) })

// ASRBuiltins are the builtins of ASR backups and restores.
var ASRBuiltins = []lang.Builtin{
	{Name: "asr_backup", Params: "(server, destination)", Topic: "asr", Fn: asrBackupFn,
		Summary: "takes an ASR backup: system state, boot and system volumes, disk signatures and cluster membership, as of now"},
	{Name: "asr_restore", Params: "(server, asr_set)", Topic: "asr", Fn: asrRestoreFn,
		Summary: "rebuilds a down server from its own ASR set and boots it; a cluster node rejoins",
		Doc:     "A warning names every group that would fail back onto the node: failback allowed and the node preferred to the group's owner. The documented procedure disables failback first."},
}

func asrAttr(o *Object, name string) (starlark.Value, error) {
	s, err := o.w.AsrSet(o.name)
	if err != nil {
		return nil, err
	}
	switch name {
	case "id":
		return str(s.ID), nil
	case "server":
		return str(s.Server), nil
	case "destination":
		return str(s.Destination), nil
	case "time":
		return str(core.FormatClock(s.Taken)), nil
	case "cluster":
		return strOrNone(s.Cluster), nil
	case "disks":
		return sortedStrList(s.Disks), nil
	}
	return nil, nil
}

func asrBackupFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	srv := serverArg()
	var dest string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "server", srv, "destination", &dest); err != nil {
		return nil, err
	}
	w := world(thread)
	set, err := w.AsrBackup(srv.name, dest)
	if err != nil {
		return nil, err
	}
	return &Object{kind: asrKind, name: set.ID, w: w}, nil
}

func asrRestoreFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	srv := serverArg()
	set := refTo("ASR set", asrKind)
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "server", srv, "asr_set", set); err != nil {
		return nil, err
	}
	return starlark.None, world(thread).AsrRestore(srv.name, set.name)
}
