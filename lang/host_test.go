package lang_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestHostDoesNotKnowTheEngine keeps lang the Starlark host only: nothing
// it depends on, directly or not, comes from the engine, and its tests
// reach the world through builtins and lang.World, never the engine's
// packages.
func TestHostDoesNotKnowTheEngine(t *testing.T) {
	list := func(format string) []string {
		out, err := exec.Command("go", "list", "-f", format, ".").CombinedOutput()
		if err != nil {
			t.Fatalf("go list: %v\n%s", err, out)
		}
		return strings.Fields(string(out))
	}
	deps := list(`{{join .Deps " "}}`)
	if len(deps) < 10 {
		t.Fatalf("go list gave too little to be the dependency list: %q", deps)
	}
	tests := list(`{{join .TestImports " "}} {{join .XTestImports " "}}`)
	if len(tests) < 5 {
		t.Fatalf("go list gave too little to be the test imports: %q", tests)
	}
	for _, d := range append(deps, tests...) {
		if strings.HasPrefix(d, "clusterscript/runtime/") {
			t.Errorf("lang reaches %s; the host knows the world only through the World interface", d)
		}
	}
}
