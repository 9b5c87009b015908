// Package spell finds the name someone most likely meant, for "did you
// mean" hints. The engine uses it for object names, the host for builtins,
// keywords and REPL commands; it depends on nothing of either.
package spell

import "strings"

// Nearest returns the candidate nearest to name (edit distance, case-folded),
// or "" when nothing is close enough to be a likely typo.
func Nearest(name string, candidates []string) string {
	best, bestD := "", -1
	n := strings.ToLower(name)
	for _, c := range candidates {
		d := editDistance(n, strings.ToLower(c))
		if bestD < 0 || d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	// A suggestion that rewrites half the name is a different word, not a
	// typo ("raw" is not a misspelt "FAT").
	if bestD < 0 || bestD > max(2, len(name)/3) || 2*bestD > len(name) {
		return ""
	}
	return best
}

// editDistance counts the insertions, deletions, substitutions and swaps
// of neighbouring characters that turn a into b: a swap ("nmae") is one
// typo, not two.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
