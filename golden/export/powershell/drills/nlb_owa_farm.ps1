# Exported by clusterscript (export to powershell) from runbooks/drills/nlb_owa_farm.star.
# Runbook: Drill: an OWA front-end farm on NLB
# The configuration changes of the rehearsal, in order, under its procedures and steps.
# Faults, repairs, clock moves, checks, lookups and client traffic are not exported;
# "prerequisite" lines are made before this script runs (servers, addresses, disks).
$ErrorActionPreference = 'Stop'
Import-Module NetworkLoadBalancingClusters

# Procedure: Create the NLB cluster for the OWA front-ends
# Step 1. Install three front-end servers; bind the cluster IP on each Public adapter
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
# Step 2. Create the cluster in unicast mode with its full Internet name
# NLB cluster owa.corp.example.com (10.0.0.100): New-NlbCluster creates it with its first host, below.
# Step 3. Add each front-end as a host with a unique priority and its dedicated IP
New-NlbCluster -HostName OWA1 -InterfaceName Public -ClusterName owa.corp.example.com -ClusterPrimaryIP 10.0.0.100 -SubnetMask 255.255.255.0 -DedicatedIP 10.0.0.21 -DedicatedIPSubnetMask 255.255.255.0 -OperationMode Unicast -Force
Set-NlbClusterNode -HostName OWA1 -InterfaceName Public -HostPriority 1 -InitialHostState Started -Force
Add-NlbClusterNode -HostName OWA1 -InterfaceName Public -NewNodeName OWA2 -NewNodeInterface Public -Force
Set-NlbClusterNode -HostName OWA2 -InterfaceName Public -HostPriority 2 -InitialHostState Started -Force
Add-NlbClusterNode -HostName OWA1 -InterfaceName Public -NewNodeName OWA3 -NewNodeInterface Public -Force
Set-NlbClusterNode -HostName OWA3 -InterfaceName Public -HostPriority 3 -InitialHostState Started -Force
# prerequisite: install_server "OWA4" edition="standard" version="2003" adapters=[Public, Private]
# prerequisite: configure_tcpip "OWA4" adapter="Public" ip="10.0.0.24" mask="255.255.255.0" gateway="" extra_ips=[] role="mixed"
# Step 4. Replace the default port rule: HTTP and HTTPS, TCP, single affinity for forms-based authentication

# refused (the default rule still covers 443): nlb_port_rule: port rule 443/tcp overlaps port rule 0-65535/both of NLB cluster owa.corp.example.com (same cluster IP, a shared protocol); remove that one with nlb_remove_port_rule(nlb, 0) or choose ports outside 0–65535
Remove-NlbClusterPortRule -HostName OWA1 -InterfaceName Public -Port 0 -Force
Add-NlbClusterPortRule -HostName OWA1 -InterfaceName Public -Protocol Tcp -StartPort 80 -EndPort 80 -Mode Multiple -Affinity Single
Add-NlbClusterPortRule -HostName OWA1 -InterfaceName Public -Protocol Tcp -StartPort 443 -EndPort 443 -Mode Multiple -Affinity Single
