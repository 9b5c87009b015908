// Package browsertest opens pages in a headless Chromium for tests, through
// github.com/chromedp/chromedp (the DevTools protocol from Go, no Node.js):
// it finds the browser, records console errors, uncaught exceptions and
// network requests, evaluates script in the page, and keeps screenshots.
//
// Without a browser a test is skipped with a message saying how to install
// one, unless the environment variable CI is "true": under CI it fails.
package browsertest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"clusterscript/internal/testtool"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Chromium returns the path of a Chromium or Chrome executable, or ends
// the test: skipped outside CI, failed under CI.
func Chromium(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	return testtool.Find(tb, "apt-get install -y chromium (or set $CHROMIUM to the browser's path)",
		"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
}

// OutputDir is where tests keep what a person should look at (screenshots,
// pages): $TEST_OUTPUT_DIR/<test name> when set, else testdata-out/<test
// name> in the package's folder (ignored by git). It survives the test.
func OutputDir(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv("TEST_OUTPUT_DIR")
	if base == "" {
		base = "testdata-out"
	}
	dir := filepath.Join(base, strings.NewReplacer("/", "_", " ", "_").Replace(tb.Name()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// A Page is one tab of a headless browser.
type Page struct {
	Ctx context.Context

	mu       sync.Mutex
	errors   []string
	requests []string
}

// Open starts a headless browser of width×height pixels with one tab; the
// browser stops when the test ends.
func Open(tb testing.TB, width, height int) *Page {
	tb.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Chromium(tb)),
		chromedp.WindowSize(width, height),
		chromedp.Flag("hide-scrollbars", true),
	)
	if runtime.GOOS == "linux" && os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run as root with its sandbox
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelTime := context.WithTimeout(ctx, 10*time.Minute)
	tb.Cleanup(func() { cancelTime(); cancel(); cancelAlloc() })
	p := &Page{Ctx: ctx}
	if err := chromedp.Listen(ctx, p.listen); err != nil {
		tb.Fatalf("starting Chromium: %v", err)
	}
	return p
}

func (p *Page) listen(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch e := ev.(type) {
	case *cdpruntime.EventConsoleAPICalled:
		if e.Type == cdpruntime.ConsoleAPICalledTypeError || e.Type == cdpruntime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
			}
			p.errors = append(p.errors, "console."+string(e.Type)+": "+strings.Join(parts, " "))
		}
	case *cdpruntime.EventExceptionThrown:
		d := e.ExceptionDetails
		text := d.Text
		if d.Exception != nil {
			text += " " + d.Exception.Description
		}
		p.errors = append(p.errors, fmt.Sprintf("exception at %d:%d: %s", d.LineNumber, d.ColumnNumber, text))
	case *log.EventEntryAdded:
		if e.Entry.Level == log.EntryLevelError {
			p.errors = append(p.errors, "browser log: "+e.Entry.Text)
		}
	case *network.EventRequestWillBeSent:
		p.requests = append(p.requests, e.Request.URL)
	}
}

// Errors are the console errors, uncaught exceptions and browser log
// errors (such as a blocked request) so far.
func (p *Page) Errors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.errors...)
}

// Requests are the URLs the page asked for so far.
func (p *Page) Requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.requests...)
}

// Load opens a file and waits until the expression ready is true.
func (p *Page) Load(tb testing.TB, path, ready string) {
	tb.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		tb.Fatal(err)
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	p.mu.Lock()
	p.errors, p.requests = nil, nil
	p.mu.Unlock()
	if err := chromedp.Do(p.Ctx, chromedp.Navigate(u.String())); err != nil {
		tb.Fatalf("opening %s: %v", path, err)
	}
	p.Wait(tb, ready)
}

// Wait waits until the script expression is true.
func (p *Page) Wait(tb testing.TB, expr string) {
	tb.Helper()
	if _, err := chromedp.Run(p.Ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		tb.Fatalf("waiting for %s: %v (page errors: %q)", expr, err, p.Errors())
	}
}

// Eval evaluates a script expression in the page and returns its value as
// T (decoded from JSON).
func Eval[T any](tb testing.TB, p *Page, expr string) T {
	tb.Helper()
	v, err := chromedp.Run(p.Ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// Screenshot writes a PNG of the whole page to dir/name.png and returns
// its path.
func (p *Page) Screenshot(tb testing.TB, dir, name string) string {
	tb.Helper()
	png, err := chromedp.Run(p.Ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.Fatalf("screenshot: %v", err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}
