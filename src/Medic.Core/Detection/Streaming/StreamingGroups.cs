using Medic.Core.Telemetry;

namespace Medic.Core.Detection.Streaming;

/// <summary>
/// Routes each series to its metric group and, for Holt-Winters groups, to its handle in the
/// group's detector; ARIMA groups hold a detector per series. A series' group is found once; series silent past the idle timeout are
/// released, their handles reused. Not thread-safe: the detection stage owns it.
/// </summary>
internal sealed class StreamingGroups(IReadOnlyList<MetricGroup> groups, int maxSeries)
{
    private HoltWintersDetector?[] _detectors = Fresh(groups);
    private readonly Dictionary<SeriesKey, Tracked> _series = [];

    /// <summary>Series tracked by a streaming group.</summary>
    public int Count { get; private set; }

    /// <summary>Samples of new series refused because <c>maxSeries</c> series are tracked.</summary>
    public long Rejected { get; private set; }

    /// <summary>The group of <paramref name="series"/>, or null when it is in none.</summary>
    public MetricGroup? GroupOf(SeriesKey series) => Find(series) is { Group: >= 0 } tracked ? groups[tracked.Group] : null;

    /// <summary>
    /// Judges a sample of a streaming group's series (Holt-Winters or ARIMA); false when the series
    /// is in no such group (in none, or one with another model), and the caller judges it otherwise.
    /// </summary>
    public bool TryObserve(in Sample sample, out MetricGroup group, out Verdict verdict)
    {
        (group, verdict) = (null!, default);
        if (Find(sample.Series) is not { Group: >= 0 } tracked || groups[tracked.Group].Model is not (DetectionModel.HoltWinters or DetectionModel.Arima))
        {
            return false;
        }

        group = groups[tracked.Group];
        if (tracked.Handle < 0 && tracked.Arima is null)
        {
            if (Count >= maxSeries)
            {
                Rejected++;
                return true;
            }

            if (_detectors[tracked.Group] is { } shared)
            {
                tracked.Handle = shared.Add();
            }
            else
            {
                tracked.Arima = new ArimaDetector(group.ArimaOrder, group.Streaming);
            }

            Count++;
        }

        tracked.LastSeen = sample.Timestamp;
        var timestamp = sample.Timestamp.ToUnixTimeMilliseconds();
        verdict = tracked.Arima is { } arima ? arima.Observe(sample.Value, timestamp) : _detectors[tracked.Group]!.Observe(tracked.Handle, sample.Value, timestamp);
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
            }

            if (tracked.Handle >= 0 || tracked.Arima is not null)
            {
                Count--;
            }

            _series.Remove(key);
        }

        return idle.Count;
    }

    /// <summary>Writes the groups' models and which series is where; <see cref="Restore"/> takes it up with the same groups.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(string.Join("\n", groups.Select(Describe)));
        foreach (var detector in _detectors)
        {
            detector?.Save(writer);
        }

        var tracked = _series.Where(s => s.Value.Handle >= 0 || s.Value.Arima is not null).ToList();
        writer.Write(tracked.Count);
        foreach (var (key, series) in tracked)
        {
            DetectorCheckpoint.Write(writer, key);
            writer.Write(series.Group);
            writer.Write(series.Handle);
            writer.Write(series.LastSeen.UtcTicks);
            writer.Write(series.Arima is not null);
            series.Arima?.Save(writer);
        }
    }

    /// <summary>Takes up what <see cref="Save"/> wrote; false (and nothing taken up) when the groups have changed since.</summary>
    public bool Restore(BinaryReader reader)
    {
        if (reader.ReadString() != string.Join("\n", groups.Select(Describe)))
        {
            return false;
        }

        _detectors = [.. groups.Select(g => g.Model == DetectionModel.HoltWinters ? HoltWintersDetector.Restore(reader, g.Streaming) : null)];
        _series.Clear();
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var key = DetectorCheckpoint.ReadKey(reader);
            var series = new Tracked { Group = reader.ReadInt32(), Handle = reader.ReadInt32(), LastSeen = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero) };
            if (reader.ReadBoolean())
            {
                series.Arima = new ArimaDetector(groups[series.Group].ArimaOrder, groups[series.Group].Streaming);
                series.Arima.Restore(reader);
            }

            _series[key] = series;
        }

        Count = count;
        return true;
    }

    /// <summary>Forgets every series and model.</summary>
    public void Clear()
    {
        _detectors = Fresh(groups);
        _series.Clear();
        Count = 0;
    }

    /// <summary>A shared Holt-Winters detector for each Holt-Winters group.</summary>
    private static HoltWintersDetector?[] Fresh(IReadOnlyList<MetricGroup> groups) =>
        [.. groups.Select(g => g.Model == DetectionModel.HoltWinters ? new HoltWintersDetector(g.Streaming) : null)];

    /// <summary>A group as its state depends on it: a saved state is only taken up by the same groups.</summary>
    private static string Describe(MetricGroup group) =>
        $"{group.Name}|{string.Join(",", group.Matchers.Select(m => $"{m.Label}{m.Op}{m.Value}"))}|{group.Model}|{group.Streaming}|{group.ArimaOrder}";

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

        public ArimaDetector? Arima { get; set; }

        public DateTimeOffset LastSeen { get; set; } = DateTimeOffset.MinValue;
    }
}
