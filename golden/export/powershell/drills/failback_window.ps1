# Exported by clusterscript (export to powershell) from runbooks/drills/failback_window.star.
# Runbook: Drill: failback inside a night window
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
# prerequisite: shared_disk "Quorum" kind="basic" fs="NTFS" letter="Q:" signature="7D809930" servers=[NODE1, NODE2]
# prerequisite: shared_disk "Data1" kind="basic" fs="NTFS" letter="R:" signature="A2D5FB1C" servers=[NODE1, NODE2]
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
Add-ClusterResource -Name MSDTC -Group 'Cluster Group' -ResourceType 'Distributed Transaction Coordinator' -Cluster EXCLUSTER
Set-ClusterResourceDependency -Resource MSDTC -Dependency '[Cluster Name] and [Disk Q:]' -Cluster EXCLUSTER
$resource = Get-ClusterResource -Name MSDTC -Cluster EXCLUSTER
$resource.RestartAction = 2
$resource.RestartThreshold = 3
$resource.RestartPeriod = 900000
$resource.RetryPeriodOnFailure = 3600000
Start-ClusterResource -Name MSDTC -Cluster EXCLUSTER
# prerequisite: install_component "NODE1" component="IIS"
# prerequisite: install_component "NODE1" component="WWW"
# prerequisite: install_component "NODE1" component="SMTP"
# prerequisite: install_component "NODE1" component="NNTP"
# prerequisite: install_component "NODE1" component="ASP.NET"
# not exported: install_exchange EXCLUSTER "NODE1" edition="enterprise" components=[messaging, system_management_tools] drive="C:"
#   (Exchange Server 2003 Setup runs on each node; Exchange 2003 runs only on Windows Server 2003)
# prerequisite: install_component "NODE2" component="IIS"
# prerequisite: install_component "NODE2" component="WWW"
# prerequisite: install_component "NODE2" component="SMTP"
# prerequisite: install_component "NODE2" component="NNTP"
# prerequisite: install_component "NODE2" component="ASP.NET"
# not exported: install_exchange EXCLUSTER "NODE2" edition="enterprise" components=[messaging, system_management_tools] drive="C:"
#   (Exchange Server 2003 Setup runs on each node; Exchange 2003 runs only on Windows Server 2003)
Add-ClusterGroup -Name 'EVS1 Group' -Cluster EXCLUSTER
(Get-ClusterGroup -Name 'EVS1 Group' -Cluster EXCLUSTER).Description = 'Exchange virtual server EVS1'
Set-ClusterOwnerNode -Group 'EVS1 Group' -Owners NODE1,NODE2 -Cluster EXCLUSTER
$group = Get-ClusterGroup -Name 'EVS1 Group' -Cluster EXCLUSTER
$group.FailoverThreshold = 10
$group.FailoverPeriod = 6
$group.AutoFailbackType = 0
$group.FailbackWindowStart = -1
$group.FailbackWindowEnd = -1
Add-ClusterResource -Name 'EVS1 IP Address' -Group 'EVS1 Group' -ResourceType 'IP Address' -Cluster EXCLUSTER
Get-ClusterResource -Name 'EVS1 IP Address' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{Address='10.0.0.101'; Network='Public'; SubnetMask='255.255.255.0'}
$resource = Get-ClusterResource -Name 'EVS1 IP Address' -Cluster EXCLUSTER
$resource.RestartAction = 2
$resource.RestartThreshold = 3
$resource.RestartPeriod = 900000
$resource.RetryPeriodOnFailure = 3600000
Add-ClusterResource -Name 'EVS1 Network Name' -Group 'EVS1 Group' -ResourceType 'Network Name' -Cluster EXCLUSTER
Get-ClusterResource -Name 'EVS1 Network Name' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{Name='EVS1'}
Set-ClusterResourceDependency -Resource 'EVS1 Network Name' -Dependency '[EVS1 IP Address]' -Cluster EXCLUSTER
$resource = Get-ClusterResource -Name 'EVS1 Network Name' -Cluster EXCLUSTER
$resource.RestartAction = 2
$resource.RestartThreshold = 3
$resource.RestartPeriod = 900000
$resource.RetryPeriodOnFailure = 3600000
Add-ClusterResource -Name 'EVS1 Disk R:' -Group 'EVS1 Group' -ResourceType 'Physical Disk' -Cluster EXCLUSTER
Get-ClusterResource -Name 'EVS1 Disk R:' -Cluster EXCLUSTER | Set-ClusterParameter -Name DiskSignature -Value 0xA2D5FB1C
# disk Data1, drive R:
$resource = Get-ClusterResource -Name 'EVS1 Disk R:' -Cluster EXCLUSTER
$resource.RestartAction = 2
$resource.RestartThreshold = 3
$resource.RestartPeriod = 900000
$resource.RetryPeriodOnFailure = 3600000
# not exported: new_resource "EVS1 System Attendant" (Microsoft Exchange System Attendant) in group "EVS1 Group", "Exchange HTTP Virtual Server Instance (EVS1)", "Exchange Information Store Instance (EVS1)", "Exchange MS Search Instance (EVS1)", "Exchange Message Transfer Agent Instance (EVS1)", "Exchange Routing Service Instance (EVS1)", "SMTP Virtual Server Instance (EVS1)"
#   (Exchange Server 2003 runs only on Windows Server 2003: build its virtual servers there, --to cluster.exe)
Start-ClusterGroup -Name 'EVS1 Group' -Cluster EXCLUSTER
$group = Get-ClusterGroup -Name 'EVS1 Group' -Cluster EXCLUSTER
$group.FailoverThreshold = 2
$group.FailoverPeriod = 6
$group.AutoFailbackType = 1
$group.FailbackWindowStart = 22
$group.FailbackWindowEnd = 2
