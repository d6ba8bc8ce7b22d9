namespace Medic.Core.Traces;

/// <summary>
/// The most recent spans (a ring of fixed capacity), to look up a trace or a service's spans.
/// Thread-safe. Traces older than what the ring holds are gone; the service graph built from
/// spans keeps what matters of them.
/// </summary>
public sealed class SpanStore(int capacity = 100_000)
{
    private readonly SpanRecord?[] _ring = new SpanRecord?[capacity];
    private readonly Lock _lock = new();
    private long _written;

    /// <summary>Spans held.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return (int)Math.Min(_written, _ring.Length);
            }
        }
    }

    /// <summary>Adds spans, overwriting the oldest.</summary>
    public void Add(IEnumerable<SpanRecord> spans)
    {
        lock (_lock)
        {
            foreach (var span in spans)
            {
                _ring[_written++ % _ring.Length] = span;
            }
        }
    }

    /// <summary>The spans of a trace, by start time.</summary>
    public IReadOnlyList<SpanRecord> Trace(string traceId) => Where(s => s.TraceId == traceId, int.MaxValue).OrderBy(s => s.Start).ToList();

    /// <summary>The newest spans of a service (or of all, when null), newest first.</summary>
    public IReadOnlyList<SpanRecord> Recent(string? service, int limit) => Where(s => service is null || s.Service == service, limit);

    private List<SpanRecord> Where(Func<SpanRecord, bool> predicate, int limit)
    {
        lock (_lock)
        {
            var result = new List<SpanRecord>();
            for (var i = _written - 1; i >= Math.Max(0, _written - _ring.Length) && result.Count < limit; i--)
            {
                if (_ring[i % _ring.Length] is { } span && predicate(span))
                {
                    result.Add(span);
                }
            }

            return result;
        }
    }
}
