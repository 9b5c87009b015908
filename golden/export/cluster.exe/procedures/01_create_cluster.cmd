@echo off
rem Exported by clusterscript (export to cluster.exe) from runbooks/procedures/01_create_cluster.star.
rem Runbook: Procedure: create the cluster EXCLUSTER on NODE1
rem The configuration changes of the rehearsal, in order, under its procedures and steps.
rem Faults, repairs, clock moves, checks, lookups and client traffic are not exported;
rem "prerequisite" lines are made before this script runs (servers, addresses, disks).
rem Set CLUSTER_PASSWORD to the Cluster service account's password first: set CLUSTER_PASSWORD=...

rem Already in place: the Active Directory domain the cluster joins
rem prerequisite: domain "corp.example.com" netbios="CORP"

rem Procedure: How to create a Windows 2003 cluster
rem Step 1. Install Windows Server 2003, Enterprise Edition, on the first node
rem prerequisite: install_server "NODE1" edition="enterprise" version="2003" adapters=[Public, Private]
rem Step 2. Give each network adapter a static TCP/IP address
rem prerequisite: configure_tcpip "NODE1" adapter="Public" ip="10.0.0.11" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
rem prerequisite: configure_tcpip "NODE1" adapter="Private" ip="192.168.1.11" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
rem Step 6. Add the account the Cluster service will run as
rem prerequisite: create_user "CORP\clussvc" groups=[Domain Users]
rem Step 8. Prepare the shared disks: basic, NTFS, each with a drive letter
rem prerequisite: shared_disk "Quorum" kind="dynamic" fs="raw" letter="" signature="7D809930" servers=[NODE1]
rem prerequisite: convert_to_basic "Quorum"
rem prerequisite: format_disk "Quorum" letter="Q:" fs="NTFS"
rem prerequisite: shared_disk "Data1" kind="basic" fs="raw" letter="" signature="A2D5FB1C" servers=[NODE1]
rem prerequisite: format_disk "Data1" letter="R:" fs="NTFS"
rem Step 9. Make sure the server is a member of the domain
rem prerequisite: join_domain "NODE1" domain="corp.example.com"
rem Step 23. Let the wizard create the cluster
cluster /cluster:EXCLUSTER /create /ipaddress:10.0.0.100,255.255.255.0,Public /user:CORP\clussvc /password:%CLUSTER_PASSWORD% /node:NODE1 /minimum /unattended
cluster /cluster:EXCLUSTER resource "Disk Q:" /create /group:"Cluster Group" /type:"Physical Disk"
cluster /cluster:EXCLUSTER resource "Disk Q:" /priv Signature=2105579824
rem disk Quorum, drive Q:, signature 7D809930
cluster /cluster:EXCLUSTER resource "Disk Q:" /online
cluster /cluster:EXCLUSTER /quorumresource:"Disk Q:" /path:Q:\MSCS\
