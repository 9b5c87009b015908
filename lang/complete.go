package lang

import (
	"io/fs"
	"path"
	"sort"
	"strings"

	"clusterscript/stdlib"

	"go.starlark.net/starlark"
)

// keywords are Starlark's statement words, offered with the names.
var keywords = []string{"and", "break", "continue", "def", "elif", "else", "for", "if", "in", "lambda", "load", "not", "or", "pass", "return", "while"}

// Complete proposes completions for line with the cursor at byte offset
// pos: the line is head + candidate + tail for each candidate. It completes
// colon commands and their arguments, names (builtins, the session's
// globals, keywords), attributes after a dot, world names inside a string
// (servers, disks, domains, adapters) and module paths inside load("…").
// Callables are offered with their opening parenthesis.
func (r *REPL) Complete(line string, pos int) (head string, candidates []string, tail string) {
	if pos < 0 || pos > len(line) {
		pos = len(line)
	}
	before, tail := line[:pos], line[pos:]
	defer func() {
		if recover() != nil { // a value's attributes misbehaved: offer nothing
			head, candidates = before, nil
		}
	}()
	if t := strings.TrimLeft(before, " \t"); strings.HasPrefix(t, ":") {
		head, candidates = r.completeCommand(before)
		return head, candidates, tail
	}
	quote, comment := openString(before)
	switch {
	case comment:
		return before, nil, tail
	case quote >= 0:
		partial := before[quote+1:]
		var names []string
		if strings.HasSuffix(strings.TrimRight(before[:quote], " \t"), "load(") {
			names = r.modulePaths(partial, true)
		} else {
			names = r.argumentNames(before[:quote])
		}
		return before[:quote+1], withPrefixFold(names, partial), tail
	}
	start := len(before)
	for start > 0 && (isIdentByte(before[start-1]) || before[start-1] == '.') {
		start--
	}
	word := before[start:]
	if start > 0 && (before[start-1] == '"' || before[start-1] == '\'') || word != "" && word[0] >= '0' && word[0] <= '9' {
		return before, nil, tail
	}
	if dot := strings.LastIndexByte(word, '.'); dot >= 0 {
		return before[:start+dot+1], r.attrCandidates(word[:dot], word[dot+1:]), tail
	}
	return before[:start], r.nameCandidates(word), tail
}

// argumentNames are the world's names that fit the argument a string
// starting after text would be: the names the world offers for that
// parameter of the call it is in (also inside a list, as in
// set_possible_owners(r, ["NODE1", "…), else every name.
func (r *REPL) argumentNames(text string) []string {
	if call, param := r.argumentOf(text); param != "" {
		if names, ok := r.s.World.NamesFor(call, param); ok {
			return names
		}
	}
	return r.s.World.Names()
}

// argumentOf finds the call that text ends inside, and the parameter the
// next argument is for: by keyword, else by position among the callee's
// parameters (a builtin's, or a Starlark function's of the session).
func (r *REPL) argumentOf(text string) (call, param string) {
	type frame struct {
		open     byte
		fn, kw   string
		arg      int
		argStart int
	}
	var stack []frame
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch c {
		case '"', '\'':
			for i++; i < len(text) && text[i] != c; i++ {
				if text[i] == '\\' {
					i++
				}
			}
		case '(', '[', '{':
			fn := ""
			if c == '(' {
				start := i
				for start > 0 && isIdentByte(text[start-1]) {
					start--
				}
				if start == 0 || text[start-1] != '.' { // a method is no builtin
					fn = text[start:i]
				}
			}
			stack = append(stack, frame{open: c, fn: fn, argStart: i + 1})
		case ')', ']', '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			if n := len(stack); n > 0 {
				stack[n-1].arg++
				stack[n-1].kw, stack[n-1].argStart = "", i+1
			}
		case '=':
			next := byte(0)
			if i+1 < len(text) {
				next = text[i+1]
			}
			if n := len(stack); n > 0 && next != '=' {
				if kw := strings.TrimSpace(text[stack[n-1].argStart:i]); isIdent(kw) {
					stack[n-1].kw = kw
				}
			}
		}
	}
	n := len(stack)
	if n > 1 && stack[n-1].open == '[' { // a list of names, as one argument
		n--
	}
	if n == 0 || stack[n-1].open != '(' || stack[n-1].fn == "" {
		return "", ""
	}
	f := stack[n-1]
	if f.kw != "" {
		return f.fn, f.kw
	}
	params := r.paramsOf(f.fn)
	if f.arg < len(params) {
		return f.fn, params[f.arg]
	}
	return f.fn, ""
}

// paramsOf lists the parameters of the function a name denotes, as far as
// an argument can be passed to them by position.
func (r *REPL) paramsOf(name string) []string {
	switch fn := r.globals[name].(type) {
	case *starlark.Builtin:
		if b, ok := r.reg.Lookup(name); ok && r.reg.Predeclared()[name] == fn {
			return b.ParamNames()
		}
	case *starlark.Function:
		var out []string
		for i := range fn.NumParams() - fn.NumKwonlyParams() - btoi(fn.HasVarargs()) - btoi(fn.HasKwargs()) {
			p, _ := fn.Param(i)
			out = append(out, p)
		}
		return out
	}
	return nil
}

// openString reports where the string literal the text ends inside
// begins (its opening quote), or -1, and whether the text ends inside a
// comment.
func openString(s string) (quote int, comment bool) {
	quote = -1
	var q byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q != 0 && c == '\\':
			i++
		case q != 0 && c == q:
			q, quote = 0, -1
		case q != 0:
		case c == '#':
			return -1, true
		case c == '"' || c == '\'':
			q, quote = c, i
		}
	}
	return quote, false
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// nameCandidates are the keywords, universal builtins and globals that
// start with prefix; names starting with _ only when asked for.
func (r *REPL) nameCandidates(prefix string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(name string, v starlark.Value) {
		if seen[name] || !strings.HasPrefix(name, prefix) || strings.HasPrefix(name, "_") && !strings.HasPrefix(prefix, "_") {
			return
		}
		seen[name] = true
		if _, ok := v.(starlark.Callable); ok {
			name += "("
		}
		out = append(out, name)
	}
	for _, k := range keywords {
		add(k, nil)
	}
	for k, v := range starlark.Universe {
		add(k, v)
	}
	for k, v := range r.globals {
		add(k, v)
	}
	sort.Strings(out)
	return out
}

// attrCandidates are the attributes, starting with prefix, of the value a
// dotted name such as nodes or lab.quorum denotes.
func (r *REPL) attrCandidates(dotted, prefix string) []string {
	parts := strings.Split(dotted, ".")
	v, ok := r.globals[parts[0]]
	if !ok {
		v, ok = starlark.Universe[parts[0]]
	}
	if !ok || parts[0] == "" {
		return nil
	}
	for _, p := range parts[1:] {
		x, isAttrs := v.(starlark.HasAttrs)
		if !isAttrs || p == "" {
			return nil
		}
		next, err := x.Attr(p)
		if err != nil || next == nil {
			return nil
		}
		v = next
	}
	x, isAttrs := v.(starlark.HasAttrs)
	if !isAttrs {
		return nil
	}
	var out []string
	for _, name := range x.AttrNames() {
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		if a, err := x.Attr(name); err == nil {
			if _, ok := a.(starlark.Callable); ok {
				name += "("
			}
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// withPrefixFold keeps the names that start with prefix, ignoring case
// (Windows names are case-insensitive).
func withPrefixFold(names []string, prefix string) []string {
	var out []string
	for _, n := range names {
		if len(n) >= len(prefix) && strings.EqualFold(n[:len(prefix)], prefix) {
			out = append(out, n)
		}
	}
	return out
}

// completeCommand completes a colon command or its argument.
func (r *REPL) completeCommand(before string) (string, []string) {
	cmd, arg, hasArg := strings.Cut(strings.TrimLeft(before, " \t"), " ")
	if !hasArg {
		names := commandNames()
		sort.Strings(names)
		return before[:len(before)-len(cmd)], withPrefixFold(names, cmd)
	}
	arg = strings.TrimLeft(arg, " ")
	head := before[:len(before)-len(arg)]
	switch cmd {
	case ":help", ":h", ":?":
		names := append(r.reg.Names(), commandNames()...)
		for k, v := range r.globals {
			if _, ok := v.(*starlark.Function); ok {
				names = append(names, k)
			}
		}
		sort.Strings(names)
		return head, withPrefixFold(names, arg)
	case ":load":
		return head, r.modulePaths(arg, true)
	case ":save", ":save!":
		return head, r.modulePaths(arg, false)
	}
	return head, nil
}

// modulePaths completes a path to a .star file of the session's folder,
// one folder at a time, and with stdlib the modules of the standard
// library.
func (r *REPL) modulePaths(partial string, stdlibToo bool) []string {
	var out []string
	if stdlibToo && (strings.HasPrefix(StdlibPrefix, partial) || strings.HasPrefix(partial, StdlibPrefix)) {
		fs.WalkDir(stdlib.FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".star") && strings.HasPrefix(StdlibPrefix+p, partial) {
				out = append(out, StdlibPrefix+p)
			}
			return nil
		})
	}
	if strings.HasPrefix(partial, "@") {
		sort.Strings(out)
		return out
	}
	dir, base := path.Split(partial)
	list := "."
	if dir != "" {
		list = path.Clean(dir)
		if !fs.ValidPath(list) {
			return out
		}
	}
	entries, err := fs.ReadDir(r.files, list)
	if err != nil {
		return out
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		switch {
		case e.IsDir():
			out = append(out, dir+name+"/")
		case strings.HasSuffix(name, ".star"):
			out = append(out, dir+name)
		}
	}
	sort.Strings(out)
	return out
}
