package core

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// The allocation-free folds agree with Key on every name, ASCII or not:
// AppendKey and KeyArena give Key(name), SameKey says Key(a) == Key(b),
// including for letters whose upper case is ASCII (ſ, ı) or that fold
// like an ASCII letter without being one (the Kelvin sign).
func TestKeysAgreeWithKey(t *testing.T) {
	pieces := []string{"a", "Z", "g", "G", "0", " ", "-", "é", "É", "ß", "ſ", "s", "S", "ı", "i", "I", "\u212a", "k", "K", "Ω", "ω", "\x80", "\xff"}
	r := rand.New(rand.NewPCG(3, 4))
	var names []string
	for range 3000 {
		var b strings.Builder
		for range r.IntN(6) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		names = append(names, b.String())
	}
	names = append(names, "", "G0001 Service", "G0001 SERVICE", "NODE01", strings.Repeat("long name ", 20))
	var arena KeyArena
	keys := make([]string, len(names))
	for i, n := range names {
		keys[i] = arena.Key(n)
		if got := string(AppendKey([]byte("prefix"), n)); got != "prefix"+Key(n) {
			t.Fatalf("AppendKey(%q) = %q, want %q", n, got[len("prefix"):], Key(n))
		}
	}
	for i, n := range names {
		if keys[i] != Key(n) { // after every other key was made: none was written over
			t.Fatalf("KeyArena.Key(%q) = %q, want %q", n, keys[i], Key(n))
		}
	}
	for i := range 20000 {
		a, b := names[r.IntN(len(names))], names[r.IntN(len(names))]
		if i%3 == 0 {
			b = strings.ToLower(a)
		}
		if got, want := SameKey(a, b), Key(a) == Key(b); got != want {
			t.Fatalf("SameKey(%q, %q) = %v, want %v", a, b, got, want)
		}
	}
}

// Looking a name up with AppendKey into a buffer on the stack allocates
// nothing, nor does the arena for most keys: that is what they are for.
func TestKeysDoNotAllocate(t *testing.T) {
	m := map[string]bool{"G0001 SERVICE": true}
	lookup := testing.AllocsPerRun(100, func() {
		var buf [64]byte
		if !m[string(AppendKey(buf[:0], "G0001 Service"))] {
			t.Fatal("not found")
		}
	})
	if lookup != 0 {
		t.Errorf("a lookup allocates %v times", lookup)
	}
	var arena KeyArena
	keys := testing.AllocsPerRun(1000, func() { arena.Key("G0001 Service") })
	if keys > 0.01 {
		t.Errorf("a key from the arena allocates %v times", keys)
	}
}
