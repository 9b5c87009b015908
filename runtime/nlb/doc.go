// Package nlb simulates Windows Server 2003 Network Load Balancing on the
// servers and adapters of the core world: clusters in unicast, multicast
// or IGMP mode, hosts, port rules with 60-bucket filtering, TCP connection
// tracking, and membership and convergence on the virtual clock.
package nlb
