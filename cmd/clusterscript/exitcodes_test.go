package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"clusterscript/lang"
)

// TestExitCodesSpec2: a missing runbook or a folder is bad usage for every
// command taking runbooks; a repeated --set with two values is bad usage;
// a piped REPL whose :save or :load failed exits 1.
func TestExitCodesSpec2(t *testing.T) {
	dir := files(t, map[string]string{"p.star": "print(param(\"x\", 1))\n"})
	missing, p := filepath.Join(dir, "missing.star"), filepath.Join(dir, "p.star")
	for _, cmd := range []string{"run", "check", "repl", "fmt", "lint"} {
		run(cmd, missing).expect(t, lang.ExitUsage, "missing.star")
		if cmd != "fmt" && cmd != "lint" { // they take folders of runbooks
			run(cmd, dir).expect(t, lang.ExitUsage, "folder")
		}
	}
	run("status", dir).expect(t, lang.ExitUsage)
	run("run", p, "--set", "x=1", "--set", "x=2").expect(t, lang.ExitUsage, `--set x is given twice, as "1" and as "2"`)
	run("run", p, "--set", "x=1", "--set", "x=1").expect(t, lang.ExitOK)

	piped := func(input string) result {
		var out, errOut bytes.Buffer
		code := Main([]string{"repl"}, strings.NewReader(input), &out, &errOut)
		return result{code, out.String(), errOut.String()}
	}
	t.Chdir(dir)
	piped(":save "+filepath.Join(dir, "nofolder", "a.star")+"\n").expect(t, lang.ExitFailed, "not saved")
	piped(":save notstar\n").expect(t, lang.ExitFailed, ":save FILE.star")
	piped(":save "+p+"\n").expect(t, lang.ExitFailed, "exists")
	piped(":load missing.star\n").expect(t, lang.ExitFailed)
	piped("x = 1\n").expect(t, lang.ExitOK)
}
