using Medic.Core.Logs;
using Medic.Core.Logs.Drain;
using Medic.Core.Logs.Evaluation;
using Medic.Core.Logs.Parsing;

namespace Medic.Bench;

/// <summary>Parses every system of a Loghub folder and scores the templates against its ground truth.</summary>
internal static class LoghubBenchmark
{
    /// <summary>The parsers that can be scored.</summary>
    public static readonly IReadOnlyList<string> Parsers = ["medic", "drain"];

    /// <summary>
    /// Scores one system with <paramref name="parser"/>: <c>medic</c> (the system's log format,
    /// Medic's own masking and grouping), or <c>drain</c> exactly as the reference runs (the
    /// system's masks, depth and similarity threshold).
    /// </summary>
    public static ParsingScores Score(LoghubSystem system, string parser)
    {
        var format = LogFormat.Parse(system.Settings.LogFormat);
        var truth = system.Truth();
        var lines = system.Lines();
        var contents = new Dictionary<int, string>();
        for (var i = 0; i < lines.Count; i++)
        {
            // A line the format does not fit is skipped, as the reference does, and scored as missed.
            if (truth.ContainsKey(i + 1) && format.Content(lines[i]) is { } content)
            {
                contents[i + 1] = content;
            }
        }

        var templates = parser == "drain" ? Drain(system.Settings, contents) : Medic(contents);
        var lineIds = truth.Keys.Order().ToList();
        return ParsingScores.Compute(
            lineIds.Select(id => truth[id]).ToList(),
            lineIds.Select(id => templates.GetValueOrDefault(id) ?? $"(line {id} not parsed)").ToList());
    }

    private static Dictionary<int, string> Medic(Dictionary<int, string> contents)
    {
        var parser = new LogParser();
        var parsed = contents.Select(c => (c.Key, Template: parser.Add(c.Value), Tokens: parser.LastTokens())).ToList();
        return parsed.ToDictionary(p => p.Key, p => p.Template.TextOf(p.Tokens));
    }

    private static Dictionary<int, string> Drain(LoghubSettings settings, Dictionary<int, string> contents)
    {
        var masker = new RegexMasker(settings.Masks);
        var drain = new DrainParser(new DrainOptions
        {
            Depth = settings.Depth,
            SimilarityThreshold = settings.SimilarityThreshold,
            MaxChildren = settings.MaxChildren,
            LegacyShortMessages = true,
        });
        var parsed = contents.Select(c => (c.Key, Cluster: drain.Add(masker.Mask(c.Value)))).ToList();
        return parsed.ToDictionary(p => p.Key, p => p.Cluster.Template);
    }
}
