package core

import "slices"

// CloneInto makes dst, a new world with its engines attached and nothing in
// it yet, an independent copy of w's core: the clock, the log, the
// directory, the servers and their adapters, the disks, the ASR sets, the
// pending timers and the address index. Objects are copied field by field
// (no state file in between) and the indexes are copied, not rebuilt; the
// caller copies each engine's objects the same way.
func (w *World) CloneInto(dst *World) {
	dst.Clock = w.Clock
	// Room to grow: the copy is made to go on, and a log that fills its
	// array on the first event would be copied again whole.
	dst.Events = append(make([]Event, 0, len(w.Events)+len(w.Events)/4+64), w.Events...)
	dst.changes, dst.noChanges = cloneChanges(w.changes), w.noChanges
	dst.journal.stamps = w.journal.stamps // stamps copied with the objects never match a new transaction's

	dst.Domains = Slots(w.Domains)
	for i, d := range w.Domains {
		nd := &Domain{Name: d.Name, NetBIOS: d.NetBIOS, Users: Slots(d.Users)}
		for j, u := range d.Users {
			nu := *u
			nu.Groups = slices.Clone(u.Groups)
			nd.Users[j] = &nu
		}
		nd.reindex()
		dst.Domains[i] = nd
	}
	dst.domains = make(map[string]*Domain, len(w.domains))
	for _, d := range dst.Domains {
		dst.domains[Key(d.Name)] = d
		dst.domains[Key(d.NetBIOS)] = d
	}

	servers := make([]Server, len(w.Servers))
	dst.Servers = Slots(w.Servers)
	dst.servers = make(map[string]*Server, len(w.Servers))
	for i, s := range w.Servers {
		ns := &servers[i]
		*ns = *s
		ns.Components = slices.Clone(s.Components)
		ns.Adapters = Slots(s.Adapters)
		for j, a := range s.Adapters {
			na := *a
			na.ExtraIPs = slices.Clone(a.ExtraIPs)
			ns.Adapters[j] = &na
		}
		dst.Servers[i] = ns
		dst.servers[Key(s.Name)] = ns
	}

	disks := make([]Disk, len(w.Disks))
	dst.Disks = Slots(w.Disks)
	dst.disks = make(map[string]*Disk, len(w.Disks))
	for i, d := range w.Disks {
		disks[i] = *d
		disks[i].Servers = slices.Clone(d.Servers)
		dst.Disks[i] = &disks[i]
		dst.disks[Key(d.Label)] = &disks[i]
	}

	dst.AsrSets = Slots(w.AsrSets)
	for i, set := range w.AsrSets {
		ns := *set
		ns.Adapters = slices.Clone(set.Adapters)
		for j := range ns.Adapters {
			ns.Adapters[j].ExtraIPs = slices.Clone(set.Adapters[j].ExtraIPs)
		}
		ns.Components = slices.Clone(set.Components)
		ns.Disks = slices.Clone(set.Disks)
		dst.AsrSets[i] = &ns
	}

	// One backing array for every address's uses, each cut to its own
	// capacity so that an append on either world reallocates.
	n := 0
	for _, uses := range w.addrs {
		n += len(uses)
	}
	all := make([]AddrUse, 0, n)
	dst.addrs = make(map[string][]AddrUse, len(w.addrs))
	// maporder: copies into one backing array; the order of the copies is never seen
	for ip, uses := range w.addrs {
		from := len(all)
		all = append(all, uses...)
		dst.addrs[ip] = all[from:len(all):len(all)]
	}

	timers := make([]Timer, len(w.timers.items))
	dst.timers.items = Slots(w.timers.items)
	for i, t := range w.timers.items {
		timers[i] = *t
		dst.timers.items[i] = &timers[i]
	}
	dst.timers.nextSeq, dst.timers.settling = w.timers.nextSeq, w.timers.settling
}

// Slots returns a new list of pointers as long as list, or nil when list is
// nil: a state file tells an empty list from none.
func Slots[T any](list []*T) []*T {
	if list == nil {
		return nil
	}
	return make([]*T, len(list))
}
