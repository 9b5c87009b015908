package export

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"clusterscript/runtime/core"
)

// Pacemaker ids, and a cluster's Pacemaker configuration kept up to date
// change by change, so that the pcs target does work in proportion to
// what a change touched, not to the size of the cluster (SPEC §11).

// pcmIDs are the ids of a cluster's Pacemaker groups and primitives. An
// item (a resource that maps to a primitive, or a group that has one) is
// given its name made an XML id (pcmID); when an item before it in
// cluster order (the groups in order, each group's resources in start
// order and then the group) holds that id, it takes the first free one of
// id-2, id-3, …, a group first trying id-group. An id therefore depends
// on the items before it; pcmIDs keeps who holds each id and which ids an
// item tried and found held, so that one group can be given ids again
// without going through the cluster (regroup).
type pcmIDs struct {
	of    map[string]string // item → id; an item is "r" or "g" then core.Key(name)
	owner map[string]string // id → item
	taken map[string]bool   // ids an item tried and found held
}

func resourceItem(name string) string { return "r" + core.Key(name) }
func groupItem(name string) string    { return "g" + core.Key(name) }

func newIDs() *pcmIDs {
	return &pcmIDs{of: map[string]string{}, owner: map[string]string{}, taken: map[string]bool{}}
}

func (ids *pcmIDs) claim(item, id string) {
	ids.of[item] = id
	ids.owner[id] = item
}

// groupIDs gives ids to a group's items in order: the resources that map
// to a primitive in start order (order is inOrder(g)), then the group,
// which has none when none of its resources maps. held reports whether an
// item before the group holds an id; tried is told each id found held.
func groupIDs(c *cluster, g *group, order []*resource, held func(string) bool, tried func(string)) (items, ids []string) {
	used := func(id string) bool {
		if slices.Contains(ids, id) || held(id) {
			tried(id)
			return true
		}
		return false
	}
	unique := func(id string) string {
		for n, base := 2, id; used(id); n++ {
			id = base + "-" + strconv.Itoa(n)
		}
		return id
	}
	for _, r := range order {
		if unmapped(c, r) == "" {
			items = append(items, resourceItem(r.name))
			ids = append(ids, unique(pcmID(r.name)))
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	id := pcmID(g.name)
	if used(id) {
		id += "-group"
	}
	return append(items, groupItem(g.name)), append(ids, unique(id))
}

// regroup gives a group's items ids again after a change to the group
// (g is nil once it is deleted); held are the ids its items held before.
// It reports false, changing nothing, when the change may move an id of
// another group (an id the group tried is held elsewhere, or one it gives
// up was tried by another item): the caller gives the whole cluster ids
// again.
func (ids *pcmIDs) regroup(c *cluster, g *group, order []*resource, held []string) bool {
	var items, got, tried []string
	if g != nil {
		elsewhere := false
		items, got = groupIDs(c, g, order, func(id string) bool {
			if ids.owner[id] != "" && !slices.Contains(held, id) {
				elsewhere = true
				return true
			}
			return false
		}, func(id string) { tried = append(tried, id) })
		if elsewhere {
			return false
		}
	}
	for _, id := range held {
		if !slices.Contains(got, id) && ids.taken[id] {
			return false
		}
	}
	for _, id := range held {
		delete(ids.of, ids.owner[id])
		delete(ids.owner, id)
	}
	for i, item := range items {
		ids.claim(item, got[i])
	}
	for _, id := range tried {
		ids.taken[id] = true
	}
	return true
}

// pcmLive is a cluster's Pacemaker configuration as the pcs commands
// written so far left it.
type pcmLive struct {
	ids    *pcmIDs
	keys   []string             // core.Key of the groups' names, in cluster order
	groups map[string]*pcmGroup // by core.Key(name)
	cols   map[string]pcmColocation
	colsOf map[string]map[string]bool // group key → ids of its colocations
}

// live projects a cluster's whole Pacemaker configuration.
func (m *model) live(c *cluster) *pcmLive {
	l := &pcmLive{ids: newIDs(), groups: map[string]*pcmGroup{}, cols: map[string]pcmColocation{}, colsOf: map[string]map[string]bool{}}
	held := func(id string) bool { return l.ids.owner[id] != "" }
	tried := func(id string) { l.ids.taken[id] = true }
	for _, g := range c.groups {
		order := inOrder(g)
		items, got := groupIDs(c, g, order, held, tried)
		for i, item := range items {
			l.ids.claim(item, got[i])
		}
		pg := m.projectGroup(c, g, order, l.ids)
		k := core.Key(g.name)
		l.keys = append(l.keys, k)
		l.groups[k] = &pg
	}
	score := apartScore(c)
	for _, class := range slices.Sorted(maps.Keys(c.classes)) {
		members := c.classes[class]
		for i, a := range members {
			for _, b := range members[i+1:] {
				if col, ok := apart(a, b, l.ids, score); ok {
					l.addCol(col)
				}
			}
		}
	}
	return l
}

func (l *pcmLive) addCol(col pcmColocation) {
	l.cols[col.id] = col
	for _, k := range []string{col.a, col.b} {
		if l.colsOf[k] == nil {
			l.colsOf[k] = map[string]bool{}
		}
		l.colsOf[k][col.id] = true
	}
}

func (l *pcmLive) dropCol(id string) {
	col := l.cols[id]
	delete(l.cols, id)
	for _, k := range []string{col.a, col.b} {
		delete(l.colsOf[k], id)
		if len(l.colsOf[k]) == 0 {
			delete(l.colsOf, k)
		}
	}
}

// colsOfGroup lists a group's colocations, sorted by id.
func (l *pcmLive) colsOfGroup(k string) []pcmColocation {
	var out []pcmColocation
	for _, id := range slices.Sorted(maps.Keys(l.colsOf[k])) {
		out = append(out, l.cols[id])
	}
	return out
}

// cluster assembles the whole configuration.
func (l *pcmLive) cluster(name string) pcmCluster {
	pc := pcmCluster{name: name}
	for _, k := range l.keys {
		g := l.groups[k]
		pc.groups = append(pc.groups, *g)
		pc.locations = append(pc.locations, g.locations...)
	}
	slices.SortStableFunc(pc.locations, func(a, b pcmLocation) int { return strings.Compare(a.id, b.id) })
	for _, id := range slices.Sorted(maps.Keys(l.cols)) {
		pc.colocations = append(pc.colocations, l.cols[id])
	}
	return pc
}

// part is the configuration of one group: its group, locations and
// colocations (empty when there is no such group).
func (l *pcmLive) part(k string) pcmCluster {
	var pc pcmCluster
	if g := l.groups[k]; g != nil {
		pc.groups = []pcmGroup{*g}
		pc.locations = g.locations
	}
	pc.colocations = l.colsOfGroup(k)
	return pc
}

// held lists the ids a group's items hold.
func (g *pcmGroup) held() []string {
	if g == nil {
		return nil
	}
	var out []string
	for _, p := range g.members {
		out = append(out, p.id)
	}
	if g.id != "" {
		out = append(out, g.id)
	}
	return out
}

// regroup brings the configuration of group k up to date after a change
// to it, returning the part before and after; ok is false when the whole
// cluster has to be projected again (regroup of pcmIDs says when).
func (l *pcmLive) regroup(m *model, c *cluster, k string) (before, after pcmCluster, ok bool) {
	g := c.groupIdx[k]
	var order []*resource
	if g != nil {
		order = inOrder(g)
	}
	if !l.ids.regroup(c, g, order, l.groups[k].held()) {
		return before, after, false
	}
	before = l.part(k)
	for id := range l.colsOf[k] {
		l.dropCol(id)
	}
	if g == nil {
		delete(l.groups, k)
		l.keys = slices.DeleteFunc(l.keys, func(s string) bool { return s == k })
		return before, l.part(k), true
	}
	pg := m.projectGroup(c, g, order, l.ids)
	if l.groups[k] == nil {
		l.keys = append(l.keys, k) // a new group comes last
	}
	l.groups[k] = &pg
	score := apartScore(c)
	for _, o := range c.partners(g) {
		if col, ok := apart(g, o, l.ids, score); ok {
			l.addCol(col)
		}
	}
	return before, l.part(k), true
}
