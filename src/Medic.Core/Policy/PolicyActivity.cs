namespace Medic.Core.Policy;

/// <summary>What Medic is already doing, for the blast-radius rails.</summary>
public sealed record PolicyActivity
{
    /// <summary>Runs in flight on the target's service.</summary>
    public int RunningOnService { get; init; }

    /// <summary>Runs in flight in the target's namespace.</summary>
    public int RunningInNamespace { get; init; }

    /// <summary>Runs in flight in the target's cluster.</summary>
    public int RunningInCluster { get; init; }

    /// <summary>Other clusters with runs in flight.</summary>
    public IReadOnlyList<string> OtherClustersActive { get; init; } = [];

    /// <summary>Runs on the target in the last hour.</summary>
    public int LastHourOnTarget { get; init; }

    /// <summary>Runs anywhere in the last hour.</summary>
    public int LastHourGlobal { get; init; }

    /// <summary>Runs of this playbook in flight on the target.</summary>
    public int PlaybookRunning { get; init; }

    /// <summary>Runs of this playbook on the target in the last hour.</summary>
    public int PlaybookLastHour { get; init; }
}
