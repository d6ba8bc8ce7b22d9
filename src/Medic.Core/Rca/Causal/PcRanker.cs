using Medic.Core.Rca.Shift;

namespace Medic.Core.Rca.Causal;

/// <summary>
/// The deep tier on a metric problem: each candidate's most shifted metric becomes a variable, the PC
/// algorithm learns the causal graph over baseline and incident samples (calls as background
/// knowledge: a caller never causes its callee's trouble), and a random walk personalised by the
/// shift scores ranks the candidates (PC-RandomWalk of the literature, on Medic's own scores).
/// </summary>
public static class PcRanker
{
    /// <summary>At most this many candidates, the most shifted, enter the graph (PC grows fast with variables).</summary>
    public const int MaxVariables = 30;

    /// <summary>Ranks the candidates of <paramref name="problem"/>, most likely cause first.</summary>
    public static IReadOnlyList<string> Rank(RcaProblem problem, PcOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var chosen = problem.Metrics
            .Select(m => (Metric: m, Score: ShiftScorer.Score(m, problem.RelativeFloor)))
            .Where(m => m.Metric.Baseline.Concat(m.Metric.Incident).Count(double.IsFinite) >= PcAlgorithm.MinimumSamples)
            .GroupBy(m => m.Metric.Candidate, StringComparer.Ordinal)
            .Select(g => g.MaxBy(m => m.Score))
            .OrderByDescending(m => m.Score)
            .Take(MaxVariables)
            .ToList();
        if (chosen.Count < 2)
        {
            return [.. chosen.Select(c => c.Metric.Candidate)];
        }

        var variables = chosen.Select(c => Filled([.. c.Metric.Baseline, .. c.Metric.Incident])).ToList();
        var length = variables.Min(v => v.Length);
        var index = chosen.Select((c, i) => (c.Metric.Candidate, i)).ToDictionary(p => p.Candidate, p => p.i, StringComparer.Ordinal);
        var knowledge = new BackgroundKnowledge();
        foreach (var (caller, callee) in problem.Calls)
        {
            if (caller != callee && index.TryGetValue(caller, out var from) && index.TryGetValue(callee, out var to))
            {
                knowledge.Forbid(from, to);
            }
        }

        var graph = PcAlgorithm.Discover([.. variables.Select(v => v[..length])], options ?? new PcOptions(), knowledge);
        var visits = CausalRanking.RandomWalkWithRestart(graph, [.. chosen.Select(c => c.Score)], start: -1);
        return [.. chosen.Select((c, i) => (c.Metric.Candidate, Visits: visits[i], c.Score))
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
