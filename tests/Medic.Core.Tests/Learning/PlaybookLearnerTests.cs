using Medic.Core.Learning;
using Medic.Core.Tests.Support;
using Medic.Core.Verification;

namespace Medic.Core.Tests.Learning;

public sealed class PlaybookLearnerTests
{
    private const string Signature = "oom|core|service";

    [Fact]
    public void The_posterior_counts_successes_and_failures_and_harm_counts_more()
    {
        var arm = new BetaArm(1, 1, 0).Update(1).Update(1).Update(1).Update(0);

        Assert.Equal((4, 2, 4), (arm.Alpha, arm.Beta, arm.Pulls));
        Assert.Equal(2.0 / 3, arm.Mean, 9);
        Assert.Equal((4, 5, 5), (arm.Update(0, weight: 3).Alpha, arm.Update(0, weight: 3).Beta, arm.Update(0, weight: 3).Pulls));
    }

    [Fact]
    public async Task Thompson_sampling_settles_on_the_playbook_that_fixes_and_stops_trying_the_one_that_does_not()
    {
        using var learner = new PlaybookLearner(new InMemorySettingsStore(), new LearningOptions { Seed = 7 });
        // The priorities put the wrong one first.
        (string, bool)[] candidates = [("restart", true), ("rollback", true)];
        var chosen = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            var choice = await learner.ChooseAsync(Signature, candidates, CancellationToken.None);
            Assert.True(choice.Explored);
            Assert.InRange(choice.Propensity, 0.0009, 1);
            chosen.Add(choice.PlaybookId);
            await learner.LearnAsync(Signature, choice.PlaybookId, choice.PlaybookId == "rollback" ? OutcomeKind.Recovered : OutcomeKind.NotRecovered, choice.PlaybookId == "restart" ? 0 : 1, CancellationToken.None);
        }

        Assert.True(chosen.TakeLast(100).Count(c => c == "rollback") >= 95, string.Join(",", chosen.TakeLast(100)));
        var arms = (await learner.SnapshotAsync(CancellationToken.None))[Signature];
        Assert.True(arms["restart"].Pulls < 20, $"restart tried {arms["restart"].Pulls} times");
    }

    [Fact]
    public async Task Where_nothing_may_be_tried_on_its_own_the_candidates_are_ranked_and_the_priorities_lead_until_outcomes_speak()
    {
        using var learner = new PlaybookLearner(new InMemorySettingsStore(), new LearningOptions { Seed = 1 });
        (string, bool)[] candidates = [("restart", false), ("rollback", false)];

        var first = await learner.ChooseAsync(Signature, candidates, CancellationToken.None);
        Assert.Equal(("restart", false, 1.0), (first.PlaybookId, first.Explored, first.Propensity));
        Assert.Equal(["restart", "rollback"], first.Ranking.Select(r => r.PlaybookId));

        await learner.LearnAsync(Signature, "restart", OutcomeKind.MadeWorse, 0, CancellationToken.None);
        var after = await learner.ChooseAsync(Signature, candidates, CancellationToken.None);

        Assert.Equal("rollback", after.PlaybookId);
        Assert.Contains("ranked by learned success, rollback first for oom|core|service: rollback 0.50, restart 0.33", after.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_nothing_learnt_two_candidates_alike_are_each_chosen_half_the_time_and_that_is_the_logged_propensity()
    {
        using var learner = new PlaybookLearner(new InMemorySettingsStore(), new LearningOptions { Seed = 3, PriorityHeadStart = 0, PropensityDraws = 4_000 });

        var choice = await learner.ChooseAsync(Signature, [("a", true), ("b", true)], CancellationToken.None);

        Assert.InRange(choice.Propensity, 0.45, 0.55);
    }

    [Fact]
    public async Task What_was_learnt_survives_a_restart_and_a_signature_can_be_forgotten()
    {
        var store = new InMemorySettingsStore();
        using (var learner = new PlaybookLearner(store, new LearningOptions()))
        {
            await learner.LearnAsync(Signature, "rollback", OutcomeKind.Recovered, 0, CancellationToken.None);
            await learner.LearnAsync("errors|edge|service", "rollback", OutcomeKind.NotRecovered, 0, CancellationToken.None);
        }

        using var restarted = new PlaybookLearner(store, new LearningOptions());
        var arms = await restarted.SnapshotAsync(CancellationToken.None);
        Assert.Equal(new BetaArm(3, 1, 1), arms[Signature]["rollback"]);

        Assert.True(await restarted.ResetAsync(Signature, CancellationToken.None));
        Assert.False(await restarted.ResetAsync(Signature, CancellationToken.None));
        Assert.Equal(["errors|edge|service"], (await restarted.SnapshotAsync(CancellationToken.None)).Keys);
    }

    [Fact]
    public async Task The_decision_maker_lets_the_learner_pick_among_matching_automatic_playbooks_and_records_how()
    {
        var restart = TestPlaybooks.WithSafety("automation_level: L3");
        var rollback = TestPlaybooks.WithSafety("automation_level: L3") with { Id = "rollback", Source = "rollback.yaml" };
        using var harness = new DecisionHarness(null, restart, rollback);
        var picks = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var (incident, top) = await harness.IncidentAsync(DecisionHarness.OomKill());
            var decision = await harness.Maker.DecideAsync(incident, top, null, null, CancellationToken.None);
            var learning = Assert.IsType<LearnedChoice>(decision.Learning);
            Assert.True(learning.Explored);
            Assert.Equal(decision.PlaybookId, learning.PlaybookId);
            picks.Add(decision.PlaybookId!);
            await harness.Learner.LearnAsync(learning.Signature, learning.PlaybookId, learning.PlaybookId == "rollback" ? OutcomeKind.Recovered : OutcomeKind.NotRecovered, 0, CancellationToken.None);
        }

        Assert.True(picks.TakeLast(20).Count(p => p == "rollback") >= 18, string.Join(",", picks));
    }

    [Fact]
    public async Task A_high_risk_playbook_is_never_explored_even_when_believed_better()
    {
        var restart = TestPlaybooks.WithSafety("automation_level: L3");
        var risky = TestPlaybooks.WithSafety("automation_level: L3\nrisk: high") with { Id = "risky", Source = "risky.yaml" };
        using var harness = new DecisionHarness(null, restart, risky);
        // High risk is above the learner's ceiling (and above what policy lets L3 take): the risky one is
        // never sampled, only ranked, and restart is what may be tried.
        await harness.Learner.LearnAsync("unknown|-|service", "risky", OutcomeKind.Recovered, 1, CancellationToken.None);
        var (incident, top) = await harness.IncidentAsync(DecisionHarness.OomKill());

        for (var i = 0; i < 30; i++)
        {
            var decision = await harness.Maker.DecideAsync(incident, top with { FaultKind = "unknown" }, null, null, CancellationToken.None);
            Assert.NotEqual("risky", decision.Learning is { Explored: true } ? decision.PlaybookId : null);
        }
    }

    [Fact]
    public async Task A_verified_run_teaches_the_learner_and_the_timeline_says_what_it_learnt()
    {
        using var harness = new DecisionHarness(null, TestPlaybooks.WithSafety("automation_level: L3"));
        var (incident, top) = await harness.IncidentAsync(DecisionHarness.OomKill());
        var decision = await harness.Maker.DecideAsync(incident, top, null, null, CancellationToken.None);
        await harness.Decisions.SaveAsync(decision, CancellationToken.None);
        var stage = new LearningStage(harness.Decisions, harness.Incidents, harness.Learner, harness.Clock);

        await stage.HandleAsync(new VerificationFinished(new Outcome(incident.Id, "run-1", "p", OutcomeKind.MadeWorse, harness.Clock.GetUtcNow(), null, "SLOs further from target")), CancellationToken.None);

        var signature = decision.Learning!.Signature;
        Assert.Equal(new BetaArm(2, 4, 1), (await harness.Learner.SnapshotAsync(CancellationToken.None))[signature]["p"]);
        Assert.Contains(await harness.Incidents.GetTimelineAsync(incident.Id, CancellationToken.None), e => e.Kind == "learning" && e.Message == $"p made worse on {signature}: expected success now 0.33 after 1 outcome(s)");
    }
}
