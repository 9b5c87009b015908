# Exported by clusterscript (export to powershell) from runbooks/procedures/01_create_cluster.star.
# Runbook: Procedure: create the cluster EXCLUSTER on NODE1
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

# Already in place: the Active Directory domain the cluster joins
# prerequisite: domain "corp.example.com" netbios="CORP"

# Procedure: How to create a Windows 2003 cluster
# Step 1. Install Windows Server 2003, Enterprise Edition, on the first node
# prerequisite: install_server "NODE1" edition="enterprise" version="2003" adapters=[Public, Private]
# Step 2. Give each network adapter a static TCP/IP address
# prerequisite: configure_tcpip "NODE1" adapter="Public" ip="10.0.0.11" mask="255.255.255.0" gateway="10.0.0.1" extra_ips=[] role="mixed"
# prerequisite: configure_tcpip "NODE1" adapter="Private" ip="192.168.1.11" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# Step 6. Add the account the Cluster service will run as
# prerequisite: create_user "CORP\clussvc" groups=[Domain Users]
# Step 8. Prepare the shared disks: basic, NTFS, each with a drive letter
# prerequisite: shared_disk "Quorum" kind="dynamic" fs="raw" letter="" signature="7D809930" servers=[NODE1]
# prerequisite: convert_to_basic "Quorum"
# prerequisite: format_disk "Quorum" letter="Q:" fs="NTFS"
# prerequisite: shared_disk "Data1" kind="basic" fs="raw" letter="" signature="A2D5FB1C" servers=[NODE1]
# prerequisite: format_disk "Data1" letter="R:" fs="NTFS"
# Step 9. Make sure the server is a member of the domain
# prerequisite: join_domain "NODE1" domain="corp.example.com"
# Step 23. Let the wizard create the cluster
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
