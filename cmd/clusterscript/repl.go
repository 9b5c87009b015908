package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"unicode/utf8"

	"clusterscript/builtins"
	"clusterscript/lang"

	"github.com/peterh/liner"
	"golang.org/x/term"
)

// historyLimit caps the history file, in entries (one a line).
const historyLimit = 1000

func cmdREPL(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("repl", stderr)
	state := fs.String("state", "", "load the world from `F` and save it back after every statement that changes it")
	maxMemory := memoryFlag(fs)
	wait := waitFlag(fs)
	colour := colourFlag(fs)
	pos, done, code := parseFlags(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) > 1 {
		fmt.Fprintf(stderr, "clusterscript repl: give at most one runbook file\n")
		return lang.ExitUsage
	}
	budget, err := maxMemory.apply()
	if err != nil {
		fmt.Fprintf(stderr, "clusterscript repl: %v\n", err)
		return lang.ExitUsage
	}
	opt := lang.REPLOptions{MaxMemory: budget, Out: stdout, Err: stderr, StatePath: *state, Colour: colour.colours(stdout), ColourErrors: colour.colours(stderr)}
	if len(pos) == 1 {
		if err := readableFile(pos[0]); err != nil {
			fmt.Fprintf(stderr, "clusterscript repl: %v\n", &lang.FileError{What: "runbook", Path: pos[0], Err: err})
			return lang.ExitUsage
		}
		opt.Runbook = pos[0]
	}
	if *state != "" {
		lock, err := lockState(*state, "repl", opt.Runbook, *wait, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "clusterscript: %v\n", err)
			return lang.ExitFailed
		}
		defer lock.Unlock()
	}
	var ln *lineEditor
	if stdin == os.Stdin && stdout == os.Stdout && isTerminal(os.Stdin) && isTerminal(os.Stdout) && liner.TerminalSupported() {
		ln = newLineEditor()
		defer ln.Close()
		opt.In, opt.Interactive = ln, true
	} else {
		opt.In = &plainReader{r: bufio.NewReader(stdin), echo: stdout}
	}
	r, err := lang.NewREPL(builtins.Plugin, opt)
	if err != nil {
		fmt.Fprintf(stderr, "clusterscript: %v\n", err)
		return lang.ExitFailed
	}
	if ln != nil {
		ln.SetWordCompleter(func(line string, pos int) (string, []string, string) {
			return r.Complete(line, len(string([]rune(line)[:pos])))
		})
	}
	stop := interruptREPL(r, ln == nil)
	failed, err := r.Run()
	stop()
	if err != nil {
		fmt.Fprintf(stderr, "clusterscript repl: reading input: %v\n", err)
		return lang.ExitFailed
	}
	if failed > 0 && ln == nil { // a script fed to the REPL reports its failures
		return lang.ExitFailed
	}
	return lang.ExitOK
}

// interruptREPL turns Ctrl-C while a statement runs into an interrupt of
// that statement. At a prompt, liner reads Ctrl-C itself; on plain input a
// Ctrl-C outside a statement ends the program as usual.
func interruptREPL(r *lang.REPL, plain bool) func() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-ch:
				if !r.Interrupt() && plain {
					os.Exit(130)
				}
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// plainReader reads lines from a pipe or file, echoing each with its
// prompt so that the output reads as a session.
type plainReader struct {
	r    *bufio.Reader
	echo io.Writer
}

func (p *plainReader) Prompt(prompt string) (string, error) {
	line, err := p.r.ReadString('\n')
	if err != nil && (err != io.EOF || line == "") {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	fmt.Fprintln(p.echo, strings.TrimRight(prompt+line, " "))
	return line, nil
}

// lineEditor is liner on a terminal: line editing, history kept in a file,
// Ctrl-C abandons the line, Ctrl-D ends the session.
//
// History holds what was typed at a ">>> " prompt together with its
// continuation lines, as one entry, so that Up recalls a whole def or for
// block. liner edits one line, so an entry shows its lines joined by
// blockNewline; Enter on a recalled block runs its lines one after the
// other, as if typed again.
type lineEditor struct {
	*liner.State
	history string   // the history file, or "" when there is nowhere to keep it
	block   []string // the lines typed since the last ">>> " prompt
	queued  []string // the rest of a recalled block, to be read next
	last    string   // the entry last written to the history file
}

// blockNewline stands for the end of a line inside a history entry.
const blockNewline = "↵"

func newLineEditor() *lineEditor {
	l := &lineEditor{State: liner.NewLiner()}
	l.SetCtrlCAborts(true)
	l.SetTabCompletionStyle(liner.TabPrints)
	l.history = historyPath()
	if l.history != "" {
		l.loadHistory()
	}
	return l
}

func (l *lineEditor) Prompt(prompt string) (string, error) {
	if prompt == lang.PromptStatement {
		l.endBlock()
		l.queued = nil // a recalled block that ended early (an error) runs no further
	}
	var line string
	if len(l.queued) > 0 {
		line, l.queued = l.queued[0], l.queued[1:]
	} else {
		var err error
		line, err = l.State.Prompt(prompt)
		if errors.Is(err, liner.ErrPromptAborted) {
			l.block = nil // an abandoned block is not kept
			return "", lang.ErrInterrupted
		}
		if err != nil {
			return line, err
		}
		if parts := strings.Split(line, blockNewline); len(parts) > 1 {
			line, l.queued = parts[0], parts[1:]
		}
	}
	l.block = append(l.block, line)
	return line, nil
}

// endBlock adds what was typed since the last ">>> " prompt to the history
// as one entry.
func (l *lineEditor) endBlock() {
	block := l.block
	l.block = nil
	if len(block) == 0 || strings.TrimSpace(strings.Join(block, "")) == "" {
		return
	}
	entry := strings.Join(block, blockNewline)
	if !utf8.ValidString(entry) {
		return
	}
	l.AppendHistory(entry)
	if entry != l.last {
		l.appendHistoryFile(entry)
		l.last = entry
	}
}

// Close keeps the last block and gives the terminal back.
func (l *lineEditor) Close() error {
	l.endBlock()
	return l.State.Close()
}

// historyPath is where the history is kept: $XDG_STATE_HOME/clusterscript/
// history, else ~/.local/state/clusterscript/history; on Windows and macOS,
// which have no state directory, clusterscript/history under
// os.UserConfigDir.
func historyPath() string {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		dir = ""
		if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
			dir, _ = os.UserConfigDir()
		} else if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, ".local", "state")
		}
	}
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "clusterscript", "history")
}

// loadHistory reads the history file and, when it has grown past the cap,
// rewrites it with the newest lines only.
func (l *lineEditor) loadHistory() {
	data, err := os.ReadFile(l.history)
	if err != nil {
		return
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > historyLimit {
		lines = lines[len(lines)-historyLimit:]
		lang.WriteFileAtomic(l.history, []byte(strings.Join(lines, "\n")+"\n"), 0o600)
	}
	l.ReadHistory(strings.NewReader(strings.Join(lines, "\n") + "\n"))
}

// appendHistoryFile adds a line to the history file at once, so several
// sessions can share it and a crash loses nothing; the cap is applied when
// a session starts.
func (l *lineEditor) appendHistoryFile(line string) {
	if l.history == "" {
		return
	}
	if err := os.MkdirAll(filepath.Dir(l.history), 0o700); err != nil {
		return
	}
	f, err := os.OpenFile(l.history, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	f.WriteString(line + "\n")
	f.Close()
}
