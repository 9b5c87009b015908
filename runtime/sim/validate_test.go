package sim_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"clusterscript/runtime/core"
	"clusterscript/runtime/sim"
)

// TestLoadRefusesImpossibleWorlds damages a good state file one field at a
// time, as the damaged files of issue 17 were, and checks that each is
// refused at load with the path of the bad field, where before some loaded
// and crashed later with a nil dereference.
func TestLoadRefusesImpossibleWorlds(t *testing.T) {
	v1, err := os.ReadFile("testdata/v1-clusters-nlb-timers.json")
	if err != nil {
		t.Fatal(err)
	}
	good := mustSave(t, mustLoad(t, v1))
	type doc = map[string]any
	world := func(d doc) doc { return d["world"].(doc) }
	cluster := func(d doc) doc { return world(d)["clusters"].([]any)[0].(doc) }
	group := func(d doc, i int) doc { return cluster(d)["groups"].([]any)[i].(doc) }
	resource := func(d doc, g, r int) doc { return group(d, g)["resources"].([]any)[r].(doc) }
	nlbc := func(d doc) doc { return world(d)["nlb_clusters"].([]any)[0].(doc) }
	host := func(d doc, i int) doc { return nlbc(d)["hosts"].([]any)[i].(doc) }
	appendTo := func(m doc, key string, i int) {
		list := m[key].([]any)
		m[key] = append(list, list[i])
	}
	for _, c := range []struct {
		name, path, words string
		damage            func(d doc)
	}{
		{"duplicate cluster", "world.clusters[1].name", "repeated", func(d doc) { appendTo(world(d), "clusters", 0) }},
		{"duplicate group", "world.clusters[0].groups[3].name", "repeated", func(d doc) { appendTo(cluster(d), "groups", 0) }},
		{"duplicate resource", "world.clusters[0].groups[1].resources[0].name", "repeated", func(d doc) { resource(d, 1, 0)["name"] = "cluster ip address" }},
		{"duplicate NLB cluster", "world.nlb_clusters[1].name", "repeated", func(d doc) { appendTo(world(d), "nlb_clusters", 0) }},
		{"duplicate node", "world.clusters[0].nodes[3].name", "repeated", func(d doc) { appendTo(cluster(d), "nodes", 0) }},
		{"node no server", "world.clusters[0].nodes[2].name", "no server", func(d doc) { cluster(d)["nodes"].([]any)[2].(doc)["name"] = "GHOST" }},
		{"node Exploded", "world.clusters[0].nodes[1].state", `"Exploded"`, func(d doc) { cluster(d)["nodes"].([]any)[1].(doc)["state"] = "Exploded" }},
		{"group owner", "world.clusters[0].groups[2].owner", "no node", func(d doc) { group(d, 2)["owner"] = "NODE9" }},
		{"preferred owner", "world.clusters[0].groups[1].preferred_owners[0]", "no node", func(d doc) { group(d, 1)["preferred_owners"] = []any{"NODE7"} }},
		{"possible owner", "world.clusters[0].groups[0].resources[0].possible_owners[1]", "no node", func(d doc) { resource(d, 0, 0)["possible_owners"] = []any{"NODE1", "NOPE"} }},
		{"dependency", "world.clusters[0].groups[0].resources[1].dependencies[0]", "does not exist", func(d doc) { resource(d, 0, 1)["dependencies"] = []any{"Nothing"} }},
		{"dependency in another group", "world.clusters[0].groups[2].resources[0].dependencies[0]", "another group", func(d doc) { resource(d, 2, 0)["dependencies"] = []any{"Disk Q:"} }},
		{"dependency cycle", "world.clusters[0].groups[0].resources[", "cycle", func(d doc) { resource(d, 0, 0)["dependencies"] = []any{"MSDTC"} }},
		{"resource state", "world.clusters[0].groups[0].resources[2].state", `"Melting"`, func(d doc) { resource(d, 0, 2)["state"] = "Melting" }},
		{"resource type", "world.clusters[0].groups[0].resources[2].type", "does not know", func(d doc) { resource(d, 0, 2)["type"] = "Toaster" }},
		{"quorum", "world.clusters[0].quorum", "does not exist", func(d doc) { cluster(d)["quorum"] = "Disk Z:" }},
		{"negative heartbeat", "world.clusters[0].heartbeat_interval_ms", "positive", func(d doc) { cluster(d)["heartbeat_interval_ms"] = -1200 }},
		{"zero misses", "world.clusters[0].heartbeat_interval_ms", "positive", func(d doc) { cluster(d)["heartbeat_misses"] = 0 }},
		{"nine nodes on 2003", "world.clusters[0].nodes", "allows 8", func(d doc) {
			nodes, servers := cluster(d)["nodes"].([]any), world(d)["servers"].([]any)
			for i := 4; len(nodes) < 9; i++ {
				name := fmt.Sprintf("NODE%d", i)
				servers = append(servers, doc{"name": name, "edition": "enterprise", "version": "2003", "adapters": []any{}, "running": false})
				nodes = append(nodes, doc{"name": name, "state": "Down"})
			}
			world(d)["servers"], cluster(d)["nodes"] = servers, nodes
		}},
		{"failback window", "world.clusters[0].groups[1].failover_threshold", "hour 99", func(d doc) {
			g := group(d, 1)
			g["failback"], g["window_start"], g["window_end"] = "window", 99, -7
		}},
		{"restart period", "world.clusters[0].groups[0].resources[0].restart_threshold", "restart period", func(d doc) { resource(d, 0, 0)["restart_period"] = 0 }},
		{"NLB host no server", "world.nlb_clusters[0].hosts[1].server", "no server", func(d doc) { host(d, 1)["server"] = "NOBODY" }},
		{"NLB host adapter", "world.nlb_clusters[0].hosts[1].adapter", "does not have", func(d doc) { host(d, 1)["adapter"] = "Wireless" }},
		{"NLB priority 0", "world.nlb_clusters[0].hosts[0].priority", "outside 1–32", func(d doc) { host(d, 0)["priority"] = 0 }},
		{"NLB priority 2^40", "world.nlb_clusters[0].hosts[0].priority", "outside 1–32", func(d doc) { host(d, 0)["priority"] = 1 << 40 }},
		{"NLB priority repeated", "world.nlb_clusters[0].hosts[1].priority", "unique", func(d doc) { host(d, 1)["priority"] = 1 }},
		{"NLB mode", "world.nlb_clusters[0].mode", "modes are", func(d doc) { nlbc(d)["mode"] = "broadcast" }},
		{"ASR set server", "world.asr_sets[0].server", "does not exist", func(d doc) { world(d)["asr_sets"].([]any)[0].(doc)["server"] = "GONE" }},
		{"event in 1881", "world.events[0].at", "before the start", func(d doc) { world(d)["events"].([]any)[0].([]any)[0] = -3_800_000_000_000 }},
		{"events out of order", "world.events[1].at", "time order", func(d doc) {
			world(d)["events"].([]any)[1].([]any)[0] = 1
			world(d)["events"].([]any)[0].([]any)[0] = 5
		}},
		{"clock before last event", "world.clock", "before the last event", func(d doc) { world(d)["clock"] = 1 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			var d doc
			if err := json.Unmarshal(good, &d); err != nil {
				t.Fatal(err)
			}
			c.damage(d)
			bad, _ := json.Marshal(d)
			_, err := sim.Load(bad)
			var fe *core.FieldError
			switch {
			case err == nil:
				t.Fatal("the damaged world loaded")
			case !errors.Is(err, core.ErrStateFile) || !errors.As(err, &fe):
				t.Fatalf("not a field error of a bad state file: %v", err)
			case !strings.HasPrefix(fe.Path, c.path) || !strings.Contains(fe.Msg, c.words):
				t.Errorf("refused with\n  %v\nwant the path %s… and the words %q", err, c.path, c.words)
			}
		})
	}
}
