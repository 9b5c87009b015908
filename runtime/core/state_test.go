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
	if !bytes.HasPrefix(a, []byte(`{"format":"clusterscript-state","version":2,"world":{"clock":1000,"events":[[0,"world","domain corp.example.com created`)) || !bytes.HasSuffix(a, []byte("}\n")) {
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
	if _, err := w2.CreateSharedDisk(DiskSpec{Label: "D", SizeGB: 1, Servers: []string{"NODE1"}, Kind: "basic", FS: "NTFS", Letter: "Q:"}); !errors.Is(err, ErrConflict) {
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

// TestDecisionRoundTrip: an event's decision is saved as its sixth member,
// with the subject and state written even when empty, and read back.
func TestDecisionRoundTrip(t *testing.T) {
	w := testWorld()
	w.EmitDecision(KindFailover, "EVS1 Group", &Decision{From: "NODE1", To: "NODE3", Reason: "node NODE1 is Down",
		Skipped: []Skip{{"NODE2", "Paused"}}}, "group %q fails over", "EVS1 Group")
	w.EmitDecision(KindFailover, "", &Decision{Reason: "nothing to say"}, "bare")
	w.Emit(KindState, "NODE1", "Down", "node NODE1 is Down")
	a := save(t, w)
	for _, want := range []string{
		`[0,"failover","group \"EVS1 Group\" fails over","EVS1 Group","",{"from":"NODE1","to":"NODE3","reason":"node NODE1 is Down","skipped":[{"node":"NODE2","why":"Paused"}]}]`,
		`[0,"failover","bare","","",{"reason":"nothing to say"}]`,
		`[0,"state","node NODE1 is Down","NODE1","Down"]]`,
	} {
		if !bytes.Contains(a, []byte(want)) {
			t.Errorf("the state file lacks %s:\n%s", want, a)
		}
	}
	w2, err := Load(a)
	if err != nil {
		t.Fatal(err)
	}
	if b := save(t, w2); !bytes.Equal(a, b) {
		t.Fatalf("save → load → save differs:\n%s\n%s", a, b)
	}
	d := w2.Events[0].Decision
	if d == nil || d.From != "NODE1" || d.To != "NODE3" || len(d.Skipped) != 1 || d.Skipped[0] != (Skip{"NODE2", "Paused"}) {
		t.Errorf("the decision read back is %+v", d)
	}
	if w2.Events[2].Decision != nil {
		t.Errorf("an event without a decision read back with one: %+v", w2.Events[2].Decision)
	}
}

func TestLoadRefusesBadFiles(t *testing.T) {
	good := string(save(t, labWorld(t)))
	bad := map[string]string{
		"empty":             "",
		"not JSON":          "clock: 5\n",
		"truncated":         good[:len(good)/2],
		"trailing garbage":  good + "x",
		"two documents":     good + good,
		"array":             "[1, 2]",
		"null":              "null",
		"no format":         `{"version":1,"world":{}}`,
		"other format":      `{"format":"terraform-state","version":1,"world":{}}`,
		"unknown version":   `{"format":"clusterscript-state","version":3,"world":{}}`,
		"version zero":      `{"format":"clusterscript-state","version":0,"world":{}}`,
		"version as string": `{"format":"clusterscript-state","version":"1","world":{}}`,
		"version fraction":  `{"format":"clusterscript-state","version":1.5,"world":{}}`,
		"not UTF-8":         "{\"format\":\"clusterscript-state\",\"version\":2,\"world\":{\"clock\":0,\"events\":[[0,\"note\",\"\xff\"]]}}",
		"member after v2":   `{"format":"clusterscript-state","version":2,"world":{},"extra":1}`,
	}
	// The same refusals hold in every version this code reads.
	for _, v := range []string{"1", "2"} {
		world := func(body string) string {
			return `{"format":"clusterscript-state","version":` + v + `,"world":` + body + `}`
		}
		for name, body := range map[string]string{
			"no world":           `{"format":"clusterscript-state","version":` + v + `}`,
			"null world":         world(`null`),
			"world not object":   world(`[]`),
			"wrong field type":   world(`{"clock":"noon"}`),
			"clock fraction":     world(`{"clock":1.5}`),
			"clock too big":      world(`{"clock":99999999999999999999}`),
			"clock leading zero": world(`{"clock":01}`),
			"clock before epoch": world(`{"clock":-1}`),
			"trailing comma":     world(`{"clock":1,}`),
			"missing colon":      world(`{"clock" 1}`),
			"bad escape":         world(`{"servers":[{"name":"\x","adapters":[]}]}`),
			"control character":  world("{\"servers\":[{\"name\":\"a\tb\",\"adapters\":[]}]}"),
			"null server":        world(`{"servers":[null]}`),
			"null adapter":       world(`{"servers":[{"name":"X","adapters":[null]}]}`),
			"duplicate servers":  world(`{"servers":[{"name":"X","adapters":[]},{"name":"x","adapters":[]}]}`),
			"server like domain": world(`{"domains":[{"name":"a.example.com","netbios":"A","users":[]}],"servers":[{"name":"A","adapters":[]}]}`),
			"null domain":        world(`{"domains":[null]}`),
			"null user":          world(`{"domains":[{"name":"a.example.com","netbios":"A","users":[null]}]}`),
			"null disk":          world(`{"disks":[null]}`),
			"null ASR set":       world(`{"asr_sets":[null]}`),
			"duplicate disks":    world(`{"disks":[{"label":"Q"},{"label":"q"}]}`),
			"disk size NaN":      world(`{"disks":[{"label":"Q","size_gb":NaN}]}`),
			"null event":         world(`{"events":[null]}`),
			"unknown timer kind": world(`{"timers":{"pending":[{"at":5,"seq":1,"kind":"no-such-kind","subject":"X"}],"next_seq":1}}`),
			"timer past next":    world(`{"timers":{"pending":[{"at":5,"seq":3,"kind":"test-work","subject":"X"}],"next_seq":1}}`),
			"timer seq repeated": world(`{"timers":{"pending":[{"at":5,"seq":1,"kind":"test-work","subject":"X"},{"at":6,"seq":1,"kind":"test-work","subject":"Y"}],"next_seq":2}}`),
			"negative next seq":  world(`{"timers":{"pending":[],"next_seq":-1}}`),
			"deep nesting":       world(`{"unknown":` + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + `}`),
		} {
			bad["v"+v+" "+name] = body
		}
	}
	v1 := func(body string) string { return `{"format":"clusterscript-state","version":1,"world":` + body + `}` }
	v2 := func(body string) string { return `{"format":"clusterscript-state","version":2,"world":` + body + `}` }
	for name, doc := range map[string]string{
		// Version 1 numbers its events; the numbers must be the positions.
		"v1 event numbered out of order": v1(`{"events":[{"seq":2,"at":0,"kind":"note","text":"x"}]}`),
		"v1 event as array":              v1(`{"events":[[0,"note","x"]]}`),
		// Version 2 events are arrays of three to six members, the sixth
		// a decision.
		"v2 event as object":          v2(`{"events":[{"seq":1,"at":0,"kind":"note","text":"x"}]}`),
		"v2 event without text":       v2(`{"events":[[0,"note"]]}`),
		"v2 empty event":              v2(`{"events":[[]]}`),
		"v2 decision not an object":   v2(`{"events":[[0,"state","x","S","Online","more"]]}`),
		"v2 decision null":            v2(`{"events":[[0,"failover","x","G","",null]]}`),
		"v2 decision misspelt":        v2(`{"events":[[0,"failover","x","G","",{"form":"A"}]]}`),
		"v2 skipped node null":        v2(`{"events":[[0,"failover","x","G","",{"skipped":[null]}]]}`),
		"v2 event with seven members": v2(`{"events":[[0,"failover","x","G","",{},"more"]]}`),
		"v2 event time as string":     v2(`{"events":[["0","note","x"]]}`),
		// Version 2 reads every member it meets.
		"v2 unknown world member":  v2(`{"clock":0,"events":[],"colck":5}`),
		"v2 unknown server member": v2(`{"servers":[{"name":"X","adapters":[],"runing":true}]}`),
		"v2 misspelt engine key":   v2(`{"test_engine":[]}`),
	} {
		bad[name] = doc
	}
	for name, doc := range bad {
		t.Run(name, func(t *testing.T) {
			w, err := Load([]byte(doc))
			if err == nil {
				t.Fatalf("Load accepted it: %.300s", doc)
			}
			if w != nil {
				t.Error("Load returned a world with its error")
			}
			if !errors.Is(err, ErrStateFile) {
				t.Errorf("error %q does not wrap ErrStateFile", err)
			}
		})
	}
	for doc, want := range map[string]string{
		`{"format":"clusterscript-state","version":7,"world":{}}`:                                              "schema version 7 is not supported by this clusterscript, which reads versions 1 to 2",
		`{"format":"other","version":1,"world":{}}`:                                                            `not a clusterscript state file (format "other", want "clusterscript-state")`,
		v2(`{"servers":[{"name":"X","adapters":[],"runing":true}]}`):                                           `at world.servers[0].runing (byte 90): no such member in schema version 2`,
		v2(`{"clock":"noon"}`):                                                                                 `at world.clock (byte 61): want a whole number, found "\"noon\"}}"`,
		v2(`{"events":[[0,"note","x"],[5,"note"]]}`):                                                           `at world.events[1][1] (byte 87): the text of an event is missing`,
		v2(`{"events":[[0,"failover","x","G","",{},"more"]]}`):                                                 "an event has six fields at most: time, kind, text, subject, state, decision",
		v2(`{"servers":[{"name":"X","adapters":[null]}]}`):                                                     `at world.servers[0].adapters[0] (byte 88): an adapter is null`,
		v1(`{"events":[{"seq":1,"at":0,"kind":"note","text":"x"},{"seq":3,"at":0,"kind":"note","text":"y"}]}`): "event 2 is numbered 3; the log numbers its events 1, 2, 3… in order",
		"[1, 2]": `at byte 0: not a clusterscript state file (want a JSON object, found "[1, 2]")`,
	} {
		_, err := Load([]byte(doc))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load(%.80s):\n got %v\nwant …%s…", doc, err, want)
		}
	}
}

// TestLoadAcceptsWhatOlderReadersDid: a version 1 file is read as
// encoding/json read it (members it does not know are skipped, null is a
// zero value), and the world may come before the version in any file.
func TestLoadAcceptsWhatOlderReadersDid(t *testing.T) {
	for name, doc := range map[string]string{
		"v1 unknown members": `{"format":"clusterscript-state","version":1,"comment":"x","world":{"clock":5,"events":null,"weather":{"rain":[1,2.5e3,true,null,"x"]},` +
			`"servers":[{"name":"X","edition":"enterprise","version":"2003","adapters":[],"running":null,"colour":"red"}]}}`,
		"world first":              `{"world":{"clock":5,"events":[[5,"note","x"]],"servers":[{"name":"X","edition":"enterprise","version":"2003","adapters":[],"running":false}]},"version":2,"format":"clusterscript-state"}`,
		"members in another order": `{"format":"clusterscript-state","version":2,"world":{"servers":[{"running":false,"adapters":[],"edition":"web","version":"2003","name":"X"}],"events":[],"clock":5}}`,
		"white space":              " {\n\t\"format\" : \"clusterscript-state\" ,\r\n \"version\" : 2 , \"world\" : { \"clock\" : 5 , \"servers\" : [ { \"name\" : \"X\" , \"edition\" : \"standard\" , \"version\" : \"2003\" , \"adapters\" : [ ] } ] } } \n",
	} {
		t.Run(name, func(t *testing.T) {
			w, err := Load([]byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			if w.Clock != 5 || len(w.Servers) != 1 || w.Servers[0].Name != "X" || w.Servers[0].Running || (name == "members in another order") != (w.Servers[0].Edition == "web") {
				t.Errorf("read clock %d, servers %+v", w.Clock, w.Servers)
			}
		})
	}
}

// TestEventLogV2 pins the compact form of the event log: one array per
// event, trailing empty subject and state left out, sequence numbers
// implied by position.
func TestEventLogV2(t *testing.T) {
	w := testWorld()
	w.Record(KindNote, "", "plain")
	ok(t, w.Advance(1500))
	w.Emit(KindWorld, "NODE1", "", "server %s installed", "NODE1")
	w.Emit(KindState, "NODE1", "Up", "node NODE1 is Up")
	w.Emit(KindState, "", "Down", "no subject")
	data := string(save(t, w))
	want := `"events":[[0,"note","plain"],` +
		`[1500,"world","server NODE1 installed","NODE1"],[1500,"state","node NODE1 is Up","NODE1","Up"],[1500,"state","no subject","","Down"]]`
	if !strings.Contains(data, want) {
		t.Fatalf("event log:\n%s\nwant it to contain\n%s", data, want)
	}
	w2, err := Load([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range w2.Events {
		if e != w.Events[i] || e.Seq != i+1 {
			t.Errorf("event %d reads back as %+v, want %+v", i+1, e, w.Events[i])
		}
	}
}

// FuzzLoad: whatever the file, Load returns a world or an error wrapping
// ErrStateFile, never a crash of the decoder (the recover that turns an
// engine's crash on an impossible world into an error would hide one,
// hence the check of the message); a world it returns saves and loads
// back to the same document.
func FuzzLoad(f *testing.F) {
	w := testWorld()
	w.Record(KindNote, "", "seed")
	w.Schedule(Minute, "test-work", "NODE1", "arg", 2)
	seed, _ := w.Save()
	f.Add(string(seed))
	f.Add(`{"format":"clusterscript-state","version":1,"world":{"clock":5,"events":[{"seq":1,"at":0,"kind":"note","text":"x"}],"disks":[{"label":"Q","size_gb":0.5,"servers":["A"],"kind":"basic","fs":"NTFS","signature":"1"}]}}`)
	f.Fuzz(func(t *testing.T, doc string) {
		w, err := Load([]byte(doc))
		if err != nil {
			if !errors.Is(err, ErrStateFile) || strings.Contains(err.Error(), "inconsistent") {
				t.Fatalf("%q: %v", doc, err)
			}
			return
		}
		a, err := w.Save()
		if err != nil {
			t.Fatal(err)
		}
		w2, err := Load(a)
		if err != nil {
			t.Fatalf("a saved world does not load: %v\n%s", err, a)
		}
		if b, _ := w2.Save(); !bytes.Equal(a, b) {
			t.Fatalf("save → load → save differs:\n%s\n%s", a, b)
		}
	})
}
