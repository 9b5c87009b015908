package core

import (
	"strings"
	"unicode/utf8"
)

// Folding names is much of what indexing and checking a big loaded world
// costs: Key allocates a string for every name with a lower-case letter,
// and a cluster of 32,000 resources folds each name several times. These
// helpers give the same keys without an allocation per name.

// AppendKey appends Key(name) to b. A map lookup written
// m[string(AppendKey(buf[:0], name))] folds into buf and allocates
// nothing.
func AppendKey(b []byte, name string) []byte {
	start := len(b)
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= utf8.RuneSelf {
			return append(b[:start], Key(name)...)
		}
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

// SameKey reports whether Key(a) == Key(b), without folding either when
// both are ASCII.
func SameKey(a, b string) bool {
	if len(a) == len(b) {
		i := 0
		for ; i < len(a); i++ {
			x, y := a[i], b[i]
			if x|y >= utf8.RuneSelf {
				break // not ASCII: fold the whole names
			}
			if x != y && upperASCII(x) != upperASCII(y) {
				return false
			}
		}
		if i == len(a) {
			return true
		}
	} else if isASCII(a) && isASCII(b) {
		return false
	}
	return Key(a) == Key(b)
}

func upperASCII(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldFree reports whether name is its own key: ASCII without lower-case
// letters.
func foldFree(name string) bool {
	for i := 0; i < len(name); i++ {
		if c := name[i]; c >= utf8.RuneSelf || ('a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

// A KeyArena makes the keys of many names, for an index being built, with
// few allocations: a name that is its own key is returned as it is, and
// the others are folded into shared chunks of text and sliced out of them.
// A chunk is never written over (a new one is begun before one would have
// to grow), so every key stays valid; a chunk lives as long as any of its
// keys. The zero value is ready to use.
type KeyArena struct {
	text  strings.Builder
	chunk int // the size of the next chunk
}

// Key returns Key(name).
func (a *KeyArena) Key(name string) string {
	if foldFree(name) {
		return name
	}
	if !isASCII(name) {
		return Key(name)
	}
	if a.text.Cap()-a.text.Len() < len(name) {
		// Chunks grow from small (most worlds are small) to 64 KiB.
		a.chunk = min(max(2*a.chunk, 512), 64<<10)
		a.text = strings.Builder{}
		a.text.Grow(max(a.chunk, len(name)))
	}
	from := a.text.Len()
	for i := 0; i < len(name); i++ {
		a.text.WriteByte(upperASCII(name[i]))
	}
	return a.text.String()[from:]
}
