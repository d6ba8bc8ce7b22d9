using Medic.Core.Workflows;
using Medic.Core.Workflows.Kubernetes;
using Medic.Sim.Clock;
using Medic.Sim.Cluster;
using Medic.Sim.Estate;

namespace Medic.Sim.Tests.Cluster;

/// <summary>Medic's Kubernetes action provider against the simulated cluster, as in the demo.</summary>
public sealed class KubernetesActionsOnSimClusterTests
{
    private readonly SimulationClock _clock = new(new DateTimeOffset(2026, 1, 1, 3, 0, 0, TimeSpan.Zero));
    private readonly SimCluster _cluster;
    private readonly KubernetesCallProvider _provider;

    public KubernetesActionsOnSimClusterTests()
    {
        _cluster = new SimCluster(DefaultEstate.Create(), new Random(3), _clock);
        _provider = new KubernetesCallProvider(_cluster);
    }

    [Fact]
    public void The_cluster_starts_with_every_replica_running_spread_over_the_nodes()
    {
        var pods = _cluster.Pods();
        Assert.Equal(DefaultEstate.Create().Services.Sum(s => s.Replicas), pods.Count);
        Assert.Equal(DefaultEstate.Create().Nodes.Count, pods.Select(p => p.Node).Distinct().Count());
        Assert.All(pods.GroupBy(p => p.Service), g => Assert.Equal(g.Count(), g.Select(p => p.Node).Distinct().Count()));
    }

    [Fact]
    public async Task A_pod_is_owned_by_a_replicaset_owned_by_its_deployment()
    {
        var pod = (await Call(new() { ["verb"] = "get", ["resource"] = "pod", ["name"] = CartPod(), ["namespace"] = "shop" })).Output!;
        var rsName = pod["metadata"]!["ownerReferences"]![0]!["name"]!.GetValue<string>();
        var rs = (await Call(new() { ["verb"] = "get", ["resource"] = "replicaset", ["name"] = rsName, ["namespace"] = "shop" })).Output!;

        Assert.Equal("ReplicaSet", pod["metadata"]!["ownerReferences"]![0]!["kind"]!.GetValue<string>());
        Assert.Equal("cart", rs["metadata"]!["ownerReferences"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rollout_restart_named_by_replicaset_restarts_the_owning_deployment_and_says_so()
    {
        var before = _cluster.Pods().Where(p => p.Service == "cart").Select(p => p.Name).ToHashSet();
        var rsName = before.First()[..before.First().LastIndexOf('-')];

        var result = await Call(new() { ["verb"] = "rollout_restart", ["resource"] = "deployment", ["name"] = rsName, ["namespace"] = "shop" });

        Assert.True(result.Succeeded, result.Error);
        Assert.Contains(result.Log, l => l.Contains($"'{rsName}' is not a deployment: it is a ReplicaSet owned by Deployment 'cart'", StringComparison.Ordinal));
        var after = _cluster.Pods().Where(p => p.Service == "cart").Select(p => p.Name).ToList();
        Assert.Equal(before.Count, after.Count);
        Assert.DoesNotContain(after, before.Contains);
        Assert.NotNull(result.Output!["spec"]!["template"]!["metadata"]!["annotations"]![KubernetesObjects.RestartedAtAnnotation]);
        var rollout = _cluster.TakeRollouts()[^1];
        Assert.Equal(("cart", SimCluster.ApiActor, rollout.OldImage), (rollout.Service, rollout.Actor, rollout.NewImage));
    }

    [Fact]
    public async Task Resuming_an_attempt_does_not_restart_twice()
    {
        var request = new Dictionary<string, object?> { ["verb"] = "rollout_restart", ["resource"] = "deployment", ["name"] = "cart", ["namespace"] = "shop" };
        await Call(request);
        var once = _cluster.Pods().Where(p => p.Service == "cart").Select(p => p.Name).ToList();

        var again = await Call(request);

        Assert.True(again.Succeeded);
        Assert.Contains("was already restarted by this attempt", again.Log.Single(), StringComparison.Ordinal);
        Assert.Equal(once, _cluster.Pods().Where(p => p.Service == "cart").Select(p => p.Name).ToList());
    }

    [Fact]
    public async Task A_resumed_rollback_finds_its_own_change_cause_and_does_nothing()
    {
        _cluster.SetImage("shop", "payment", "registry.example/shop/payment:1.8.1", "ci");
        var request = new Dictionary<string, object?> { ["verb"] = "rollback", ["resource"] = "deployment", ["name"] = "payment", ["namespace"] = "shop" };
        await Call(request);

        var again = await Call(request);

        Assert.True(again.Succeeded);
        Assert.Equal("deployment shop/payment was already rolled back by this attempt; not rolling back again", again.Log.Single());
        Assert.All(_cluster.Pods().Where(p => p.Service == "payment"), p => Assert.Equal("1.8.0", p.Version));
    }

    [Fact]
    public async Task Rollback_returns_the_deployment_to_the_previous_revision()
    {
        _cluster.SetImage("shop", "payment", "registry.example/shop/payment:1.8.1", "ci");
        Assert.All(_cluster.Pods().Where(p => p.Service == "payment"), p => Assert.Equal("1.8.1", p.Version));

        var result = await Call(new() { ["verb"] = "rollback", ["resource"] = "deployment", ["name"] = "payment", ["namespace"] = "shop" });

        Assert.True(result.Succeeded, result.Error);
        Assert.All(_cluster.Pods().Where(p => p.Service == "payment"), p => Assert.Equal("1.8.0", p.Version));
        Assert.Equal("3", KubernetesObjects.Annotation(result.Output, KubernetesObjects.RevisionAnnotation));
    }

    [Fact]
    public async Task Rollback_without_an_earlier_revision_fails_without_retry()
    {
        var result = await Call(new() { ["verb"] = "rollback", ["resource"] = "deployment", ["name"] = "payment", ["namespace"] = "shop" });

        Assert.False(result.Succeeded);
        Assert.False(result.Retryable);
        Assert.Equal("deployment shop/payment has no revision before 1 to roll back to", result.Error);
    }

    [Fact]
    public async Task Scale_changes_the_number_of_pods()
    {
        var result = await Call(new() { ["verb"] = "scale", ["resource"] = "deployment", ["name"] = "catalog", ["namespace"] = "shop", ["replicas"] = "4" });

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("scaled deployment shop/catalog from 2 to 4 replicas", result.Log.Single());
        Assert.Equal(4, _cluster.Pods().Count(p => p.Service == "catalog"));
    }

    [Fact]
    public async Task Drain_cordons_the_node_and_moves_its_pods_elsewhere()
    {
        var node = _cluster.Pods().GroupBy(p => p.Node).OrderByDescending(g => g.Count()).First().Key;
        var count = _cluster.Pods().Count;

        var result = await Call(new() { ["verb"] = "drain", ["resource"] = "node", ["name"] = node });

        Assert.True(result.Succeeded, result.Error);
        Assert.True(_cluster.IsCordoned(node));
        Assert.DoesNotContain(_cluster.Pods(), p => p.Node == node);
        Assert.Equal(count, _cluster.Pods().Count);
        Assert.NotEmpty(result.Output!["evicted"]!.AsArray());
    }

    [Theory]
    [InlineData("explode", "pod", "params.verb: 'explode' is not a verb")]
    [InlineData("drain", "pod", "params.resource: 'drain' works on node, not pod")]
    [InlineData("get", "pod", "params.namespace: required for namespaced resources")]
    public async Task Bad_parameters_fail_before_any_call_with_what_to_fix(string verb, string resource, string expected)
    {
        var result = await Call(new() { ["verb"] = verb, ["resource"] = resource, ["name"] = "x" });

        Assert.False(result.Succeeded);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Empty(_cluster.ApiCalls);
    }

    [Fact]
    public async Task A_missing_object_is_a_failure_that_names_it()
    {
        var result = await Call(new() { ["verb"] = "get", ["resource"] = "pod", ["name"] = "nope", ["namespace"] = "shop" });
        Assert.Equal("pod shop/nope not found", result.Error);
    }

    private string CartPod() => _cluster.Pods().First(p => p.Service == "cart").Name;

    private Task<ActionResult> Call(Dictionary<string, object?> parameters) =>
        _provider.ExecuteAsync(new ActionRequest("run", "step", "run:step:1", parameters) { RequestedAt = _clock.GetUtcNow() }, CancellationToken.None);
}
