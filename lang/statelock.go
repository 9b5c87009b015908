package lang

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// A StateLock is the exclusive hold of one process on a state file, taken
// for a whole run or REPL session so that two of them never load the same
// world and write back over each other's changes. It is an operating
// system lock (flock on Linux and macOS, LockFileEx on Windows) on a
// sidecar file named after the state file with ".lock" added: the system
// drops the lock when the process ends, however it ends, so a lock file
// left behind by a killed process does not block anybody. The sidecar holds
// a line naming the holder (process id, command line, since when), which a
// refused process shows.
type StateLock struct {
	f    *os.File
	path string
}

// ErrStateLocked is wrapped by the error of a lock another process holds.
var ErrStateLocked = errors.New("the state file is in use")

// LockOptions say how to take a state file's lock.
type LockOptions struct {
	// Holder describes this process in the lock file ("clusterscript run
	// my.star"); the process id and the time are added.
	Holder string
	// Wait waits for the holder to finish instead of refusing at once;
	// Waiting, when set, is told once whom it waits for.
	Wait    bool
	Waiting func(holder string)
}

// LockState takes the lock of the state file at path, following a symbolic
// link so that a link and its target share one lock. Once held, it removes
// the temporary files a killed writer of that state file left behind.
func LockState(path string, opt LockOptions) (*StateLock, error) {
	target, err := resolveLink(path)
	if err != nil {
		return nil, fmt.Errorf("state file %s: %w", path, err)
	}
	lockPath := target + ".lock"
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("state file %s: cannot open its lock file: %w", path, err)
	}
	ok, err := tryLock(f)
	if err == nil && !ok {
		holder := readHolder(f)
		if !opt.Wait {
			f.Close()
			return nil, fmt.Errorf("state file %s: %w: %s holds it (lock file %s); wait for it to finish, or give --wait", path, ErrStateLocked, holder, lockPath)
		}
		if opt.Waiting != nil {
			opt.Waiting(holder)
		}
		err = waitLock(f)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("state file %s: cannot lock %s: %w", path, lockPath, err)
	}
	l := &StateLock{f: f, path: lockPath}
	l.writeHolder(opt.Holder)
	removeStaleTemps(target)
	return l, nil
}

// Unlock releases the lock; the lock file stays (removing it would let a
// process that opened it just before lock a file nobody else sees).
func (l *StateLock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	l.f.Truncate(0)
	unlock(l.f)
	err := l.f.Close()
	l.f = nil
	return err
}

func (l *StateLock) writeHolder(holder string) {
	if holder == "" {
		holder = "clusterscript"
	}
	line := fmt.Sprintf("process %d (%s) since %s\n", os.Getpid(), holder, time.Now().Format("2006-01-02 15:04:05"))
	if err := l.f.Truncate(0); err == nil {
		l.f.WriteAt([]byte(line), 0)
	}
}

// readHolder reads who holds a lock from its file.
func readHolder(f *os.File) string {
	b := make([]byte, 512)
	n, err := f.ReadAt(b, 0)
	if err != nil && !errors.Is(err, io.EOF) || n == 0 {
		return "another process"
	}
	return strings.TrimSpace(string(b[:n]))
}

// resolveLink follows symbolic links from path to the file they lead to,
// which need not exist yet; a path that is no link is returned as it is.
func resolveLink(path string) (string, error) {
	for range 40 {
		info, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return "", err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		to, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(to) {
			to = filepath.Join(filepath.Dir(path), to)
		}
		path = to
	}
	return "", errors.New("too many levels of symbolic links")
}

// removeStaleTemps removes the temporary files that writeAtomic leaves when
// the process writing path is killed. Only the holder of path's lock calls
// it, so no other writer of path is running.
func removeStaleTemps(path string) {
	pattern := filepath.Join(filepath.Dir(path), "."+escapeGlob(filepath.Base(path))+".tmp-*")
	names, _ := filepath.Glob(pattern)
	for _, n := range names {
		os.Remove(n)
	}
}

func escapeGlob(s string) string {
	r := strings.NewReplacer(`*`, `[*]`, `?`, `[?]`, `[`, `[[]`)
	return r.Replace(s)
}
