using System.Buffers;
using System.Buffers.Binary;
using System.Text.Unicode;
using Medic.Core.Telemetry;
using Medic.Core.Telemetry.Storage;

namespace Medic.Adapters.Ingest.RemoteWrite;

/// <summary>What a remote_write request did.</summary>
/// <param name="Stored">Samples stored.</param>
/// <param name="Duplicates">Samples already stored (same time and value).</param>
/// <param name="OutOfOrder">Samples older than their series' newest, dropped.</param>
/// <param name="RefusedSeries">Series refused at the cardinality limit (their samples dropped).</param>
/// <param name="Problem">Why the request was refused whole (what, where), or null when it was read.</param>
public readonly record struct RemoteWriteResult(int Stored, int Duplicates, int OutOfOrder, int RefusedSeries, string? Problem = null)
{
    /// <summary>Why series were refused, with the setting that allows more.</summary>
    public string? Refusal { get; init; }
}

/// <summary>
/// Reads a Prometheus remote_write 1.0 <c>WriteRequest</c> (protobuf, after snappy) straight from
/// its bytes: <c>1 timeseries { 1 labels { 1 name, 2 value }, 2 samples { 1 value (double),
/// 2 timestamp (ms) } }</c>, other fields skipped. A first pass checks the whole request and finds
/// each label set's series, so a malformed request changes nothing; a second stores the samples and
/// collects the finite ones for the detectors. A label set seen before is recognised by its bytes
/// and not checked again; then a request allocates nothing but the collected samples.
/// </summary>
public sealed class RemoteWriteReader(SeriesResolver resolver, IngestLimits limits)
{
    /// <summary>
    /// Reads a request into the store, new series counting against <paramref name="source"/>; when
    /// <see cref="RemoteWriteResult.Problem"/> is set, nothing was stored.
    /// </summary>
    public RemoteWriteResult Read(ReadOnlySpan<byte> request, List<Sample> collected, string source = SeriesStore.DefaultSource)
    {
        var plan = ArrayPool<PlannedSeries>.Shared.Rent(256);
        var count = 0;
        try
        {
            var reader = new ProtoReader(request);
            while (!reader.End)
            {
                var (field, wire) = reader.ReadTag();
                if (field != 1 || wire != 2)
                {
                    reader.Skip(wire);
                    continue;
                }

                var range = reader.ReadRange();
                if (Check(request[range], count, out var planned) is { } problem)
                {
                    return new RemoteWriteResult(0, 0, 0, 0, problem);
                }

                if (count == plan.Length)
                {
                    var larger = ArrayPool<PlannedSeries>.Shared.Rent(plan.Length * 2);
                    plan.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<PlannedSeries>.Shared.Return(plan, clearArray: true);
                    plan = larger;
                }

                planned.Range = range;
                plan[count++] = planned;
            }
        }
        catch (InvalidDataException e)
        {
            ArrayPool<PlannedSeries>.Shared.Return(plan, clearArray: true);
            return new RemoteWriteResult(0, 0, 0, 0, $"malformed WriteRequest: {e.Message}");
        }

        try
        {
                return Store(request, plan.AsSpan(0, count), collected, source);
        }
        finally
        {
            ArrayPool<PlannedSeries>.Shared.Return(plan, clearArray: true);
        }
    }

    private RemoteWriteResult Store(ReadOnlySpan<byte> request, ReadOnlySpan<PlannedSeries> plan, List<Sample> collected, string source)
    {
        int stored = 0, duplicates = 0, outOfOrder = 0, refused = 0;
        foreach (var planned in plan)
        {
            var series = request[planned.Range];
            var labels = planned.Labels(series);
            if ((planned.Known ?? resolver.Add(labels, planned.Hash, source)) is not { } stream)
            {
                refused++;
                continue;
            }

            var reader = new ProtoReader(series[planned.SamplesFrom..]);
            while (!reader.End)
            {
                var (field, wire) = reader.ReadTag();
                if (field != 2 || wire != 2)
                {
                    reader.Skip(wire);
                    continue;
                }

                var (timestamp, value) = Sample(reader.ReadBytes());
                var result = stream.Append(timestamp, value);
                if (result == AppendResult.Evicted)
                {
                    // The store forgot the series a moment ago: append to its successor.
                    stream = resolver.Add(labels, planned.Hash, stream.Source.Name);
                    result = stream?.Append(timestamp, value) ?? AppendResult.Evicted;
                }

                switch (result)
                {
                    case AppendResult.Stored:
                        stored++;
                        if (double.IsFinite(value))
                        {
                            collected.Add(new Sample(stream!.Key, DateTimeOffset.FromUnixTimeMilliseconds(timestamp), value));
                        }

                        break;
                    case AppendResult.Duplicate:
                        duplicates++;
                        break;
                    case AppendResult.OutOfOrder:
                        outOfOrder++;
                        break;
                    default:
                        refused++;
                        break;
                }

                if (stream is null)
                {
                    break;
                }
            }
        }

        return new RemoteWriteResult(stored, duplicates, outOfOrder, refused) { Refusal = refused > 0 ? resolver.Refusal(source) : null };
    }

    /// <summary>Checks one TimeSeries and finds its series when its labels were seen before.</summary>
    private string? Check(ReadOnlySpan<byte> series, int index, out PlannedSeries planned)
    {
        planned = default;
        var reader = new ProtoReader(series);
        int labels = 0, first = -1, end = -1;
        var contiguous = true;
        while (!reader.End)
        {
            var at = reader.Position;
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == 2)
            {
                if (++labels > limits.MaxLabelsPerSeries)
                {
                    return $"timeseries {index}: more than {limits.MaxLabelsPerSeries} labels";
                }

                reader.Skip(wire);
                contiguous &= first < 0 || at == end;
                first = first < 0 ? at : first;
                end = reader.Position;
            }
            else if (field == 2 && wire == 2)
            {
                var (timestamp, _) = Sample(reader.ReadBytes());
                if (timestamp is < -62135596800000 or > 253402300799999)
                {
                    return $"timeseries {index}: timestamp {timestamp} ms is out of range";
                }
            }
            else
            {
                reader.Skip(wire);
            }
        }

        if (labels == 0)
        {
            return $"timeseries {index}: no __name__ label (the metric name)";
        }

        // Prometheus writes the labels first, one after another; anything else is gathered into a copy.
        var copy = contiguous ? null : Gather(series);
        var encoded = copy ?? series[first..end];
        var hash = SeriesResolver.Hash(encoded);
        var known = resolver.Find(hash);
        planned = new PlannedSeries { LabelStart = first, LabelEnd = end, LabelCopy = copy, Hash = hash, Known = known, SamplesFrom = contiguous && first == 0 ? end : 0 };
        return known is null ? CheckLabels(encoded, index) : null;
    }

    /// <summary>The checks a label set seen for the first time must pass: names, lengths, UTF-8, a metric name.</summary>
    private string? CheckLabels(ReadOnlySpan<byte> labels, int index)
    {
        var named = false;
        var reader = new ProtoReader(labels);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field != 1 || wire != 2)
            {
                reader.Skip(wire);
                continue;
            }

            if (CheckLabel(reader.ReadBytes(), index, ref named) is { } problem)
            {
                return problem;
            }
        }

        return named ? null : $"timeseries {index}: no __name__ label (the metric name)";
    }

    private string? CheckLabel(ReadOnlySpan<byte> label, int index, ref bool named)
    {
        var reader = new ProtoReader(label);
        ReadOnlySpan<byte> name = default, value = default;
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field is 1 or 2 && wire == 2)
            {
                if (field == 1)
                {
                    name = reader.ReadBytes();
                }
                else
                {
                    value = reader.ReadBytes();
                }
            }
            else
            {
                reader.Skip(wire);
            }
        }

        if (name.Length == 0 || name.Length > limits.MaxLabelNameBytes || !IsLabelName(name))
        {
            return $"timeseries {index}: label name '{System.Text.Encoding.UTF8.GetString(name[..Math.Min(name.Length, 64)])}' is empty, longer than {limits.MaxLabelNameBytes} bytes, or not [a-zA-Z_][a-zA-Z0-9_]*";
        }

        if (value.Length > limits.MaxLabelValueBytes)
        {
            return $"timeseries {index}: the value of label {System.Text.Encoding.UTF8.GetString(name)} is longer than {limits.MaxLabelValueBytes} bytes";
        }

        if (!Utf8.IsValid(value))
        {
            return $"timeseries {index}: the value of label {System.Text.Encoding.UTF8.GetString(name)} is not valid UTF-8";
        }

        named |= name.SequenceEqual("__name__"u8) && value.Length > 0;
        return null;
    }

    private static bool IsLabelName(ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = c is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (byte)'_' || (i > 0 && c is >= (byte)'0' and <= (byte)'9');
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The Label fields of a TimeSeries whose labels are interleaved with other fields, one after another.</summary>
    private static byte[] Gather(ReadOnlySpan<byte> series)
    {
        var gathered = new ArrayBufferWriter<byte>();
        var reader = new ProtoReader(series);
        while (!reader.End)
        {
            var at = reader.Position;
            var (field, wire) = reader.ReadTag();
            reader.Skip(wire);
            if (field == 1 && wire == 2)
            {
                gathered.Write(series[at..reader.Position]);
            }
        }

        return gathered.WrittenSpan.ToArray();
    }

    private static (long Timestamp, double Value) Sample(ReadOnlySpan<byte> sample)
    {
        // What Prometheus writes: 0x09 <8-byte value> 0x10 <varint timestamp>.
        if (sample.Length > 10 && sample[0] == 0x09 && sample[9] == 0x10)
        {
            var tail = new ProtoReader(sample[10..]);
            var timestamp = (long)tail.ReadVarint();
            if (tail.End)
            {
                return (timestamp, BinaryPrimitives.ReadDoubleLittleEndian(sample[1..]));
            }
        }

        var reader = new ProtoReader(sample);
        long time = 0;
        double value = 0;
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == 1)
            {
                value = reader.ReadDouble();
            }
            else if (field == 2 && wire == 0)
            {
                time = (long)reader.ReadVarint();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return (time, value);
    }

    /// <summary>A TimeSeries of the request, checked: where it lies, where its labels are, and its series when known.</summary>
    private struct PlannedSeries
    {
        public Range Range;
        public int LabelStart;
        public int LabelEnd;
        public byte[]? LabelCopy;
        public UInt128 Hash;
        public StoredSeries? Known;
        public int SamplesFrom;

        public readonly ReadOnlySpan<byte> Labels(ReadOnlySpan<byte> series) => LabelCopy ?? series[LabelStart..LabelEnd];
    }
}
