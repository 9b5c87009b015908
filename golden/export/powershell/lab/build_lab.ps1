# Exported by clusterscript (export to powershell) from runbooks/lab/build_lab.star.
# Runbook: Build the lab
# The configuration changes of the rehearsal, in order, under its procedures and steps.
# Faults, repairs, clock moves, checks, lookups and client traffic are not exported;
# "prerequisite" lines are made before this script runs (servers, addresses, disks).
$ErrorActionPreference = 'Stop'

# Active Directory: the domain and the accounts the procedures use
# prerequisite: domain "corp.example.com" netbios="CORP"
# prerequisite: create_user "CORP\clussvc" groups=[Domain Users]
# prerequisite: create_user "CORP\exadmin" groups=[Domain Admins, Domain Users]
# prerequisite: add_to_group "CORP\exadmin" group="Exchange Admins"

# Four servers: the public adapter carries clients and heartbeats, the private one heartbeats only
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

# Shared storage: a small quorum disk and two data disks, basic and NTFS
# prerequisite: shared_disk "Quorum" kind="dynamic" fs="raw" letter="" signature="7D809930" servers=[NODE1, NODE2, NODE3, NODE4]
# prerequisite: convert_to_basic "Quorum"
# prerequisite: format_disk "Quorum" letter="Q:" fs="NTFS"
# prerequisite: shared_disk "Data1" kind="basic" fs="NTFS" letter="R:" signature="A2D5FB1C" servers=[NODE1, NODE2, NODE3, NODE4]
# prerequisite: shared_disk "Data2" kind="basic" fs="NTFS" letter="S:" signature="A5D5FFD5" servers=[NODE1, NODE2, NODE3, NODE4]
