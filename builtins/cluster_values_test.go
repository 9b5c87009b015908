package builtins_test

import (
	"strings"
	"testing"

	"clusterscript/builtins"
	"clusterscript/lang"
	"clusterscript/runtime/sim"

	"go.starlark.net/starlark"
)

// A starSession runs a setup snippet and then evaluates expressions in its
// globals, one by one, so that a test can read a handle, change the world
// and read the same handle again.
type starSession struct {
	t   *testing.T
	s   *lang.Session
	env starlark.StringDict
}

func newStarSession(t *testing.T, setup string) *starSession {
	t.Helper()
	s := lang.NewSession(builtins.NewWorld(sim.New()), builtins.Registry(), nil)
	globals, err := s.ExecSource("setup.star", []byte(setup))
	if err != nil {
		t.Fatalf("setup: %s", lang.FormatError(err, s.Progress()))
	}
	env := starlark.StringDict{}
	for k, v := range s.Registry.Predeclared() {
		env[k] = v
	}
	for k, v := range globals {
		env[k] = v
	}
	return &starSession{t: t, s: s, env: env}
}

func (ss *starSession) eval(expr string) (starlark.Value, error) {
	return starlark.EvalOptions(lang.FileOptions, ss.s.NewThread("expr"), "expr", expr, ss.env)
}

// is checks that expr evaluates to a value whose Starlark repr is want.
func (ss *starSession) is(expr, want string) {
	ss.t.Helper()
	v, err := ss.eval(expr)
	if err != nil {
		ss.t.Errorf("%s: %v", expr, err)
		return
	}
	if got := v.String(); got != want {
		ss.t.Errorf("%s = %s, want %s", expr, got, want)
	}
}

// do evaluates a call for its effect.
func (ss *starSession) do(expr string) {
	ss.t.Helper()
	if _, err := ss.eval(expr); err != nil {
		ss.t.Fatalf("%s: %v", expr, err)
	}
}

// fails checks that expr fails with an error containing substr.
func (ss *starSession) fails(expr, substr string) {
	ss.t.Helper()
	_, err := ss.eval(expr)
	if err == nil {
		ss.t.Errorf("%s succeeded; want an error saying %q", expr, substr)
		return
	}
	msg := lang.ErrorMessage(err)
	if !strings.Contains(msg, substr) {
		ss.t.Errorf("%s: error %q does not say %q", expr, msg, substr)
	}
	// The builtin's name is said once, by the host, never by the engine too.
	if i := strings.Index(msg, ": "); i > 0 && strings.HasPrefix(msg[i+2:], msg[:i+2]) {
		ss.t.Errorf("%s: error %q names the builtin twice", expr, msg)
	}
}

const clusterSetup = `
load("@stdlib//lab.star", "build_lab", "CLUSTER_ACCOUNT", "CLUSTER_PASSWORD")
lab = build_lab(nodes = 3, data_disks = 1)
cl = create_cluster("EXCLUSTER", lab["domain"], "NODE1", "10.0.0.100", CLUSTER_ACCOUNT)
for s in lab["servers"][1:]:
    add_node(cl, s, password = CLUSTER_PASSWORD)
n1 = get_node(cl, "NODE1")
n2 = get_node(cl, "NODE2")
web = new_group(cl, "Web", description = "web site", preferred_owners = ["NODE1", "NODE2"])
ip = new_resource(web, "Web IP", "IP Address", address = "10.0.0.150", subnet_mask = "255.255.255.0")
nn = new_resource(web, "Web Name", "Network Name", dependencies = [ip], name = "WEB")
disk = new_resource(web, "Web Disk", "Physical Disk", disk = lab["data"][0])
svc = new_resource(web, "Web Service", "Generic Service", "the web server", dependencies = [nn, disk], service = "W3SVC")
`

func TestClusterValues(t *testing.T) {
	ss := newStarSession(t, clusterSetup)
	// Cluster (SPEC §9).
	ss.is("cl.name", `"EXCLUSTER"`)
	ss.is("cl.ip", `"10.0.0.100"`)
	ss.is("cl.nodes", `["NODE1", "NODE2", "NODE3"]`)
	ss.is("cl.groups", `["Cluster Group", "Web"]`)
	ss.is("cl.resources", `["Cluster IP Address", "Cluster Name", "Disk Q:", "Web Disk", "Web IP", "Web Name", "Web Service"]`)
	ss.is("cl.quorum", `"Disk Q:"`)
	ss.is("cl.quorum_model", `"disk"`)
	ss.is("cl.has_quorum", `True`)
	// Node.
	ss.is("n1.name", `"NODE1"`)
	ss.is("n1.state", `"Up"`)
	ss.is("n1.groups", `["Cluster Group", "Web"]`)
	ss.is("n2.groups", `[]`)
	// Group.
	ss.is("web.name", `"Web"`)
	ss.is("web.state", `"Offline"`)
	ss.is("web.owner", `"NODE1"`)
	ss.is("web.preferred_owners", `["NODE1", "NODE2"]`)
	ss.is("web.resources", `["Web Disk", "Web IP", "Web Name", "Web Service"]`)
	ss.is("web.failover_threshold", `10`)
	ss.is("web.failover_period", `6`)
	ss.is("web.failback", `"prevent"`)
	ss.is("web.failback_window", `None`)
	// Resource.
	ss.is("svc.name", `"Web Service"`)
	ss.is("svc.type", `"Generic Service"`)
	ss.is("svc.state", `"Offline"`)
	ss.is("svc.group", `"Web"`)
	ss.is("svc.owner", `"NODE1"`)
	ss.is("svc.dependencies", `["Web Name", "Web Disk"]`) // as given
	ss.is("nn.dependents", `["Web Service"]`)
	ss.is("svc.possible_owners", `["NODE1", "NODE2", "NODE3"]`)
	ss.is("svc.restart", `True`)
	ss.is("svc.restart_threshold", `3`)
	ss.is("svc.restart_period", `900`)
	ss.is("svc.affect_group", `True`)
	ss.is("svc.retry_period", `3600`)
	ss.is("svc.params", `{"service": "W3SVC"}`)
	ss.is("ip.params", `{"address": "10.0.0.150", "network": "Public", "subnet_mask": "255.255.255.0"}`)
	ss.is("disk.params", `{"disk": "Data1"}`)
	ss.is("svc.description", `"the web server"`)
	ss.fails(`svc.params.update(service = "x")`, "frozen")
}

// Handles are live: the same handle read after a change shows the change.
func TestClusterValuesAreLive(t *testing.T) {
	ss := newStarSession(t, clusterSetup)
	ss.do("bring_online(web)")
	ss.is("web.state", `"Online"`)
	ss.is("svc.state", `"Online"`)
	ss.do("take_offline(svc)")
	ss.is("web.state", `"Partially Online"`)
	ss.do(`move_group(web, "NODE2")`)
	ss.is("web.owner", `"NODE2"`)
	ss.is("svc.owner", `"NODE2"`)
	ss.is("n1.groups", `["Cluster Group"]`)
	ss.is("n2.groups", `["Web"]`)
	ss.do(`pause_node(n1)`)
	ss.is("n1.state", `"Paused"`)
	ss.do(`stop_cluster_service("NODE3")`)
	ss.is(`get_node(cl, "NODE3").state`, `"Down"`)
	ss.do(`start_cluster_service("NODE3")`)
	ss.is(`get_node(cl, "NODE3").state`, `"Joining"`)
	ss.do(`settle()`)
	ss.is(`get_node(cl, "NODE3").state`, `"Up"`)
	ss.do(`failover_policy(web, threshold = 2, period = 3, failback = "window", window = (22, 6))`)
	ss.is("web.failover_threshold", `2`)
	ss.is("web.failover_period", `3`)
	ss.is("web.failback", `"window"`)
	ss.is("web.failback_window", `(22, 6)`)
	ss.do(`restart_policy(svc, restart = False, threshold = 1, period = 60, affect_group = False)`)
	ss.is("[svc.restart, svc.restart_threshold, svc.restart_period, svc.affect_group]", `[False, 1, 60, False]`)
	ss.is("svc.retry_period", `3600`)
	ss.do(`restart_policy(svc, period = 60, retry_period = 600)`)
	ss.is("[svc.restart_period, svc.retry_period]", `[60, 600]`)
	ss.do(`restart_policy(svc, period = 7200)`)
	ss.is("svc.retry_period", `7200`) // never shorter than the restart period
	ss.do(`restart_policy(svc)`)
	ss.is("svc.retry_period", `3600`)
	ss.do(`set_params(svc, service = "IISADMIN")`)
	ss.is("svc.params", `{"service": "IISADMIN"}`)
	ss.do(`remove_dependency(svc, disk)`)
	ss.is("svc.dependencies", `["Web Name"]`)
	ss.is("disk.dependents", `[]`)
	ss.do(`set_possible_owners(svc, ["NODE2", n1])`)
	ss.is("svc.possible_owners", `["NODE1", "NODE2"]`)
	ss.do(`set_preferred_owners(web, ["NODE3"])`)
	ss.is("web.preferred_owners", `["NODE3"]`)
	ss.do(`bring_online(svc)`)
	// Set while it runs: params shows what is stored at once.
	ss.do(`set_params(svc, service = "W3SVC")`)
	ss.is("svc.params", `{"service": "W3SVC"}`)
	ss.do(`fail_resource(svc)`)
	ss.is("svc.state", `"Failed"`)
	ss.is("web.state", `"Failed"`)
	ss.do(`resume_node(n1)`)
	ss.is("n1.state", `"Up"`)
	ss.do(`new_group(cl, "Spare")`)
	ss.is("cl.groups", `["Cluster Group", "Spare", "Web"]`)
	ss.do(`delete_group("Spare")`)
	ss.is("cl.groups", `["Cluster Group", "Web"]`)
	ss.do(`take_offline(svc)`)
	ss.do(`delete_resource(svc)`)
	ss.is("web.resources", `["Web Disk", "Web IP", "Web Name"]`)
	ss.fails("svc.state", `no resource of cluster EXCLUSTER named "Web Service"`)
	ss.is("str(svc)", `"<resource \"Web Service\" (gone)>"`)
	ss.do(`stop_cluster_service("NODE1")`)
	ss.do(`stop_cluster_service("NODE2")`)
	ss.is("cl.has_quorum", `True`) // NODE3 took the quorum disk
	ss.is("cl.nodes", `["NODE1", "NODE2", "NODE3"]`)
}

// restart_policy refuses a retry period the Cluster service would not take.
func TestRestartPolicyRetryPeriod(t *testing.T) {
	ss := newStarSession(t, clusterSetup)
	for _, tt := range []struct{ expr, want string }{
		{`restart_policy(svc, retry_period = 0)`, "retry period 0 is out of range; it is 900 to 4294967 seconds"},
		{`restart_policy(svc, retry_period = -5)`, "retry period -5 is out of range"},
		{`restart_policy(svc, retry_period = 600)`, "retry period 600 s is shorter than the restart period of 900 s; RetryPeriodOnFailure must be at least RestartPeriod — give retry_period=900 or more"},
		{`restart_policy(svc, period = 60, retry_period = 4294968)`, "retry period 4294968 is out of range; it is 60 to 4294967 seconds"},
		{`restart_policy(svc, retry_period = "1h")`, "restart_policy: for parameter retry_period: got string, want int"},
		{`restart_policy(svc, retry_periods = 600)`, `unexpected keyword argument "retry_periods" (did you mean retry_period?)`},
	} {
		ss.fails(tt.expr, tt.want)
		ss.is("svc.retry_period", `3600`)
	}
}

func TestQuorumValues(t *testing.T) {
	for _, tt := range []struct{ quorum, model, name string }{
		{`"majority"`, `"majority"`, `"Majority Node Set"`},
		{`"local"`, `"local"`, `"Local Quorum"`},
		{`lab["data"][0]`, `"disk"`, `"Disk R:"`},
	} {
		t.Run(tt.quorum, func(t *testing.T) {
			ss := newStarSession(t, `
load("@stdlib//lab.star", "build_lab", "CLUSTER_ACCOUNT")
lab = build_lab(nodes = 2, data_disks = 1)
cl = create_cluster("EXCLUSTER", lab["domain"], "NODE1", "10.0.0.100", CLUSTER_ACCOUNT, quorum = `+tt.quorum+`)
`)
			ss.is("cl.quorum_model", tt.model)
			ss.is("cl.quorum", tt.name)
			ss.is("cl.has_quorum", "True")
			ss.is(`get_group(cl, "Cluster Group").resources`, `["Cluster IP Address", "Cluster Name", `+tt.name+`]`)
		})
	}
}

func TestHandleStrings(t *testing.T) {
	ss := newStarSession(t, clusterSetup)
	ss.is("str(cl)", `"<cluster EXCLUSTER 3 nodes has quorum>"`)
	ss.is("str(n1)", `"<node NODE1 Up>"`)
	ss.is("str(web)", `"<group \"Web\" Offline on NODE1>"`)
	ss.is("str(svc)", `"<resource \"Web Service\" Generic Service Offline on NODE1>"`)
	ss.is(`type(cl), type(n1), type(web), type(svc)`, `("Cluster", "Node", "Group", "Resource")`)
	ss.do("bring_online(web)")
	ss.do(`move_group(web, "NODE2")`)
	ss.is("str(web)", `"<group \"Web\" Online on NODE2>"`)
	ss.is("str(svc)", `"<resource \"Web Service\" Generic Service Online on NODE2>"`)
	ss.do(`pause_node("NODE2")`)
	ss.is("str(n2)", `"<node NODE2 Paused>"`)
	// Handles compare by identity, whether fetched again or not.
	ss.is(`get_group(cl, "Web") == web`, "True")
	ss.is(`get_resource(cl, "web service") == svc`, "True") // looked up by any case, the handle holds the canonical name
	ss.is(`get_node(cl, "NODE1") == n1`, "True")
}

func TestUnknownAttributesSuggest(t *testing.T) {
	ss := newStarSession(t, clusterSetup)
	for _, tt := range []struct{ expr, want string }{
		{"cl.quorum_mode", "has no .quorum_mode field or method (did you mean .quorum_model?)"},
		{"cl.node", "(did you mean .nodes?)"},
		{"n1.stat", "(did you mean .state?)"},
		{"web.prefered_owners", "(did you mean .preferred_owners?)"},
		{"web.failback_windows", "(did you mean .failback_window?)"},
		{"svc.dependants", "(did you mean .dependents?)"},
		{"svc.param", "(did you mean .params?)"},
	} {
		ss.fails(tt.expr, tt.want)
	}
}

func TestNewResourceParams(t *testing.T) {
	ss := newStarSession(t, clusterSetup)
	// The Network Name's name= is a parameter: the resource's name is given by position.
	ss.do(`new_resource(web, "Web Name 2", "Network Name", dependencies = ["Web IP"], name = "WEB2")`)
	ss.is(`get_resource(cl, "Web Name 2").params`, `{"name": "WEB2"}`)
	// By keyword, name= is the resource's name, and the type's parameters follow.
	ss.do(`new_resource(group = web, name = "Web Service 2", type = "Generic Service", service = "SMTPSVC", description = "mail")`)
	ss.is(`get_resource(cl, "Web Service 2").params`, `{"service": "SMTPSVC"}`)
	ss.is(`get_resource(cl, "Web Service 2").description`, `"mail"`)
	// A Disk handle stands for its label; an int for its digits.
	ss.is("disk.params", `{"disk": "Data1"}`)
	ss.do(`new_resource(web, "Svc 3", "Generic Service", service = "x", parameters = 42)`)
	ss.is(`get_resource(cl, "Svc 3").params["parameters"]`, `"42"`)
	ss.do(`new_resource(web, "Svc 4", "Generic Service", possible_owners = ["NODE2", n1], service = "y")`)
	ss.is(`get_resource(cl, "Svc 4").possible_owners`, `["NODE1", "NODE2"]`)
	// Refusals come back as the engine's sentences.
	ss.fails(`new_resource(web, "Svc 5", "Generic Service", servise = "z")`, "no parameter servise (did you mean service?)")
	ss.fails(`new_resource(web, "Svc 5", "Generic Service", service = ["z"])`, "parameter service: got list, want a string")
	ss.fails(`new_resource(web, "Svc 5", "Generic Srvice", service = "z")`, `(did you mean "Generic Service"?)`)
	ss.fails(`new_resource(web, "Svc 5", "Network Name", name = "WEB3")`, `must depend on an IP Address resource of group "Web"`)
	ss.fails(`new_resource(web, "Svc 5", "Generic Service", possible_owners = [], service = "z")`, "empty possible-owner list")
	ss.fails(`set_params(svc, nme = "x")`, "no parameter nme")
	ss.is(`"Svc 5" in cl.resources`, "False")
}
