# Exported by clusterscript (export to powershell) from runbooks/procedures/16_nlb_cluster.star.
# Runbook: Configure the NLB cluster of the OWA front ends
# The configuration changes of the rehearsal, in order, under its procedures and steps.
# Faults, repairs, clock moves, checks, lookups and client traffic are not exported;
# "prerequisite" lines are made before this script runs (servers, addresses, disks).
$ErrorActionPreference = 'Stop'
Import-Module NetworkLoadBalancingClusters
# prerequisite: domain "corp.example.com" netbios="CORP"
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

# Procedure: How to configure the NLB cluster
# Step 4. Choose the cluster operation mode.
# NLB cluster owa.corp.example.com (10.0.0.200): New-NlbCluster creates it with its first host, below.
# Step 7. Replace it with OWA's rules: HTTP and HTTPS over TCP, single affinity.
# port rule 0-65535/both removed: the cluster's first host, below, is created without it
# port rule 80/tcp: added with the cluster's first host, below
# port rule 443/tcp: added with the cluster's first host, below
# Step 12. Leave the default state at Started.
New-NlbCluster -HostName OWA1 -InterfaceName Public -ClusterName owa.corp.example.com -ClusterPrimaryIP 10.0.0.200 -SubnetMask 255.255.255.0 -DedicatedIP 10.0.0.21 -DedicatedIPSubnetMask 255.255.255.0 -OperationMode Unicast -Force
Set-NlbClusterNode -HostName OWA1 -InterfaceName Public -HostPriority 1 -InitialHostState Started -Force
Remove-NlbClusterPortRule -HostName OWA1 -InterfaceName Public -Port 0 -Force
Add-NlbClusterPortRule -HostName OWA1 -InterfaceName Public -Protocol Tcp -StartPort 80 -EndPort 80 -Mode Multiple -Affinity Single
Add-NlbClusterPortRule -HostName OWA1 -InterfaceName Public -Protocol Tcp -StartPort 443 -EndPort 443 -Mode Multiple -Affinity Single
Add-NlbClusterNode -HostName OWA1 -InterfaceName Public -NewNodeName OWA2 -NewNodeInterface Public -Force
Set-NlbClusterNode -HostName OWA2 -InterfaceName Public -HostPriority 2 -InitialHostState Started -Force
