package main

import (
	"runtime/debug"
	"strings"
)

// versionLine says which clusterscript this is, from what the Go
// toolchain recorded in the binary: the module's version when it was
// installed with `go install …@vX.Y.Z`; for a build from a checkout,
// "(devel)" with the commit and whether the tree had changes; "(devel)"
// alone when nothing was recorded (go run, tests).
func versionLine(info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return "clusterscript (devel)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	var b strings.Builder
	b.WriteString("clusterscript " + v)
	if v == "(devel)" && rev != "" {
		b.WriteString(" commit " + rev[:min(len(rev), 12)])
		if modified == "true" {
			b.WriteString(" with local changes")
		}
	}
	if info.GoVersion != "" {
		b.WriteString(", built with " + info.GoVersion)
	}
	return b.String()
}
