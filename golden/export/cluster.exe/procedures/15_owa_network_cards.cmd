@echo off
rem Exported by clusterscript (export to cluster.exe) from runbooks/procedures/15_owa_network_cards.star.
rem Runbook: Configure the network cards of the OWA front ends
rem The configuration changes of the rehearsal, in order, under its procedures and steps.
rem Faults, repairs, clock moves, checks, lookups and client traffic are not exported;
rem "prerequisite" lines are made before this script runs (servers, addresses, disks).
rem prerequisite: domain "corp.example.com" netbios="CORP"
rem prerequisite: install_server "OWA1" edition="standard" version="2003" adapters=[Public, Private]
rem prerequisite: install_server "OWA2" edition="standard" version="2003" adapters=[Public, Private]

rem Procedure: How to configure the network cards for the OWA servers
rem Step 4. Bind the dedicated address and the cluster address to the card of each node.
rem prerequisite: configure_tcpip "OWA1" adapter="Public" ip="10.0.0.21" mask="255.255.255.0" gateway="" extra_ips=[10.0.0.200] role="mixed"
rem prerequisite: configure_tcpip "OWA1" adapter="Private" ip="192.168.2.21" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
rem prerequisite: join_domain "OWA1" domain="corp.example.com"
rem prerequisite: configure_tcpip "OWA2" adapter="Public" ip="10.0.0.22" mask="255.255.255.0" gateway="" extra_ips=[10.0.0.200] role="mixed"
rem prerequisite: configure_tcpip "OWA2" adapter="Private" ip="192.168.2.22" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
rem prerequisite: join_domain "OWA2" domain="corp.example.com"
