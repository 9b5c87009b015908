# Exported by clusterscript (export to powershell) from runbooks/drills/nlb_drainstop.star.
# Runbook: Drill: drainstop an NLB host for patching
# The configuration changes of the rehearsal, in order, under its procedures and steps.
# Faults, repairs, clock moves, checks, lookups and client traffic are not exported;
# "prerequisite" lines are made before this script runs (servers, addresses, disks).
$ErrorActionPreference = 'Stop'
Import-Module NetworkLoadBalancingClusters
# prerequisite: domain "corp.example.com" netbios="CORP"
# prerequisite: install_server "OWA1" edition="standard" version="2003" adapters=[Public, Private]
# prerequisite: configure_tcpip "OWA1" adapter="Public" ip="10.0.0.21" mask="255.255.255.0" gateway="" extra_ips=[10.0.0.100] role="mixed"
# prerequisite: configure_tcpip "OWA1" adapter="Private" ip="192.168.2.21" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "OWA1" domain="corp.example.com"
# prerequisite: install_component "OWA1" component="ASP.NET"
# prerequisite: install_server "OWA2" edition="standard" version="2003" adapters=[Public, Private]
# prerequisite: configure_tcpip "OWA2" adapter="Public" ip="10.0.0.22" mask="255.255.255.0" gateway="" extra_ips=[10.0.0.100] role="mixed"
# prerequisite: configure_tcpip "OWA2" adapter="Private" ip="192.168.2.22" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "OWA2" domain="corp.example.com"
# prerequisite: install_component "OWA2" component="ASP.NET"
# prerequisite: install_server "OWA3" edition="standard" version="2003" adapters=[Public, Private]
# prerequisite: configure_tcpip "OWA3" adapter="Public" ip="10.0.0.23" mask="255.255.255.0" gateway="" extra_ips=[10.0.0.100] role="mixed"
# prerequisite: configure_tcpip "OWA3" adapter="Private" ip="192.168.2.23" mask="255.255.255.0" gateway="" extra_ips=[] role="private"
# prerequisite: join_domain "OWA3" domain="corp.example.com"
# prerequisite: install_component "OWA3" component="ASP.NET"
# NLB cluster owa.corp.example.com (10.0.0.100): New-NlbCluster creates it with its first host, below.
New-NlbCluster -HostName OWA1 -InterfaceName Public -ClusterName owa.corp.example.com -ClusterPrimaryIP 10.0.0.100 -SubnetMask 255.255.255.0 -DedicatedIP 10.0.0.21 -DedicatedIPSubnetMask 255.255.255.0 -OperationMode Unicast -Force
Set-NlbClusterNode -HostName OWA1 -InterfaceName Public -HostPriority 1 -InitialHostState Started -Force
Add-NlbClusterNode -HostName OWA1 -InterfaceName Public -NewNodeName OWA2 -NewNodeInterface Public -Force
Set-NlbClusterNode -HostName OWA2 -InterfaceName Public -HostPriority 2 -InitialHostState Started -Force
Add-NlbClusterNode -HostName OWA1 -InterfaceName Public -NewNodeName OWA3 -NewNodeInterface Public -Force
Set-NlbClusterNode -HostName OWA3 -InterfaceName Public -HostPriority 3 -InitialHostState Started -Force
Remove-NlbClusterPortRule -HostName OWA1 -InterfaceName Public -Port 0 -Force
Add-NlbClusterPortRule -HostName OWA1 -InterfaceName Public -Protocol Tcp -StartPort 80 -EndPort 80 -Mode Multiple -Affinity Single
Add-NlbClusterPortRule -HostName OWA1 -InterfaceName Public -Protocol Tcp -StartPort 443 -EndPort 443 -Mode Multiple -Affinity Single

# Procedure: Drainstop a host for patching
# Step 1. Drainstop OWA3: no new connections; its users carry on
Stop-NlbClusterNode -HostName OWA3 -InterfaceName Public -Drain
# Step 3. Suspend OWA3 so that no script starts it during the patch
Suspend-NlbClusterNode -HostName OWA3 -InterfaceName Public
# Step 4. Resume and start OWA3; it converges back in
Resume-NlbClusterNode -HostName OWA3 -InterfaceName Public
Start-NlbClusterNode -HostName OWA3 -InterfaceName Public
