package builtins

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clusterscript/lang"
	"clusterscript/runtime/sim"

	"go.starlark.net/starlark"
)

// TestParamsMatchUnpack holds each builtin's Params, which `check`, `doc`
// and keyword suggestions read, to what its function accepts: the same
// number of positional arguments and the same required parameters.
func TestParamsMatchUnpack(t *testing.T) {
	reg := Registry()
	for _, b := range reg.All() {
		t.Run(b.Name, func(t *testing.T) {
			s := lang.NewSession(NewWorld(sim.New()), reg, nil)
			thread := s.NewThread("signature_test")
			fn := reg.Predeclared()[b.Name]
			var named []lang.Param
			star := false
			for _, p := range b.Parameters() {
				switch {
				case p.Star:
					star = true
				case !p.StarStar:
					named = append(named, p)
				}
			}
			if !star {
				args := make(starlark.Tuple, len(named)+1)
				for i := range args {
					args[i] = starlark.None
				}
				_, err := starlark.Call(thread, fn, args, nil)
				want := fmt.Sprintf("%s: got %d arguments, want at most %d", b.Name, len(args), len(named))
				if err == nil || lang.ErrorMessage(err) != want {
					t.Errorf("%d arguments give %v, want %q", len(args), err, want)
				}
			}
			_, err := starlark.Call(thread, fn, nil, nil)
			missing := ""
			if err != nil {
				_, missing, _ = strings.Cut(lang.ErrorMessage(err), b.Name+": missing argument for ")
			}
			first := ""
			for _, p := range named {
				if p.Required() {
					first = p.Name
					break
				}
			}
			if missing != first {
				t.Errorf("no arguments give %v; Params %s says the first required parameter is %q", err, b.Params, first)
			}
		})
	}
}

// TestCheckSpeaksAsTheEngine: a literal that `check` reports outside an
// enumeration is refused at run time too, in the same words.
func TestCheckSpeaksAsTheEngine(t *testing.T) {
	const setup = "load(\"@stdlib//procedures.star\", \"lab_with_cluster\")\ncl = lab_with_cluster(nodes = 2)[\"cluster\"]\n"
	for _, call := range []string{
		`install_server("N9", edition = "enterprize")`,
		`install_server("N9", "enterprise", "2005")`,
		`configure_tcpip("NODE1", "Public", "10.0.0.11", "255.255.255.0", role = "privat")`,
		`shared_disk("D9", 10, ["NODE1"], kind = "dinamic")`,
		`format_disk("Data1", "S:", fs = "raw")`,
		`install_component("NODE1", "ISS")`,
		`new_resource(get_group(cl, "Cluster Group"), "x", "IP Adress")`,
		`failover_policy(get_group(cl, "Cluster Group"), failback = "immediately")`,
		`install_exchange("NODE1", "CORP\\exadmin", edition = "entreprise")`,
		`install_exchange("NODE1", "CORP\\exadmin", components = ["messaging", "system_management_tool"])`,
		`create_nlb_cluster("10.0.0.200", "255.255.255.0", "owa.corp.example.com", mode = "unicats")`,
		`nlb_port_rule(create_nlb_cluster("10.0.0.200", "255.255.255.0", "owa.corp.example.com"), affinity = "singel")`,
		`nlb_route(create_nlb_cluster("10.0.0.200", "255.255.255.0", "owa.corp.example.com"), "10.1.1.1", protocol = "tpc")`,
	} {
		src := setup + call + "\n"
		p := filepath.Join(t.TempDir(), "x.star")
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		errs := lang.CheckFile(Registry(), p)
		if len(errs) != 1 {
			t.Errorf("check %s: %v, want one error", call, errs)
			continue
		}
		static := errs[0].(*lang.StaticError).Msg
		s := lang.NewSession(NewWorld(sim.New()), Registry(), nil)
		_, err := s.ExecSource("x.star", []byte(src))
		if err == nil || lang.ErrorMessage(err) != static {
			t.Errorf("%s:\n check says %s\n the run says %v", call, static, err)
		}
	}
}
