using Medic.Sim.Estate;

namespace Medic.Sim.Tests.Estate;

public sealed class EstateFileTests
{
    private const long GiB = 1L << 30;

    [Fact]
    public void The_shipped_shop_estate_is_the_one_the_demo_ran_first()
    {
        var estate = DefaultEstate.Builtin("shop");

        Assert.Equal(("shop", "frontend", 120.0), (estate.Namespace, estate.EntryService, estate.PeakRequestsPerSecond));
        Assert.Equal(
            [
                new ServiceSpec("frontend", 3, "2.4.1", 0.040, 0.0010, Tier: "edge"),
                new ServiceSpec("catalog", 2, "1.12.0", 0.030, 0.0012),
                new ServiceSpec("cart", 2, "3.0.2", 0.020, 0.0008),
                new ServiceSpec("checkout", 2, "1.5.0", 0.060, 0.0015),
                new ServiceSpec("payment", 2, "1.8.0", 0.080, 0.0010),
                new ServiceSpec("recommendation", 2, "0.9.3", 0.050, 0.0020),
                new ServiceSpec("redis", 1, "7.2.4", 0.004, 0.0002, Stateful: true, Tier: "data"),
                new ServiceSpec("postgres", 1, "16.2", 0.012, 0.0006, Stateful: true, Tier: "data"),
            ],
            estate.Services);
        Assert.Equal([new NodeSpec("node-1", "zone-a", 4, 16 * GiB), new NodeSpec("node-2", "zone-b", 4, 16 * GiB), new NodeSpec("node-3", "zone-b", 4, 16 * GiB)], estate.Nodes);
        Assert.Equal(10, estate.Calls.Count);
        Assert.Contains(new CallSpec("checkout", "postgres", 2.0), estate.Calls);
        Assert.Equal("frontend", estate.CalleesFirst()[^1].Name);
    }

    [Fact]
    public void The_default_estate_has_sixteen_components_over_two_zones_with_a_cache_a_database_and_a_queue()
    {
        var estate = DefaultEstate.Create();

        Assert.Equal(16, estate.Services.Count);
        Assert.Equal(["zone-a", "zone-b"], estate.Nodes.Select(n => n.Zone).Distinct().Order());
        Assert.Equal(["postgres", "rabbitmq", "redis"], estate.Services.Where(s => s.Stateful).Select(s => s.Name).Order());
        Assert.Contains(new CallSpec("rabbitmq", "order-worker", 1.0), estate.Calls);
        Assert.All(estate.Services, s => Assert.Contains(estate.CalleesFirst(), c => c.Name == s.Name));
    }

    [Fact]
    public void Every_mistake_is_reported_with_where_it_is()
    {
        const string Yaml = """
            namespace: shop
            entry: gateway
            peak_requests_per_second: 0
            nodes:
              - {name: node-1, zone: zone-a, cores: 4, memory: lots}
            services:
              - {name: a, replicas: 0, version: "1", latency: fast, cpu_per_request: 0.001}
              - {name: b, replicas: 1, version: "1", latency: 10ms, cpu_per_request: 0.001}
              - {name: b, replicas: 1, version: "1", latency: 10ms, cpu_per_request: 0.001}
            calls:
              - {from: a, to: b, per_request: 1}
              - {from: b, to: a, per_request: 1}
              - {from: a, to: nowhere, per_request: 1}
            """;

        var errors = Assert.Throws<EstateFileException>(() => EstateFile.Parse(Yaml, "bad.yaml")).Errors;

        Assert.Contains("bad.yaml: nodes[0].memory: 'lots' is not a size; write e.g. 16Gi or 512Mi", errors);
        Assert.Contains("bad.yaml: services[0].replicas: must be at least 1", errors);
        Assert.Contains("bad.yaml: services[0].latency: 'fast' is not a latency; write e.g. 40ms", errors);
        Assert.Contains("bad.yaml: services: 'b' is defined 2 times", errors);
        Assert.Contains("bad.yaml: calls[2].to: 'nowhere' is not a service of this estate", errors);
        Assert.Contains("bad.yaml: entry: 'gateway' is not a service of this estate; name the service the traffic comes into", errors);
        Assert.Contains("bad.yaml: peak_requests_per_second: must be above 0", errors);
        Assert.Contains(errors, e => e.StartsWith("bad.yaml: calls: the call graph has a cycle (a → b → a)", StringComparison.Ordinal));
        Assert.Contains(":2:", Assert.Throws<EstateFileException>(() => EstateFile.Parse("namespace: x\nbogus: 1\n", "typo.yaml")).Message, StringComparison.Ordinal);
    }
}
