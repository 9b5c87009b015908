package lang

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"go.starlark.net/resolve"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// Exit codes of the command line.
const (
	ExitOK     = 0
	ExitFailed = 1 // the runbook failed, or a golden transcript differs
	ExitUsage  = 2 // bad usage or a static error
)

// IsStatic reports whether err is a static error: a syntax error, an
// undefined name, or a load() that cannot be resolved — in the main file
// or in any module it loads.
func IsStatic(err error) bool {
	var se syntax.Error
	var el resolve.ErrorList
	var le *LoadError
	var pse *syntax.Error
	var ste *StaticError
	return errors.As(err, &se) || errors.As(err, &pse) || errors.As(err, &el) || errors.As(err, &le) || errors.As(err, &ste)
}

// ExitCode maps a run's error to the command line's exit code.
func ExitCode(err error) int {
	var fe *FileError
	switch {
	case err == nil:
		return ExitOK
	case IsStatic(err), errors.Is(err, fs.ErrNotExist), errors.As(err, &fe): // a runbook that cannot be read is bad usage
		return ExitUsage
	default:
		return ExitFailed
	}
}

// innermost unwraps failed load()s down to the deepest EvalError.
func innermost(err error) *starlark.EvalError {
	var last *starlark.EvalError
	for err != nil {
		if e, ok := err.(*starlark.EvalError); ok {
			last = e
		}
		err = errors.Unwrap(err)
	}
	return last
}

// ErrorMessage is the error's message without position or backtrace, with
// the failing builtin's name in front ("add_node: ..."): what catch()
// returns.
func ErrorMessage(err error) string {
	e := innermost(err)
	if e == nil {
		return err.Error()
	}
	if n := len(e.CallStack); n > 0 {
		top := e.CallStack[n-1]
		if top.Pos.Filename() == "<builtin>" && !strings.HasPrefix(e.Msg, top.Name+": ") {
			return top.Name + ": " + e.Msg
		}
	}
	return e.Msg
}

// FormatError renders an error for an administrator: where it happened
// (file:line:col), which procedure and step were in progress, and the
// Starlark backtrace of the innermost failure.
func FormatError(err error, p Progress) string {
	var b strings.Builder
	var el resolve.ErrorList
	e := innermost(err)
	switch {
	case e == nil && errors.As(err, &el):
		for _, x := range el {
			fmt.Fprintf(&b, "%s: %s\n", x.Pos, x.Msg)
		}
		return b.String()
	case e == nil:
		return err.Error() + "\n"
	}
	// A static error inside a loaded module arrives wrapped in the load's
	// EvalError; show it as the static error it is.
	if IsStatic(err) {
		var ste *StaticError
		if errors.As(err, &ste) {
			return ste.Error() + "\n"
		}
		var le *LoadError
		if errors.As(err, &le) {
			fmt.Fprintf(&b, "%s: %s\n", position(e), le.Error())
			return b.String()
		}
		if errors.As(err, &el) {
			for _, x := range el {
				fmt.Fprintf(&b, "%s: %s\n", x.Pos, x.Msg)
			}
			return b.String()
		}
		var se syntax.Error
		if errors.As(err, &se) {
			fmt.Fprintf(&b, "%s: %s\n", se.Pos, se.Msg)
			return b.String()
		}
	}
	fmt.Fprintf(&b, "%s: %s\n", position(e), ErrorMessage(e))
	if p.Procedure != "" {
		fmt.Fprintf(&b, "  in procedure %q", p.Procedure)
		if p.Step > 0 {
			fmt.Fprintf(&b, ", step %d: %s", p.Step, p.StepText)
		}
		b.WriteString("\n")
	}
	b.WriteString(backtrace(err, e))
	b.WriteString("\n")
	return b.String()
}

// backtrace is the Starlark backtrace of the innermost failure, preceded by
// the frames of the load statements that led to it: a module runs on a
// thread of its own, so its stack starts afresh and would hide who loaded it.
func backtrace(err error, inner *starlark.EvalError) string {
	var outer starlark.CallStack
	for ; err != nil; err = errors.Unwrap(err) {
		if e, ok := err.(*starlark.EvalError); ok && e != inner && !isPrefix(e.CallStack, inner.CallStack) {
			outer = append(outer, e.CallStack...)
		}
	}
	if len(outer) == 0 {
		return inner.Backtrace()
	}
	full := &starlark.EvalError{Msg: inner.Msg, CallStack: append(outer, inner.CallStack...)}
	return full.Backtrace()
}

func isPrefix(a, b starlark.CallStack) bool {
	if len(a) > len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// position is the innermost Starlark (not builtin) frame of an error.
func position(e *starlark.EvalError) string {
	for i := len(e.CallStack) - 1; i >= 0; i-- {
		if pos := e.CallStack[i].Pos; pos.Filename() != "<builtin>" {
			return pos.String()
		}
	}
	return "<unknown>"
}
