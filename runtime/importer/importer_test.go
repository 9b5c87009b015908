package importer

import (
	"os"
	"strings"
	"testing"

	"clusterscript/runtime/core"
	"clusterscript/runtime/sim"
)

// importFile imports a testdata file into a new world.
func importFile(t *testing.T, name string) (*sim.World, *Snapshot) {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	w := sim.New()
	s, err := Import(w, data, "", name)
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return w, s
}

// eventsText is the log as transcript lines.
func eventsText(w *sim.World) string {
	var b strings.Builder
	for _, e := range w.Log() {
		b.WriteString(e.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func warnings(w *sim.World) []string {
	var out []string
	for _, e := range w.Log() {
		if e.Kind == core.KindWarning {
			out = append(out, e.Text)
		}
	}
	return out
}

func TestDump(t *testing.T) {
	for _, f := range []string{"fileserver.json", "cluster2016.json", "nlbfarm.json"} {
		w, _ := importFile(t, f)
		t.Log(eventsText(w))
	}
}
