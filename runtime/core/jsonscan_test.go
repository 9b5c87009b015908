package core

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// The word-at-a-time scans stop where a byte-at-a-time scan would, or
// before it by less than a word, never after it: every byte value at every
// place of a word, after every kind of byte, and random strings.
func TestStringScans(t *testing.T) {
	stop := func(c byte) bool { return c == '"' || c == '\\' || c < 0x20 }
	plain := func(c byte) bool { return !stop(c) && c < utf8.RuneSelf }
	// A scan from i may stop early only within the last word of s.
	wrong := func(s string, i, got, want int) bool { return got < i || got > want || (got < want && got+8 <= len(s)) }
	check := func(s string) {
		t.Helper()
		for i := 0; i <= len(s); i++ {
			want := i
			for want < len(s) && !stop(s[want]) {
				want++
			}
			if got := stringEnd(s, i); wrong(s, i, got, want) {
				t.Fatalf("stringEnd(%q, %d) = %d, want %d", s, i, got, want)
			}
			want = i
			for want < len(s) && plain(s[want]) {
				want++
			}
			if got := plainASCII(s, i); wrong(s, i, got, want) {
				t.Fatalf("plainASCII(%q, %d) = %d, want %d", s, i, got, want)
			}
		}
	}
	for c := range 256 {
		for at := range 8 {
			for _, before := range []byte{'a', 0, '"', 0x80, 0xff, 0x1f, 0x20} {
				b := []byte("abcdefghijklmnopq")
				b[at] = before
				b[at+1] = byte(c)
				check(string(b))
				b[at] = byte(c)
				b[at+1] = before
				check(string(b))
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("ab \"\\\x00\x1f\x7f\x80\xc3\xa9\xff ~!")
	for range 20000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			if r.IntN(8) == 0 {
				b[i] = alphabet[r.IntN(len(alphabet))]
			} else {
				b[i] = byte('a' + r.IntN(26))
			}
		}
		check(string(b))
	}
}
