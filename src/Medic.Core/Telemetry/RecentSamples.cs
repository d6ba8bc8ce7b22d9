namespace Medic.Core.Telemetry;

/// <summary>
/// The last stretch of chosen series, in memory: what a stage needs to look back at an incident's
/// baseline without a time-series database. Only series of the named metrics are kept, each for
/// <paramref name="span"/> behind its newest sample.
/// </summary>
/// <param name="metrics">The metric names to keep.</param>
/// <param name="span">How far back to keep.</param>
public sealed class RecentSamples(IReadOnlyCollection<string> metrics, TimeSpan span)
{
    private readonly HashSet<string> _metrics = [.. metrics];
    private readonly Dictionary<SeriesKey, Queue<(DateTimeOffset At, double Value)>> _history = [];

    /// <summary>Every kept series with its samples, oldest first.</summary>
    public IEnumerable<KeyValuePair<SeriesKey, Queue<(DateTimeOffset At, double Value)>>> Series => _history;

    /// <summary>Keeps the finite samples of the chosen metrics and forgets what fell out of the span; returns the kept samples.</summary>
    public IReadOnlyList<Sample> Record(SampleBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var kept = new List<Sample>();
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

        return kept;
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
        if (_history.TryGetValue(series, out var history))
        {
            foreach (var (at, value) in history)
            {
                if (at >= from && at < to && (int)((at - from) / step) is var i && i < steps)
                {
                    sums[i] += value;
                    counts[i]++;
                }
            }
        }

        return [.. sums.Select((sum, i) => counts[i] == 0 ? double.NaN : sum / counts[i])];
    }
}
