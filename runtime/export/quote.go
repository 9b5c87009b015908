package export

import (
	"strings"
)

// Quoting for each target's command line.

// psQuote quotes a PowerShell argument: bare when it is a plain word, else
// a single-quoted string (no expansion), with ' doubled.
func psQuote(s string) string {
	if s != "" && plainWord(s) && !strings.HasPrefix(s, "-") {
		return s
	}
	return psString(s)
}

// psList is a comma-separated list of PowerShell arguments.
func psList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = psQuote(s)
	}
	return strings.Join(q, ",")
}

func plainWord(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' || r == '\\') {
			return false
		}
	}
	return true
}

// cmdQuote quotes an argument for cmd.exe in a batch file: in double
// quotes when it has a space or a character cmd.exe treats specially
// (& | < > ^ and, in a block or with delayed expansion, ( ) !), and %%
// for each %, which a batch file would otherwise expand. A double quote
// cannot be written inside a quoted argument: ok is false then.
func cmdQuote(s string) (q string, ok bool) {
	if strings.Contains(s, `"`) {
		return "", false
	}
	s = strings.ReplaceAll(s, "%", "%%")
	if s != "" && !strings.ContainsAny(s, " \t&|<>^()!") {
		return s, true
	}
	return `"` + s + `"`, true
}

// shQuote quotes a POSIX shell argument: bare when plain, else single
// quotes with ' written as '\”.
func shQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-/:=,+@", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
