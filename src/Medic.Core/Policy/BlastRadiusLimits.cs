namespace Medic.Core.Policy;

/// <summary>
/// How much Medic may do at once and per hour before a person must decide. A run counts as one
/// action. Limits stop automatic action (the decision falls back to approval); they never block
/// a person.
/// </summary>
public sealed record BlastRadiusLimits
{
    /// <summary>Runs in flight on one service. Default 1.</summary>
    public int MaxConcurrentRunsPerService { get; init; } = 1;

    /// <summary>Runs in flight in one namespace. Default 3.</summary>
    public int MaxConcurrentRunsPerNamespace { get; init; } = 3;

    /// <summary>Runs in flight in one cluster. Default 5.</summary>
    public int MaxConcurrentRunsPerCluster { get; init; } = 5;

    /// <summary>Runs per hour on one target (service or node). Default 3.</summary>
    public int MaxActionsPerHourPerTarget { get; init; } = 3;

    /// <summary>Runs per hour in all. Default 20.</summary>
    public int MaxActionsPerHourGlobal { get; init; } = 20;

    /// <summary>Share of a workload's replicas one step may take down at once (scale-down, pod deletion). Default 0.5.</summary>
    public double MaxReplicaFraction { get; init; } = 0.5;

    /// <summary>Act in one cluster at a time: no automatic run while another cluster has one in flight. Default true.</summary>
    public bool OneClusterAtATime { get; init; } = true;
}
