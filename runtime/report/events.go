package report

import (
	"fmt"
	"strconv"
	"strings"

	"clusterscript/runtime/core"
	"clusterscript/runtime/sim"
)

// A Lane is one node of a server cluster over the run: its states and the
// groups it owned, each as spans of virtual time.
type Lane struct {
	Cluster string  `json:"cluster"`
	Node    string  `json:"node"`
	From    int64   `json:"from"` // the lane starts (the node joined, or the run began)
	To      int64   `json:"to"`   // the lane ends (evicted, or the run ended)
	States  []Span  `json:"states"`
	Groups  []Owned `json:"groups"`
}

// A Span is a node state held from From to To.
type Span struct {
	From  int64  `json:"from"`
	To    int64  `json:"to"`
	State string `json:"state"`
	Open  bool   `json:"open,omitempty"` // still held when the run ended
}

// An Owned span is a group a node owned from From to To.
type Owned struct {
	Group string `json:"group"`
	From  int64  `json:"from"`
	To    int64  `json:"to"`
	Open  bool   `json:"open,omitempty"` // still owned when the run ended
}

// Mark kinds: what a mark on the timeline stands for.
const (
	MarkFault    = "fault"    // a server, adapter, disk or resource failed
	MarkRecovery = "recovery" // a server booted, an adapter or disk was repaired
	MarkFailover = "failover" // a group failed over (arrow from old to new owner)
	MarkFailback = "failback" // a group failed back to a preferred owner
	MarkMove     = "move"     // a group was moved by hand or by a stopping Cluster service
	MarkPlace    = "place"    // a group went to a node after quorum came back or it was orphaned
	MarkHandover = "handover" // an offline group was handed to another node
	MarkFailed   = "failed"   // a group was left Failed
	MarkCheck    = "check"    // a runbook check passed
	MarkFailure  = "failure"  // the run failed here
)

// A Mark is one event drawn on the timeline.
type Mark struct {
	Kind string `json:"kind"`
	At   int64  `json:"at"`
	Seq  int    `json:"seq"`
	// Lane is the index of the lane the mark is on (an arrow's tail), -1
	// for the run's own row above the lanes; To is an arrow's head, -1 for
	// none.
	Lane    int    `json:"lane"`
	To      int    `json:"to"`
	Subject string `json:"subject,omitempty"`
	Text    string `json:"text"`
	Reason  string `json:"reason,omitempty"`
}

type groupTrack struct {
	cluster, name string
	owner         string
	since         int64
}

type timeline struct {
	from, to int64
	lanes    []*Lane
	marks    []Mark
	problems []string

	live     map[string]int           // Key(node) → its lane: a server is a node of one cluster at a time
	state    map[int]Span             // lane → the state it is in, since when
	groups   map[string]*groupTrack   // groupKey → the group
	named    map[string][]*groupTrack // Key(group name) → the live groups of that name, oldest first
	resGroup map[string]*groupTrack   // Key(resource name) → its group
}

func groupKey(cluster, name string) string { return core.Key(cluster) + "\x00" + core.Key(name) }

// replay reads the whole log (the events before start build the world the
// run began with) and returns the lanes and marks of [from, to].
func replay(w *sim.World, log []core.Event, start int, to int64) *timeline {
	t := &timeline{
		from: to, to: to,
		live: map[string]int{}, state: map[int]Span{},
		groups: map[string]*groupTrack{}, named: map[string][]*groupTrack{}, resGroup: map[string]*groupTrack{},
	}
	if start < len(log) {
		t.from = log[start].At
	}
	for i, e := range log {
		t.event(e, i >= start)
	}
	if start == len(log) && start > 0 {
		t.from = log[start-1].At
	}
	t.finish(w)
	return t
}

// event applies one event; mark says whether it belongs to the run (and
// so may be drawn).
func (t *timeline) event(e core.Event, mark bool) {
	switch e.Kind {
	case core.KindCluster:
		t.clusterEvent(e, mark)
	case core.KindState:
		t.stateEvent(e, mark)
	case core.KindFailover, core.KindWarning:
		t.decision(e, mark)
	case core.KindWorld:
		if mark {
			t.worldEvent(e)
		}
	case core.KindCheck:
		if mark {
			t.mark(Mark{Kind: MarkCheck, Lane: -1, To: -1}, e)
		}
	}
}

func (t *timeline) mark(m Mark, e core.Event) {
	m.At, m.Seq, m.Text = e.At, e.Seq, e.Text
	if m.Subject == "" {
		m.Subject = e.Subject
	}
	t.marks = append(t.marks, m)
}

// laneOf is the live lane of a node, -1 for none.
func (t *timeline) laneOf(node string) int {
	if i, ok := t.live[core.Key(node)]; ok {
		return i
	}
	return -1
}

// join starts a lane for a node of a cluster (cluster formed, node added).
func (t *timeline) join(cluster, node string, at int64) int {
	if i := t.laneOf(node); i >= 0 {
		if t.lanes[i].Cluster == "" {
			t.lanes[i].Cluster = cluster
		}
		return i
	}
	t.lanes = append(t.lanes, &Lane{Cluster: cluster, Node: node, From: at, To: -1})
	i := len(t.lanes) - 1
	t.live[core.Key(node)] = i
	return i
}

func (t *timeline) setNodeState(i int, state string, at int64) {
	if cur, ok := t.state[i]; ok {
		if cur.State == state {
			return
		}
		t.closeSpan(i, cur, at)
	}
	t.state[i] = Span{From: at, State: state}
}

func (t *timeline) closeSpan(i int, s Span, at int64) {
	s.From, s.To = max(s.From, t.from), at
	// A span over before the run began is not drawn; an empty one only
	// when it is a node's state at the end.
	if s.To > s.From || s.To == t.to && s.From == t.to {
		t.lanes[i].States = append(t.lanes[i].States, s)
	}
}

// setOwner moves a group to node at time at.
func (t *timeline) setOwner(g *groupTrack, node string, at int64) {
	if strings.EqualFold(g.owner, node) {
		return
	}
	t.closeOwned(g, at)
	g.owner, g.since = node, at
}

func (t *timeline) closeOwned(g *groupTrack, at int64) {
	i := t.laneOf(g.owner)
	from := max(g.since, t.from)
	if i >= 0 && (at > from || at == t.to && from == t.to) {
		t.lanes[i].Groups = append(t.lanes[i].Groups, Owned{Group: g.name, From: from, To: at})
	}
}

// group finds the live group of that name; owner (a node) tells clusters
// apart when several have a group of that name.
func (t *timeline) group(name, owner string) *groupTrack {
	gs := t.named[core.Key(name)]
	if len(gs) == 1 || owner == "" {
		if len(gs) == 0 {
			return nil
		}
		return gs[len(gs)-1]
	}
	if i := t.laneOf(owner); i >= 0 {
		if g := t.groups[groupKey(t.lanes[i].Cluster, name)]; g != nil {
			return g
		}
	}
	return gs[len(gs)-1]
}

// clusterEvent: clusters formed, nodes added and evicted, groups and
// resources created and deleted, manual moves.
func (t *timeline) clusterEvent(e core.Event, mark bool) {
	text := e.Text
	switch {
	case strings.HasPrefix(text, "cluster "+e.Subject+" formed on "):
		// "cluster C formed on N in DOMAIN: ..." (mscs CreateCluster)
		node, _, _ := strings.Cut(strings.TrimPrefix(text, "cluster "+e.Subject+" formed on "), " ")
		t.join(e.Subject, node, e.At)
	case strings.HasPrefix(text, "node ") && strings.Contains(text, " added to cluster "+e.Subject):
		// "node N added to cluster C (2 of 8 nodes)" (mscs AddNode)
		node, _, _ := strings.Cut(strings.TrimPrefix(text, "node "), " ")
		t.join(e.Subject, node, e.At)
	case strings.HasPrefix(text, "node ") && strings.Contains(text, " evicted from cluster "+e.Subject):
		// "node N evicted from cluster C; ..." (mscs EvictNode)
		node, _, _ := strings.Cut(strings.TrimPrefix(text, "node "), " ")
		if i := t.laneOf(node); i >= 0 {
			if s, ok := t.state[i]; ok {
				t.closeSpan(i, s, e.At)
				delete(t.state, i)
			}
			t.lanes[i].To = e.At
			delete(t.live, core.Key(node))
		}
	case strings.HasPrefix(text, "group "+strconv.Quote(e.Subject)+" created in cluster "):
		// `group "G" created in cluster C, owned by N` (mscs NewGroup)
		rest := strings.TrimPrefix(text, "group "+strconv.Quote(e.Subject)+" created in cluster ")
		cluster, owner, ok := strings.Cut(rest, ", owned by ")
		if !ok {
			return
		}
		g := &groupTrack{cluster: cluster, name: e.Subject, owner: owner, since: e.At}
		t.groups[groupKey(cluster, e.Subject)] = g
		t.named[core.Key(e.Subject)] = append(t.named[core.Key(e.Subject)], g)
	case text == "group "+strconv.Quote(e.Subject)+" deleted":
		if g := t.group(e.Subject, ""); g != nil {
			t.closeOwned(g, e.At)
			t.forget(g)
		}
	case strings.HasPrefix(text, "resource "+strconv.Quote(e.Subject)+" ("):
		// `resource "R" (TYPE) created in group "G"...` (mscs NewResource)
		if _, rest, ok := strings.Cut(text, ") created in group "); ok {
			if name, err := strconv.QuotedPrefix(rest); err == nil {
				name, _ = strconv.Unquote(name)
				if g := t.group(name, ""); g != nil {
					t.resGroup[core.Key(e.Subject)] = g
				}
			}
		}
	case e.Decision != nil && e.Decision.To != "":
		// manual moves and moves of a stopping Cluster service
		t.moved(e, MarkMove, mark)
	}
}

func (t *timeline) forget(g *groupTrack) {
	key := core.Key(g.name)
	gs := t.named[key]
	for i, x := range gs {
		if x == g {
			t.named[key] = append(gs[:i:i], gs[i+1:]...)
			break
		}
	}
	if len(t.named[key]) == 0 {
		delete(t.named, key)
	}
	delete(t.groups, groupKey(g.cluster, g.name))
}

// moved applies a decision that sends a group to Decision.To and marks it.
func (t *timeline) moved(e core.Event, kind string, mark bool) {
	d := e.Decision
	g := t.group(e.Subject, d.From)
	if g == nil {
		return
	}
	from := t.laneOf(g.owner)
	t.setOwner(g, d.To, e.At)
	if mark {
		t.mark(Mark{Kind: kind, Lane: from, To: t.laneOf(d.To), Reason: d.Reason}, e)
	}
}

// stateEvent: node states, group states (which name the owner) and
// resource failures.
func (t *timeline) stateEvent(e core.Event, mark bool) {
	text := e.Text
	switch {
	case strings.HasPrefix(text, "node "+e.Subject+" is "):
		// "node N is STATE (why)" (mscs)
		i := t.laneOf(e.Subject)
		if i < 0 {
			i = t.join("", e.Subject, e.At)
		}
		t.setNodeState(i, e.State, e.At)
	case strings.HasPrefix(text, "group "+strconv.Quote(e.Subject)+" is "):
		// `group "G" is STATE on N` (mscs groupChanged)
		if k := strings.LastIndex(text, " on "); k >= 0 {
			owner := text[k+len(" on "):]
			if g := t.group(e.Subject, owner); g != nil {
				t.setOwner(g, owner, e.At)
			}
		}
	case e.State == "Failed" && strings.HasPrefix(text, "resource "+strconv.Quote(e.Subject)+" is Failed"):
		if mark {
			lane := -1
			if g := t.resGroup[core.Key(e.Subject)]; g != nil {
				lane = t.laneOf(g.owner)
			}
			t.mark(Mark{Kind: MarkFault, Lane: lane, To: -1}, e)
		}
	}
}

// decision: the Cluster service's automatic decisions about groups.
func (t *timeline) decision(e core.Event, mark bool) {
	q := "group " + strconv.Quote(e.Subject)
	text := e.Text
	d := e.Decision
	switch {
	case d != nil && d.To != "" && strings.HasPrefix(text, q+" fails over from "):
		t.moved(e, MarkFailover, mark)
	case d != nil && d.To != "" && strings.HasPrefix(text, q+" fails back from "):
		t.moved(e, MarkFailback, mark)
	case d != nil && d.To != "" && strings.HasPrefix(text, q+" goes to "):
		t.moved(e, MarkPlace, mark)
	case d != nil && strings.HasPrefix(text, q+" is left Failed"):
		if g := t.group(e.Subject, d.From); g != nil && mark {
			t.mark(Mark{Kind: MarkFailed, Lane: t.laneOf(g.owner), To: -1, Reason: d.Reason}, e)
		}
	case strings.HasPrefix(text, q+" moves from "):
		// `group "G" moves from A to B and stays S (...)` (mscs handOver)
		rest := strings.TrimPrefix(text, q+" moves from ")
		fromNode, rest, _ := strings.Cut(rest, " to ")
		toNode, _, _ := strings.Cut(rest, " ")
		t.handOver(t.group(e.Subject, fromNode), toNode, e, mark)
	case e.Kind == core.KindWarning && strings.HasPrefix(text, q+" cannot come online on "):
		// `group "G" cannot come online on N (...) and stays Offline`: the
		// stopping Cluster service hands it to N all the same (mscs StopClusterService)
		node, _, _ := strings.Cut(strings.TrimPrefix(text, q+" cannot come online on "), " ")
		t.handOver(t.group(e.Subject, ""), node, e, mark)
	}
}

// handOver gives group g (nil: a group not tracked) to node and marks the
// hand-over.
func (t *timeline) handOver(g *groupTrack, node string, e core.Event, mark bool) {
	if g == nil {
		return
	}
	from := t.laneOf(g.owner)
	t.setOwner(g, node, e.At)
	if mark {
		t.mark(Mark{Kind: MarkHandover, Lane: from, To: t.laneOf(node)}, e)
	}
}

// worldEvent: faults and repairs of servers, adapters and disks
// (core faults.go).
func (t *timeline) worldEvent(e core.Event) {
	text := e.Text
	server := ""
	kind := ""
	switch {
	case strings.HasPrefix(text, "server "+e.Subject+" crashed"),
		strings.HasPrefix(text, "server "+e.Subject+" went down"),
		strings.HasPrefix(text, "server "+e.Subject+" lost its system disk"):
		server, kind = e.Subject, MarkFault
	case text == "server "+e.Subject+" booted":
		server, kind = e.Subject, MarkRecovery
	case strings.HasPrefix(text, "adapter ") && strings.HasSuffix(text, " of "+e.Subject+" failed"):
		server, kind = e.Subject, MarkFault
	case strings.HasPrefix(text, "adapter ") && strings.HasSuffix(text, " of "+e.Subject+" repaired"):
		server, kind = e.Subject, MarkRecovery
	case text == "disk "+e.Subject+" failed":
		kind = MarkFault
	case text == "disk "+e.Subject+" repaired":
		kind = MarkRecovery
	default:
		return
	}
	lane := -1
	if server != "" {
		lane = t.laneOf(server)
	}
	t.mark(Mark{Kind: kind, Lane: lane, To: -1}, e)
}

// finish closes every open span at the end of the run, adds lanes for
// nodes the log never introduced, and compares with the final world.
func (t *timeline) finish(w *sim.World) {
	for i, l := range t.lanes {
		if s, ok := t.state[i]; ok {
			s.Open = true
			t.closeSpan(i, s, t.to)
		}
		if l.To < 0 {
			l.To = t.to
		}
		l.From = max(l.From, t.from)
	}
	for _, key := range core.SortedKeys(t.groups) {
		g := t.groups[key]
		if i := t.laneOf(g.owner); i >= 0 {
			n := len(t.lanes[i].Groups)
			t.closeOwned(g, t.to)
			if len(t.lanes[i].Groups) > n {
				t.lanes[i].Groups[n].Open = true
			}
		}
	}
	for _, c := range w.MSCS.Clusters {
		for _, n := range c.Nodes {
			i := t.laneOf(n.Name)
			if i < 0 || !strings.EqualFold(t.lanes[i].Cluster, c.Name) {
				t.problems = append(t.problems, fmt.Sprintf("node %s of cluster %s has no lane: the log never said it joined", n.Name, c.Name))
				continue
			}
			l := t.lanes[i]
			last := ""
			if len(l.States) > 0 {
				last = l.States[len(l.States)-1].State
			}
			if last != n.State {
				t.problems = append(t.problems, fmt.Sprintf("node %s ends %s on the timeline but is %s in the world", n.Name, orNone(last), n.State))
			}
		}
		for _, g := range c.Groups {
			track := t.groups[groupKey(c.Name, g.Name)]
			switch {
			case track == nil:
				t.problems = append(t.problems, fmt.Sprintf("group %q of cluster %s was never seen created", g.Name, c.Name))
			case !strings.EqualFold(track.owner, g.Owner):
				t.problems = append(t.problems, fmt.Sprintf("group %q ends on %s on the timeline but on %s in the world", g.Name, orNone(track.owner), orNone(g.Owner)))
			}
		}
	}
	for i := range t.lanes {
		l := t.lanes[i]
		if l.Cluster == "" {
			t.problems = append(t.problems, fmt.Sprintf("node %s has states in the log but no cluster", l.Node))
		}
	}
	// Lanes that ended before the run began are not drawn.
	keep := make([]int, len(t.lanes))
	var lanes []*Lane
	for i, l := range t.lanes {
		keep[i] = len(lanes)
		if l.To < t.from {
			keep[i] = -1
			continue
		}
		lanes = append(lanes, l)
	}
	for i := range t.marks {
		m := &t.marks[i]
		if m.Lane >= 0 {
			m.Lane = keep[m.Lane]
		}
		if m.To >= 0 {
			m.To = keep[m.To]
		}
	}
	t.lanes = lanes
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
