# Exported by clusterscript (export to powershell) from runbooks/drills/retry_period.star.
# Runbook: Drill: a resource left Failed is retried after its retry period
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
Add-ClusterGroup -Name Files -Cluster EXCLUSTER
Set-ClusterOwnerNode -Group Files -Owners NODE2,NODE3 -Cluster EXCLUSTER
$group = Get-ClusterGroup -Name Files -Cluster EXCLUSTER
$group.FailoverThreshold = 10
$group.FailoverPeriod = 6
$group.AutoFailbackType = 0
$group.FailbackWindowStart = -1
$group.FailbackWindowEnd = -1
Add-ClusterResource -Name 'Files Disk' -Group Files -ResourceType 'Physical Disk' -Cluster EXCLUSTER
Get-ClusterResource -Name 'Files Disk' -Cluster EXCLUSTER | Set-ClusterParameter -Name DiskSignature -Value 0xA2D5FB1C
# disk Data1, drive R:
$resource = Get-ClusterResource -Name 'Files Disk' -Cluster EXCLUSTER
$resource.RestartAction = 2
$resource.RestartThreshold = 3
$resource.RestartPeriod = 900000
$resource.RetryPeriodOnFailure = 3600000
Add-ClusterResource -Name 'Files Share' -Group Files -ResourceType 'File Share' -Cluster EXCLUSTER
Get-ClusterResource -Name 'Files Share' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{Path='R:\files'; ShareName='files'}
Set-ClusterResourceDependency -Resource 'Files Share' -Dependency '[Files Disk]' -Cluster EXCLUSTER
$resource = Get-ClusterResource -Name 'Files Share' -Cluster EXCLUSTER
$resource.RestartAction = 2
$resource.RestartThreshold = 3
$resource.RestartPeriod = 900000
$resource.RetryPeriodOnFailure = 3600000
$resource = Get-ClusterResource -Name 'Files Disk' -Cluster EXCLUSTER
$resource.RestartAction = 2
$resource.RestartThreshold = 1
$resource.RestartPeriod = 900000
$resource.RetryPeriodOnFailure = 3600000
$group = Get-ClusterGroup -Name Files -Cluster EXCLUSTER
$group.FailoverThreshold = 1
$group.FailoverPeriod = 6
$group.AutoFailbackType = 0
$group.FailbackWindowStart = -1
$group.FailbackWindowEnd = -1
Start-ClusterGroup -Name Files -Cluster EXCLUSTER
