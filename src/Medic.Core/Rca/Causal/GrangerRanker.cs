using Medic.Core.Rca.Shift;

namespace Medic.Core.Rca.Causal;

/// <summary>
/// A deep-tier ranking by Granger causality: each candidate's most shifted metric becomes a variable;
/// along each call (or, without a call graph, between every pair) both directions are tested, and a
/// significant one becomes an edge of the causal graph; a random walk personalised by the shift
/// scores ranks the candidates on it.
/// </summary>
public static class GrangerRanker
{
    /// <summary>At most this many candidates, the most shifted, are tested (pairs grow with the square).</summary>
    public const int MaxVariables = 15;

    /// <summary>The significance level of each test. Default 0.05.</summary>
    public const double DefaultAlpha = 0.05;

    /// <summary>Ranks the candidates of <paramref name="problem"/>, most likely cause first.</summary>
    public static IReadOnlyList<string> Rank(RcaProblem problem, GrangerOptions? options = null, double alpha = DefaultAlpha)
    {
        ArgumentNullException.ThrowIfNull(problem);
        options ??= new GrangerOptions();
        var shortest = new GrangerOptions { MaxLag = 1, MaxDifferences = options.MaxDifferences, Criterion = options.Criterion };
        var chosen = CandidateVariables.Choose(problem, MaxVariables, shortest.MinimumLength);
        if (chosen.Count < 2)
        {
            return [.. chosen.Select(c => c.Candidate)];
        }

        // Short windows (a few dozen per-minute samples) try fewer lags rather than nothing.
        var length = chosen[0].Series.Length;
        while (options.MaxLag > 1 && options.MinimumLength > length)
        {
            options = new GrangerOptions { MaxLag = options.MaxLag - 1, MaxDifferences = options.MaxDifferences, Criterion = options.Criterion };
        }

        var index = chosen.Select((c, i) => (c.Candidate, i)).ToDictionary(p => p.Candidate, p => p.i, StringComparer.Ordinal);
        var pairs = problem.Calls.Count > 0
            ? problem.Calls.Where(c => c.Caller != c.Callee && index.ContainsKey(c.Caller) && index.ContainsKey(c.Callee))
                .SelectMany(c => new[] { (index[c.Caller], index[c.Callee]), (index[c.Callee], index[c.Caller]) }).Distinct()
            : Enumerable.Range(0, chosen.Count).SelectMany(a => Enumerable.Range(0, chosen.Count).Where(b => b != a).Select(b => (a, b)));
        var causes = pairs.Where(p => GrangerTest.Test(chosen[p.Item1].Series, chosen[p.Item2].Series, options).Causes(alpha)).ToHashSet();

        // Each way significant: feedback (a caller's retries and its callee's slowness), an edge without a direction.
        var directed = causes.Where(e => !causes.Contains((e.Item2, e.Item1)));
        var mutual = causes.Where(e => e.Item1 < e.Item2 && causes.Contains((e.Item2, e.Item1)));
        return CandidateVariables.ByVisits(chosen, CausalGraph.FromEdges(chosen.Count, directed, mutual));
    }
}
