# Exported by clusterscript (export to powershell) from runbooks/versions/quarantine_2016.star.
# Runbook: Windows Server 2016: a flapping node is quarantined
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
Add-ClusterGroup -Name APP1 -Cluster EXCLUSTER
Set-ClusterOwnerNode -Group APP1 -Owners NODE2,NODE3 -Cluster EXCLUSTER
Add-ClusterResource -Name 'APP1 IP Address' -Group APP1 -ResourceType 'IP Address' -Cluster EXCLUSTER
Get-ClusterResource -Name 'APP1 IP Address' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{Address='10.0.0.121'; Network='Public'; SubnetMask='255.255.255.0'}
Add-ClusterResource -Name 'APP1 Name' -Group APP1 -ResourceType 'Network Name' -Cluster EXCLUSTER
Get-ClusterResource -Name 'APP1 Name' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{Name='APP1'}
Set-ClusterResourceDependency -Resource 'APP1 Name' -Dependency '[APP1 IP Address]' -Cluster EXCLUSTER
Add-ClusterResource -Name 'APP1 Service' -Group APP1 -ResourceType 'Generic Service' -Cluster EXCLUSTER
Get-ClusterResource -Name 'APP1 Service' -Cluster EXCLUSTER | Set-ClusterParameter -Multiple @{ServiceName='APP1'}
Set-ClusterResourceDependency -Resource 'APP1 Service' -Dependency '[APP1 Name]' -Cluster EXCLUSTER
Start-ClusterGroup -Name APP1 -Cluster EXCLUSTER
