package sim

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clusterscript/runtime/core"
)

// FuzzLoadState feeds whole state files to Load. Whatever the bytes, Load
// returns a world or an error, never a panic; a world it returns saves,
// loads again and saves to the same bytes, and its invariants can be read.
// The seeds are the version 1 fixtures, the lab saved as version 2, and
// the damaged files in testdata/fuzz/FuzzLoadState (impossible worlds,
// broken JSON, unknown versions).
func FuzzLoadState(f *testing.F) {
	for _, name := range []string{"v1-lab.json", "v1-clusters-nlb-timers.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	lab, err := txLab(f).Save()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(lab)
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := Load(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("Load failed with an empty error")
			}
			return
		}
		first, err := w.Save()
		if err != nil {
			t.Fatalf("a loaded world cannot be saved: %v", err)
		}
		again, err := Load(first)
		if err != nil {
			t.Fatalf("a loaded world, saved, does not load again: %v", err)
		}
		second, err := again.Save()
		if err != nil {
			t.Fatalf("a reloaded world cannot be saved: %v", err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("saving a loaded world, loading it and saving it again changes it\n%s", core.FirstDifference(first, second))
		}
		_ = w.Invariants()
	})
}

// FuzzBuiltinSequences lets the fuzzer's bytes choose a sequence of calls
// from the journal harness's generator (gens, randomOp) on a copy of the
// lab world, and checks every call as the property test does (checkStep):
// never a panic, a refused single call leaves the state file byte for byte
// unchanged, the state file round-trips after every call, and the
// invariants hold once a copy is settled (known breaches excused). The
// bytes are the generator's randomness; when they run out the sequence
// ends, so longer inputs make longer sequences (at most fuzzMaxCalls).
func FuzzBuiltinSequences(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("a few calls on the lab"))
	f.Add(bytes.Repeat([]byte{0xff, 0x00, 0x7f, 0x80}, 40))
	base := txLab(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		src := &byteSource{data: data}
		r := rand.New(src)
		w := base.Clone()
		var ops []op
		for len(ops) < fuzzMaxCalls && !src.spent() {
			o := randomOp(r, w)
			ops = append(ops, o)
			if res := checkStep(w, o); res.problem != "" {
				shrunk, problem := shrink(base, ops)
				t.Fatalf("%s\nshrunk to %d calls: %s\n\n%s", problem, len(shrunk), strings.Join(opNames(shrunk), ", "), runbookOf(0, shrunk, problem))
			}
		}
	})
}

// fuzzMaxCalls bounds one input's sequence, so that an execution stays
// short whatever the input's length.
const fuzzMaxCalls = 40

// byteSource is a rand.Source reading the fuzzer's bytes, eight to a
// number; past their end it gives a fixed, varied sequence (not zeros,
// on which rand's rejection sampling would loop for ever) and says it is
// spent.
type byteSource struct {
	data []byte
	off  int
	tail uint64
}

func (s *byteSource) Uint64() uint64 {
	if s.off >= len(s.data) {
		s.tail += 0x9e3779b97f4a7c15
		return s.tail
	}
	var x uint64
	for i := 0; i < 8 && s.off < len(s.data); i++ {
		x |= uint64(s.data[s.off]) << (8 * i)
		s.off++
	}
	return x
}

func (s *byteSource) spent() bool { return s.off >= len(s.data) }
