using System.Collections.Concurrent;

namespace Medic.Core.Telemetry.Storage;

/// <summary>What happened to an appended sample.</summary>
public enum AppendResult
{
    /// <summary>Stored.</summary>
    Stored,

    /// <summary>Same time and value as the last one: already there.</summary>
    Duplicate,

    /// <summary>Not after the last sample of its series: dropped (series are append-only).</summary>
    OutOfOrder,
}

/// <summary>
/// The recent window of every series, Gorilla-compressed in chunks of 120 samples: a sample takes
/// about one to three bytes. Series are created on first sight up to a cardinality limit, queried by
/// label matchers and time range, and forgotten when their data ages out of the retention.
/// Thread-safe: each series has its own lock.
/// </summary>
public sealed class SeriesStore(SeriesStoreOptions options)
{
    /// <summary>Samples per chunk before it is sealed.</summary>
    public const int ChunkSize = 120;

    private readonly ConcurrentDictionary<SeriesKey, StoredSeries> _series = new();

    /// <summary>Series held.</summary>
    public int SeriesCount => _series.Count;

    /// <summary>The stored series for <paramref name="key"/>, created when new; null when the cardinality limit is reached.</summary>
    public StoredSeries? GetOrAdd(SeriesKey key)
    {
        if (_series.TryGetValue(key, out var existing))
        {
            return existing;
        }

        if (_series.Count >= options.MaxSeries)
        {
            return null;
        }

        return _series.GetOrAdd(key, k => new StoredSeries(k));
    }

    /// <summary>The series that pass every matcher, with their samples in [<paramref name="from"/>, <paramref name="to"/>] (Unix ms).</summary>
    public IReadOnlyList<(SeriesKey Series, IReadOnlyList<(long Timestamp, double Value)> Samples)> Query(IReadOnlyList<LabelMatcher> matchers, long from, long to, int maxSeries = 10_000)
    {
        var result = new List<(SeriesKey, IReadOnlyList<(long, double)>)>();
        foreach (var (key, series) in _series)
        {
            if (matchers.All(m => m.Matches(key)))
            {
                var samples = series.Read(from, to);
                if (samples.Count > 0)
                {
                    result.Add((key, samples));
                    if (result.Count >= maxSeries)
                    {
                        break;
                    }
                }
            }
        }

        return [.. result.OrderBy(r => r.Item1.ToString(), StringComparer.Ordinal)];
    }

    /// <summary>Drops chunks older than the retention, and series left without samples. Returns the series forgotten.</summary>
    public int Compact(long now)
    {
        var cutoff = now - (long)options.Retention.TotalMilliseconds;
        var forgotten = 0;
        foreach (var (key, series) in _series)
        {
            if (series.DropBefore(cutoff) && _series.TryRemove(key, out _))
            {
                forgotten++;
            }
        }

        return forgotten;
    }

    /// <summary>Bytes of sample data held and samples held, to report bytes per sample.</summary>
    public (long Bytes, long Samples) Footprint()
    {
        long bytes = 0, samples = 0;
        foreach (var series in _series.Values)
        {
            var (b, s) = series.Footprint();
            bytes += b;
            samples += s;
        }

        return (bytes, samples);
    }
}

/// <summary>The samples of one series.</summary>
public sealed class StoredSeries(SeriesKey key)
{
    private readonly List<GorillaChunk> _sealed = [];
    private GorillaChunk _open = new();
    private double _lastValue = double.NaN;

    /// <summary>The series.</summary>
    public SeriesKey Key { get; } = key;

    /// <summary>Appends a sample (Unix ms).</summary>
    public AppendResult Append(long timestamp, double value)
    {
        lock (_sealed)
        {
            if (_open.Count > 0 || _sealed.Count > 0)
            {
                var last = _open.Count > 0 ? _open.LastTimestamp : _sealed[^1].LastTimestamp;
                if (timestamp < last || (timestamp == last && !SameValue(value, _lastValue)))
                {
                    return AppendResult.OutOfOrder;
                }

                if (timestamp == last)
                {
                    return AppendResult.Duplicate;
                }
            }

            if (_open.Count == SeriesStore.ChunkSize)
            {
                _open.Seal();
                _sealed.Add(_open);
                _open = new GorillaChunk();
            }

            _open.Append(timestamp, value);
            _lastValue = value;
            return AppendResult.Stored;
        }
    }

    internal IReadOnlyList<(long, double)> Read(long from, long to)
    {
        lock (_sealed)
        {
            return [.. _sealed.Append(_open).Where(c => c.Count > 0 && c.LastTimestamp >= from && c.FirstTimestamp <= to)
                .SelectMany(c => c.Read())
                .Where(s => s.Timestamp >= from && s.Timestamp <= to)];
        }
    }

    /// <summary>Drops sealed chunks that end before <paramref name="cutoff"/>; true when nothing recent is left.</summary>
    internal bool DropBefore(long cutoff)
    {
        lock (_sealed)
        {
            _sealed.RemoveAll(c => c.LastTimestamp < cutoff);
            if (_open.Count > 0 && _open.LastTimestamp < cutoff)
            {
                _open = new GorillaChunk();
            }

            return _sealed.Count == 0 && _open.Count == 0;
        }
    }

    internal (long Bytes, long Samples) Footprint()
    {
        lock (_sealed)
        {
            return (_sealed.Sum(c => (long)c.Bytes) + _open.Bytes, _sealed.Sum(c => (long)c.Count) + _open.Count);
        }
    }

    private static bool SameValue(double a, double b) => BitConverter.DoubleToUInt64Bits(a) == BitConverter.DoubleToUInt64Bits(b);
}

/// <summary>Limits of the series store.</summary>
public sealed record SeriesStoreOptions
{
    /// <summary>How long samples are kept. Default 6 hours.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Most series held; samples of new series beyond it are rejected, existing ones keep flowing. Default 1,000,000.</summary>
    public int MaxSeries { get; init; } = 1_000_000;
}
