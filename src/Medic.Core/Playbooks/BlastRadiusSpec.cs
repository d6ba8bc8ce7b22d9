namespace Medic.Core.Playbooks;

/// <summary>A playbook's own blast-radius limits; each tightens the policy's, never loosens it.</summary>
public sealed record BlastRadiusSpec
{
    /// <summary>Runs of this playbook at once on one service. Default: the policy's limit.</summary>
    public int? MaxConcurrentRuns { get; init; }

    /// <summary>Runs of this playbook per hour on one target. Default: the policy's limit.</summary>
    public int? MaxActionsPerHour { get; init; }

    /// <summary>Share of a workload's replicas one step may touch at once, in (0, 1]. Default: the policy's limit.</summary>
    public double? MaxReplicaFraction { get; init; }
}
