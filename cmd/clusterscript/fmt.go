package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"clusterscript/lang"
	"clusterscript/lang/format"
)

// cmdFmt formats runbooks in place; with --check it lists the files that
// would change and changes nothing.
func cmdFmt(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("fmt", stderr)
	check := switchFlag(fs, "check", "", "list the files that are not formatted and change nothing; exit 1 if any")
	paths, done, code := parseFlags(fs, args, stdout, stderr)
	if done {
		return code
	}
	changed := 0
	n, code := eachStarFile("fmt", paths, stderr, func(p string, src []byte) error {
		out, err := format.Source(p, src)
		if err != nil || bytes.Equal(out, src) {
			return err
		}
		changed++
		if *check {
			fmt.Fprintln(stdout, p)
			return nil
		}
		return writeSameMode(p, out)
	})
	if *check && changed > 0 && code == lang.ExitOK {
		fmt.Fprintf(stderr, "clusterscript fmt: %d of %d files are not formatted; run clusterscript fmt on them\n", changed, n)
		return lang.ExitFailed
	}
	return code
}

// writeSameMode replaces a file's contents, keeping its permissions.
func writeSameMode(path string, data []byte) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, info.Mode().Perm()); err != nil {
		return fmt.Errorf("clusterscript fmt: cannot write %s", path)
	}
	return nil
}

// cmdLint prints buildifier's warnings (format.Warnings) and exits 1 when
// there is any.
func cmdLint(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("lint", stderr)
	paths, done, code := parseFlags(fs, args, stdout, stderr)
	if done {
		if fs.Changed("help") {
			fmt.Fprintf(stdout, "\nwarnings reported:\n")
			for _, w := range format.Warnings {
				fmt.Fprintf(stdout, "  %-19s %s\n", w, format.WarningDocs[w])
			}
			fmt.Fprintf(stdout, "\nsilence one with a comment # buildifier: disable=CATEGORY on its statement\n")
		}
		return code
	}
	found := 0
	_, code = eachStarFile("lint", paths, stderr, func(p string, src []byte) error {
		ws, err := format.Lint(p, src)
		for _, w := range ws {
			fmt.Fprintln(stdout, w)
		}
		found += len(ws)
		return err
	})
	if found > 0 && code == lang.ExitOK {
		return lang.ExitFailed
	}
	return code
}

// eachStarFile calls fn with every .star file of the PATH arguments of fmt
// and lint (folders are walked) and its contents. It prints what fn returns
// and goes on with the next file. It returns how many files there were and
// the exit code so far: 2 when a path or file cannot be read or parsed.
func eachStarFile(cmd string, paths []string, stderr io.Writer, fn func(path string, src []byte) error) (int, int) {
	if len(paths) == 0 {
		fmt.Fprintf(stderr, "clusterscript %s: give one or more .star files or folders\n", cmd)
		return 0, lang.ExitUsage
	}
	files, err := format.Files(paths)
	if err != nil {
		fmt.Fprintf(stderr, "clusterscript %s: %v\n", cmd, err)
		return 0, lang.ExitUsage
	}
	if len(files) == 0 {
		fmt.Fprintf(stderr, "clusterscript %s: no .star files in %s\n", cmd, strings.Join(paths, " "))
		return 0, lang.ExitUsage
	}
	code := lang.ExitOK
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			fmt.Fprintf(stderr, "clusterscript %s: cannot read %s\n", cmd, p)
			code = lang.ExitUsage
			continue
		}
		if err := fn(p, src); err != nil {
			fmt.Fprintln(stderr, err)
			code = lang.ExitUsage
		}
	}
	return len(files), code
}
