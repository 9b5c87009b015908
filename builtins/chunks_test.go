package builtins

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"clusterscript/lang"
	"clusterscript/runtime/sim"

	"go.starlark.net/resolve"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// TestChunks runs testdata/*.star. Each file is a series of chunks
// separated by a line "---"; each chunk runs on a fresh, empty world, as a
// runbook of its own. A line ending in
//
//	### "regexp"
//
// (a Go string literal) expects the chunk to fail on that line with an
// error matching the regexp; any other error fails the test. A line
// "# set: name=value" passes --set name=value. Every builtin call that
// fails must leave the world exactly as it was (all or nothing), which the
// harness checks by wrapping each builtin; a refused call is also made
// again, and must be refused with the same words.
func TestChunks(t *testing.T) {
	files, err := filepath.Glob("testdata/*.star")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/*.star")
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range splitChunks(t, file, string(data)) {
			t.Run(fmt.Sprintf("%s:%d", filepath.Base(file), c.start), func(t *testing.T) { c.run(t) })
		}
	}
}

type chunk struct {
	file   string // path shown in errors, "testdata/x.star"
	start  int    // line of the chunk's first line in the file
	src    string // padded with newlines so that line numbers are the file's
	want   map[int]*regexp.Regexp
	sets   []string
	failed map[int]bool
}

var wantRE = regexp.MustCompile("###\\s*([\"`].*)$")

func splitChunks(t *testing.T, file, data string) []*chunk {
	var chunks []*chunk
	lines := strings.Split(data, "\n")
	c := &chunk{file: file, start: 1, want: map[int]*regexp.Regexp{}}
	var body []string
	flush := func(next int) {
		c.src = strings.Repeat("\n", c.start-1) + strings.Join(body, "\n") + "\n"
		chunks = append(chunks, c)
		c = &chunk{file: file, start: next, want: map[int]*regexp.Regexp{}}
		body = nil
	}
	for i, line := range lines {
		n := i + 1
		if line == "---" {
			flush(n + 1)
			continue
		}
		if m := wantRE.FindStringSubmatch(line); m != nil {
			pat, err := strconv.Unquote(strings.TrimSpace(m[1]))
			if err != nil {
				t.Fatalf("%s:%d: the expected error is not a Go string literal: %s", file, n, m[1])
			}
			c.want[n] = regexp.MustCompile(pat)
		}
		if v, ok := strings.CutPrefix(line, "# set: "); ok {
			c.sets = append(c.sets, strings.TrimSpace(v))
		}
		body = append(body, line)
	}
	flush(len(lines) + 1)
	return chunks
}

// allOrNothing wraps every builtin so that a refusal that changed the world
// is reported.
func allOrNothing(violations *[]string) *lang.Registry {
	reg := lang.NewRegistry(Topics...)
	for _, b := range Registry().All() {
		b := *b
		inner := b.Fn
		b.Fn = func(thread *starlark.Thread, fb *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			w := lang.SessionOf(thread).World
			before, err := w.Save()
			if err != nil {
				return nil, err
			}
			v, err := inner(thread, fb, args, kwargs)
			if err != nil {
				after, _ := lang.SessionOf(thread).World.Save()
				if !bytes.Equal(before, after) {
					*violations = append(*violations, fmt.Sprintf("%s refused (%v) but changed the world", b.Name, err))
				} else if again := sameRefusal(thread, fb, args, kwargs, inner, err); again != "" {
					*violations = append(*violations, b.Name+": "+again)
				}
			}
			return v, err
		}
		reg.Add(b)
	}
	return reg
}

// refusalRepeats is how many more times a refused builtin is called: Go
// picks a new random start for every range over a map, so a message that
// depends on map order shows two wordings within a few calls.
const refusalRepeats = 5

// sameRefusal calls a refused builtin again (a refusal changes nothing, so
// it sees the same world) and describes any call that is not refused with
// the same message.
func sameRefusal(thread *starlark.Thread, fb *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, fn lang.BuiltinFunc, first error) string {
	for i := 0; i < refusalRepeats; i++ {
		_, again := fn(thread, fb, args, kwargs)
		if again == nil || again.Error() != first.Error() {
			return fmt.Sprintf("refused with %q, then with %v when called again (map order?)", first, again)
		}
	}
	return ""
}

func (c *chunk) run(t *testing.T) {
	var violations []string
	var out bytes.Buffer
	s := lang.NewSession(NewWorld(sim.New()), allOrNothing(&violations), &out)
	s.Files = os.DirFS(filepath.Dir(c.file))
	s.Dir = filepath.ToSlash(filepath.Dir(c.file))
	for _, kv := range c.sets {
		name, v, err := lang.ParseSet(kv)
		if err != nil {
			t.Fatalf("%s:%d: %v", c.file, c.start, err)
		}
		s.Params[name] = v
	}
	_, err := s.ExecSource(filepath.Base(c.file), []byte(c.src))
	c.failed = map[int]bool{}
	if err != nil {
		for _, g := range errorLines(err, c.file) {
			re, ok := c.want[g.line]
			switch {
			case !ok:
				t.Errorf("%s:%d: unexpected error: %s", c.file, g.line, g.msg)
			case !re.MatchString(g.msg):
				t.Errorf("%s:%d: error\n  %s\ndoes not match\n  %s", c.file, g.line, g.msg, re)
			}
			c.failed[g.line] = true
		}
	}
	for line, re := range c.want {
		if !c.failed[line] {
			t.Errorf("%s:%d: no error, want one matching %s", c.file, line, re)
		}
	}
	for _, v := range violations {
		t.Errorf("%s:%d: %s", c.file, c.start, v)
	}
	if s.WriteErr() != nil {
		t.Errorf("writing the transcript: %v", s.WriteErr())
	}
}

type gotError struct {
	line int
	msg  string
}

// errorLines places an error on the lines of the test file: static errors
// at their own position, run-time errors at the innermost frame in the
// file (for a failed load, the load statement).
func errorLines(err error, file string) []gotError {
	var el resolve.ErrorList
	var se syntax.Error
	var ste *lang.StaticError
	switch {
	case errors.As(err, &el) && el[0].Pos.Filename() == file:
		var out []gotError
		for _, e := range el {
			out = append(out, gotError{int(e.Pos.Line), e.Msg})
		}
		return out
	case errors.As(err, &se) && se.Pos.Filename() == file:
		return []gotError{{int(se.Pos.Line), se.Msg}}
	case errors.As(err, &ste) && ste.Pos.Filename() == file:
		return []gotError{{int(ste.Pos.Line), ste.Msg}}
	}
	var ee *starlark.EvalError
	if errors.As(err, &ee) {
		msg := lang.ErrorMessage(err)
		var le *lang.LoadError
		if errors.As(err, &le) {
			msg = le.Error()
		}
		for i := len(ee.CallStack) - 1; i >= 0; i-- {
			if pos := ee.CallStack[i].Pos; pos.Filename() == file {
				return []gotError{{int(pos.Line), msg}}
			}
		}
	}
	return []gotError{{0, err.Error()}}
}
