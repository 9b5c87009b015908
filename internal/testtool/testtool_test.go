package testtool

import (
	"runtime"
	"strings"
	"testing"
)

// recorder is a testing.TB that records how a test would have ended.
type recorder struct {
	testing.TB
	how, msg string
}

func (r *recorder) Helper() {}

func (r *recorder) Skip(args ...any) {
	r.how, r.msg = "skip", args[0].(string)
	runtime.Goexit()
}

func (r *recorder) Fatal(args ...any) {
	r.how, r.msg = "fatal", args[0].(string)
	runtime.Goexit()
}

// end runs Find on a goroutine of its own, as the testing package runs a
// test, so that Skip and Fatal can stop it.
func end(names ...string) (path string, r *recorder) {
	r = &recorder{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		path = Find(r, "apt-get install -y nothing", names...)
	}()
	<-done
	return path, r
}

func TestFind(t *testing.T) {
	if p, r := end("no-such-tool-here", "go"); p == "" || r.how != "" {
		t.Errorf("go is on PATH (it runs this test): got %q, ended %q %q", p, r.how, r.msg)
	}
	t.Setenv("CI", "")
	if _, r := end("no-such-tool-here"); r.how != "skip" || !strings.Contains(r.msg, "no-such-tool-here is not installed; install it, e.g. on Debian: apt-get update && apt-get install -y nothing") {
		t.Errorf("outside CI: ended %q %q", r.how, r.msg)
	}
	t.Setenv("CI", "true")
	if _, r := end("no-such-tool-here", "nor-this"); r.how != "fatal" || !strings.Contains(r.msg, "none of no-such-tool-here, nor-this is on PATH") {
		t.Errorf("under CI: ended %q %q", r.how, r.msg)
	}
}
