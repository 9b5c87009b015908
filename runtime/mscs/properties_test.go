package mscs

import (
	"bytes"
	"clusterscript/runtime/core"
	"strings"
	"testing"
)

// versionLab is a formed cluster of n nodes of a version.
func versionLab(t *testing.T, version string, n int) *World {
	t.Helper()
	l := newLab(t, labSpec{nodes: n, version: version})
	l.cluster(t, "")
	return l.w
}

// Versions are ordered by release; the R2 releases sit between.
func TestVersionOrder(t *testing.T) {
	cases := []struct {
		v, since string
		want     bool
	}{
		{"2003", "2003", true}, {"2003", "2008", false}, {"2008", "2008 R2", false}, {"2008 R2", "2008 R2", true},
		{"2012", "2008 R2", true}, {"2012", "2012 R2", false}, {"2012 R2", "2012", true}, {"2016", "2012 R2", true},
		{"2022", "2019", true}, {"2019", "2022", false}, {"1999", "2003", false},
	}
	for _, c := range cases {
		if got := core.VersionAtLeast(c.v, c.since); got != c.want {
			t.Errorf("VersionAtLeast(%q, %q) = %v, want %v", c.v, c.since, got, c.want)
		}
	}
}

// What each version's profile holds, from the sources docs/versions.md
// names: node limits, policy defaults, heartbeats, and the version each
// feature arrived in.
func TestProfileTable(t *testing.T) {
	type row struct {
		nodes, failover, restart     int
		nodesMinusOne                bool
		same, sameN, cross, crossN   int
		maxSameN                     int
		dynamic, witness, properties bool
	}
	want := map[string]row{
		"2003":    {8, 10, 3, false, 1200, 5, 0, 0, 0, false, false, false},
		"2008":    {16, 10, 1, true, 1000, 5, 1000, 5, 10, false, false, true},
		"2008 R2": {16, 10, 1, true, 1000, 5, 1000, 5, 10, false, false, true},
		"2012":    {64, 10, 1, true, 1000, 5, 1000, 5, 120, true, false, true},
		"2012 R2": {64, 10, 1, true, 1000, 5, 1000, 5, 120, true, true, true},
		"2016":    {64, 10, 1, true, 1000, 10, 1000, 20, 120, true, true, true},
		"2019":    {64, 10, 1, true, 1000, 20, 1000, 20, 120, true, true, true},
		"2022":    {64, 10, 1, true, 1000, 20, 1000, 20, 120, true, true, true},
	}
	for v, w := range want {
		p := profileOf(v)
		got := row{p.maxNodes, p.failoverThreshold, p.restartThreshold, p.failoverNodesMinusOne, p.sameDelay, p.sameThreshold, p.crossDelay, p.crossThreshold, p.maxSameThreshold, p.dynamicQuorum, p.dynamicWitness, p.properties}
		if got != w {
			t.Errorf("%s: profile %+v, want %+v", v, got, w)
		}
		if p.restartPeriod != 900 || p.retryPeriod != 3600 || p.pendingTimeout != 180 {
			t.Errorf("%s: restart period %d, retry %d, pending %d; want 900, 3600, 180", v, p.restartPeriod, p.retryPeriod, p.pendingTimeout)
		}
	}
	for feature, v := range map[string]string{
		"set_quorum": "2008", "force quorum": "2008", "node weight": "2008 R2", "prevent quorum": "2008 R2", "anti-affinity": "2008 R2",
		"dynamic quorum": "2012", "group priority": "2012", "drain": "2012", "dynamic witness": "2012 R2",
		"cloud witness": "2016", "quarantine": "2016", "sites": "2016", "no such feature": "",
	} {
		if got := Since(feature); got != v {
			t.Errorf("Since(%q) = %q, want %q", feature, got, v)
		}
	}
	for _, p := range ClusterProperties() {
		want := map[string]string{"DynamicQuorum": "2012", "ClusterEnforcedAntiAffinity": "2012", "LowerQuorumPriorityNodeID": "2012 R2",
			"QuarantineThreshold": "2016", "QuarantineDuration": "2016", "PreferredSite": "2016"}[p.Name]
		if want == "" {
			want = "2008"
		}
		if p.Since != want {
			t.Errorf("%s since %s, want %s", p.Name, p.Since, want)
		}
	}
}

// A new cluster takes its version's defaults, which its attributes read;
// properties a version lacks read as absent.
func TestClusterPropertyDefaults(t *testing.T) {
	cases := []struct {
		version string
		want    map[string]any // attribute → value; nil: the version lacks it
	}{
		{"2003", map[string]any{"same_subnet_delay": nil, "dynamic_quorum": nil, "preferred_site": nil}},
		{"2008", map[string]any{"same_subnet_delay": int64(1000), "same_subnet_threshold": int64(5), "cross_subnet_delay": int64(1000), "cross_subnet_threshold": int64(5), "dynamic_quorum": nil}},
		{"2012", map[string]any{"dynamic_quorum": int64(1), "cluster_enforced_anti_affinity": int64(0), "lower_quorum_priority_node_id": nil}},
		{"2012 R2", map[string]any{"lower_quorum_priority_node_id": int64(0), "quarantine_threshold": nil}},
		{"2016", map[string]any{"same_subnet_threshold": int64(10), "cross_subnet_threshold": int64(20), "quarantine_threshold": int64(3), "quarantine_duration": int64(7200), "preferred_site": ""}},
		{"2019", map[string]any{"same_subnet_threshold": int64(20), "cross_subnet_threshold": int64(20)}},
		{"2022", map[string]any{"same_subnet_delay": int64(1000), "same_subnet_threshold": int64(20)}},
	}
	for _, tc := range cases {
		t.Run(tc.version, func(t *testing.T) {
			w := versionLab(t, tc.version, 2)
			c, _ := w.Cluster(labCluster)
			for attr, want := range tc.want {
				got, ok := c.Property(attr)
				if want == nil {
					if ok {
						t.Errorf("%s = %v on %s, which lacks it", attr, got, tc.version)
					}
					continue
				}
				if !ok || got != want {
					t.Errorf("%s = %v (%v), want %v", attr, got, ok, want)
				}
			}
		})
	}
}

// set_cluster_property: each property the version has is set, journaled
// and saved; one it lacks is refused naming the version that brought it;
// values out of range are refused with the range.
func TestSetClusterProperty(t *testing.T) {
	ok := []struct {
		version string
		set     []PropertySetting
		attr    string
		want    any
		event   string
	}{
		{"2008", []PropertySetting{{"SameSubnetThreshold", int64(10)}}, "same_subnet_threshold", int64(10), "SameSubnetThreshold 5 → 10 (a node in the same subnet is Down after 10s"},
		{"2008 R2", []PropertySetting{{"CrossSubnetDelay", int64(4000)}}, "cross_subnet_delay", int64(4000), "CrossSubnetDelay 1000 → 4000 (a node in another subnet is Down after 20s"},
		{"2012", []PropertySetting{{"DynamicQuorum", int64(0)}}, "dynamic_quorum", int64(0), "DynamicQuorum 1 → 0"},
		{"2012", []PropertySetting{{"ClusterEnforcedAntiAffinity", int64(1)}}, "cluster_enforced_anti_affinity", int64(1), "ClusterEnforcedAntiAffinity 0 → 1"},
		{"2012 R2", []PropertySetting{{"LowerQuorumPriorityNodeID", "NODE2"}}, "lower_quorum_priority_node_id", int64(2), "LowerQuorumPriorityNodeID 0 → 2"},
		{"2012 R2", []PropertySetting{{"LowerQuorumPriorityNodeID", int64(1)}}, "lower_quorum_priority_node_id", int64(1), "LowerQuorumPriorityNodeID 0 → 1"},
		{"2016", []PropertySetting{{"QuarantineThreshold", int64(5)}}, "quarantine_threshold", int64(5), "QuarantineThreshold 3 → 5"},
		{"2016", []PropertySetting{{"QuarantineDuration", int64(maxDWORD)}}, "quarantine_duration", int64(maxDWORD), "QuarantineDuration 7200 → 4294967295"},
		{"2019", []PropertySetting{{"PreferredSite", "Redmond"}}, "preferred_site", "Redmond", `PreferredSite "" → "Redmond"`},
		{"2022", []PropertySetting{{"SameSubnetDelay", int64(2000)}}, "same_subnet_delay", int64(2000), "SameSubnetDelay 1000 → 2000 (a node in the same subnet is Down after 40s"},
	}
	for _, tc := range ok {
		t.Run(tc.version+" "+tc.set[0].Name, func(t *testing.T) {
			w := versionLab(t, tc.version, 2)
			before := len(w.Events)
			mark := w.Begin()
			mustDo(t, w.SetClusterProperty(labCluster, tc.set))
			c, _ := w.Cluster(labCluster)
			if got, _ := c.Property(tc.attr); got != tc.want {
				t.Errorf("%s = %v, want %v", tc.attr, got, tc.want)
			}
			if evs := eventsSince(w, before); len(evs) == 0 || !strings.Contains(evs[0].Text, tc.event) {
				t.Errorf("events %v, want the first saying %q", evs, tc.event)
			}
			// Saved and loaded, the value stays.
			w2, err := Load(mustSave(t, w))
			mustDo(t, err)
			c2, _ := w2.Cluster(labCluster)
			if got, _ := c2.Property(tc.attr); got != tc.want {
				t.Errorf("after a load %s = %v, want %v", tc.attr, got, tc.want)
			}
			// Rolled back, it is as before.
			w.Rollback(mark)
			if got, _ := c.Property(tc.attr); got == tc.want {
				t.Errorf("after a rollback %s is still %v", tc.attr, got)
			}
		})
	}

	bad := []struct {
		version string
		set     []PropertySetting
		kind    error
		msg     string
	}{
		{"2003", []PropertySetting{{"SameSubnetDelay", int64(1000)}}, core.ErrPrereq, "SameSubnetDelay arrived in Windows Server 2008, and cluster EXCLUSTER runs Windows Server 2003"},
		{"2003", []PropertySetting{{"DynamicQuorum", int64(1)}}, core.ErrPrereq, "DynamicQuorum arrived in Windows Server 2012, and cluster EXCLUSTER runs Windows Server 2003"},
		{"2008", []PropertySetting{{"DynamicQuorum", int64(0)}}, core.ErrPrereq, "DynamicQuorum arrived in Windows Server 2012, and cluster EXCLUSTER runs Windows Server 2008"},
		{"2008 R2", []PropertySetting{{"ClusterEnforcedAntiAffinity", int64(1)}}, core.ErrPrereq, "ClusterEnforcedAntiAffinity arrived in Windows Server 2012"},
		{"2012", []PropertySetting{{"LowerQuorumPriorityNodeID", int64(1)}}, core.ErrPrereq, "LowerQuorumPriorityNodeID arrived in Windows Server 2012 R2"},
		{"2012 R2", []PropertySetting{{"QuarantineThreshold", int64(1)}}, core.ErrPrereq, "QuarantineThreshold arrived in Windows Server 2016"},
		{"2012 R2", []PropertySetting{{"PreferredSite", "A"}}, core.ErrPrereq, "PreferredSite arrived in Windows Server 2016"},
		{"2008", []PropertySetting{{"SameSubnetThreshold", int64(11)}}, core.ErrInvalid, "SameSubnetThreshold 11 is out of range; on Windows Server 2008 it is 3 to 10"},
		{"2012", []PropertySetting{{"SameSubnetThreshold", int64(121)}}, core.ErrInvalid, "SameSubnetThreshold 121 is out of range; on Windows Server 2012 it is 3 to 120"},
		{"2016", []PropertySetting{{"SameSubnetDelay", int64(249)}}, core.ErrInvalid, "SameSubnetDelay 249 is out of range; on Windows Server 2016 it is 250 to 2000"},
		{"2016", []PropertySetting{{"CrossSubnetDelay", int64(4001)}}, core.ErrInvalid, "CrossSubnetDelay 4001 is out of range; on Windows Server 2016 it is 250 to 4000"},
		{"2016", []PropertySetting{{"DynamicQuorum", int64(2)}}, core.ErrInvalid, "DynamicQuorum 2 is out of range; on Windows Server 2016 it is 0 to 1"},
		{"2016", []PropertySetting{{"QuarantineDuration", int64(-1)}}, core.ErrInvalid, "QuarantineDuration -1 is out of range"},
		{"2016", []PropertySetting{{"LowerQuorumPriorityNodeID", int64(7)}}, core.ErrNotFound, "LowerQuorumPriorityNodeID 7 names no node of cluster EXCLUSTER; its nodes are NODE1 1, NODE2 2 (0 for none)"},
		{"2016", []PropertySetting{{"LowerQuorumPriorityNodeID", "NODE9"}}, core.ErrNotFound, `no node of cluster EXCLUSTER named "NODE9"`},
		{"2016", []PropertySetting{{"SameSubnetDelay", "fast"}}, core.ErrInvalid, `SameSubnetDelay is a number, got "fast"`},
		{"2016", []PropertySetting{{"PreferredSite", int64(3)}}, core.ErrInvalid, "PreferredSite is a site name, got 3"},
		{"2016", []PropertySetting{{"PreferredSite", " A"}}, core.ErrInvalid, `PreferredSite " A" is not a site name`},
		{"2016", []PropertySetting{{"SameSubnetDelays", int64(1000)}}, core.ErrNotFound, `no cluster property named "SameSubnetDelays"; did you mean "SameSubnetDelay"?`},
		{"2016", []PropertySetting{{"same_subnet_delay", int64(1000)}}, core.ErrNotFound, "the property is SameSubnetDelay (cluster.same_subnet_delay reads it)"},
		{"2016", []PropertySetting{{"DynamicQuorum", int64(0)}, {"DynamicQuorum", int64(1)}}, core.ErrInvalid, "DynamicQuorum is given twice"},
		{"2016", nil, core.ErrInvalid, "no property given; name at least one"},
		// All or nothing: a good setting before a bad one is not made.
		{"2016", []PropertySetting{{"SameSubnetThreshold", int64(7)}, {"CrossSubnetThreshold", int64(200)}}, core.ErrInvalid, "CrossSubnetThreshold 200 is out of range"},
	}
	for _, tc := range bad {
		name := "none"
		if len(tc.set) > 0 {
			name = tc.set[len(tc.set)-1].Name
		}
		t.Run(tc.version+" "+name, func(t *testing.T) {
			w := versionLab(t, tc.version, 2)
			refused(t, w, tc.kind, tc.msg, func() error { return w.SetClusterProperty(labCluster, tc.set) })
		})
	}
}

// Every property of 2008 and later exists on 2008 and later clusters and
// on no 2003 cluster: the 2003 refusal names the version for each.
func TestEveryPropertyRefusedOn2003(t *testing.T) {
	w := versionLab(t, "2003", 2)
	for _, p := range ClusterProperties() {
		refused(t, w, core.ErrPrereq, p.Name+" arrived in Windows Server "+p.Since, func() error {
			return w.SetClusterProperty(labCluster, []PropertySetting{{p.Name, int64(1)}})
		})
	}
}

// Node IDs are join order; evicting the node LowerQuorumPriorityNodeID
// names clears it, evicting an earlier one keeps it on the same node.
func TestNodeIDs(t *testing.T) {
	w := versionLab(t, "2012 R2", 4)
	c, _ := w.Cluster(labCluster)
	mustDo(t, w.SetClusterProperty(labCluster, []PropertySetting{{"LowerQuorumPriorityNodeID", "NODE4"}}))
	mustDo(t, w.EvictNode(labCluster, "NODE2"))
	if c.LowerQuorumPriorityNodeID != 3 || c.NodeID("NODE4") != 3 {
		t.Errorf("LowerQuorumPriorityNodeID %d, NODE4's ID %d after NODE2 left; want 3 and 3", c.LowerQuorumPriorityNodeID, c.NodeID("NODE4"))
	}
	mustDo(t, w.EvictNode(labCluster, "NODE4"))
	if c.LowerQuorumPriorityNodeID != 0 {
		t.Errorf("LowerQuorumPriorityNodeID %d after its node was evicted, want 0", c.LowerQuorumPriorityNodeID)
	}
	_, err := w.AddNode(labCluster, "NODE2", labPassword, true)
	mustDo(t, err)
	if id := c.NodeID("NODE2"); id != 3 {
		t.Errorf("NODE2 rejoined with ID %d, want 3", id)
	}
}

// A state file written before the properties existed still loads: a 2016
// cluster gets its version's defaults (its heartbeat settings as written);
// a file with a property its version
// lacks, or one out of range, is refused.
func TestPropertiesLoad(t *testing.T) {
	w := versionLab(t, "2016", 2)
	data := mustSave(t, w)
	old := data
	for _, member := range []string{`"cross_subnet_delay_ms":1000,`, `"cross_subnet_threshold":20,`, `"dynamic_quorum":1,`, `"quarantine_threshold":3,`, `,"quarantine_duration":7200`} {
		if !bytes.Contains(old, []byte(member)) {
			t.Fatalf("the state file has no %s", member)
		}
		old = bytes.Replace(old, []byte(member), nil, 1)
	}
	w2, err := Load(old)
	mustDo(t, err)
	c, _ := w2.Cluster(labCluster)
	if c.CrossSubnetThreshold != 20 || c.DynamicQuorum != 1 || c.QuarantineDuration != 7200 || c.HeartbeatMisses != 10 {
		t.Errorf("an old file loads with %+v", c)
	}
	for _, tc := range []struct{ from, to, msg string }{
		{`"dynamic_quorum":1`, `"dynamic_quorum":5`, "DynamicQuorum 5; on Windows Server 2016 it is 0 to 1"},
		{`"heartbeat_misses":10`, `"heartbeat_misses":200`, "SameSubnetThreshold 200"},
		{`"quarantine_threshold":3`, `"quarantine_threshold":3,"lower_quorum_priority_node_id":9`, "LowerQuorumPriorityNodeID 9, which names none of its nodes"},
	} {
		bad := bytes.Replace(data, []byte(tc.from), []byte(tc.to), 1)
		if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("loading with %s: %v, want an error saying %q", tc.to, err, tc.msg)
		}
	}
	w3 := versionLab(t, "2008", 2)
	bad := bytes.Replace(mustSave(t, w3), []byte(`"cross_subnet_threshold":5`), []byte(`"cross_subnet_threshold":5,"dynamic_quorum":1`), 1)
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), "runs Windows Server 2008, which has no DynamicQuorum") {
		t.Errorf("a 2008 cluster with DynamicQuorum loads: %v", err)
	}
}
