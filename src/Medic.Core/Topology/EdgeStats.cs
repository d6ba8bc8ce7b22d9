using Medic.Core.Traces;

namespace Medic.Core.Topology;

/// <summary>One edge's requests, errors and latencies in one-minute buckets of span time, for the last few minutes.</summary>
internal sealed class EdgeStats(string kind)
{
    private static readonly long MinuteTicks = TimeSpan.FromMinutes(1).Ticks;
    private readonly Dictionary<long, (long Count, long Errors, LatencyHistogram Latency)> _minutes = [];

    public string Kind { get; } = kind;

    public DateTimeOffset LastSeen { get; private set; }

    public DateTimeOffset FirstSeen { get; private set; } = DateTimeOffset.MaxValue;

    public void Add(DateTimeOffset at, TimeSpan duration, bool error, TimeSpan window)
    {
        var minute = at.UtcTicks / MinuteTicks;
        if (!_minutes.TryGetValue(minute, out var bucket))
        {
            bucket = (0, 0, new LatencyHistogram());
            foreach (var old in _minutes.Keys.Where(m => m < minute - (window.Ticks / MinuteTicks) - 1).ToList())
            {
                _minutes.Remove(old);
            }
        }

        bucket.Latency.Add(duration);
        _minutes[minute] = (bucket.Count + 1, bucket.Errors + (error ? 1 : 0), bucket.Latency);
        LastSeen = at > LastSeen ? at : LastSeen;
        FirstSeen = at < FirstSeen ? at : FirstSeen;
    }

    /// <summary>The figures over about the <paramref name="window"/> before <paramref name="now"/> (whole minutes, or since the edge appeared).</summary>
    public GraphEdge Figures(string from, string to, DateTimeOffset now, TimeSpan window)
    {
        var since = (now - window).UtcTicks / MinuteTicks;
        var start = new DateTimeOffset(since * MinuteTicks, TimeSpan.Zero);
        var covered = now - (FirstSeen > start ? FirstSeen : start);
        var latency = new LatencyHistogram();
        long count = 0, errors = 0;
        foreach (var (_, bucket) in _minutes.Where(m => m.Key >= since))
        {
            count += bucket.Count;
            errors += bucket.Errors;
            latency.Add(bucket.Latency);
        }

        static double? Ms(double? seconds) => seconds is { } s ? Math.Round(s * 1000, 3) : null;
        return new GraphEdge(
            from,
            to,
            Kind,
            Math.Round(count / Math.Max(1, covered.TotalSeconds), 4),
            count == 0 ? 0 : Math.Round((double)errors / count, 4),
            Ms(latency.Quantile(0.5)),
            Ms(latency.Quantile(0.9)),
            Ms(latency.Quantile(0.99)),
            LastSeen);
    }
}
