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
	server := func(d doc, i int) doc { return world(d)["servers"].([]any)[i].(doc) }
	adapter := func(d doc, s, a int) doc { return server(d, s)["adapters"].([]any)[a].(doc) }
	disk := func(d doc, i int) doc { return world(d)["disks"].([]any)[i].(doc) }
	timer := func(d doc, i int) doc { return world(d)["timers"].(doc)["pending"].([]any)[i].(doc) }
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
		{"clock past the end of time", "world.clock", "outside the virtual clock's range", func(d doc) { world(d)["clock"] = int64(1) << 60 }},
		{"server edition", "world.servers[1].edition", "unknown edition", func(d doc) { server(d, 1)["edition"] = "home" }},
		{"server version", "world.servers[1].version", "unknown version", func(d doc) { server(d, 1)["version"] = "95" }},
		{"server domain", "world.servers[1].domain", "does not exist", func(d doc) { server(d, 1)["domain"] = "nowhere.example" }},
		{"adapter address", "world.servers[0].adapters[0].ip", "not an IPv4 address", func(d doc) { adapter(d, 0, 0)["ip"] = "10.0.0.300" }},
		{"adapter mask", "world.servers[0].adapters[0].ip", "not contiguous", func(d doc) { adapter(d, 0, 0)["mask"] = "255.0.255.0" }},
		{"adapter gateway", "world.servers[0].adapters[0].gateway", "own subnet", func(d doc) { adapter(d, 0, 0)["gateway"] = "172.16.0.1" }},
		{"adapter extra address", "world.servers[0].adapters[0].extra_ips[0]", "outside", func(d doc) { adapter(d, 0, 0)["extra_ips"] = []any{"172.16.0.9"} }},
		{"adapter role", "world.servers[0].adapters[0].role", "unknown adapter role", func(d doc) { adapter(d, 0, 0)["role"] = "secret" }},
		{"adapters on one subnet", "world.servers[0].adapters[1].ip", "one subnet", func(d doc) { adapter(d, 0, 1)["ip"], adapter(d, 0, 1)["mask"] = "10.0.0.99", "255.255.255.0" }},
		{"address used twice", "world.servers[", "must be unique", func(d doc) { adapter(d, 1, 0)["ip"] = "10.0.0.11" }},
		{"server cluster not listing it", "world.servers[3].cluster", "does not list it", func(d doc) { server(d, 3)["cluster"] = "EXCLUSTER" }},
		{"node whose server names no cluster", "world.servers[0].cluster", "is a node of cluster", func(d doc) { delete(server(d, 0), "cluster") }},
		{"disk kind", "world.disks[0].kind", "unknown disk kind", func(d doc) { disk(d, 0)["kind"] = "floppy" }},
		{"disk file system", "world.disks[0].fs", "unknown file system", func(d doc) { disk(d, 0)["fs"] = "ext4" }},
		{"disk letter", "world.disks[1].letter", "drive letter", func(d doc) { disk(d, 1)["letter"] = "C:" }},
		{"disk server", "world.disks[0].servers[1]", "no server", func(d doc) { disk(d, 0)["servers"] = []any{"NODE1", "GHOST"} }},
		{"physical disk of no disk", "world.clusters[0].groups[2].resources[0].params", "does not exist", func(d doc) { resource(d, 2, 0)["params"].(doc)["disk"] = "Nothing" }},
		{"disk held twice", "world.clusters[0].groups[2].resources[0].params", "one resource", func(d doc) { resource(d, 2, 0)["params"].(doc)["disk"] = "Quorum" }},
		{"cluster address", "world.clusters[0].ip", "not an IPv4 address", func(d doc) { cluster(d)["ip"] = "ten" }},
		{"network subnet", "world.clusters[0].networks[1].subnet", "prefix", func(d doc) { cluster(d)["networks"].([]any)[1].(doc)["subnet"] = "192.168.1.0" }},
		{"quorum of the wrong type", "world.clusters[0].quorum", "is a Network Name", func(d doc) { cluster(d)["quorum"] = "Cluster Name" }},
		{"quorum resource on majority", "world.clusters[0].quorum", "only the disk model", func(d doc) { cluster(d)["quorum_model"] = "majority" }},
		{"retry period", "world.clusters[0].groups[0].resources[0].retry_period", "retry period", func(d doc) { resource(d, 0, 0)["retry_period"] = -5 }},
		{"heartbeat past the end of time", "world.clusters[0].heartbeat_interval_ms", "longer than", func(d doc) { cluster(d)["heartbeat_interval_ms"] = int64(1) << 50 }},
		{"no MSDTC with cluster-aware Exchange", "world.clusters[0]", "Distributed Transaction Coordinator", func(d doc) {
			g := group(d, 0)
			g["resources"] = g["resources"].([]any)[:3]
			server(d, 0)["exchange"] = "cluster-aware"
		}},
		{"timer before the clock", "world.timers.pending[0].at", "outside", func(d doc) { timer(d, 0)["at"] = 1 }},
		{"timer of no resource", "world.timers.pending[0].subject", "no resource", func(d doc) { timer(d, 0)["subject"] = "EXCLUSTER/Gone" }},
		{"timer of no cluster", "world.timers.pending[2].subject", "does not exist", func(d doc) { timer(d, 2)["subject"] = "NOCLUSTER" }},
		{"NLB timer of no host", "world.timers.pending[1].subject", "no host", func(d doc) { timer(d, 1)["arg"] = "NOBODY" }},
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
