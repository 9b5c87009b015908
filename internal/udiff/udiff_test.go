package udiff

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestUnified(t *testing.T) {
	for _, tc := range []struct {
		name, a, b, want string
	}{
		{"equal", "x\ny\n", "x\ny\n", ""},
		{"one line changed, with context", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n", `--- want
+++ got
@@ -2,7 +2,7 @@
 2
 3
 4
-5
+five
 6
 7
 8
`},
		{"two hunks far apart", "a\n1\n2\n3\n4\n5\n6\n7\n8\nb\n", "A\n1\n2\n3\n4\n5\n6\n7\n8\nB\n", `--- want
+++ got
@@ -1,4 +1,4 @@
-a
+A
 1
 2
 3
@@ -7,4 +7,4 @@
 6
 7
 8
-b
+B
`},
		{"changes close together share a hunk", "a\n1\n2\n3\n4\n5\n6\nb\n", "A\n1\n2\n3\n4\n5\n6\nB\n", `--- want
+++ got
@@ -1,8 +1,8 @@
-a
+A
 1
 2
 3
 4
 5
 6
-b
+B
`},
		{"insert into empty", "", "x\n", "--- want\n+++ got\n@@ -0,0 +1 @@\n+x\n"},
		{"delete the last line", "1\n2\n3\n", "1\n2\n", "--- want\n+++ got\n@@ -1,3 +1,2 @@\n 1\n 2\n-3\n"},
		{"no newline at end", "a\nb", "a\nb\n", "--- want\n+++ got\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"},
		{"an inserted line keeps the lines around it", "a\nb\nc\n", "a\nb\nnew\nc\n", "--- want\n+++ got\n@@ -1,3 +1,4 @@\n a\n b\n+new\n c\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Unified("want", "got", tc.a, tc.b); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// TestShortestAndApplicable checks random pairs of texts: applying the
// diff to a gives b, and the diff changes no more lines than the shortest
// edit script, found here by dynamic programming.
func TestShortestAndApplicable(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	text := func() string {
		var b strings.Builder
		for range r.IntN(12) {
			fmt.Fprintf(&b, "%c\n", 'a'+r.IntN(4))
		}
		return b.String()
	}
	for i := range 2000 {
		a, b := text(), text()
		d := Unified("a", "b", a, b)
		if got := apply(t, a, d); got != b {
			t.Fatalf("case %d: applying the diff to %q gives %q, want %q\n%s", i, a, got, b, d)
		}
		if got, want := changed(d), shortest(splitLines(a), splitLines(b)); got != want {
			t.Fatalf("case %d: %d lines changed, the shortest script changes %d:\n%s", i, got, want, d)
		}
	}
}

// TestLargeTextsFallBack checks that texts too far apart for the search
// still give a correct diff.
func TestLargeTextsFallBack(t *testing.T) {
	var a, b strings.Builder
	for i := range 3 * maxEdits {
		fmt.Fprintf(&a, "a%d\n", i)
		fmt.Fprintf(&b, "b%d\n", i)
	}
	d := Unified("a", "b", a.String(), b.String())
	if got := apply(t, a.String(), d); got != b.String() {
		t.Fatal("applying the diff does not give b")
	}
}

// apply patches a with a unified diff produced by Unified.
func apply(t *testing.T, a, d string) string {
	t.Helper()
	if d == "" {
		return a
	}
	src := splitLines(a)
	var out []string
	next := 0 // the next line of src not yet copied
	lines := splitLines(d)[2:]
	for n := 0; n < len(lines); n++ {
		l := lines[n]
		if strings.HasPrefix(l, "@@ ") {
			f := strings.Fields(l)
			from, _, _ := strings.Cut(strings.TrimPrefix(f[1], "-"), ",")
			start, _ := strconv.Atoi(from)
			count := 1
			if _, c, ok := strings.Cut(f[1], ","); ok {
				count, _ = strconv.Atoi(c)
			}
			if count > 0 {
				start--
			}
			out = append(out, src[next:start]...)
			next = start
			continue
		}
		body := l[1:]
		if n+1 < len(lines) && lines[n+1] == "\\ No newline at end of file\n" {
			body = strings.TrimSuffix(body, "\n")
			n++
		}
		switch l[0] {
		case ' ':
			if src[next] != body {
				t.Fatalf("context %q does not match line %d %q", body, next+1, src[next])
			}
			out = append(out, body)
			next++
		case '-':
			if src[next] != body {
				t.Fatalf("deleted %q does not match line %d %q", body, next+1, src[next])
			}
			next++
		case '+':
			out = append(out, body)
		default:
			t.Fatalf("unexpected diff line %q", l)
		}
	}
	return strings.Join(append(out, src[next:]...), "")
}

func changed(d string) int {
	n := 0
	for _, l := range splitLines(d) {
		if (l[0] == '-' || l[0] == '+') && !strings.HasPrefix(l, "--- ") && !strings.HasPrefix(l, "+++ ") {
			n++
		}
	}
	return n
}

// shortest is the length of the shortest edit script: the lines of both
// texts outside their longest common subsequence.
func shortest(x, y []string) int {
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	return len(x) + len(y) - 2*lcs[0][0]
}
