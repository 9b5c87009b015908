package spell

import "testing"

func TestNearest(t *testing.T) {
	cands := []string{"NODE1", "NODE2", "Quorum", "Data1"}
	for name, want := range map[string]string{
		"node1":  "NODE1",
		"NODE3":  "NODE1", // ties go to the first in order
		"Qorum":  "Quorum",
		"XYZZY9": "",
		"":       "",
	} {
		if got := Nearest(name, cands); got != want {
			t.Errorf("Nearest(%q) = %q, want %q", name, got, want)
		}
	}
	if got := Nearest("x", nil); got != "" {
		t.Errorf("Nearest with no candidates = %q", got)
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"", "ab", 2}, {"name", "name", 0},
		{"nmae", "name", 1}, {"mgs", "msg", 1}, {"netbois", "netbios", 1},
		{"pasword", "password", 1}, {"raw", "fat", 2}, {"kitten", "sitting", 3},
		{"ca", "abc", 3},
	} {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
