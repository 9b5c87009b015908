// Package udiff writes the difference between two texts as a unified diff
// of whole lines, the form `diff -u` and `git diff` print:
//
//	--- want
//	+++ got
//	@@ -3,4 +3,4 @@
//	 a line both have
//	-a line only want has
//	+a line only got has
//
// Lines are matched by Myers' O(ND) algorithm (the shortest edit script),
// after the common head and tail are set aside.
package udiff

import (
	"fmt"
	"strings"
)

// Context is how many unchanged lines surround each change.
const Context = 3

// maxEdits bounds the search for a shortest edit script: two texts further
// apart than this are shown as the middle of one replaced by the middle of
// the other, which is still a correct diff, only a longer one.
const maxEdits = 2000

// Unified returns the unified diff that turns a (named aName) into b (named
// bName), or "" when the texts are equal.
func Unified(aName, bName, a, b string) string {
	if a == b {
		return ""
	}
	x, y := splitLines(a), splitLines(b)
	ops := diffLines(x, y)
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", aName, bName)
	for _, h := range hunks(ops) {
		writeHunk(&out, h, x, y)
	}
	return out.String()
}

// splitLines cuts a text into lines, each keeping its newline; the last
// line lacks one when the text does not end in a newline.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// An op is one line of the edit script: kept (' '), deleted from a ('-')
// or inserted from b ('+'), with its index in a and in b (the index it
// would have, for the side that lacks it).
type op struct {
	kind byte
	a, b int
}

// diffLines returns the edit script turning x into y, in order.
func diffLines(x, y []string) []op {
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	var ops []op
	for i := 0; i < pre; i++ {
		ops = append(ops, op{' ', i, i})
	}
	ops = append(ops, myers(x[pre:len(x)-suf], y[pre:len(y)-suf], pre, pre)...)
	for i := 0; i < suf; i++ {
		ops = append(ops, op{' ', len(x) - suf + i, len(y) - suf + i})
	}
	return ops
}

// myers finds a shortest edit script between x and y by Myers' greedy
// algorithm, keeping the furthest-reaching diagonal of each step so that
// the path can be walked back; ax and by are where x and y start in the
// whole texts.
func myers(x, y []string, ax, by int) []op {
	n, m := len(x), len(y)
	if n == 0 || m == 0 || n+m > 2*maxEdits && !similar(x, y) {
		return replaceAll(n, m, ax, by)
	}
	limit := min(n+m, maxEdits)
	offset := limit + 1
	v := make([]int, 2*limit+3)
	var trace [][]int
	end := -1
	for d := 0; d <= limit && end < 0; d++ {
		trace = append(trace, append([]int(nil), v...))
		for k := -d; k <= d; k += 2 {
			var i int
			if k == -d || k != d && v[offset+k-1] < v[offset+k+1] {
				i = v[offset+k+1] // down: insert y[j-1]
			} else {
				i = v[offset+k-1] + 1 // right: delete x[i-1]
			}
			j := i - k
			for i < n && j < m && x[i] == y[j] {
				i, j = i+1, j+1
			}
			v[offset+k] = i
			if i >= n && j >= m {
				end = d
				break
			}
		}
	}
	if end < 0 {
		return replaceAll(n, m, ax, by)
	}
	// Walk back from (n, m), one edit per step.
	var rev []op
	i, j := n, m
	for d := end; d > 0; d-- {
		prev := trace[d]
		k := i - j
		var pk int
		if k == -d || k != d && prev[offset+k-1] < prev[offset+k+1] {
			pk = k + 1
		} else {
			pk = k - 1
		}
		pi := prev[offset+pk]
		pj := pi - pk
		for i > pi && j > pj { // the snake that followed the edit
			i, j = i-1, j-1
			rev = append(rev, op{' ', ax + i, by + j})
		}
		if pk == k+1 {
			j--
			rev = append(rev, op{'+', ax + i, by + j})
		} else {
			i--
			rev = append(rev, op{'-', ax + i, by + j})
		}
	}
	for i > 0 && j > 0 {
		i, j = i-1, j-1
		rev = append(rev, op{' ', ax + i, by + j})
	}
	ops := make([]op, len(rev))
	for n, o := range rev {
		ops[len(rev)-1-n] = o
	}
	return ops
}

// similar reports whether two long texts share enough lines that a search
// for the shortest script is worth it.
func similar(x, y []string) bool {
	seen := make(map[string]bool, len(x))
	for _, l := range x {
		seen[l] = true
	}
	common := 0
	for _, l := range y {
		if seen[l] {
			common++
		}
	}
	return len(x)+len(y)-2*common <= 2*maxEdits
}

// replaceAll deletes every line of x and inserts every line of y.
func replaceAll(n, m, ax, by int) []op {
	ops := make([]op, 0, n+m)
	for i := 0; i < n; i++ {
		ops = append(ops, op{'-', ax + i, by})
	}
	for j := 0; j < m; j++ {
		ops = append(ops, op{'+', ax + n, by + j})
	}
	return ops
}

// hunks groups the script's changes with Context lines around each; changes
// separated by at most twice Context unchanged lines share a hunk.
func hunks(ops []op) [][]op {
	var out [][]op
	start, last := -1, -1 // the hunk being built: its first op and its last change
	for i, o := range ops {
		if o.kind == ' ' {
			continue
		}
		switch {
		case start < 0:
			start = max(0, i-Context)
		case i-last-1 > 2*Context: // more unchanged lines between than two contexts hold
			out = append(out, ops[start:min(len(ops), last+1+Context)])
			start = max(0, i-Context)
		}
		last = i
	}
	if start >= 0 {
		out = append(out, ops[start:min(len(ops), last+1+Context)])
	}
	return out
}

func writeHunk(out *strings.Builder, h []op, x, y []string) {
	na, nb := 0, 0
	for _, o := range h {
		if o.kind != '+' {
			na++
		}
		if o.kind != '-' {
			nb++
		}
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", span(h[0].a, na), span(h[0].b, nb))
	for _, o := range h {
		line := ""
		if o.kind == '+' {
			line = y[o.b]
		} else {
			line = x[o.a]
		}
		out.WriteByte(o.kind)
		out.WriteString(line)
		if !strings.HasSuffix(line, "\n") {
			out.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// span is a hunk's range on one side as diff writes it: the first line
// (counting from 1) and the count, the count left out when it is 1, and
// the line before the hunk when the side has no lines in it.
func span(first, count int) string {
	switch count {
	case 0:
		return fmt.Sprintf("%d,0", first)
	case 1:
		return fmt.Sprintf("%d", first+1)
	}
	return fmt.Sprintf("%d,%d", first+1, count)
}
