@echo off
rem Exported by clusterscript (export to cluster.exe) from runbooks/versions/dynamic_witness_2012r2.star.
rem Runbook: Drill: Windows Server 2012 R2 dynamic witness
rem The configuration changes of the rehearsal, in order, under its procedures and steps.
rem Faults, repairs, clock moves, checks, lookups and client traffic are not exported;
rem "prerequisite" lines are made before this script runs (servers, addresses, disks).
rem Set CLUSTER_PASSWORD to the Cluster service account's password first: set CLUSTER_PASSWORD=...
rem prerequisite: domain "corp.example.com" netbios="CORP"
rem prerequisite: create_user "CORP\clussvc" groups=[Domain Users]
rem prerequisite: create_user "CORP\exadmin" groups=[Domain Admins, Domain Users, Exchange Admins]
rem prerequisite: install_server "NODE1" edition="enterprise" version="2012 R2" adapters=[Public, Private]
rem prerequisite: configure_tcpip "NODE1" adapter="Public" ip="10.0.0.11" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
rem prerequisite: configure_tcpip "NODE1" adapter="Private" ip="192.168.1.11" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
rem prerequisite: join_domain "NODE1" domain="corp.example.com"
rem prerequisite: install_server "NODE2" edition="enterprise" version="2012 R2" adapters=[Public, Private]
rem prerequisite: configure_tcpip "NODE2" adapter="Public" ip="10.0.0.12" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
rem prerequisite: configure_tcpip "NODE2" adapter="Private" ip="192.168.1.12" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
rem prerequisite: join_domain "NODE2" domain="corp.example.com"
rem prerequisite: install_server "NODE3" edition="enterprise" version="2012 R2" adapters=[Public, Private]
rem prerequisite: configure_tcpip "NODE3" adapter="Public" ip="10.0.0.13" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
rem prerequisite: configure_tcpip "NODE3" adapter="Private" ip="192.168.1.13" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
rem prerequisite: join_domain "NODE3" domain="corp.example.com"
rem prerequisite: install_server "NODE4" edition="enterprise" version="2012 R2" adapters=[Public, Private]
rem prerequisite: configure_tcpip "NODE4" adapter="Public" ip="10.0.0.14" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
rem prerequisite: configure_tcpip "NODE4" adapter="Private" ip="192.168.1.14" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
rem prerequisite: join_domain "NODE4" domain="corp.example.com"
rem prerequisite: shared_disk "Quorum" kind="basic" fs="NTFS" letter="Q:" signature="7D809930" servers=[NODE1, NODE2, NODE3, NODE4]
cluster /cluster:EXCLUSTER /create /ipaddress:10.0.0.100,255.255.255.0,Public /user:CORP\clussvc /password:%CLUSTER_PASSWORD% /node:NODE1 /minimum /unattended
cluster /cluster:EXCLUSTER resource "Disk Q:" /create /group:"Cluster Group" /type:"Physical Disk"
cluster /cluster:EXCLUSTER resource "Disk Q:" /priv Signature=2105579824
rem disk Quorum, drive Q:, signature 7D809930
cluster /cluster:EXCLUSTER resource "Disk Q:" /online
cluster /cluster:EXCLUSTER /quorum:"Disk Q:"
cluster /cluster:EXCLUSTER /add:NODE2 /password:%CLUSTER_PASSWORD% /minimum /unattended
cluster /cluster:EXCLUSTER /add:NODE3 /password:%CLUSTER_PASSWORD% /minimum /unattended
cluster /cluster:EXCLUSTER /add:NODE4 /password:%CLUSTER_PASSWORD% /minimum /unattended

rem NODE4 is shut down for maintenance
cluster /cluster:EXCLUSTER node NODE4 /stop

rem NODE3 boots and NODE4 comes back
cluster /cluster:EXCLUSTER node NODE4 /start
