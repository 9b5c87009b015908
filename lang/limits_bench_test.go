package lang

import "testing"

// BenchmarkHeapBytes is the cost of one heap sample: the memory watch
// takes one at every builtin call, every 1024 timer firings and every
// memWatchEvery in its goroutine.
func BenchmarkHeapBytes(b *testing.B) {
	for b.Loop() {
		HeapBytes()
	}
}

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]uint64{"4GiB": 4 << 30, "512 MiB": 512 << 20, "64M": 64 << 20, "1000": 1000, "2tb": 2 << 40} {
		if got, err := ParseBytes(in); err != nil || got != want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "lots", "-1GiB", "1.5GiB", "99999999999TiB"} {
		if _, err := ParseBytes(in); err == nil {
			t.Errorf("ParseBytes(%q) accepted", in)
		}
	}
	if got := FormatBytes(4 << 30); got != "4 GiB" {
		t.Errorf("FormatBytes(4 GiB) = %q", got)
	}
}
