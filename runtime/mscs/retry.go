package mscs

import (
	"slices"

	"clusterscript/runtime/core"
)

// Two things the Cluster service keeps retrying on its own, long after
// settle() has stopped waiting:
//
//   - The Cluster service of a disk-quorum cluster that lost its quorum
//     stops on every node, and the Service Control Manager starts it again
//     every minute. Each start tries to join a running cluster or, finding
//     none, to form one by arbitrating for the quorum disk (reference/
//     mscs.md §2.2, §2.13). One timer per cluster holds the next start.
//   - A resource left Failed is tried online once more after its
//     RetryPeriodOnFailure, on whatever node then owns its group (§2.7),
//     and again after another period each time that fails.
//
// settle() waits only for work that will come to something: a restart of
// the Cluster service that can join or form the cluster (after the quorum
// disk is repaired, say) is a settling timer, one that cannot succeed
// until an administrator acts is not, and neither is RetryPeriodOnFailure
// (SPEC §3).

// Timer kinds of the retries.
const (
	timerServiceRetry = "cluster.service-retry" // stopped Cluster services start again; they cannot form the cluster yet
	timerServiceForm  = "cluster.service-form"  // stopped Cluster services start again and can join or form the cluster
	timerRetryFailed  = "cluster.retry-failed"  // RetryPeriodOnFailure: a resource left Failed is tried once more
)

// ServiceRetryInterval is how often the Service Control Manager starts a
// Cluster service that stopped for want of quorum.
const ServiceRetryInterval = core.Minute

// ---- The Cluster service starting again every minute ----

// stopForQuorum stops the Cluster service of a node that cannot form the
// cluster on its quorum disk: the node is Down and retries every minute.
func (e *Engine) stopForQuorum(c *Cluster, n *Node, why string) {
	e.touchNode(n)
	n.State, n.Retrying = NodeDown, true
	e.Emit(core.KindState, n.Name, NodeDown, "node %s is %s (it cannot form cluster %s: %s; its Cluster service stops and starts again every minute)", n.Name, NodeDown, c.Name, why)
	e.rearmServiceRetry(c)
}

// retryingNodes lists the nodes whose Cluster service starts again at the
// next retry, in the order of the Cluster Group's node list: the first of
// them that can arbitrate for the quorum disk forms the cluster.
func (e *Engine) retryingNodes(c *Cluster) []*Node {
	var out []*Node
	for _, name := range c.groupList(c.groups[core.Key("Cluster Group")]) {
		if n := c.nodes[core.Key(name)]; n.Retrying {
			out = append(out, n)
		}
	}
	return out
}

// serviceRetryReady reports whether starting the Cluster service on nodes
// would come to something: joining the running cluster, or forming it.
// When it would not, it says why, for the first of them.
func (e *Engine) serviceRetryReady(c *Cluster, nodes []*Node) (bool, string) {
	if c.running() {
		return true, ""
	}
	why := ""
	for _, n := range nodes {
		ok, reason := e.canForm(c, n)
		if ok {
			return true, ""
		}
		if why == "" {
			why = reason
		}
	}
	return false, why
}

// rearmServiceRetry keeps the cluster's one timer for the next start of its
// stopped Cluster services: at the instant already planned (every minute
// since they stopped) or a minute from now, of the kind settle() waits for
// only when that start can join or form the cluster; none when no node is
// retrying. Call it whenever that answer may have changed.
func (e *Engine) rearmServiceRetry(c *Cluster) {
	at, reported := e.Clock+ServiceRetryInterval, ""
	e.CancelTimersWhere(func(t *core.Timer) bool {
		if (t.Kind == timerServiceRetry || t.Kind == timerServiceForm) && t.Subject == c.Name {
			at, reported = t.At, t.Arg
			return true
		}
		return false
	})
	nodes := e.retryingNodes(c)
	if len(nodes) == 0 {
		return
	}
	kind := timerServiceRetry
	if ok, _ := e.serviceRetryReady(c, nodes); ok {
		kind = timerServiceForm
	}
	e.Schedule(at-e.Clock, kind, c.Name, reported, 0)
}

// serviceRetry starts the stopped Cluster services again. When they can
// neither join nor form the cluster they stop again, and the event log says
// so once for each new reason (reported is the last one given) rather than
// every minute.
func (e *Engine) serviceRetry(c *Cluster, reported string) {
	nodes := e.retryingNodes(c)
	if len(nodes) == 0 {
		return
	}
	ok, why := e.serviceRetryReady(c, nodes)
	if !ok {
		if why != reported {
			e.Emit(core.KindFailover, c.Name, "", "the Cluster service on %s starts again but cannot form cluster %s: %s; the Service Control Manager starts it again every minute", nodeNames(nodes), c.Name, why)
		}
		e.Schedule(ServiceRetryInterval, timerServiceRetry, c.Name, why, 0)
		return
	}
	if !c.running() {
		// The first node that can arbitrate for the quorum disk starts
		// first and forms the cluster; the others join it.
		slices.SortStableFunc(nodes, func(a, b *Node) int {
			okA, _ := e.canForm(c, a)
			okB, _ := e.canForm(c, b)
			switch {
			case okA && !okB:
				return -1
			case okB && !okA:
				return 1
			}
			return 0
		})
	}
	for _, n := range nodes {
		e.startJoin(c, n, "the Service Control Manager started the Cluster service again")
	}
}

// stopRetrying is stop_cluster_service on a node whose Cluster service is
// stopped but started again every minute: it stays stopped.
func (e *Engine) stopRetrying(c *Cluster, n *Node) {
	e.touchNode(n)
	n.Retrying = false
	e.Emit(core.KindCluster, n.Name, "", "the Cluster service on %s is stopped and no longer started again every minute", n.Name)
	e.rearmServiceRetry(c)
}

// ---- RetryPeriodOnFailure ----

// scheduleRetries leaves resources Failed until their retry period has
// passed, then the Cluster service tries each once more. Resources whose
// policy is "Do not restart" are left alone.
func (e *Engine) scheduleRetries(c *Cluster, rs []*Resource) {
	var periods []int // in the order they first come, resources by name
	due := map[int][]string{}
	for _, r := range byName(rs) {
		if r.State != Failed || !r.Restart {
			continue
		}
		p := r.RetryPeriodOnFailure()
		if due[p] == nil {
			periods = append(periods, p)
		}
		due[p] = append(due[p], r.Name)
		subject := c.Name + "/" + r.Name
		e.CancelTimers(timerRetryFailed, subject)
		e.Schedule(int64(p)*core.Second, timerRetryFailed, subject, "", 0)
	}
	for _, p := range periods {
		d := int64(p) * core.Second
		when, names := core.FormatClock(e.Clock+d), due[p]
		if len(names) == 1 {
			e.Emit(core.KindFailover, names[0], "", "resource %q stays Failed; the Cluster service tries it online again at %s, after its retry period of %s", names[0], when, core.FormatDuration(d))
			continue
		}
		e.Emit(core.KindFailover, c.resources[core.Key(names[0])].group.Name, "", "resources %s stay Failed; the Cluster service tries them online again at %s, after their retry period of %s", quoteList(names), when, core.FormatDuration(d))
	}
}

// retryFailed is the attempt RetryPeriodOnFailure makes: the resource and
// what it depends on come online on its group's owner, with the resources
// depending on it that should run. When it cannot, it stays Failed until
// another period has passed.
func (e *Engine) retryFailed(c *Cluster, r *Resource) {
	if !c.running() || r.State != Failed {
		return
	}
	g := r.group
	period := core.FormatDuration(int64(r.RetryPeriodOnFailure()) * core.Second)
	for _, x := range c.closure([]*Resource{r}) {
		if x.State == Online {
			continue
		}
		if err := e.canRun(c, x, g.Owner); err != nil {
			e.Emit(core.KindFailover, r.Name, "", "resource %q: the retry after its retry period of %s fails on %s: %v", r.Name, period, g.Owner, err)
			e.scheduleRetries(c, []*Resource{r})
			return
		}
	}
	e.Emit(core.KindFailover, r.Name, "", "resource %q: its retry period of %s has passed; the Cluster service tries it online again on %s", r.Name, period, g.Owner)
	restore := []*Resource{r}
	for _, d := range c.allDependents(r) {
		if d.Persistent {
			restore = append(restore, d)
		}
	}
	e.onlineRunnable(c, g, restore, "retried after its retry period")
}

// cancelRetry drops the pending retry of a resource that is no longer
// Failed: a later failure starts a new period.
func (e *Engine) cancelRetry(r *Resource) {
	if s := e.LookupServer(r.group.Owner); s != nil {
		if c := e.clusters[core.Key(s.Cluster)]; c != nil {
			e.CancelTimers(timerRetryFailed, c.Name+"/"+r.Name)
		}
	}
}

// ---- Policy ----

// MaxRetryPeriod is the longest RetryPeriodOnFailure, in seconds: the
// property is a DWORD of milliseconds, and 0xFFFFFFFF means "never".
const MaxRetryPeriod = 0xFFFFFFFE / 1000

// CheckRetryPeriod validates a RetryPeriodOnFailure of retry seconds for a
// restart period of period seconds: Windows wants it no shorter than the
// restart period.
func CheckRetryPeriod(retry, period int) error {
	switch {
	case retry < 1 || retry > MaxRetryPeriod:
		return core.Errf(core.ErrInvalid, "retry period %d is out of range; it is %d to %d seconds", retry, max(period, 1), MaxRetryPeriod)
	case retry < period:
		return core.Errf(core.ErrInvalid, "retry period %d s is shorter than the restart period of %d s; RetryPeriodOnFailure must be at least RestartPeriod — give retry_period=%d or more", retry, period, period)
	}
	return nil
}

// defaultRetryPeriod is the retry period a policy that names none gets:
// the Windows default, or the restart period when that is longer.
func defaultRetryPeriod(period int) int { return max(DefaultRetryPeriod, period) }
