package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clusterscript/lang"
)

const exploreData = "../../explore/testdata/"

// TestExploreCommand: the report on stdout, exit 1 when a case did not
// survive; --json; --case; merge of shards equal to the whole.
func TestExploreCommand(t *testing.T) {
	noShardingVariables(t)
	rb := exploreData + "majority.star"
	whole := run("explore", rb, "--jobs", "2")
	whole.expect(t, lang.ExitFailed)
	for _, want := range []string{
		"explore " + rb + "\n4 points, 39 cases (depth 1; faults: server, adapter, disk, resource, system_disk)\n",
		"\nunavailable: 4 cases\n  4.1  fail_server(\"NODE1\") at point 4, after settle (majority.star:11)\n",
		"clusterscript explore " + rb + " --case 4.1\n",
	} {
		if !strings.Contains(whole.stdout, want) {
			t.Errorf("the report lacks %q:\n%s", want, whole.stdout)
		}
	}
	if whole.stderr != "" {
		t.Errorf("stderr: %s", whole.stderr)
	}

	dir := t.TempDir()
	var shards []string
	for _, i := range []string{"0", "1"} {
		r := run("explore", rb, "--json", "--shard", i+"/2")
		r.expect(t, lang.ExitFailed)
		p := filepath.Join(dir, "shard"+i+".json")
		if err := os.WriteFile(p, []byte(r.stdout), 0o644); err != nil {
			t.Fatal(err)
		}
		shards = append(shards, p)
	}
	merged := run("explore", "merge", shards[1], shards[0])
	merged.expect(t, lang.ExitFailed)
	if merged.stdout != whole.stdout {
		t.Errorf("merged shards:\n%s\nthe whole:\n%s", merged.stdout, whole.stdout)
	}
	wholeJSON := run("explore", rb, "--json")
	if m := run("explore", "merge", "--json", shards[0], shards[1]); m.stdout != wholeJSON.stdout {
		t.Errorf("merged JSON differs from the whole's:\n%s\n%s", m.stdout, wholeJSON.stdout)
	}
	first, _, _ := strings.Cut(wholeJSON.stdout, "\n")
	if strings.Contains(first, `"case"`) || !strings.Contains(first, `"runbook":"`+rb+`"`) {
		t.Errorf("the first JSON line is not the header: %s", first)
	}

	c := run("explore", rb, "--case", "4.1")
	c.expect(t, lang.ExitFailed)
	if !strings.Contains(c.stdout, "note      explore: fail_server(\"NODE1\") at point 4, after settle (majority.star:11)\n") ||
		!strings.HasSuffix(c.stdout, "\ncase 4.1: fail_server(\"NODE1\") at point 4, after settle (majority.star:11)\noutcome: unavailable\n  cluster MNS has lost quorum (it keeps quorum without the fault)\n") {
		t.Errorf("--case 4.1:\n%s", c.stdout)
	}
	run("explore", rb, "--case", "4.3").expect(t, lang.ExitOK) // a lost public adapter is survived
}

// TestExploreBadInput: bad usage exits 2 with a clear message; a runbook
// that fails without any fault exits 1 before exploring.
func TestExploreBadInput(t *testing.T) {
	noShardingVariables(t)
	rb := exploreData + "majority.star"
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	shard0 := write("s0.json", run("explore", rb, "--json", "--shard", "0/2").stdout)
	other := write("o1.json", run("explore", exploreData+"move_group.star", "--json", "--shard", "1/2").stdout)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{rb, "--faults", "server,cpu"}, 2, `"cpu" is not a kind of fault`},
		{[]string{rb, "--shard", "2/2"}, 2, "the index counts from 0 to 1 for 2 shards"},
		{[]string{rb, "--shard", "half"}, 2, "write I/N"},
		{[]string{rb, "--depth", "3"}, 2, "--depth 3: give 1"},
		{[]string{rb, "--jobs", "0"}, 2, "--jobs 0"},
		{[]string{rb, "--max-steps", "0"}, 2, "--max-steps must be at least 1"},
		{[]string{rb, "--case", "9.1"}, 2, "there is no point 9; the runbook has 4 points"},
		{[]string{rb, "--case", "4.1", "--json"}, 2, "--case prints one case's transcript"},
		{[]string{rb, "--shard", "0/2", "--shard-count", "2"}, 2, "not both"},
		{[]string{rb, "--shard-count", "2"}, 2, "JOB_COMPLETION_INDEX"},
		{[]string{exploreData + "nothing.star"}, 2, "nothing.star"},
		{[]string{exploreData}, 2, "it is a folder, not a file"},
		{[]string{}, 2, "give exactly one runbook file"},
		{[]string{exploreData + "static.star"}, 2, "undefined: craete_cluster (did you mean create_cluster?)"},
		{[]string{exploreData + "fails.star"}, 1, "the runbook fails without any fault, so there is nothing to explore"},
		{[]string{"merge"}, 2, "merge needs the --json files"},
		{[]string{"merge", shard0, other}, 2, "are not shards of one exploration: one explores"},
		{[]string{"merge", shard0}, 2, "shard 1/2 is missing"},
		{[]string{"merge", shard0, shard0}, 2, "are both shard 0/2"},
		{[]string{"merge", write("x.json", "hello\n")}, 2, "not a line of `clusterscript explore --json`"},
		{[]string{"merge", filepath.Join(dir, "none.json")}, 2, "none.json"},
		{[]string{"merge", shard0, "--depth", "2"}, 2, "merge takes the shards' files and --json, not --depth"},
	} {
		r := run(append([]string{"explore"}, tc.args...)...)
		r.expect(t, tc.code, tc.want)
	}
}

// noShardingVariables clears the variables by which Bazel would pick a
// shard, should the tests themselves run as a Bazel shard.
func noShardingVariables(t *testing.T) {
	for _, v := range []string{"TEST_SHARD_INDEX", "TEST_TOTAL_SHARDS", "TEST_SHARD_STATUS_FILE"} {
		t.Setenv(v, "")
	}
}

// TestPickShard: --shard, a Kubernetes Indexed Job's index with
// --shard-count, Bazel's sharding variables, in that order.
func TestPickShard(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	bazel := env("TEST_SHARD_INDEX", "1", "TEST_TOTAL_SHARDS", "4", "JOB_COMPLETION_INDEX", "2")
	for _, tc := range []struct {
		flag  string
		count int
		env   func(string) string
		want  string
		err   string
	}{
		{"", 0, env(), "", ""},
		{"3/5", 0, bazel, "3/5", ""},
		{"", 3, bazel, "2/3", ""},
		{"", 0, bazel, "1/4", ""},
		{"", 2, env("JOB_COMPLETION_INDEX", "2"), "", "JOB_COMPLETION_INDEX=2 with --shard-count 2"},
		{"", 0, env("TEST_TOTAL_SHARDS", "4"), "", "TEST_SHARD_INDEX"},
	} {
		sh, err := pickShard(tc.flag, tc.count, tc.env)
		if tc.err == "" && (err != nil || sh.String() != tc.want) || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("pickShard(%q, %d) = %v, %v; want %q %q", tc.flag, tc.count, sh, err, tc.want, tc.err)
		}
	}
}

// TestExploreBazelStatusFile: a Bazel shard touches the file Bazel names.
func TestExploreBazelStatusFile(t *testing.T) {
	status := filepath.Join(t.TempDir(), "status")
	t.Setenv("TEST_SHARD_INDEX", "0")
	t.Setenv("TEST_TOTAL_SHARDS", "2")
	t.Setenv("TEST_SHARD_STATUS_FILE", status)
	r := run("explore", exploreData+"majority.star")
	if !strings.Contains(r.stdout, "shard 0/2: 20 of the 39 cases\n") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	if _, err := os.Stat(status); err != nil {
		t.Errorf("the status file was not touched: %v", err)
	}
}
