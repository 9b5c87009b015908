package builtins

import (
	"os"
	"slices"
	"strings"
	"testing"

	"clusterscript/lang"
	"clusterscript/runtime/sim"

	"go.starlark.net/starlark"
)

// TestValueTypesDocumented walks every value reachable from a world with
// clusters, Exchange, NLB, an ASR set and events: each type with attributes
// is one that `doc` documents, with exactly the attributes dir() shows.
func TestValueTypesDocumented(t *testing.T) {
	src, err := os.ReadFile("../runtime/sim/testdata/v1-clusters-nlb-timers.star")
	if err != nil {
		t.Fatal(err)
	}
	src = append(src, "\nlog = events()\nnode = get_node(cl, \"NODE1\")\nres = get_resource(cl, \"Disk S:\")\n"...)
	s := lang.NewSession(NewWorld(sim.New()), Registry(), nil)
	globals, err := s.ExecSource("fixture.star", src)
	if err != nil {
		t.Fatal(err)
	}
	reg := Registry()
	seen := map[string]bool{}
	var walk func(v starlark.Value, depth int)
	walk = func(v starlark.Value, depth int) {
		if depth > 4 {
			return
		}
		switch x := v.(type) {
		case starlark.String:
		case *starlark.Dict:
			for _, kv := range x.Items() {
				walk(kv[0], depth+1)
				walk(kv[1], depth+1)
			}
		case starlark.Indexable:
			for i := 0; i < x.Len(); i++ {
				walk(x.Index(i), depth+1)
			}
		case starlark.HasAttrs:
			if seen[x.Type()] {
				return
			}
			seen[x.Type()] = true
			typ, ok := reg.LookupType(x.Type())
			if !ok {
				t.Errorf("values of type %s have attributes, but doc does not know the type", x.Type())
				return
			}
			if got, want := x.AttrNames(), typ.AttrNames(); !slices.Equal(got, want) {
				t.Errorf("dir() of a %s is %v, doc lists %v", x.Type(), got, want)
			}
			for _, a := range x.AttrNames() {
				if y, err := x.Attr(a); err == nil && y != nil {
					walk(y, depth+1)
				}
			}
		}
	}
	for _, name := range globals.Keys() {
		walk(globals[name], 0)
	}
	var missing []string
	for _, typ := range reg.Types() {
		if !seen[typ.Name] {
			missing = append(missing, typ.Name)
		}
	}
	if len(missing) > 0 {
		t.Errorf("the walk never reached a value of %s; the test world misses something", strings.Join(missing, ", "))
	}
}
