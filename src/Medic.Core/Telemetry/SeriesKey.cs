using System.Text;

namespace Medic.Core.Telemetry;

/// <summary>
/// A series: a metric name and its label set, sorted by label name. Built once at ingest;
/// the hash is computed once and picks the detector state (and, scaled out, the partition).
/// </summary>
public sealed class SeriesKey : IEquatable<SeriesKey>
{
    private readonly KeyValuePair<string, string>[] _labels;
    private readonly int _hash;
    private string? _text;

    /// <summary>Creates a key; the labels are copied and sorted by name.</summary>
    public SeriesKey(string name, IEnumerable<KeyValuePair<string, string>> labels)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _labels = labels.OrderBy(l => l.Key, StringComparer.Ordinal).ToArray();
        var hash = new HashCode();
        hash.Add(name, StringComparer.Ordinal);
        foreach (var (key, value) in _labels)
        {
            hash.Add(key, StringComparer.Ordinal);
            hash.Add(value, StringComparer.Ordinal);
        }

        _hash = hash.ToHashCode();
    }

    /// <summary>Creates a key from name/value pairs: <c>Of("cpu", "pod", "a", "node", "n1")</c>.</summary>
    public static SeriesKey Of(string name, params string[] labelPairs)
    {
        if (labelPairs.Length % 2 != 0)
        {
            throw new ArgumentException("Labels come in name/value pairs.", nameof(labelPairs));
        }

        var labels = new KeyValuePair<string, string>[labelPairs.Length / 2];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = KeyValuePair.Create(labelPairs[2 * i], labelPairs[(2 * i) + 1]);
        }

        return new SeriesKey(name, labels);
    }

    /// <summary>The metric name.</summary>
    public string Name { get; }

    /// <summary>The labels, sorted by name.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels => _labels;

    /// <summary>The value of a label, or null when the series does not carry it.</summary>
    public string? this[string label]
    {
        get
        {
            foreach (var (key, value) in _labels)
            {
                if (string.Equals(key, label, StringComparison.Ordinal))
                {
                    return value;
                }
            }

            return null;
        }
    }

    /// <inheritdoc />
    public bool Equals(SeriesKey? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other._hash != _hash || !string.Equals(other.Name, Name, StringComparison.Ordinal)
            || other._labels.Length != _labels.Length)
        {
            return false;
        }

        for (var i = 0; i < _labels.Length; i++)
        {
            if (!string.Equals(_labels[i].Key, other._labels[i].Key, StringComparison.Ordinal)
                || !string.Equals(_labels[i].Value, other._labels[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SeriesKey);

    /// <inheritdoc />
    public override int GetHashCode() => _hash;

    /// <summary>The Prometheus text form: <c>name{a="1",b="2"}</c>.</summary>
    public override string ToString() => _text ??= Format();

    private string Format()
    {
        if (_labels.Length == 0)
        {
            return Name;
        }

        var text = new StringBuilder(Name).Append('{');
        for (var i = 0; i < _labels.Length; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(_labels[i].Key).Append("=\"").Append(_labels[i].Value).Append('"');
        }

        return text.Append('}').ToString();
    }
}
