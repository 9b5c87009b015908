package core

import "math/bits"

// Scanning JSON strings eight bytes at a time: a state file is mostly
// strings (the event log's texts above all), and looking at each byte on
// its own is most of what reading and writing them costs.

const (
	lanes01 = 0x0101010101010101
	lanes80 = 0x8080808080808080
)

// word reads the eight bytes of s from i on as one number, the first in
// the lowest byte.
func word(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// stringStops marks, in the high bit of its byte, each byte of x that a
// JSON string cannot hold as it is: a quote, a backslash or a control
// character. Bytes above a marked one may be marked wrongly (a borrow
// runs up), so only the lowest mark places a byte; no mark at all means
// none.
func stringStops(x uint64) uint64 {
	q := x ^ (lanes01 * '"')
	b := x ^ (lanes01 * '\\')
	return (((q - lanes01) &^ q) | ((b - lanes01) &^ b) | ((x - lanes01*0x20) &^ x)) & lanes80
}

// plainASCII returns where the first byte of s[i:] is that is not ASCII
// or that a JSON string cannot hold as it is, or at most eight bytes
// before the end of s.
func plainASCII(s string, i int) int {
	for i+8 <= len(s) {
		x := word(s, i)
		if m := stringStops(x) | x&lanes80; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
		i += 8
	}
	return i
}

// stringEnd returns where the first quote, backslash or control character
// of s[i:] is, or at most eight bytes before the end of s.
func stringEnd(s string, i int) int {
	for i+8 <= len(s) {
		if m := stringStops(word(s, i)); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
		i += 8
	}
	return i
}
