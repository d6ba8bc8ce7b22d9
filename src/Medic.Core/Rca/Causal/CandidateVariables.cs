using Medic.Core.Rca.Shift;

namespace Medic.Core.Rca.Causal;

/// <summary>
/// The variables a causal ranker works on: one per candidate, its most shifted metric over baseline
/// and incident (missing samples at the series' median), the most shifted candidates first; and
/// the ranking that comes of a random walk's visits over them.
/// </summary>
internal static class CandidateVariables
{
    /// <summary>At most <paramref name="max"/> candidates with at least <paramref name="minimumSamples"/> samples, most shifted first, all cut to one length.</summary>
    public static List<(string Candidate, double Score, double[] Series)> Choose(RcaProblem problem, int max, int minimumSamples)
    {
        var chosen = problem.Metrics
            .Select(m => (Metric: m, Score: ShiftScorer.Score(m, problem.RelativeFloor)))
            .Where(m => m.Metric.Baseline.Concat(m.Metric.Incident).Count(double.IsFinite) >= minimumSamples)
            .GroupBy(m => m.Metric.Candidate, StringComparer.Ordinal)
            .Select(g => g.MaxBy(m => m.Score))
            .OrderByDescending(m => m.Score)
            .Take(max)
            .Select(m => (m.Metric.Candidate, m.Score, Series: Filled([.. m.Metric.Baseline, .. m.Metric.Incident])))
            .ToList();
        var length = chosen.Count == 0 ? 0 : chosen.Min(c => c.Series.Length);
        return [.. chosen.Select(c => (c.Candidate, c.Score, c.Series[..length]))];
    }

    /// <summary>The candidates by the walk's visits, then by their shift.</summary>
    public static IReadOnlyList<string> ByVisits(List<(string Candidate, double Score, double[] Series)> chosen, CausalGraph graph)
    {
        var visits = CausalRanking.RandomWalkWithRestart(graph, [.. chosen.Select(c => c.Score)], start: -1);
        return [.. chosen.Select((c, i) => (c.Candidate, Visits: visits[i], c.Score))
            .OrderByDescending(c => c.Visits).ThenByDescending(c => c.Score).Select(c => c.Candidate)];
    }

    /// <summary>Missing samples take the series' median, so one gap does not drop a variable.</summary>
    private static double[] Filled(double[] values)
    {
        var finite = values.Where(double.IsFinite).Order().ToArray();
        var median = finite.Length == 0 ? 0 : finite[finite.Length / 2];
        return [.. values.Select(v => double.IsFinite(v) ? v : median)];
    }
}
