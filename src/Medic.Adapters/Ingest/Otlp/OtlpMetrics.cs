using Medic.Adapters.Ingest.Otlp.Proto.Metrics;
using Medic.Core.Telemetry;
using Medic.Core.Telemetry.Storage;

namespace Medic.Adapters.Ingest.Otlp;

/// <summary>What an export did: points stored, and points refused with why.</summary>
public sealed record OtlpResult(long Accepted, long Rejected, string? Error);

/// <summary>
/// OTLP metrics as series. Gauges and non-monotonic sums are stored as sent. A monotonic sum is
/// stored as sent and as a per-second rate (<c>name:rate</c>), from the difference with its
/// previous point for cumulative temporality (a drop, or a new start time, is a counter reset) or
/// from the point itself for delta. Histograms (explicit and exponential) give <c>name_count</c>,
/// <c>name_sum</c>, the count's rate and the p50, p90 and p99 over each interval
/// (<c>name:p50</c>...); summaries give their count, sum and quantiles.
/// </summary>
public sealed class OtlpMetrics(SeriesStore store, IngestLimits limits)
{
    private static readonly (double Quantile, string Suffix)[] Quantiles = [(0.5, ":p50"), (0.9, ":p90"), (0.99, ":p99")];
    private readonly Dictionary<SeriesKey, Previous> _previous = [];

    /// <summary>Stores the metrics; adds the finite stored samples to <paramref name="collected"/>.</summary>
    public OtlpResult Accept(IEnumerable<ResourceMetrics> resources, List<Sample> collected)
    {
        var batch = new Batch(store, limits, collected);
        foreach (var resource in resources)
        {
            var labels = OtlpLabels.OfResource(resource.Resource?.Attributes);
            foreach (var metric in resource.ScopeMetrics.SelectMany(s => s.Metrics))
            {
                var name = OtlpLabels.Name(metric.Name);
                if (name.Length == 0)
                {
                    batch.Reject(Points(metric), "a metric without a name");
                    continue;
                }

                switch (metric.DataCase)
                {
                    case Metric.DataOneofCase.Gauge:
                        foreach (var point in metric.Gauge.DataPoints)
                        {
                            batch.Add(name, OtlpLabels.With(labels, point.Attributes), point.TimeUnixNano, Value(point));
                        }

                        break;
                    case Metric.DataOneofCase.Sum:
                        foreach (var point in metric.Sum.DataPoints)
                        {
                            var series = batch.Add(name, OtlpLabels.With(labels, point.Attributes), point.TimeUnixNano, Value(point));
                            if (metric.Sum.IsMonotonic && series is not null)
                            {
                                Rate(batch, series, name + ":rate", point.StartTimeUnixNano, point.TimeUnixNano, Value(point), metric.Sum.AggregationTemporality == AggregationTemporality.Delta);
                            }
                        }

                        break;
                    case Metric.DataOneofCase.Histogram:
                        foreach (var point in metric.Histogram.DataPoints)
                        {
                            Histogram(batch, name, OtlpLabels.With(labels, point.Attributes), point.StartTimeUnixNano, point.TimeUnixNano, point.Count, point.HasSum ? point.Sum : null, metric.Histogram.AggregationTemporality == AggregationTemporality.Delta, ExplicitBuckets(point));
                        }

                        break;
                    case Metric.DataOneofCase.ExponentialHistogram:
                        foreach (var point in metric.ExponentialHistogram.DataPoints)
                        {
                            Histogram(batch, name, OtlpLabels.With(labels, point.Attributes), point.StartTimeUnixNano, point.TimeUnixNano, point.Count, point.HasSum ? point.Sum : null, metric.ExponentialHistogram.AggregationTemporality == AggregationTemporality.Delta, ExponentialBuckets(point));
                        }

                        break;
                    case Metric.DataOneofCase.Summary:
                        foreach (var point in metric.Summary.DataPoints)
                        {
                            var pointLabels = OtlpLabels.With(labels, point.Attributes);
                            batch.Add(name + "_count", pointLabels, point.TimeUnixNano, point.Count);
                            batch.Add(name + "_sum", pointLabels, point.TimeUnixNano, point.Sum);
                            foreach (var quantile in point.QuantileValues)
                            {
                                var suffix = Quantiles.FirstOrDefault(q => Math.Abs(q.Quantile - quantile.Quantile) < 1e-9).Suffix;
                                batch.Add(suffix is null ? name : name + suffix, suffix is null ? new Dictionary<string, string>(pointLabels) { ["quantile"] = quantile.Quantile.ToString("R", System.Globalization.CultureInfo.InvariantCulture) } : pointLabels, point.TimeUnixNano, quantile.Value);
                            }
                        }

                        break;
                    default:
                        batch.Reject(0, $"metric {metric.Name} has no data");
                        break;
                }
            }
        }

        return batch.Result();
    }

    private void Histogram(Batch batch, string name, Dictionary<string, string> labels, ulong start, ulong time, ulong count, double? sum, bool delta, List<(double Upper, double Count)> buckets)
    {
        var countSeries = batch.Add(name + "_count", labels, time, count);
        if (sum is { } total)
        {
            batch.Add(name + "_sum", labels, time, total);
        }

        if (countSeries is null)
        {
            return;
        }

        Rate(batch, countSeries, name + "_count:rate", start, time, count, delta);

        // Quantiles over the interval: this point's buckets, less the previous point's when cumulative.
        var interval = buckets;
        lock (_previous)
        {
            if (!delta && _previous.TryGetValue(countSeries.Key, out var previous) && previous.Buckets is { } before && before.Count == buckets.Count && previous.Start == start)
            {
                interval = [.. buckets.Select((b, i) => (b.Upper, Math.Max(0, b.Count - before[i].Count)))];
            }

            _previous[countSeries.Key] = (_previous.GetValueOrDefault(countSeries.Key) ?? new Previous()) with { Buckets = buckets };
        }

        foreach (var (quantile, suffix) in Quantiles)
        {
            if (Quantile(interval, quantile) is { } value)
            {
                batch.Add(name + suffix, labels, time, value);
            }
        }
    }

    /// <summary>The per-second rate of a counter, stored as its own series.</summary>
    private void Rate(Batch batch, StoredSeries counter, string name, ulong start, ulong time, double value, bool delta)
    {
        double? rate = null;
        lock (_previous)
        {
            if (delta)
            {
                rate = time > start && start > 0 ? value / ((time - start) / 1e9) : null;
            }
            else if (_previous.TryGetValue(counter.Key, out var previous) && previous.Time < time)
            {
                // A drop, or a new start time, is a counter reset: the counter counted up from zero since.
                var increase = value >= previous.Value && previous.Start == start ? value - previous.Value : value;
                rate = increase / ((time - previous.Time) / 1e9);
            }

            _previous[counter.Key] = (_previous.GetValueOrDefault(counter.Key) ?? new Previous()) with { Value = value, Time = time, Start = start };
        }

        if (rate is { } perSecond)
        {
            batch.Add(name, counter.Key.Labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal), time, perSecond);
        }
    }

    /// <summary>A quantile from bucket upper bounds and counts, interpolating linearly within the bucket it falls in.</summary>
    internal static double? Quantile(List<(double Upper, double Count)> buckets, double quantile)
    {
        var total = buckets.Sum(b => b.Count);
        if (total <= 0)
        {
            return null;
        }

        var rank = quantile * total;
        double seen = 0;
        var lower = 0.0;
        foreach (var (upper, count) in buckets)
        {
            if (seen + count >= rank && count > 0)
            {
                if (double.IsPositiveInfinity(upper))
                {
                    return lower;
                }

                return lower + ((upper - lower) * ((rank - seen) / count));
            }

            seen += count;
            lower = double.IsFinite(upper) ? upper : lower;
        }

        return lower;
    }

    private static List<(double, double)> ExplicitBuckets(HistogramDataPoint point)
    {
        var buckets = new List<(double, double)>(point.BucketCounts.Count);
        for (var i = 0; i < point.BucketCounts.Count; i++)
        {
            buckets.Add((i < point.ExplicitBounds.Count ? point.ExplicitBounds[i] : double.PositiveInfinity, point.BucketCounts[i]));
        }

        return buckets;
    }

    /// <summary>Positive exponential buckets as upper bounds: bucket i holds (base^i, base^(i+1)] with base = 2^(2^-scale).</summary>
    private static List<(double, double)> ExponentialBuckets(ExponentialHistogramDataPoint point)
    {
        var buckets = new List<(double, double)> { (point.ZeroThreshold, point.ZeroCount) };
        if (point.Positive is { } positive)
        {
            var @base = Math.Pow(2, Math.Pow(2, -point.Scale));
            for (var i = 0; i < positive.BucketCounts.Count; i++)
            {
                buckets.Add((Math.Pow(@base, positive.Offset + i + 1), positive.BucketCounts[i]));
            }
        }

        return buckets;
    }

    private static double Value(NumberDataPoint point) => point.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? point.AsInt : point.AsDouble;

    private static int Points(Metric metric) => metric.DataCase switch
    {
        Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints.Count,
        Metric.DataOneofCase.Sum => metric.Sum.DataPoints.Count,
        Metric.DataOneofCase.Histogram => metric.Histogram.DataPoints.Count,
        Metric.DataOneofCase.ExponentialHistogram => metric.ExponentialHistogram.DataPoints.Count,
        Metric.DataOneofCase.Summary => metric.Summary.DataPoints.Count,
        _ => 0,
    };

    private sealed record Previous
    {
        public double Value { get; init; }

        public ulong Time { get; init; }

        public ulong Start { get; init; }

        public List<(double Upper, double Count)>? Buckets { get; init; }
    }

    /// <summary>The samples of one export: stored, counted, refused with the first reason.</summary>
    private sealed class Batch(SeriesStore store, IngestLimits limits, List<Sample> collected)
    {
        private long _accepted;
        private long _rejected;
        private string? _error;

        public StoredSeries? Add(string name, Dictionary<string, string> labels, ulong timeUnixNano, double value)
        {
            if (labels.Count > limits.MaxLabelsPerSeries || labels.Any(l => l.Key.Length > limits.MaxLabelNameBytes || l.Value.Length > limits.MaxLabelValueBytes))
            {
                Reject(1, $"a point of {name} has more than {limits.MaxLabelsPerSeries} attributes, or one too long");
                return null;
            }

            var series = store.GetOrAdd(new SeriesKey(name, labels));
            if (series is null)
            {
                Reject(1, "new series refused: the series limit is reached");
                return null;
            }

            var time = (long)(timeUnixNano / 1_000_000);
            if (store.Append(ref series, time, value) == AppendResult.Stored && double.IsFinite(value))
            {
                collected.Add(new Sample(series.Key, DateTimeOffset.FromUnixTimeMilliseconds(time), value));
            }

            _accepted++;
            return series;
        }

        public void Reject(long points, string why)
        {
            _rejected += points;
            _error ??= why;
        }

        public OtlpResult Result() => new(_accepted, _rejected, _error);
    }
}
