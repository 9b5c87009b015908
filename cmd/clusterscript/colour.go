package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// Colour marks failures (red), warnings (yellow) and the engine's
// automatic decisions (cyan) in a transcript, and errors (red), when a
// person is reading: --color auto, the default, colours a stream only when
// it is a terminal (golang.org/x/term), NO_COLOR is unset or empty
// (no-color.org) and TERM is not "dumb". --color always and never decide
// outright, NO_COLOR or not. Pipes, files and tests get plain text.

// colourWhen is the value of --color.
type colourWhen string

func (c *colourWhen) String() string { return string(*c) }
func (c *colourWhen) Type() string   { return "WHEN" }

func (c *colourWhen) Set(v string) error {
	switch v {
	case "auto", "always", "never":
		*c = colourWhen(v)
		return nil
	}
	return fmt.Errorf("give auto, always or never")
}

// colourFlag adds --color to a command's flags.
func colourFlag(fs *pflag.FlagSet) *colourWhen {
	when := colourWhen("auto")
	fs.Var(&when, "color", "colour failures, warnings and failovers: auto (on a terminal, without NO_COLOR), always or never")
	return &when
}

// colours reports whether to colour what is written to w.
func (c colourWhen) colours(w io.Writer) bool {
	switch c {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd())) && enableColour(f)
}
