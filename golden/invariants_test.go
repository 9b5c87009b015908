package golden

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"clusterscript/builtins"
	"clusterscript/lang"
	"clusterscript/runtime/core"

	"go.starlark.net/starlark"
)

// TestRunbooksKeepTheInvariants runs every runbook with each builtin
// wrapped: after every call that leaves the world at rest (no detection,
// restart, join or convergence pending), the engines' invariants must hold.
// The state file round trip is checked once, at the end, by Check.
func TestRunbooksKeepTheInvariants(t *testing.T) {
	runbooks, err := Find("..", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, rb := range runbooks {
		t.Run(rb[len("../runbooks/"):], func(t *testing.T) {
			var broken []string
			checked := 0
			reg := lang.NewRegistry()
			for _, b := range builtins.Registry().All() {
				b := *b
				inner := b.Fn
				b.Fn = func(thread *starlark.Thread, fb *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
					v, err := inner(thread, fb, args, kwargs)
					w := builtins.SimOf(lang.SessionOf(thread))
					if len(broken) == 0 && w.Settled() {
						checked++
						for _, p := range append(w.MSCS.Invariants(), w.NLB.Invariants()...) {
							broken = append(broken, fmt.Sprintf("after %s at %s: %s", b.Name, core.FormatTime(w.Now()), p))
						}
					}
					return v, err
				}
				reg.Add(b)
			}
			if _, err := lang.RunFile(withBuiltins{builtins.Plugin, reg}, rb, lang.RunOptions{Out: io.Discard}); err != nil {
				t.Fatalf("the runbook failed: %v", err)
			}
			if checked == 0 {
				t.Fatal("the world was never at rest after a builtin call")
			}
			if len(broken) > 0 {
				t.Errorf("the engine broke its invariants:\n  %s", strings.Join(broken, "\n  "))
			}
		})
	}
}

// withBuiltins is the project's plugin with another registry of builtins.
type withBuiltins struct {
	lang.Plugin
	reg *lang.Registry
}

func (p withBuiltins) Builtins() *lang.Registry { return p.reg }
