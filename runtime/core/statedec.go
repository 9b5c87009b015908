package core

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A StateDecoder reads a state file's JSON in one pass, straight into the
// world's objects: each reader consumes one value and returns it in the Go
// type the caller asks for. The first error sticks: later reads return
// zero values and loops end, so a decoder function reads as a list of
// fields and checks Err once. Errors name the place in the document
// ("world.clusters[0].groups[3].owner") and the byte offset.
//
// The decoder keeps the document as one string; strings without escapes
// are substrings of it, and the others share chunks (see text), so names
// and texts cost no allocation of their own.
type StateDecoder struct {
	doc     string
	pos     int
	version int     // the schema version of the document
	frames  []frame // the containers being read, outermost first
	err     error

	// Lists of strings (a resource's dependencies, a group's preferred
	// owners) are cut from shared chunks, each clipped so that an append
	// copies it; scratch gathers a list being read.
	strs, scratch []string

	// Strings with escapes cannot be substrings of the document; they are
	// written one after another into a chunk and sliced out of it. A
	// Builder never changes what it has written, and a new chunk is begun
	// before one would have to grow, so every slice stays valid.
	text strings.Builder
}

// textChunk is the size of a chunk of unescaped text.
const textChunk = 64 << 10

// A frame is an open object or array: how many members or elements have
// been seen, and for an object the name of the member being read.
type frame struct {
	array bool
	n     int
	key   string
	keyAt int // where the member's name starts
}

// maxDepth bounds nesting, so that a hostile file cannot exhaust the stack.
const maxDepth = 512

func newStateDecoder(doc string) *StateDecoder { return &StateDecoder{doc: doc} }

// Version is the schema version of the document being read, for readers
// whose part of the format changed.
func (d *StateDecoder) Version() int { return d.version }

// Err returns the first error met, or nil.
func (d *StateDecoder) Err() error { return d.err }

// A stateSyntaxError is a problem at one place of a state file.
type stateSyntaxError struct {
	path   string
	offset int
	msg    string
}

func (e *stateSyntaxError) Error() string {
	if e.path == "" {
		return fmt.Sprintf("at byte %d: %s", e.offset, e.msg)
	}
	return fmt.Sprintf("at %s (byte %d): %s", e.path, e.offset, e.msg)
}

// Fail records an error at the current place unless one is recorded
// already. Readers of the engines use it for what JSON allows but the
// world does not.
func (d *StateDecoder) Fail(format string, args ...any) { d.failAt(d.pos, format, args...) }

func (d *StateDecoder) failAt(offset int, format string, args ...any) {
	if d.err == nil {
		d.err = &stateSyntaxError{path: d.path(), offset: offset, msg: fmt.Sprintf(format, args...)}
	}
}

// path renders where the decoder is, as a jq-like path (its middle left
// out when it is very deep).
func (d *StateDecoder) path() string {
	frames := d.frames
	var b strings.Builder
	if len(frames) > 12 {
		b.WriteString(frameNames(frames[:6]))
		b.WriteString("…")
		frames = frames[len(frames)-3:]
	}
	b.WriteString(frameNames(frames))
	return b.String()
}

func frameNames(frames []frame) string {
	var b strings.Builder
	for _, f := range frames {
		switch {
		case f.array && f.n > 0:
			fmt.Fprintf(&b, "[%d]", f.n-1)
		case !f.array && f.key != "":
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(f.key)
		}
	}
	return b.String()
}

// found describes what is at the current position, for error messages.
func (d *StateDecoder) found() string {
	if d.pos >= len(d.doc) {
		return "the end of the file"
	}
	rest := d.doc[d.pos:]
	if len(rest) > 24 {
		rest = rest[:24] + "…"
	}
	return strconv.Quote(rest)
}

func (d *StateDecoder) skipSpace() {
	for d.pos < len(d.doc) {
		switch d.doc[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// peek returns the next byte that is not white space, or 0 at the end.
func (d *StateDecoder) peek() byte {
	if d.pos < len(d.doc) && d.doc[d.pos] > ' ' { // as Save writes it: no white space
		return d.doc[d.pos]
	}
	d.skipSpace()
	if d.pos < len(d.doc) {
		return d.doc[d.pos]
	}
	return 0
}

// literal consumes word (true, false, null) if it comes next.
func (d *StateDecoder) literal(word string) bool {
	if strings.HasPrefix(d.doc[d.pos:], word) {
		d.pos += len(word)
		return true
	}
	return false
}

// Null consumes a null if one comes next.
func (d *StateDecoder) Null() bool {
	return d.err == nil && d.peek() == 'n' && d.literal("null")
}

func (d *StateDecoder) open(c byte, array bool, what string) bool {
	if d.err != nil || d.Null() {
		return false
	}
	if d.peek() != c {
		d.Fail("want %s, found %s", what, d.found())
		return false
	}
	if len(d.frames) >= maxDepth {
		d.Fail("nested more than %d deep", maxDepth)
		return false
	}
	d.pos++
	d.frames = append(d.frames, frame{array: array})
	return true
}

// Object starts reading an object: it returns true when one follows, and
// false for null (nothing to read) or an error. Read its members with More
// and Key.
func (d *StateDecoder) Object() bool { return d.open('{', false, "an object") }

// Array starts reading an array, as Object does; read its elements with More.
func (d *StateDecoder) Array() bool { return d.open('[', true, "an array") }

// More reports whether another member or element of the innermost open
// object or array follows; at its end it consumes the closing bracket and
// returns false. Every member or element must be read before More is
// called again.
func (d *StateDecoder) More() bool {
	if d.err != nil {
		return false
	}
	f := &d.frames[len(d.frames)-1]
	end := byte('}')
	if f.array {
		end = ']'
	}
	c := d.peek()
	if c == end {
		d.pos++
		d.frames = d.frames[:len(d.frames)-1]
		return false
	}
	if f.n > 0 {
		if c != ',' {
			d.Fail("want ',' or '%c', found %s", end, d.found())
			return false
		}
		d.pos++
	}
	f.n++
	return true
}

// Next is More for an element that must be there: its absence is an
// error naming what is missing.
func (d *StateDecoder) Next(what string) bool {
	if d.err == nil && (d.peek() == ']' || d.peek() == '}') {
		d.Fail("%s is missing", what)
		return false
	}
	return d.More()
}

// Key reads the name of an object member and the colon after it. The name
// is a substring of the document, fit for a switch; callers that keep it
// should know that it holds the document alive (as every string read does).
func (d *StateDecoder) Key() string {
	if d.err == nil && d.peek() != '"' {
		d.Fail("want a member name in quotes, found %s", d.found())
		return ""
	}
	at := d.pos
	k := d.quoted()
	if d.err != nil {
		return ""
	}
	if d.peek() != ':' {
		d.Fail("want ':' after member name %q, found %s", k, d.found())
		return ""
	}
	d.pos++
	f := &d.frames[len(d.frames)-1]
	f.key, f.keyAt = k, at
	return k
}

// member reads the name of an object member and its colon when they are
// quoted, the name as JSON with its colon (as Save writes the member the
// schema expects next), and reports whether they were.
func (d *StateDecoder) member(quoted, name string) bool {
	if d.err != nil || d.peek() != '"' || !strings.HasPrefix(d.doc[d.pos:], quoted) {
		return false
	}
	f := &d.frames[len(d.frames)-1]
	f.key, f.keyAt = name, d.pos
	d.pos += len(quoted)
	return true
}

// Unknown deals with a member the schema does not have: version 1 files
// were read by encoding/json, which skips such members, so they still are;
// from version 2 on a member nobody reads is an error (a typo in an edited
// file would otherwise be lost without a word).
func (d *StateDecoder) Unknown() {
	if d.version >= 2 {
		d.failAt(d.frames[len(d.frames)-1].keyAt, "no such member in schema version %d", d.version)
		return
	}
	d.Skip()
}

// Skip reads one value of any kind and ignores it.
func (d *StateDecoder) Skip() {
	switch c := d.peek(); {
	case c == '{':
		d.Object()
		for d.More() {
			d.Key()
			d.Skip()
		}
	case c == '[':
		d.Array()
		for d.More() {
			d.Skip()
		}
	case c == '"':
		d.quoted()
	case c == 't' || c == 'f':
		d.Bool()
	case c == 'n':
		if !d.Null() {
			d.Fail("want a JSON value, found %s", d.found())
		}
	case c == '-' || (c >= '0' && c <= '9'):
		d.number("a number") // its syntax only: a skipped number may be out of range
	default:
		d.Fail("want a JSON value, found %s", d.found())
	}
}

// String reads a string; null reads as "" (as encoding/json has it).
func (d *StateDecoder) String() string {
	if d.err != nil {
		return ""
	}
	if d.peek() == 'n' && d.literal("null") {
		return ""
	}
	return d.quoted()
}

// quoted reads a JSON string, which must come next.
func (d *StateDecoder) quoted() string {
	if d.err != nil {
		return ""
	}
	if d.peek() != '"' {
		d.Fail("want a string, found %s", d.found())
		return ""
	}
	start := d.pos + 1
	for i := stringEnd(d.doc, start); i < len(d.doc); i++ {
		if c := d.doc[i]; !plainJSON[c] && c < utf8.RuneSelf {
			switch {
			case c == '"':
				d.pos = i + 1
				return d.doc[start:i]
			case c == '\\':
				return d.unescape(start, i)
			default:
				d.pos = i
				d.Fail("a control character inside a string")
				return ""
			}
		}
	}
	d.pos = len(d.doc)
	d.Fail("a string runs to the end of the file")
	return ""
}

// unescape finishes reading a string whose first escape is at i. Escapes
// only ever shorten a string, so its raw length bounds the result, which
// is written into the decoder's current chunk of text (see StateDecoder.text)
// and sliced out of it.
func (d *StateDecoder) unescape(start, i int) string {
	end := i
	for end < len(d.doc) {
		if end = stringEnd(d.doc, end); end >= len(d.doc) || d.doc[end] == '"' {
			break
		}
		if d.doc[end] == '\\' {
			end++
		}
		end++
	}
	if room := d.text.Cap() - d.text.Len(); room < end-start {
		d.text = strings.Builder{}
		d.text.Grow(max(end-start, textChunk))
	}
	from := d.text.Len()
	d.text.WriteString(d.doc[start:i])
	for i < len(d.doc) {
		// Copy the plain run up to the next quote, backslash or control
		// character in one piece.
		j := stringEnd(d.doc, i)
		for j < len(d.doc) && d.doc[j] != '"' && d.doc[j] != '\\' && d.doc[j] >= 0x20 {
			j++
		}
		d.text.WriteString(d.doc[i:j])
		if i = j; i >= len(d.doc) {
			break
		}
		switch c := d.doc[i]; {
		case c == '"':
			d.pos = i + 1
			return d.text.String()[from:]
		case c < 0x20:
			d.pos = i
			d.Fail("a control character inside a string")
			return ""
		}
		if i+1 >= len(d.doc) {
			break
		}
		i += 2
		switch e := d.doc[i-1]; e {
		case '"', '\\', '/':
			d.text.WriteByte(e)
		case 'b':
			d.text.WriteByte('\b')
		case 'f':
			d.text.WriteByte('\f')
		case 'n':
			d.text.WriteByte('\n')
		case 'r':
			d.text.WriteByte('\r')
		case 't':
			d.text.WriteByte('\t')
		case 'u':
			r, ok := d.hex4(i)
			if !ok {
				d.pos = i - 2
				d.Fail("a \\u escape needs four hexadecimal digits")
				return ""
			}
			i += 4
			if utf16.IsSurrogate(r) {
				// A pair makes one character; half of one is U+FFFD, as
				// encoding/json reads it.
				r2, ok := rune(0), false
				if strings.HasPrefix(d.doc[i:], `\u`) {
					r2, ok = d.hex4(i + 2)
				}
				if pair := utf16.DecodeRune(r, r2); ok && pair != utf8.RuneError {
					r = pair
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			d.text.WriteRune(r)
		default:
			d.pos = i - 2
			d.Fail("%q is not an escape JSON knows", d.doc[i-2:i])
			return ""
		}
	}
	d.pos = len(d.doc)
	d.Fail("a string runs to the end of the file")
	return ""
}

func (d *StateDecoder) hex4(i int) (rune, bool) {
	if i+4 > len(d.doc) {
		return 0, false
	}
	n, err := strconv.ParseUint(d.doc[i:i+4], 16, 16)
	return rune(n), err == nil
}

// Bool reads true or false; null reads as false.
func (d *StateDecoder) Bool() bool {
	if d.err != nil || d.Null() {
		return false
	}
	switch d.peek() {
	case 't':
		if d.literal("true") {
			return true
		}
	case 'f':
		if d.literal("false") {
			return false
		}
	}
	d.Fail("want true or false, found %s", d.found())
	return false
}

// number returns the extent of the JSON number that comes next, and
// whether it is whole (no fraction, no exponent); what names the number
// wanted, for the error when there is none.
func (d *StateDecoder) number(what string) (text string, whole bool) {
	start := d.pos
	i := start
	digits := func() int {
		n := 0
		for i < len(d.doc) && d.doc[i] >= '0' && d.doc[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(d.doc) && d.doc[i] == '-' {
		i++
	}
	first := i
	if n := digits(); n == 0 || (n > 1 && d.doc[first] == '0') {
		d.Fail("want %s, found %s", what, d.found())
		return "", false
	}
	whole = true
	if i < len(d.doc) && d.doc[i] == '.' {
		i++
		whole = false
		if digits() == 0 {
			d.Fail("want a number, found %s", d.found())
			return "", false
		}
	}
	if i < len(d.doc) && (d.doc[i] == 'e' || d.doc[i] == 'E') {
		i++
		whole = false
		if i < len(d.doc) && (d.doc[i] == '+' || d.doc[i] == '-') {
			i++
		}
		if digits() == 0 {
			d.Fail("want a number, found %s", d.found())
			return "", false
		}
	}
	d.pos = i
	return d.doc[start:i], whole
}

// Int64 reads a whole number; null reads as 0.
func (d *StateDecoder) Int64() int64 {
	if d.err != nil || d.Null() {
		return 0
	}
	d.skipSpace()
	at := d.pos
	text, whole := d.number("a whole number")
	if d.err != nil {
		return 0
	}
	if !whole {
		d.pos = at
		d.Fail("want a whole number, found %s", text)
		return 0
	}
	if len(text) < 19 { // cannot overflow: add up the digits
		var n int64
		neg := text[0] == '-'
		if neg {
			text = text[1:]
		}
		for i := 0; i < len(text); i++ {
			n = n*10 + int64(text[i]-'0')
		}
		if neg {
			n = -n
		}
		return n
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		d.pos = at
		d.Fail("the number %s is out of range", text)
	}
	return n
}

// Int reads a whole number that fits an int.
func (d *StateDecoder) Int() int {
	at := d.pos
	n := d.Int64()
	if n > math.MaxInt || n < math.MinInt {
		d.pos = at
		d.Fail("the number %d is out of range", n)
		return 0
	}
	return int(n)
}

// Uint64 reads a whole number that is not negative.
func (d *StateDecoder) Uint64() uint64 {
	d.skipSpace()
	at := d.pos
	n := d.Int64()
	if n < 0 {
		d.pos = at
		d.Fail("want a number that is not negative, found %d", n)
		return 0
	}
	return uint64(n)
}

// Float reads a number; null reads as 0.
func (d *StateDecoder) Float() float64 {
	if d.err != nil || d.Null() {
		return 0
	}
	d.skipSpace()
	at := d.pos
	text, _ := d.number("a number")
	if d.err != nil {
		return 0
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		d.pos = at
		d.Fail("the number %s is out of range", text)
	}
	return f
}

// strings reads a list of strings: null is nil, [] an empty list.
func (d *StateDecoder) strings() []string {
	if !d.Array() {
		return nil
	}
	from := len(d.scratch)
	for d.More() {
		d.scratch = append(d.scratch, d.String())
	}
	n := len(d.scratch) - from
	if n == 0 {
		return []string{}
	}
	if n > cap(d.strs)-len(d.strs) {
		d.strs = make([]string, 0, max(n, 256))
	}
	list := append(d.strs[len(d.strs):len(d.strs):len(d.strs)+n], d.scratch[from:]...)
	d.strs = d.strs[:len(d.strs)+n]
	clear(d.scratch[from:])
	d.scratch = d.scratch[:from]
	return list
}

// StringMap reads an object of strings: null is nil.
func (d *StateDecoder) StringMap() map[string]string {
	if !d.Object() {
		return nil
	}
	m := map[string]string{}
	for d.More() {
		k := d.Key()
		m[k] = d.String()
	}
	return m
}

// NullElement refuses a null where an object (what: "a server") must be.
func (d *StateDecoder) NullElement(what string) bool {
	if d.err == nil && d.peek() == 'n' && strings.HasPrefix(d.doc[d.pos:], "null") {
		d.Fail("%s is null", what)
		return true
	}
	return false
}

// end checks that nothing but white space follows the document.
func (d *StateDecoder) end() {
	if d.skipSpace(); d.err == nil && d.pos < len(d.doc) {
		d.Fail("something follows the end of the document: %s", d.found())
	}
}
