using Medic.Core.Playbooks;
using Medic.Core.Playbooks.Conditions;
using Medic.Testing;

namespace Medic.Core.Tests.Playbooks;

public sealed class ConditionTests
{
    private static readonly Dictionary<string, object?> OomContext = new()
    {
        ["anomaly"] = new Dictionary<string, object?>
        {
            ["source"] = "kubernetes",
            ["type"] = "PodOOMKilled",
            ["confidence_score"] = 1.0,
            ["entity"] = new Dictionary<string, object?> { ["pod_name"] = "cart-abc-x1", ["namespace"] = "shop" },
        },
        ["service"] = new Dictionary<string, object?> { ["name"] = "cart", ["tags"] = new List<object?> { "tier:core" } },
    };

    [Fact]
    public void Article_trigger_holds_for_an_OOM_kill_of_a_stateless_service()
    {
        var (article, _) = PlaybookLoader.Parse(File.ReadAllText(Path.Combine(RepoPaths.Playbooks, "k8s-pod-oom-restart-v1.yaml")), "article.yaml");
        Assert.True(article!.Trigger.Evaluate(OomContext));
    }

    [Fact]
    public void Article_trigger_does_not_hold_for_a_stateful_service()
    {
        var stateful = new Dictionary<string, object?>(OomContext)
        {
            ["service"] = new Dictionary<string, object?> { ["tags"] = new List<object?> { "stateful" } },
        };
        Assert.False(Trigger("not_contains: [{service.tags: stateful}]").Evaluate(stateful));
    }

    [Theory]
    [InlineData("equals: [{anomaly.type: PodOOMKilled}, {anomaly.source: metrics}]", false)]
    [InlineData("equals: {anomaly.type: PodOOMKilled, anomaly.source: kubernetes}", true)]
    [InlineData("not_equals: [{anomaly.type: HighLatency}]", true)]
    [InlineData("greater_than: [{anomaly.confidence_score: 0.95}]", true)]
    [InlineData("less_than: [{anomaly.confidence_score: 0.95}]", false)]
    [InlineData("greater_than: [{anomaly.missing: 0.5}]", false)]
    [InlineData("in: [{anomaly.type: [HighErrorRate, PodOOMKilled]}]", true)]
    [InlineData("matches: [{anomaly.entity.pod_name: '^cart-[a-z]+-'}]", true)]
    [InlineData("contains: [{anomaly.entity.pod_name: abc}]", true)]
    [InlineData("contains: [{service.tags: 'tier:core'}]", true)]
    [InlineData("exists: anomaly.entity.pod_name", true)]
    [InlineData("exists: [anomaly.entity.pod_name, anomaly.entity.node_name]", false)]
    [InlineData("not: {exists: change.kind}", true)]
    [InlineData("or: [{equals: [{anomaly.type: x}]}, {equals: [{service.name: cart}]}]", true)]
    [InlineData("equals: [{\"service.tags[0]\": 'tier:core'}]", true)]
    public void Operators_compare_paths_of_the_context(string yaml, bool expected) =>
        Assert.Equal(expected, Trigger(yaml).Evaluate(OomContext));

    private static Condition Trigger(string yaml)
    {
        var indented = string.Join('\n', yaml.Split('\n').Select(l => "  " + l));
        var (playbook, errors) = PlaybookLoader.Parse($"playbook_id: t\ntrigger:\n{indented}\nactions: [{{name: a, type: x}}]\n", "t.yaml");
        Assert.Empty(errors);
        return playbook!.Trigger;
    }
}
