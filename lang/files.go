package lang

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
)

// A FileError is a file that cannot be read, said the way an administrator
// says it: "cannot read runbook my.star: no such file", without the system
// call ("open my.star: no such file or directory") that failed. It wraps
// the underlying error, so errors.Is(err, fs.ErrNotExist) still holds.
type FileError struct {
	What string // "runbook", "state file"
	Path string
	Err  error
}

func (e *FileError) Error() string {
	return fmt.Sprintf("cannot read %s %s: %s", e.What, e.Path, FileProblem(e.Err))
}

func (e *FileError) Unwrap() error { return e.Err }

// FileProblem says why a file could not be read, in a few words.
func FileProblem(err error) string {
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, syscall.EISDIR):
		return "it is a folder, not a file"
	case errors.As(err, &pe):
		return pe.Err.Error()
	}
	return err.Error()
}
