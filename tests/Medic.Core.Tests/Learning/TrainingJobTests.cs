using Medic.Core.Learning;
using Medic.Core.Learning.Drift;
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
    public async Task A_greedy_policy_chosen_on_older_decisions_acts_only_if_the_latest_held_back_ones_show_it_at_least_as_good()
    {
        var (job, learner, versions, audit, clock) = Job();
        // The logging policy chose restart 70% of the time and rollback 30%; rollback fixes far more often.
        for (var i = 0; i < 40; i++)
        {
            var (playbook, propensity, fixes) = i % 10 < 7 ? ("restart", 0.7, i % 5 == 0) : ("rollback", 0.3, i % 10 != 9 || i < 30);
            await LearnAsync(learner, Signature, playbook, propensity, fixes, clock);
        }

        (string, bool)[] candidates = [("restart", true), ("rollback", true)];
        Assert.Contains(await Choices(learner, candidates, 50), c => c.Explored);

        var report = await job.RunAsync(TimeSpan.FromDays(1), CancellationToken.None);

        // Chosen on the first 30 (restart fixed 6 of 21, rollback 9 of 9); judged on the last 10 (restart 2 of 7, rollback 2 of 3).
        var version = Assert.Single(report.Versions);
        Assert.Equal((TrainingJob.PolicyModel, Signature, 2, true, 30), (version.Model, version.Key, version.Version, version.Swapped, version.TrainedOn));
        var policy = version.Policy!;
        Assert.Equal(("rollback", 10, 3), (policy.PlaybookId, policy.Decisions, policy.Supported));
        Assert.Equal(0.4, policy.LoggedValue, 9);
        Assert.Equal(2 / 0.3 / 10, policy.Ips, 9); // its two fixes, each weighted 1/0.3
        Assert.Equal(2.0 / 3, policy.SelfNormalized, 9);
        Assert.Same(version, Assert.Single(await versions.ListAsync(10, CancellationToken.None)));
        Assert.Contains(audit.Entries, e => e.Action == "model.installed" && e.Subject == $"{TrainingJob.PolicyModel}/{Signature}");
        Assert.All(await Choices(learner, candidates, 50), c => Assert.Equal(("rollback", false, 1.0), (c.PlaybookId, c.Explored, c.Propensity)));

        // Acting: not evaluated again while rollback keeps the best record.
        Assert.Empty((await job.RunAsync(TimeSpan.FromDays(1), CancellationToken.None)).Versions);

        // Once rollback stops fixing and restart overtakes it, sampling resumes.
        for (var i = 0; i < 30; i++)
        {
            await LearnAsync(learner, Signature, "rollback", 1, fixes: false, clock);
        }

        Assert.Contains(await Choices(learner, candidates, 5), c => c.Explored);
        Assert.Empty((await learner.DecisionsAsync(CancellationToken.None)).Greedy);

        // Forgetting the signature forgets its log too.
        Assert.True(await learner.ResetAsync(Signature, CancellationToken.None));
        Assert.Empty((await learner.DecisionsAsync(CancellationToken.None)).Log);
    }

    [Fact]
    public async Task A_greedy_policy_with_too_few_of_its_own_choices_held_back_keeps_exploring_and_few_decisions_are_not_evaluated()
    {
        var (job, learner, _, _, clock) = Job();
        // Rollback has the better record, from two lucky early runs; the latest decisions cannot vouch for it.
        for (var i = 0; i < 24; i++)
        {
            var playbook = i < 2 ? "rollback" : "restart";
            await LearnAsync(learner, Signature, playbook, 0.5, fixes: playbook == "rollback" || i % 2 == 0, clock);
        }

        for (var i = 0; i < 5; i++)
        {
            await LearnAsync(learner, "oom|core|service", "restart", 1, fixes: true, clock);
        }

        var report = await job.RunAsync(TimeSpan.FromDays(1), CancellationToken.None);

        var version = Assert.Single(report.Versions);
        Assert.Equal(("rollback", 0, false), (version.Policy!.PlaybookId, version.Policy.Supported, version.Swapped));
        Assert.Contains(report.Notes, n => n.StartsWith("playbook policies: 1 signature(s) with fewer than 20 verified decisions", StringComparison.Ordinal));
        Assert.Contains(await Choices(learner, [("restart", true), ("rollback", true)], 50), c => c.Explored);

        // A second evaluation is the next version; decisions older than the window are not replayed.
        Assert.Equal(3, Assert.Single((await job.RunAsync(TimeSpan.FromDays(1), CancellationToken.None)).Versions).Version);
        clock.Advance(TimeSpan.FromDays(2));
        Assert.Empty((await job.RunAsync(TimeSpan.FromDays(1), CancellationToken.None)).Versions);
    }

    [Fact]
    public async Task One_run_at_a_time_a_second_is_refused_rather_than_queued_when_asked_not_to_wait()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));
        var (settings, incidents, audit) = (new InMemorySettingsStore(), new InMemoryIncidentStore(), new InMemoryAuditLog());
        var detectors = new HeldDetectors();
        var feedback = new DetectorFeedback(settings, incidents, new InMemorySignalStore(), audit, clock);
        using var job = new TrainingJob(feedback, incidents, new InMemoryModelVersionStore(), new CalibrationInUse(), new PlaybookLearner(settings, new LearningOptions()), audit, clock, detectors);

        var first = job.RunAsync(TimeSpan.FromDays(1), CancellationToken.None);
        await detectors.Asked.Task;
        Assert.Null(await job.TryRunAsync(TimeSpan.FromDays(1), TimeSpan.Zero, CancellationToken.None));

        detectors.Release.SetResult([]);
        Assert.Contains((await first).Notes, n => n.StartsWith("detectors: no service's isolation forest", StringComparison.Ordinal));
        Assert.NotNull(await job.TryRunAsync(TimeSpan.FromDays(1), TimeSpan.Zero, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>A detection stage that answers a training request only when told to.</summary>
    private sealed class HeldDetectors : IDetectorTrainer
    {
        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<IReadOnlyList<ModelVersion>> Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool RetrainWaiting => Asked.Task.IsCompleted && !Release.Task.IsCompleted;

        public Task<IReadOnlyList<ModelVersion>> RetrainAsync(DateTimeOffset from, CancellationToken cancellationToken)
        {
            Asked.TrySetResult();
            return Release.Task;
        }
    }

    private static (TrainingJob Job, PlaybookLearner Learner, InMemoryModelVersionStore Versions, InMemoryAuditLog Audit, FakeTimeProvider Clock) Job()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));
        var (settings, incidents, signals, audit) = (new InMemorySettingsStore(), new InMemoryIncidentStore(), new InMemorySignalStore(), new InMemoryAuditLog());
        var learner = new PlaybookLearner(settings, new LearningOptions { Seed = 4 });
        var versions = new InMemoryModelVersionStore();
        var feedback = new DetectorFeedback(settings, incidents, signals, audit, clock);
        return (new TrainingJob(feedback, incidents, versions, new CalibrationInUse(), learner, audit, clock), learner, versions, audit, clock);
    }

    /// <summary>What the learning stage does after a verified run: learn the outcome and log the decision.</summary>
    private static async Task LearnAsync(PlaybookLearner learner, string signature, string playbook, double propensity, bool fixes, FakeTimeProvider clock)
    {
        await learner.LearnAsync(signature, playbook, fixes ? OutcomeKind.Recovered : OutcomeKind.NotRecovered, playbook == "restart" ? 0 : 1, CancellationToken.None);
        await learner.LogAsync(new LoggedDecision(signature, playbook, propensity, fixes ? 1 : 0, clock.GetUtcNow()), CancellationToken.None);
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
