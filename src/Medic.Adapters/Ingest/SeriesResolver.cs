using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Text;
using Medic.Core.Telemetry;
using Medic.Core.Telemetry.Storage;

namespace Medic.Adapters.Ingest;

/// <summary>
/// Finds the stored series for a label set as it arrives on the wire, without decoding the labels
/// again once seen: the encoded labels are hashed, and a hit is confirmed byte for byte. A label set
/// seen for the first time is decoded, mapped onto Medic's label names and created in the store
/// (or refused at the cardinality limit).
/// </summary>
public sealed class SeriesResolver(SeriesStore store)
{
    private readonly ConcurrentDictionary<ulong, Entry[]> _known = new();

    /// <summary>The series for the encoded labels (each a protobuf Label message: 1 = name, 2 = value); null when refused at the cardinality limit.</summary>
    public StoredSeries? Resolve(ReadOnlySpan<byte> encoded, ReadOnlySpan<Range> labels)
    {
        ulong hash = 0;
        foreach (var label in labels)
        {
            hash = (hash * 0x9E3779B97F4A7C15UL) ^ XxHash3.HashToUInt64(encoded[label]);
        }

        if (_known.TryGetValue(hash, out var entries))
        {
            foreach (var entry in entries)
            {
                if (entry.Matches(encoded, labels))
                {
                    return entry.Series;
                }
            }
        }

        var series = store.GetOrAdd(Decode(encoded, labels));
        if (series is not null)
        {
            var copies = new byte[labels.Length][];
            for (var i = 0; i < labels.Length; i++)
            {
                copies[i] = encoded[labels[i]].ToArray();
            }

            var added = new Entry(copies, series);
            _known.AddOrUpdate(hash, [added], (_, existing) => [.. existing, added]);
        }

        return series;
    }

    /// <summary>
    /// The series key of a label set: <c>__name__</c> is the metric name; without a <c>service</c>
    /// label, <c>app</c> or else <c>job</c> names the service, so scraped targets land on their service.
    /// </summary>
    private static SeriesKey Decode(ReadOnlySpan<byte> encoded, ReadOnlySpan<Range> labels)
    {
        var name = "";
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var range in labels)
        {
            var (key, value) = Label(encoded[range]);
            if (key == LabelMatcher.NameLabel)
            {
                name = value;
            }
            else
            {
                pairs[key] = value;
            }
        }

        if (!pairs.ContainsKey(Medic.Core.Telemetry.Labels.Service) && (pairs.GetValueOrDefault("app") ?? pairs.GetValueOrDefault("job")) is { } service)
        {
            pairs[Medic.Core.Telemetry.Labels.Service] = service;
        }

        return new SeriesKey(name, pairs);
    }

    /// <summary>Decodes one Label message (validated before: UTF-8, lengths).</summary>
    internal static (string Name, string Value) Label(ReadOnlySpan<byte> message)
    {
        var reader = new ProtoReader(message);
        string name = "", value = "";
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field is 1 or 2 && wire == 2)
            {
                var text = Encoding.UTF8.GetString(reader.ReadBytes());
                (name, value) = field == 1 ? (text, value) : (name, text);
            }
            else
            {
                reader.Skip(wire);
            }
        }

        return (name, value);
    }

    private sealed class Entry(byte[][] labels, StoredSeries series)
    {
        public StoredSeries Series { get; } = series;

        public bool Matches(ReadOnlySpan<byte> encoded, ReadOnlySpan<Range> ranges)
        {
            if (ranges.Length != labels.Length)
            {
                return false;
            }

            for (var i = 0; i < labels.Length; i++)
            {
                if (!encoded[ranges[i]].SequenceEqual(labels[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
