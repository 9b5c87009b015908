package export

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"clusterscript/builtins"
	"clusterscript/lang"
	"clusterscript/runtime/sim"

	"github.com/google/go-cmp/cmp"
)

// describeModel writes a configuration model as sorted lines, one fact
// each, for comparing two models.
func describeModel(m *model) []string {
	var out []string
	add := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }
	for _, d := range m.disks {
		add("disk %s letter %s signature %s", d.label, d.letter, d.signature)
	}
	for _, c := range m.clusters {
		add("cluster %s version %s domain %s ip %s/%s network %s account %s", c.name, c.version, c.domain, c.ip, c.mask, c.network, c.account)
		add("cluster %s quorum %s resource %q witness %q", c.name, c.quorum, c.quorumResource, c.witness)
		add("cluster %s nodes %v no vote %v low priority %q props %v sites %v", c.name, c.nodes, c.noVote, c.lowPriorityNode, c.props, c.sites)
		for i, g := range c.groups {
			add("cluster %s group %d %s %q preferred %v policy %+v priority %q classes %v", c.name, i, g.name, g.description, g.preferred, g.policy, g.priority, g.antiAffinity)
			for _, r := range g.resources {
				add("cluster %s group %s resource %s %s %q possible %v deps %v params %v restart %+v",
					c.name, g.name, r.name, r.typ, r.description, r.possible, r.deps, r.params, r.restart)
			}
		}
	}
	for _, n := range m.nlbs {
		add("nlb %s %s/%s %s hosts %+v rules %+v", n.name, n.ip, n.mask, n.mode, n.hosts, n.rules)
	}
	slices.Sort(out)
	return out
}

// The change log holds every configuration change as it took effect: for
// every runbook, the configuration its changes build from an empty world
// is the configuration read from the world it left. Export writes scripts
// from the first and --all from the second, so they must not part.
func TestChangeLogBuildsTheWorld(t *testing.T) {
	var books []string
	err := filepath.WalkDir("../../runbooks", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".star") && !strings.HasPrefix(d.Name(), "_") {
			books = append(books, p)
		}
		return err
	})
	if err != nil || len(books) < 30 {
		t.Fatalf("%d runbooks found (%v)", len(books), err)
	}
	for _, book := range books {
		s, err := lang.RunFile(builtins.Plugin, book, lang.RunOptions{Out: io.Discard, World: builtins.NewWorld(sim.New())})
		if err != nil {
			t.Fatalf("%s: %v", book, err)
		}
		w := builtins.SimOf(s)
		replayed := newModel(nil)
		for _, ch := range w.Changes() {
			replayed.apply(ch)
		}
		if d := cmp.Diff(describeModel(newModel(w)), describeModel(replayed)); d != "" {
			t.Errorf("%s: the world (-) and its change log (+) disagree:\n%s", book, d)
		}
	}
}
