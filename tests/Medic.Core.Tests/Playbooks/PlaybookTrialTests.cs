using Medic.Core.Playbooks;
using Medic.Core.Policy;
using Medic.Core.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Medic.Core.Tests.Playbooks;

public sealed class PlaybookTrialTests
{
    private static readonly PolicyEngine Policy = new(new PolicyOptions(), new FakeTimeProvider(Some.Start));

    [Fact]
    public void An_OOM_kill_of_a_stateless_pod_at_98_percent_matches_and_renders_both_steps()
    {
        var outcome = PlaybookTrial.Run(TestPlaybooks.Article, Event(0.98, "stateless"), Policy);

        Assert.True(outcome.Matched);
        Assert.All(outcome.Reasons, r => Assert.StartsWith("holds:", r, StringComparison.Ordinal));
        Assert.Equal(["get-pod-details", "restart-deployment"], outcome.Steps.Select(s => s.Name));
        Assert.Equal("checkout-7d9f8b6c5-x2x9z", outcome.Steps[0].Rendered["name"]);
        Assert.Equal("shop", outcome.Steps[0].Rendered["namespace"]);
        Assert.False(outcome.Steps[1].Gated);
        Assert.Equal("rollout_restart", outcome.Steps[1].Rendered["verb"]);
        Assert.Equal("(pending until the run: {{ outputs['get-pod-details'].metadata.ownerReferences[0].name }})", outcome.Steps[1].Rendered["name"]);
        Assert.Equal((AutomationLevel.L1, true), (outcome.Verdict.Level, outcome.Verdict.RequiresApproval));
        Assert.NotEmpty(outcome.Verdict.Reasons);
    }

    [Fact]
    public void At_90_percent_the_restart_step_is_gated()
    {
        var outcome = PlaybookTrial.Run(TestPlaybooks.Article, Event(0.90, "stateless"), Policy);

        Assert.True(outcome.Matched);
        Assert.False(outcome.Steps[0].Gated);
        Assert.True(outcome.Steps[1].Gated);
        Assert.Contains("fails: anomaly.confidence_score greater_than '0.95' (anomaly.confidence_score is 0.90)", outcome.Steps[1].ConditionReasons);
    }

    [Fact]
    public void A_stateful_service_does_not_match_and_the_reason_says_so()
    {
        var outcome = PlaybookTrial.Run(TestPlaybooks.Article, Event(0.98, "stateful"), Policy);

        Assert.False(outcome.Matched);
        Assert.Contains("fails: service.tags not_contains 'stateful' (service.tags is ['stateful'])", outcome.Reasons);
    }

    private static IReadOnlyDictionary<string, object?> Event(double confidence, string tag)
    {
        var score = confidence.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        return PlaybookTrial.Context(
            "{\"anomaly\":{\"source\":\"kubernetes\",\"type\":\"PodOOMKilled\",\"confidence_score\":" + score
            + ",\"entity\":{\"pod_name\":\"checkout-7d9f8b6c5-x2x9z\",\"namespace\":\"shop\"}},"
            + "\"service\":{\"name\":\"checkout\",\"tags\":[\"" + tag + "\"]}}");
    }
}
