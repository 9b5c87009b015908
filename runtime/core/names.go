package core

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"clusterscript/internal/spell"
)

// key folds a Windows name for case-insensitive lookup.
func Key(name string) string { return strings.ToUpper(name) }

// withArticle puts "a" or "an" before a noun phrase, by its first letter
// ("an IP Address resource", "a Network Name resource").
func WithArticle(noun string) string {
	if noun != "" && strings.ContainsRune("AEIOUaeiou", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}

// validNetBIOS checks a NetBIOS computer, cluster or network name: 1–15
// characters, no characters Windows forbids, not all digits.
func ValidNetBIOS(what, name string) error {
	if name == "" {
		return Errf(ErrInvalid, "%s name is empty; give a NetBIOS name of 1–15 characters", what)
	}
	if len(name) > 15 {
		return Errf(ErrInvalid, "%s name %q has %d characters; NetBIOS names have at most 15", what, name, len(name))
	}
	if i := strings.IndexAny(name, `\/:*?"<>|.,~!@#$%^&'(){}_ ;+=[]`); i >= 0 {
		return Errf(ErrInvalid, "%s name %q contains %q, which NetBIOS names may not; use letters, digits and hyphens", what, name, name[i])
	}
	if strings.Trim(name, "0123456789") == "" {
		return Errf(ErrInvalid, "%s name %q is all digits; NetBIOS names need a letter", what, name)
	}
	return nil
}

// parseIPv4 parses a dotted-quad IPv4 address.
func ParseIPv4(what, s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return netip.Addr{}, Errf(ErrInvalid, "%s %q is not an IPv4 address; write it as four numbers 0–255, e.g. \"10.0.0.10\"", what, s)
	}
	return a, nil
}

// parseMask parses a dotted-quad subnet mask and returns its prefix length.
func ParseMask(s string) (int, error) {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return 0, Errf(ErrInvalid, "subnet mask %q is not a dotted-quad mask such as \"255.255.255.0\"", s)
	}
	b := a.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	ones := 0
	for v&(1<<31) != 0 {
		ones++
		v <<= 1
	}
	if v != 0 {
		return 0, Errf(ErrInvalid, "subnet mask %q is not contiguous: its one bits must all come first, as in 255.255.255.0", s)
	}
	if ones == 0 || ones > 30 {
		return 0, Errf(ErrInvalid, "subnet mask %q leaves no room for hosts and a network; use a prefix of 1 to 30 bits", s)
	}
	return ones, nil
}

// hostAddress validates ip as a unicast host address in the subnet given by
// mask and returns its prefix.
func HostAddress(what, ip, mask string) (netip.Prefix, error) {
	a, err := ParseIPv4(what, ip)
	if err != nil {
		return netip.Prefix{}, err
	}
	bits, err := ParseMask(mask)
	if err != nil {
		return netip.Prefix{}, err
	}
	if err := UnicastHost(what, a, bits); err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, bits), nil
}

func UnicastHost(what string, a netip.Addr, bits int) error {
	switch {
	case a.IsUnspecified(), a.IsLoopback(), a.IsMulticast(), a == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return Errf(ErrInvalid, "%s %s is not a unicast host address; use a static address of the server's subnet", what, a)
	case a.IsLinkLocalUnicast():
		return Errf(ErrInvalid, "%s %s is an automatic private (APIPA) address, which clusters do not support; configure a static address", what, a)
	}
	p := netip.PrefixFrom(a, bits).Masked()
	if a == p.Addr() {
		return Errf(ErrInvalid, "%s %s is the network address of %s; pick a host address inside it", what, a, p)
	}
	if a == Broadcast(p) {
		return Errf(ErrInvalid, "%s %s is the broadcast address of %s; pick a host address inside it", what, a, p)
	}
	return nil
}

func Broadcast(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	v |= (1 << (32 - p.Bits())) - 1
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// sameSubnet reports whether ip falls in the subnet of p.
func SameSubnet(p netip.Prefix, ip netip.Addr) bool { return p.Masked().Contains(ip) }

// maskString renders a prefix length as a dotted-quad mask.
func MaskString(bits int) string {
	v := ^uint32(0) << (32 - bits)
	return fmt.Sprintf("%d.%d.%d.%d", byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

// Suggest returns the candidate nearest to name, or "" when nothing is
// close enough to be a likely typo.
func Suggest(name string, candidates []string) string { return spell.Nearest(name, candidates) }

// notFound builds the error for a missing object, suggesting the nearest
// existing name.
func NotFound(what, name string, candidates []string) error {
	if s := Suggest(name, candidates); s != "" {
		return Errf(ErrNotFound, "no %s named %q; did you mean %q?", what, name, s)
	}
	if len(candidates) == 0 {
		return Errf(ErrNotFound, "no %s named %q; none exists yet", what, name)
	}
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	if len(sorted) > 8 {
		sorted = append(sorted[:8], "…")
	}
	return Errf(ErrNotFound, "no %s named %q (there are: %s)", what, name, strings.Join(sorted, ", "))
}

// oneOf checks an enumerated argument.
func OneOf(what, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	quoted := make([]string, len(allowed))
	for i, a := range allowed {
		quoted[i] = fmt.Sprintf("%q", a)
	}
	hint := ""
	if s := Suggest(v, allowed); s != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", s)
	}
	return Errf(ErrInvalid, "unknown %s %q%s; use one of %s", what, v, hint, strings.Join(quoted, ", "))
}

// sortedKeys returns a map's keys in order, for deterministic iteration.
func SortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ContainsFold reports whether list holds name, ignoring case as Windows
// names do.
func ContainsFold(list []string, name string) bool {
	for _, x := range list {
		if strings.EqualFold(x, name) {
			return true
		}
	}
	return false
}

// RemoveFold returns a new list without name (compared ignoring case).
func RemoveFold(list []string, name string) []string {
	var out []string
	for _, x := range list {
		if !strings.EqualFold(x, name) {
			out = append(out, x)
		}
	}
	return out
}
