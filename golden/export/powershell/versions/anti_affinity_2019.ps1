# Exported by clusterscript (export to powershell) from runbooks/versions/anti_affinity_2019.star.
# Runbook: Windows Server 2019: an anti-affinity pair
# The configuration changes of the rehearsal, in order, under its procedures and steps.
# Faults, repairs, clock moves, checks, lookups and client traffic are not exported;
# "prerequisite" lines are made before this script runs (servers, addresses, disks).
$ErrorActionPreference = 'Stop'
Import-Module FailoverClusters
# prerequisite: domain "corp.example.com" netbios="CORP"
# prerequisite: create_user "CORP\clussvc" groups=[Domain Users]
# prerequisite: create_user "CORP\exadmin" groups=[Domain Admins, Domain Users, Exchange Admins]
# prerequisite: install_server "NODE1" edition="enterprise" version="2019" adapters=[Public, Private]
# prerequisite: configure_tcpip "NODE1" adapter="Public" ip="10.0.0.11" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
# prerequisite: configure_tcpip "NODE1" adapter="Private" ip="192.168.1.11" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "NODE1" domain="corp.example.com"
# prerequisite: install_server "NODE2" edition="enterprise" version="2019" adapters=[Public, Private]
# prerequisite: configure_tcpip "NODE2" adapter="Public" ip="10.0.0.12" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
# prerequisite: configure_tcpip "NODE2" adapter="Private" ip="192.168.1.12" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "NODE2" domain="corp.example.com"
# prerequisite: install_server "NODE3" edition="enterprise" version="2019" adapters=[Public, Private]
# prerequisite: configure_tcpip "NODE3" adapter="Public" ip="10.0.0.13" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
# prerequisite: configure_tcpip "NODE3" adapter="Private" ip="192.168.1.13" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "NODE3" domain="corp.example.com"
# prerequisite: shared_disk "Quorum" kind="basic" fs="NTFS" letter="Q:" signature="7D809930" servers=[NODE1, NODE2, NODE3]
New-Cluster -Name EXCLUSTER -Node NODE1 -StaticAddress 10.0.0.100 -NoStorage
Add-ClusterResource -Name 'Disk Q:' -Group 'Cluster Group' -ResourceType 'Physical Disk' -Cluster EXCLUSTER
Get-ClusterResource -Name 'Disk Q:' -Cluster EXCLUSTER | Set-ClusterParameter -Name DiskSignature -Value 0x7D809930
# disk Quorum, drive Q:
Set-ClusterQuorum -NodeAndDiskMajority 'Disk Q:' -Cluster EXCLUSTER
Add-ClusterNode -Name NODE2 -Cluster EXCLUSTER
Add-ClusterNode -Name NODE3 -Cluster EXCLUSTER
Add-ClusterGroup -Name SQL1 -Cluster EXCLUSTER
Set-ClusterOwnerNode -Group SQL1 -Owners NODE1 -Cluster EXCLUSTER
Add-ClusterResource -Name 'SQL1 IP Address' -Group SQL1 -ResourceType 'IP Address' -Cluster EXCLUSTER
Get-ClusterResource -Name 'SQL1 IP Address' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{Address='10.0.0.121'; Network='Public'; SubnetMask='255.255.255.0'}
Add-ClusterResource -Name 'SQL1 Name' -Group SQL1 -ResourceType 'Network Name' -Cluster EXCLUSTER
Get-ClusterResource -Name 'SQL1 Name' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{Name='SQL1'}
Set-ClusterResourceDependency -Resource 'SQL1 Name' -Dependency '[SQL1 IP Address]' -Cluster EXCLUSTER
Add-ClusterResource -Name 'SQL1 Service' -Group SQL1 -ResourceType 'Generic Service' -Cluster EXCLUSTER
Get-ClusterResource -Name 'SQL1 Service' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{ServiceName='SQL1'}
Set-ClusterResourceDependency -Resource 'SQL1 Service' -Dependency '[SQL1 Name]' -Cluster EXCLUSTER
Start-ClusterGroup -Name SQL1 -Cluster EXCLUSTER
Add-ClusterGroup -Name SQL2 -Cluster EXCLUSTER
Set-ClusterOwnerNode -Group SQL2 -Owners NODE2 -Cluster EXCLUSTER
Add-ClusterResource -Name 'SQL2 IP Address' -Group SQL2 -ResourceType 'IP Address' -Cluster EXCLUSTER
Get-ClusterResource -Name 'SQL2 IP Address' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{Address='10.0.0.122'; Network='Public'; SubnetMask='255.255.255.0'}
Add-ClusterResource -Name 'SQL2 Name' -Group SQL2 -ResourceType 'Network Name' -Cluster EXCLUSTER
Get-ClusterResource -Name 'SQL2 Name' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{Name='SQL2'}
Set-ClusterResourceDependency -Resource 'SQL2 Name' -Dependency '[SQL2 IP Address]' -Cluster EXCLUSTER
Add-ClusterResource -Name 'SQL2 Service' -Group SQL2 -ResourceType 'Generic Service' -Cluster EXCLUSTER
Get-ClusterResource -Name 'SQL2 Service' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{ServiceName='SQL2'}
Set-ClusterResourceDependency -Resource 'SQL2 Service' -Dependency '[SQL2 Name]' -Cluster EXCLUSTER
Start-ClusterGroup -Name SQL2 -Cluster EXCLUSTER
$classes = New-Object -TypeName System.Collections.Specialized.StringCollection
[void]$classes.Add('SQL')
(Get-ClusterGroup -Name SQL1 -Cluster EXCLUSTER).AntiAffinityClassNames = $classes
$classes = New-Object -TypeName System.Collections.Specialized.StringCollection
[void]$classes.Add('SQL')
(Get-ClusterGroup -Name SQL2 -Cluster EXCLUSTER).AntiAffinityClassNames = $classes
$group = Get-ClusterGroup -Name SQL1 -Cluster EXCLUSTER
$group.FailoverThreshold = 10
$group.FailoverPeriod = 6
$group.AutoFailbackType = 0
$group.FailbackWindowStart = -1
$group.FailbackWindowEnd = -1

# Both nodes come back; SQL1 moves home
Move-ClusterGroup -Name SQL1 -Cluster EXCLUSTER
# in the rehearsal it went to NODE1, the first eligible node of its list

# Enforced: with no node free of SQL2, SQL1 stays Offline rather than share
$cluster = Get-Cluster -Name EXCLUSTER
$cluster.ClusterEnforcedAntiAffinity = 1

# NODE1 is back: SQL1 moves there and starts
Move-ClusterGroup -Name SQL1 -Node NODE1 -Cluster EXCLUSTER
