@echo off
rem Exported by clusterscript (export to cluster.exe) from runbooks/drills/partition.star.
rem Runbook: Drill: a network partition
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
rem prerequisite: shared_disk "Quorum" kind="basic" fs="NTFS" letter="Q:" signature="7D809930" servers=[NODE1, NODE2, NODE3]
rem prerequisite: shared_disk "Data1" kind="basic" fs="NTFS" letter="R:" signature="A2D5FB1C" servers=[NODE1, NODE2, NODE3]
cluster /cluster:EXCLUSTER /create /ipaddress:10.0.0.100,255.255.255.0,Public /user:CORP\clussvc /password:%CLUSTER_PASSWORD% /node:NODE1 /minimum /unattended
cluster /cluster:EXCLUSTER resource "Disk Q:" /create /group:"Cluster Group" /type:"Physical Disk"
cluster /cluster:EXCLUSTER resource "Disk Q:" /priv Signature=2105579824
rem disk Quorum, drive Q:, signature 7D809930
cluster /cluster:EXCLUSTER resource "Disk Q:" /online
cluster /cluster:EXCLUSTER /quorumresource:"Disk Q:" /path:Q:\MSCS\
cluster /cluster:EXCLUSTER /add:NODE2 /password:%CLUSTER_PASSWORD% /minimum /unattended
cluster /cluster:EXCLUSTER /add:NODE3 /password:%CLUSTER_PASSWORD% /minimum /unattended
cluster /cluster:EXCLUSTER group Reports /create
cluster /cluster:EXCLUSTER group Reports /setowners:NODE3,NODE1
cluster /cluster:EXCLUSTER resource "Reports IP" /create /group:Reports /type:"IP Address"
cluster /cluster:EXCLUSTER resource "Reports IP" /priv Address=10.0.0.130 Network=Public SubnetMask=255.255.255.0
cluster /cluster:EXCLUSTER resource "Reports Name" /create /group:Reports /type:"Network Name"
cluster /cluster:EXCLUSTER resource "Reports Name" /priv Name=REPORTS
cluster /cluster:EXCLUSTER resource "Reports Name" /adddep:"Reports IP"
cluster /cluster:EXCLUSTER group Reports /online
