@echo off
rem Exported by clusterscript (export to cluster.exe) from runbooks/cluster/exchange_by_hand.star.
rem Runbook: An Exchange 2003 cluster built by hand
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
rem prerequisite: shared_disk "Quorum" kind="basic" fs="NTFS" letter="Q:" signature="7D809930" servers=[NODE1, NODE2, NODE3, NODE4]
rem prerequisite: shared_disk "Data1" kind="basic" fs="NTFS" letter="R:" signature="A2D5FB1C" servers=[NODE1, NODE2, NODE3, NODE4]
rem prerequisite: shared_disk "Data2" kind="basic" fs="NTFS" letter="S:" signature="A5D5FFD5" servers=[NODE1, NODE2, NODE3, NODE4]

rem The cluster on NODE1, with the quorum on Q:
cluster /cluster:EXCLUSTER /create /ipaddress:10.0.0.100,255.255.255.0,Public /user:CORP\clussvc /password:%CLUSTER_PASSWORD% /node:NODE1 /minimum /unattended
cluster /cluster:EXCLUSTER resource "Disk Q:" /create /group:"Cluster Group" /type:"Physical Disk"
cluster /cluster:EXCLUSTER resource "Disk Q:" /priv Signature=2105579824
rem disk Quorum, drive Q:, signature 7D809930
cluster /cluster:EXCLUSTER resource "Disk Q:" /online
cluster /cluster:EXCLUSTER /quorumresource:"Disk Q:" /path:Q:\MSCS\
cluster /cluster:EXCLUSTER /add:NODE2 /password:%CLUSTER_PASSWORD% /minimum /unattended
cluster /cluster:EXCLUSTER /add:NODE3 /password:%CLUSTER_PASSWORD% /minimum /unattended
cluster /cluster:EXCLUSTER /add:NODE4 /password:%CLUSTER_PASSWORD% /minimum /unattended

rem MSDTC in the Cluster Group, on the cluster name and the quorum disk
cluster /cluster:EXCLUSTER resource MSDTC /create /group:"Cluster Group" /type:"Distributed Transaction Coordinator"
cluster /cluster:EXCLUSTER resource MSDTC /adddep:"Cluster Name"
cluster /cluster:EXCLUSTER resource MSDTC /adddep:"Disk Q:"
cluster /cluster:EXCLUSTER resource MSDTC /online

rem Exchange needs these Windows components on every node
rem prerequisite: install_component "NODE1" component="IIS"
rem prerequisite: install_component "NODE1" component="WWW"
rem prerequisite: install_component "NODE1" component="SMTP"
rem prerequisite: install_component "NODE1" component="NNTP"
rem prerequisite: install_component "NODE1" component="ASP.NET"
rem On NODE1: run Exchange Server 2003 Setup (Enterprise Edition; components messaging, system_management_tools; drive C:).
rem prerequisite: install_component "NODE2" component="IIS"
rem prerequisite: install_component "NODE2" component="WWW"
rem prerequisite: install_component "NODE2" component="SMTP"
rem prerequisite: install_component "NODE2" component="NNTP"
rem prerequisite: install_component "NODE2" component="ASP.NET"
rem On NODE2: run Exchange Server 2003 Setup (Enterprise Edition; components messaging, system_management_tools; drive C:).
rem prerequisite: install_component "NODE3" component="IIS"
rem prerequisite: install_component "NODE3" component="WWW"
rem prerequisite: install_component "NODE3" component="SMTP"
rem prerequisite: install_component "NODE3" component="NNTP"
rem prerequisite: install_component "NODE3" component="ASP.NET"
rem On NODE3: run Exchange Server 2003 Setup (Enterprise Edition; components messaging, system_management_tools; drive C:).
rem prerequisite: install_component "NODE4" component="IIS"
rem prerequisite: install_component "NODE4" component="WWW"
rem prerequisite: install_component "NODE4" component="SMTP"
rem prerequisite: install_component "NODE4" component="NNTP"
rem prerequisite: install_component "NODE4" component="ASP.NET"
rem On NODE4: run Exchange Server 2003 Setup (Enterprise Edition; components messaging, system_management_tools; drive C:).

rem The first Exchange virtual server, resource by resource
cluster /cluster:EXCLUSTER group "EVS1 Group" /create
cluster /cluster:EXCLUSTER group "EVS1 Group" /prop Description="Exchange virtual server EVS1"
cluster /cluster:EXCLUSTER group "EVS1 Group" /setowners:NODE1,NODE2
cluster /cluster:EXCLUSTER resource "EVS1 IP Address" /create /group:"EVS1 Group" /type:"IP Address"
cluster /cluster:EXCLUSTER resource "EVS1 IP Address" /priv Address=10.0.0.101 Network=Public SubnetMask=255.255.255.0
cluster /cluster:EXCLUSTER resource "EVS1 Network Name" /create /group:"EVS1 Group" /type:"Network Name"
cluster /cluster:EXCLUSTER resource "EVS1 Network Name" /priv Name=EVS1
cluster /cluster:EXCLUSTER resource "EVS1 Network Name" /adddep:"EVS1 IP Address"
cluster /cluster:EXCLUSTER resource "Disk R:" /create /group:"EVS1 Group" /type:"Physical Disk"
cluster /cluster:EXCLUSTER resource "Disk R:" /priv Signature=2731932444
rem disk Data1, drive R:, signature A2D5FB1C
rem Exchange System Attendant "EVS1 System Attendant": create it in Cluster Administrator (File, New, Resource) in group "EVS1 Group",
rem depending on EVS1 Network Name, Disk R:; the wizard asks for administrative_group=First Administrative Group; data_directory=R:\Exchsrvr\mdbdata; routing_group=First Routing Group;
rem it creates the other Exchange resources of the virtual server:
rem   Exchange HTTP Virtual Server Instance (EVS1) (Microsoft Exchange HTTP Virtual Server)
rem   Exchange Information Store Instance (EVS1) (Microsoft Exchange Information Store)
rem   Exchange MS Search Instance (EVS1) (Microsoft Exchange MS Search)
rem   Exchange Message Transfer Agent Instance (EVS1) (Microsoft Exchange Message Transfer Agent)
rem   Exchange Routing Service Instance (EVS1) (Microsoft Exchange Routing Service)
rem   SMTP Virtual Server Instance (EVS1) (Microsoft Exchange SMTP Virtual Server)
cluster /cluster:EXCLUSTER group "EVS1 Group" /online

rem Operate it by hand
cluster /cluster:EXCLUSTER group "EVS1 Group" /moveto:NODE2
cluster /cluster:EXCLUSTER node NODE3 /pause
cluster /cluster:EXCLUSTER group "EVS1 Group" /move
rem in the rehearsal it went to NODE1, the first eligible node of its list
cluster /cluster:EXCLUSTER node NODE3 /resume
cluster /cluster:EXCLUSTER resource "Exchange HTTP Virtual Server Instance (EVS1)" /offline
