namespace Medic.Core.Logs.Evaluation;

/// <summary>
/// How well a parser's templates match the ground truth, as Loghub-2.0 defines it: grouping
/// accuracy (GA), its F1 over templates (FGA), parsing accuracy (PA: the exact template string)
/// and template accuracy F1 (FTA). See the benchmark's METRICS.md for the definitions.
/// </summary>
/// <param name="GA">Share of messages whose parsed group is exactly their true group.</param>
/// <param name="FGA">F1 of the share of parsed and of true templates whose group is exactly reproduced.</param>
/// <param name="PA">Share of messages whose parsed template is exactly their true template.</param>
/// <param name="FTA">F1 of the share of parsed templates that are right for every message under them.</param>
public sealed record ParsingScores(double GA, double FGA, double PA, double FTA)
{
    /// <summary>Scores <paramref name="parsed"/> templates against the <paramref name="truth"/>, message by message.</summary>
    public static ParsingScores Compute(IReadOnlyList<string> truth, IReadOnlyList<string> parsed)
    {
        if (truth.Count != parsed.Count)
        {
            throw new ArgumentException($"{truth.Count} true templates but {parsed.Count} parsed ones; score the same messages", nameof(parsed));
        }

        if (truth.Count == 0)
        {
            return new ParsingScores(0, 0, 0, 0);
        }

        var trueGroups = Groups(truth);
        var parsedGroups = Groups(parsed);

        // A true group is reproduced when its messages share one parsed template that holds no other message.
        var reproduced = 0;
        var grouped = 0;
        foreach (var members in trueGroups.Values)
        {
            var template = parsed[members[0]];
            if (parsedGroups[template].Count == members.Count && members.All(i => parsed[i] == template))
            {
                reproduced++;
                grouped += members.Count;
            }
        }

        // A parsed template is right when every message under it has exactly that true template.
        var right = parsedGroups.Count(g => g.Value.All(i => truth[i] == g.Key));
        var exact = Enumerable.Range(0, truth.Count).Count(i => truth[i] == parsed[i]);

        return new ParsingScores(
            GA: (double)grouped / truth.Count,
            FGA: F1((double)reproduced / parsedGroups.Count, (double)reproduced / trueGroups.Count),
            PA: (double)exact / truth.Count,
            FTA: F1((double)right / parsedGroups.Count, (double)right / trueGroups.Count));
    }

    private static Dictionary<string, List<int>> Groups(IReadOnlyList<string> templates)
    {
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < templates.Count; i++)
        {
            if (!groups.TryGetValue(templates[i], out var members))
            {
                groups[templates[i]] = members = [];
            }

            members.Add(i);
        }

        return groups;
    }

    private static double F1(double precision, double recall) => precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
}
