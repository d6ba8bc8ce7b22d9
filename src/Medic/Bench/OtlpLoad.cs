using System.Buffers.Binary;
using Google.Protobuf;
using Medic.Adapters.Ingest.Otlp.Proto.Collector.Metrics;
using Medic.Adapters.Ingest.Otlp.Proto.Common;
using Medic.Adapters.Ingest.Otlp.Proto.Metrics;
using Medic.Adapters.Ingest.Otlp.Proto.Resource;

namespace Medic.Bench;

/// <summary>
/// One OTLP/HTTP protobuf export of the ingest benchmark, as a collector batching many pods sends
/// it: a resource per pod (<c>service.name</c>, <c>k8s.pod.name</c>, <c>k8s.namespace.name</c>),
/// counters as cumulative monotonic sums, gauges as gauges, one data point each. The export is
/// serialized once; each round rewrites each point's time and value in place (both are fixed
/// 64-bit fields), so the sender's time goes to the wire and Medic, not to encoding.
/// </summary>
internal sealed class OtlpLoad : ILoadBatch
{
    private readonly List<EstateSeries> _points = [];
    private readonly double[] _values;
    private readonly byte[] _message;
    private readonly List<(int Time, int Value)> _offsets = [];

    private OtlpLoad(IReadOnlyList<EstateSeries> series, long startNanos)
    {
        var request = new ExportMetricsServiceRequest();
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
                var point = new NumberDataPoint { StartTimeUnixNano = (ulong)startNanos, TimeUnixNano = (ulong)startNanos };
                if (s.Kind == SeriesKind.FloatGauge)
                {
                    point.AsDouble = s.Start;
                }
                else
                {
                    point.AsInt = (long)s.Start;
                }

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
                _points.Add(s);
            }

            request.ResourceMetrics.Add(new ResourceMetrics { Resource = resource, ScopeMetrics = { scope } });
        }

        _values = [.. _points.Select(p => p.Start)];
        _message = request.ToByteArray();
        FindPoints(0, _message.Length, 0);
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
            var series = _points[i];
            _values[i] = series.Next(_values[i], random);
            var (time, value) = _offsets[i];
            BinaryPrimitives.WriteUInt64LittleEndian(_message.AsSpan(time), (ulong)timestamp * 1_000_000);
            BinaryPrimitives.WriteInt64LittleEndian(_message.AsSpan(value), series.Kind == SeriesKind.FloatGauge ? BitConverter.DoubleToInt64Bits(_values[i]) : (long)_values[i]);
        }

        if (buffer.Length < _message.Length)
        {
            buffer = new byte[_message.Length];
        }

        _message.CopyTo(buffer, 0);
        return _message.Length;
    }

    /// <summary>
    /// Records where each data point's time and value lie in the serialized export: request 1 →
    /// resource_metrics 2 → scope_metrics 2 → metric 5 (gauge) or 7 (sum) → data_points 1 →
    /// 3 time, 4 or 6 value (fixed 64-bit fields).
    /// </summary>
    private void FindPoints(int from, int to, int depth)
    {
        var at = from;
        while (at < to)
        {
            var tag = Varint(ref at);
            var (field, wire) = ((int)(tag >> 3), (int)(tag & 7));
            if (wire == 1)
            {
                if (depth == 5 && field == 3)
                {
                    _offsets.Add((at, 0));
                }
                else if (depth == 5 && field is 4 or 6)
                {
                    _offsets[^1] = (_offsets[^1].Time, at);
                }

                at += 8;
            }
            else if (wire == 2)
            {
                var length = (int)Varint(ref at);
                var into = depth switch { 0 or 4 => field == 1, 1 or 2 => field == 2, 3 => field is 5 or 7, _ => false };
                if (into)
                {
                    FindPoints(at, at + length, depth + 1);
                }

                at += length;
            }
            else if (wire == 0)
            {
                Varint(ref at);
            }
            else
            {
                at += 4;
            }
        }
    }

    private ulong Varint(ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = _message[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }

    private static KeyValue Attribute(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };
}
