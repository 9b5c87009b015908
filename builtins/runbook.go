package builtins

import (
	"fmt"
	"strconv"
	"strings"

	"clusterscript/lang"
	"clusterscript/runtime/core"

	"go.starlark.net/starlark"
)

// RunbookBuiltins are the builtins of runbook structure, the clock and the event log.
var RunbookBuiltins = []lang.Builtin{
	{Name: "runbook", Params: "(title)", Topic: "runbook", Fn: runbookFn,
		Summary: "names the runbook; the title heads the transcript",
		Doc:     "Call it once, first. The title is the first line of the transcript."},
	{Name: "procedure", Params: "(title)", Topic: "runbook", Fn: procedureFn,
		Summary: "starts a documented procedure and resets step numbering",
		Doc:     "Errors report the procedure and step in progress, so a failure points at the documented step."},
	{Name: "step", Params: "(n, text)", Topic: "runbook", Fn: stepFn,
		Summary: "marks step n of the current procedure (n = previous step + 1)",
		Doc:     "Steps are numbered as the document numbers them, from 1. A GUI-only step is a step with no builtin call after it."},
	{Name: "note", Params: "(text)", Topic: "runbook", Fn: noteFn,
		Summary: "writes a line to the transcript"},
	{Name: "check", Params: `(cond, msg="")`, Topic: "runbook", Fn: checkFn,
		Summary: "fails the run when cond is false",
		Doc:     "A passing check with a message writes an `ok` line to the transcript."},
	{Name: "check_eq", Params: `(got, want, msg="")`, Topic: "runbook", Fn: checkEqFn,
		Summary: "fails the run, showing got and want, when got != want"},
	{Name: "catch", Params: "(fn, *args, **kwargs)", Topic: "runbook", Fn: catchFn,
		Summary: "calls fn as a transaction: None on success, else the error message with every change rolled back",
		Doc:     "Use it to show that the engine refuses something: check(catch(add_node, c, \"WEB1\") != None). The events of a failed call never reach the transcript."},
	{Name: "quietly", Params: "(fn, *args, **kwargs)", Topic: "runbook", Fn: quietlyFn,
		Summary: "calls fn and returns its result; the transcript shows one line counting fn's events by kind instead of each",
		Doc: "For the setup of a drill, so that its transcript shows the drill: lab = quietly(build_lab, nodes = 4) writes\n" +
			"    2004-01-05 08:00:00.000 quietly   22 events: 22 world\n" +
			"stamped with the time fn returned, the kinds in the order they first occur. Only the text transcript folds: events(), " +
			"--json, the REPL's :events and the state file still see every event. A quietly() inside another folds into the outer one's line. " +
			"When fn fails, its error propagates as usual and the events fn produced before the failing call (which adds none) are still counted; " +
			"inside catch(), a call that is rolled back leaves no line."},
	{Name: "param", Params: "(name, default)", Topic: "runbook", Fn: paramFn,
		Summary: "the value given with --set name=value, else default"},
	{Name: "now", Params: "()", Topic: "runbook", Fn: nowFn,
		Summary: `the virtual time, "YYYY-MM-DD HH:MM:SS"`},
	{Name: "advance", Params: "(seconds=0, minutes=0, hours=0, days=0)", Topic: "runbook", Fn: advanceFn,
		Summary: "moves the virtual clock forward, firing due timers in order"},
	{Name: "advance_to", Params: `(time)`, Topic: "runbook", Fn: advanceToFn,
		Summary: `moves the clock to the next time the day reads "HH:MM"`,
		Doc:     "When the clock already reads exactly HH:MM:00.000 it does not move."},
	{Name: "settle", Params: "()", Topic: "runbook", Fn: settleFn,
		Summary: "advances until no detection, convergence, restart or join work is pending; returns the seconds waited",
		Doc:     "It does not wait for failback windows or failover-period expiry."},
	{Name: "events", Params: "(subject=None)", Topic: "runbook", Fn: eventsFn,
		Summary: "the event log so far (optionally of one subject), as values with time, kind, subject, state and text"},
}

func runbookFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var title string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "title", &title); err != nil {
		return nil, err
	}
	return starlark.None, lang.SessionOf(thread).NameRunbook(title)
}

func procedureFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var title string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "title", &title); err != nil {
		return nil, err
	}
	return starlark.None, lang.SessionOf(thread).StartProcedure(title)
}

func stepFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var n int
	var text string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "n", &n, "text", &text); err != nil {
		return nil, err
	}
	return starlark.None, lang.SessionOf(thread).Step(n, text)
}

func textOf(v starlark.Value) string {
	if s, ok := v.(starlark.String); ok {
		return string(s)
	}
	return v.String()
}

func noteFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "text", &v); err != nil {
		return nil, err
	}
	world(thread).Record(core.KindNote, "", textOf(v))
	return starlark.None, nil
}

func checkFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var cond starlark.Value
	var msg string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "cond", &cond, "msg?", &msg); err != nil {
		return nil, err
	}
	if !cond.Truth() {
		if msg == "" {
			return nil, fmt.Errorf("failed: the condition is %s", cond)
		}
		return nil, fmt.Errorf("failed: %s", msg)
	}
	if msg != "" {
		world(thread).Record(core.KindCheck, "", "ok: "+msg)
	}
	return starlark.None, nil
}

func checkEqFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var got, want starlark.Value
	var msg string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "got", &got, "want", &want, "msg?", &msg); err != nil {
		return nil, err
	}
	eq, err := starlark.Equal(got, want)
	if err != nil {
		return nil, err
	}
	if !eq {
		if msg != "" {
			return nil, fmt.Errorf("failed: %s: got %s, want %s", msg, got, want)
		}
		return nil, fmt.Errorf("failed: got %s, want %s", got, want)
	}
	if msg != "" {
		world(thread).Record(core.KindCheck, "", "ok: "+msg)
	}
	return starlark.None, nil
}

func catchFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	fn, err := fnArg(b, args)
	if err != nil {
		return nil, err
	}
	s := lang.SessionOf(thread)
	err = s.Transaction(func() error {
		_, err := starlark.Call(thread, fn, args[1:], kwargs)
		return err
	})
	if err != nil {
		if s.Stopped() { // Ctrl-C or the step budget: not the call's failure to report
			return nil, err
		}
		return starlark.String(lang.ErrorMessage(err)), nil
	}
	return starlark.None, nil
}

func quietlyFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	fn, err := fnArg(b, args)
	if err != nil {
		return nil, err
	}
	var v starlark.Value
	err = lang.SessionOf(thread).Quietly(func() error {
		var err error
		v, err = starlark.Call(thread, fn, args[1:], kwargs)
		return err
	})
	return v, err
}

// fnArg is the function catch() and quietly() call: their first argument.
func fnArg(b *starlark.Builtin, args starlark.Tuple) (starlark.Callable, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("%s: missing argument for fn", b.Name())
	}
	fn, ok := args[0].(starlark.Callable)
	if !ok {
		return nil, fmt.Errorf("%s: for parameter fn: got %s, want callable", b.Name(), args[0].Type())
	}
	return fn, nil
}

func paramFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var def starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "name", &name, "default", &def); err != nil {
		return nil, err
	}
	if v, ok := lang.SessionOf(thread).Param(name); ok {
		return v, nil
	}
	return def, nil
}

func nowFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackArgs(b.Name(), args, kwargs); err != nil {
		return nil, err
	}
	return starlark.String(core.FormatClock(world(thread).Now())), nil
}

func advanceFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var sec, min, hrs, days number
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "seconds?", &sec, "minutes?", &min, "hours?", &hrs, "days?", &days); err != nil {
		return nil, err
	}
	for _, x := range []struct {
		n    number
		unit string
	}{{sec, "seconds"}, {min, "minutes"}, {hrs, "hours"}, {days, "days"}} {
		if x.n < 0 {
			return nil, fmt.Errorf("%s=%g is negative; the virtual clock only goes forward", x.unit, float64(x.n))
		}
	}
	total := float64(sec)*1000 + float64(min)*60e3 + float64(hrs)*3600e3 + float64(days)*86400e3
	if total > 100*365*86400e3 {
		return nil, fmt.Errorf("advancing by more than a century is surely a mistake")
	}
	return moveClock(thread, int64(total+0.5))
}

func moveClock(thread *starlark.Thread, d int64) (starlark.Value, error) {
	w := world(thread)
	if err := w.AdvanceWith(d, lang.SessionOf(thread).Poll); err != nil {
		return nil, err
	}
	w.Record(core.KindClock, "", fmt.Sprintf("advanced %s to %s", core.FormatDuration(d), core.FormatClock(w.Now())))
	return starlark.None, nil
}

func advanceToFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var t string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "time", &t); err != nil {
		return nil, err
	}
	hh, mm, ok := parseHHMM(t)
	if !ok {
		return nil, fmt.Errorf("%q is not a time of day; write \"HH:MM\" with HH 00–23 and MM 00–59, e.g. \"02:00\"", t)
	}
	d, err := world(thread).UntilTimeOfDay(hh, mm)
	if err != nil {
		return nil, err
	}
	return moveClock(thread, d)
}

func parseHHMM(t string) (int, int, bool) {
	h, m, ok := strings.Cut(t, ":")
	if !ok || len(h) != 2 || len(m) != 2 {
		return 0, 0, false
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, 0, false
	}
	return hh, mm, true
}

func settleFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackArgs(b.Name(), args, kwargs); err != nil {
		return nil, err
	}
	w := world(thread)
	d, err := w.SettleWith(lang.SessionOf(thread).Poll)
	if err != nil {
		return nil, err
	}
	w.Record(core.KindClock, "", fmt.Sprintf("settled after %s at %s", core.FormatDuration(d), core.FormatClock(w.Now())))
	return starlark.Float(float64(d) / 1000), nil
}

func eventsFn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var subject optString
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "subject?", &subject); err != nil {
		return nil, err
	}
	var out []starlark.Value
	for _, e := range world(thread).Log() {
		if subject.set && !strings.EqualFold(e.Subject, subject.s) {
			continue
		}
		out = append(out, eventValue(e))
	}
	return starlark.NewList(out), nil
}

// eventType is the record eventValue makes.
var eventType = &lang.Type{Name: "Event", Summary: "one event of the log, from events()", Attrs: attrs(
	"time", "its virtual time, \"2004-01-05 08:00:00.000\"",
	"kind", "\"world\", \"state\", \"failover\", \"check\", … (the transcript's second column)",
	"subject", "the name of the object it is about, or None",
	"state", "for a state event, the subject's new state, else None",
	"text", "what the transcript line says",
	"seq", "its number in the log, from 1")}

func eventValue(e core.Event) *record {
	return newRecord(eventType, e.String(),
		str(e.Time()), str(e.Kind), strOrNone(e.Subject), strOrNone(e.State), str(e.Text), starlark.MakeInt(e.Seq))
}
