namespace Medic.Core.Traces;

/// <summary>The service (or database, cache, third party) most failed requests of a window start in.</summary>
/// <param name="Origin">Where they start.</param>
/// <param name="Count">Failed spans that start there.</param>
/// <param name="Total">Failed spans that start anywhere in the window.</param>
public sealed record ErrorOrigin(string Origin, int Count, int Total);

/// <summary>
/// Where failed requests start, from their traces: the failed spans none of whose children failed.
/// A failed client span with no failed child points at its peer (<c>peer.service</c>,
/// <c>db.name</c>, <c>server.address</c>): a database, a cache or a third party has no spans of its
/// own, and a service that does not answer leaves none. Kept for <paramref name="span"/> behind the
/// newest span, at most <paramref name="capacity"/> origins.
/// </summary>
public sealed class ErrorOrigins(TimeSpan span, int capacity = 100_000)
{
    private static readonly string[] PeerAttributes = ["peer.service", "db.name", "server.address"];
    private readonly Queue<(DateTimeOffset At, string Origin)> _origins = new();

    /// <summary>Notes where the failed requests among <paramref name="spans"/> start (a batch holds whole traces, or parts of them).</summary>
    public void Record(IReadOnlyList<SpanRecord> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var failedParents = spans.Where(s => s.Error && s.ParentSpanId.Length > 0).Select(s => (s.TraceId, s.ParentSpanId)).ToHashSet();
        foreach (var origin in spans.Where(s => s.Error && !failedParents.Contains((s.TraceId, s.SpanId))).OrderBy(s => s.Start))
        {
            _origins.Enqueue((origin.Start, OriginOf(origin)));
            while (_origins.Count > capacity || _origins.Peek().At < origin.Start - span)
            {
                _origins.Dequeue();
            }
        }
    }

    /// <summary>
    /// Where at least <paramref name="minimumShare"/> of the failed requests between <paramref name="from"/> and
    /// <paramref name="to"/> start, if there were at least <paramref name="minimumCount"/> of them; else null
    /// (the background trickle of errors starts everywhere).
    /// </summary>
    public ErrorOrigin? Leading(DateTimeOffset from, DateTimeOffset to, int minimumCount = 5, double minimumShare = 0.5)
    {
        var window = _origins.Where(o => o.At >= from && o.At <= to).ToList();
        var top = window.GroupBy(o => o.Origin, StringComparer.Ordinal).Select(g => (Origin: g.Key, Count: g.Count()))
            .OrderByDescending(g => g.Count).ThenBy(g => g.Origin, StringComparer.Ordinal).FirstOrDefault();
        return top.Origin is not null && top.Count >= minimumCount && top.Count >= minimumShare * window.Count
            ? new ErrorOrigin(top.Origin, top.Count, window.Count)
            : null;
    }

    private static string OriginOf(SpanRecord span) =>
        span.Kind == "client" && PeerAttributes.Select(span.Attributes.GetValueOrDefault).FirstOrDefault(p => p is not null) is { } peer ? peer : span.Service;
}
