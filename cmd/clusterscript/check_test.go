package main

import (
	"path/filepath"
	"testing"

	"clusterscript/lang"
)

// The three mistakes of issue 16 that `check` once let through, each with
// its position and a suggestion, and every one reported.
func TestCheckBuiltinCalls(t *testing.T) {
	dir := files(t, map[string]string{"typos.star": `load("@stdlib//procedures.star", "lab_with_cluster")

d = domain("corp.example.com", netbio = "A")
cl = lab_with_cluster()["cluster"]
g = get_group(cl, "Cluster Group")
move_group()
new_resource(g, "x", "IP Adress")
`})
	p := filepath.Join(dir, "typos.star")
	r := run("check", p)
	r.expect(t, lang.ExitUsage,
		p+`:3:32: domain: unexpected keyword argument "netbio" (did you mean netbios?)`,
		p+`:6:11: move_group: missing argument for group`,
		p+`:7:22: new_resource: unknown resource type "IP Adress" (did you mean "IP Address"?); use one of `)
	if r.stdout != "" {
		t.Errorf("stdout: %q", r.stdout)
	}
}
