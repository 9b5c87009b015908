// Package enginetest holds what the engine packages' tests share.
package enginetest

import "testing"

// Repeats is how many more times SameRefusal asks again. Go picks a new
// random start for every range over a map, so a message that names "the
// first" of a map's entries differs between calls with probability at
// least 1/2 each time when two entries qualify: 20 calls miss that with
// odds of one in a million.
const Repeats = 20

// SameRefusal calls a refused operation Repeats more times: each call must
// be refused again with the same message as first. A refusal changes
// nothing, so every call sees the same world; a different message means
// the wording depends on map order.
func SameRefusal(t testing.TB, first error, call func() error) {
	t.Helper()
	for i := 0; i < Repeats; i++ {
		again := call()
		if again == nil {
			t.Fatalf("refused once (%v), then accepted when asked again", first)
		}
		if again.Error() != first.Error() {
			t.Fatalf("the same refusal is worded two ways (map order?):\n  %s\n  %s", first, again)
		}
	}
}
