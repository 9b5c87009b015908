package core

import (
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A StateEncoder writes a state file's JSON straight to an io.Writer as the
// world is walked: no document is built in memory, and nothing written is
// parsed again to be checked. It places the commas itself (each container
// remembers whether it holds anything yet) and keeps the first write error;
// Flush reports it. With no writer, it gathers the whole document in buf.
type StateEncoder struct {
	out     io.Writer
	buf     []byte
	flushAt int    // how much to gather before the next write
	first   []bool // one per open container: true while it is still empty
	key     bool   // a member name was just written; its value comes next
	err     error
}

// encoderFlushAt is how much the encoder gathers before its first write;
// each write doubles it, up to maxFlushAt: a small world is written with
// a small buffer, a big one with few system calls.
const (
	encoderFlushAt = 32 << 10
	maxFlushAt     = 128 << 10
)

func newStateEncoder(out io.Writer) *StateEncoder {
	return &StateEncoder{out: out, buf: make([]byte, 0, encoderFlushAt+4<<10), flushAt: encoderFlushAt}
}

// sep writes the comma a value needs unless it is the first of its
// container or follows its member name.
func (e *StateEncoder) sep() {
	if e.key {
		e.key = false
		return
	}
	if n := len(e.first); n > 0 {
		if e.first[n-1] {
			e.first[n-1] = false
		} else {
			e.buf = append(e.buf, ',')
		}
	}
}

func (e *StateEncoder) open(c byte) {
	e.sep()
	e.buf = append(e.buf, c)
	e.first = append(e.first, true)
}

func (e *StateEncoder) close(c byte) {
	e.first = e.first[:len(e.first)-1]
	e.buf = append(e.buf, c)
	e.spill()
}

// spill writes out what is gathered once there is enough of it, or, with
// no writer, makes room for more.
func (e *StateEncoder) spill() {
	switch {
	case e.out != nil && len(e.buf) >= e.flushAt:
		e.write()
		if e.flushAt < maxFlushAt {
			e.flushAt *= 2
			e.buf = slices.Grow(e.buf, e.flushAt+4<<10)
		}
	case e.out == nil && cap(e.buf)-len(e.buf) < encoderFlushAt/8:
		// Gathering: double, which copies less than append's growth.
		e.buf = slices.Grow(e.buf, cap(e.buf))
	}
}

// BeginObject, EndObject, BeginArray and EndArray open and close containers.
func (e *StateEncoder) BeginObject() { e.open('{') }
func (e *StateEncoder) EndObject()   { e.close('}') }
func (e *StateEncoder) BeginArray()  { e.open('[') }
func (e *StateEncoder) EndArray()    { e.close(']') }

// Key writes a member name; the member's value is written next.
func (e *StateEncoder) Key(name string) {
	e.sep()
	e.buf = appendQuoted(e.buf, name)
	e.buf = append(e.buf, ':')
	e.key = true
}

// quotedKey is Key for a name already written as JSON, colon included.
func (e *StateEncoder) quotedKey(quoted string) {
	e.sep()
	e.buf = append(e.buf, quoted...)
	e.key = true
}

// String, Int, Uint, Bool, Float and Null write one value.
func (e *StateEncoder) String(s string) {
	e.sep()
	e.buf = appendQuoted(e.buf, s)
}

func (e *StateEncoder) Int(n int64) {
	e.sep()
	e.buf = strconv.AppendInt(e.buf, n, 10)
}

func (e *StateEncoder) Uint(n uint64) {
	e.sep()
	e.buf = strconv.AppendUint(e.buf, n, 10)
}

func (e *StateEncoder) Bool(b bool) {
	e.sep()
	e.buf = strconv.AppendBool(e.buf, b)
}

func (e *StateEncoder) Null() {
	e.sep()
	e.buf = append(e.buf, "null"...)
}

// Float writes a number as encoding/json does: plain digits, or an
// exponent for the very small and the very large. JSON has no NaN or
// infinity; writing one is an error.
func (e *StateEncoder) Float(f float64) {
	e.sep()
	if math.IsNaN(f) || math.IsInf(f, 0) {
		e.fail(&unwritableError{f})
		e.buf = append(e.buf, '0')
		return
	}
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	e.buf = strconv.AppendFloat(e.buf, f, format, -1, 64)
	if n := len(e.buf); format == 'e' && e.buf[n-4] == 'e' && e.buf[n-3] == '-' && e.buf[n-2] == '0' {
		e.buf[n-2] = e.buf[n-1] // 1e-07 is written 1e-7
		e.buf = e.buf[:n-1]
	}
}

type unwritableError struct{ f float64 }

func (u *unwritableError) Error() string {
	return "the number " + strconv.FormatFloat(u.f, 'g', -1, 64) + " has no JSON form"
}

// StringMap writes a map as an object with its keys sorted; nil is null.
func (e *StateEncoder) StringMap(m map[string]string) {
	if m == nil {
		e.Null()
		return
	}
	type member struct{ k, v string }
	var small [8]member // a resource has a few parameters
	members := small[:0]
	for k, v := range m {
		members = append(members, member{k, v})
	}
	if len(members) > len(small) {
		slices.SortFunc(members, func(a, b member) int { return strings.Compare(a.k, b.k) })
	} else {
		for i := 1; i < len(members); i++ {
			for j := i; j > 0 && members[j].k < members[j-1].k; j-- {
				members[j], members[j-1] = members[j-1], members[j]
			}
		}
	}
	e.BeginObject()
	for _, m := range members {
		e.Key(m.k)
		e.String(m.v)
	}
	e.EndObject()
}

func (e *StateEncoder) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

func (e *StateEncoder) write() {
	if e.out == nil {
		return
	}
	if e.err == nil {
		_, e.err = e.out.Write(e.buf)
	}
	e.buf = e.buf[:0]
}

// Flush writes what is gathered and returns the first error met.
func (e *StateEncoder) Flush() error {
	e.write()
	return e.err
}

// plainJSON marks the bytes a JSON string holds as they are: printable
// ASCII but the quote and the backslash.
var plainJSON = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendQuoted appends s as a JSON string. Quotes, backslashes and control
// characters are escaped; bytes that are not UTF-8 become U+FFFD, as
// encoding/json writes them, so that the file is always valid JSON.
func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0 // s[start:i] is plain and not yet appended
	for i := 0; i < len(s); {
		// Skip the plain run: words of eight bytes, then bytes.
		for i = plainASCII(s, i); i < len(s) && plainJSON[s[i]]; i++ {
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || size != 1 {
				i += size
				continue
			}
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			const hex = "0123456789abcdef"
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
