@echo off
rem Exported by clusterscript (export to cluster.exe) from runbooks/drills/nlb_owa_farm.star.
rem Runbook: Drill: an OWA front-end farm on NLB
rem The configuration changes of the rehearsal, in order, under its procedures and steps.
rem Faults, repairs, clock moves, checks, lookups and client traffic are not exported;
rem "prerequisite" lines are made before this script runs (servers, addresses, disks).
rem nlb.exe control commands reach a host remotely only with remote control enabled in NLB Manager;
rem set NLB_PASSWORD to the remote control password, or run them on the host with /local.

rem Procedure: Create the NLB cluster for the OWA front-ends
rem Step 1. Install three front-end servers; bind the cluster IP on each Public adapter
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
rem Step 2. Create the cluster in unicast mode with its full Internet name
rem NLB Manager, Cluster, New: cluster IP 10.0.0.100, subnet mask 255.255.255.0, full Internet name owa.corp.example.com,
rem cluster operation mode unicast; the port rules start with the default rule (0-65535, both, multiple host, single affinity).
rem Step 3. Add each front-end as a host with a unique priority and its dedicated IP
rem NLB Manager, Cluster owa.corp.example.com, Add Host: OWA1, interface Public, priority (unique host identifier) 1,
rem dedicated IP 10.0.0.21 mask 255.255.255.0, default state started.
rem NLB Manager, Cluster owa.corp.example.com, Add Host: OWA2, interface Public, priority (unique host identifier) 2,
rem dedicated IP 10.0.0.22 mask 255.255.255.0, default state started.
rem NLB Manager, Cluster owa.corp.example.com, Add Host: OWA3, interface Public, priority (unique host identifier) 3,
rem dedicated IP 10.0.0.23 mask 255.255.255.0, default state started.
rem prerequisite: install_server "OWA4" edition="standard" version="2003" adapters=[Public, Private]
rem prerequisite: configure_tcpip "OWA4" adapter="Public" ip="10.0.0.24" mask="255.255.255.0" gateway="" extra_ips=[] role="mixed"
rem Step 4. Replace the default port rule: HTTP and HTTPS, TCP, single affinity for forms-based authentication

rem refused (the default rule still covers 443): nlb_port_rule: port rule 443/tcp overlaps port rule 0-65535/both of NLB cluster owa.corp.example.com (same cluster IP, a shared protocol); remove that one with nlb_remove_port_rule(nlb, 0) or choose ports outside 0–65535
rem NLB Manager, Cluster owa.corp.example.com, Cluster Properties, Port Rules: remove the rule for cluster IP all, ports 0 to 65535, protocol both.
rem NLB Manager, Cluster owa.corp.example.com, Cluster Properties, Port Rules, Add: cluster IP all, ports 80 to 80, protocol tcp,
rem filtering mode multiple, affinity single.
rem NLB Manager, Cluster owa.corp.example.com, Cluster Properties, Port Rules, Add: cluster IP all, ports 443 to 443, protocol tcp,
rem filtering mode multiple, affinity single.
