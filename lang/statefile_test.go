//go:build unix

package lang

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

type textWorld struct {
	World
	text string
}

func (w textWorld) WriteState(out io.Writer) error {
	_, err := io.WriteString(out, w.text)
	return err
}

// TestWriteStateIdentity: a write goes through a symbolic link to its
// target, keeps an existing file's mode and makes a new file 0600.
func TestWriteStateIdentity(t *testing.T) {
	dir := t.TempDir()
	fresh := filepath.Join(dir, "new.json")
	if err := WriteState(fresh, textWorld{text: "one"}); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(fresh); info.Mode().Perm() != 0o600 {
		t.Errorf("a new state file has mode %v, want 0600", info.Mode().Perm())
	}

	os.Chmod(fresh, 0o640)
	if err := WriteState(fresh, textWorld{text: "two"}); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(fresh); info.Mode().Perm() != 0o640 {
		t.Errorf("a rewritten state file has mode %v, want its own 0640", info.Mode().Perm())
	}

	os.Mkdir(filepath.Join(dir, "real"), 0o755)
	target := filepath.Join(dir, "real", "lab.json")
	os.WriteFile(target, []byte("old"), 0o600)
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(filepath.Join("real", "lab.json"), link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if err := WriteState(link, textWorld{text: "new"}); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Lstat(link); info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a %v", info.Mode())
	}
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Errorf("the link's target holds %q, want the new document", b)
	}

	// A dangling link is written through too: its target is created.
	dangling := filepath.Join(dir, "dangling.json")
	os.Symlink(filepath.Join("real", "later.json"), dangling)
	if err := WriteState(dangling, textWorld{text: "x"}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "real", "later.json")); string(b) != "x" {
		t.Errorf("the dangling link's target holds %q", b)
	}
}

// TestLockStateCleansTemps: the temporary files of a killed writer go when
// the next process locks the state file, others stay.
func TestLockStateCleansTemps(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "lab.json")
	for _, n := range []string{".lab.json.tmp-123", ".lab.json.tmp-456", ".other.json.tmp-1", "lab.json"} {
		os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600)
	}
	l, err := LockState(state, LockOptions{Holder: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LockState(state, LockOptions{Holder: "again"}); err == nil {
		t.Error("a second lock in the same process was granted")
	}
	l.Unlock()
	names, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(names) != 1 || filepath.Base(names[0]) != ".other.json.tmp-1" {
		t.Errorf("left after locking: %v, want only .other.json.tmp-1", names)
	}
}
