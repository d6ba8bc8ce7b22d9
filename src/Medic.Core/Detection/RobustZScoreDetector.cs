using Medic.Core.Telemetry;

namespace Medic.Core.Detection;

/// <summary>
/// Streaming robust z-score detection for many series: each sample is compared with the median
/// and MAD of its series' rolling window. Abnormal samples enter the window clipped to the band,
/// so an ongoing anomaly does not teach the baseline that it is normal.
/// Not thread-safe: one detection stage owns it.
/// </summary>
internal sealed class RobustZScoreDetector
{
    // 1.4826·MAD estimates the standard deviation of normally distributed data.
    /// <summary>The model's name in signals.</summary>
    public const string Model = "robust_zscore";

    private const double MadToSigma = 1.4826;

    private readonly DetectionOptions _options;
    private readonly Dictionary<SeriesKey, SeriesWindow> _series = [];

    // Series no rule applies to, so that their samples cost a lookup, not a rule search.
    private readonly HashSet<SeriesKey> _unjudged = [];

    public RobustZScoreDetector(DetectionOptions options)
    {
        _options = options;
    }

    /// <summary>
    /// How long a series away from its normal stays away before its new level counts as normal
    /// (see <see cref="LevelMemory"/>).
    /// </summary>
    public static readonly TimeSpan RecoveryMemory = TimeSpan.FromHours(2);

    /// <summary>Series currently tracked.</summary>
    public int SeriesCount => _series.Count;

    /// <summary>Samples ignored because the series cap was reached.</summary>
    public long RejectedSamples { get; private set; }

    /// <summary>Feeds one sample; returns the onset when this sample opens an anomaly.</summary>
    public AnomalyOnset? Observe(in Sample sample)
    {
        if (!double.IsFinite(sample.Value))
        {
            return null;
        }

        if (!_series.TryGetValue(sample.Series, out var window))
        {
            if (_unjudged.Contains(sample.Series))
            {
                return null;
            }

            if ((_options.Rules.GetValueOrDefault(sample.Series.Name) ?? _options.DefaultRule) is not { } found)
            {
                if (_unjudged.Count < _options.MaxSeries)
                {
                    _unjudged.Add(sample.Series);
                }

                return null;
            }

            if (_series.Count >= _options.MaxSeries)
            {
                RejectedSamples++;
                return null;
            }

            window = new SeriesWindow(_options.WindowSize, found);
            _series.Add(sample.Series, window);
        }

        var rule = window.Rule;
        window.LastSeen = sample.Timestamp;
        if (window.Count < _options.MinSamples)
        {
            window.Push(sample.Value);
            return null;
        }

        var (median, mad) = window.MedianAndMad();
        var scale = Math.Max(MadToSigma * mad, Math.Max(1e-9, 1e-3 * Math.Abs(median)));
        var z = (sample.Value - median) / scale;
        var band = _options.Threshold * scale;

        if (!IsAbnormal(rule, sample.Value, median, z))
        {
            window.Levels.Record(sample.Timestamp.UtcTicks, median, band);
            window.Push(sample.Value);
            window.AbnormalRun = 0;
            if (window.Firing && ++window.NormalRun >= _options.ClearSamples)
            {
                window.Firing = false;
            }

            return null;
        }

        // Abnormal values enter the baseline clamped to its band, so that a spike does not drag it;
        // a level that lasts half a window is the new normal and enters as it is (clamped, it could
        // never be learnt after a baseline without spread, such as a hit ratio flat at zero).
        window.NormalRun = 0;
        window.AbnormalRun++;
        window.Push(window.AbnormalRun > _options.WindowSize / 2 ? sample.Value : Math.Clamp(sample.Value, median - band, median + band));
        if (window.Firing || window.AbnormalRun < _options.OnsetSamples)
        {
            return null;
        }

        window.Firing = true;
        if (window.Levels.IsReturn(sample.Timestamp.UtcTicks, sample.Value))
        {
            // Back at a level it held while normal: a recovery, not news.
            return null;
        }

        // Score: |z| / (|z| + threshold), 0.5 at the threshold; confidence: 1 − e^(−|z|/threshold), 0.63 at it, 0.95 at three times it.
        var threshold = _options.Threshold;
        return new AnomalyOnset(
            sample.Series, rule, sample.Timestamp, sample.Value, median, median - band, median + band,
            Math.Abs(z) / (Math.Abs(z) + threshold), 1 - Math.Exp(-Math.Abs(z) / threshold), Model);
    }

    /// <summary>Writes every tracked series' window and state.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(_series.Count);
        foreach (var (key, window) in _series)
        {
            DetectorCheckpoint.Write(writer, key);
            writer.Write(window.LastSeen.UtcTicks);
            writer.Write(window.AbnormalRun);
            writer.Write(window.NormalRun);
            writer.Write(window.Firing);
            window.Levels.Save(writer);
            DetectorCheckpoint.Write(writer, window);
        }
    }

    /// <summary>Forgets every series.</summary>
    public void Clear()
    {
        _series.Clear();
        _unjudged.Clear();
    }

    /// <summary>Takes up the series <see cref="Save"/> wrote; a series whose metric no rule judges any more is left out.</summary>
    public void Restore(BinaryReader reader)
    {
        _series.Clear();
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var key = DetectorCheckpoint.ReadKey(reader);
            var rule = _options.Rules.GetValueOrDefault(key.Name) ?? _options.DefaultRule;
            var window = new SeriesWindow(_options.WindowSize, rule ?? new MetricRule("MetricAnomaly", Direction.Both))
            {
                LastSeen = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero),
                AbnormalRun = reader.ReadInt32(),
                NormalRun = reader.ReadInt32(),
                Firing = reader.ReadBoolean(),
            };
            window.Levels.Restore(reader);
            DetectorCheckpoint.Read(reader, window);
            if (rule is not null)
            {
                _series[key] = window;
            }
        }
    }

    /// <summary>Forgets series not seen since <paramref name="now"/> minus the idle timeout; returns how many.</summary>
    public int EvictIdle(DateTimeOffset now)
    {
        // Forgetting which series have no rule is cheap (one rule search each) and keeps the set from growing with churn.
        _unjudged.Clear();
        var cutoff = now - _options.IdleTimeout;
        var idle = _series.Where(s => s.Value.LastSeen < cutoff).Select(s => s.Key).ToList();
        foreach (var key in idle)
        {
            _series.Remove(key);
        }

        return idle.Count;
    }

    private bool IsAbnormal(MetricRule rule, double value, double median, double z)
    {
        var significant = Math.Abs(value - median) >= rule.MinRelativeChange * Math.Abs(median);
        var up = z > _options.Threshold && value >= rule.MinValue;
        var down = z < -_options.Threshold;
        return significant && rule.Direction switch
        {
            Direction.Up => up,
            Direction.Down => down,
            _ => up || down,
        };
    }
}
