package core

import (
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// A state file is one JSON object: {"format", "version", "world"}. The
// layout of each version is described in docs/state-file.md; in short,
// version 2 is version 1 with a compact event log.

// Save returns the world as a state file of the current schema version.
func (w *World) Save() ([]byte, error) {
	e := newStateEncoder(nil)
	w.encodeState(e)
	if err := e.Flush(); err != nil {
		return nil, fmt.Errorf("encoding the state file: %w", err)
	}
	return e.buf, nil
}

// WriteState writes the whole world, the core's objects and each engine's,
// as a state file of the current schema version, in one pass.
func (w *World) WriteState(out io.Writer) error {
	e := newStateEncoder(out)
	w.encodeState(e)
	if err := e.Flush(); err != nil {
		return fmt.Errorf("writing the state file: %w", err)
	}
	return nil
}

func (w *World) encodeState(e *StateEncoder) {
	e.BeginObject()
	e.Key("format")
	e.String(StateFormat)
	e.Key("version")
	e.Int(StateVersion)
	e.Key("world")
	e.BeginObject()
	e.Key("clock")
	e.Int(w.Clock)
	e.Key("events")
	encodeEvents(e, w.Events)
	if len(w.Domains) > 0 {
		e.Key("domains")
		domainSchema.EncodeList(e, w.Domains)
	}
	if len(w.Servers) > 0 {
		e.Key("servers")
		serverSchema.EncodeList(e, w.Servers)
	}
	if len(w.Disks) > 0 {
		e.Key("disks")
		diskSchema.EncodeList(e, w.Disks)
	}
	for _, eng := range w.engines {
		if eng.HasState() {
			e.Key(eng.StateKey())
			eng.EncodeState(e)
		}
	}
	if len(w.AsrSets) > 0 {
		e.Key("asr_sets")
		asrSetSchema.EncodeList(e, w.AsrSets)
	}
	e.Key("timers")
	timers := w.Timers()
	timersSchema.Encode(e, &timers)
	e.EndObject()
	e.EndObject()
	e.buf = append(e.buf, '\n')
}

// ReadState reads a state file written by Save (this version or an older
// one) into w, a new world with its engines attached and nothing in it yet.
// A document of another format or version, one that does not parse, or one
// describing a world the engines cannot index is an error wrapping
// ErrStateFile. The world's strings are substrings of doc wherever the file
// holds them without escapes.
func (w *World) ReadState(doc string) error { return w.readState(doc, true) }

// ReadStateUnchecked is ReadState without the checks that the world is one
// the builtins could have built (CheckLoaded's past the names): for tests
// of the codec, which fill every field with values no builtin makes.
func (w *World) ReadStateUnchecked(doc string) error { return w.readState(doc, false) }

func (w *World) readState(doc string, check bool) (err error) {
	if !utf8.ValidString(doc) {
		return fmt.Errorf("%w: not UTF-8 text (byte %d), so not JSON", ErrStateFile, invalidUTF8At(doc))
	}
	d := newStateDecoder(doc)
	// Each engine indexes what it loads. A document that decodes but
	// describes an impossible world must be refused, never crash them.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: the world it describes is inconsistent (%v)", ErrStateFile, p)
		}
	}()
	var timers TimersDoc
	if err := w.readDocument(d, &timers); err != nil {
		return fmt.Errorf("%w: %v", ErrStateFile, err)
	}
	checkLoaded := w.CheckLoaded
	if !check {
		checkLoaded = w.checkNames
	}
	if err := checkLoaded(); err != nil {
		return fmt.Errorf("%w: %w", ErrStateFile, err)
	}
	if err := w.SetTimers(timers); err != nil {
		return fmt.Errorf("%w: %v", ErrStateFile, err)
	}
	w.Reindex()
	if check {
		if err := w.checkIndexed(); err != nil {
			return fmt.Errorf("%w: %w", ErrStateFile, err)
		}
	}
	return nil
}

// readDocument reads the outer object. Save writes "format" and "version"
// before "world", so the world is read as it comes; in a document whose
// members were put in another order the world is skipped and read once
// the version is known.
func (w *World) readDocument(d *StateDecoder, timers *TimersDoc) error {
	if d.peek() != '{' {
		d.Fail("not a clusterscript state file (want a JSON object, found %s)", d.found())
		return d.err
	}
	d.Object()
	format, version, worldAt, worldRead, other := "", 0, -1, false, ""
	for d.More() {
		switch key := d.Key(); key {
		case "format":
			format = d.String()
		case "version":
			version = d.Int()
			d.version = version
		case "world":
			d.skipSpace()
			worldAt = d.pos
			worldRead = format == StateFormat && version >= 1 && version <= StateVersion
			if worldRead {
				w.readWorld(d, timers)
			} else {
				d.Skip()
			}
		default:
			other = key
			d.Skip()
		}
	}
	d.end()
	if d.err != nil {
		return d.err
	}
	if format != StateFormat {
		return fmt.Errorf("not a clusterscript state file (format %q, want %q)", format, StateFormat)
	}
	if version < 1 || version > StateVersion {
		return fmt.Errorf("schema version %d is not supported by this clusterscript, which reads versions 1 to %d", version, StateVersion)
	}
	if other != "" && version >= 2 {
		return fmt.Errorf("unknown member %q beside format, version and world", other)
	}
	if worldAt < 0 {
		return errNoWorld
	}
	if !worldRead {
		// The world came before the format or the version: read it now.
		d.pos = worldAt
		d.frames = append(d.frames[:0], frame{n: 1, key: "world"})
		w.readWorld(d, timers)
	}
	return d.err
}

var errNoWorld = errors.New("it holds no world (\"world\" must be an object)")

// readWorld reads the world object into w and the pending timers into
// timers.
func (w *World) readWorld(d *StateDecoder, timers *TimersDoc) {
	if d.peek() != '{' {
		if d.err == nil {
			d.err = errNoWorld
		}
		return
	}
	d.Object()
	for d.More() {
		switch key := d.Key(); key {
		case "clock":
			w.Clock = d.Int64()
		case "events":
			w.Events = decodeEvents(d)
		case "domains":
			w.Domains = domainSchema.DecodeList(d)
		case "servers":
			w.Servers = serverSchema.DecodeList(d)
		case "disks":
			w.Disks = diskSchema.DecodeList(d)
		case "asr_sets":
			w.AsrSets = asrSetSchema.DecodeList(d)
		case "timers":
			*timers = TimersDoc{}
			timersSchema.Decode(d, timers)
		default:
			if eng := w.engineWithState(key); eng != nil {
				eng.DecodeState(d)
			} else {
				d.Unknown()
			}
		}
	}
}

func (w *World) engineWithState(key string) Engine {
	for _, e := range w.engines {
		if e.StateKey() == key {
			return e
		}
	}
	return nil
}

func invalidUTF8At(doc string) int {
	for i := 0; i < len(doc); {
		r, size := utf8.DecodeRuneInString(doc[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(doc)
}
