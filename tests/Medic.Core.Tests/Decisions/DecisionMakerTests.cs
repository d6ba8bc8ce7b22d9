using Medic.Core.Decisions;
using Medic.Core.Tests.Support;

namespace Medic.Core.Tests.Decisions;

public sealed class DecisionMakerTests
{
    [Fact]
    public async Task Every_playbook_is_recorded_with_why_it_matched_or_not()
    {
        using var harness = new DecisionHarness(null, TestPlaybooks.Article, TestPlaybooks.Shipped("k8s-node-noisy-neighbour-drain-v1.yaml"), TestPlaybooks.Shipped("k8s-deploy-rollback-v1.yaml"));
        var (incident, top) = await harness.IncidentAsync(DecisionHarness.OomKill());

        var decision = await harness.Maker.DecideAsync(incident, top, null, null, CancellationToken.None);

        Assert.Equal("k8s-pod-oom-restart-v1", decision.PlaybookId);
        Assert.Equal(["k8s-pod-oom-restart-v1", "k8s-deploy-rollback-v1", "k8s-node-noisy-neighbour-drain-v1"], decision.Matches.Select(m => m.PlaybookId));
        Assert.Equal([true, false, false], decision.Matches.Select(m => m.Matched));
        Assert.Contains("fails: anomaly.type equals 'NodeCpuSaturation' (anomaly.type is 'PodOOMKilled')", decision.Matches[2].Reasons);
        Assert.Contains("fails: change.kind equals 'deploy' (change.kind is missing)", decision.Matches[1].Reasons);
    }

    [Fact]
    public async Task A_stateful_service_does_not_match_the_article_playbook_and_the_reason_says_so()
    {
        using var harness = new DecisionHarness();
        harness.Services.Known["cart"] = new ServiceInfo("cart", "shop", "StatefulSet", ["stateful"]);
        var (incident, top) = await harness.IncidentAsync(DecisionHarness.OomKill());

        var decision = await harness.Maker.DecideAsync(incident, top, null, null, CancellationToken.None);

        Assert.Equal(DecisionStatus.NoMatch, decision.Status);
        Assert.Contains("fails: service.tags not_contains 'stateful' (service.tags is ['stateful'])", decision.Matches.Single().Reasons);
    }

    [Fact]
    public async Task The_audit_log_holds_every_decision_with_its_reasons()
    {
        using var harness = new DecisionHarness();
        var (incident, top) = await harness.IncidentAsync(DecisionHarness.OomKill());
        var decision = await harness.Maker.DecideAsync(incident, top, null, null, CancellationToken.None);

        await harness.Maker.RecordAsync(decision, CancellationToken.None);

        var entry = harness.Audit.Entries.Single(e => e.Subject == decision.Id);
        Assert.Equal("decision.awaiting_approval", entry.Action);
        Assert.Contains("\"rails\":[\"passed kill_switch: off\"", entry.DataJson, StringComparison.Ordinal);
        Assert.Contains("holds: anomaly.type equals 'PodOOMKilled'", entry.DataJson, StringComparison.Ordinal);
        Assert.Contains("\"playbook_version\":\"" + decision.PlaybookVersion + "\"", entry.DataJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_automatic_decision_requests_execution_and_a_waiting_one_does_not()
    {
        using var harness = new DecisionHarness(null, TestPlaybooks.WithSafety("automation_level: L3"));
        var (incident, top) = await harness.IncidentAsync(DecisionHarness.OomKill());

        var decision = await harness.Maker.DecideAsync(incident, top, null, null, CancellationToken.None);
        await harness.Maker.RecordAsync(decision, CancellationToken.None);

        Assert.Equal(DecisionStatus.Approved, decision.Status);
        Assert.Contains(harness.Bus.Messages, m => m is ExecutionRequested r && r.DecisionId == decision.Id);
    }

    [Fact]
    public async Task The_kill_switch_records_a_blocked_decision()
    {
        using var harness = new DecisionHarness(null, TestPlaybooks.WithSafety("automation_level: L3"));
        await harness.KillSwitch.SetAsync(true, "sre", "freeze", CancellationToken.None);
        var (incident, top) = await harness.IncidentAsync(DecisionHarness.OomKill());

        var decision = await harness.Maker.DecideAsync(incident, top, null, null, CancellationToken.None);
        await harness.Maker.RecordAsync(decision, CancellationToken.None);

        Assert.Equal(DecisionStatus.Blocked, decision.Status);
        Assert.DoesNotContain(harness.Bus.Messages, m => m is ExecutionRequested);
        Assert.Contains(harness.Audit.Entries, e => e.Action == "decision.blocked");
    }

    [Fact]
    public async Task A_person_asking_for_a_playbook_is_recorded_as_the_requester()
    {
        using var harness = new DecisionHarness();
        var (incident, top) = await harness.IncidentAsync(DecisionHarness.OomKill());

        var decision = await harness.Maker.DecideAsync(incident, top, "dave", "k8s-pod-oom-restart-v1", CancellationToken.None);

        Assert.Equal("dave", decision.RequestedBy);
        Assert.Contains(decision.Verdict!.Reasons, r => r.Contains("not the requester dave", StringComparison.Ordinal));
    }
}
