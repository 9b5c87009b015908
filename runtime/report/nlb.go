package report

import (
	"strconv"
	"strings"

	"clusterscript/runtime/core"
	"clusterscript/runtime/nlb"
	"clusterscript/runtime/sim"
)

// An NLBCluster is an NLB cluster's port rules: how the hosts shared each
// rule's buckets at every convergence of the run, and its final map.
type NLBCluster struct {
	Name  string     `json:"name"`
	Hosts []string   `json:"hosts"` // servers, in the order they were added
	Rules []*NLBRule `json:"rules"`
}

// An NLBRule is one port rule's history.
type NLBRule struct {
	Rule      string  `json:"rule"` // as the log names it: "80/tcp", "443/tcp@10.0.0.201"
	Filtering string  `json:"filtering,omitempty"`
	Shares    []Share `json:"shares"`
	// Final is the owner of each of the 60 buckets at the end, as an
	// index into Hosts, -1 for none; nil for a rule gone by the end.
	Final []int `json:"final"`
}

// A Share is the number of buckets each host took at one convergence
// (Counts is parallel to the cluster's Hosts).
type Share struct {
	At     int64  `json:"at"`
	Seq    int    `json:"seq"`
	Counts []int  `json:"counts"`
	Text   string `json:"text"`
}

func buildNLB(w *sim.World, log []core.Event, start int) []*NLBCluster {
	var out []*NLBCluster
	byName := map[string]*NLBCluster{}
	rules := map[string]map[string]*NLBRule{} // cluster → rule → history
	hostIndex := map[string]map[string]int{}
	for _, c := range w.NLB.Clusters {
		nc := &NLBCluster{Name: c.Name}
		hostIndex[c.Name] = map[string]int{}
		for _, h := range c.Hosts {
			hostIndex[c.Name][core.Key(h.Server)] = len(nc.Hosts)
			nc.Hosts = append(nc.Hosts, h.Server)
		}
		rules[c.Name] = map[string]*NLBRule{}
		for _, r := range c.Rules {
			nr := &NLBRule{Rule: r.Describe(), Filtering: r.Filtering, Final: finalMap(c, r, hostIndex[c.Name])}
			rules[c.Name][nr.Rule] = nr
			nc.Rules = append(nc.Rules, nr)
		}
		byName[c.Name] = nc
		out = append(out, nc)
	}
	for i, e := range log {
		nc := byName[e.Subject]
		if e.Kind != core.KindNLB || nc == nil {
			continue
		}
		// "C: rule R: buckets H1 30, H2 30 (new map); none for ..." and
		// "C: rule R: single host H (...)" (nlb nlbMapRule)
		rest, ok := strings.CutPrefix(e.Text, nc.Name+": rule ")
		if !ok {
			continue
		}
		rd, what, ok := strings.Cut(rest, ": ")
		if !ok {
			continue
		}
		type count struct {
			host string
			n    int
		}
		var counts []count // in the log's order
		switch {
		case strings.HasPrefix(what, "buckets "):
			list, _, _ := strings.Cut(strings.TrimPrefix(what, "buckets "), " (")
			for _, part := range strings.Split(list, ", ") {
				k := strings.LastIndexByte(part, ' ')
				if k < 0 {
					continue
				}
				if n, err := strconv.Atoi(part[k+1:]); err == nil {
					counts = append(counts, count{part[:k], n})
				}
			}
		case strings.HasPrefix(what, "single host ") && !strings.HasPrefix(what, "single host: "):
			host, _, _ := strings.Cut(strings.TrimPrefix(what, "single host "), " ")
			counts = append(counts, count{host, nlb.Buckets})
		case strings.HasPrefix(what, "no host takes"), strings.HasPrefix(what, "single host: none"):
		default:
			continue
		}
		nr := rules[nc.Name][rd]
		if nr == nil {
			nr = &NLBRule{Rule: rd}
			rules[nc.Name][rd] = nr
			nc.Rules = append(nc.Rules, nr)
		}
		s := Share{At: e.At, Seq: e.Seq, Text: e.Text}
		for _, c := range counts {
			host, n := c.host, c.n
			j, ok := hostIndex[nc.Name][core.Key(host)]
			if !ok {
				j = len(nc.Hosts)
				hostIndex[nc.Name][core.Key(host)] = j
				nc.Hosts = append(nc.Hosts, host)
			}
			for len(s.Counts) <= j {
				s.Counts = append(s.Counts, 0)
			}
			s.Counts[j] = n
		}
		if i < start {
			// The map the run started with: only the last one counts.
			nr.Shares = []Share{s}
			continue
		}
		nr.Shares = append(nr.Shares, s)
	}
	for _, nc := range out {
		for _, r := range nc.Rules {
			for k := range r.Shares {
				for len(r.Shares[k].Counts) < len(nc.Hosts) {
					r.Shares[k].Counts = append(r.Shares[k].Counts, 0)
				}
			}
		}
	}
	return out
}

// finalMap is the owner of each bucket of a rule, as host indexes.
func finalMap(c *nlb.Cluster, r *nlb.PortRule, hostIndex map[string]int) []int {
	m := make([]int, nlb.Buckets)
	for b := range m {
		m[b] = -1
	}
	prio := map[int]int{}
	for _, h := range c.Hosts {
		prio[h.Priority] = hostIndex[core.Key(h.Server)]
	}
	switch {
	case r.Filtering == "single" && len(r.Owners) == 1 && r.Owners[0] != 0:
		for b := range m {
			m[b] = prio[r.Owners[0]]
		}
	case r.Filtering == "multiple":
		for b, p := range r.Owners {
			if j, ok := prio[p]; ok && p != 0 && b < len(m) {
				m[b] = j
			}
		}
	}
	return m
}
