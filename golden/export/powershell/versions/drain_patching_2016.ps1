# Exported by clusterscript (export to powershell) from runbooks/versions/drain_patching_2016.star.
# Runbook: Windows Server 2016: drain and failback for patching
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
# prerequisite: shared_disk "Quorum" kind="basic" fs="NTFS" letter="Q:" signature="7D809930" servers=[NODE1, NODE2, NODE3]
New-Cluster -Name EXCLUSTER -Node NODE1 -StaticAddress 10.0.0.100 -NoStorage
Add-ClusterResource -Name 'Disk Q:' -Group 'Cluster Group' -ResourceType 'Physical Disk' -Cluster EXCLUSTER
Get-ClusterResource -Name 'Disk Q:' -Cluster EXCLUSTER | Set-ClusterParameter -Name DiskSignature -Value 0x7D809930
# disk Quorum, drive Q:
Set-ClusterQuorum -NodeAndDiskMajority 'Disk Q:' -Cluster EXCLUSTER
Add-ClusterNode -Name NODE2 -Cluster EXCLUSTER
Add-ClusterNode -Name NODE3 -Cluster EXCLUSTER
Add-ClusterGroup -Name FS1 -Cluster EXCLUSTER
Set-ClusterOwnerNode -Group FS1 -Owners NODE1,NODE2 -Cluster EXCLUSTER
Add-ClusterResource -Name 'FS1 IP Address' -Group FS1 -ResourceType 'IP Address' -Cluster EXCLUSTER
Get-ClusterResource -Name 'FS1 IP Address' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{Address='10.0.0.121'; Network='Public'; SubnetMask='255.255.255.0'}
Add-ClusterResource -Name 'FS1 Name' -Group FS1 -ResourceType 'Network Name' -Cluster EXCLUSTER
Get-ClusterResource -Name 'FS1 Name' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{Name='FS1'}
Set-ClusterResourceDependency -Resource 'FS1 Name' -Dependency '[FS1 IP Address]' -Cluster EXCLUSTER
Add-ClusterResource -Name 'FS1 Service' -Group FS1 -ResourceType 'Generic Service' -Cluster EXCLUSTER
Get-ClusterResource -Name 'FS1 Service' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{ServiceName='FS1'}
Set-ClusterResourceDependency -Resource 'FS1 Service' -Dependency '[FS1 Name]' -Cluster EXCLUSTER
Start-ClusterGroup -Name FS1 -Cluster EXCLUSTER
Add-ClusterGroup -Name SQL1 -Cluster EXCLUSTER
Set-ClusterOwnerNode -Group SQL1 -Owners NODE2,NODE3 -Cluster EXCLUSTER
Add-ClusterResource -Name 'SQL1 IP Address' -Group SQL1 -ResourceType 'IP Address' -Cluster EXCLUSTER
Get-ClusterResource -Name 'SQL1 IP Address' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{Address='10.0.0.122'; Network='Public'; SubnetMask='255.255.255.0'}
Add-ClusterResource -Name 'SQL1 Name' -Group SQL1 -ResourceType 'Network Name' -Cluster EXCLUSTER
Get-ClusterResource -Name 'SQL1 Name' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{Name='SQL1'}
Set-ClusterResourceDependency -Resource 'SQL1 Name' -Dependency '[SQL1 IP Address]' -Cluster EXCLUSTER
Add-ClusterResource -Name 'SQL1 Service' -Group SQL1 -ResourceType 'Generic Service' -Cluster EXCLUSTER
Get-ClusterResource -Name 'SQL1 Service' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{ServiceName='SQL1'}
Set-ClusterResourceDependency -Resource 'SQL1 Service' -Dependency '[SQL1 Name]' -Cluster EXCLUSTER
Start-ClusterGroup -Name SQL1 -Cluster EXCLUSTER
Add-ClusterGroup -Name WEB1 -Cluster EXCLUSTER
Set-ClusterOwnerNode -Group WEB1 -Owners NODE3,NODE1 -Cluster EXCLUSTER
Add-ClusterResource -Name 'WEB1 IP Address' -Group WEB1 -ResourceType 'IP Address' -Cluster EXCLUSTER
Get-ClusterResource -Name 'WEB1 IP Address' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{Address='10.0.0.123'; Network='Public'; SubnetMask='255.255.255.0'}
Add-ClusterResource -Name 'WEB1 Name' -Group WEB1 -ResourceType 'Network Name' -Cluster EXCLUSTER
Get-ClusterResource -Name 'WEB1 Name' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{Name='WEB1'}
Set-ClusterResourceDependency -Resource 'WEB1 Name' -Dependency '[WEB1 IP Address]' -Cluster EXCLUSTER
Add-ClusterResource -Name 'WEB1 Service' -Group WEB1 -ResourceType 'Generic Service' -Cluster EXCLUSTER
Get-ClusterResource -Name 'WEB1 Service' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{ServiceName='WEB1'}
Set-ClusterResourceDependency -Resource 'WEB1 Service' -Dependency '[WEB1 Name]' -Cluster EXCLUSTER
Start-ClusterGroup -Name WEB1 -Cluster EXCLUSTER
(Get-ClusterGroup -Name SQL1 -Cluster EXCLUSTER).Priority = 3000
(Get-ClusterGroup -Name WEB1 -Cluster EXCLUSTER).Priority = 1000

# Procedure: Patch each node in turn
# Step 1. Drain NODE1, update it, resume it with failback
Suspend-ClusterNode -Name NODE1 -Cluster EXCLUSTER -Drain

# NODE1 is drained; updates install, its Cluster service stops and the server restarts
Stop-ClusterNode -Name NODE1 -Cluster EXCLUSTER
Resume-ClusterNode -Name NODE1 -Cluster EXCLUSTER -Failback Immediate
# Step 2. Drain NODE2, update it, resume it with failback
Suspend-ClusterNode -Name NODE2 -Cluster EXCLUSTER -Drain

# NODE2 is drained; updates install, its Cluster service stops and the server restarts
Stop-ClusterNode -Name NODE2 -Cluster EXCLUSTER
Resume-ClusterNode -Name NODE2 -Cluster EXCLUSTER -Failback Immediate
# Step 3. Drain NODE3, update it, resume it with failback
Suspend-ClusterNode -Name NODE3 -Cluster EXCLUSTER -Drain

# NODE3 is drained; updates install, its Cluster service stops and the server restarts
Stop-ClusterNode -Name NODE3 -Cluster EXCLUSTER
Resume-ClusterNode -Name NODE3 -Cluster EXCLUSTER -Failback Immediate
