package stdlib_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"clusterscript/builtins"
	"clusterscript/lang"
	"clusterscript/runtime/core"
	"clusterscript/runtime/mscs"
	"clusterscript/runtime/sim"
	"clusterscript/stdlib"

	"go.starlark.net/syntax"
)

// run executes a Starlark snippet against w and returns the transcript it
// wrote and its error.
func run(t *testing.T, w *sim.World, src string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	s := lang.NewSession(builtins.NewWorld(w), builtins.Registry(), &out)
	s.Files = fstest.MapFS{"snippet.star": {Data: []byte(src)}}
	_, err := s.ExecFile("snippet.star")
	return out.String(), err
}

// mustRun is run for snippets that must succeed.
func mustRun(t *testing.T, w *sim.World, src string) string {
	t.Helper()
	out, err := run(t, w, src)
	if err != nil {
		t.Fatalf("snippet failed: %s\n%s", lang.ErrorMessage(err), src)
	}
	return out
}

// reload saves w and loads it again, rebuilding every derived index after
// a test has edited the world's exported fields directly.
func reload(t *testing.T, w *sim.World) *sim.World {
	t.Helper()
	data, err := w.Save()
	if err != nil {
		t.Fatal(err)
	}
	w2, err := sim.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	return w2
}

// worldWithoutEvents is the state file of w without its event log: what
// a check that only writes "ok:" lines must leave unchanged.
func worldWithoutEvents(t *testing.T, w *sim.World) string {
	t.Helper()
	data, err := w.Save()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		World map[string]any `json:"world"`
	}
	if err := json.Unmarshal(data, &doc); err != nil || doc.World == nil {
		t.Fatalf("cannot read the state file: %v", err)
	}
	delete(doc.World, "events")
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func findCluster(t *testing.T, w *sim.World) *mscs.Cluster {
	t.Helper()
	c, err := w.MSCS.Cluster("EXCLUSTER")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func findGroup(t *testing.T, w *sim.World, name string) *mscs.Group {
	t.Helper()
	_, g, err := w.MSCS.GroupOf("EXCLUSTER", name)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func findResource(t *testing.T, w *sim.World, name string) *mscs.Resource {
	t.Helper()
	_, r, err := w.MSCS.ResourceOf("EXCLUSTER", name)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func findServer(t *testing.T, w *sim.World, name string) *core.Server {
	t.Helper()
	s, err := w.Server(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const loadChecks = `load("@stdlib//checks.star", "check_invariants", "invariant_problems", "check_refused")
cl = get_cluster("EXCLUSTER")
`

func TestCheckInvariantsOnAHealthyCluster(t *testing.T) {
	w := sim.New()
	mustRun(t, w, `
load("@stdlib//procedures.star", "lab_with_evs")
lab_with_evs()
`)
	out := mustRun(t, w, loadChecks+`
check_eq(invariant_problems(cl), [])
check_invariants(cl)
`)
	if want := "ok: cluster EXCLUSTER keeps its invariants: 2 group(s), 14 of 14 resources Online"; !strings.Contains(out, want) {
		t.Errorf("transcript lacks %q:\n%s", want, out)
	}
}

// Each case breaks one invariant by editing the world behind the engine's
// back (the engine itself refuses to), then requires check_invariants to
// fail naming it, and invariant_problems to list it with the cluster's name
// in front, as invariants(cl) does.
func TestCheckInvariantsFindsBrokenRules(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup string
		edit  func(t *testing.T, w *sim.World)
		want  string
		live  bool // edit the running world: no state-file round trip
		// loadRefuses: a state file of the edited world is refused on load.
		loadRefuses bool
	}{
		{
			name:  "dependency offline",
			setup: `lab_with_evs()`,
			edit: func(t *testing.T, w *sim.World) {
				findResource(t, w, "EVS1 IP Address").State = mscs.Offline
			},
			want: `resource "EVS1 Network Name" is Online but its dependency "EVS1 IP Address" is Offline`,
		},
		{
			name:  "online outside its possible owners",
			setup: `lab_with_evs()`,
			edit: func(t *testing.T, w *sim.World) {
				findResource(t, w, "EVS1 Disk R:").PossibleOwners = []string{"NODE2", "NODE3"}
			},
			want: `resource "EVS1 Disk R:" is Online on NODE1, which is not one of its possible owners (NODE2, NODE3)`,
		},
		{
			name:  "running group on a Down node",
			setup: `lab_with_evs()`,
			edit: func(t *testing.T, w *sim.World) {
				for _, n := range findCluster(t, w).Nodes {
					if n.Name == "NODE1" {
						n.State = mscs.NodeDown
					}
				}
			},
			want: `group "EVS1 Group" runs "EVS1 Disk R:" on NODE1, which is Down; a running group needs an Up or Paused node`,
		},
		{
			name:  "owner outside the cluster",
			setup: `lab_with_evs()`,
			edit: func(t *testing.T, w *sim.World) {
				findGroup(t, w, "EVS1 Group").Owner = "NODE9"
			},
			want: `group "EVS1 Group" is owned by NODE9, which is not a node of the cluster`,
			// A state file naming an owner outside the cluster is refused
			// on load, so this case edits the running world.
			live: true,
		},
		{
			name:  "no MSDTC under Exchange",
			setup: `lab_with_evs()`,
			live:  true, loadRefuses: true, // loading refuses such a world (mscs ValidateIndexed)
			edit: func(t *testing.T, w *sim.World) {
				g := findGroup(t, w, "Cluster Group")
				var kept []*mscs.Resource
				for _, r := range g.Resources {
					if r.Type != mscs.TypeDTC {
						kept = append(kept, r)
					}
				}
				g.Resources = kept
			},
			want: "cluster-aware Exchange is installed on NODE1, NODE2, NODE3, NODE4 but the cluster has no Distributed Transaction Coordinator; Exchange needs MSDTC in the cluster",
		},
		{
			name: "possible owner without Exchange",
			live: true, loadRefuses: true, // loading refuses such a world (mscs ValidateIndexed)
			setup: `lab_with_evs()`,
			edit: func(t *testing.T, w *sim.World) {
				findServer(t, w, "NODE4").Exchange = ""
			},
			want: `node NODE4 is a possible owner of System Attendant "EVS1 System Attendant" but has no cluster-aware Exchange`,
		},
		{
			name: "System Attendant off a disk",
			live: true, loadRefuses: true, // loading refuses such a world (mscs ValidateIndexed)
			setup: `lab_with_evs()`,
			edit: func(t *testing.T, w *sim.World) {
				findResource(t, w, "EVS1 System Attendant").Dependencies = []string{"EVS1 Network Name"}
			},
			want: `System Attendant "EVS1 System Attendant" does not depend on "EVS1 Disk R:", a Physical Disk of group "EVS1 Group"`,
		},
		{
			name: "two virtual servers on one node",
			setup: `setup = lab_with_evs()
build_evs(setup["cluster"], "EVS2", "10.0.0.102", setup["lab"]["data"][1], preferred = ["NODE3"])`,
			edit: func(t *testing.T, w *sim.World) {
				findGroup(t, w, "EVS2 Group").Owner = "NODE1"
			},
			want: `node NODE1 runs Exchange virtual servers "EVS1 Group", "EVS2 Group"; on 4 nodes each node runs at most one`,
		},
		{
			name: "more virtual servers than N-1",
			setup: `setup = lab_with_evs(data_disks = 3)
build_evs(setup["cluster"], "EVS2", "10.0.0.102", setup["lab"]["data"][1], preferred = ["NODE2"])
build_evs(setup["cluster"], "EVS3", "10.0.0.103", setup["lab"]["data"][2], preferred = ["NODE3"])`,
			edit: func(t *testing.T, w *sim.World) {
				c := findCluster(t, w)
				c.Nodes = c.Nodes[:3]
				findServer(t, w, "NODE4").Cluster = ""
			},
			want: "it has 3 nodes and 3 Exchange virtual servers; Exchange 2003 allows at most 2 (N-1 on a cluster of 3 or more nodes)",
		},
		{
			name: "a second Message Transfer Agent",
			live: true, loadRefuses: true, // loading refuses such a world (mscs ValidateIndexed)
			setup: `setup = lab_with_evs()
build_evs(setup["cluster"], "EVS2", "10.0.0.102", setup["lab"]["data"][1], preferred = ["NODE2"])`,
			edit: func(t *testing.T, w *sim.World) {
				findResource(t, w, "Exchange Routing Service Instance (EVS2)").Type = mscs.TypeMTA
			},
			want: "it has 2 Exchange virtual servers and 2 Message Transfer Agents; the first virtual server holds the only one",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := sim.New()
			mustRun(t, w, `
load("@stdlib//procedures.star", "lab_with_evs")
load("@stdlib//cluster.star", "build_evs")
`+tc.setup+"\n")
			mustRun(t, w, loadChecks+"check_invariants(cl)\n")
			tc.edit(t, w)
			if !tc.live {
				w = reload(t, w)
			}
			if tc.loadRefuses {
				data, err := w.Save()
				if err != nil {
					t.Fatal(err)
				}
				if _, err := sim.Load(data); err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("loading a world where %s: got %v, want a refusal saying %q", tc.name, err, tc.want)
				}
			}
			before := worldWithoutEvents(t, w)
			_, err := run(t, w, loadChecks+"check_invariants(cl)\n")
			if err == nil {
				t.Fatalf("check_invariants passed on a cluster where %s", tc.name)
			}
			msg := lang.ErrorMessage(err)
			if !strings.Contains(msg, "cluster EXCLUSTER breaks") || !strings.Contains(msg, tc.want) {
				t.Errorf("check_invariants failed with\n  %s\nwant it to name\n  %s", msg, tc.want)
			}
			if strings.Contains(msg, "cluster EXCLUSTER: ") {
				t.Errorf("check_invariants repeats the cluster's name before each problem: %s", msg)
			}
			mustRun(t, w, loadChecks+"check("+starlarkString("cluster EXCLUSTER: "+tc.want)+" in invariant_problems(cl))\n")
			mustRun(t, w, loadChecks+"check_eq(invariant_problems(cl), invariants(cl))\n")
			if after := worldWithoutEvents(t, w); after != before {
				t.Error("checking the invariants changed the world")
			}
		})
	}
}

func starlarkString(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}

func TestCheckRefused(t *testing.T) {
	w := sim.New()
	mustRun(t, w, `
load("@stdlib//procedures.star", "lab_with_cluster")
lab_with_cluster()
`)
	before := worldWithoutEvents(t, w)
	out := mustRun(t, w, loadChecks+`check_refused("already a node", add_node, cl, "NODE2")`+"\n")
	if want := "ok: refused: add_node: server NODE2 is already a node of cluster EXCLUSTER"; !strings.Contains(out, want) {
		t.Errorf("transcript lacks %q:\n%s", want, out)
	}
	// Only the check line was added to the log; the cluster is as it was.
	if after := worldWithoutEvents(t, w); after != before {
		t.Error("a refused call inside check_refused changed the world")
	}

	_, err := run(t, w, loadChecks+`check_refused("password", add_node, cl, "NODE2")`+"\n")
	if err == nil || !strings.Contains(lang.ErrorMessage(err), `was refused, but not for "password"`) {
		t.Errorf("a refusal for another reason must fail; got %v", err)
	}
	_, err = run(t, w, loadChecks+`check_refused("anything", new_group, cl, "Files")`+"\n")
	if err == nil || !strings.Contains(lang.ErrorMessage(err), "but it succeeded") {
		t.Errorf("a call that succeeds must fail check_refused; got %v", err)
	}
}

// The two ways of building a virtual server give the same resources, with
// the same dependencies, types and owners, all Online.
func TestBuildEvsAndWizardAgree(t *testing.T) {
	shape := func(build string) []string {
		w := sim.New()
		mustRun(t, w, `
load("@stdlib//procedures.star", "lab_with_exchange")
load("@stdlib//cluster.star", "build_evs", "build_evs_wizard")
setup = lab_with_exchange()
`+build+`(setup["cluster"], "EVS1", "10.0.0.101", setup["lab"]["data"][0], preferred = ["NODE2", "NODE1"])
`)
		var out []string
		g := findGroup(t, w, "EVS1 Group")
		for _, r := range g.Resources {
			out = append(out, strings.Join([]string{r.Name, r.Type, r.State, strings.Join(r.Dependencies, "+")}, " | "))
		}
		sort.Strings(out)
		out = append(out, "owner "+g.Owner, "preferred "+strings.Join(g.PreferredOwners, ","), "description "+g.Description)
		return out
	}
	byHand, wizard := shape("build_evs"), shape("build_evs_wizard")
	if strings.Join(byHand, "\n") != strings.Join(wizard, "\n") {
		t.Errorf("build_evs and build_evs_wizard differ:\nby hand:\n  %s\nwizard:\n  %s",
			strings.Join(byHand, "\n  "), strings.Join(wizard, "\n  "))
	}
	if len(byHand) != 13 || !strings.Contains(byHand[len(byHand)-3], "NODE2") {
		t.Errorf("want 10 Online resources on NODE2, got:\n  %s", strings.Join(byHand, "\n  "))
	}
	for _, line := range byHand[:10] {
		if !strings.Contains(line, " | Online | ") {
			t.Errorf("resource not Online: %s", line)
		}
	}
}

func TestWizardStopsShortWhenAsked(t *testing.T) {
	w := sim.New()
	mustRun(t, w, `
load("@stdlib//procedures.star", "lab_with_exchange")
load("@stdlib//cluster.star", "build_evs_wizard")
setup = lab_with_exchange()
g = build_evs_wizard(setup["cluster"], "EVS1", "10.0.0.101", setup["lab"]["data"][0], online = False, description = "mail")
check_eq(g.state, "Partially Online")
check_eq(get_resource(setup["cluster"], "EVS1 Network Name").state, "Online")
check_eq(get_resource(setup["cluster"], "EVS1 System Attendant").state, "Offline")
check_eq(get_resource(setup["cluster"], "EVS1 System Attendant").params["data_directory"], "R:\\Exchsrvr\\mdbdata")
check_eq(g.description, "mail")
`)
}

// Each stage leaves the world the next procedure expects.
func TestStages(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"lab_with_cluster one member", `
s = lab_with_cluster(members = 1)
check_eq(s["cluster"].nodes, ["NODE1"])
check_eq(sorted(s.keys()), ["cluster", "lab"])`},
		{"lab_with_cluster", `
s = lab_with_cluster(nodes = 3, data_disks = 1)
check_eq(s["cluster"].nodes, ["NODE1", "NODE2", "NODE3"])
check_eq([d.letter for d in s["lab"]["data"]], ["R:"])`},
		{"lab_with_msdtc", `
s = lab_with_msdtc()
check_eq((s["msdtc"].state, s["msdtc"].group, s["msdtc"].dependencies), ("Online", "Cluster Group", ["Cluster Name", "Disk Q:"]))
check_eq([get_server(n).exchange for n in s["cluster"].nodes], [None] * 4)`},
		{"lab_with_exchange", `
s = lab_with_exchange(nodes = 2)
check_eq([get_server(n).exchange for n in s["cluster"].nodes], ["cluster-aware", "cluster-aware"])
check_eq(s["cluster"].groups, ["Cluster Group"])`},
		{"lab_with_evs", `
s = lab_with_evs(preferred = ["NODE3"])
check_eq((s["evs"].name, s["evs"].state, s["evs"].owner), ("EVS1 Group", "Online", "NODE3"))`},
		{"lab_with_lost_node", `
s = lab_with_lost_node("NODE1")
cl = s["cluster"]
check_eq(get_node(cl, "NODE1").state, "Down")
check_eq((s["evs"].owner, s["evs"].failback, s["evs"].preferred_owners), ("NODE2", "immediate", ["NODE1", "NODE2"]))
check_eq((s["backup"].server, s["backup"].time), ("NODE1", "2004-01-05 08:00:00"))
check_eq(now(), "2004-01-05 11:00:06")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := sim.New()
			mustRun(t, w, `load("@stdlib//procedures.star", "lab_with_cluster", "lab_with_msdtc", "lab_with_exchange", "lab_with_evs", "lab_with_lost_node")
`+tc.src+"\n")
		})
	}
}

// Every module of the standard library has a docstring, and so has every
// function it exports (names without a leading underscore).
func TestEveryHelperIsDocumented(t *testing.T) {
	files, err := fs.Glob(stdlib.FS, "*.star")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 4 {
		t.Fatalf("found only %v in the standard library", files)
	}
	for _, name := range files {
		src, err := fs.ReadFile(stdlib.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := lang.FileOptions.Parse(name, src, 0)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(f.Stmts) == 0 || !isDocstring(f.Stmts[0]) {
			t.Errorf("%s has no module docstring", name)
		}
		for _, st := range f.Stmts {
			def, ok := st.(*syntax.DefStmt)
			if !ok || strings.HasPrefix(def.Name.Name, "_") {
				continue
			}
			if len(def.Body) == 0 || !isDocstring(def.Body[0]) {
				t.Errorf("%s: function %s has no docstring", name, def.Name.Name)
			}
		}
	}
}

func isDocstring(st syntax.Stmt) bool {
	e, ok := st.(*syntax.ExprStmt)
	if !ok {
		return false
	}
	lit, ok := e.X.(*syntax.Literal)
	return ok && lit.Token == syntax.STRING
}
