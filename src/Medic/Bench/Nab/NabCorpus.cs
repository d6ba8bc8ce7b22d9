using System.Globalization;
using System.Text.Json.Nodes;

namespace Medic.Bench.Nab;

/// <summary>One data file of the corpus: its rows and its labelled windows (inclusive row ranges).</summary>
/// <param name="Name">The file as the labels name it, <c>category/file.csv</c>.</param>
/// <param name="Timestamps">Each row's time.</param>
/// <param name="Values">Each row's value.</param>
/// <param name="Windows">The labelled windows, sorted, as inclusive row ranges.</param>
internal sealed record NabFile(string Name, DateTime[] Timestamps, double[] Values, IReadOnlyList<(int Start, int End)> Windows)
{
    /// <summary>Rows not scored at the start of the file: 15%, at most 750.</summary>
    public int Probation => (int)Math.Min(Math.Floor(0.15 * Values.Length), 0.15 * 5000);
}

/// <summary>A cost profile: what a true positive earns and a false positive or a missed window costs.</summary>
internal sealed record NabProfile(string Name, double TruePositive, double FalsePositive, double FalseNegative);

/// <summary>
/// A corpus laid out as the Numenta Anomaly Benchmark's: <c>data/&lt;category&gt;/&lt;file&gt;.csv</c>
/// (<c>timestamp,value</c>), <c>labels/combined_windows.json</c> and <c>profiles.json</c>.
/// </summary>
internal sealed record NabCorpus(IReadOnlyList<NabFile> Files, IReadOnlyList<NabProfile> Profiles)
{
    /// <summary>The profiles in the order NAB reports them.</summary>
    public static readonly IReadOnlyList<string> ProfileNames = ["standard", "reward_low_FP_rate", "reward_low_FN_rate"];

    /// <summary>Reads the corpus; every problem names the file and what is wrong.</summary>
    public static NabCorpus Load(string directory)
    {
        var windowsPath = Path.Combine(directory, "labels", "combined_windows.json");
        var profilesPath = Path.Combine(directory, "profiles.json");
        foreach (var required in new[] { windowsPath, profilesPath, Path.Combine(directory, "data") })
        {
            if (!File.Exists(required) && !Directory.Exists(required))
            {
                throw new InvalidDataException($"{required} is missing: a NAB corpus has data/<category>/<file>.csv, labels/combined_windows.json and profiles.json");
            }
        }

        var labels = JsonNode.Parse(File.ReadAllText(windowsPath))?.AsObject() ?? throw new InvalidDataException($"{windowsPath}: not a JSON object");
        var files = labels
            .OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => ReadFile(directory, l.Key, l.Value?.AsArray() ?? []))
            .ToList();
        var profiles = JsonNode.Parse(File.ReadAllText(profilesPath))?.AsObject() ?? throw new InvalidDataException($"{profilesPath}: not a JSON object");
        return new NabCorpus(files, [.. ProfileNames.Select(name => Profile(profilesPath, name, profiles[name]))]);
    }

    private static NabProfile Profile(string path, string name, JsonNode? node)
    {
        var costs = node?["CostMatrix"] ?? throw new InvalidDataException($"{path}: no CostMatrix for profile {name}");
        double Weight(string key) => costs[key]?.GetValue<double>() ?? throw new InvalidDataException($"{path}: profile {name} has no {key}");
        return new NabProfile(name, Weight("tpWeight"), Weight("fpWeight"), Weight("fnWeight"));
    }

    private static NabFile ReadFile(string directory, string name, JsonArray windows)
    {
        var path = Path.Combine(directory, "data", name);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"{path}: labelled in combined_windows.json but missing");
        }

        var timestamps = new List<DateTime>();
        var values = new List<double>();
        var row = 0;
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            row++;
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0
                || !DateTime.TryParseExact(line.AsSpan(0, comma), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var timestamp)
                || !double.TryParse(line.AsSpan(comma + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new InvalidDataException($"{path}:{row + 1}: expected 'yyyy-MM-dd HH:mm:ss,value', got '{line}'");
            }

            timestamps.Add(timestamp);
            values.Add(value);
        }

        // A few files repeat a timestamp (a clock change); a window bound is its first row.
        var index = new Dictionary<DateTime, int>();
        for (var i = 0; i < timestamps.Count; i++)
        {
            index.TryAdd(timestamps[i], i);
        }

        var ranges = windows.Select(w =>
        {
            int Row(JsonNode? bound) =>
                bound?.GetValue<string>() is { } text
                && DateTime.TryParseExact(text, ["yyyy-MM-dd HH:mm:ss.ffffff", "yyyy-MM-dd HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
                && index.TryGetValue(at, out var i)
                    ? i
                    : throw new InvalidDataException($"combined_windows.json: window bound '{bound}' of {name} is not a timestamp of the file");
            return (Row(w?[0]), Row(w?[1]));
        }).ToList();
        return new NabFile(name, [.. timestamps], [.. values], ranges);
    }
}
