package mscs

import (
	"fmt"
	"strings"

	"clusterscript/runtime/core"
)

// requireQuorum refuses a change to a cluster's configuration while the
// cluster has no quorum. The cluster database is written only by a cluster
// that has quorum (a majority node set commits a change once a majority of
// the nodes hold it; a disk cluster logs it on the quorum disk), so without
// one nothing can be added, removed or changed. change says what was asked,
// e.g. `add node NODE4`; the error says what brings quorum back.
func (e *Engine) requireQuorum(c *Cluster, change string) error {
	if c.running() {
		return nil
	}
	why, fix := e.quorumRemedy(c)
	return core.Errf(core.ErrState, "cannot %s: cluster %s has no quorum (%s), and without quorum its configuration cannot change; %s", change, c.Name, why, fix)
}

// quorumRemedy explains why a stopped cluster has no quorum and what brings
// it back, by quorum model.
func (e *Engine) quorumRemedy(c *Cluster) (why, fix string) {
	var joining []string
	forms := false
	for _, n := range c.Nodes {
		if n.State == NodeJoining && e.LookupServer(n.Name).Running {
			joining = append(joining, n.Name)
			ok, _ := e.canForm(c, n)
			forms = forms || ok
		}
	}
	if forms {
		// A node's join is under way and will form the cluster.
		return fmt.Sprintf("it is forming again: %s %s joining", andList(joining), plural(len(joining), "is", "are")),
			"wait until it has formed (settle())"
	}
	if c.countsVotes() {
		var idle []string
		for _, n := range c.Nodes {
			if !e.joiner(n) && c.NodeVote(n) > 0 {
				idle = append(idle, n.Name)
			}
		}
		reach := e.witnessReachable(c, e.joiner)
		have, total := c.tally(e.joiner, reach)
		why = fmt.Sprintf("its running nodes hold %s and need more than half", votesText(have, total))
		fix = "start the Cluster service on nodes with a vote"
		if len(idle) > 0 {
			fix += " (" + orList(sorted(idle)) + "; boot a server that is down first)"
		}
		if c.hasWitness() && !reach {
			fix += ", bring the witness back"
		}
		return why, fix + ", or force quorum on one node (start_cluster_service(node, force_quorum=True))"
	}
	switch c.QuorumModel {
	case QuorumMajority:
		var idle []string
		votes := 0
		for _, n := range c.Nodes {
			if n.State != NodeDown && e.LookupServer(n.Name).Running {
				votes++
			} else {
				idle = append(idle, n.Name)
			}
		}
		more := max(c.majority()-votes, 1)
		why = fmt.Sprintf("%d of %d nodes run the Cluster service and its majority node set needs %d", votes, len(c.Nodes), c.majority())
		fix = fmt.Sprintf("start the Cluster service on %d more %s (%s; boot a server that is down first)", more, plural(more, "node", "nodes"), orList(sorted(idle)))
		return why, fix
	case QuorumLocal:
		n := c.Nodes[0].Name
		return fmt.Sprintf("its only node %s does not run the Cluster service", n),
			fmt.Sprintf("start the Cluster service on %s (boot its server first if it is down)", n)
	}
	d := e.LookupDisk(c.resources[core.Key(c.Quorum)].Params["disk"])
	if d.Failed {
		return fmt.Sprintf("its quorum disk %s (%s) has failed", d.Label, d.Letter),
			fmt.Sprintf("repair the quorum disk with repair_disk(%q); the cluster forms again once a node can arbitrate for it", d.Label)
	}
	var seers []string
	for _, name := range c.NodeNames() {
		if d.Sees(name) {
			seers = append(seers, name)
		}
	}
	return fmt.Sprintf("no node running the Cluster service holds its quorum disk %s (%s)", d.Label, d.Letter),
		fmt.Sprintf("start the Cluster service on a node that sees the quorum disk (%s)", orList(seers))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// orList joins names as "A", "A or B", "A, B or C"; andList with "and".
func orList(names []string) string { return joinLast(names, " or ") }

func andList(names []string) string { return joinLast(names, " and ") }

func joinLast(names []string, last string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + last + names[len(names)-1]
}
