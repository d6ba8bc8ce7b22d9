namespace Medic.Core.Telemetry;

/// <summary>
/// The last stretch of chosen series, in memory: what a stage needs to look back at an incident's
/// baseline without a time-series database. Only series of the named metrics are kept, each for
/// <paramref name="span"/> behind its newest sample. Safe to read from other threads while one records.
/// </summary>
/// <param name="metrics">The metric names to keep.</param>
/// <param name="span">How far back to keep.</param>
public sealed class RecentSamples(IReadOnlyCollection<string> metrics, TimeSpan span)
{
    private readonly HashSet<string> _metrics = [.. metrics];
    private readonly Dictionary<SeriesKey, Queue<(DateTimeOffset At, double Value)>> _history = [];
    private readonly Lock _gate = new();

    /// <summary>Whether series of <paramref name="metric"/> are kept.</summary>
    public bool Keeps(string metric) => _metrics.Contains(metric);

    /// <summary>Every kept series with its samples, oldest first (a copy).</summary>
    public IReadOnlyList<KeyValuePair<SeriesKey, (DateTimeOffset At, double Value)[]>> Series
    {
        get
        {
            lock (_gate)
            {
                return [.. _history.Select(h => KeyValuePair.Create(h.Key, h.Value.ToArray()))];
            }
        }
    }

    /// <summary>The samples of <paramref name="series"/> from <paramref name="from"/> on, oldest first (a copy; empty when not kept).</summary>
    public (DateTimeOffset At, double Value)[] Since(SeriesKey series, DateTimeOffset from)
    {
        lock (_gate)
        {
            return _history.TryGetValue(series, out var history) ? [.. history.Where(h => h.At >= from)] : [];
        }
    }

    /// <summary>Keeps the finite samples of the chosen metrics and forgets what fell out of the span; returns the kept samples.</summary>
    public IReadOnlyList<Sample> Record(SampleBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var kept = new List<Sample>();
        lock (_gate)
        {
            Keep(batch, kept);
        }

        return kept;
    }

    private void Keep(SampleBatch batch, List<Sample> kept)
    {
        foreach (var sample in batch.Samples)
        {
            if (!_metrics.Contains(sample.Series.Name) || !double.IsFinite(sample.Value))
            {
                continue;
            }

            if (!_history.TryGetValue(sample.Series, out var history))
            {
                _history[sample.Series] = history = new Queue<(DateTimeOffset, double)>();
            }

            history.Enqueue((sample.Timestamp, sample.Value));
            while (history.Peek().At < sample.Timestamp - span)
            {
                history.Dequeue();
            }

            kept.Add(sample);
        }
    }

    /// <summary>
    /// <paramref name="series"/> on a regular grid of <paramref name="step"/> from <paramref name="from"/>
    /// (inclusive) to <paramref name="to"/> (exclusive): the mean of the samples in each step, NaN where there are none.
    /// </summary>
    public double[] Grid(SeriesKey series, DateTimeOffset from, DateTimeOffset to, TimeSpan step)
    {
        var steps = Math.Max(0, (int)Math.Ceiling((to - from) / step));
        var sums = new double[steps];
        var counts = new int[steps];
        foreach (var (at, value) in Since(series, from))
        {
            if (at < to && (int)((at - from) / step) is var i && i < steps)
            {
                sums[i] += value;
                counts[i]++;
            }
        }

        return [.. sums.Select((sum, i) => counts[i] == 0 ? double.NaN : sum / counts[i])];
    }
}
