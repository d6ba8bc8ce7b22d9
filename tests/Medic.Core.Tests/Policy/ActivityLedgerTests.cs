using Medic.Core.Policy;
using Medic.Core.Tests.Support;
using Medic.Core.Workflows;
using Microsoft.Extensions.Time.Testing;

namespace Medic.Core.Tests.Policy;

public sealed class ActivityLedgerTests
{
    private readonly FakeTimeProvider _clock = new(Some.Start);
    private readonly InMemoryRunStore _runs = new();

    [Fact]
    public async Task Runs_count_against_the_hourly_limit_for_an_hour_and_then_not()
    {
        await Run("cart", RunState.Succeeded);
        _clock.Advance(TimeSpan.FromMinutes(40));
        await Run("cart", RunState.Succeeded);
        await Run("payment", RunState.Succeeded);

        var now = await Ledger().ForAsync(new PolicyTarget("cart", "shop"), "p", CancellationToken.None);
        Assert.Equal((2, 3), (now.LastHourOnTarget, now.LastHourGlobal));

        _clock.Advance(TimeSpan.FromMinutes(21));
        var later = await Ledger().ForAsync(new PolicyTarget("cart", "shop"), "p", CancellationToken.None);
        Assert.Equal((1, 2), (later.LastHourOnTarget, later.LastHourGlobal));
    }

    [Fact]
    public async Task Runs_in_flight_count_per_service_namespace_and_cluster_however_old()
    {
        await Run("cart", RunState.Running);
        await Run("payment", RunState.Running, cluster: "eu-west");
        _clock.Advance(TimeSpan.FromHours(3));

        var activity = await Ledger().ForAsync(new PolicyTarget("cart", "shop"), "p", CancellationToken.None);
        Assert.Equal(1, activity.RunningOnService);
        Assert.Equal(1, activity.RunningInNamespace);
        Assert.Equal(1, activity.RunningInCluster);
        Assert.Equal(["eu-west"], activity.OtherClustersActive);
        Assert.Equal(1, activity.PlaybookRunning);
    }

    [Fact]
    public async Task Blocked_runs_and_dry_runs_changed_nothing_and_do_not_count()
    {
        await Run("cart", RunState.Blocked);
        await Run("cart", RunState.DryRun);

        var activity = await Ledger().ForAsync(new PolicyTarget("cart", "shop"), "p", CancellationToken.None);
        Assert.Equal(0, activity.LastHourGlobal);
    }

    private ActivityLedger Ledger() => new(_runs, _clock);

    private Task Run(string service, RunState state, string cluster = "default") => _runs.SaveAsync(
        new Run
        {
            Id = Guid.NewGuid().ToString("n"),
            DecisionId = "d",
            IncidentId = "i",
            PlaybookId = "p",
            State = state,
            StartedAt = _clock.GetUtcNow(),
            Steps = [],
            Target = new PolicyTarget(service, "shop", Cluster: cluster),
        },
        CancellationToken.None);
}
