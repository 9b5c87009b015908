package core

import (
	"fmt"
	"slices"
	"strings"
)

// CheckIndexes reports the first derived index that disagrees with the
// objects it indexes: a name lookup that misses or points at an object no
// longer in the world, an address use that is missing or left over, then
// each engine's indexes. An index is derived data that no state file shows,
// so tests of rollbacks and copies call this besides comparing state files.
func (w *World) CheckIndexes() error {
	if err := CheckNames("domain", w.domains, w.Domains, func(d *Domain) []string { return []string{d.Name, d.NetBIOS} }); err != nil {
		return err
	}
	for _, d := range w.Domains {
		if err := CheckNames("account of "+d.Name, d.users, d.Users, func(u *User) []string { return []string{u.Name} }); err != nil {
			return err
		}
	}
	if err := CheckNames("server", w.servers, w.Servers, func(s *Server) []string { return []string{s.Name} }); err != nil {
		return err
	}
	if err := CheckNames("disk", w.disks, w.Disks, func(d *Disk) []string { return []string{d.Label} }); err != nil {
		return err
	}
	want := map[string][]AddrUse{}
	w.addresses(func(ip string, u AddrUse) { want[ip] = append(want[ip], u) })
	for _, ip := range SortedKeys(want) {
		if got, w := useList(w.addrs[ip]), useList(want[ip]); got != w {
			return fmt.Errorf("the address index has %s for %s, want %s", got, ip, w)
		}
	}
	for _, ip := range SortedKeys(w.addrs) {
		if _, ok := want[ip]; !ok {
			return fmt.Errorf("the address index has %s for %s, which nothing uses", useList(w.addrs[ip]), ip)
		}
	}
	for _, e := range w.engines {
		if err := e.CheckIndexes(); err != nil {
			return err
		}
	}
	return nil
}

// CheckNames checks a name index: every object of list under each of its
// names (case-folded), and nothing else.
func CheckNames[T any](what string, index map[string]*T, list []*T, names func(*T) []string) error {
	n := 0
	for _, x := range list {
		for _, name := range names(x) {
			k := Key(name)
			if index[k] != x {
				return fmt.Errorf("the %s index does not lead from %q to that %s", what, name, what)
			}
		}
	}
	seen := map[*T]bool{}
	for _, x := range list {
		seen[x] = true
	}
	// maporder: names a broken index entry for a failing consistency check; any entry will do
	for k, x := range index {
		if !seen[x] {
			return fmt.Errorf("the %s index leads from %q to a %s that is not in the world", what, k, what)
		}
		n++
	}
	keys := map[string]bool{}
	for _, x := range list {
		for _, name := range names(x) {
			keys[Key(name)] = true
		}
	}
	if n != len(keys) {
		return fmt.Errorf("the %s index has %d names, want %d", what, n, len(keys))
	}
	return nil
}

// useList renders uses of an address in a fixed order, to compare them as
// a multiset.
func useList(uses []AddrUse) string {
	out := make([]string, len(uses))
	for i, u := range uses {
		out[i] = fmt.Sprintf("%d:%s", u.Kind, u.Owner)
	}
	slices.Sort(out)
	return "[" + strings.Join(out, "; ") + "]"
}
