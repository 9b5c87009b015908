package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// restartLoop is the reproducer of issue 17: a resource restarted every
// second on a paused node that cannot run it, then a year of advance().
const restartLoop = `load("@stdlib//cluster.star", "build_cluster")
load("@stdlib//lab.star", "build_lab")
runbook("restart loop")
lab = quietly(build_lab, nodes = 2, data_disks = 1)
cl = quietly(build_cluster, lab)
g = new_group(cl, "Print", preferred_owners = ["NODE1"])
ip = new_resource(g, "Print IP", "IP Address", address = "10.0.0.120", subnet_mask = "255.255.255.0")
restart_policy(ip, threshold = 3, period = 1)
bring_online(g)
pause_node("NODE1")
fail_resource(ip)
advance(days = 365)
print(ip.state, now())
`

func TestAdvanceEndlessRestarts(t *testing.T) {
	dir := files(t, map[string]string{"loop.star": restartLoop})
	r := run("run", filepath.Join(dir, "loop.star"))
	r.expect(t, 0)
	for _, want := range []string{
		`warning   stopped cluster.restart work for EXCLUSTER/Print IP after 100000 firings within one call`,
		"print     Failed 2005-01-04 08:00:00",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("transcript lacks %q", want)
		}
	}
	// The step budget counts the engine's firings: a small one stops the
	// same advance with an error naming its line.
	r = run("run", "--max-steps", "50000", filepath.Join(dir, "loop.star"))
	r.expect(t, 1, "loop.star:12:8: in <toplevel>", "--max-steps", "timer firing")
}

// A NUL byte is a static error naming its line (the scanner used to stop
// there silently); a leading UTF-8 byte-order mark is accepted.
func TestSourceHygiene(t *testing.T) {
	dir := files(t, map[string]string{
		"bom.star":  "\xef\xbb\xbfrunbook(\"bom\")\nprint(\"ok\")\n",
		"nul.star":  "runbook(\"nul\")\nprint(1)\x00\nfail(\"after the NUL\")\n",
		"mod.star":  "x = 1\x00\n",
		"uses.star": "load(\"mod.star\", \"x\")\nrunbook(\"uses\")\n",
		"deep.star": "x = " + strings.Repeat("1+", 5000) + "1\n",
	})
	r := run("run", filepath.Join(dir, "bom.star"))
	r.expect(t, 0)
	if !strings.Contains(r.stdout, "print     ok") {
		t.Errorf("BOM runbook printed:\n%s", r.stdout)
	}
	for _, cmd := range []string{"run", "check"} {
		run(cmd, filepath.Join(dir, "nul.star")).expect(t, 2, "nul.star:2:9: the file holds a NUL byte")
		run(cmd, filepath.Join(dir, "uses.star")).expect(t, 2, "mod.star:1:6: the file holds a NUL byte")
		run(cmd, filepath.Join(dir, "deep.star")).expect(t, 2, "deep.star:1:", "nest more than 1000 levels")
	}
}
