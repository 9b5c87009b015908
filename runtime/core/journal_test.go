package core

import (
	"bytes"
	"strings"
	"testing"
)

func mustSave(t *testing.T, w *World) []byte {
	t.Helper()
	b, err := w.Save()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// timerWorld has a server, a disk and timers of both kinds pending, one
// chain of work that reschedules itself.
func timerWorld(t *testing.T) *World {
	w := testWorld()
	if _, err := w.InstallServer("S1", "enterprise", "2003", []string{"LAN"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.CreateSharedDisk(DiskSpec{Label: "D1", SizeGB: 1, Servers: []string{"S1"}, Kind: "basic", FS: "raw"}); err != nil {
		t.Fatal(err)
	}
	w.Schedule(2*Second, "test-work", "chain", "", 3)
	w.Schedule(5*Second, "test-window", "window", "", 0)
	w.Schedule(7*Second, "test-work", "late", "", 0)
	return w
}

// A rollback puts back the clock, the log, the objects, the name indexes
// and the timer queue: timers fired, pushed and cancelled in the
// transaction come back as they were, with their sequence numbers, and
// afterwards the world runs exactly as a fresh load of its state file.
func TestRollbackRestoresTimersClockAndObjects(t *testing.T) {
	w := timerWorld(t)
	before := mustSave(t, w)
	fresh, err := Load(before)
	if err != nil {
		t.Fatal(err)
	}
	mark := w.Begin()
	if err := w.Advance(3 * Second); err != nil { // the chain fires and reschedules
		t.Fatal(err)
	}
	w.Schedule(Second, "test-work", "new", "", 0)
	w.CancelTimers("test-work", "late")
	if err := w.FailServer("S1"); err != nil {
		t.Fatal(err)
	}
	if err := w.FormatDisk("D1", "R:", "NTFS"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.InstallServer("S2", "standard", "2003", []string{"LAN"}); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(mustSave(t, w), before) {
		t.Fatal("the transaction changed nothing")
	}
	w.Rollback(mark)
	if after := mustSave(t, w); !bytes.Equal(after, before) {
		t.Fatalf("the rollback left traces\n%s", FirstDifference(before, after))
	}
	if w.LookupServer("S2") != nil {
		t.Error("S2 is still in the server index")
	}
	if err := w.CheckIndexes(); err != nil {
		t.Error(err)
	}
	for _, x := range []*World{w, fresh} {
		x.Settle()
	}
	if a, b := mustSave(t, w), mustSave(t, fresh); !bytes.Equal(a, b) {
		t.Errorf("after the rollback the world settles differently from a fresh load\n%s", FirstDifference(b, a))
	}
}

// Transactions nest: an inner rollback undoes only the inner changes, an
// inner commit hands its changes to the outer transaction, and the
// outermost commit keeps everything and ends recording.
func TestNestedTransactions(t *testing.T) {
	w := timerWorld(t)
	install := func(name string) {
		t.Helper()
		if _, err := w.InstallServer(name, "standard", "2003", []string{"LAN"}); err != nil {
			t.Fatal(err)
		}
	}
	start := mustSave(t, w)
	outer := w.Begin()
	install("A")
	withA := mustSave(t, w)
	inner := w.Begin()
	install("B")
	w.Rollback(inner)
	if got := mustSave(t, w); !bytes.Equal(got, withA) {
		t.Fatalf("an inner rollback undid more or less than the inner changes\n%s", FirstDifference(withA, got))
	}
	inner = w.Begin()
	install("C")
	w.Commit(inner)
	if !w.InTransaction() || w.LookupServer("C") == nil {
		t.Fatal("an inner commit ended the outer transaction or lost its change")
	}
	w.Rollback(outer)
	if got := mustSave(t, w); !bytes.Equal(got, start) {
		t.Fatalf("the outer rollback did not undo the inner commit\n%s", FirstDifference(start, got))
	}

	outer = w.Begin()
	inner = w.Begin()
	install("D")
	w.Commit(inner)
	w.Commit(outer)
	if w.InTransaction() || len(w.journal.undo) != 0 {
		t.Errorf("the outermost commit left the journal open (%d records)", len(w.journal.undo))
	}
	if w.LookupServer("D") == nil {
		t.Error("a committed change was lost")
	}
	// Nothing is recorded outside a transaction.
	install("E")
	if len(w.journal.undo) != 0 {
		t.Errorf("a change outside any transaction recorded %d undo records", len(w.journal.undo))
	}
}

// Closing a transaction that is not open is a bug in the caller.
func TestRollbackOfAnUnknownMarkPanics(t *testing.T) {
	w := testWorld()
	mark := w.Begin()
	w.Commit(mark)
	defer func() {
		if p := recover(); p == nil || !strings.Contains(p.(string), "no open transaction") {
			t.Errorf("got %v, want a panic about the mark", p)
		}
	}()
	w.Rollback(mark)
}

// The rollback self-check reports a change that bypassed the journal.
func TestCheckRollbacksFindsAnUnrecordedChange(t *testing.T) {
	w := timerWorld(t)
	w.CheckRollbacks()
	mark := w.Begin()
	w.LookupServer("S1").Running = false // no TouchServer: the journal cannot undo it
	w.Rollback(mark)
	n, err := w.RollbacksChecked()
	if n != 1 || err == nil || !strings.Contains(err.Error(), `"running":true`) {
		t.Errorf("checked %d rollbacks, error %v; want 1 and the difference in S1's running flag", n, err)
	}
}
