package main

import (
	"fmt"
	"io"

	"clusterscript/builtins"
	"clusterscript/lang"
	"clusterscript/runtime/sim"

	"github.com/spf13/pflag"
)

// rehearsalFlags are the flags of the commands that run a runbook for what
// it leaves behind rather than for its transcript (report, graph, export,
// explore): they take --state, --set and --max-steps as run does, and never
// write the state file.
type rehearsalFlags struct {
	state    *string
	sets     *[]string
	maxSteps *uint64
	// changeScript keeps what export's change script is written from: the
	// run's change log, which every other rehearsal discards as run does,
	// and a copy of the --state world as the run found it
	// (rehearsal.Initial).
	changeScript bool
}

func addRehearsalFlags(fs *pflag.FlagSet) rehearsalFlags {
	return rehearsalFlags{
		state:    fs.String("state", "", "start from the world in `F`, which must exist (read only: never written)"),
		sets:     fs.StringArray("set", nil, "supply a param() value as `name=value` (repeatable)"),
		maxSteps: fs.Uint64("max-steps", lang.DefaultMaxSteps, "stop runaway loops after `N` Starlark steps"),
	}
}

// A rehearsal is a finished run: its session (events, progress) and the
// world it left.
type rehearsal struct {
	Session *lang.Session
	World   *sim.World
	// Start is the number of events the --state file brought in: the run's
	// own events are Log()[Start:].
	Start int
	// Initial is the --state world before the run, when changeScript asked
	// for it (nil without --state).
	Initial *sim.World
}

// rehearse runs the runbook at path with the transcript written to out (it
// may be io.Discard). A usage problem (bad flags, an unreadable state file,
// a bad --set) is returned as err; the run's own failure as runErr, with the
// rehearsal still filled in so that what happened up to the failure can be
// shown.
func (f rehearsalFlags) rehearse(path string, out io.Writer) (r rehearsal, runErr, err error) {
	if *f.maxSteps == 0 {
		return r, nil, usageError("--max-steps must be at least 1")
	}
	w := builtins.Plugin.NewWorld()
	if *f.state != "" {
		if w, err = readStateFile(*f.state); err != nil {
			return r, nil, err
		}
		if f.changeScript {
			r.Initial = w.(*builtins.World).Sim().Clone()
		}
	}
	if !f.changeScript {
		builtins.DiscardChanges(w)
	}
	s, name, err := lang.Prepare(builtins.Plugin, path, lang.RunOptions{
		Out: out, MaxSteps: *f.maxSteps, Sets: *f.sets, World: w,
	})
	if err != nil {
		return r, nil, usageError(err.Error())
	}
	r.Session, r.World = s, builtins.SimOf(s)
	r.Start = len(r.World.Log())
	stop := interruptOn(s)
	_, runErr = s.ExecFile(name)
	stop()
	if runErr == nil {
		if werr := s.WriteErr(); werr != nil {
			return r, nil, werr
		}
	}
	return r, runErr, nil
}

// readStateFile reads the --state file of a command that only reads it
// (report, graph, export, explore): unlike run, which starts an empty
// world in a file that does not exist yet, a missing file here is a
// mistyped name, and rehearsing on an empty world would hide it.
func readStateFile(path string) (lang.World, error) {
	if err := readableFile(path); err != nil {
		return nil, usageError(fmt.Sprintf("%v; this command only reads a state file (make one with clusterscript run --state or clusterscript import)",
			&lang.FileError{What: "state file", Path: path, Err: err}))
	}
	return lang.ReadState(builtins.Plugin, path)
}

// A usageError is a problem with how the command was called (exit 2).
type usageError string

func (e usageError) Error() string { return string(e) }
