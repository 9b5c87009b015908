# Exported by clusterscript (export to powershell) from runbooks/drills/quorum_disk_reforms.star.
# Runbook: Drill: a disk-quorum cluster forms again by itself
# The configuration changes of the rehearsal, in order, under its procedures and steps.
# Faults, repairs, clock moves, checks, lookups and client traffic are not exported;
# "prerequisite" lines are made before this script runs (servers, addresses, disks).
# Migration: the rehearsal ran EXCLUSTER (Windows Server 2003), which has no FailoverClusters cmdlets.
# This script builds the same configuration on a Windows Server 2008 R2 or later cluster;
# comments marked "meaning changes" say where the later version differs. Later versions default to
# nodes - 1 failovers in 6 hours and one restart of a failed resource; each group and resource keeps
# the policy it had in the rehearsal, written out where it differs from those defaults.
$ErrorActionPreference = 'Stop'
Import-Module FailoverClusters
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
# prerequisite: shared_disk "Quorum" kind="basic" fs="NTFS" letter="Q:" signature="7D809930" servers=[NODE1, NODE2, NODE3]
# prerequisite: shared_disk "Data1" kind="basic" fs="NTFS" letter="R:" signature="A2D5FB1C" servers=[NODE1, NODE2, NODE3]
New-Cluster -Name EXCLUSTER -Node NODE1 -StaticAddress 10.0.0.100 -NoStorage
Add-ClusterResource -Name 'Disk Q:' -Group 'Cluster Group' -ResourceType 'Physical Disk' -Cluster EXCLUSTER
Get-ClusterResource -Name 'Disk Q:' -Cluster EXCLUSTER | Set-ClusterParameter -Name DiskSignature -Value 0x7D809930
# disk Quorum, drive Q:
Set-ClusterQuorum -DiskOnly 'Disk Q:' -Cluster EXCLUSTER
# meaning changes: -DiskOnly keeps the single quorum device of Windows Server 2003;
# Microsoft recommends node and disk majority on later versions (Set-ClusterQuorum -NodeAndDiskMajority).
$group = Get-ClusterGroup -Name 'Cluster Group' -Cluster EXCLUSTER
$group.FailoverThreshold = 10
$group.FailoverPeriod = 6
$group.AutoFailbackType = 0
$group.FailbackWindowStart = -1
$group.FailbackWindowEnd = -1
Add-ClusterNode -Name NODE2 -Cluster EXCLUSTER
Add-ClusterNode -Name NODE3 -Cluster EXCLUSTER
Add-ClusterGroup -Name Web -Cluster EXCLUSTER
Set-ClusterOwnerNode -Group Web -Owners NODE2 -Cluster EXCLUSTER
$group = Get-ClusterGroup -Name Web -Cluster EXCLUSTER
$group.FailoverThreshold = 10
$group.FailoverPeriod = 6
$group.AutoFailbackType = 0
$group.FailbackWindowStart = -1
$group.FailbackWindowEnd = -1
Add-ClusterResource -Name 'Web Service' -Group Web -ResourceType 'Generic Service' -Cluster EXCLUSTER
Get-ClusterResource -Name 'Web Service' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{ServiceName='W3SVC'}
$resource = Get-ClusterResource -Name 'Web Service' -Cluster EXCLUSTER
$resource.RestartAction = 2
$resource.RestartThreshold = 3
$resource.RestartPeriod = 900000
$resource.RetryPeriodOnFailure = 3600000
Add-ClusterGroup -Name App -Cluster EXCLUSTER
Set-ClusterOwnerNode -Group App -Owners NODE3 -Cluster EXCLUSTER
$group = Get-ClusterGroup -Name App -Cluster EXCLUSTER
$group.FailoverThreshold = 10
$group.FailoverPeriod = 6
$group.AutoFailbackType = 0
$group.FailbackWindowStart = -1
$group.FailbackWindowEnd = -1
Add-ClusterResource -Name 'App Service' -Group App -ResourceType 'Generic Service' -Cluster EXCLUSTER
Get-ClusterResource -Name 'App Service' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{ServiceName='AppSvc'}
$resource = Get-ClusterResource -Name 'App Service' -Cluster EXCLUSTER
$resource.RestartAction = 2
$resource.RestartThreshold = 3
$resource.RestartPeriod = 900000
$resource.RetryPeriodOnFailure = 3600000
Start-ClusterGroup -Name Web -Cluster EXCLUSTER
Start-ClusterGroup -Name App -Cluster EXCLUSTER

# NODE3 goes into maintenance: its Cluster service is stopped for good
Stop-ClusterNode -Name NODE3 -Cluster EXCLUSTER

# NODE3's maintenance is over
Start-ClusterNode -Name NODE3 -Cluster EXCLUSTER
