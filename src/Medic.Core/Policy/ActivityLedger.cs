using Medic.Core.Storage;

namespace Medic.Core.Policy;

/// <summary>Counts what Medic is doing and has done in the last hour, from the run store, for the blast-radius rails.</summary>
public sealed class ActivityLedger(IRunStore runs, TimeProvider clock)
{
    /// <summary>The activity around <paramref name="target"/> for <paramref name="playbookId"/>.</summary>
    public async Task<PolicyActivity> ForAsync(PolicyTarget target, string playbookId, CancellationToken cancellationToken)
    {
        var hourAgo = clock.GetUtcNow().AddHours(-1);
        var recent = (await runs.ListRecentAsync(hourAgo, cancellationToken)).Where(r => r.Acted && r.Target is not null).ToList();
        var running = recent.Where(r => r.State == Workflows.RunState.Running).ToList();
        var lastHour = recent.Where(r => r.StartedAt >= hourAgo).ToList();
        return new PolicyActivity
        {
            RunningOnService = running.Count(r => target.Service is not null && r.Target!.Service == target.Service && r.Target.Namespace == target.Namespace && r.Target.Cluster == target.Cluster),
            RunningInNamespace = running.Count(r => target.Namespace is not null && r.Target!.Namespace == target.Namespace && r.Target.Cluster == target.Cluster),
            RunningInCluster = running.Count(r => r.Target!.Cluster == target.Cluster),
            OtherClustersActive = running.Select(r => r.Target!.Cluster).Where(c => c != target.Cluster).Distinct(StringComparer.Ordinal).ToList(),
            LastHourOnTarget = lastHour.Count(r => r.Target!.Key == target.Key),
            LastHourGlobal = lastHour.Count,
            PlaybookRunning = running.Count(r => r.PlaybookId == playbookId && r.Target!.Key == target.Key),
            PlaybookLastHour = lastHour.Count(r => r.PlaybookId == playbookId && r.Target!.Key == target.Key),
        };
    }
}
