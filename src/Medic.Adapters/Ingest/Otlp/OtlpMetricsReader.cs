using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using Medic.Core.Telemetry;
using Medic.Core.Telemetry.Storage;

namespace Medic.Adapters.Ingest.Otlp;

/// <summary>
/// OTLP metrics read straight from the bytes of an <c>ExportMetricsServiceRequest</c> into the
/// series store. A first pass checks the whole export, so a malformed one changes nothing; the
/// second stores each point. A point stream (resource, metric, point attributes) is known by a
/// seeded 128-bit hash of those bytes: once seen, its labels are neither decoded nor checked
/// again, and a point allocates nothing but its sample for the detectors.
/// Gauges and non-monotonic sums are stored as sent; monotonic sums also as a rate; histograms
/// (explicit and exponential) as count, sum, count rate and p50/p90/p99; summaries as count, sum
/// and quantiles (see <see cref="OtlpStream"/>).
/// </summary>
public sealed class OtlpMetricsReader(SeriesStore store, IngestLimits limits)
{
    private const int Gauge = 5;
    private const int Sum = 7;
    private const int Histogram = 9;
    private const int ExponentialHistogram = 10;
    private const int Summary = 11;

    private static readonly long Seed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));

    [ThreadStatic]
    private static Scratch? t_scratch;

    private readonly ConcurrentDictionary<UInt128, OtlpStream> _streams = new();

    /// <summary>Point streams known.</summary>
    public int Streams => _streams.Count;

    /// <summary>Stores an export, new series counting against <paramref name="source"/>; when <see cref="OtlpResult.Malformed"/> is set, nothing was stored.</summary>
    public OtlpResult Read(ReadOnlySpan<byte> request, List<Sample> collected, string source = SeriesStore.DefaultSource)
    {
        var scratch = t_scratch ??= new Scratch();
        try
        {
            Walk(request, null, scratch);
        }
        catch (InvalidDataException e)
        {
            return new OtlpResult(0, 0, null) { Malformed = e.Message };
        }

        var batch = scratch.Batch.Start(store, collected, source);
        Walk(request, batch, scratch);
        return batch.Finish();
    }

    /// <summary>Lets go of the streams whose series the store has forgotten.</summary>
    public void Purge()
    {
        foreach (var entry in _streams)
        {
            if (entry.Value.Quiet)
            {
                _streams.TryRemove(entry);
            }
        }
    }

    /// <summary>Walks the export: checks it when <paramref name="batch"/> is null, stores it otherwise.</summary>
    private void Walk(ReadOnlySpan<byte> request, OtlpBatch? batch, Scratch scratch)
    {
        var reader = new ProtoReader(request);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == 2)
            {
                ResourceMetrics(reader.ReadBytes(), batch, scratch);
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    private void ResourceMetrics(ReadOnlySpan<byte> message, OtlpBatch? batch, Scratch scratch)
    {
        var context = new ResourceContext();
        var reader = new ProtoReader(message);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == 2)
            {
                context.Bytes = reader.ReadBytes();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        if (batch is null)
        {
            CheckAttributes(context.Bytes, 1);
        }

        context.Hash = XxHash128.HashToUInt128(context.Bytes, Seed);
        reader = new ProtoReader(message);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 2 && wire == 2)
            {
                ScopeMetrics(reader.ReadBytes(), ref context, batch, scratch);
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    private void ScopeMetrics(ReadOnlySpan<byte> message, ref ResourceContext context, OtlpBatch? batch, Scratch scratch)
    {
        var reader = new ProtoReader(message);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 2 && wire == 2)
            {
                Metric(reader.ReadBytes(), ref context, batch, scratch);
            }
            else if (field == 1 && wire == 2 && batch is null)
            {
                CheckAttributes(reader.ReadBytes(), 3);
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    private void Metric(ReadOnlySpan<byte> message, ref ResourceContext context, OtlpBatch? batch, Scratch scratch)
    {
        ReadOnlySpan<byte> name = default, data = default;
        var kind = 0;
        var reader = new ProtoReader(message);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == 2)
            {
                name = reader.ReadBytes();
            }
            else if (field is Gauge or Sum or Histogram or ExponentialHistogram or Summary && wire == 2)
            {
                kind = field;
                data = reader.ReadBytes();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        if (kind == 0)
        {
            batch?.Reject(0, $"metric {Encoding.UTF8.GetString(name)} has no data");
            return;
        }

        // The data message: 1 points, 2 temporality (sum, histograms), 3 monotonic (sum).
        bool delta = false, monotonic = false;
        var points = 0;
        reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (1, 2):
                    points++;
                    reader.Skip(wire);
                    break;
                case (2, 0) when kind != Gauge && kind != Summary:
                    delta = reader.ReadVarint() == 1;
                    break;
                case (3, 0) when kind == Sum:
                    monotonic = reader.ReadVarint() != 0;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (batch is not null && name.IsEmpty)
        {
            batch.Reject(points, "a metric without a name");
            return;
        }

        var point = new PointContext { Kind = kind, Name = name, Delta = delta, Monotonic = monotonic };
        reader = new ProtoReader(data);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field != 1 || wire != 2)
            {
                reader.Skip(wire);
                continue;
            }

            var bytes = reader.ReadBytes();
            switch (kind)
            {
                case Gauge or Sum:
                    NumberPoint(bytes, ref context, point, batch, scratch);
                    break;
                case Histogram:
                    HistogramPoint(bytes, ref context, point, batch, scratch);
                    break;
                case ExponentialHistogram:
                    ExponentialPoint(bytes, ref context, point, batch, scratch);
                    break;
                default:
                    SummaryPoint(bytes, ref context, point, batch, scratch);
                    break;
            }
        }
    }

    /// <summary>NumberDataPoint: 7 attributes, 2 start, 3 time, 4 as_double, 6 as_int.</summary>
    private void NumberPoint(ReadOnlySpan<byte> message, ref ResourceContext context, in PointContext point, OtlpBatch? batch, Scratch scratch)
    {
        ulong start = 0, time = 0;
        double value = 0;
        var identity = Identity(context, point, batch, scratch);
        var reader = new ProtoReader(message);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (7, 2):
                    Attribute(reader.ReadBytes(), identity, batch);
                    break;
                case (2, 1):
                    start = reader.ReadFixed64();
                    break;
                case (3, 1):
                    time = reader.ReadFixed64();
                    break;
                case (4, 1):
                    value = BitConverter.UInt64BitsToDouble(reader.ReadFixed64());
                    break;
                case (6, 1):
                    value = (long)reader.ReadFixed64();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (batch is not null && Stream(identity, message, 7, ref context, point, batch) is { } stream)
        {
            Count(batch, stream.Number(batch, start, time, value, point.Monotonic, point.Delta));
        }
    }

    /// <summary>HistogramDataPoint: 9 attributes, 2 start, 3 time, 4 count, 5 sum, 6 bucket_counts, 7 explicit_bounds.</summary>
    private void HistogramPoint(ReadOnlySpan<byte> message, ref ResourceContext context, in PointContext point, OtlpBatch? batch, Scratch scratch)
    {
        var interval = default(Interval);
        int counts = 0, bounds = 0;
        var identity = Identity(context, point, batch, scratch);
        var reader = new ProtoReader(message);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (interval.Read(field, wire, ref reader))
            {
                continue;
            }

            switch (field, wire)
            {
                case (9, 2):
                    Attribute(reader.ReadBytes(), identity, batch);
                    break;
                case (6, 1):
                    Gather(ref scratch.Counts, ref counts, reader.ReadFixed64());
                    break;
                case (7, 1):
                    Gather(ref scratch.Bounds, ref bounds, BitConverter.UInt64BitsToDouble(reader.ReadFixed64()));
                    break;
                case (6 or 7, 2):
                    var packed = reader.ReadBytes();
                    if (packed.Length % 8 != 0)
                    {
                        throw new InvalidDataException($"a packed run of 64-bit values is {packed.Length} bytes long, not a multiple of 8");
                    }

                    for (var i = 0; i < packed.Length; i += 8)
                    {
                        var bits = BinaryPrimitives.ReadUInt64LittleEndian(packed[i..]);
                        if (field == 6)
                        {
                            Gather(ref scratch.Counts, ref counts, bits);
                        }
                        else
                        {
                            Gather(ref scratch.Bounds, ref bounds, BitConverter.UInt64BitsToDouble(bits));
                        }
                    }

                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (batch is null || Stream(identity, message, 9, ref context, point, batch) is not { } stream)
        {
            return;
        }

        // Bucket i holds what lies up to bound i; the last bucket has no bound.
        Scratch.Ensure(ref scratch.Bounds, counts);
        for (var i = bounds; i < counts; i++)
        {
            scratch.Bounds[i] = double.PositiveInfinity;
        }

        Count(batch, stream.Histogram(batch, interval.Start, interval.Time, interval.Count, interval.Sum, point.Delta, scratch.Bounds.AsSpan(0, counts), scratch.Counts.AsSpan(0, counts)));
    }

    /// <summary>
    /// ExponentialHistogramDataPoint: 1 attributes, 2 start, 3 time, 4 count, 5 sum, 6 scale,
    /// 7 zero_count, 8 positive { 1 offset, 2 bucket_counts }, 14 zero_threshold. Bucket i of the
    /// positive range holds (base^(offset+i), base^(offset+i+1)] with base = 2^(2^-scale).
    /// </summary>
    private void ExponentialPoint(ReadOnlySpan<byte> message, ref ResourceContext context, in PointContext point, OtlpBatch? batch, Scratch scratch)
    {
        var interval = default(Interval);
        ulong zeroCount = 0;
        double zeroThreshold = 0;
        int scale = 0, offset = 0, counts = 2;
        var identity = Identity(context, point, batch, scratch);
        var reader = new ProtoReader(message);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (interval.Read(field, wire, ref reader))
            {
                continue;
            }

            switch (field, wire)
            {
                case (1, 2):
                    Attribute(reader.ReadBytes(), identity, batch);
                    break;
                case (6, 0):
                    scale = ZigZag(reader.ReadVarint());
                    break;
                case (7, 1):
                    zeroCount = reader.ReadFixed64();
                    break;
                case (8, 2):
                    counts = 2;
                    offset = PositiveBuckets(reader.ReadBytes(), scratch, ref counts);
                    break;
                case (14, 1):
                    zeroThreshold = BitConverter.UInt64BitsToDouble(reader.ReadFixed64());
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (batch is null || Stream(identity, message, 1, ref context, point, batch) is not { } stream)
        {
            return;
        }

        // The zero bucket, an empty one that ends where the first positive bucket begins, then the positive buckets.
        Scratch.Ensure(ref scratch.Counts, counts);
        Scratch.Ensure(ref scratch.Bounds, counts);
        (scratch.Bounds[0], scratch.Counts[0]) = (zeroThreshold, zeroCount);
        var @base = Math.Pow(2, Math.Pow(2, -scale));
        scratch.Counts[1] = 0;
        for (var i = 1; i < counts; i++)
        {
            scratch.Bounds[i] = Math.Pow(@base, offset + i - 1);
        }

        Count(batch, stream.Histogram(batch, interval.Start, interval.Time, interval.Count, interval.Sum, point.Delta, scratch.Bounds.AsSpan(0, counts), scratch.Counts.AsSpan(0, counts)));
    }

    /// <summary>SummaryDataPoint: 7 attributes, 2 start, 3 time, 4 count, 5 sum, 6 quantile_values { 1 quantile, 2 value }.</summary>
    private void SummaryPoint(ReadOnlySpan<byte> message, ref ResourceContext context, in PointContext point, OtlpBatch? batch, Scratch scratch)
    {
        var interval = default(Interval);
        var quantiles = 0;
        var identity = Identity(context, point, batch, scratch);
        var reader = new ProtoReader(message);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (interval.Read(field, wire, ref reader))
            {
                continue;
            }

            switch (field, wire)
            {
                case (7, 2):
                    Attribute(reader.ReadBytes(), identity, batch);
                    break;
                case (6, 2):
                    var (quantile, value) = QuantileValue(reader.ReadBytes());
                    Scratch.Ensure(ref scratch.Quantiles, quantiles + 1);
                    scratch.Quantiles[quantiles++] = (quantile, value);
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (batch is not null && Stream(identity, message, 7, ref context, point, batch) is { } stream)
        {
            Count(batch, stream.Summary(batch, interval.Time, interval.Count, interval.Sum ?? 0, scratch.Quantiles.AsSpan(0, quantiles)));
        }
    }

    /// <summary>
    /// The stream of a point: known by its hash, or created from its labels (the resource's mapped
    /// attributes and the point's own) when they pass the limits; null when refused (counted).
    /// </summary>
    private OtlpStream? Stream(XxHash128? identity, ReadOnlySpan<byte> message, int attributeField, ref ResourceContext context, in PointContext point, OtlpBatch batch)
    {
        var hash = identity!.GetCurrentHashAsUInt128();
        if (_streams.TryGetValue(hash, out var known))
        {
            return known;
        }

        var name = OtlpLabels.Name(Encoding.UTF8.GetString(point.Name));
        var labels = new Dictionary<string, string>(context.Labels ??= ResourceLabels(context.Bytes), StringComparer.Ordinal);
        var reader = new ProtoReader(message);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field == attributeField && wire == 2)
            {
                OtlpWire.KeyValue(reader.ReadBytes(), out var key, out var value);
                labels[OtlpLabels.Name(Encoding.UTF8.GetString(key))] = OtlpWire.Text(value);
            }
            else
            {
                reader.Skip(wire);
            }
        }

        if (labels.Count > limits.MaxLabelsPerSeries || labels.Any(l => l.Key.Length > limits.MaxLabelNameBytes || l.Value.Length > limits.MaxLabelValueBytes))
        {
            batch.Reject(1, $"a point of {name} has more than {limits.MaxLabelsPerSeries} attributes, or one too long");
            return null;
        }

        return _streams.GetOrAdd(hash, new OtlpStream(name, [.. labels]));
    }

    private static void Count(OtlpBatch batch, bool stored)
    {
        if (stored)
        {
            batch.Accept();
        }
        else
        {
            batch.Reject(1, batch.Store.Refusal(batch.Source));
        }
    }

    /// <summary>The hash a point's stream is known by, begun with its resource, kind and metric name (null while checking).</summary>
    private static XxHash128? Identity(in ResourceContext context, in PointContext point, OtlpBatch? batch, Scratch scratch)
    {
        if (batch is null)
        {
            return null;
        }

        var hash = scratch.Hash;
        hash.Reset();
        Span<byte> prefix = stackalloc byte[17];
        BinaryPrimitives.WriteUInt128LittleEndian(prefix, context.Hash);
        prefix[16] = (byte)point.Kind;
        hash.Append(prefix);
        hash.Append(point.Name);
        return hash;
    }

    private static void Attribute(ReadOnlySpan<byte> keyValue, XxHash128? identity, OtlpBatch? batch)
    {
        if (batch is null)
        {
            OtlpWire.CheckKeyValue(keyValue);
        }
        else
        {
            identity!.Append(keyValue);
        }
    }

    private static void CheckAttributes(ReadOnlySpan<byte> message, int attributeField)
    {
        var reader = new ProtoReader(message);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field == attributeField && wire == 2)
            {
                OtlpWire.CheckKeyValue(reader.ReadBytes());
            }
            else
            {
                reader.Skip(wire);
            }
        }
    }

    /// <summary>The labels a resource gives every series it sends (<see cref="OtlpLabels.ResourceLabels"/>).</summary>
    private static Dictionary<string, string> ResourceLabels(ReadOnlySpan<byte> resource)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new ProtoReader(resource);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field != 1 || wire != 2)
            {
                reader.Skip(wire);
                continue;
            }

            OtlpWire.KeyValue(reader.ReadBytes(), out var key, out var value);
            if (OtlpLabels.ResourceLabels.TryGetValue(Encoding.UTF8.GetString(key), out var label))
            {
                labels[label] = OtlpWire.Text(value);
            }
        }

        return labels;
    }

    /// <summary>Buckets { 1 offset (sint32), 2 bucket_counts (uint64, packed or not) } into the scratch counts from index 2; returns the offset.</summary>
    private static int PositiveBuckets(ReadOnlySpan<byte> message, Scratch scratch, ref int counts)
    {
        var offset = 0;
        var reader = new ProtoReader(message);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            switch (field, wire)
            {
                case (1, 0):
                    offset = ZigZag(reader.ReadVarint());
                    break;
                case (2, 0):
                    Gather(ref scratch.Counts, ref counts, reader.ReadVarint());
                    break;
                case (2, 2):
                    var packed = new ProtoReader(reader.ReadBytes());
                    while (!packed.End)
                    {
                        Gather(ref scratch.Counts, ref counts, packed.ReadVarint());
                    }

                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return offset;
    }

    private static (double Quantile, double Value) QuantileValue(ReadOnlySpan<byte> message)
    {
        double quantile = 0, value = 0;
        var reader = new ProtoReader(message);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field is 1 or 2 && wire == 1)
            {
                var number = BitConverter.UInt64BitsToDouble(reader.ReadFixed64());
                (quantile, value) = field == 1 ? (number, value) : (quantile, number);
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return (quantile, value);
    }

    private static void Gather(ref double[] values, ref int count, double value)
    {
        Scratch.Ensure(ref values, count + 1);
        values[count++] = value;
    }

    private static int ZigZag(ulong value) => (int)(value >> 1) ^ -(int)(value & 1);

    /// <summary>The resource a point belongs to: its bytes, their hash, and its labels once decoded.</summary>
    private ref struct ResourceContext
    {
        public ReadOnlySpan<byte> Bytes;
        public UInt128 Hash;
        public Dictionary<string, string>? Labels;
    }

    /// <summary>The metric a point belongs to.</summary>
    private readonly ref struct PointContext
    {
        public int Kind { get; init; }

        public ReadOnlySpan<byte> Name { get; init; }

        public bool Delta { get; init; }

        public bool Monotonic { get; init; }
    }

    /// <summary>Per-thread working memory: bucket bounds and counts, quantiles, the hasher.</summary>
    /// <summary>The fields histogram, exponential histogram and summary points share: 2 start, 3 time, 4 count, 5 sum.</summary>
    private struct Interval
    {
        public ulong Start;
        public ulong Time;
        public ulong Count;
        public double? Sum;

        /// <summary>Reads the field if it is one of these; false (nothing read) otherwise.</summary>
        public bool Read(int field, int wire, ref ProtoReader reader)
        {
            if (wire != 1 || field is < 2 or > 5)
            {
                return false;
            }

            var bits = reader.ReadFixed64();
            switch (field)
            {
                case 2:
                    Start = bits;
                    break;
                case 3:
                    Time = bits;
                    break;
                case 4:
                    Count = bits;
                    break;
                default:
                    Sum = BitConverter.UInt64BitsToDouble(bits);
                    break;
            }

            return true;
        }
    }

    private sealed class Scratch
    {
        public double[] Counts = new double[64];
        public double[] Bounds = new double[64];
        public (double, double)[] Quantiles = new (double, double)[16];

        public XxHash128 Hash { get; } = new(Seed);

        public OtlpBatch Batch { get; } = new();

        public static void Ensure<T>(ref T[] values, int length)
        {
            if (values.Length < length)
            {
                Array.Resize(ref values, Math.Max(length, values.Length * 2));
            }
        }
    }
}
