package core

import "testing"

// A rollback takes back the changes its transaction recorded, and only
// those; a clone has its own log.
func TestChangeLogFollowsTransactions(t *testing.T) {
	w := NewWorld()
	w.RecordChange("domain", "", "corp.example.com", Text("netbios", "CORP"))
	outer := w.Begin()
	w.RecordChange("install_server", "", "NODE1", List("adapters", []string{"Public"}))
	inner := w.Begin()
	w.RecordChange("join_domain", "", "NODE1", Text("domain", "corp.example.com"))
	w.Rollback(inner)
	if n := len(w.Changes()); n != 2 {
		t.Fatalf("after the inner rollback: %d changes, want 2", n)
	}
	w.Commit(outer)
	if got := w.Changes()[1].String(); got != `install_server "NODE1" adapters=[Public]` {
		t.Errorf("kept change = %s", got)
	}
	c := NewWorld()
	w.CloneInto(c)
	c.RecordChange("join_domain", "", "NODE1")
	if len(w.Changes()) != 2 || len(c.Changes()) != 3 {
		t.Errorf("a clone's change went into the original's log: %d and %d changes", len(w.Changes()), len(c.Changes()))
	}
}

// A change's one-line form keeps backslashes as written (domain accounts,
// UNC paths) and Go-quotes only what a comment line could not carry.
func TestChangeStringQuoting(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`CORP\clussvc`, `"CORP\clussvc"`},
		{`\\FS1\witness`, `"\\FS1\witness"`},
		{`say "hi"`, `"say \"hi\""`},
		{"two\nlines", `"two\nlines"`},
	} {
		c := Change{Op: "op", Object: tc.in, Settings: []Setting{Text("v", tc.in)}}
		if want := "op " + tc.want + " v=" + tc.want; c.String() != want {
			t.Errorf("%q: String() = %s, want %s", tc.in, c.String(), want)
		}
	}
}

// A world that discards its change log records nothing, nor does its copy;
// another world still does.
func TestDiscardChanges(t *testing.T) {
	w := NewWorld()
	w.RecordChange("domain", "", "a.example")
	w.DiscardChanges()
	w.RecordChange("domain", "", "b.example")
	if len(w.Changes()) != 0 || w.ChangesKept() {
		t.Errorf("after DiscardChanges: %d changes, kept %v", len(w.Changes()), w.ChangesKept())
	}
	c := NewWorld()
	w.CloneInto(c)
	c.RecordChange("domain", "", "c.example")
	if len(c.Changes()) != 0 {
		t.Errorf("the copy of a world without a change log records %d changes", len(c.Changes()))
	}
	k := NewWorld()
	k.RecordChange("domain", "", "d.example")
	if len(k.Changes()) != 1 || !k.ChangesKept() {
		t.Errorf("a new world keeps %d changes, kept %v", len(k.Changes()), k.ChangesKept())
	}
}
