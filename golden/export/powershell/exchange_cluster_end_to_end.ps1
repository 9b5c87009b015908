# Exported by clusterscript (export to powershell) from runbooks/exchange_cluster_end_to_end.star.
# Runbook: Exchange 2003 on a four-node cluster with an OWA farm, end to end
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
Import-Module NetworkLoadBalancingClusters

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
Add-ClusterNode -Name NODE4 -Cluster EXCLUSTER

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
Add-ClusterResource -Name MSDTC -Group 'Cluster Group' -ResourceType 'Distributed Transaction Coordinator' -Cluster EXCLUSTER
Set-ClusterResourceDependency -Resource MSDTC -Dependency '[Cluster Name] and [Disk Q:]' -Cluster EXCLUSTER
$resource = Get-ClusterResource -Name MSDTC -Cluster EXCLUSTER
$resource.RestartAction = 2
$resource.RestartThreshold = 3
$resource.RestartPeriod = 900000
$resource.RetryPeriodOnFailure = 3600000
Start-ClusterResource -Name MSDTC -Cluster EXCLUSTER

# 4. Cluster-aware Exchange 2003 Enterprise on every node, to the same local drive
# not exported: install_exchange EXCLUSTER "NODE1" edition="enterprise" components=[messaging, system_management_tools] drive="C:"
#   (Exchange Server 2003 Setup runs on each node; Exchange 2003 runs only on Windows Server 2003)
# not exported: install_exchange EXCLUSTER "NODE2" edition="enterprise" components=[messaging, system_management_tools] drive="C:"
#   (Exchange Server 2003 Setup runs on each node; Exchange 2003 runs only on Windows Server 2003)
# not exported: install_exchange EXCLUSTER "NODE3" edition="enterprise" components=[messaging, system_management_tools] drive="C:"
#   (Exchange Server 2003 Setup runs on each node; Exchange 2003 runs only on Windows Server 2003)
# not exported: install_exchange EXCLUSTER "NODE4" edition="enterprise" components=[messaging, system_management_tools] drive="C:"
#   (Exchange Server 2003 Setup runs on each node; Exchange 2003 runs only on Windows Server 2003)

# 5. Three Exchange virtual servers, resource by resource; NODE4 stays passive for all of them
Add-ClusterGroup -Name 'EVS1 Group' -Cluster EXCLUSTER
(Get-ClusterGroup -Name 'EVS1 Group' -Cluster EXCLUSTER).Description = 'Exchange virtual server EVS1'
Set-ClusterOwnerNode -Group 'EVS1 Group' -Owners NODE1,NODE4 -Cluster EXCLUSTER
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
Add-ClusterGroup -Name 'EVS2 Group' -Cluster EXCLUSTER
(Get-ClusterGroup -Name 'EVS2 Group' -Cluster EXCLUSTER).Description = 'Exchange virtual server EVS2'
Set-ClusterOwnerNode -Group 'EVS2 Group' -Owners NODE2,NODE4 -Cluster EXCLUSTER
$group = Get-ClusterGroup -Name 'EVS2 Group' -Cluster EXCLUSTER
$group.FailoverThreshold = 10
$group.FailoverPeriod = 6
$group.AutoFailbackType = 0
$group.FailbackWindowStart = -1
$group.FailbackWindowEnd = -1
Add-ClusterResource -Name 'EVS2 IP Address' -Group 'EVS2 Group' -ResourceType 'IP Address' -Cluster EXCLUSTER
Get-ClusterResource -Name 'EVS2 IP Address' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{Address='10.0.0.102'; Network='Public'; SubnetMask='255.255.255.0'}
$resource = Get-ClusterResource -Name 'EVS2 IP Address' -Cluster EXCLUSTER
$resource.RestartAction = 2
$resource.RestartThreshold = 3
$resource.RestartPeriod = 900000
$resource.RetryPeriodOnFailure = 3600000
Add-ClusterResource -Name 'EVS2 Network Name' -Group 'EVS2 Group' -ResourceType 'Network Name' -Cluster EXCLUSTER
Get-ClusterResource -Name 'EVS2 Network Name' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{Name='EVS2'}
Set-ClusterResourceDependency -Resource 'EVS2 Network Name' -Dependency '[EVS2 IP Address]' -Cluster EXCLUSTER
$resource = Get-ClusterResource -Name 'EVS2 Network Name' -Cluster EXCLUSTER
$resource.RestartAction = 2
$resource.RestartThreshold = 3
$resource.RestartPeriod = 900000
$resource.RetryPeriodOnFailure = 3600000
Add-ClusterResource -Name 'EVS2 Disk S:' -Group 'EVS2 Group' -ResourceType 'Physical Disk' -Cluster EXCLUSTER
Get-ClusterResource -Name 'EVS2 Disk S:' -Cluster EXCLUSTER | Set-ClusterParameter -Name DiskSignature -Value 0xA5D5FFD5
# disk Data2, drive S:
$resource = Get-ClusterResource -Name 'EVS2 Disk S:' -Cluster EXCLUSTER
$resource.RestartAction = 2
$resource.RestartThreshold = 3
$resource.RestartPeriod = 900000
$resource.RetryPeriodOnFailure = 3600000
# not exported: new_resource "EVS2 System Attendant" (Microsoft Exchange System Attendant) in group "EVS2 Group", "Exchange HTTP Virtual Server Instance (EVS2)", "Exchange Information Store Instance (EVS2)", "Exchange MS Search Instance (EVS2)", "Exchange Routing Service Instance (EVS2)", "SMTP Virtual Server Instance (EVS2)"
#   (Exchange Server 2003 runs only on Windows Server 2003: build its virtual servers there, --to cluster.exe)
Start-ClusterGroup -Name 'EVS2 Group' -Cluster EXCLUSTER
Add-ClusterGroup -Name 'EVS3 Group' -Cluster EXCLUSTER
(Get-ClusterGroup -Name 'EVS3 Group' -Cluster EXCLUSTER).Description = 'Exchange virtual server EVS3'
Set-ClusterOwnerNode -Group 'EVS3 Group' -Owners NODE3,NODE4 -Cluster EXCLUSTER
$group = Get-ClusterGroup -Name 'EVS3 Group' -Cluster EXCLUSTER
$group.FailoverThreshold = 10
$group.FailoverPeriod = 6
$group.AutoFailbackType = 0
$group.FailbackWindowStart = -1
$group.FailbackWindowEnd = -1
Add-ClusterResource -Name 'EVS3 IP Address' -Group 'EVS3 Group' -ResourceType 'IP Address' -Cluster EXCLUSTER
Get-ClusterResource -Name 'EVS3 IP Address' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{Address='10.0.0.103'; Network='Public'; SubnetMask='255.255.255.0'}
$resource = Get-ClusterResource -Name 'EVS3 IP Address' -Cluster EXCLUSTER
$resource.RestartAction = 2
$resource.RestartThreshold = 3
$resource.RestartPeriod = 900000
$resource.RetryPeriodOnFailure = 3600000
Add-ClusterResource -Name 'EVS3 Network Name' -Group 'EVS3 Group' -ResourceType 'Network Name' -Cluster EXCLUSTER
Get-ClusterResource -Name 'EVS3 Network Name' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{Name='EVS3'}
Set-ClusterResourceDependency -Resource 'EVS3 Network Name' -Dependency '[EVS3 IP Address]' -Cluster EXCLUSTER
$resource = Get-ClusterResource -Name 'EVS3 Network Name' -Cluster EXCLUSTER
$resource.RestartAction = 2
$resource.RestartThreshold = 3
$resource.RestartPeriod = 900000
$resource.RetryPeriodOnFailure = 3600000
Add-ClusterResource -Name 'EVS3 Disk T:' -Group 'EVS3 Group' -ResourceType 'Physical Disk' -Cluster EXCLUSTER
Get-ClusterResource -Name 'EVS3 Disk T:' -Cluster EXCLUSTER | Set-ClusterParameter -Name DiskSignature -Value 0xA4D5FE42
# disk Data3, drive T:
$resource = Get-ClusterResource -Name 'EVS3 Disk T:' -Cluster EXCLUSTER
$resource.RestartAction = 2
$resource.RestartThreshold = 3
$resource.RestartPeriod = 900000
$resource.RetryPeriodOnFailure = 3600000
# not exported: new_resource "EVS3 System Attendant" (Microsoft Exchange System Attendant) in group "EVS3 Group", "Exchange HTTP Virtual Server Instance (EVS3)", "Exchange Information Store Instance (EVS3)", "Exchange MS Search Instance (EVS3)", "Exchange Routing Service Instance (EVS3)", "SMTP Virtual Server Instance (EVS3)"
#   (Exchange Server 2003 runs only on Windows Server 2003: build its virtual servers there, --to cluster.exe)
Start-ClusterGroup -Name 'EVS3 Group' -Cluster EXCLUSTER

# 6. Failover policy: no more failovers than nodes in six hours; fail back only between 22:00 and 02:00
$group = Get-ClusterGroup -Name 'EVS1 Group' -Cluster EXCLUSTER
$group.FailoverThreshold = 4
$group.FailoverPeriod = 6
$group.AutoFailbackType = 1
$group.FailbackWindowStart = 22
$group.FailbackWindowEnd = 2
$group = Get-ClusterGroup -Name 'EVS2 Group' -Cluster EXCLUSTER
$group.FailoverThreshold = 4
$group.FailoverPeriod = 6
$group.AutoFailbackType = 1
$group.FailbackWindowStart = 22
$group.FailbackWindowEnd = 2
$group = Get-ClusterGroup -Name 'EVS3 Group' -Cluster EXCLUSTER
$group.FailoverThreshold = 4
$group.FailoverPeriod = 6
$group.AutoFailbackType = 1
$group.FailbackWindowStart = 22
$group.FailbackWindowEnd = 2

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
# NLB cluster owa.corp.example.com (10.0.0.200): New-NlbCluster creates it with its first host, below.
New-NlbCluster -HostName OWA1 -InterfaceName Public -ClusterName owa.corp.example.com -ClusterPrimaryIP 10.0.0.200 -SubnetMask 255.255.255.0 -DedicatedIP 10.0.0.21 -DedicatedIPSubnetMask 255.255.255.0 -OperationMode Unicast -Force
Set-NlbClusterNode -HostName OWA1 -InterfaceName Public -HostPriority 1 -InitialHostState Started -Force
Add-NlbClusterNode -HostName OWA1 -InterfaceName Public -NewNodeName OWA2 -NewNodeInterface Public -Force
Set-NlbClusterNode -HostName OWA2 -InterfaceName Public -HostPriority 2 -InitialHostState Started -Force
Remove-NlbClusterPortRule -HostName OWA1 -InterfaceName Public -Port 0 -Force
Add-NlbClusterPortRule -HostName OWA1 -InterfaceName Public -Protocol Tcp -StartPort 80 -EndPort 80 -Mode Multiple -Affinity Single
Add-NlbClusterPortRule -HostName OWA1 -InterfaceName Public -Protocol Tcp -StartPort 443 -EndPort 443 -Mode Multiple -Affinity Single

# 10. To restore a cluster node: disable failback, restore NODE2 by ASR, let it rejoin
$group = Get-ClusterGroup -Name 'EVS2 Group' -Cluster EXCLUSTER
$group.FailoverThreshold = 4
$group.FailoverPeriod = 6
$group.AutoFailbackType = 0
$group.FailbackWindowStart = -1
$group.FailbackWindowEnd = -1

# 11. The node is healthy again: allow failback in the night window
$group = Get-ClusterGroup -Name 'EVS2 Group' -Cluster EXCLUSTER
$group.FailoverThreshold = 4
$group.FailoverPeriod = 6
$group.AutoFailbackType = 1
$group.FailbackWindowStart = 22
$group.FailbackWindowEnd = 2
