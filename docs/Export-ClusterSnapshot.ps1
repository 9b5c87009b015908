<#
.SYNOPSIS
    Writes a JSON snapshot of this failover cluster, and of the NLB cluster
    this host belongs to, for `clusterscript import`.

.DESCRIPTION
    Run it on a node of the cluster (Windows Server 2008 R2 or later, with
    PowerShell 3.0 or later). It only reads: every cluster command it runs
    is a Get- cmdlet of the FailoverClusters or NetworkLoadBalancingClusters
    module, and it changes nothing on the cluster. Every property is chosen
    by name (Select-Object) and enumerations are written as their names, so
    the file does not depend on the PowerShell version that wrote it. The
    format is clusterscript's snapshot schema, version 1 (docs/import.md).

.PARAMETER Path
    The file to write (UTF-8). Default: cluster-snapshot.json in the
    current folder.

.PARAMETER NoCluster
    Leave the failover cluster out (an NLB host that is no cluster node).

.PARAMETER Nlb
    Add the NLB cluster this host is a member of.

.EXAMPLE
    .\Export-ClusterSnapshot.ps1 -Path C:\Temp\fs.json
    clusterscript import fs.json --state fs-world.json
#>
#Requires -Version 3.0
[CmdletBinding()]
param(
    [string] $Path = 'cluster-snapshot.json',
    [switch] $NoCluster,
    [switch] $Nlb
)

$ErrorActionPreference = 'Stop'

# The text of a value, or $null: enumerations become their names, cluster
# objects (nodes, groups, networks) their names.
function ConvertTo-Text($Value) {
    if ($null -eq $Value) { return $null }
    return [string]$Value
}

$snapshot = [ordered]@{
    schema     = 'clusterscript-snapshot'
    version    = 1
    os_version = [string][Environment]::OSVersion.Version
}

if (-not $NoCluster) {
    $snapshot.cluster = Get-Cluster | Select-Object Name, Domain,
        SameSubnetDelay, SameSubnetThreshold, CrossSubnetDelay, CrossSubnetThreshold,
        DynamicQuorum, ClusterEnforcedAntiAffinity, LowerQuorumPriorityNodeID,
        QuarantineThreshold, QuarantineDuration, PreferredSite

    $snapshot.nodes = @(Get-ClusterNode | Select-Object Name, Id,
        @{ Name = 'State'; Expression = { ConvertTo-Text $_.State } },
        NodeWeight, MajorVersion, MinorVersion, BuildNumber)

    # Sites, racks and chassis arrived in Windows Server 2016; before it the
    # cmdlet does not exist and the snapshot has no fault domains.
    try {
        $snapshot.fault_domains = @(Get-ClusterFaultDomain | Select-Object Name,
            @{ Name = 'Type'; Expression = { ConvertTo-Text $_.Type } },
            ParentName)
    } catch [System.Management.Automation.CommandNotFoundException] {
        Write-Verbose 'No fault domains: this cluster predates Windows Server 2016'
    }

    $snapshot.networks = @(Get-ClusterNetwork | Select-Object Name, Address, AddressMask,
        @{ Name = 'Role'; Expression = { ConvertTo-Text $_.Role } })

    $snapshot.interfaces = @(Get-ClusterNetworkInterface | Select-Object @{ Name = 'Node'; Expression = { ConvertTo-Text $_.Node } },
        @{ Name = 'Network'; Expression = { ConvertTo-Text $_.Network } },
        Address)

    $snapshot.quorum = Get-ClusterQuorum | Select-Object @{ Name = 'QuorumType'; Expression = { ConvertTo-Text $_.QuorumType } },
        @{ Name = 'QuorumResource'; Expression = { ConvertTo-Text $_.QuorumResource } }

    $snapshot.groups = @(Get-ClusterGroup | Select-Object Name,
        @{ Name = 'OwnerNode'; Expression = { ConvertTo-Text $_.OwnerNode } },
        @{ Name = 'State'; Expression = { ConvertTo-Text $_.State } },
        Description,
        @{ Name = 'GroupType'; Expression = { ConvertTo-Text $_.GroupType } },
        IsCoreGroup, FailoverThreshold, FailoverPeriod, AutoFailbackType,
        FailbackWindowStart, FailbackWindowEnd, Priority,
        @{ Name = 'AntiAffinityClassNames'; Expression = { @($_.AntiAffinityClassNames | ForEach-Object { [string]$_ }) } },
        @{ Name = 'PreferredOwners'; Expression = {
            @((Get-ClusterOwnerNode -Group $_.Name).OwnerNodes | ForEach-Object { ConvertTo-Text $_ }) } })

    $snapshot.resources = @(Get-ClusterResource | Select-Object Name,
        @{ Name = 'OwnerGroup'; Expression = { ConvertTo-Text $_.OwnerGroup } },
        @{ Name = 'ResourceType'; Expression = { ConvertTo-Text $_.ResourceType } },
        @{ Name = 'State'; Expression = { ConvertTo-Text $_.State } },
        Description, RestartAction, RestartThreshold, RestartPeriod, RetryPeriodOnFailure,
        PendingTimeout, IsAlivePollInterval, LooksAlivePollInterval, SeparateMonitor,
        @{ Name = 'PossibleOwners'; Expression = {
            @((Get-ClusterOwnerNode -Resource $_.Name).OwnerNodes | ForEach-Object { ConvertTo-Text $_ }) } },
        @{ Name = 'DependencyExpression'; Expression = {
            ConvertTo-Text (Get-ClusterResourceDependency -Resource $_.Name).DependencyExpression } },
        @{ Name = 'Parameters'; Expression = {
            $parameters = [ordered]@{}
            Get-ClusterParameter -InputObject $_ | Select-Object Name, Value |
                ForEach-Object { $parameters[$_.Name] = ConvertTo-Text $_.Value }
            $parameters } })
}

if ($Nlb) {
    $nlbCluster = Get-NlbCluster
    $snapshot.nlb = [ordered]@{
        cluster    = $nlbCluster | Select-Object Name,
            @{ Name = 'IPAddress'; Expression = { ConvertTo-Text $_.IPAddress } },
            @{ Name = 'SubnetMask'; Expression = { ConvertTo-Text $_.SubnetMask } },
            @{ Name = 'Mode'; Expression = { ConvertTo-Text $_.Mode } }
        nodes      = @(Get-NlbClusterNode -InputObject $nlbCluster | Select-Object Name, InterfaceName, HostPriority,
            @{ Name = 'InitialHostState'; Expression = { ConvertTo-Text $_.InitialHostState } },
            @{ Name = 'State'; Expression = { ConvertTo-Text $_.State } },
            @{ Name = 'DedicatedIPs'; Expression = {
                @(Get-NlbClusterNodeDip -InputObject $_ | Select-Object @{ Name = 'IPAddress'; Expression = { ConvertTo-Text $_.IPAddress } },
                    @{ Name = 'SubnetMask'; Expression = { ConvertTo-Text $_.SubnetMask } }) } })
        port_rules = @(Get-NlbClusterNode -InputObject $nlbCluster | Get-NlbClusterPortRule | Select-Object NodeName,
            @{ Name = 'VirtualIPAddress'; Expression = { ConvertTo-Text $_.VirtualIPAddress } },
            StartPort, EndPort,
            @{ Name = 'Protocol'; Expression = { ConvertTo-Text $_.Protocol } },
            @{ Name = 'FilteringMode'; Expression = { ConvertTo-Text $_.FilteringMode } },
            @{ Name = 'Affinity'; Expression = { ConvertTo-Text $_.Affinity } },
            EqualLoad, LoadWeight, Priority, Timeout,
            @{ Name = 'PortState'; Expression = { ConvertTo-Text $_.PortState } })
    }
}

# UTF-8 without a byte order mark, whatever the PowerShell version.
$json = $snapshot | ConvertTo-Json -Depth 8
$file = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
[System.IO.File]::WriteAllText($file, $json, (New-Object System.Text.UTF8Encoding $false))
Write-Verbose "Snapshot written to $Path"
