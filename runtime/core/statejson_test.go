package core

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

// The state file's hand-written JSON must mean what encoding/json means:
// these tests hold the encoder and the decoder to it.

var trickyStrings = []string{
	"", "plain", `quote " and backslash \`, "tab\tnewline\nreturn\r", "\x00\x01\x1f\x7f",
	"<html> & friends", "line\u2028separator\u2029", "ünïcödé ✓ 😀 中文",
	"bad \xff byte", "\xc3", "cut \xe2\x82", "\xed\xa0\x80 surrogate in UTF-8",
	strings.Repeat(`"`, 100), `\u0041 stays as written`,
}

func TestQuotedStringsMeanWhatEncodingJSONMeans(t *testing.T) {
	for _, s := range trickyStrings {
		mine := appendQuoted(nil, s)
		if !json.Valid(mine) {
			t.Errorf("%q: wrote invalid JSON %s", s, mine)
			continue
		}
		// encoding/json reads back what it would have read from its own
		// rendering (invalid bytes become U+FFFD in both).
		var got, want string
		theirs, _ := json.Marshal(s)
		if err := json.Unmarshal(mine, &got); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(theirs, &want); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%q: encoding/json reads mine as %q, its own as %q", s, got, want)
		}
		// The decoder reads both renderings as encoding/json does.
		for _, doc := range [][]byte{mine, theirs} {
			d := newStateDecoder(string(doc))
			if back := d.String(); back != want || d.Err() != nil {
				t.Errorf("%q: decoded %s as %q (%v), want %q", s, doc, back, d.Err(), want)
			}
		}
	}
}

func TestEscapesDecodeAsEncodingJSONDoes(t *testing.T) {
	for _, doc := range []string{
		`"\"\\\/\b\f\n\r\t"`, `"\u0041\u00e9\u4e2d"`, `"\ud83d\ude00"`, `"\uD83D\uDE00 upper"`,
		`"lone \ud83d high"`, `"lone \ude00 low"`, `"\ud83d\u0041 broken pair"`, `"\ud83d"`,
		`"\u0000"`,
	} {
		var want string
		if err := json.Unmarshal([]byte(doc), &want); err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		d := newStateDecoder(doc)
		if got := d.String(); got != want || d.Err() != nil {
			t.Errorf("%s: got %q (%v), want %q", doc, got, d.Err(), want)
		}
	}
	for _, doc := range []string{`"end \ud83d\"`, `"\x"`, `"\u12"`, `"\u12G4"`, `"open`, `"ends in \`, "\"ctl\x01\"", `"\`} {
		d := newStateDecoder(doc)
		_ = d.String()
		if d.Err() == nil || json.Valid([]byte(doc)) {
			t.Errorf("%s: decoded without an error, or encoding/json accepts it", doc)
		}
	}
}

// TestUnescapedTextChunks reads many escaped strings, some longer than a
// chunk, and checks each one survives the chunks that follow.
func TestUnescapedTextChunks(t *testing.T) {
	var want []string
	e := newStateEncoder(nil)
	e.BeginArray()
	for i := range 3000 {
		s := strings.Repeat(`say "hello" `, i%50) + strings.Repeat("\t", i%3)
		if i%1000 == 999 {
			s = strings.Repeat(`"long" `, textChunk/5)
		}
		want = append(want, s)
		e.String(s)
	}
	e.EndArray()
	d := newStateDecoder(string(e.buf))
	var got []string
	d.Array()
	for d.More() {
		got = append(got, d.String())
	}
	if d.Err() != nil {
		t.Fatal(d.Err())
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("string %d read back as %.60q…, want %.60q…", i, got[i], want[i])
		}
	}
}

func TestNumbersAsEncodingJSONWritesThem(t *testing.T) {
	for _, f := range []float64{0, 0.5, 100, 1e20, 1e21, 1e-6, 1e-7, 123456789.125, -3, 0.1, math.MaxFloat64, math.SmallestNonzeroFloat64} {
		e := newStateEncoder(nil)
		e.Float(f)
		want, _ := json.Marshal(f)
		if !bytes.Equal(e.buf, want) {
			t.Errorf("%v: wrote %s, encoding/json writes %s", f, e.buf, want)
		}
		d := newStateDecoder(string(e.buf))
		if back := d.Float(); back != f {
			t.Errorf("%v read back as %v", f, back)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1)} {
		e := newStateEncoder(nil)
		e.Float(f)
		if e.Flush() == nil {
			t.Errorf("%v has no JSON form, yet it was written", f)
		}
	}
	for doc, want := range map[string]int64{"0": 0, "-0": 0, "42": 42, "-17": -17, "9223372036854775807": math.MaxInt64, "-9223372036854775808": math.MinInt64, "123456789012345678": 123456789012345678} {
		d := newStateDecoder(doc)
		if got := d.Int64(); got != want || d.Err() != nil {
			t.Errorf("%s read as %d (%v)", doc, got, d.Err())
		}
	}
	for _, doc := range []string{"9223372036854775808", "1.0", "1e3", "01", "-", "+1", ".5", "1.", "1e", "0x10", "true", `"1"`} {
		d := newStateDecoder(doc)
		d.Int64()
		d.end()
		if d.Err() == nil {
			t.Errorf("%s read as a whole number", doc)
		}
	}
}

// FuzzSkipAgreesWithEncodingJSON: the decoder accepts exactly the
// documents encoding/json finds valid (within its nesting limit), so a
// state file means the same to it as to jq or any other reader.
func FuzzSkipAgreesWithEncodingJSON(f *testing.F) {
	for _, seed := range []string{
		`{"a":[1,2.5e-3,true,false,null,"x\"y"]}`, `[]`, `{}`, ` [ 1 , 2 ] `, `{"a" 1}`, `[1,]`, `[01]`,
		`"\u00e9"`, `-0.0E+1`, `[[[[]]]]`, `{"a":{"b":{}}}`, `nul`, `[1 2]`, `{"a":1,}`, "\"\t\"", `1 2`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		if !utf8.ValidString(doc) || strings.Count(doc, "[")+strings.Count(doc, "{") > maxDepth {
			return
		}
		d := newStateDecoder(doc)
		d.Skip()
		d.end()
		if ok, want := d.Err() == nil, json.Valid([]byte(doc)); ok != want {
			t.Errorf("%q: decoder accepts it %v, encoding/json %v (%v)", doc, ok, want, d.Err())
		}
	})
}
