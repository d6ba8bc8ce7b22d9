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

    /// <summary>The series was forgotten (quiet past the retention) just before: resolve it again and append to the new one.</summary>
    Evicted,
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

    /// <summary>The source series count against when the sender names none.</summary>
    public const string DefaultSource = "default";

    private readonly ConcurrentDictionary<SeriesKey, StoredSeries> _series = new();
    private readonly ConcurrentDictionary<string, SeriesSource> _sources = new(StringComparer.Ordinal);
    private readonly StringPool _strings = new();

    /// <summary>Series held.</summary>
    public int SeriesCount => _series.Count;

    /// <summary>
    /// The stored series for <paramref name="key"/>, created when new and counted against
    /// <paramref name="source"/> (a tenant, or the protocol it came by); null when Medic's or the
    /// source's cardinality limit is reached (<see cref="Refusal"/> says which).
    /// </summary>
    public StoredSeries? GetOrAdd(SeriesKey key, string source = DefaultSource)
    {
        if (_series.TryGetValue(key, out var existing))
        {
            return existing;
        }

        var counted = _sources.GetOrAdd(source, name => new SeriesSource(name));
        if (_series.Count >= options.MaxSeries || counted.Series >= options.MaxSeriesPerSource)
        {
            return null;
        }

        // Label names and most values repeat across series (a pod's name across its metrics): held once.
        var shared = new SeriesKey(_strings.Intern(key.Name), key.Labels.Select(l => KeyValuePair.Create(_strings.Intern(l.Key), _strings.Intern(l.Value))));
        var created = new StoredSeries(shared, counted);
        var stored = _series.GetOrAdd(shared, created);
        if (ReferenceEquals(stored, created))
        {
            counted.Added();
        }

        return stored;
    }

    /// <summary>Why a new series of <paramref name="source"/> was refused, with the setting that allows more.</summary>
    public string Refusal(string source = DefaultSource) => _series.Count >= options.MaxSeries
        ? $"new series refused: Medic holds its limit of {options.MaxSeries} series (series.max_series); samples of known series are still stored"
        : $"new series refused: source '{source}' holds its limit of {options.MaxSeriesPerSource} series (series.max_series_per_source); samples of known series are still stored";

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
            if (series.DropBefore(cutoff) && _series.TryRemove(KeyValuePair.Create(key, series)))
            {
                series.Source.Removed();
                forgotten++;
            }
        }

        _strings.TrimTo(_series.Count * 4);
        return forgotten;
    }

    /// <summary>
    /// Appends to <paramref name="series"/>; when the store forgot it in the meantime, to the series
    /// that replaces it (passed back), or <see cref="AppendResult.Evicted"/> when the cardinality
    /// limit refuses the replacement.
    /// </summary>
    public AppendResult Append(ref StoredSeries series, long timestamp, double value)
    {
        var result = series.Append(timestamp, value);
        if (result == AppendResult.Evicted && GetOrAdd(series.Key, series.Source.Name) is { } renewed)
        {
            series = renewed;
            result = series.Append(timestamp, value);
        }

        return result;
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

/// <summary>The samples of one series: sealed chunks, oldest first, and the open chunk.</summary>
public sealed class StoredSeries(SeriesKey key, SeriesSource source)
{
    private readonly List<SealedChunk> _sealed = [];
    private GorillaChunk _open = new();
    private double _lastValue = double.NaN;
    private volatile bool _evicted;

    /// <summary>The series.</summary>
    public SeriesKey Key { get; } = key;

    /// <summary>The source the series counts against.</summary>
    public SeriesSource Source { get; } = source;

    /// <summary>Whether the store has forgotten the series (it went quiet past the retention); caches holding it should let go.</summary>
    public bool Evicted => _evicted;

    /// <summary>Appends a sample (Unix ms).</summary>
    public AppendResult Append(long timestamp, double value)
    {
        lock (_sealed)
        {
            if (_evicted)
            {
                return AppendResult.Evicted;
            }

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
                _sealed.Add(_open.Seal());
            }

            _open.Append(timestamp, value);
            _lastValue = value;
            return AppendResult.Stored;
        }
    }

    internal List<(long Timestamp, double Value)> Read(long from, long to)
    {
        var samples = new List<(long, double)>();
        lock (_sealed)
        {
            foreach (var chunk in _sealed)
            {
                if (chunk.LastTimestamp >= from && chunk.FirstTimestamp <= to)
                {
                    chunk.ReadInto(samples, from, to);
                }
            }

            if (_open.Count > 0 && _open.LastTimestamp >= from && _open.FirstTimestamp <= to)
            {
                _open.ReadInto(samples, from, to);
            }
        }

        return samples;
    }

    /// <summary>
    /// Drops the chunks that end before <paramref name="cutoff"/>. A series left without samples is
    /// marked evicted (appends to it say so, and the caller resolves the series again); returns
    /// whether it was.
    /// </summary>
    internal bool DropBefore(long cutoff)
    {
        lock (_sealed)
        {
            var old = 0;
            while (old < _sealed.Count && _sealed[old].LastTimestamp < cutoff)
            {
                old++;
            }

            _sealed.RemoveRange(0, old);
            if (_open.Count > 0 && _open.LastTimestamp < cutoff)
            {
                _open = new GorillaChunk();
            }

            _evicted = _sealed.Count == 0 && _open.Count == 0;
            return _evicted;
        }
    }

    internal (long Bytes, long Samples) Footprint()
    {
        lock (_sealed)
        {
            long bytes = _open.Bytes, samples = _open.Count;
            foreach (var chunk in _sealed)
            {
                bytes += chunk.Data.Length;
                samples += chunk.Count;
            }

            return (bytes, samples);
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

    /// <summary>Most series one source (a tenant, or else the protocol) may hold, so one sender's label explosion cannot crowd out the others. Default 1,000,000.</summary>
    public int MaxSeriesPerSource { get; init; } = 1_000_000;
}

/// <summary>Where series come from (a tenant, or the protocol), and how many it holds.</summary>
public sealed class SeriesSource(string name)
{
    private int _series;

    /// <summary>The source's name.</summary>
    public string Name { get; } = name;

    /// <summary>Series held.</summary>
    public int Series => Volatile.Read(ref _series);

    internal void Added() => Interlocked.Increment(ref _series);

    internal void Removed() => Interlocked.Decrement(ref _series);
}
