@echo off
rem Exported by clusterscript (export to cluster.exe) from runbooks/drills/majority_quorum.star.
rem Runbook: Drill: majority node set quorum loss and recovery
rem The configuration changes of the rehearsal, in order, under its procedures and steps.
rem Faults, repairs, clock moves, checks, lookups and client traffic are not exported;
rem "prerequisite" lines are made before this script runs (servers, addresses, disks).
rem Set CLUSTER_PASSWORD to the Cluster service account's password first: set CLUSTER_PASSWORD=...
rem prerequisite: domain "corp.example.com" netbios="CORP"
rem prerequisite: create_user "CORP\clussvc" groups=[Domain Users]
rem prerequisite: create_user "CORP\exadmin" groups=[Domain Admins, Domain Users, Exchange Admins]
rem prerequisite: install_server "NODE1" edition="enterprise" version="2003" adapters=[Public, Private]
rem prerequisite: configure_tcpip "NODE1" adapter="Public" ip="10.0.0.11" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
rem prerequisite: configure_tcpip "NODE1" adapter="Private" ip="192.168.1.11" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
rem prerequisite: join_domain "NODE1" domain="corp.example.com"
rem prerequisite: install_server "NODE2" edition="enterprise" version="2003" adapters=[Public, Private]
rem prerequisite: configure_tcpip "NODE2" adapter="Public" ip="10.0.0.12" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
rem prerequisite: configure_tcpip "NODE2" adapter="Private" ip="192.168.1.12" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
rem prerequisite: join_domain "NODE2" domain="corp.example.com"
rem prerequisite: install_server "NODE3" edition="enterprise" version="2003" adapters=[Public, Private]
rem prerequisite: configure_tcpip "NODE3" adapter="Public" ip="10.0.0.13" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
rem prerequisite: configure_tcpip "NODE3" adapter="Private" ip="192.168.1.13" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
rem prerequisite: join_domain "NODE3" domain="corp.example.com"
rem prerequisite: install_server "NODE4" edition="enterprise" version="2003" adapters=[Public, Private]
rem prerequisite: configure_tcpip "NODE4" adapter="Public" ip="10.0.0.14" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
rem prerequisite: configure_tcpip "NODE4" adapter="Private" ip="192.168.1.14" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
rem prerequisite: join_domain "NODE4" domain="corp.example.com"
rem prerequisite: install_server "NODE5" edition="enterprise" version="2003" adapters=[Public, Private]
rem prerequisite: configure_tcpip "NODE5" adapter="Public" ip="10.0.0.15" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
rem prerequisite: configure_tcpip "NODE5" adapter="Private" ip="192.168.1.15" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
rem prerequisite: join_domain "NODE5" domain="corp.example.com"
rem prerequisite: shared_disk "Quorum" kind="basic" fs="NTFS" letter="Q:" signature="7D809930" servers=[NODE1, NODE2, NODE3, NODE4, NODE5]
rem prerequisite: shared_disk "Data1" kind="basic" fs="NTFS" letter="R:" signature="A2D5FB1C" servers=[NODE1, NODE2, NODE3, NODE4, NODE5]
cluster /cluster:MNSCLUSTER /create /ipaddress:10.0.0.100,255.255.255.0,Public /user:CORP\clussvc /password:%CLUSTER_PASSWORD% /node:NODE1 /minimum /unattended
cluster /cluster:MNSCLUSTER resource "Majority Node Set" /create /group:"Cluster Group" /type:"Majority Node Set"
cluster /cluster:MNSCLUSTER resource "Majority Node Set" /online
cluster /cluster:MNSCLUSTER /quorumresource:"Majority Node Set"
cluster /cluster:MNSCLUSTER /add:NODE2 /password:%CLUSTER_PASSWORD% /minimum /unattended
cluster /cluster:MNSCLUSTER /add:NODE3 /password:%CLUSTER_PASSWORD% /minimum /unattended
cluster /cluster:MNSCLUSTER /add:NODE4 /password:%CLUSTER_PASSWORD% /minimum /unattended
cluster /cluster:MNSCLUSTER /add:NODE5 /password:%CLUSTER_PASSWORD% /minimum /unattended
cluster /cluster:MNSCLUSTER group App /create
cluster /cluster:MNSCLUSTER group App /setowners:NODE5,NODE4
cluster /cluster:MNSCLUSTER resource "App Service" /create /group:App /type:"Generic Service"
cluster /cluster:MNSCLUSTER resource "App Service" /priv ServiceName=AppSvc
cluster /cluster:MNSCLUSTER group App /online
