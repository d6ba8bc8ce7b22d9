using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using Medic.Core.Telemetry;
using Medic.Core.Telemetry.Storage;

namespace Medic.Adapters.Ingest;

/// <summary>
/// Finds the stored series for a label set as it arrives on the wire, without decoding the labels
/// again once seen: a label set (the run of protobuf Label fields: 1 = name, 2 = value) is known by
/// its 128-bit hash, seeded afresh in each process so that label sets cannot be crafted to collide
/// (two honest label sets share one with a chance of about 1 in 10^27 among a million series).
/// A label set seen for the first time is decoded, mapped onto Medic's label names and created in
/// the store (or refused at the cardinality limit).
/// </summary>
public sealed class SeriesResolver(SeriesStore store)
{
    private static readonly ulong Seed = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
    private readonly ConcurrentDictionary<UInt128, StoredSeries> _known = new();

    /// <summary>The hash a label set is known by.</summary>
    public static UInt128 Hash(ReadOnlySpan<byte> labels) => XxHash128.HashToUInt128(labels, (long)Seed);

    /// <summary>The series of a label set seen before (possibly just forgotten by the store: appending says so); null otherwise.</summary>
    public StoredSeries? Find(UInt128 hash) => _known.GetValueOrDefault(hash);

    /// <summary>The series of a validated label set, created when new or forgotten (counted against <paramref name="source"/>); null when refused at a cardinality limit.</summary>
    public StoredSeries? Add(ReadOnlySpan<byte> labels, UInt128 hash, string source = SeriesStore.DefaultSource)
    {
        if (_known.TryGetValue(hash, out var known) && !known.Evicted)
        {
            return known;
        }

        if (store.GetOrAdd(Decode(labels), source) is not { } series)
        {
            return null;
        }

        _known[hash] = series;
        return series;
    }

    /// <summary>Why the store refuses new series of <paramref name="source"/>.</summary>
    public string Refusal(string source) => store.Refusal(source);

    /// <summary>Lets go of the label sets whose series the store has forgotten.</summary>
    public void Purge()
    {
        foreach (var entry in _known)
        {
            if (entry.Value.Evicted)
            {
                _known.TryRemove(entry);
            }
        }
    }

    /// <summary>
    /// The series key of a label set: <c>__name__</c> is the metric name; without a <c>service</c>
    /// label, <c>app</c> or else <c>job</c> names the service, so scraped targets land on their service.
    /// </summary>
    private static SeriesKey Decode(ReadOnlySpan<byte> labels)
    {
        var name = "";
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new ProtoReader(labels);
        while (!reader.End)
        {
            var (field, wire) = reader.ReadTag();
            if (field != 1 || wire != 2)
            {
                reader.Skip(wire);
                continue;
            }

            var (key, value) = Label(reader.ReadBytes());
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
}
