package importer

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"clusterscript/runtime/mscs"
	"clusterscript/runtime/sim"
)

// bigCIB writes a lean CIB (as cibadmin -Q gives, without probe history)
// of nodes nodes and groups groups of k primitives: an IPaddr2 and k−1
// Dummy resources, four location scores per group, fencing off, and a
// status section that runs each group on its best node.
func bigCIB(nodes, groups, k int) []byte {
	var b strings.Builder
	node := func(i int) string { return fmt.Sprintf("node%02d", i%nodes+1) }
	b.WriteString(`<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1">` + "\n<configuration>\n")
	b.WriteString(`<crm_config><cluster_property_set id="opts"><nvpair id="opts-name" name="cluster-name" value="big"/><nvpair id="opts-stonith" name="stonith-enabled" value="false"/><nvpair id="opts-probes" name="enable-startup-probes" value="false"/></cluster_property_set></crm_config>` + "\n<nodes>\n")
	for i := range nodes {
		fmt.Fprintf(&b, "<node id=\"%d\" uname=\"%s\"/>\n", i+1, node(i))
	}
	b.WriteString("</nodes>\n<resources>\n")
	rsc := func(g, j int) string { return fmt.Sprintf("g%04dr%d", g+1, j+1) }
	for g := range groups {
		fmt.Fprintf(&b, "<group id=\"g%04d\">\n", g+1)
		for j := range k {
			if j == 0 {
				fmt.Fprintf(&b, `<primitive id="%s" class="ocf" provider="heartbeat" type="IPaddr2"><instance_attributes id="%s-ia"><nvpair id="%s-ip" name="ip" value="10.%d.%d.%d"/><nvpair id="%s-mask" name="cidr_netmask" value="8"/></instance_attributes><operations><op id="%s-mon" name="monitor" interval="10s"/></operations></primitive>`+"\n",
					rsc(g, j), rsc(g, j), rsc(g, j), 1+g/62500, g/250%250, 1+g%250, rsc(g, j), rsc(g, j))
				continue
			}
			fmt.Fprintf(&b, `<primitive id="%s" class="ocf" provider="pacemaker" type="Dummy"><operations><op id="%s-mon" name="monitor" interval="10s"/></operations></primitive>`+"\n", rsc(g, j), rsc(g, j))
		}
		b.WriteString("</group>\n")
	}
	b.WriteString("</resources>\n<constraints>\n")
	for g := range groups {
		for p := range 4 {
			fmt.Fprintf(&b, "<rsc_location id=\"loc-g%04d-%d\" rsc=\"g%04d\" node=\"%s\" score=\"%d\"/>\n", g+1, p, g+1, node(g+p*7), 100*(4-p))
		}
	}
	b.WriteString("</constraints>\n</configuration>\n<status>\n")
	for i := range nodes {
		fmt.Fprintf(&b, "<node_state id=\"%d\" uname=\"%s\" in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\"><lrm id=\"%d\"><lrm_resources>\n", i+1, node(i), i+1)
		for g := i; g < groups; g += nodes {
			for j := range k {
				agent := `class="ocf" provider="pacemaker" type="Dummy"`
				if j == 0 {
					agent = `class="ocf" provider="heartbeat" type="IPaddr2"`
				}
				r := rsc(g, j)
				fmt.Fprintf(&b, `<lrm_resource id="%s" %s><lrm_rsc_op id="%s_last_0" operation_key="%s_start_0" operation="start" call-id="%d" rc-code="0" op-status="0" interval="0"/><lrm_rsc_op id="%s_monitor_10000" operation_key="%s_monitor_10000" operation="monitor" call-id="%d" rc-code="0" op-status="0" interval="10000"/></lrm_resource>`+"\n",
					r, agent, r, r, 2*(g*k+j)+1, r, r, 2*(g*k+j)+2)
			}
		}
		b.WriteString("</lrm_resources></lrm></node_state>\n")
	}
	b.WriteString("</status>\n</cib>\n")
	return []byte(b.String())
}

// BenchmarkImportCIB imports the SPEC §11 cluster as a CIB: 64 nodes,
// 8,000 groups, 32,000 resources (target: under 1 s). With
// IMPORT_BENCH_CRM_SIMULATE=1 it also times crm_simulate once on the same
// file failing one node, for comparison (reported, not asserted).
func BenchmarkImportCIB(b *testing.B) {
	data := bigCIB(64, 8000, 4)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		w := sim.New()
		if _, err := Import(w, data, "cib", "big.xml"); err != nil {
			b.Fatal(err)
		}
	}
	if os.Getenv("IMPORT_BENCH_CRM_SIMULATE") == "1" {
		if _, err := exec.LookPath("crm_simulate"); err != nil {
			b.Skip("crm_simulate is not installed")
		}
		path := filepath.Join(b.TempDir(), "big.xml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		out, err := exec.Command("crm_simulate", "-x", path, "-R", "-f", "node01").CombinedOutput()
		if err != nil {
			b.Fatalf("crm_simulate: %v\n%s", err, out)
		}
		b.Logf("crm_simulate -x big.xml -R -f node01 on the same %.1f MB CIB: %s", float64(len(data))/1e6, time.Since(start).Round(time.Millisecond))
	}
}

func TestBigCIBImports(t *testing.T) {
	w := sim.New()
	if _, err := Import(w, bigCIB(8, 40, 4), "", "big.xml"); err != nil {
		t.Fatal(err)
	}
	c, _ := w.MSCS.Cluster("big")
	g, _ := c.Group("g0009")
	if len(c.Groups) != 41 || g.Owner != "node01" || g.State() != "Online" || strings.Join(g.PreferredOwners, ",") != "node01,node08,node07,node06" {
		t.Errorf("%d groups; g0009 %s on %s preferring %v", len(c.Groups), g.State(), g.Owner, g.PreferredOwners)
	}
	// Pacemaker has no group failover threshold: the group keeps its
	// version's default (nodes − 1 from Windows Server 2008), not 2003's 10.
	if g.FailoverThreshold != mscs.FailoverThresholdNodesMinusOne {
		t.Errorf("g0009 FailoverThreshold = %d, want the version's default %d (nodes − 1)", g.FailoverThreshold, uint32(mscs.FailoverThresholdNodesMinusOne))
	}
}
