package lang

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ReadState loads the world saved in path. A missing file is an empty
// world; a file that cannot be read, is not a state file, or has another
// schema version is an error naming the file, and the file is left alone.
func ReadState(p Plugin, path string) (World, error) {
	doc, err := readFileString(path)
	if errors.Is(err, fs.ErrNotExist) {
		return p.NewWorld(), nil
	}
	if err != nil {
		return nil, &FileError{What: "state file", Path: path, Err: err}
	}
	w, err := p.LoadWorld(doc)
	if err != nil {
		return nil, fmt.Errorf("state file %s: %w; it was left untouched (move it aside to start from an empty world)", path, err)
	}
	return w, nil
}

// readFileString reads a whole file into a string without the copy that
// converting os.ReadFile's bytes would make; the loaded world keeps
// pieces of it as its names and texts.
func readFileString(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var b strings.Builder
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
		b.Grow(int(info.Size()))
	}
	// Read in pieces of up to 128 KiB: a state file of a big world is tens
	// of MB (io.Copy's 32 KiB would make a system call each), and a piece
	// stays in the processor's cache for its copy into b.
	buf := make([]byte, min(max(b.Cap(), 4<<10), 128<<10))
	for {
		n, err := f.Read(buf)
		b.Write(buf[:n])
		if err == io.EOF {
			return b.String(), nil
		}
		if err != nil {
			return "", err
		}
	}
}

// WriteState saves the world to path atomically (see WriteFileAtomic),
// encoding it straight into the temporary file. A new state file is
// readable by its owner only (mode 0600): it holds account passwords.
func WriteState(path string, w World) error {
	if err := writeAtomic(path, 0o600, w.WriteState); err != nil {
		return fmt.Errorf("state file %s: %w", path, err)
	}
	return nil
}

// WriteFileAtomic writes data to path atomically: it writes a temporary
// file in the same folder, syncs it and renames it over path, so a crash at
// any point leaves either the old file or the new one. When path is a
// symbolic link, the file it leads to is written and the link stays; an
// existing file keeps its mode, and perm is the mode of a new one.
func WriteFileAtomic(path string, data []byte, perm fs.FileMode) error {
	return writeAtomic(path, perm, func(f io.Writer) error {
		_, err := f.Write(data)
		return err
	})
}

// writeAtomic is WriteFileAtomic for content that write produces; when
// write fails, path is left as it was and the temporary file is removed.
func writeAtomic(path string, perm fs.FileMode, write func(io.Writer) error) error {
	path, err := resolveLink(path)
	if err != nil {
		return err
	}
	if info, err := os.Stat(path); err == nil && info.Mode().IsRegular() {
		perm = info.Mode().Perm()
	}
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
	if err := write(tmp); err != nil {
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
