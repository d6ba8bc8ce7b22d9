using System.Text.Json;
using nietras.SeparatedValues;

namespace Medic.Bench;

/// <summary>
/// One system of a Loghub 2k data folder: <c>System/System_2k.log</c>, its ground truth
/// <c>System/System_2k.log_structured_corrected.csv</c>, and its Drain settings from the folder's
/// <c>drain_settings.json</c> (sensible defaults when the system is not listed there).
/// </summary>
internal sealed record LoghubSystem(string Name, string LogFile, string TruthFile, LoghubSettings Settings)
{
    /// <summary>The systems of <paramref name="folder"/>, by name.</summary>
    public static IReadOnlyList<LoghubSystem> Find(string folder)
    {
        var settings = LoghubSettings.Load(Path.Combine(folder, "drain_settings.json"));
        return Directory.GetDirectories(folder)
            .Select(d => Path.GetFileName(d))
            .Select(name => new LoghubSystem(name, Path.Combine(folder, name, $"{name}_2k.log"), Path.Combine(folder, name, $"{name}_2k.log_structured_corrected.csv"), settings.GetValueOrDefault(name) ?? LoghubSettings.Default))
            .Where(s => File.Exists(s.LogFile) && File.Exists(s.TruthFile))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The raw lines, by line number from 1.</summary>
    public IReadOnlyList<string> Lines() => File.ReadAllLines(LogFile);

    /// <summary>The true template of each line, by line number.</summary>
    public IReadOnlyDictionary<int, string> Truth()
    {
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(TruthFile);
        var truth = new Dictionary<int, string>();
        foreach (var row in reader)
        {
            truth[row["LineId"].Parse<int>()] = row["EventTemplate"].ToString();
        }

        return truth;
    }
}

/// <summary>The per-system Drain settings of a Loghub data folder (see its SETTINGS.md).</summary>
internal sealed record LoghubSettings(string LogFormat, IReadOnlyList<string> Masks, double SimilarityThreshold, int Depth, int MaxChildren)
{
    /// <summary>For a system the settings do not list: the whole line is the message, no masks, Drain's defaults.</summary>
    public static LoghubSettings Default { get; } = new("<Content>", [], 0.5, 4, 100);

    public static IReadOnlyDictionary<string, LoghubSettings> Load(string path)
    {
        if (!File.Exists(path))
        {
            return new Dictionary<string, LoghubSettings>();
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateObject().ToDictionary(
            system => system.Name,
            system => new LoghubSettings(
                system.Value.GetProperty("log_format").GetString()!,
                system.Value.TryGetProperty("regex", out var regex) ? regex.EnumerateArray().Select(r => r.GetString()!).ToList() : [],
                system.Value.TryGetProperty("st", out var st) ? st.GetDouble() : Default.SimilarityThreshold,
                system.Value.TryGetProperty("depth", out var depth) ? depth.GetInt32() : Default.Depth,
                system.Value.TryGetProperty("max_child", out var maxChild) ? maxChild.GetInt32() : Default.MaxChildren),
            StringComparer.Ordinal);
    }
}
