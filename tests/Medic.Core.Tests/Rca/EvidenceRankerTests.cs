using Medic.Core.Changes;
using Medic.Core.Rca;
using Medic.Core.Signals;
using Medic.Core.Tests.Support;

namespace Medic.Core.Tests.Rca;

public sealed class EvidenceRankerTests
{
    private static readonly (string, string)[] ShopCalls =
        [("frontend", "checkout"), ("frontend", "catalog"), ("checkout", "payment"), ("checkout", "cart")];

    [Fact]
    public void A_deploy_just_before_the_errors_makes_the_deepest_service_the_root_cause()
    {
        var topology = Some.Topology(ShopCalls, []);
        var signals = new[]
        {
            Some.Signal("HighErrorRate", Some.Service("frontend"), 0.97),
            Some.Signal("HighErrorRate", Some.Service("checkout"), 0.98),
            Some.Signal("HighErrorRate", Some.Service("payment"), 0.96),
        };
        var deploy = new ChangeEvent { Id = "c1", Kind = ChangeKinds.Deploy, Service = "payment", At = Some.Start.AddMinutes(-1), Actor = "ci", Description = "deploy of payment 1.8.1" };

        var ranked = EvidenceRanker.Rank(signals, [deploy], topology, new DiagnosisOptions());

        Assert.Equal(Some.Service("payment") with { Namespace = "shop" }, ranked[0].Entity);
        Assert.Equal("bad-deploy", ranked[0].FaultKind);
        Assert.True(ranked[0].Confidence > 0.6, $"confidence {ranked[0].Confidence}");
        Assert.Contains(ranked[0].Evidence, e => e.Contains("deploy of payment 1.8.1", StringComparison.Ordinal));
    }

    [Fact]
    public void The_story_tells_what_moved_first_the_change_before_it_the_new_log_template_and_who_depends_on_it()
    {
        var topology = Some.Topology(ShopCalls, []);
        var latency = Some.Signal("HighLatency", Some.Service("payment"), 0.97) with
        {
            ObservedAt = Some.Start.AddMinutes(5),
            Value = 0.85,
            Direction = "up",
            Labels = new Dictionary<string, string> { ["__name__"] = "service_latency_p99_seconds", ["service"] = "payment" },
        };
        var newTemplate = Some.Signal("NewLogTemplate", Some.Service("payment"), 0.85, SignalSources.Logs) with
        {
            ObservedAt = Some.Start.AddMinutes(4),
            Labels = new Dictionary<string, string> { ["template"] = "Database connection timeout after <*> ms" },
        };
        var signals = new[] { Some.Signal("HighLatency", Some.Service("checkout"), 0.95), latency, newTemplate };
        var deploy = new ChangeEvent { Id = "c1", Kind = ChangeKinds.Deploy, Service = "payment", At = Some.Start.AddMinutes(2), Actor = "ci", Description = "deploy of payment v1.2.3" };

        var top = EvidenceRanker.Rank(signals, [deploy], topology, new DiagnosisOptions())[0];

        Assert.Equal(
            "service_latency_p99_seconds of service/payment rose to 850 ms at 03:05, 3 minutes after deploy of payment v1.2.3; " +
            "the top new log template is 'Database connection timeout after <*> ms'; checkout depends on it",
            top.Story);
    }

    [Fact]
    public void The_deep_tier_s_first_choice_gains_and_says_why()
    {
        var topology = Some.Topology(ShopCalls, []);
        var signals = new[] { Some.Signal("HighLatency", Some.Service("cart"), 0.9), Some.Signal("HighLatency", Some.Service("payment"), 0.9) };
        var deep = new DeepVerdict(["service/payment", "service/cart"], Some.Start.AddMinutes(-30), Some.Start.AddMinutes(1), 2);

        var fast = EvidenceRanker.Rank(signals, [], topology, new DiagnosisOptions());
        var merged = EvidenceRanker.Rank(signals, [], topology, new DiagnosisOptions(), deep);

        var before = fast.Single(h => h.Entity.Name == "payment").Score;
        var after = merged.Single(h => h.Entity.Name == "payment");
        Assert.Equal(before + new DiagnosisOptions().DeepBonus, after.Score, 6);
        Assert.Equal("payment", merged[0].Entity.Name);
        Assert.Contains(after.Evidence, e => e.StartsWith("the causal graph of 2 candidates' series from 02:30 to 03:01", StringComparison.Ordinal));
        Assert.Equal(fast.Single(h => h.Entity.Name == "cart").Score, merged.Single(h => h.Entity.Name == "cart").Score, 6);
    }

    [Fact]
    public void Where_failed_requests_start_in_the_traces_outweighs_a_louder_caller()
    {
        var topology = Some.Topology(ShopCalls, []);
        var signals = new[] { Some.Signal("HighErrorRate", Some.Service("checkout"), 0.99), Some.Signal("HighErrorRate", Some.Service("cart"), 0.8) };

        var top = EvidenceRanker.Rank(signals, [], topology, new DiagnosisOptions(), errors: new Medic.Core.Traces.ErrorOrigin("cart", 40, 44))[0];

        Assert.Equal("cart", top.Entity.Name);
        Assert.Contains("40 of 44 failed requests in its traces start in it", top.Evidence);
        Assert.Contains("; 40 of 44 failed requests start in it", top.Story, StringComparison.Ordinal);
    }

    [Fact]
    public void A_database_swamped_by_the_callers_of_a_dead_cache_is_its_symptom()
    {
        // cart reads through redis to postgres; catalog and checkout use postgres. redis hangs: cart falls back
        // to postgres, whose traffic surges and latency rises, and its other callers slow down with it.
        var topology = Some.Topology([("cart", "redis"), ("cart", "postgres"), ("catalog", "postgres"), ("checkout", "postgres")], []);
        Signal Moved(string type, string service, double score, string direction) => Some.Signal(type, Some.Service(service), score) with { Direction = direction };
        var signals = new[]
        {
            Moved("TrafficAnomaly", "redis", 0.8, "down"),
            Moved("HighLatency", "redis", 0.8, "up"),
            Moved("TrafficAnomaly", "postgres", 0.8, "up"),
            Moved("HighLatency", "postgres", 0.84, "up"),
            Moved("HighLatency", "catalog", 0.7, "up"),
            Moved("HighLatency", "checkout", 0.7, "up"),
        };

        var ranked = EvidenceRanker.Rank(signals, [], topology, new DiagnosisOptions());

        Assert.Equal("redis", ranked[0].Entity.Name);
        Assert.Contains("its callers fell back to postgres, whose traffic surged", ranked[0].Evidence);
        Assert.Contains(ranked.Single(h => h.Entity.Name == "postgres").Evidence, e => e.StartsWith("may be a symptom of redis", StringComparison.Ordinal));
    }

    [Fact]
    public void A_third_party_its_caller_sees_failing_is_the_root_cause_not_the_caller()
    {
        // payment runs in the estate (its pods are known); payment-provider is only ever seen by payment's client.
        var topology = Some.Topology([.. ShopCalls, ("payment", "payment-provider")], [("payment", "node-1"), ("checkout", "node-2")]);
        static Dictionary<string, string> Peer(string peer) => new() { ["peer_service"] = peer, ["service"] = "payment" };
        var signals = new[]
        {
            Some.Signal("HighErrorRate", Some.Service("checkout"), 0.97),
            Some.Signal("HighErrorRate", Some.Service("payment"), 0.99),
            Some.Signal("HighClientErrorRate", Some.Service("payment"), 0.98) with { Labels = Peer("payment-provider") },
        };

        var ranked = EvidenceRanker.Rank(signals, [], topology, new DiagnosisOptions());

        Assert.Equal((EntityKinds.Dependency, "payment-provider", "dependency"), (ranked[0].Entity.Kind, ranked[0].Entity.Name, ranked[0].FaultKind));
        Assert.Null(ranked[0].Entity.Node);
        Assert.Contains(ranked, h => h.Entity.Service == "payment" && h.Evidence.Any(e => e.Contains("symptom of payment-provider", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_callee_that_runs_in_the_estate_is_not_taken_for_a_third_party()
    {
        var topology = Some.Topology(ShopCalls, [("payment", "node-1"), ("checkout", "node-2")]);
        var signals = new[]
        {
            Some.Signal("HighClientErrorRate", Some.Service("checkout"), 0.98) with { Labels = new Dictionary<string, string> { ["peer_service"] = "payment" } },
        };

        Assert.DoesNotContain(EvidenceRanker.Rank(signals, [], topology, new DiagnosisOptions()), h => h.Entity.Kind == EntityKinds.Dependency);
    }

    [Fact]
    public void An_OOM_kill_outweighs_louder_symptoms_upstream()
    {
        var topology = Some.Topology(ShopCalls, []);
        var signals = new[]
        {
            Some.Signal("HighErrorRate", Some.Service("frontend"), 0.99),
            Some.Signal("PodOOMKilled", Some.Pod("cart", "cart-1"), 0.9, SignalSources.Kubernetes, 1.0),
        };

        var top = EvidenceRanker.Rank(signals, [], topology, new DiagnosisOptions())[0];

        Assert.Equal(("service", "cart"), (top.Entity.Kind, top.Entity.Name));
        Assert.Equal("oom", top.FaultKind);
    }

    [Fact]
    public void A_saturated_node_explains_the_slow_services_on_it()
    {
        var topology = Some.Topology(ShopCalls, [("catalog", "node-1"), ("cart", "node-1"), ("payment", "node-2")]);
        var signals = new[]
        {
            Some.Signal("HighLatency", Some.Service("catalog"), 0.95),
            Some.Signal("HighLatency", Some.Service("cart"), 0.95),
            Some.Signal("HighLatency", Some.Service("frontend"), 0.95),
            Some.Signal("NodeCpuSaturation", Some.Node("node-1"), 0.9),
        };

        var top = EvidenceRanker.Rank(signals, [], topology, new DiagnosisOptions())[0];

        Assert.Equal(("node", "node-1"), (top.Entity.Kind, top.Entity.Name));
        Assert.Equal("resource-saturation", top.FaultKind);
    }

    [Fact]
    public void Confidences_of_all_hypotheses_are_a_distribution()
    {
        var topology = Some.Topology(ShopCalls, []);
        var signals = new[] { Some.Signal("HighLatency", Some.Service("frontend"), confidence: 1), Some.Signal("HighLatency", Some.Service("catalog"), confidence: 1) };

        var ranked = EvidenceRanker.Rank(signals, [], topology, new DiagnosisOptions());

        Assert.Equal(1.0, ranked.Sum(h => h.Confidence), 3);
        Assert.True(ranked[0].Confidence >= ranked[1].Confidence);
    }

    [Fact]
    public void Nodes_of_two_zones_retransmitting_at_once_point_at_the_network_between_them()
    {
        var topology = Some.Topology(ShopCalls, [("catalog", "node-1"), ("cart", "node-2")]);
        static Signal Retransmits(string node, string zone) =>
            Some.Signal("NetworkRetransmits", Some.Node(node), 0.9) with { Labels = new Dictionary<string, string> { ["node"] = node, ["zone"] = zone } };
        var signals = new[]
        {
            Some.Signal("HighErrorRate", Some.Service("catalog"), 0.97),
            Some.Signal("HighErrorRate", Some.Service("cart"), 0.96),
            Some.Signal("HighErrorRate", Some.Service("frontend"), 0.95),
            Retransmits("node-1", "zone-b"),
            Retransmits("node-2", "zone-a"),
        };

        var top = EvidenceRanker.Rank(signals, [], topology, new DiagnosisOptions())[0];

        Assert.Equal(("network", "zone-a~zone-b"), (top.Entity.Kind, top.Entity.Name));
        Assert.Equal("packet-loss", top.FaultKind);
    }

    [Fact]
    public void A_caller_flooding_a_slow_database_with_calls_is_the_cause_not_the_database()
    {
        var topology = Some.Topology([.. ShopCalls, ("catalog", "postgres"), ("cart", "postgres"), ("frontend", "catalog")], []);
        var surge = Some.Signal("MetricAnomaly", Some.Service("catalog"), 0.9) with
        {
            Metric = "service_client_request_rate{peer_service=\"postgres\",service=\"catalog\"}",
            Direction = "up",
            Labels = new Dictionary<string, string> { ["service"] = "catalog", ["peer_service"] = "postgres" },
        };
        var signals = new[]
        {
            Some.Signal("HighLatency", Some.Service("postgres"), 0.99),
            Some.Signal("HighClientLatency", Some.Service("cart"), 0.95),
            Some.Signal("HighLatency", Some.Service("catalog"), 0.9),
            surge,
        };

        var top = EvidenceRanker.Rank(signals, [], topology, new DiagnosisOptions())[0];

        Assert.Equal(Some.Service("catalog"), top.Entity);
        Assert.Contains(top.Evidence, e => e.Contains("surged", StringComparison.Ordinal));
    }
}
