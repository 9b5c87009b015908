# Exported by clusterscript (export to powershell) from runbooks/versions/force_quorum_site_loss.star.
# Runbook: Drill: Windows Server 2016, forced quorum after a site loss
# The configuration changes of the rehearsal, in order, under its procedures and steps.
# Faults, repairs, clock moves, checks, lookups and client traffic are not exported;
# "prerequisite" lines are made before this script runs (servers, addresses, disks).
$ErrorActionPreference = 'Stop'
Import-Module FailoverClusters
# prerequisite: domain "corp.example.com" netbios="CORP"
# prerequisite: create_user "CORP\clussvc" groups=[Domain Users]
# prerequisite: create_user "CORP\exadmin" groups=[Domain Admins, Domain Users, Exchange Admins]
# prerequisite: install_server "NODE1" edition="enterprise" version="2016" adapters=[Public, Private]
# prerequisite: configure_tcpip "NODE1" adapter="Public" ip="10.0.0.11" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
# prerequisite: configure_tcpip "NODE1" adapter="Private" ip="192.168.1.11" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "NODE1" domain="corp.example.com"
# prerequisite: install_server "NODE2" edition="enterprise" version="2016" adapters=[Public, Private]
# prerequisite: configure_tcpip "NODE2" adapter="Public" ip="10.0.0.12" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
# prerequisite: configure_tcpip "NODE2" adapter="Private" ip="192.168.1.12" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "NODE2" domain="corp.example.com"
# prerequisite: install_server "NODE3" edition="enterprise" version="2016" adapters=[Public, Private]
# prerequisite: configure_tcpip "NODE3" adapter="Public" ip="10.0.0.13" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
# prerequisite: configure_tcpip "NODE3" adapter="Private" ip="192.168.1.13" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "NODE3" domain="corp.example.com"
# prerequisite: install_server "NODE4" edition="enterprise" version="2016" adapters=[Public, Private]
# prerequisite: configure_tcpip "NODE4" adapter="Public" ip="10.0.0.14" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
# prerequisite: configure_tcpip "NODE4" adapter="Private" ip="192.168.1.14" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "NODE4" domain="corp.example.com"
# prerequisite: install_server "NODE5" edition="enterprise" version="2016" adapters=[Public, Private]
# prerequisite: configure_tcpip "NODE5" adapter="Public" ip="10.0.0.15" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
# prerequisite: configure_tcpip "NODE5" adapter="Private" ip="192.168.1.15" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "NODE5" domain="corp.example.com"
# prerequisite: shared_disk "Quorum" kind="basic" fs="NTFS" letter="Q:" signature="7D809930" servers=[NODE1, NODE2, NODE3, NODE4, NODE5]
New-Cluster -Name EXCLUSTER -Node NODE1 -StaticAddress 10.0.0.100 -NoStorage
Set-ClusterQuorum -NodeMajority -Cluster EXCLUSTER
Add-ClusterNode -Name NODE2 -Cluster EXCLUSTER
Add-ClusterNode -Name NODE3 -Cluster EXCLUSTER
Add-ClusterNode -Name NODE4 -Cluster EXCLUSTER
Add-ClusterNode -Name NODE5 -Cluster EXCLUSTER
Add-ClusterGroup -Name App -Cluster EXCLUSTER
Set-ClusterOwnerNode -Group App -Owners NODE3,NODE1 -Cluster EXCLUSTER
Add-ClusterResource -Name 'App Service' -Group App -ResourceType 'Generic Service' -Cluster EXCLUSTER
Get-ClusterResource -Name 'App Service' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{ServiceName='AppSvc'}
Start-ClusterGroup -Name App -Cluster EXCLUSTER

# Force quorum on NODE1 in the secondary site
Start-ClusterNode -Name NODE1 -Cluster EXCLUSTER -FixQuorum

# The primary site is back: its nodes start with prevent quorum and join
Stop-ClusterNode -Name NODE3 -Cluster EXCLUSTER
Start-ClusterNode -Name NODE3 -Cluster EXCLUSTER -PreventQuorum
Stop-ClusterNode -Name NODE4 -Cluster EXCLUSTER
Start-ClusterNode -Name NODE4 -Cluster EXCLUSTER -PreventQuorum
Stop-ClusterNode -Name NODE5 -Cluster EXCLUSTER
Start-ClusterNode -Name NODE5 -Cluster EXCLUSTER -PreventQuorum
