package lang

import "strings"

// Colour on a terminal: the transcript's lines take their event's tone,
// and an error's first line is red. The command line decides whether to
// colour at all (a terminal, no NO_COLOR); here is only how.

// toneStart is the SGR sequence that starts each tone; Plain has none.
var toneStart = [...]string{
	Plain:   "",
	Failure: "\x1b[31m", // red
	Warning: "\x1b[33m", // yellow
	Notice:  "\x1b[36m", // cyan
}

const colourEnd = "\x1b[0m"

// appendToned appends a transcript line, newline included, in tone t; the
// colour ends before the newline, so a line never bleeds into the next.
func appendToned(b []byte, t Tone, line func([]byte) []byte) []byte {
	if t == Plain || int(t) >= len(toneStart) {
		return line(b)
	}
	b = line(append(b, toneStart[t]...))
	if n := len(b); n > 0 && b[n-1] == '\n' {
		return append(append(b[:n-1], colourEnd...), '\n')
	}
	return append(b, colourEnd...)
}

// PaintError colours the first line of a rendered error (FormatError's
// "file:line:col: message") red and bold; the rest (the procedure, the
// backtrace) stays plain.
func PaintError(msg string) string {
	first, rest, _ := strings.Cut(msg, "\n")
	if first == "" {
		return msg
	}
	out := "\x1b[1;31m" + first + colourEnd
	if rest != "" || strings.HasSuffix(msg, "\n") {
		out += "\n" + rest
	}
	return out
}
