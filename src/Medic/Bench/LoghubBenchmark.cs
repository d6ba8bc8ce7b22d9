using Medic.Core.Logs;
using Medic.Core.Logs.Drain;
using Medic.Core.Logs.Evaluation;

namespace Medic.Bench;

/// <summary>Parses every system of a Loghub folder and scores the templates against its ground truth.</summary>
internal static class LoghubBenchmark
{
    /// <summary>The parsers that can be scored.</summary>
    public static readonly IReadOnlyList<string> Parsers = ["medic", "drain"];

    /// <summary>Scores one system with <paramref name="parser"/> (<c>medic</c>, or <c>drain</c> as the reference implementation runs).</summary>
    public static ParsingScores Score(LoghubSystem system, string parser)
    {
        var format = LogFormat.Parse(system.Settings.LogFormat);
        var masker = new RegexMasker(system.Settings.Masks);
        var truth = system.Truth();
        var lines = system.Lines();
        var parsed = new List<(int Line, LogCluster Cluster)>(lines.Count);
        var drain = new DrainParser(new DrainOptions
        {
            Depth = system.Settings.Depth,
            SimilarityThreshold = system.Settings.SimilarityThreshold,
            MaxChildren = system.Settings.MaxChildren,
            LegacyShortMessages = parser == "drain",
        });
        for (var i = 0; i < lines.Count; i++)
        {
            // A line the format does not fit is skipped, as the reference does, and scored as missed.
            if (format.Content(lines[i]) is { } content && truth.ContainsKey(i + 1))
            {
                parsed.Add((i + 1, drain.Add(masker.Mask(content))));
            }
        }

        var templates = parsed.ToDictionary(p => p.Line, p => p.Cluster.Template);
        var lineIds = truth.Keys.Order().ToList();
        return ParsingScores.Compute(
            lineIds.Select(id => truth[id]).ToList(),
            lineIds.Select(id => templates.GetValueOrDefault(id) ?? $"(line {id} not parsed)").ToList());
    }
}
