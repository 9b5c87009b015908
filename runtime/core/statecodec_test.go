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
