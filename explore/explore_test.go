package explore

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"clusterscript/builtins"
	"clusterscript/lang"
	"clusterscript/runtime/sim"
)

// explore runs a whole exploration of a runbook in testdata/ and returns
// the explorer and its records, by index.
func explore(t *testing.T, name string, opt Options) (*Explorer, []Record) {
	t.Helper()
	opt.Path = "testdata/" + name
	if opt.Jobs == 0 {
		opt.Jobs = 2
	}
	x, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	res, complete := x.Run(Shard{})
	if !complete || len(res) != len(x.Cases()) {
		t.Fatalf("%d of %d cases ran", len(res), len(x.Cases()))
	}
	recs := make([]Record, len(res))
	for i, r := range res {
		recs[i] = x.Record(r)
	}
	return x, recs
}

// caseOf finds the record of a fault at the point labelled where.
func caseOf(t *testing.T, recs []Record, where, fault string) Record {
	t.Helper()
	for _, r := range recs {
		if r.Where == where && r.Fault == fault {
			return r
		}
	}
	t.Fatalf("no case of %s at %s", fault, where)
	return Record{}
}

// TestPoints: the points are the steps' starts and the top-level calls
// that changed the world, labelled with the call and its line; calls that
// only check or write (runbook, procedure, check_eq) are none.
func TestPoints(t *testing.T) {
	x, err := New(Options{Path: "testdata/move_group.star"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range x.Points {
		got = append(got, p.Where)
	}
	want := []string{
		"after quietly (move_group.star:8)",
		"after quietly (move_group.star:9)",
		"after new_group (move_group.star:10)",
		"after new_resource (move_group.star:11)",
		"after bring_online (move_group.star:12)",
		`step 1 "Move the group to NODE2" (move_group.star:15)`,
		"after move_group (move_group.star:16)",
		`step 2 "Check that it runs there" (move_group.star:17)`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("points:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := len(x.Points[0].Faults); n != 0 {
		t.Errorf("before the cluster exists there is nothing to fail, but point 1 has %d faults", n)
	}
	var calls []string
	for _, f := range x.Points[5].Faults {
		calls = append(calls, f.Call())
	}
	wantCalls := []string{
		`fail_server("NODE1")`, `fail_server("NODE2")`, `fail_server("NODE3")`,
		`fail_adapter("NODE1", "Public")`, `fail_adapter("NODE1", "Private")`, `fail_adapter("NODE2", "Public")`,
		`fail_adapter("NODE2", "Private")`, `fail_adapter("NODE3", "Public")`, `fail_adapter("NODE3", "Private")`,
		`fail_disk("Quorum")`,
		`fail_resource("APPCLUSTER", "App Service")`, `fail_resource("APPCLUSTER", "Cluster IP Address")`,
		`fail_resource("APPCLUSTER", "Cluster Name")`, `fail_resource("APPCLUSTER", "Disk Q:")`,
		`lose_system_disk("NODE1")`, `lose_system_disk("NODE2")`, `lose_system_disk("NODE3")`,
	}
	if !slices.Equal(calls, wantCalls) {
		t.Errorf("faults at step 1:\n%s\nwant:\n%s", strings.Join(calls, "\n"), strings.Join(wantCalls, "\n"))
	}
}

// TestOutcomesAtTheirPoints runs small runbooks whose weak points are
// known and finds each outcome where it belongs.
func TestOutcomesAtTheirPoints(t *testing.T) {
	step1 := `step 1 "Move the group to NODE2" (move_group.star:15)`
	_, recs := explore(t, "move_group.star", Options{})
	// The move names NODE2: with NODE2 down it is refused, in step 1.
	r := caseOf(t, recs, step1, `fail_server("NODE2")`)
	if r.Outcome != RunbookFailed || !strings.HasPrefix(r.Reason, `move_group: group "App" cannot move to NODE2`) ||
		!strings.HasSuffix(r.Reason, `(move_group.star:16, procedure "Move the application", step 1)`) {
		t.Errorf("NODE2 down at step 1: %s: %s", r.Outcome, r.Reason)
	}
	if r.Case != "6.2" || r.Point != 6 || r.Kind != Server || r.Replay != "clusterscript explore testdata/move_group.star --case 6.2" {
		t.Errorf("the case is %+v", r)
	}
	// Another node may fail at the same moment: the move goes on.
	if r := caseOf(t, recs, step1, `fail_server("NODE3")`); r.Outcome != Survived || r.Reason != "" {
		t.Errorf("NODE3 down at step 1: %s: %s", r.Outcome, r.Reason)
	}
	// Once the group has moved, NODE2's crash is a failover the cluster
	// handles by itself.
	if r := caseOf(t, recs, "after move_group (move_group.star:16)", `fail_server("NODE2")`); r.Outcome != Survived {
		t.Errorf("NODE2 down after the move: %s: %s", r.Outcome, r.Reason)
	}

	// A three-node majority node set that lost NODE3 in the drill cannot
	// lose another node: before the check, the check fails; after it, the
	// run ends with the cluster down.
	_, recs = explore(t, "majority.star", Options{})
	if r := caseOf(t, recs, "after fail_server (majority.star:10)", `fail_server("NODE1")`); r.Outcome != RunbookFailed ||
		r.Reason != "check: failed: two of three nodes keep quorum (majority.star:12)" {
		t.Errorf("a second node down before the check: %s: %s", r.Outcome, r.Reason)
	}
	if r := caseOf(t, recs, "after settle (majority.star:11)", `fail_server("NODE1")`); r.Outcome != Unavailable ||
		r.Reason != "cluster MNS has lost quorum (it keeps quorum without the fault)" {
		t.Errorf("a second node down after the check: %s: %s", r.Outcome, r.Reason)
	}
	if r := caseOf(t, recs, "after settle (majority.star:11)", `lose_system_disk("NODE3")`); r.Outcome != Survived {
		t.Errorf("the drill's own failed node loses its disk too: %s: %s", r.Outcome, r.Reason)
	}

	// A loop waits for a failover that a second crash makes impossible.
	_, recs = explore(t, "wait_loop.star", Options{MaxSteps: 200_000})
	r = caseOf(t, recs, "after bring_online (wait_loop.star:12)", `fail_server("NODE2")`)
	if r.Outcome != StepLimit || !strings.Contains(r.Reason, "step budget of 200000 steps") {
		t.Errorf("no majority to fail over to: %s: %s", r.Outcome, r.Reason)
	}
	if !strings.HasSuffix(r.Replay, " --max-steps 200000 --case "+r.Case) {
		t.Errorf("the replay does not repeat --max-steps: %s", r.Replay)
	}
	if r := caseOf(t, recs, "after bring_online (wait_loop.star:12)", `fail_adapter("NODE2", "Private")`); r.Outcome != Survived {
		t.Errorf("a lost private adapter: %s: %s", r.Outcome, r.Reason)
	}
}

// TestBroken: a case whose world breaks an invariant is broken, and comes
// first in the report. The engine keeps its invariants, so the test makes
// one that NODE3's crash breaks.
func TestBroken(t *testing.T) {
	saved := invariants
	defer func() { invariants = saved }()
	invariants = func(w *sim.World) []string {
		if !w.LookupServer("NODE3").Running {
			return []string{"server NODE3: down, which this test forbids", "a second problem"}
		}
		return nil
	}
	x, recs := explore(t, "move_group.star", Options{})
	r := caseOf(t, recs, "after new_group (move_group.star:10)", `lose_system_disk("NODE3")`)
	if r.Outcome != Broken || r.Reason != "server NODE3: down, which this test forbids (and 1 more)" {
		t.Errorf("%s: %s", r.Outcome, r.Reason)
	}
	var b bytes.Buffer
	if err := WriteReport(&b, x.Header(Shard{}), recs); err != nil {
		t.Fatal(err)
	}
	rep := b.String()
	if i, j := strings.Index(rep, "\nbroken: "), strings.Index(rep, "\nrunbook-failed: "); i < 0 || j < 0 || i > j {
		t.Errorf("broken cases do not come first:\n%s", rep)
	}
}

// report renders records as the text report and the JSON lines.
func report(t *testing.T, h Header, recs []Record) (string, string) {
	t.Helper()
	var text, js bytes.Buffer
	if err := WriteReport(&text, h, recs); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, h, recs); err != nil {
		t.Fatal(err)
	}
	return text.String(), js.String()
}

// TestDeterministic: the report is the same byte for byte however many
// cases run at once.
func TestDeterministic(t *testing.T) {
	x1, one := explore(t, "move_group.star", Options{Jobs: 1})
	x4, four := explore(t, "move_group.star", Options{Jobs: 4})
	text1, json1 := report(t, x1.Header(Shard{}), one)
	text4, json4 := report(t, x4.Header(Shard{}), four)
	if text1 != text4 || json1 != json4 {
		t.Errorf("--jobs 1 and --jobs 4 differ:\n%s\n%s", text1, text4)
	}
}

// TestShardsMerge: shards' JSON merged gives the unsharded report and
// JSON, byte for byte.
func TestShardsMerge(t *testing.T) {
	x, whole := explore(t, "majority.star", Options{})
	wantText, wantJSON := report(t, x.Header(Shard{}), whole)
	var parts []Part
	total := 0
	for i := range 3 {
		sh := Shard{i, 3}
		res, _ := x.Run(sh)
		recs := make([]Record, len(res))
		for j, r := range res {
			recs[j] = x.Record(r)
			if r.Case.Index%3 != i {
				t.Errorf("shard %s ran case %s (index %d)", sh, r.Case.ID, r.Case.Index)
			}
		}
		total += len(recs)
		var b bytes.Buffer
		if err := WriteJSON(&b, x.Header(sh), recs); err != nil {
			t.Fatal(err)
		}
		h, back, err := ReadJSON(fmt.Sprintf("shard%d.json", i), &b)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, Part{Name: fmt.Sprintf("shard%d.json", i), Header: h, Records: back})
	}
	if total != len(whole) {
		t.Errorf("the shards ran %d cases, the whole %d", total, len(whole))
	}
	slices.Reverse(parts) // the order of the files does not matter
	h, recs, err := Merge(parts)
	if err != nil {
		t.Fatal(err)
	}
	gotText, gotJSON := report(t, h, recs)
	if gotText != wantText || gotJSON != wantJSON {
		t.Errorf("merged shards differ from the whole:\n%s\nwant:\n%s", gotText, wantText)
	}
}

// TestMergeRefuses: files that are not the shards of one exploration.
func TestMergeRefuses(t *testing.T) {
	x, _ := explore(t, "majority.star", Options{})
	shard := func(x *Explorer, i, n int) Part {
		res, _ := x.Run(Shard{i, n})
		recs := make([]Record, len(res))
		for j, r := range res {
			recs[j] = x.Record(r)
		}
		return Part{Name: fmt.Sprintf("%d-of-%d.json", i, n), Header: x.Header(Shard{i, n}), Records: recs}
	}
	a, b := shard(x, 0, 2), shard(x, 1, 2)
	other, err := New(Options{Path: "testdata/move_group.star"})
	if err != nil {
		t.Fatal(err)
	}
	newer := b
	newer.Header.Version = "v9.9.9"
	fewer := b
	fewer.Records = fewer.Records[1:]
	for _, tc := range []struct {
		parts []Part
		want  string
	}{
		{[]Part{a, shard(other, 1, 2)}, "one explores testdata/majority.star, the other testdata/move_group.star"},
		{[]Part{a, newer}, "written by different versions"},
		{[]Part{a}, "shard 1/2 is missing"},
		{[]Part{a, a, b}, "are both shard 0/2"},
		{[]Part{a, shard(x, 1, 3)}, "share their count"},
		{[]Part{a, fewer}, "hold 38 of the 39 cases"},
	} {
		if _, _, err := Merge(tc.parts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Merge: %v; want an error saying %q", err, tc.want)
		}
	}
	for _, tc := range []struct{ text, want string }{
		{"", "no header line"},
		{"not json\n", "not a line of `clusterscript explore --json`"},
		{`{"explore":7,"runbook":"r"}` + "\n", "format 7"},
		{`{"a":1}` + "\n", "not the header"},
	} {
		if _, _, err := ReadJSON("f.json", strings.NewReader(tc.text)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadJSON(%q): %v; want %q", tc.text, err, tc.want)
		}
	}
}

// TestCaseIDs: a case ID names a fault at a point whatever --faults and
// --depth say; IDs that name nothing are refused.
func TestCaseIDs(t *testing.T) {
	x, err := New(Options{Path: "testdata/move_group.star", Kinds: []Kind{Disk}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range x.Cases() {
		if k := x.Points[c.targets[0].point-1].Faults[c.targets[0].fault].Kind; k != Disk {
			t.Errorf("--faults disk explores case %s, a %s fault", c.ID, k)
		}
	}
	c, err := x.Case("6.2")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	res, _ := x.RunCase(c, &out)
	if res.Outcome != RunbookFailed || !strings.Contains(out.String(), "note      explore: fail_server(\"NODE2\") at point 6, step 1 \"Move the group to NODE2\" (move_group.star:15)\n") ||
		!strings.Contains(out.String(), "clock     explore: settled after") {
		t.Errorf("case 6.2: %s\n%s", res.Outcome, out.String())
	}
	for _, tc := range []struct{ id, want string }{
		{"9.1", "there is no point 9; the runbook has 8 points"},
		{"6.18", "has 17 faults, so there is no fault 18"},
		{"6.0", "there is no fault 0"},
		{"6", "is not a case ID"},
		{"x.1", "is not a case ID"},
		{"7.1+6.2", "the second fault must come after the first"},
		{"6.1+6.2+6.3", "one fault (12.3) or two"},
	} {
		_, err := x.Case(tc.id)
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Case(%q): %v; want a usage error saying %q", tc.id, err, tc.want)
		}
	}
	if _, err := x.Case("6.2+7.1"); err != nil {
		t.Error(err)
	}
}

// TestDepthTwo: every pair of faults, the second at the same point or
// later; a second fault the first made moot is noted.
func TestDepthTwo(t *testing.T) {
	x1, singles := explore(t, "majority.star", Options{})
	x2, recs := explore(t, "majority.star", Options{Depth: 2})
	n := len(singles)
	if len(recs) != n+n*(n-1)/2 {
		t.Errorf("%d cases at depth 2 from %d single faults; want %d", len(recs), n, n+n*(n-1)/2)
	}
	if x1.Header(Shard{}).Cases != n || x2.Header(Shard{}).Depth != 2 {
		t.Errorf("headers: %+v %+v", x1.Header(Shard{}), x2.Header(Shard{}))
	}
	var pair Record
	for _, r := range recs {
		if r.Case == "3.1+4.1" {
			pair = r
		}
	}
	if pair.Fault != `fail_server("NODE1") then fail_server("NODE1")` || !strings.Contains(pair.Reason, `fail_server("NODE1") did not apply: server NODE1 is already down`) {
		t.Errorf("the pair: %+v", pair)
	}
}

// TestNothingToExplore: a runbook that fails without a fault is reported
// as such, a static error as static.
func TestNothingToExplore(t *testing.T) {
	_, err := New(Options{Path: "testdata/fails.star"})
	var ff *FaultFreeError
	if !errors.As(err, &ff) || ff.Err == nil || lang.IsStatic(ff.Err) || !strings.Contains(ff.Text, "check_eq: failed: one is not two: got 1, want 2") {
		t.Errorf("fails.star: %v", err)
	}
	_, err = New(Options{Path: "testdata/static.star"})
	if !errors.As(err, &ff) || !lang.IsStatic(ff.Err) || !strings.Contains(ff.Text, "did you mean create_cluster?") {
		t.Errorf("static.star: %v", err)
	}
	_, err = New(Options{Path: "testdata/nothing.star"})
	var fe *lang.FileError
	if !errors.As(err, &fe) {
		t.Errorf("a missing runbook: %v", err)
	}
	if _, err := New(Options{Path: "testdata/majority.star", Depth: 3}); err == nil || !strings.Contains(err.Error(), "--depth 3") {
		t.Errorf("depth 3: %v", err)
	}
}

func TestParseKindsAndShards(t *testing.T) {
	if k, err := ParseKinds("disk, server"); err != nil || !slices.Equal(k, []Kind{Server, Disk}) {
		t.Errorf("ParseKinds: %v %v", k, err)
	}
	if _, err := ParseKinds("server,cpu"); err == nil || !strings.Contains(err.Error(), `"cpu" is not a kind of fault; the kinds are server, adapter, disk, resource, system_disk`) {
		t.Errorf("ParseKinds(cpu): %v", err)
	}
	for _, tc := range []struct{ spec, want string }{
		{"1/3", ""}, {"0/1", ""},
		{"3/3", "counts from 0 to 2"}, {"-1/3", "counts from 0"}, {"1/0", "at least 1"},
		{"1", "write I/N"}, {"a/b", "write I/N"},
	} {
		_, err := ParseShard(tc.spec)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("ParseShard(%q): %v; want %q", tc.spec, err, tc.want)
		}
	}
}

// TestStateWorld: a --state world is the start of every run and is never
// changed; the replay command names it.
func TestStateWorld(t *testing.T) {
	s, err := lang.RunFile(builtins.Plugin, "testdata/cluster_only.star", lang.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	base := builtins.SimOf(s)
	before, _ := base.Save()
	x, recs := explore(t, "continue.star", Options{World: base, StateFile: "lab state.json", Sets: []string{"n=4"}})
	if x.Points[0].Where != "after fail_server (continue.star:3)" {
		t.Errorf("the first point is %s", x.Points[0].Where)
	}
	r := caseOf(t, recs, "after settle (continue.star:4)", `fail_server("NODE1")`)
	if r.Outcome != Unavailable || r.Replay != "clusterscript explore testdata/continue.star --state 'lab state.json' --set n=4 --case "+r.Case {
		t.Errorf("%+v", r)
	}
	after, _ := base.Save()
	if !bytes.Equal(before, after) {
		t.Error("the --state world changed")
	}
}
