using Medic.Core.Decisions;
using Medic.Core.Learning;
using Medic.Core.Playbooks;
using Medic.Core.Policy;
using Medic.Core.Rca;
using Medic.Core.Tests.Support;
using Medic.Core.Verification;

namespace Medic.Core.Tests.Decisions;

public sealed class ShadowModeTests
{
    private static readonly Playbook Trial = TestPlaybooks.WithSafety("automation_level: L3\nshadow: true") with { Id = "trial", Source = "trial.yaml" };

    [Fact]
    public void The_safety_block_puts_a_playbook_in_shadow_mode()
    {
        Assert.True(Trial.Safety.Shadow);
        Assert.False(TestPlaybooks.Article.Safety.Shadow);
    }

    [Fact]
    public async Task A_shadow_playbook_decides_beside_the_one_in_force_is_recorded_and_executes_nothing()
    {
        using var harness = new DecisionHarness(null, TestPlaybooks.WithSafety("automation_level: L3"), Trial);
        var (incident, top) = await harness.IncidentAsync(DecisionHarness.OomKill());
        var stage = new DecisionStage(harness.Bus, harness.Maker, harness.Incidents, harness.Decisions, harness.Approvals, harness.Lifecycle, harness.Policy, harness.Clock);

        await stage.HandleAsync(new DiagnosisReady(incident.Id, [top], harness.Clock.GetUtcNow()), CancellationToken.None);
        await stage.HandleAsync(new DiagnosisReady(incident.Id, [top], harness.Clock.GetUtcNow()), CancellationToken.None);

        var decisions = await harness.Decisions.ListByIncidentAsync(incident.Id, CancellationToken.None);
        var shadow = Assert.Single(decisions, d => d.Status == DecisionStatus.Shadow);
        var active = Assert.Single(decisions, d => d.Status != DecisionStatus.Shadow);
        Assert.Equal(("trial", AutomationLevel.L3), (shadow.PlaybookId, shadow.Level));
        Assert.StartsWith("shadow: would be approved at L3", shadow.Reason, StringComparison.Ordinal);
        Assert.Equal(("p", DecisionStatus.Approved), (active.PlaybookId, active.Status));
        var executions = harness.Bus.Messages.OfType<ExecutionRequested>().Select(e => e.DecisionId).ToList();
        Assert.Equal([active.Id], executions);
        Assert.Contains(harness.Audit.Entries, e => e.Subject == shadow.Id && e.Action == "decision.shadow");
    }

    [Fact]
    public async Task A_shadow_playbook_is_never_chosen_to_act_even_when_asked_for()
    {
        using var harness = new DecisionHarness(null, Trial);
        var (incident, top) = await harness.IncidentAsync(DecisionHarness.OomKill());

        var automatic = await harness.Maker.DecideAsync(incident, top, null, null, CancellationToken.None);
        var asked = await harness.Maker.DecideAsync(incident, top, "alice", "trial", CancellationToken.None);

        Assert.Equal(DecisionStatus.NoMatch, automatic.Status);
        Assert.Equal(DecisionStatus.NoMatch, asked.Status);
        Assert.Equal("playbook 'trial' is in shadow mode: it decides beside the others and never acts", asked.Reason);
    }

    [Fact]
    public async Task After_the_active_run_is_verified_the_timeline_says_what_the_shadow_would_have_done_instead()
    {
        using var harness = new DecisionHarness(null, TestPlaybooks.WithSafety("automation_level: L3"), Trial);
        var (incident, top) = await harness.IncidentAsync(DecisionHarness.OomKill());
        foreach (var shadow in await harness.Maker.ShadowAsync(incident, top, CancellationToken.None))
        {
            await harness.Maker.RecordAsync(shadow, CancellationToken.None);
        }

        var learning = new LearningStage(harness.Decisions, harness.Incidents, harness.Learner, harness.Clock);
        await learning.HandleAsync(new VerificationFinished(new Outcome(incident.Id, "run-1", "p", OutcomeKind.NotRecovered, harness.Clock.GetUtcNow(), null, "still failing")), CancellationToken.None);

        Assert.Contains(await harness.Incidents.GetTimelineAsync(incident.Id, CancellationToken.None), e => e.Kind == "shadow" && e.Message == "shadow: trial would have acted at L3 instead of p, which not recovered");
        Assert.Empty(await harness.Learner.SnapshotAsync(CancellationToken.None));
    }
}
