using Medic.Core.Topology;

namespace Medic.Apis;

/// <summary>
/// <c>GET /api/v1/topology</c>: the service graph (from spans, with each edge's request rate, error
/// rate and latency percentiles, and the calls seen in metric labels) and the deployment (pods on
/// nodes in zones, owned by ReplicaSets of Deployments).
/// </summary>
internal static class TopologyApi
{
    public static IEndpointRouteBuilder MapTopologyApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/topology", (ServiceGraph graph, LearnedTopology learned) => Results.Ok(Build(graph.Snapshot(), learned)));
        return app;
    }

    private static Topology Build(ServiceGraphSnapshot spans, LearnedTopology learned)
    {
        var fromSpans = spans.Edges.Select(e => new Edge(e.From, e.To, e.Kind, "spans", e.RequestRate, e.ErrorRate, e.LatencyP50Ms, e.LatencyP90Ms, e.LatencyP99Ms, e.LastSeen)).ToList();
        var fromMetrics = learned.Edges()
            .Where(m => !fromSpans.Any(e => e.From == m.From && e.To == m.To))
            .Select(m => new Edge(m.From, m.To, EdgeKinds.Call, "metrics", null, null, null, null, null, m.Seen));
        var edges = fromSpans.Concat(fromMetrics).ToList();
        var nodes = spans.Nodes
            .Concat(edges.SelectMany(e => new[] { e.From, e.To }).Concat(learned.Placements().Select(p => p.Service)).Select(n => new GraphNode(n, NodeKinds.Service)))
            .DistinctBy(n => n.Name)
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToList();
        var hosts = spans.Pods.Where(p => p.Node is not null).Select(p => (Node: p.Node!, p.Service, p.Zone))
            .Concat(learned.Placements().Select(p => (p.Node, p.Service, Zone: (string?)null)))
            .GroupBy(h => h.Node, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Host(g.Key, g.Select(h => h.Zone).FirstOrDefault(z => z is not null), [.. g.Select(h => h.Service).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]))
            .ToList();
        return new Topology(nodes, edges, new Deployment(spans.Pods, hosts), spans.Stats);
    }

    internal sealed record Topology(IReadOnlyList<GraphNode> Nodes, IReadOnlyList<Edge> Edges, Deployment Deployment, GraphStats Stats);

    internal sealed record Edge(string From, string To, string Kind, string Source, double? RequestRate, double? ErrorRate, double? LatencyP50Ms, double? LatencyP90Ms, double? LatencyP99Ms, DateTimeOffset LastSeen);

    internal sealed record Deployment(IReadOnlyList<PodPlacement> Pods, IReadOnlyList<Host> Nodes);

    internal sealed record Host(string Name, string? Zone, IReadOnlyList<string> Services);
}
