package importer

import (
	"os"
	"path/filepath"
	"testing"

	"clusterscript/runtime/sim"
)

// FuzzImport feeds the importer damaged snapshots and CIBs. Whatever the
// bytes, it returns an error or a world; a world it builds passes the
// invariants and the same load validation as any state file (SPEC §17).
func FuzzImport(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		`<cib><configuration><nodes><node id="1" uname="n1"/></nodes><resources>` +
			`<group id="g"><primitive id="ip" class="ocf" provider="heartbeat" type="IPaddr2">` +
			`<instance_attributes id="a"><nvpair id="a1" name="ip" value="10.0.0.50"/></instance_attributes></primitive></group>` +
			`</resources><constraints/></configuration><status/></cib>`,
		`<cib><!-- x --><configuration><![CDATA[<]]></configuration></cib>`,
		`<?xml version="1.0"?><!DOCTYPE cib><cib a="&amp;&#60;&#x3c;"/>`,
		`{"schema": 1}`,
		"\xef\xbb\xbf{}",
		"\xff\xfe{\x00}\x00",
		`<cib><configuration><resources><clone id="c"/></resources></configuration></cib>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		w := sim.New()
		if _, err := Import(w, data, "", "fuzz"); err != nil {
			return
		}
		if bad := w.Invariants(); len(bad) > 0 {
			t.Fatalf("imported world breaks invariants: %v", bad)
		}
		saved, err := w.Save()
		if err != nil {
			t.Fatalf("imported world does not save: %v", err)
		}
		if _, err := sim.Load(saved); err != nil {
			t.Fatalf("imported world does not load back: %v", err)
		}
	})
}
