//go:build !unix && !windows

package lang

import "os"

// Systems without file locks (js, wasip1, plan9) run without the lock.

func tryLock(*os.File) (bool, error) { return true, nil }
func waitLock(*os.File) error        { return nil }
func unlock(*os.File) error          { return nil }
