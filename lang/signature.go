package lang

import (
	"fmt"
	"strings"

	"clusterscript/internal/spell"
)

// A Param is one parameter of a builtin, read from its Params text.
type Param struct {
	Name     string
	Default  string // the default's text; "" for a required parameter
	Star     bool   // *args: takes any further positional arguments
	StarStar bool   // **kwargs: takes any further keyword arguments
}

// Required reports whether a call must give the parameter.
func (p Param) Required() bool { return p.Default == "" && !p.Star && !p.StarStar }

// An Enum is the set of strings a parameter accepts, as the engine checks
// it; `check` reports a literal outside it before anything runs. A
// builtin's Enums are built from the same Go values the engine validates
// with, so the two cannot drift apart.
type Enum struct {
	What     string   // how errors name a value, e.g. "resource type"
	Values   []string // in the order errors list them
	FoldCase bool     // the engine accepts any letter case
	// Open, when set, names what else the parameter accepts (a quorum is
	// "majority", "local" or "a Disk or its label"): only a value a typo
	// away from one of Values is then reported.
	Open string
}

// Lookup reports whether v is one of the values.
func (e *Enum) Lookup(v string) bool {
	for _, x := range e.Values {
		if x == v || e.FoldCase && strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// Refuse describes v, which Lookup refused, in the engine's words: unknown
// resource type "IP Adress" (did you mean "IP Address"?); use one of ...
// For an open enumeration it returns "" unless v looks like a typo.
func (e *Enum) Refuse(v string) string {
	near := spell.Nearest(v, e.Values)
	if e.Open != "" && near == "" {
		return ""
	}
	quoted := make([]string, len(e.Values))
	for i, x := range e.Values {
		quoted[i] = fmt.Sprintf("%q", x)
	}
	hint := ""
	if near != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", near)
	}
	list := strings.Join(quoted, ", ")
	if e.Open != "" {
		list += ", or " + e.Open
	}
	return fmt.Sprintf("unknown %s %q%s; use one of %s", e.What, v, hint, list)
}

// Parameters reads Params: "(cluster, name, mask=\"255.255.255.0\", *args,
// **kwargs)". Params is the one description of a builtin's parameters, so
// `doc`, keyword suggestions and `check` all read it; a test holds every
// builtin's Params to what its function accepts.
func (b *Builtin) Parameters() []Param {
	inner := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(b.Params), "("), ")")
	var params []Param
	depth, start := 0, 0
	var quote rune
	add := func(part string) {
		name, def, _ := strings.Cut(part, "=")
		name, def = strings.TrimSpace(name), strings.TrimSpace(def)
		switch {
		case name == "":
		case strings.HasPrefix(name, "**"):
			params = append(params, Param{Name: name[2:], StarStar: true})
		case strings.HasPrefix(name, "*"):
			params = append(params, Param{Name: name[1:], Star: true})
		default:
			params = append(params, Param{Name: name, Default: def})
		}
	}
	for i, r := range inner {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '(' || r == '[' || r == '{':
			depth++
		case r == ')' || r == ']' || r == '}':
			depth--
		case r == ',' && depth == 0:
			add(inner[start:i])
			start = i + 1
		}
	}
	add(inner[start:])
	return params
}

// ParamNames lists the names of the parameters in Params, without the
// *args and **kwargs ones.
func (b *Builtin) ParamNames() []string {
	var names []string
	for _, p := range b.Parameters() {
		if !p.Star && !p.StarStar {
			names = append(names, p.Name)
		}
	}
	return names
}
