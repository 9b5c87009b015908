package lang

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ReadState loads the world saved in path. A missing file is an empty
// world; a file that cannot be read, is not a state file, or has another
// schema version is an error naming the file, and the file is left alone.
func ReadState(p Plugin, path string) (World, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return p.NewWorld(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("state file %s: %w", path, err)
	}
	w, err := p.LoadWorld(data)
	if err != nil {
		return nil, fmt.Errorf("state file %s: %w; it was left untouched (move it aside to start from an empty world)", path, err)
	}
	return w, nil
}

// WriteState saves the world to path atomically (see WriteFileAtomic).
func WriteState(path string, w World) error {
	data, err := w.Save()
	if err != nil {
		return fmt.Errorf("state file %s: %w", path, err)
	}
	if err := WriteFileAtomic(path, data, 0o644); err != nil {
		return fmt.Errorf("state file %s: %w", path, err)
	}
	return nil
}

// WriteFileAtomic writes data to path atomically: it writes a temporary
// file in the same folder, syncs it and renames it over path, so a crash at
// any point leaves either the old file or the new one.
func WriteFileAtomic(path string, data []byte, perm fs.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	fail := func(err error) error {
		tmp.Close()
		os.Remove(tmpName)
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Chmod(perm); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmpName, path); err != nil {
		os.Remove(tmpName)
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // make the rename durable; not every file system supports it
		d.Close()
	}
	return nil
}
