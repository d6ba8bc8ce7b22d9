using Google.Protobuf;
using Medic.Adapters.Ingest.Otlp.Proto.Collector.Metrics;
using Medic.Adapters.Ingest.Otlp.Proto.Common;
using Medic.Adapters.Ingest.Otlp.Proto.Metrics;
using Medic.Adapters.Ingest.Otlp.Proto.Resource;

namespace Medic.Bench;

/// <summary>
/// One OTLP/HTTP protobuf export of the ingest benchmark, as a collector batching many pods sends
/// it: a resource per pod (<c>service.name</c>, <c>k8s.pod.name</c>, <c>k8s.namespace.name</c>),
/// counters as cumulative monotonic sums, gauges as gauges, one data point each. Each round moves
/// the time and values on and serializes the request into the caller's buffer.
/// </summary>
internal sealed class OtlpLoad : ILoadBatch
{
    private readonly ExportMetricsServiceRequest _request = new();
    private readonly List<(NumberDataPoint Point, EstateSeries Series)> _points = [];
    private readonly double[] _values;

    private OtlpLoad(IReadOnlyList<EstateSeries> series, long startNanos)
    {
        foreach (var pod in series.GroupBy(s => s.Labels.First(l => l.Name == "pod").Value))
        {
            var first = pod.First();
            var resource = new Resource();
            resource.Attributes.Add(Attribute("service.name", first.Labels.First(l => l.Name == "job").Value));
            resource.Attributes.Add(Attribute("k8s.pod.name", pod.Key));
            resource.Attributes.Add(Attribute("k8s.namespace.name", first.Labels.First(l => l.Name == "namespace").Value));
            var scope = new ScopeMetrics { Scope = new InstrumentationScope { Name = "medic-bench" } };
            foreach (var s in pod)
            {
                var point = new NumberDataPoint { StartTimeUnixNano = (ulong)startNanos };
                foreach (var (name, value) in s.Labels.Where(l => l.Name is not ("__name__" or "instance" or "job" or "namespace" or "pod")))
                {
                    point.Attributes.Add(Attribute(name, value));
                }

                var metric = new Metric { Name = "otel." + s.Metric };
                if (s.Kind == SeriesKind.Counter)
                {
                    metric.Sum = new Sum { AggregationTemporality = AggregationTemporality.Cumulative, IsMonotonic = true, DataPoints = { point } };
                }
                else
                {
                    metric.Gauge = new Gauge { DataPoints = { point } };
                }

                scope.Metrics.Add(metric);
                _points.Add((point, s));
            }

            _request.ResourceMetrics.Add(new ResourceMetrics { Resource = resource, ScopeMetrics = { scope } });
        }

        _values = [.. _points.Select(p => p.Series.Start)];
    }

    /// <inheritdoc />
    public int Samples => _points.Count;

    /// <summary>The export for the given series, counting cumulative sums from <paramref name="startNanos"/>.</summary>
    public static OtlpLoad Create(IReadOnlyList<EstateSeries> series, long startNanos) => new(series, startNanos);

    /// <inheritdoc />
    public int Next(long timestamp, Random random, ref byte[] buffer)
    {
        for (var i = 0; i < _points.Count; i++)
        {
            var (point, series) = _points[i];
            _values[i] = series.Next(_values[i], random);
            point.TimeUnixNano = (ulong)timestamp * 1_000_000;
            if (series.Kind == SeriesKind.FloatGauge)
            {
                point.AsDouble = _values[i];
            }
            else
            {
                point.AsInt = (long)_values[i];
            }
        }

        var size = _request.CalculateSize();
        if (buffer.Length < size)
        {
            buffer = new byte[size * 2];
        }

        _request.WriteTo(buffer.AsSpan(0, size));
        return size;
    }

    private static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };
}
