namespace Medic.Core.Topology;

/// <summary>What a node of the service graph is.</summary>
public static class NodeKinds
{
    /// <summary>An instrumented service (it sends spans).</summary>
    public const string Service = "service";

    /// <summary>A database, known from its clients' <c>db.system</c> spans.</summary>
    public const string Database = "database";

    /// <summary>A message queue or topic, known from producers whose messages no consumer span was seen for.</summary>
    public const string Queue = "queue";

    /// <summary>Something outside: a peer that answered without spans of its own.</summary>
    public const string External = "external";
}

/// <summary>What an edge of the service graph is.</summary>
public static class EdgeKinds
{
    /// <summary>A synchronous call (HTTP, gRPC).</summary>
    public const string Call = "call";

    /// <summary>A message from a producer to a consumer (or to its queue).</summary>
    public const string Messaging = "messaging";

    /// <summary>Queries to a database.</summary>
    public const string Database = "database";
}

/// <summary>A node of the service graph.</summary>
/// <param name="Name">The service or peer.</param>
/// <param name="Kind">One of <see cref="NodeKinds"/>.</param>
public sealed record GraphNode(string Name, string Kind);

/// <summary>An edge of the service graph with its figures over the last minutes.</summary>
/// <param name="From">The caller (or producer).</param>
/// <param name="To">The callee (or consumer, database, queue).</param>
/// <param name="Kind">One of <see cref="EdgeKinds"/>.</param>
/// <param name="RequestRate">Requests per second.</param>
/// <param name="ErrorRate">Share of requests that failed.</param>
/// <param name="LatencyP50Ms">Median latency in milliseconds (to about ±20%).</param>
/// <param name="LatencyP90Ms">90th percentile latency in milliseconds.</param>
/// <param name="LatencyP99Ms">99th percentile latency in milliseconds.</param>
/// <param name="LastSeen">When the newest request of it ended.</param>
public sealed record GraphEdge(string From, string To, string Kind, double RequestRate, double ErrorRate, double? LatencyP50Ms, double? LatencyP90Ms, double? LatencyP99Ms, DateTimeOffset LastSeen);

/// <summary>Where a pod runs and what owns it.</summary>
/// <param name="Pod">The pod.</param>
/// <param name="Service">Its service.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Node">The node it runs on.</param>
/// <param name="Zone">The node's zone.</param>
/// <param name="ReplicaSet">The ReplicaSet that owns it.</param>
/// <param name="Deployment">The Deployment that owns the ReplicaSet.</param>
/// <param name="StatefulSet">The StatefulSet that owns it, for a stateful pod.</param>
/// <param name="Seen">When it last sent a span.</param>
public sealed record PodPlacement(string Pod, string Service, string? Namespace, string? Node, string? Zone, string? ReplicaSet, string? Deployment, string? StatefulSet, DateTimeOffset Seen);

/// <summary>How much the graph has seen.</summary>
/// <param name="Spans">Spans learnt from since start.</param>
/// <param name="Pending">Spans waiting for the other half of their call.</param>
/// <param name="Dropped">Spans not held because too many were waiting.</param>
/// <param name="Newest">The end of the newest span.</param>
public sealed record GraphStats(long Spans, int Pending, long Dropped, DateTimeOffset? Newest);

/// <summary>The service graph and deployment at one moment.</summary>
/// <param name="Nodes">Services and peers.</param>
/// <param name="Edges">Calls between them.</param>
/// <param name="Pods">Pods and their placement.</param>
/// <param name="Stats">How much was seen.</param>
public sealed record ServiceGraphSnapshot(IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges, IReadOnlyList<PodPlacement> Pods, GraphStats Stats);
