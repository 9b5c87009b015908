#!/bin/sh
# Exported by clusterscript (export to pcs) from runbooks/exchange_cluster_end_to_end.star.
# Runbook: Exchange 2003 on a four-node cluster with an OWA farm, end to end
# The configuration changes of the rehearsal, in order, under its procedures and steps.
# Faults, repairs, clock moves, checks, lookups and client traffic are not exported;
# "prerequisite" lines are made before this script runs (servers, addresses, disks).
# Pacemaker resources for the server clusters' groups (pcs 0.10 and later). To stage the configuration offline
# first, on a cluster node:
#   pcs cluster cib staged.xml
#   grep -v '# live cluster only$' THIS_FILE | sed 's/^pcs /pcs -f staged.xml /' | sh
#   pcs cluster cib-push staged.xml
# then run the lines marked "live cluster only" (membership, standby, moves): pcs runs them
# on the running cluster, never on a file. pcs 0.10's resource move leaves a cli-prefer constraint behind
# (pcs resource clear GROUP removes it); from 0.11 it lets go once the group has moved.
# Fencing is left to the administrator: configure a fence device per node before production, e.g.
#   pcs stonith create fence-NODE fence_ipmilan ip=BMC_ADDRESS username=USER password=PASSWORD pcmk_host_list=NODE
set -e

# 1. The lab: domain, accounts, four Enterprise servers, the quorum disk and three data disks
# prerequisite: domain "corp.example.com" netbios="CORP"
# prerequisite: create_user "CORP\clussvc" groups=[Domain Users]
# prerequisite: create_user "CORP\exadmin" groups=[Domain Admins, Domain Users, Exchange Admins]
# prerequisite: install_server "NODE1" edition="enterprise" version="2003" adapters=[Public, Private]
# prerequisite: configure_tcpip "NODE1" adapter="Public" ip="10.0.0.11" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
# prerequisite: configure_tcpip "NODE1" adapter="Private" ip="192.168.1.11" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "NODE1" domain="corp.example.com"
# prerequisite: install_server "NODE2" edition="enterprise" version="2003" adapters=[Public, Private]
# prerequisite: configure_tcpip "NODE2" adapter="Public" ip="10.0.0.12" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
# prerequisite: configure_tcpip "NODE2" adapter="Private" ip="192.168.1.12" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "NODE2" domain="corp.example.com"
# prerequisite: install_server "NODE3" edition="enterprise" version="2003" adapters=[Public, Private]
# prerequisite: configure_tcpip "NODE3" adapter="Public" ip="10.0.0.13" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
# prerequisite: configure_tcpip "NODE3" adapter="Private" ip="192.168.1.13" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "NODE3" domain="corp.example.com"
# prerequisite: install_server "NODE4" edition="enterprise" version="2003" adapters=[Public, Private]
# prerequisite: configure_tcpip "NODE4" adapter="Public" ip="10.0.0.14" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
# prerequisite: configure_tcpip "NODE4" adapter="Private" ip="192.168.1.14" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "NODE4" domain="corp.example.com"
# prerequisite: shared_disk "Quorum" kind="basic" fs="NTFS" letter="Q:" signature="7D809930" servers=[NODE1, NODE2, NODE3, NODE4]
# prerequisite: shared_disk "Data1" kind="basic" fs="NTFS" letter="R:" signature="A2D5FB1C" servers=[NODE1, NODE2, NODE3, NODE4]
# prerequisite: shared_disk "Data2" kind="basic" fs="NTFS" letter="S:" signature="A5D5FFD5" servers=[NODE1, NODE2, NODE3, NODE4]
# prerequisite: shared_disk "Data3" kind="basic" fs="NTFS" letter="T:" signature="A4D5FE42" servers=[NODE1, NODE2, NODE3, NODE4]

# 2. How to create a Windows 2003 cluster; how to add nodes
# cluster EXCLUSTER: form the Pacemaker cluster first: pcs host auth NODE1; pcs cluster setup EXCLUSTER NODE1; pcs cluster start --all
# not exported: the quorum disk Disk Q: (corosync counts votes; the closest is a quorum device: pcs quorum device add)
pcs resource create Cluster-IP-Address ocf:heartbeat:IPaddr2 cidr_netmask=24 ip=10.0.0.100 --group Cluster-Group
pcs resource meta Cluster-Group failure-timeout=6h migration-threshold=10 resource-stickiness=INFINITY
pcs cluster node add NODE2  # live cluster only
pcs cluster node add NODE3  # live cluster only
pcs cluster node add NODE4  # live cluster only

# 3. The Windows services Exchange needs, then MSDTC in the Cluster Group
# prerequisite: install_component "NODE1" component="IIS"
# prerequisite: install_component "NODE1" component="WWW"
# prerequisite: install_component "NODE1" component="SMTP"
# prerequisite: install_component "NODE1" component="NNTP"
# prerequisite: install_component "NODE1" component="ASP.NET"
# prerequisite: install_component "NODE2" component="IIS"
# prerequisite: install_component "NODE2" component="WWW"
# prerequisite: install_component "NODE2" component="SMTP"
# prerequisite: install_component "NODE2" component="NNTP"
# prerequisite: install_component "NODE2" component="ASP.NET"
# prerequisite: install_component "NODE3" component="IIS"
# prerequisite: install_component "NODE3" component="WWW"
# prerequisite: install_component "NODE3" component="SMTP"
# prerequisite: install_component "NODE3" component="NNTP"
# prerequisite: install_component "NODE3" component="ASP.NET"
# prerequisite: install_component "NODE4" component="IIS"
# prerequisite: install_component "NODE4" component="WWW"
# prerequisite: install_component "NODE4" component="SMTP"
# prerequisite: install_component "NODE4" component="NNTP"
# prerequisite: install_component "NODE4" component="ASP.NET"
# not exported: resource "MSDTC" (Distributed Transaction Coordinator): a Windows service (Distributed Transaction Coordinator) with no Linux counterpart
# not exported: bring_online EXCLUSTER "MSDTC" kind="resource"
#   (nothing Pacemaker runs)

# 4. Cluster-aware Exchange 2003 Enterprise on every node, to the same local drive
# not exported: install_exchange EXCLUSTER "NODE1" edition="enterprise" components=[messaging, system_management_tools] drive="C:"
#   (Exchange Server 2003 runs only on Windows Server 2003)
# not exported: install_exchange EXCLUSTER "NODE2" edition="enterprise" components=[messaging, system_management_tools] drive="C:"
#   (Exchange Server 2003 runs only on Windows Server 2003)
# not exported: install_exchange EXCLUSTER "NODE3" edition="enterprise" components=[messaging, system_management_tools] drive="C:"
#   (Exchange Server 2003 runs only on Windows Server 2003)
# not exported: install_exchange EXCLUSTER "NODE4" edition="enterprise" components=[messaging, system_management_tools] drive="C:"
#   (Exchange Server 2003 runs only on Windows Server 2003)

# 5. Three Exchange virtual servers, resource by resource; NODE4 stays passive for all of them
pcs resource create EVS1-IP-Address ocf:heartbeat:IPaddr2 cidr_netmask=24 ip=10.0.0.101 --group EVS1-Group
pcs resource meta EVS1-Group failure-timeout=6h migration-threshold=10 resource-stickiness=INFINITY
pcs constraint location add prefer-EVS1-Group-NODE1 EVS1-Group NODE1 200
pcs constraint location add prefer-EVS1-Group-NODE4 EVS1-Group NODE4 100
# not exported: resource "EVS1 Network Name" (Network Name): a Network Name has no Pacemaker agent: register the name in DNS for the group's address
pcs resource create EVS1-Disk-R ocf:heartbeat:Filesystem device=/dev/disk/by-label/Data1 directory=/srv/R fstype=ntfs3 --group EVS1-Group
# not exported: resource "EVS1 System Attendant" (Microsoft Exchange System Attendant): a Windows service (Microsoft Exchange System Attendant) with no Linux counterpart
pcs resource enable EVS1-Group
pcs resource create EVS2-IP-Address ocf:heartbeat:IPaddr2 cidr_netmask=24 ip=10.0.0.102 --group EVS2-Group
pcs resource meta EVS2-Group failure-timeout=6h migration-threshold=10 resource-stickiness=INFINITY
pcs constraint location add prefer-EVS2-Group-NODE2 EVS2-Group NODE2 200
pcs constraint location add prefer-EVS2-Group-NODE4 EVS2-Group NODE4 100
# not exported: resource "EVS2 Network Name" (Network Name): a Network Name has no Pacemaker agent: register the name in DNS for the group's address
pcs resource create EVS2-Disk-S ocf:heartbeat:Filesystem device=/dev/disk/by-label/Data2 directory=/srv/S fstype=ntfs3 --group EVS2-Group
# not exported: resource "EVS2 System Attendant" (Microsoft Exchange System Attendant): a Windows service (Microsoft Exchange System Attendant) with no Linux counterpart
pcs resource enable EVS2-Group
pcs resource create EVS3-IP-Address ocf:heartbeat:IPaddr2 cidr_netmask=24 ip=10.0.0.103 --group EVS3-Group
pcs resource meta EVS3-Group failure-timeout=6h migration-threshold=10 resource-stickiness=INFINITY
pcs constraint location add prefer-EVS3-Group-NODE3 EVS3-Group NODE3 200
pcs constraint location add prefer-EVS3-Group-NODE4 EVS3-Group NODE4 100
# not exported: resource "EVS3 Network Name" (Network Name): a Network Name has no Pacemaker agent: register the name in DNS for the group's address
pcs resource create EVS3-Disk-T ocf:heartbeat:Filesystem device=/dev/disk/by-label/Data3 directory=/srv/T fstype=ntfs3 --group EVS3-Group
# not exported: resource "EVS3 System Attendant" (Microsoft Exchange System Attendant): a Windows service (Microsoft Exchange System Attendant) with no Linux counterpart
pcs resource enable EVS3-Group

# 6. Failover policy: no more failovers than nodes in six hours; fail back only between 22:00 and 02:00
# not exported: failback only between 22:00 and 02:00 (the group does not fail back by itself)
pcs resource meta EVS1-Group failure-timeout=6h migration-threshold=4 resource-stickiness=INFINITY
# not exported: failback only between 22:00 and 02:00 (the group does not fail back by itself)
pcs resource meta EVS2-Group failure-timeout=6h migration-threshold=4 resource-stickiness=INFINITY
# not exported: failback only between 22:00 and 02:00 (the group does not fail back by itself)
pcs resource meta EVS3-Group failure-timeout=6h migration-threshold=4 resource-stickiness=INFINITY

# 8. The OWA front ends and their NLB cluster
# prerequisite: install_server "OWA1" edition="standard" version="2003" adapters=[Public, Private]
# prerequisite: configure_tcpip "OWA1" adapter="Public" ip="10.0.0.21" mask="255.255.255.0" gateway="" extra_ips=[10.0.0.200] role="mixed"
# prerequisite: configure_tcpip "OWA1" adapter="Private" ip="192.168.2.21" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "OWA1" domain="corp.example.com"
# prerequisite: install_component "OWA1" component="ASP.NET"
# prerequisite: install_server "OWA2" edition="standard" version="2003" adapters=[Public, Private]
# prerequisite: configure_tcpip "OWA2" adapter="Public" ip="10.0.0.22" mask="255.255.255.0" gateway="" extra_ips=[10.0.0.200] role="mixed"
# prerequisite: configure_tcpip "OWA2" adapter="Private" ip="192.168.2.22" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "OWA2" domain="corp.example.com"
# prerequisite: install_component "OWA2" component="ASP.NET"
# not exported: create_nlb_cluster owa.corp.example.com ip="10.0.0.200" mask="255.255.255.0" mode="unicast"
#   (Windows NLB has no Pacemaker counterpart; the closest is a cloned IPaddr2 with clusterip_hash)
# not exported: nlb_add_host owa.corp.example.com "OWA1" adapter="Public" priority=1 dedicated_ip="10.0.0.21" mask="255.255.255.0" initial_state="started"
#   (Windows NLB has no Pacemaker counterpart; the closest is a cloned IPaddr2 with clusterip_hash)
# not exported: nlb_add_host owa.corp.example.com "OWA2" adapter="Public" priority=2 dedicated_ip="10.0.0.22" mask="255.255.255.0" initial_state="started"
#   (Windows NLB has no Pacemaker counterpart; the closest is a cloned IPaddr2 with clusterip_hash)
# not exported: nlb_remove_port_rule owa.corp.example.com "0-65535/both" cluster_ip="all" start=0 end=65535 protocol="both"
#   (Windows NLB has no Pacemaker counterpart; the closest is a cloned IPaddr2 with clusterip_hash)
# not exported: nlb_port_rule owa.corp.example.com "80/tcp" cluster_ip="all" start=80 end=80 protocol="tcp" filtering="multiple" affinity="single"
#   (Windows NLB has no Pacemaker counterpart; the closest is a cloned IPaddr2 with clusterip_hash)
# not exported: nlb_port_rule owa.corp.example.com "443/tcp" cluster_ip="all" start=443 end=443 protocol="tcp" filtering="multiple" affinity="single"
#   (Windows NLB has no Pacemaker counterpart; the closest is a cloned IPaddr2 with clusterip_hash)

# 10. To restore a cluster node: disable failback, restore NODE2 by ASR, let it rejoin

# 11. The node is healthy again: allow failback in the night window
# not exported: failback only between 22:00 and 02:00 (the group does not fail back by itself)
