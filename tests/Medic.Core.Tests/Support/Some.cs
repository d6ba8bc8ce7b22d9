using Medic.Core.Signals;
using Medic.Core.Telemetry;
using Medic.Core.Topology;

namespace Medic.Core.Tests.Support;

/// <summary>Makers of test data.</summary>
internal static class Some
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 3, 0, 0, TimeSpan.Zero);

    public static Signal Signal(string type, Entity entity, double score = 0.9, string source = SignalSources.Metrics, double confidence = 0.99) => new()
    {
        Id = Guid.NewGuid().ToString("n"),
        Source = source,
        Type = type,
        Entity = entity,
        Score = score,
        Confidence = confidence,
        ObservedAt = Start,
        Summary = $"{type} on {entity}",
    };

    public static Entity Service(string name) => new(EntityKinds.Service, name) { Service = name, Namespace = "shop" };

    public static Entity Pod(string service, string pod, string node = "node-1") =>
        new(EntityKinds.Pod, pod) { Service = service, Pod = pod, Node = node, Namespace = "shop" };

    public static Entity Node(string name) => new(EntityKinds.Node, name) { Node = name };

    /// <summary>A topology with the given call edges and placements, learned the way Medic learns it.</summary>
    public static LearnedTopology Topology(IEnumerable<(string From, string To)> calls, IEnumerable<(string Service, string Node)> placements)
    {
        var samples = calls.Select(c => new Sample(SeriesKey.Of("service_client_request_rate", "service", c.From, "peer_service", c.To), Start, 1))
            .Concat(placements.Select(p => new Sample(SeriesKey.Of("container_cpu_usage_cores", "service", p.Service, "node", p.Node, "pod", p.Service + "-1"), Start, 1)));
        var topology = new LearnedTopology();
        topology.Learn(new SampleBatch(samples.ToList()));
        return topology;
    }
}
