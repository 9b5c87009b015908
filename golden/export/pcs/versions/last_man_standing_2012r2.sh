#!/bin/sh
# Exported by clusterscript (export to pcs) from runbooks/versions/last_man_standing_2012r2.star.
# Runbook: Drill: Windows Server 2012 R2, five nodes and a disk witness down to the last man standing
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
# A systemd:UNIT primitive (from a Generic Service) needs UNIT.service installed on every node first:
# pcs checks the agent when it creates the primitive, staging included (--force skips that check).
set -e
# prerequisite: domain "corp.example.com" netbios="CORP"
# prerequisite: create_user "CORP\clussvc" groups=[Domain Users]
# prerequisite: create_user "CORP\exadmin" groups=[Domain Admins, Domain Users, Exchange Admins]
# prerequisite: install_server "NODE1" edition="enterprise" version="2012 R2" adapters=[Public, Private]
# prerequisite: configure_tcpip "NODE1" adapter="Public" ip="10.0.0.11" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
# prerequisite: configure_tcpip "NODE1" adapter="Private" ip="192.168.1.11" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "NODE1" domain="corp.example.com"
# prerequisite: install_server "NODE2" edition="enterprise" version="2012 R2" adapters=[Public, Private]
# prerequisite: configure_tcpip "NODE2" adapter="Public" ip="10.0.0.12" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
# prerequisite: configure_tcpip "NODE2" adapter="Private" ip="192.168.1.12" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "NODE2" domain="corp.example.com"
# prerequisite: install_server "NODE3" edition="enterprise" version="2012 R2" adapters=[Public, Private]
# prerequisite: configure_tcpip "NODE3" adapter="Public" ip="10.0.0.13" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
# prerequisite: configure_tcpip "NODE3" adapter="Private" ip="192.168.1.13" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "NODE3" domain="corp.example.com"
# prerequisite: install_server "NODE4" edition="enterprise" version="2012 R2" adapters=[Public, Private]
# prerequisite: configure_tcpip "NODE4" adapter="Public" ip="10.0.0.14" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
# prerequisite: configure_tcpip "NODE4" adapter="Private" ip="192.168.1.14" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "NODE4" domain="corp.example.com"
# prerequisite: install_server "NODE5" edition="enterprise" version="2012 R2" adapters=[Public, Private]
# prerequisite: configure_tcpip "NODE5" adapter="Public" ip="10.0.0.15" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
# prerequisite: configure_tcpip "NODE5" adapter="Private" ip="192.168.1.15" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "NODE5" domain="corp.example.com"
# prerequisite: shared_disk "Quorum" kind="basic" fs="NTFS" letter="Q:" signature="7D809930" servers=[NODE1, NODE2, NODE3, NODE4, NODE5]
# cluster EXCLUSTER: form the Pacemaker cluster first: pcs host auth NODE1; pcs cluster setup EXCLUSTER NODE1; pcs cluster start --all
# not exported: quorum node_and_disk_majority, witness disk Quorum (corosync counts the nodes' votes; the closest to a witness is a quorum device on a third machine
#   running corosync-qnetd: pcs quorum device add model net host=ARBITRATOR algorithm=ffsplit)
pcs resource create Cluster-IP-Address ocf:heartbeat:IPaddr2 cidr_netmask=24 ip=10.0.0.100 --group Cluster-Group
pcs resource meta Cluster-Group resource-stickiness=INFINITY
pcs cluster node add NODE2  # live cluster only
pcs resource meta Cluster-Group failure-timeout=6h migration-threshold=1 resource-stickiness=INFINITY
pcs cluster node add NODE3  # live cluster only
pcs resource meta Cluster-Group failure-timeout=6h migration-threshold=2 resource-stickiness=INFINITY
pcs cluster node add NODE4  # live cluster only
pcs resource meta Cluster-Group failure-timeout=6h migration-threshold=3 resource-stickiness=INFINITY
pcs cluster node add NODE5  # live cluster only
pcs resource meta Cluster-Group failure-timeout=6h migration-threshold=4 resource-stickiness=INFINITY
pcs resource create App-Service systemd:AppSvc --group App
pcs resource meta App failure-timeout=6h migration-threshold=4 resource-stickiness=INFINITY
pcs constraint location add prefer-App-NODE1 App NODE1 100
pcs constraint location add prefer-App-NODE2 App NODE2 200
pcs constraint location add prefer-App-NODE3 App NODE3 300
pcs constraint location add prefer-App-NODE4 App NODE4 400
pcs constraint location add prefer-App-NODE5 App NODE5 500
pcs resource enable App
