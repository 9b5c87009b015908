@echo off
rem Exported by clusterscript (export to cluster.exe) from runbooks/drills/nlb_weights_affinity.star.
rem Runbook: Drill: NLB load weights and affinities side by side
rem The configuration changes of the rehearsal, in order, under its procedures and steps.
rem Faults, repairs, clock moves, checks, lookups and client traffic are not exported;
rem "prerequisite" lines are made before this script runs (servers, addresses, disks).
rem nlb.exe control commands reach a host remotely only with remote control enabled in NLB Manager;
rem set NLB_PASSWORD to the remote control password, or run them on the host with /local.
rem prerequisite: domain "corp.example.com" netbios="CORP"
rem prerequisite: install_server "OWA1" edition="standard" version="2003" adapters=[Public, Private]
rem prerequisite: configure_tcpip "OWA1" adapter="Public" ip="10.0.0.21" mask="255.255.255.0" gateway="" extra_ips=[10.0.0.100] role="mixed"
rem prerequisite: configure_tcpip "OWA1" adapter="Private" ip="192.168.2.21" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
rem prerequisite: join_domain "OWA1" domain="corp.example.com"
rem prerequisite: install_component "OWA1" component="ASP.NET"
rem prerequisite: install_server "OWA2" edition="standard" version="2003" adapters=[Public, Private]
rem prerequisite: configure_tcpip "OWA2" adapter="Public" ip="10.0.0.22" mask="255.255.255.0" gateway="" extra_ips=[10.0.0.100] role="mixed"
rem prerequisite: configure_tcpip "OWA2" adapter="Private" ip="192.168.2.22" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
rem prerequisite: join_domain "OWA2" domain="corp.example.com"
rem prerequisite: install_component "OWA2" component="ASP.NET"
rem prerequisite: install_server "OWA3" edition="standard" version="2003" adapters=[Public, Private]
rem prerequisite: configure_tcpip "OWA3" adapter="Public" ip="10.0.0.23" mask="255.255.255.0" gateway="" extra_ips=[10.0.0.100] role="mixed"
rem prerequisite: configure_tcpip "OWA3" adapter="Private" ip="192.168.2.23" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
rem prerequisite: join_domain "OWA3" domain="corp.example.com"
rem prerequisite: install_component "OWA3" component="ASP.NET"
rem NLB Manager, Cluster, New: cluster IP 10.0.0.100, subnet mask 255.255.255.0, full Internet name owa.corp.example.com,
rem cluster operation mode unicast; the port rules start with the default rule (0-65535, both, multiple host, single affinity).
rem NLB Manager, Cluster owa.corp.example.com, Add Host: OWA1, interface Public, priority (unique host identifier) 1,
rem dedicated IP 10.0.0.21 mask 255.255.255.0, default state started.
rem NLB Manager, Cluster owa.corp.example.com, Add Host: OWA2, interface Public, priority (unique host identifier) 2,
rem dedicated IP 10.0.0.22 mask 255.255.255.0, default state started.
rem NLB Manager, Cluster owa.corp.example.com, Add Host: OWA3, interface Public, priority (unique host identifier) 3,
rem dedicated IP 10.0.0.23 mask 255.255.255.0, default state started.
rem NLB Manager, Cluster owa.corp.example.com, Cluster Properties, Port Rules: remove the rule for cluster IP all, ports 0 to 65535, protocol both.

rem Procedure: Compare load weights and affinities
rem Step 1. One rule per variant: equal load, weighted load, affinity none, affinity network
rem NLB Manager, Cluster owa.corp.example.com, Cluster Properties, Port Rules, Add: cluster IP all, ports 8001 to 8001, protocol tcp,
rem filtering mode multiple, affinity single.
rem NLB Manager, Cluster owa.corp.example.com, Cluster Properties, Port Rules, Add: cluster IP all, ports 8002 to 8002, protocol tcp,
rem filtering mode multiple, affinity single, load weight of OWA1 60, load weight of OWA2 30, load weight of OWA3 10.
rem NLB Manager, Cluster owa.corp.example.com, Cluster Properties, Port Rules, Add: cluster IP all, ports 8003 to 8003, protocol tcp,
rem filtering mode multiple, affinity none.
rem NLB Manager, Cluster owa.corp.example.com, Cluster Properties, Port Rules, Add: cluster IP all, ports 8004 to 8004, protocol tcp,
rem filtering mode multiple, affinity network.
rem Step 5. A single-host rule with handling priorities, and a disabled rule
rem NLB Manager, Cluster owa.corp.example.com, Cluster Properties, Port Rules, Add: cluster IP all, ports 25 to 25, protocol tcp,
rem filtering mode single, handling priority of OWA1 2, handling priority of OWA2 3, handling priority of OWA3 1.
rem NLB Manager, Cluster owa.corp.example.com, Cluster Properties, Port Rules, Add: cluster IP all, ports 135 to 139, protocol both,
rem filtering mode disabled.
nlb stop 10.0.0.100:3 /passw %NLB_PASSWORD%
rem (host OWA3)
