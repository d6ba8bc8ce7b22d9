using System.Text.Unicode;
using Medic.Core.Telemetry;
using Medic.Core.Telemetry.Storage;

namespace Medic.Adapters.Ingest.RemoteWrite;

/// <summary>What a remote_write request did.</summary>
/// <param name="Stored">Samples stored.</param>
/// <param name="Duplicates">Samples already stored (same time and value).</param>
/// <param name="OutOfOrder">Samples older than their series' newest, dropped.</param>
/// <param name="RefusedSeries">Series refused at the cardinality limit (their samples dropped).</param>
public sealed record RemoteWriteResult(int Stored, int Duplicates, int OutOfOrder, int RefusedSeries);

/// <summary>
/// Reads a Prometheus remote_write 1.0 <c>WriteRequest</c> (protobuf, after snappy) straight from
/// its bytes: <c>1 timeseries { 1 labels { 1 name, 2 value }, 2 samples { 1 value (double),
/// 2 timestamp (ms) } }</c>, other fields skipped. A request is validated whole first, so a
/// malformed one changes nothing; then its samples are stored, and the finite ones collected for
/// the detectors. Once its series are known, a request allocates nothing but the collected samples.
/// </summary>
public sealed class RemoteWriteReader(SeriesResolver resolver, IngestLimits limits)
{
    /// <summary>Why the request must be refused (what, where), or null when it is well formed.</summary>
    public string? Validate(ReadOnlySpan<byte> request)
    {
        try
        {
            var reader = new ProtoReader(request);
            var index = 0;
            while (!reader.End)
            {
                var (field, wire) = reader.ReadTag();
                if (field == 1 && wire == 2)
                {
                    if (ValidateSeries(reader.ReadBytes(), index) is { } problem)
                    {
                        return problem;
                    }

                    index++;
                }
                else
                {
                    reader.Skip(wire);
                }
            }

            return null;
        }
        catch (InvalidDataException e)
        {
            return $"malformed WriteRequest: {e.Message}";
        }
    }

    /// <summary>Stores a validated request's samples; adds the finite stored ones to <paramref name="collected"/>.</summary>
    public RemoteWriteResult Apply(ReadOnlySpan<byte> request, List<Sample> collected)
    {
        int stored = 0, duplicates = 0, outOfOrder = 0, refused = 0;
        Span<Range> labels = stackalloc Range[limits.MaxLabelsPerSeries];
        var reader = new ProtoReader(request);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field != 1 || wire != 2)
            {
                reader.Skip(wire);
                continue;
            }

            var series = reader.ReadBytes();
            var count = Labels(series, labels);
            if (resolver.Resolve(series, labels[..count]) is not { } stream)
            {
                refused++;
                continue;
            }

            var inner = new ProtoReader(series);
            while (!inner.End)
            {
                var (f, w) = inner.ReadTag();
                if (f != 2 || w != 2)
                {
                    inner.Skip(w);
                    continue;
                }

                var (timestamp, value) = Sample(inner.ReadBytes());
                switch (stream.Append(timestamp, value))
                {
                    case AppendResult.Stored:
                        stored++;
                        if (double.IsFinite(value))
                        {
                            collected.Add(new Sample(stream.Key, DateTimeOffset.FromUnixTimeMilliseconds(timestamp), value));
                        }

                        break;
                    case AppendResult.Duplicate:
                        duplicates++;
                        break;
                    default:
                        outOfOrder++;
                        break;
                }
            }
        }

        return new RemoteWriteResult(stored, duplicates, outOfOrder, refused);
    }

    private string? ValidateSeries(ReadOnlySpan<byte> series, int index)
    {
        var reader = new ProtoReader(series);
        var labels = 0;
        var named = false;
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == 2)
            {
                if (++labels > limits.MaxLabelsPerSeries)
                {
                    return $"timeseries {index}: more than {limits.MaxLabelsPerSeries} labels";
                }

                var label = reader.ReadBytes();
                if (ValidateLabel(label, index, ref named) is { } problem)
                {
                    return problem;
                }
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

        return named ? null : $"timeseries {index}: no __name__ label (the metric name)";
    }

    private string? ValidateLabel(ReadOnlySpan<byte> label, int index, ref bool named)
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

    /// <summary>The ranges of the Label messages of a TimeSeries message.</summary>
    private static int Labels(ReadOnlySpan<byte> series, Span<Range> labels)
    {
        var count = 0;
        var reader = new ProtoReader(series);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == 2)
            {
                labels[count++] = reader.ReadRange();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return count;
    }

    private static (long Timestamp, double Value) Sample(ReadOnlySpan<byte> sample)
    {
        var reader = new ProtoReader(sample);
        long timestamp = 0;
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
                timestamp = (long)reader.ReadVarint();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return (timestamp, value);
    }
}
