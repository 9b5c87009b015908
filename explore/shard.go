package explore

import (
	"fmt"
	"strconv"
	"strings"
)

// A Shard is the share of the cases one machine runs: the cases whose
// index is Index modulo Count. The zero Shard is every case.
type Shard struct{ Index, Count int }

// Has reports whether the case with that index is the shard's.
func (s Shard) Has(index int) bool { return s.Count <= 1 || index%s.Count == s.Index }

// String is "I/N", or "" for every case.
func (s Shard) String() string {
	if s.Count == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// ParseShard reads --shard I/N: N shards, numbered from 0 as Kubernetes'
// and Bazel's shard indexes are.
func ParseShard(spec string) (Shard, error) {
	is, ns, ok := strings.Cut(spec, "/")
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	switch {
	case !ok || err1 != nil || err2 != nil:
		return Shard{}, fmt.Errorf("--shard %q: write I/N, the shard's index and the number of shards, e.g. 0/4 … 3/4", spec)
	case n < 1:
		return Shard{}, fmt.Errorf("--shard %q: the number of shards must be at least 1", spec)
	case i < 0 || i >= n:
		return Shard{}, fmt.Errorf("--shard %q: the index counts from 0 to %d for %d shards", spec, n-1, n)
	}
	return Shard{i, n}, nil
}
