using Google.Protobuf;
using Medic.Adapters.Ingest;
using Medic.Adapters.Ingest.Otlp;
using Medic.Adapters.Ingest.Otlp.Proto.Common;
using Medic.Adapters.Ingest.Otlp.Proto.Metrics;
using Medic.Adapters.Ingest.Otlp.Proto.Resource;
using Medic.Core.Telemetry;
using Medic.Core.Telemetry.Storage;

namespace Medic.Adapters.Tests.Ingest;

/// <summary>OTLP metric semantics, read from the bytes of exports built with the generated messages.</summary>
public sealed class OtlpMetricsReaderTests
{
    private const ulong T0 = 1_795_000_000_000_000_000;
    private const ulong Second = 1_000_000_000;
    private readonly SeriesStore _store = new(new SeriesStoreOptions { Retention = TimeSpan.FromDays(365 * 100) });
    private readonly OtlpMetricsReader _reader;

    public OtlpMetricsReaderTests() => _reader = new OtlpMetricsReader(_store, new IngestLimits { MaxLabelsPerSeries = 6 });

    [Fact]
    public void A_cumulative_counter_becomes_a_rate_that_survives_a_reset_and_a_restart()
    {
        Export(Sum(cumulative: true, (T0, 10, T0)));
        Export(Sum(cumulative: true, (T0, 40, T0 + (10 * Second))));
        Export(Sum(cumulative: true, (T0, 5, T0 + (20 * Second))));
        Export(Sum(cumulative: true, (T0 + (25 * Second), 6, T0 + (30 * Second))));

        Assert.Equal([10, 40, 5, 6], Values("orders_total"));
        Assert.Equal([3, 0.5, 0.6], Values("orders_total:rate"));
    }

    [Fact]
    public void A_delta_counter_is_its_own_rate()
    {
        Export(Sum(cumulative: false, (T0, 30, T0 + (10 * Second))));

        Assert.Equal([3], Values("orders_total:rate"));
    }

    [Fact]
    public void A_cumulative_histogram_gives_the_quantiles_of_each_interval()
    {
        // Bounds 10, 20, 50, +Inf. First interval: all 10 in (10, 20]; second adds 10 in (20, 50].
        Export(Histogram((T0, 10, [0, 10, 0, 0])));
        Export(Histogram((T0 + (10 * Second), 20, [0, 10, 10, 0])));

        Assert.Equal([10, 20], Values("latency_count"));
        Assert.Equal([1], Values("latency_count:rate"));
        Assert.Equal([15, 35], Values("latency:p50"));
        Assert.Equal([19.9, 49.7], Values("latency:p99").Select(v => Math.Round(v, 6)));
    }

    [Fact]
    public void An_exponential_histogram_gives_quantiles_from_its_buckets()
    {
        // Scale 0: bucket i holds (2^i, 2^(i+1)]; offset 3 → buckets (8, 16] and (16, 32].
        var point = new ExponentialHistogramDataPoint { StartTimeUnixNano = T0, TimeUnixNano = T0 + Second, Count = 4, Sum = 70, Scale = 0, ZeroCount = 0, Positive = new() { Offset = 3, BucketCounts = { 3, 1 } } };
        point.Attributes.Add(Attribute("route", "/pay"));
        Export(new Metric { Name = "latency", ExponentialHistogram = new() { AggregationTemporality = AggregationTemporality.Delta, DataPoints = { point } } });

        Assert.Equal([8 + (8 * 2 / 3.0)], Values("latency:p50"));
        Assert.Equal([16 + (16 * 0.6)], Values("latency:p90"));
        Assert.Equal([70], Values("latency_sum"));
    }

    [Fact]
    public void A_summary_gives_its_quantiles_with_the_usual_ones_named_like_histogram_quantiles()
    {
        var point = new SummaryDataPoint { TimeUnixNano = T0, Count = 3, Sum = 9 };
        point.QuantileValues.Add(new SummaryDataPoint.Types.ValueAtQuantile { Quantile = 0.5, Value = 2 });
        point.QuantileValues.Add(new SummaryDataPoint.Types.ValueAtQuantile { Quantile = 0.75, Value = 4 });
        Export(new Metric { Name = "rpc.duration", Summary = new() { DataPoints = { point } } });

        Assert.Equal([2], Values("rpc_duration:p50"));
        Assert.Equal([4], Values("rpc_duration{quantile=\"0.75\"}"));
        Assert.Equal([3], Values("rpc_duration_count"));
    }

    [Fact]
    public void Attribute_values_of_every_kind_become_the_same_label_text_as_the_decoded_message_gives()
    {
        AnyValue[] values =
        [
            new() { StringValue = "ünïcode" },
            new() { BoolValue = true },
            new() { IntValue = -42 },
            new() { DoubleValue = 0.1 },
            new() { BytesValue = ByteString.CopyFrom(0xde, 0xad) },
            new() { ArrayValue = new ArrayValue { Values = { new AnyValue { IntValue = 1 }, new AnyValue { StringValue = "x" } } } },
            new() { KvlistValue = new KeyValueList { Values = { new KeyValue { Key = "k", Value = new AnyValue { BoolValue = false } } } } },
        ];
        var gauge = new Gauge();
        for (var i = 0; i < values.Length; i++)
        {
            var point = new NumberDataPoint { TimeUnixNano = T0, AsDouble = i };
            point.Attributes.Add(new KeyValue { Key = "kind.value", Value = values[i] });
            gauge.DataPoints.Add(point);
        }

        Export(new Metric { Name = "kinds", Gauge = gauge });

        var labels = Query("kinds").Select(s => s.Series["kind_value"]!).ToHashSet();
        Assert.Equal(values.Select(OtlpLabels.Text).ToHashSet(), labels);
    }

    [Fact]
    public void Points_past_the_limits_are_refused_one_by_one_and_the_rest_are_stored()
    {
        var gauge = new Gauge();
        for (var attributes = 1; attributes <= 4; attributes++)
        {
            var point = new NumberDataPoint { TimeUnixNano = T0, AsInt = attributes };
            point.Attributes.Add(Enumerable.Range(0, attributes).Select(i => Attribute($"a{i}", "v")));
            gauge.DataPoints.Add(point);
        }

        // Three resource labels plus up to four attributes, against a limit of six labels.
        var result = Export(new Metric { Name = "wide", Gauge = gauge });

        Assert.Equal((3, 1), (result.Accepted, result.Rejected));
        Assert.Equal("a point of wide has more than 6 attributes, or one too long", result.Error);
        Assert.Equal(3, Query("wide").Count);
    }

    [Fact]
    public void A_malformed_export_changes_nothing_even_when_it_breaks_late()
    {
        var good = Request(Sum(cumulative: true, (T0, 1, T0)));
        var nested = new AnyValue { StringValue = "deep" };
        for (var i = 0; i < 20; i++)
        {
            nested = new AnyValue { ArrayValue = new ArrayValue { Values = { nested } } };
        }

        var deep = new NumberDataPoint { TimeUnixNano = T0, AsInt = 1 };
        deep.Attributes.Add(new KeyValue { Key = "deep", Value = nested });
        var late = Request(new Metric { Name = "late", Gauge = new Gauge { DataPoints = { deep } } });

        var truncated = _reader.Read([.. good, .. good[..^3]], []);
        var tooDeep = _reader.Read([.. good, .. late], []);

        Assert.NotNull(truncated.Malformed);
        Assert.Contains("nests arrays or lists more than 16 deep", tooDeep.Malformed, StringComparison.Ordinal);
        Assert.Equal(0, _store.SeriesCount);
    }

    [Fact]
    public void A_stream_seen_before_is_found_by_its_bytes()
    {
        Export(Sum(cumulative: true, (T0, 1, T0)));
        Export(Sum(cumulative: true, (T0, 2, T0 + Second)));

        Assert.Equal(1, _reader.Streams);
        Assert.Equal([1, 2], Values("orders_total"));
    }

    private static Metric Sum(bool cumulative, params (ulong Start, long Value, ulong Time)[] points)
    {
        var sum = new Sum { IsMonotonic = true, AggregationTemporality = cumulative ? AggregationTemporality.Cumulative : AggregationTemporality.Delta };
        foreach (var (start, value, time) in points)
        {
            var point = new NumberDataPoint { StartTimeUnixNano = start, TimeUnixNano = time, AsInt = value };
            point.Attributes.Add(Attribute("status", "ok"));
            sum.DataPoints.Add(point);
        }

        return new Metric { Name = "orders.total", Sum = sum };
    }

    private static Metric Histogram(params (ulong Time, ulong Count, ulong[] Buckets)[] points)
    {
        var histogram = new Medic.Adapters.Ingest.Otlp.Proto.Metrics.Histogram { AggregationTemporality = AggregationTemporality.Cumulative };
        foreach (var (time, count, buckets) in points)
        {
            var point = new HistogramDataPoint { StartTimeUnixNano = T0 - Second, TimeUnixNano = time, Count = count, ExplicitBounds = { 10, 20, 50 }, BucketCounts = { buckets } };
            histogram.DataPoints.Add(point);
        }

        return new Metric { Name = "latency", Histogram = histogram };
    }

    private static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static byte[] Request(Metric metric)
    {
        var resource = new Resource();
        resource.Attributes.Add(Attribute("service.name", "checkout"));
        resource.Attributes.Add(Attribute("k8s.pod.name", "checkout-1"));
        resource.Attributes.Add(Attribute("k8s.namespace.name", "shop"));
        resource.Attributes.Add(Attribute("process.pid", "4242"));
        // MetricsData has the wire format of ExportMetricsServiceRequest: 1 resource_metrics.
        var request = new MetricsData();
        request.ResourceMetrics.Add(new ResourceMetrics { Resource = resource, ScopeMetrics = { new ScopeMetrics { Metrics = { metric } } } });
        return request.ToByteArray();
    }

    private OtlpResult Export(Metric metric)
    {
        var result = _reader.Read(Request(metric), []);
        Assert.Null(result.Malformed);
        return result;
    }

    private List<(SeriesKey Series, IReadOnlyList<(long Timestamp, double Value)> Samples)> Query(string selector) =>
        [.. _store.Query(LabelMatcher.ParseSelector(selector), long.MinValue, long.MaxValue)];

    private List<double> Values(string selector) => [.. Assert.Single(Query(selector)).Samples.Select(s => s.Value)];
}
