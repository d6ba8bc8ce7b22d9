using Medic.Core.Bus;

namespace Medic.Core.Traces;

/// <summary>One span, as Medic keeps it: identity, timing, outcome and the attributes that name who it calls.</summary>
/// <param name="TraceId">The trace, as 32 hex digits.</param>
/// <param name="SpanId">The span, as 16 hex digits.</param>
/// <param name="ParentSpanId">The parent span, or empty for a root.</param>
/// <param name="Service">The service that recorded it.</param>
/// <param name="Name">The operation.</param>
/// <param name="Kind">server, client, producer, consumer, internal or unspecified.</param>
/// <param name="Start">When it started.</param>
/// <param name="End">When it ended.</param>
/// <param name="Error">Whether its status is an error.</param>
public sealed record SpanRecord(string TraceId, string SpanId, string ParentSpanId, string Service, string Name, string Kind, DateTimeOffset Start, DateTimeOffset End, bool Error)
{
    /// <summary>Attributes that say whom it talks to and how: peer.service, server.address, http.route, http status, db.system, ...</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Where it ran, from its resource: <c>pod</c>, <c>node</c>, <c>namespace</c>, <c>zone</c>,
    /// <c>replicaset</c>, <c>deployment</c>, <c>statefulset</c>, <c>version</c> (those known).
    /// </summary>
    public IReadOnlyDictionary<string, string> Resource { get; init; } = new Dictionary<string, string>();

    /// <summary>How long it took.</summary>
    public TimeSpan Duration => End - Start;
}

/// <summary>Spans received together.</summary>
public sealed record SpanBatch(IReadOnlyList<SpanRecord> Spans) : IMessage;
