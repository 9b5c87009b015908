package builtins

import (
	"bytes"
	"testing"

	"clusterscript/runtime/sim"
)

// Transactions nest: rolling back the inner one keeps what the outer one
// did before it, and rolling back the outer one undoes everything,
// committed inner work and events included.
func TestWorldTransactions(t *testing.T) {
	w := NewWorld(sim.New())
	save := func() []byte {
		b, err := w.Save()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	install := func(name string) {
		if _, err := w.Sim().InstallServer(name, "standard", "2003", []string{"LAN"}); err != nil {
			t.Fatal(err)
		}
	}
	empty := save()
	outer := w.Begin()
	install("A")
	withA := save()
	inner := w.Begin()
	install("B")
	w.Rollback(inner)
	if !bytes.Equal(save(), withA) || w.Mark() != 1 {
		t.Errorf("rolling back the inner transaction: %d events, want the world with A only", w.Mark())
	}
	inner = w.Begin()
	install("C")
	w.Commit(inner)
	w.Rollback(outer)
	if !bytes.Equal(save(), empty) || w.Mark() != 0 {
		t.Errorf("rolling back the outer transaction left %d events", w.Mark())
	}
	mark := w.Begin()
	install("D")
	w.Commit(mark)
	if w.Mark() != 1 || w.Names()[0] != "D" {
		t.Errorf("a committed transaction's work is gone: %q", w.Names())
	}
}

// AppendText writes each event as its String() does, kinds longer than
// the column included.
func TestAppendTextIsEventString(t *testing.T) {
	w := NewWorld(sim.New())
	if _, err := w.Sim().InstallServer("NODE1", "standard", "2003", []string{"LAN"}); err != nil {
		t.Fatal(err)
	}
	w.Record("procedure", "a kind as long as the column")
	w.Record("averylongkind", "a kind longer than the column")
	if err := w.Sim().Advance(1500); err != nil {
		t.Fatal(err)
	}
	w.Record("print", "later")
	var got []byte
	for i := range w.Mark() {
		got = w.AppendText(got, i)
	}
	var want string
	for _, e := range w.Sim().Log() {
		want += e.String() + "\n"
	}
	if string(got) != want || w.Mark() != 4 {
		t.Errorf("AppendText gives\n%s\nString gives\n%s", got, want)
	}
}
