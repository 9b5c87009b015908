package core

import (
	"errors"
	"fmt"
)

// Error kinds. Every error the engine returns wraps exactly one of them, so
// callers can test the class of a refusal with errors.Is while the message
// stays a sentence for an administrator: the object, the rule, the fix.
var (
	ErrInvalid  = errors.New("invalid argument")     // malformed value: address, mask, name, enum
	ErrNotFound = errors.New("not found")            // no object of that name
	ErrConflict = errors.New("conflict")             // duplicate name, address, letter, priority
	ErrLimit    = errors.New("limit reached")        // a product limit: nodes, hosts, rules
	ErrState    = errors.New("wrong state")          // the object is not in a state that allows it
	ErrPrereq   = errors.New("missing prerequisite") // something else must be done first
)

// Error is a refusal from the engine.
type Error struct {
	Kind error
	Msg  string
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Kind }

func Errf(kind error, format string, args ...any) error {
	return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}
