using Medic.Core.Telemetry;
using Medic.Core.Telemetry.Storage;

namespace Medic.Adapters.Ingest.Otlp;

/// <summary>
/// Everything Medic keeps for one OTLP point stream (a resource, a metric and a set of point
/// attributes): the series it feeds, created as they are first needed, and what the previous point
/// said, for rates and for the quantiles of the interval. Points of one stream are handled one at a
/// time (the stream is their lock).
/// </summary>
internal sealed class OtlpStream(string name, KeyValuePair<string, string>[] labels)
{
    private static readonly (double Quantile, string Suffix)[] Quantiles = [(0.5, ":p50"), (0.9, ":p90"), (0.99, ":p99")];

    private StoredSeries? _value;
    private StoredSeries? _sum;
    private StoredSeries? _rate;
    private StoredSeries?[]? _quantiles;
    private List<(double Quantile, StoredSeries? Series)>? _summaryQuantiles;
    private bool _hasPrevious;
    private double _previousValue;
    private ulong _previousTime;
    private ulong _previousStart;
    private double[]? _previousBuckets;
    private ulong _previousBucketsStart;

    /// <summary>Whether the store forgot this stream's series: nobody sent it for the whole retention.</summary>
    public bool Quiet => _value?.Evicted ?? true;

    /// <summary>
    /// A gauge or sum point: its value as sent, and for a monotonic sum its per-second rate
    /// (<c>name:rate</c>), from the previous point for cumulative temporality (a drop, or a new
    /// start time, is a counter reset) or from the point itself for delta.
    /// </summary>
    public bool Number(OtlpBatch batch, ulong start, ulong time, double value, bool monotonic, bool delta)
    {
        lock (this)
        {
            if (!Append(ref _value, "", batch, time, value))
            {
                return false;
            }

            if (monotonic)
            {
                Rate(batch, ":rate", start, time, value, delta);
            }

            return true;
        }
    }

    /// <summary>
    /// A histogram point: <c>name_count</c>, <c>name_sum</c>, the count's rate and the p50, p90 and
    /// p99 over the interval (this point's buckets, less the previous point's when cumulative).
    /// </summary>
    public bool Histogram(OtlpBatch batch, ulong start, ulong time, ulong count, double? sum, bool delta, ReadOnlySpan<double> uppers, Span<double> counts)
    {
        lock (this)
        {
            if (!Append(ref _value, "_count", batch, time, count))
            {
                return false;
            }

            if (sum is { } total)
            {
                Append(ref _sum, "_sum", batch, time, total);
            }

            Rate(batch, "_count:rate", start, time, count, delta);
            if (!delta)
            {
                if (_previousBuckets is { } before && before.Length == counts.Length && _previousBucketsStart == start)
                {
                    // Keep this point's counts for next time, and turn the working copy into the interval's.
                    for (var i = 0; i < counts.Length; i++)
                    {
                        (before[i], counts[i]) = (counts[i], Math.Max(0, counts[i] - before[i]));
                    }
                }
                else if (_previousBuckets?.Length == counts.Length)
                {
                    counts.CopyTo(_previousBuckets);
                }
                else
                {
                    _previousBuckets = counts.ToArray();
                }

                _previousBucketsStart = start;
            }

            _quantiles ??= new StoredSeries?[Quantiles.Length];
            for (var q = 0; q < Quantiles.Length; q++)
            {
                if (Quantile(uppers, counts, Quantiles[q].Quantile) is { } value)
                {
                    Append(ref _quantiles[q], Quantiles[q].Suffix, batch, time, value);
                }
            }

            return true;
        }
    }

    /// <summary>A summary point: <c>name_count</c>, <c>name_sum</c> and its quantiles (p50, p90 and p99 as <c>name:p50</c>..., others with a <c>quantile</c> label).</summary>
    public bool Summary(OtlpBatch batch, ulong time, ulong count, double sum, ReadOnlySpan<(double Quantile, double Value)> quantiles)
    {
        lock (this)
        {
            if (!Append(ref _value, "_count", batch, time, count))
            {
                return false;
            }

            Append(ref _sum, "_sum", batch, time, sum);
            _summaryQuantiles ??= [];
            foreach (var (quantile, value) in quantiles)
            {
                var index = 0;
                while (index < _summaryQuantiles.Count && !_summaryQuantiles[index].Quantile.Equals(quantile))
                {
                    index++;
                }

                if (index == _summaryQuantiles.Count)
                {
                    _summaryQuantiles.Add((quantile, null));
                }

                var series = _summaryQuantiles[index].Series;
                if (series is null && Suffix(quantile) is null)
                {
                    // A quantile without a name of its own is the metric with a quantile label.
                    series = batch.Store.GetOrAdd(new SeriesKey(name, [.. labels, KeyValuePair.Create("quantile", quantile.ToString("R", System.Globalization.CultureInfo.InvariantCulture))]), batch.Source);
                }

                Append(ref series, Suffix(quantile) ?? "", batch, time, value);
                _summaryQuantiles[index] = (quantile, series);
            }

            return true;
        }
    }

    /// <summary>The suffix of a usual quantile (<c>:p50</c>, <c>:p90</c>, <c>:p99</c>), or null.</summary>
    private static string? Suffix(double quantile)
    {
        foreach (var (q, suffix) in Quantiles)
        {
            if (Math.Abs(q - quantile) < 1e-9)
            {
                return suffix;
            }
        }

        return null;
    }

    /// <summary>A quantile from bucket upper bounds and counts, interpolating linearly within the bucket it falls in.</summary>
    internal static double? Quantile(ReadOnlySpan<double> uppers, ReadOnlySpan<double> counts, double quantile)
    {
        double total = 0;
        foreach (var count in counts)
        {
            total += count;
        }

        if (total <= 0)
        {
            return null;
        }

        var rank = quantile * total;
        double seen = 0;
        var lower = 0.0;
        for (var i = 0; i < counts.Length; i++)
        {
            var (upper, count) = (uppers[i], counts[i]);
            if (seen + count >= rank && count > 0)
            {
                return double.IsPositiveInfinity(upper) ? lower : lower + ((upper - lower) * ((rank - seen) / count));
            }

            seen += count;
            lower = double.IsFinite(upper) ? upper : lower;
        }

        return lower;
    }

    private void Rate(OtlpBatch batch, string suffix, ulong start, ulong time, double value, bool delta)
    {
        double? rate = null;
        if (delta)
        {
            rate = time > start && start > 0 ? value / ((time - start) / 1e9) : null;
        }
        else if (_hasPrevious && _previousTime < time)
        {
            // A drop, or a new start time, is a counter reset: the counter counted up from zero since.
            var increase = value >= _previousValue && _previousStart == start ? value - _previousValue : value;
            rate = increase / ((time - _previousTime) / 1e9);
        }

        if (!_hasPrevious || time > _previousTime)
        {
            (_hasPrevious, _previousValue, _previousTime, _previousStart) = (true, value, time, start);
        }

        if (rate is { } perSecond)
        {
            Append(ref _rate, suffix, batch, time, perSecond);
        }
    }

    /// <summary>Appends to one of the stream's series (the metric name plus <paramref name="suffix"/>), creating it when first needed; false when the series limit refuses it.</summary>
    private bool Append(ref StoredSeries? series, string suffix, OtlpBatch batch, ulong timeUnixNano, double value)
    {
        series ??= batch.Store.GetOrAdd(new SeriesKey(name + suffix, labels), batch.Source);
        if (series is null)
        {
            return false;
        }

        var time = (long)(timeUnixNano / 1_000_000);
        var stored = series;
        var result = batch.Store.Append(ref stored, time, value);
        series = stored;
        if (result == AppendResult.Stored && double.IsFinite(value))
        {
            batch.Collected.Add(new Sample(stored.Key, DateTimeOffset.FromUnixTimeMilliseconds(time), value));
        }

        return result != AppendResult.Evicted;
    }
}
