package mscs

import (
	"fmt"
	"maps"
	"strings"

	"clusterscript/runtime/core"
)

// Parameters changed while a resource runs are stored at once but take
// effect the next time it comes online: Windows returns
// ERROR_RESOURCE_PROPERTIES_STORED (5024) for a resource that is Online and
// cannot apply the change immediately ([MS-CMRP] CLUSCTL_RESOURCE_SET_
// PRIVATE_PROPERTIES). Until the resource stops, Params holds what it runs
// with and PendingParams what is stored; both the running and the stored
// address, computer name or disk stay held, so nothing else can take them.

// heldParam is the parameter that names what a resource of type typ holds
// on the network or the bus, or "".
func heldParam(typ string) string {
	switch typ {
	case TypeIPAddress:
		return "address"
	case TypeNetworkName:
		return "name"
	case TypePhysicalDisk:
		return "disk"
	}
	return ""
}

// held lists what r holds: its running value and, while a change waits for
// the next online, the stored one when it differs.
func (r *Resource) held() []string { return r.appendHeld(nil) }

// appendHeld is held appending to out (indexing a big cluster passes a
// buffer on the stack).
func (r *Resource) appendHeld(out []string) []string {
	key := heldParam(r.Type)
	if key == "" {
		return out
	}
	out = append(out, r.Params[key])
	if p, ok := r.PendingParams[key]; ok && !core.SameKey(p, r.Params[key]) {
		out = append(out, p)
	}
	return out
}

// StoredParams are the parameters as the cluster database holds them: what
// the resource runs with, or what it will run with next time when a change
// made while it ran waits.
func (r *Resource) StoredParams() map[string]string {
	if r.PendingParams != nil {
		return r.PendingParams
	}
	return r.Params
}

// storeParams keeps full, the parameters set on r while it runs, for its
// next online; changed lists the parameters given, as name=value.
func (e *Engine) storeParams(c *Cluster, r *Resource, full map[string]string, changed string) {
	e.releaseResourceClaims(c, r)
	e.touchResource(r)
	r.PendingParams = full
	if maps.Equal(full, r.Params) {
		r.PendingParams = nil
	}
	e.claimResource(c, r)
	var keeps []string
	for _, k := range core.SortedKeys(full) {
		if full[k] != r.Params[k] {
			keeps = append(keeps, fmt.Sprintf("%s=%s", k, r.Params[k]))
		}
	}
	text := fmt.Sprintf("parameters of %q stored: %s; it is %s", r.Name, changed, r.State)
	if len(keeps) > 0 {
		text += fmt.Sprintf(" and keeps %s until it next comes online, when they take effect", strings.Join(keeps, ", "))
	} else {
		text += " and already runs with them"
	}
	e.EmitText(core.KindCluster, r.Name, "", text)
}

// applyStoredParams makes the parameters stored while r ran its own once r
// has stopped (Offline or Failed): the next online uses them, and what it
// ran with is released.
func (e *Engine) applyStoredParams(r *Resource) {
	if r.PendingParams == nil || r.State == Online {
		return
	}
	c := e.clusterHolding(r)
	e.releaseResourceClaims(c, r)
	e.touchResource(r)
	r.Params, r.PendingParams = r.PendingParams, nil
	e.claimResource(c, r)
	if isCoreResource(r) && r.Type == TypeIPAddress {
		// The cluster's address is its Cluster IP Address resource's.
		e.touchCluster(c)
		c.IP, c.Mask = r.Params["address"], r.Params["subnet_mask"]
	}
}

// clusterHolding finds the cluster a resource belongs to.
func (e *Engine) clusterHolding(r *Resource) *Cluster {
	for _, c := range e.Clusters {
		if c.resources[core.Key(r.Name)] == r {
			return c
		}
	}
	return nil
}
