package core

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// Events as Save writes them are read by a short path (plainEvent); every
// other event, and every damaged one, by the general reader. Both must
// read the same event, or fail with the same error at the same place:
// each log below is read once as it is and once with the short path
// disabled by a space after each event's bracket, which only the general
// reader accepts.
func TestPlainEventsReadAsTheGeneralReaderReadsThem(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	pieces := []string{`a`, `Z`, ` `, `\"`, `\\`, `\n`, `\u00e9`, `é`, `\ud83d\ude00`, `"`, "\x01", `\x`, `,`, `]`, `[`}
	str := func() string {
		var b strings.Builder
		b.WriteByte('"')
		for range r.IntN(12) {
			if r.IntN(6) == 0 {
				b.WriteString(pieces[r.IntN(len(pieces))])
			} else {
				b.WriteByte(byte('a' + r.IntN(26)))
			}
		}
		if r.IntN(30) > 0 {
			b.WriteByte('"')
		}
		return b.String()
	}
	times := []string{"0", "7", "1500", "007", "-1", "1.5", "123456789012345678", "1234567890123456789", "99999999999999999999", "null", `"0"`}
	for i := range 3000 {
		var b strings.Builder
		b.WriteString(times[r.IntN(len(times))])
		for range r.IntN(7) {
			b.WriteByte(',')
			switch r.IntN(12) {
			case 0:
				b.WriteString(`{"from":"A","to":"B"}`)
			case 1:
				b.WriteString("null")
			default:
				b.WriteString(str())
			}
		}
		event := b.String()
		doc := func(space string) string {
			return fmt.Sprintf(`{"format":"clusterscript-state","version":2,"world":{"clock":99999999999999,"events":[[0,"note","x"],[%s%s]]}}`, space, event)
		}
		plain, perr := readEvents(doc(""))
		general, gerr := readEvents(doc(" "))
		if withoutOffsets(perr) != withoutOffsets(gerr) {
			t.Fatalf("case %d, event [%s]:\nshort path: %v\ngeneral:    %v", i, event, perr, gerr)
		}
		if perr == nil && !reflect.DeepEqual(plain, general) {
			t.Fatalf("case %d, event [%s]:\nshort path: %#v\ngeneral:    %#v", i, event, plain, general)
		}
	}
}

// withoutOffsets is an error's message without its byte offset, which the
// space moves.
func withoutOffsets(err error) string {
	if err == nil {
		return "no error"
	}
	return regexp.MustCompile(`\(byte \d+\)`).ReplaceAllString(err.Error(), "")
}

func readEvents(doc string) ([]Event, error) {
	w := NewWorld()
	if err := w.ReadStateUnchecked(doc); err != nil {
		return nil, err
	}
	return w.Events, nil
}

// Lists of strings share chunks when read: each must still read as its
// own list, null as nil and [] as an empty list that is not nil, and an
// append to one must not write into the next.
func TestStringListsReadAsTheirOwn(t *testing.T) {
	doc := `{"format":"clusterscript-state","version":2,"world":{"clock":0,"events":[],"servers":[` +
		`{"name":"B","edition":"enterprise","version":"2003","adapters":[],"components":[],"running":true},` +
		`{"name":"A","edition":"enterprise","version":"2003","adapters":[],"components":["x","y"],"running":true},` +
		`{"name":"C","edition":"enterprise","version":"2003","adapters":[],"components":null,"running":true},` +
		`{"name":"D","edition":"enterprise","version":"2003","adapters":[],"components":["z"],"running":true}]}}`
	w := NewWorld()
	if err := w.ReadStateUnchecked(doc); err != nil {
		t.Fatal(err)
	}
	got := func(i int) []string { return w.Servers[i].Components }
	if got(0) == nil || len(got(0)) != 0 || !reflect.DeepEqual(got(1), []string{"x", "y"}) || got(2) != nil || !reflect.DeepEqual(got(3), []string{"z"}) {
		t.Fatalf("components read as %#v, %#v, %#v, %#v", got(0), got(1), got(2), got(3))
	}
	_ = append(got(1), "appended")
	if got(3)[0] != "z" {
		t.Fatalf("an append to one list wrote into the next: %q", got(3))
	}
}
