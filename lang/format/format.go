// Package format formats and lints runbooks with buildifier's formatter and
// warnings (github.com/bazelbuild/buildtools), read as plain Starlark files
// rather than Bazel BUILD or .bzl files. It knows nothing of clusters.
package format

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"clusterscript/lang"

	"github.com/bazelbuild/buildtools/build"
	"github.com/bazelbuild/buildtools/warn"
	"go.starlark.net/syntax"
)

// Warnings are the buildifier warning categories `clusterscript lint`
// reports: the ones that find mistakes in any Starlark program. Those about
// Bazel rules, providers and docstring layout are left out.
var Warnings = []string{
	"confusing-name",     // a variable named l, I or O
	"function-docstring", // a public function of five statements or more without a docstring
	"load",               // a loaded name that is never used, or loaded twice
	"no-effect",          // an expression whose value is thrown away, such as x == 1
	"redefined-variable", // a global assigned a second time
	"return-value",       // a function that returns a value on some paths only
	"uninitialized",      // a variable that may be read before it is set
	"unreachable",        // a statement after return, break, continue or fail()
	"unused-variable",    // a local variable or function that is never read
}

// WarningDocs says in one line what each category of Warnings reports, for
// the reference and `clusterscript lint --help`.
var WarningDocs = map[string]string{
	"confusing-name":     "a variable named l, I or O, too easily read as 1, l or 0",
	"function-docstring": "a public function (its name does not start with _) of five statements or more, nested ones counted, has no docstring",
	"load":               "a name that load() brings in is never used, or is loaded twice",
	"no-effect":          "an expression statement whose value is thrown away, such as `x == 1` where check_eq was meant",
	"redefined-variable": "a global name is assigned a second time",
	"return-value":       "a function returns a value on some paths and nothing on others",
	"uninitialized":      "a variable may be read before any assignment reaches it",
	"unreachable":        "a statement follows return, break, continue or fail() and never runs",
	"unused-variable":    "a local variable or nested function is set but never read",
}

// A SyntaxError is a file the formatter cannot read.
type SyntaxError struct {
	Pos syntax.Position
	Msg string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%s: %s", e.Pos, e.Msg) }

// parse reads src as buildifier does. A file that the runbook dialect
// accepts but buildifier's parser does not (a while loop) is said to be so,
// so that nobody hunts for a syntax error that is not there.
func parse(path string, src []byte) (*build.File, error) {
	f, err := build.ParseDefault(path, src)
	if err == nil {
		return f, nil
	}
	if _, serr := lang.FileOptions.Parse(path, src, 0); serr != nil {
		var se syntax.Error
		if errors.As(serr, &se) {
			return nil, &SyntaxError{Pos: se.Pos, Msg: se.Msg}
		}
		return nil, serr
	}
	pos := syntax.MakePosition(&path, 0, 0)
	var be build.ParseError
	if errors.As(err, &be) {
		pos = syntax.MakePosition(&path, int32(be.Pos.Line), int32(be.Pos.LineRune))
	}
	return nil, &SyntaxError{Pos: pos, Msg: "buildifier cannot read this valid runbook (it knows no while loops); the file is left as it is"}
}

// Source returns src as buildifier formats it: four-space indents, one
// argument per line when a call does not fit, loads sorted and merged at
// the top.
func Source(path string, src []byte) ([]byte, error) {
	f, err := parse(path, src)
	if err != nil {
		return nil, err
	}
	return build.Format(f), nil
}

// A Warning is one finding of Lint.
type Warning struct {
	Pos      syntax.Position
	Category string
	Message  string
}

func (w Warning) String() string {
	return fmt.Sprintf("%s: %s (%s)", w.Pos, w.Message, w.Category)
}

// Lint returns the warnings of the categories in Warnings, in file order.
// A comment `# buildifier: disable=CATEGORY` on a statement silences one
// there; `# @unused` keeps an unused load or variable.
func Lint(path string, src []byte) ([]Warning, error) {
	f, err := parse(path, src)
	if err != nil {
		return nil, err
	}
	var out []Warning
	for _, fd := range warn.FileWarnings(f, Warnings, nil, warn.ModeWarn, nil) {
		out = append(out, Warning{
			Pos:      syntax.MakePosition(&path, int32(fd.Start.Line), int32(fd.Start.LineRune)),
			Category: fd.Category,
			Message:  firstSentence(fd.Message),
		})
	}
	return out, nil
}

// firstSentence keeps the finding and drops buildifier's advice, which is
// written for Bazel (re-exporting symbols, providers, future bans).
func firstSentence(msg string) string {
	msg, _, _ = strings.Cut(msg, "\n")
	if i := strings.Index(msg, ". "); i >= 0 {
		msg = msg[:i+1]
	}
	return strings.TrimSpace(msg)
}

// Files expands paths: a file stands for itself, a folder for every .star
// file under it. The result is sorted and has no duplicates.
func Files(paths []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err // the path is said once, without the system call's name
			}
			return nil, fmt.Errorf("cannot read %s: %w", p, err)
		}
		if !info.IsDir() {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
			continue
		}
		err = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(q, ".star") && !seen[q] {
				seen[q] = true
				out = append(out, q)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}
