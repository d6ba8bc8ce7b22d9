using Medic.Core.Telemetry;

namespace Medic.Core.Detection.Streaming;

/// <summary>
/// Routes each series to its metric group and, for Holt-Winters groups, to its handle in the
/// detector of the group's season (a group whose seasons are found per series has one detector per
/// season found, each series buffering its first values until its season is known); ARIMA groups
/// hold a detector per series. A series' group is found once; series silent past the idle timeout
/// are released, their handles reused. Not thread-safe: the detection stage owns it.
/// </summary>
internal sealed class StreamingGroups(IReadOnlyList<MetricGroup> groups, int maxSeries)
{
    /// <summary>Values a series of an automatic-season group buffers at most before its season is chosen.</summary>
    public const int SeasonLearningValues = 4_096;

    /// <summary>Time a series of an automatic-season group buffers before its season is chosen, if it has fewer values: two days show a daily season.</summary>
    public static readonly TimeSpan SeasonLearningTime = TimeSpan.FromDays(2);

    private readonly Dictionary<(int Group, int Period), HoltWintersDetector> _detectors = [];
    private readonly Dictionary<SeriesKey, Tracked> _series = [];

    /// <summary>Series tracked by a streaming group.</summary>
    public int Count { get; private set; }

    /// <summary>Samples of new series refused because <c>maxSeries</c> series are tracked.</summary>
    public long Rejected { get; private set; }

    /// <summary>The group of <paramref name="series"/>, or null when it is in none.</summary>
    public MetricGroup? GroupOf(SeriesKey series) => Find(series) is { Group: >= 0 } tracked ? groups[tracked.Group] : null;

    /// <summary>The season <paramref name="series"/> is modelled with (its group's, or the one found for it), or null while it is unknown or not modelled.</summary>
    public int? SeasonOf(SeriesKey series) => _series.TryGetValue(series, out var tracked) && tracked.Handle >= 0 ? tracked.Period : null;

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
        tracked.LastSeen = sample.Timestamp;
        var timestamp = sample.Timestamp.ToUnixTimeMilliseconds();
        if (tracked.Handle < 0 && tracked.Arima is null)
        {
            if (Count >= maxSeries)
            {
                Rejected++;
                return true;
            }

            if (group.Model == DetectionModel.Arima)
            {
                tracked.Arima = new ArimaDetector(group.ArimaOrder, group.Streaming);
            }
            else if (!group.AutoPeriod)
            {
                tracked.Period = group.Streaming.Period;
                tracked.Handle = Detector(tracked.Group, tracked.Period).Add();
            }
            else if (!LearnSeason(tracked, timestamp, sample.Value))
            {
                verdict = new Verdict(0, 0, sample.Value, sample.Value, sample.Value, SignalChange.None, 0, timestamp);
                return true;
            }
            else
            {
                // The buffered values warm the model up; they are history, not news.
                var detector = Detector(tracked.Group, tracked.Period);
                tracked.Handle = detector.Add();
                foreach (var (at, value) in tracked.Pending![..^1])
                {
                    detector.Observe(tracked.Handle, value, at);
                }

                tracked.Pending = null;
            }

            Count++;
        }

        verdict = tracked.Arima is { } arima ? arima.Observe(sample.Value, timestamp) : _detectors[(tracked.Group, tracked.Period)].Observe(tracked.Handle, sample.Value, timestamp);
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
                _detectors[(tracked.Group, tracked.Period)].Release(tracked.Handle);
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
        writer.Write(_detectors.Count);
        foreach (var ((group, period), detector) in _detectors)
        {
            writer.Write(group);
            writer.Write(period);
            detector.Save(writer);
        }

        var tracked = _series.Where(s => s.Value.Group >= 0).ToList();
        writer.Write(tracked.Count);
        foreach (var (key, series) in tracked)
        {
            DetectorCheckpoint.Write(writer, key);
            writer.Write(series.Group);
            writer.Write(series.Period);
            writer.Write(series.Handle);
            writer.Write(series.LastSeen.UtcTicks);
            writer.Write(series.Arima is not null);
            series.Arima?.Save(writer);
            writer.Write(series.Pending?.Count ?? -1);
            foreach (var (at, value) in series.Pending ?? [])
            {
                writer.Write(at);
                writer.Write(value);
            }
        }
    }

    /// <summary>Takes up what <see cref="Save"/> wrote; false (and nothing taken up) when the groups have changed since.</summary>
    public bool Restore(BinaryReader reader)
    {
        if (reader.ReadString() != string.Join("\n", groups.Select(Describe)))
        {
            return false;
        }

        Clear();
        var detectors = reader.ReadInt32();
        for (var i = 0; i < detectors; i++)
        {
            var (group, period) = (reader.ReadInt32(), reader.ReadInt32());
            _detectors[(group, period)] = HoltWintersDetector.Restore(reader, groups[group].Streaming with { Period = period });
        }

        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var key = DetectorCheckpoint.ReadKey(reader);
            var series = new Tracked { Group = reader.ReadInt32(), Period = reader.ReadInt32(), Handle = reader.ReadInt32(), LastSeen = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero) };
            if (reader.ReadBoolean())
            {
                series.Arima = new ArimaDetector(groups[series.Group].ArimaOrder, groups[series.Group].Streaming);
                series.Arima.Restore(reader);
            }

            var pending = reader.ReadInt32();
            if (pending >= 0)
            {
                series.Pending = [.. Enumerable.Range(0, pending).Select(_ => (reader.ReadInt64(), reader.ReadDouble()))];
            }

            _series[key] = series;
            Count += series.Handle >= 0 || series.Arima is not null ? 1 : 0;
        }

        return true;
    }

    /// <summary>Forgets every series and model.</summary>
    public void Clear()
    {
        _detectors.Clear();
        _series.Clear();
        Count = 0;
    }

    /// <summary>A group as its state depends on it: a saved state is only taken up by the same groups.</summary>
    private static string Describe(MetricGroup group) =>
        $"{group.Name}|{string.Join(",", group.Matchers.Select(m => $"{m.Label}{m.Op}{m.Value}"))}|{group.Model}|{group.Streaming}|{group.AutoPeriod}|{group.ArimaOrder}";

    /// <summary>The group's detector for series of <paramref name="period"/>, made when first needed.</summary>
    private HoltWintersDetector Detector(int group, int period)
    {
        if (!_detectors.TryGetValue((group, period), out var detector))
        {
            detector = new HoltWintersDetector(groups[group].Streaming with { Period = period });
            _detectors[(group, period)] = detector;
        }

        return detector;
    }

    /// <summary>
    /// Buffers a value of a series whose season is not known yet; once the buffer spans two days
    /// (or holds <see cref="SeasonLearningValues"/>), chooses the season: an hour, a day or a week at
    /// the series' step if the autocorrelation says so, else its strongest peak, else none (1).
    /// </summary>
    private static bool LearnSeason(Tracked tracked, long timestamp, double value)
    {
        var pending = tracked.Pending ??= [];
        pending.Add((timestamp, value));
        var span = TimeSpan.FromMilliseconds(timestamp - pending[0].At);
        if (pending.Count < SeasonLearningValues && (span < SeasonLearningTime || pending.Count < 64))
        {
            return false;
        }

        var steps = pending.Zip(pending.Skip(1), (a, b) => (double)(b.At - a.At) / 1000).Order().ToList();
        var step = steps[steps.Count / 2];
        var values = pending.Select(p => p.Value).ToArray();
        tracked.Period = Math.Max(1, PeriodFinder.Best(values, PeriodFinder.NaturalCandidates(step)));
        return true;
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

        /// <summary>The season of the Holt-Winters detector the series is in.</summary>
        public int Period { get; set; }

        /// <summary>The first values of a series of an automatic-season group, until its season is chosen.</summary>
        public List<(long At, double Value)>? Pending { get; set; }

        public ArimaDetector? Arima { get; set; }

        public DateTimeOffset LastSeen { get; set; } = DateTimeOffset.MinValue;
    }
}
