package core

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestStateRoundTrip(t *testing.T) {
	w := labWorld(t)
	ok(t, w.InstallComponent("NODE1", "ASP.NET"))
	w.Schedule(Minute, "test-work", "NODE1", "arg", 2)
	w.Record(KindNote, "", `a note with "quotes", <angles> & a backslash \`)
	ok(t, w.Advance(Second))

	a := save(t, w)
	if !bytes.HasPrefix(a, []byte(`{"format":"clusterscript-state","version":1,"world":{"clock":1000,`)) || !bytes.HasSuffix(a, []byte("}\n")) {
		t.Errorf("state document does not start with its format and version:\n%.120s", a)
	}
	w2, err := Load(a)
	if err != nil {
		t.Fatal(err)
	}
	if b := save(t, w2); !bytes.Equal(a, b) {
		t.Fatalf("save → load → save differs:\n%s\n%s", a, b)
	}
	// The reloaded world's indexes work: lookups, refusals, the address map.
	if _, err := w2.Server("node2"); err != nil {
		t.Error(err)
	}
	if _, err := w2.User(`CORP\clussvc`); err != nil {
		t.Error(err)
	}
	if _, err := w2.Disk("quorum"); err != nil {
		t.Error(err)
	}
	if _, err := w2.InstallServer("NODE1", "enterprise", "2003", []string{"LAN"}); !errors.Is(err, ErrConflict) {
		t.Errorf("a reloaded world accepts a second NODE1: %v", err)
	}
	if _, err := w2.CreateSharedDisk("D", 1, []string{"NODE1"}, "basic", "NTFS", "Q:"); !errors.Is(err, ErrConflict) {
		t.Errorf("a reloaded world accepts a second Q:: %v", err)
	}
	// An empty world round-trips too.
	e := save(t, testWorld())
	e2, err := Load(e)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(e, save(t, e2)) {
		t.Error("the empty world does not round-trip")
	}
}

func TestLoadRefusesBadFiles(t *testing.T) {
	good := string(save(t, labWorld(t)))
	world := func(body string) string {
		return `{"format":"clusterscript-state","version":1,"world":` + body + `}`
	}
	for name, doc := range map[string]string{
		"empty":              "",
		"not JSON":           "clock: 5\n",
		"truncated":          good[:len(good)/2],
		"trailing garbage":   good + "x",
		"array":              "[1, 2]",
		"no format":          `{"version":1,"world":{}}`,
		"other format":       `{"format":"terraform-state","version":1,"world":{}}`,
		"unknown version":    `{"format":"clusterscript-state","version":2,"world":{}}`,
		"version zero":       `{"format":"clusterscript-state","version":0,"world":{}}`,
		"version as string":  `{"format":"clusterscript-state","version":"1","world":{}}`,
		"no world":           `{"format":"clusterscript-state","version":1}`,
		"null world":         world(`null`),
		"world not object":   world(`[]`),
		"wrong field type":   world(`{"clock":"noon"}`),
		"clock before epoch": world(`{"clock":-1}`),
		"null server":        world(`{"servers":[null]}`),
		"null adapter":       world(`{"servers":[{"name":"X","adapters":[null]}]}`),
		"duplicate servers":  world(`{"servers":[{"name":"X","adapters":[]},{"name":"x","adapters":[]}]}`),
		"server like domain": world(`{"domains":[{"name":"a.example.com","netbios":"A","users":[]}],"servers":[{"name":"A","adapters":[]}]}`),
		"null domain":        world(`{"domains":[null]}`),
		"null user":          world(`{"domains":[{"name":"a.example.com","netbios":"A","users":[null]}]}`),
		"null disk":          world(`{"disks":[null]}`),
		"duplicate disks":    world(`{"disks":[{"label":"Q"},{"label":"q"}]}`),
		"unknown timer kind": world(`{"timers":{"pending":[{"at":5,"seq":1,"kind":"no-such-kind","subject":"X"}],"next_seq":1}}`),
		"timer past next":    world(`{"timers":{"pending":[{"at":5,"seq":3,"kind":"test-work","subject":"X"}],"next_seq":1}}`),
		"timer seq repeated": world(`{"timers":{"pending":[{"at":5,"seq":1,"kind":"test-work","subject":"X"},{"at":6,"seq":1,"kind":"test-work","subject":"Y"}],"next_seq":2}}`),
	} {
		t.Run(name, func(t *testing.T) {
			w, err := Load([]byte(doc))
			if err == nil {
				t.Fatalf("Load accepted it: %s", doc)
			}
			if w != nil {
				t.Error("Load returned a world with its error")
			}
			if !errors.Is(err, ErrStateFile) {
				t.Errorf("error %q does not wrap ErrStateFile", err)
			}
		})
	}
	_, err := Load([]byte(`{"format":"clusterscript-state","version":7,"world":{}}`))
	if err == nil || !strings.Contains(err.Error(), "schema version 7 is not supported by this clusterscript, which reads version 1") {
		t.Errorf("unknown version: %v", err)
	}
	_, err = Load([]byte(`{"format":"other","version":1,"world":{}}`))
	if err == nil || !strings.Contains(err.Error(), `not a clusterscript state file (format "other"`) {
		t.Errorf("other format: %v", err)
	}
}
