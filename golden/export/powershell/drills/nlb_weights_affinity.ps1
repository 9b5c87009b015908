# Exported by clusterscript (export to powershell) from runbooks/drills/nlb_weights_affinity.star.
# Runbook: Drill: NLB load weights and affinities side by side
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

# Procedure: Compare load weights and affinities
# Step 1. One rule per variant: equal load, weighted load, affinity none, affinity network
Add-NlbClusterPortRule -HostName OWA1 -InterfaceName Public -Protocol Tcp -StartPort 8001 -EndPort 8001 -Mode Multiple -Affinity Single
Add-NlbClusterPortRule -HostName OWA1 -InterfaceName Public -Protocol Tcp -StartPort 8002 -EndPort 8002 -Mode Multiple -Affinity Single
Set-NlbClusterPortRuleNodeWeight -HostName OWA1 -InterfaceName Public -IP 255.255.255.255 -Port 8002 -LoadWeight 60
Set-NlbClusterPortRuleNodeWeight -HostName OWA2 -InterfaceName Public -IP 255.255.255.255 -Port 8002 -LoadWeight 30
Set-NlbClusterPortRuleNodeWeight -HostName OWA3 -InterfaceName Public -IP 255.255.255.255 -Port 8002 -LoadWeight 10
Add-NlbClusterPortRule -HostName OWA1 -InterfaceName Public -Protocol Tcp -StartPort 8003 -EndPort 8003 -Mode Multiple -Affinity None
Add-NlbClusterPortRule -HostName OWA1 -InterfaceName Public -Protocol Tcp -StartPort 8004 -EndPort 8004 -Mode Multiple -Affinity Network
# Step 5. A single-host rule with handling priorities, and a disabled rule
Add-NlbClusterPortRule -HostName OWA1 -InterfaceName Public -Protocol Tcp -StartPort 25 -EndPort 25 -Mode Single -Affinity Single
Set-NlbClusterPortRuleNodeHandlingPriority -HostName OWA1 -InterfaceName Public -IP 255.255.255.255 -Port 25 -HandlingPriority 2
Set-NlbClusterPortRuleNodeHandlingPriority -HostName OWA2 -InterfaceName Public -IP 255.255.255.255 -Port 25 -HandlingPriority 3
Set-NlbClusterPortRuleNodeHandlingPriority -HostName OWA3 -InterfaceName Public -IP 255.255.255.255 -Port 25 -HandlingPriority 1
Add-NlbClusterPortRule -HostName OWA1 -InterfaceName Public -Protocol Both -StartPort 135 -EndPort 139 -Mode Disabled -Affinity Single
Stop-NlbClusterNode -HostName OWA3 -InterfaceName Public
