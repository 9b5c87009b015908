package lang

import (
	"bytes"
	"fmt"

	"go.starlark.net/syntax"
)

// MaxNesting bounds how deeply expressions and statements of a runbook
// nest. go.starlark.net's resolver and compiler recurse once per level, so
// a chain such as 1+1+…+1 of two million terms overflowed the Go stack
// and crashed; past this depth the file is refused as a static error.
// Hand-written runbooks nest a few dozen levels at most.
const MaxNesting = 1000

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// cleanSource prepares the bytes of a runbook or module, shown as display:
// a leading UTF-8 byte-order mark (as Notepad writes) is dropped, and a
// NUL byte, after which the scanner would silently see nothing, is a
// static error naming its line.
func cleanSource(display string, src []byte) ([]byte, error) {
	src = bytes.TrimPrefix(src, utf8BOM)
	if i := bytes.IndexByte(src, 0); i >= 0 {
		line := 1 + bytes.Count(src[:i], []byte("\n"))
		col := 1 + i - (bytes.LastIndexByte(src[:i], '\n') + 1)
		return nil, &StaticError{Pos: syntax.MakePosition(&display, int32(line), int32(col)),
			Msg: "the file holds a NUL byte; a runbook is UTF-8 text (was it saved as UTF-16 or is it a binary file?)"}
	}
	return src, nil
}

// checkNesting refuses a file whose syntax tree is deeper than MaxNesting,
// naming the position where it passes the limit. It walks no deeper than
// the limit itself.
func checkNesting(f *syntax.File) error {
	depth := 0
	var bad syntax.Node
	syntax.Walk(f, func(n syntax.Node) bool {
		if n == nil {
			depth--
			return true
		}
		if depth >= MaxNesting {
			if bad == nil {
				bad = n
			}
			return false // f(nil) does not follow a refused node
		}
		depth++
		return true
	})
	if bad == nil {
		return nil
	}
	pos, _ := bad.Span()
	return &StaticError{Pos: pos, Msg: fmt.Sprintf("expressions nest more than %d levels deep here (a very long chain such as 1+1+…+1?); split it into several statements", MaxNesting)}
}

// parseSource cleans and parses a runbook or module in the dialect and
// checks its nesting.
func parseSource(display string, src []byte) (*syntax.File, error) {
	src, err := cleanSource(display, src)
	if err != nil {
		return nil, err
	}
	f, err := FileOptions.Parse(display, src, 0)
	if err != nil {
		return nil, err
	}
	if err := checkNesting(f); err != nil {
		return nil, err
	}
	return f, nil
}
