using Medic.Core.Learning;
using Medic.Core.Rca;
using Medic.Core.Tests.Support;
using Medic.Core.Verification;
using Microsoft.Extensions.Time.Testing;

namespace Medic.Core.Tests.Learning;

/// <summary>The training job's offline evaluation of greedy playbook policies on the learner's logged decisions.</summary>
public sealed class TrainingJobTests
{
    private const string Signature = "bad-deploy|core|service";

    [Fact]
    public async Task A_greedy_policy_acts_only_after_replaying_the_logged_decisions_shows_it_at_least_as_good()
    {
        var (job, learner, versions, clock) = Job();
        // The logging policy chose restart 70% of the time (8 of its 28 runs fixed) and rollback 30% (11 of 12).
        for (var i = 0; i < 40; i++)
        {
            var (playbook, propensity, fixes) = i % 10 < 7 ? ("restart", 0.7, i % 5 == 0) : ("rollback", 0.3, i % 10 != 9 || i < 30);
            await learner.LearnAsync(Signature, playbook, fixes ? OutcomeKind.Recovered : OutcomeKind.NotRecovered, playbook == "restart" ? 0 : 1, CancellationToken.None);
            await learner.LogAsync(new LoggedDecision(Signature, playbook, propensity, fixes ? 1 : 0, clock.GetUtcNow()), CancellationToken.None);
        }

        (string, bool)[] candidates = [("restart", true), ("rollback", true)];
        Assert.Contains((await Choices(learner, candidates, 50)), c => c.Explored);

        var report = await job.RunAsync(TimeSpan.FromDays(1), CancellationToken.None);

        var version = Assert.Single(report.Versions);
        Assert.Equal((TrainingJob.PolicyModel, Signature, true, 40), (version.Model, version.Key, version.Swapped, version.TrainedOn));
        var policy = version.Policy!;
        Assert.Equal(("rollback", 12), (policy.PlaybookId, policy.Supported));
        Assert.Equal(19.0 / 40, policy.LoggedValue, 9); // 8 of 28 restarts and 11 of 12 rollbacks fixed
        Assert.Equal(11 / 0.3 / 40, policy.Ips, 9); // the eleven fixes by rollback, each weighted 1/0.3
        Assert.Equal(11.0 / 12, policy.SelfNormalized, 9);
        Assert.Same(version, Assert.Single(await versions.ListAsync(10, CancellationToken.None)));
        Assert.All(await Choices(learner, candidates, 50), c => Assert.Equal(("rollback", false, 1.0), (c.PlaybookId, c.Explored, c.Propensity)));

        // Already acting: not evaluated again. Forgetting the signature forgets that too.
        Assert.Empty((await job.RunAsync(TimeSpan.FromDays(1), CancellationToken.None)).Versions);
        Assert.True(await learner.ResetAsync(Signature, CancellationToken.None));
        var (log, greedy) = await learner.DecisionsAsync(CancellationToken.None);
        Assert.Empty(log);
        Assert.Empty(greedy);
    }

    [Fact]
    public async Task A_greedy_policy_on_too_few_of_its_own_choices_keeps_exploring_and_few_decisions_are_not_evaluated()
    {
        var (job, learner, _, clock) = Job();
        // Rollback has the better record, from two lucky runs; the log cannot vouch for it.
        for (var i = 0; i < 12; i++)
        {
            var playbook = i < 2 ? "rollback" : "restart";
            var fixes = playbook == "rollback" || i % 2 == 0;
            await learner.LearnAsync(Signature, playbook, fixes ? OutcomeKind.Recovered : OutcomeKind.NotRecovered, playbook == "restart" ? 0 : 1, CancellationToken.None);
            await learner.LogAsync(new LoggedDecision(Signature, playbook, 0.5, fixes ? 1 : 0, clock.GetUtcNow()), CancellationToken.None);
        }

        for (var i = 0; i < 5; i++)
        {
            await learner.LearnAsync("oom|core|service", "restart", OutcomeKind.Recovered, 0, CancellationToken.None);
            await learner.LogAsync(new LoggedDecision("oom|core|service", "restart", 1, 1, clock.GetUtcNow()), CancellationToken.None);
        }

        var report = await job.RunAsync(TimeSpan.FromDays(1), CancellationToken.None);

        var version = Assert.Single(report.Versions);
        Assert.Equal(("rollback", 2, false), (version.Policy!.PlaybookId, version.Policy.Supported, version.Swapped));
        Assert.Contains(report.Notes, n => n.StartsWith("playbook policies: 1 signature(s) with fewer than 10 verified decisions", StringComparison.Ordinal));
        Assert.Contains(await Choices(learner, [("restart", true), ("rollback", true)], 50), c => c.Explored);
        // Decisions older than the window are not replayed.
        clock.Advance(TimeSpan.FromDays(2));
        Assert.Empty((await job.RunAsync(TimeSpan.FromDays(1), CancellationToken.None)).Versions);
    }

    private static (TrainingJob Job, PlaybookLearner Learner, InMemoryModelVersionStore Versions, FakeTimeProvider Clock) Job()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));
        var (settings, incidents, signals) = (new InMemorySettingsStore(), new InMemoryIncidentStore(), new InMemorySignalStore());
        var learner = new PlaybookLearner(settings, new LearningOptions { Seed = 4 });
        var versions = new InMemoryModelVersionStore();
        var feedback = new DetectorFeedback(settings, incidents, signals, new InMemoryAuditLog(), clock);
        return (new TrainingJob(feedback, incidents, versions, new CalibrationInUse(), learner, clock), learner, versions, clock);
    }

    private static async Task<List<LearnedChoice>> Choices(PlaybookLearner learner, (string, bool)[] candidates, int count)
    {
        var choices = new List<LearnedChoice>();
        for (var i = 0; i < count; i++)
        {
            choices.Add(await learner.ChooseAsync(Signature, candidates, CancellationToken.None));
        }

        return choices;
    }
}
