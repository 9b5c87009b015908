package core

import (
	"fmt"
	"sort"
)

// Breaches collects the invariants one object breaks (SPEC §13), one
// sentence each, every sentence starting with the object it concerns
// ("cluster EXCLUSTER: ...") so that a list for the whole world still says
// where each problem is.
type Breaches struct {
	subject string
	list    []string
}

// NewBreaches starts an empty list for the object named subject.
func NewBreaches(subject string) *Breaches { return &Breaches{subject: subject} }

// Addf records one broken invariant.
func (b *Breaches) Addf(format string, args ...any) {
	b.list = append(b.list, b.subject+": "+fmt.Sprintf(format, args...))
}

// List is the sentences in the order they were found; nil when none.
func (b *Breaches) List() []string { return b.list }

// EachByName checks each object in the order of its name and joins the
// lists: an engine's invariants over all its clusters.
func EachByName[T any](objs []T, name func(T) string, check func(T) []string) []string {
	sorted := append([]T(nil), objs...)
	sort.SliceStable(sorted, func(i, j int) bool { return name(sorted[i]) < name(sorted[j]) })
	var out []string
	for _, o := range sorted {
		out = append(out, check(o)...)
	}
	return out
}
