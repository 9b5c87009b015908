package builtins

import (
	"bytes"
	"strings"
	"testing"

	"clusterscript/lang"
	"clusterscript/runtime/sim"
)

// nlbSetup builds a converged two-host farm with OWA's port rules.
const nlbSetup = `
VIP = "10.0.0.100"
M = "255.255.255.0"
nlb = create_nlb_cluster(VIP, M, "owa.corp.example.com")
hosts = []
for i in (1, 2):
    s = install_server("WEB%d" % i, edition = "web")
    configure_tcpip(s, "Public", "10.0.0.2%d" % i, M, extra_ips = [VIP])
    hosts.append(nlb_add_host(nlb, s, "Public", i, "10.0.0.2%d" % i, M))
nlb_remove_port_rule(nlb, 0)
r80 = nlb_port_rule(nlb, 80, 80, protocol = "tcp", load_weights = {hosts[0]: 75, "WEB2": 25})
r25 = nlb_port_rule(nlb, 25, 25, protocol = "tcp", filtering = "single", handling_priorities = {"WEB2": 1})
settle()
`

func runStar(t *testing.T, src string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	s := lang.NewSession(NewWorld(sim.New()), Registry(), &out)
	_, err := s.ExecSource("test.star", []byte(nlbSetup+src))
	if err != nil {
		return out.String(), err
	}
	return out.String(), nil
}

func TestNLBBuiltinsValues(t *testing.T) {
	out, err := runStar(t, `
check_eq(str(nlb), "<nlb owa.corp.example.com 10.0.0.100 unicast>")
check_eq(nlb.mac, "02-BF-0A-00-00-64")
check_eq(nlb.hosts, ["WEB1", "WEB2"])
check_eq(nlb.default_host, "WEB1")
check_eq([str(r) for r in nlb.port_rules], ["<port rule 25/tcp single>", "<port rule 80/tcp multiple affinity single>"])
check_eq(r80.load_weights, {"WEB1": 75, "WEB2": 25})
check_eq(r80.buckets, {"WEB1": 45, "WEB2": 15})
check_eq(r80.handling_priorities, None)
check_eq(r25.handling_priorities, {"WEB1": 2, "WEB2": 1})
check_eq((r80.start, r80.end, r80.protocol, r80.affinity, r80.cluster_ip), (80, 80, "tcp", "single", "all"))
check_eq(hosts[0].state, "Converged as DEFAULT")
check_eq(str(hosts[1]), "<nlb host WEB2 priority 2 Converged>")
check_eq(nlb_host(nlb, "web2"), hosts[1])
check_eq(get_nlb("10.0.0.100"), nlb)
check_eq(nlb_query(nlb), {"WEB1": "Converged as DEFAULT", "WEB2": "Converged"})

c = nlb_connect(nlb, "172.16.0.5", port = 25)
check_eq((c.host, c.client, c.client_port, c.port, c.protocol, c.open), ("WEB2", "172.16.0.5", 1025, 25, "tcp", True))
check_eq(len(nlb.connections), 1)
check_eq(len(hosts[1].connections), 1)
check_eq(nlb_route(nlb, "172.16.0.5", port = 25, client_port = 1025), "WEB2")
nlb_close(c)
check_eq(c.open, False)
u = nlb_connect(nlb, "172.16.0.5", port = 25, protocol = "udp")
check_eq(u.host, "WEB1")  # no rule covers 25/udp: the default host takes it
u = nlb_connect(nlb, "172.16.0.5", port = 53, protocol = "udp")
check_eq((u.host, u.open, u.id), ("WEB1", False, None))

nlb_disable(hosts[1], 80)
check_eq(r80.host_states, {"WEB1": "enabled", "WEB2": "disabled"})
check_eq(list(nlb_load(nlb, 100, seed = 3).keys()), ["WEB1", "WEB2", "dropped"])
nlb_stop("WEB2")
check_eq(nlb_route(nlb, "172.16.0.5", port = 25), None)
fail_server("WEB1")
check_eq(hosts[0].state, "Unknown")
check_eq(nlb_query(nlb), {"WEB2": "Stopped"})
`)
	if err != nil {
		t.Fatalf("%v\n%s", lang.ErrorMessage(err), out)
	}
	if !strings.Contains(out, "accepted by WEB1 (no port rule covers port 25: default host)") {
		t.Errorf("the UDP datagram to port 25 should reach the default host:\n%s", out)
	}
}

func TestNLBBuiltinsErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`nlb_port_rule(nlb, 8080, 8080, load_weights = ["WEB1"])`, "want a dict of host name"},
		{`nlb_port_rule(nlb, 8080, 8080, load_weights = {"WEB1": "heavy"})`, "value for WEB1: got string, want int"},
		{`nlb_port_rule(nlb, 8080, 8080, load_weights = {"WEB1": 101})`, "nlb_port_rule: load weight 101 for host WEB1 is outside 0–100"},
		{`nlb_port_rule(nlb, 8080, 8080, affinity = "sticky")`, `unknown affinity "sticky"`},
		{`nlb_connect(nlb, "172.16.0.5", client_port = "x")`, "want int or None"},
		{`c = nlb_connect(nlb, "172.16.0.5", port = 25)
nlb_close(c)
nlb_close(c)`, "is not open"},
		{`nlb_close(nlb_connect(nlb, "172.16.0.5", port = 53, protocol = "udp"))`, "not a connection"},
		{`nlb_close("1")`, "want a Connection"},
		{`nlb_suspend(hosts[1])
nlb_drain(hosts[1], 80)`, "suspended"},
		{`nlb_start(nlb)`, "want a NlbHost or Server or its name"},
		{`nlb_remove_port_rule(nlb, 443)`, "no port rule of NLB cluster owa.corp.example.com contains port 443 (rules: 25/tcp, 80/tcp)"},
		{`nlb_load(nlb, 10, protocol = "both")`, `"tcp" or "udp"`},
		{`fail_server("WEB1")
fail_server("WEB1")`, "already down"},
	} {
		_, err := runStar(t, tc.src)
		if err == nil {
			t.Errorf("%s: no error", tc.src)
			continue
		}
		if msg := lang.ErrorMessage(err); !strings.Contains(msg, tc.want) {
			t.Errorf("%s:\n got %s\nwant …%s…", tc.src, msg, tc.want)
		}
	}
}
