using Medic.Core.Telemetry;

namespace Medic.Core.Detection.Streaming;

/// <summary>
/// Routes each series to its metric group and, for Holt-Winters groups, to its handle in the
/// group's detector. A series' group is found once; series silent past the idle timeout are
/// released, their handles reused. Not thread-safe: the detection stage owns it.
/// </summary>
internal sealed class StreamingGroups(IReadOnlyList<MetricGroup> groups, int maxSeries)
{
    private readonly HoltWintersDetector?[] _detectors = [.. groups.Select(g => g.Model == DetectionModel.HoltWinters ? new HoltWintersDetector(g.Streaming) : null)];
    private readonly Dictionary<SeriesKey, Tracked> _series = [];

    /// <summary>Series tracked by a Holt-Winters group.</summary>
    public int Count { get; private set; }

    /// <summary>Samples of new series refused because <c>maxSeries</c> series are tracked.</summary>
    public long Rejected { get; private set; }

    /// <summary>The group of <paramref name="series"/>, or null when it is in none.</summary>
    public MetricGroup? GroupOf(SeriesKey series) => Find(series) is { Group: >= 0 } tracked ? groups[tracked.Group] : null;

    /// <summary>
    /// Judges a sample of a Holt-Winters group's series; false when the series is in no such group
    /// (in none, or one with another model), and the caller judges it otherwise.
    /// </summary>
    public bool TryObserve(in Sample sample, out MetricGroup group, out Verdict verdict)
    {
        (group, verdict) = (null!, default);
        if (Find(sample.Series) is not { Group: >= 0 } tracked || _detectors[tracked.Group] is not { } detector)
        {
            return false;
        }

        if (tracked.Handle < 0)
        {
            if (Count >= maxSeries)
            {
                Rejected++;
                return true;
            }

            tracked.Handle = detector.Add();
            Count++;
        }

        tracked.LastSeen = sample.Timestamp;
        group = groups[tracked.Group];
        verdict = detector.Observe(tracked.Handle, sample.Value, sample.Timestamp.ToUnixTimeMilliseconds());
        return true;
    }

    /// <summary>Releases the series not seen since <paramref name="cutoff"/>; returns how many.</summary>
    public int EvictIdle(DateTimeOffset cutoff)
    {
        var idle = _series.Where(s => s.Value.LastSeen < cutoff).ToList();
        foreach (var (key, tracked) in idle)
        {
            if (tracked.Handle >= 0)
            {
                _detectors[tracked.Group]!.Release(tracked.Handle);
                Count--;
            }

            _series.Remove(key);
        }

        return idle.Count;
    }

    private Tracked? Find(SeriesKey series)
    {
        if (groups.Count == 0)
        {
            return null;
        }

        if (!_series.TryGetValue(series, out var tracked))
        {
            tracked = new Tracked { Group = groups.Index().FirstOrDefault(g => g.Item.Matches(series), (-1, null!)).Index };
            _series[series] = tracked;
        }

        return tracked;
    }

    private sealed class Tracked
    {
        public int Group { get; init; }

        public int Handle { get; set; } = -1;

        public DateTimeOffset LastSeen { get; set; } = DateTimeOffset.MinValue;
    }
}
