package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"clusterscript/lang"
	"clusterscript/lang/format"
)

// readme returns README.md, read from the repository's root.
func readme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fence returns the body of the n-th fenced code block (from 0) after the
// first line that starts with heading.
func fence(t *testing.T, text, heading string, n int) string {
	t.Helper()
	i := strings.Index(text, "\n"+heading)
	if i < 0 {
		t.Fatalf("README has no %q", heading)
	}
	rest := text[i:]
	for ; ; n-- {
		open := strings.Index(rest, "\n```")
		if open < 0 {
			t.Fatalf("README has too few code blocks after %q", heading)
		}
		rest = rest[open+4:]
		rest = rest[strings.Index(rest, "\n")+1:] // past the info string
		end := strings.Index(rest, "```\n")
		body := rest[:end]
		rest = rest[end+4:]
		if n == 0 {
			return body
		}
	}
}

// TestReadmeExample runs the README's condensed runbook: it passes, is
// formatted, and its transcript holds the excerpt the README shows.
func TestReadmeExample(t *testing.T) {
	text := readme(t)
	src := fence(t, text, "### What a runbook looks like", 0)
	if out, err := format.Source("example.star", []byte(src)); err != nil || string(out) != src {
		t.Errorf("the README's example is not formatted (%v):\n%s", err, out)
	}
	p := filepath.Join(t.TempDir(), "example.star")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run("run", p)
	r.expect(t, lang.ExitOK)
	got := strings.Split(r.stdout, "\n")
	excerpt := strings.TrimSuffix(fence(t, text, "### Reading the transcript", 0), "\n")
	at := 0
	for _, part := range strings.Split(excerpt, "\n…\n") {
		lines := strings.Split(part, "\n")
		found := -1
		for i := at; i+len(lines) <= len(got); i++ {
			if strings.Join(got[i:i+len(lines)], "\n") == part {
				found = i
				break
			}
		}
		if found < 0 {
			t.Errorf("the transcript does not have, after line %d, the README's lines\n%s\ntranscript:\n%s", at, part, r.stdout)
			return
		}
		at = found + len(lines)
	}
	if at != len(got)-1 {
		t.Errorf("the README's excerpt is not the end of the transcript (it ends at line %d of %d)", at, len(got)-1)
	}
	src = fence(t, text, "## Runbooks, precisely", 0)
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	run("run", p).expect(t, lang.ExitOK)
}

// TestReadmeFailure: the README's failing runbook fails as it says.
func TestReadmeFailure(t *testing.T) {
	want := fence(t, readme(t), "When a runbook fails", 0)
	t.Chdir("../..")
	r := run("run", "golden/testdata/prereq/exchange_before_msdtc.star")
	r.expect(t, lang.ExitFailed)
	if r.stderr != want {
		t.Errorf("stderr:\n%s\nthe README says:\n%s", r.stderr, want)
	}
}

// TestReadmeTour replays the README's console sessions: each "$
// clusterscript ..." line runs, and prints what the README shows after it.
func TestReadmeTour(t *testing.T) {
	text := readme(t)
	t.Chdir(t.TempDir())
	tour := fence(t, text, "### Tidying and checking a runbook", 0)
	if err := os.WriteFile("typos.star", []byte(tour), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, heading := range []string{"### Tidying and checking a runbook", "### Reading the reference"} {
		console := fence(t, text, heading, 0)
		if heading == "### Tidying and checking a runbook" {
			console = fence(t, text, heading, 1)
		}
		for _, session := range strings.Split(console, "$ clusterscript ")[1:] {
			cmd, want, _ := strings.Cut(session, "\n")
			r := run(strings.Fields(cmd)...)
			if got := r.stdout + r.stderr; got != want {
				t.Errorf("clusterscript %s printed\n%s\nthe README says\n%s", cmd, got, want)
			}
		}
	}
}
