namespace Medic.Core.Rca.Shift;

/// <summary>
/// The fast, metric-only ranking: each candidate scores its most shifted metric
/// (<see cref="ShiftScorer"/>). With a call graph, candidates that are anomalous while none of
/// their callees is come first (the anomaly traversal of the PetShop baseline: a caller's trouble
/// is explained by its callee's, so walk down the calls until the anomalies stop); with a target,
/// only what the target reaches is ranked.
/// </summary>
public static class ShiftRanker
{
    /// <summary>A score above which a candidate counts as anomalous for the traversal. Default 10 spreads.</summary>
    public const double DefaultAnomalous = 10;

    /// <summary>Ranks the candidates of <paramref name="problem"/>, most likely cause first.</summary>
    public static IReadOnlyList<RankedCandidate> Rank(RcaProblem problem, double anomalous = DefaultAnomalous)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var best = new Dictionary<string, (double Score, string Metric, bool Propagates)>(StringComparer.Ordinal);
        foreach (var metric in problem.Metrics)
        {
            var score = ShiftScorer.Score(metric, problem.RelativeFloor);
            if (!best.TryGetValue(metric.Candidate, out var current) || score > current.Score)
            {
                best[metric.Candidate] = (score, metric.Metric, metric.Propagates);
            }
        }

        var callees = problem.Calls.ToLookup(c => c.Caller, c => c.Callee, StringComparer.Ordinal);
        var candidates = problem.Target is { } target && problem.Calls.Count > 0 ? Reachable(target, callees) : [.. best.Keys];
        bool IsAnomalous(string name) => best.TryGetValue(name, out var b) && b.Score > anomalous;

        // The target's own violation is the symptom being explained: it is a suspect only after everything it reaches that moved at all.
        var demoteTarget = candidates.Any(o => o != problem.Target && best.TryGetValue(o, out var b) && b.Score > 0);
        return candidates
            .Where(best.ContainsKey)
            .Select(name => new RankedCandidate(
                name,
                best[name].Score,
                best[name].Metric,
                problem.Calls.Count > 0 && IsAnomalous(name) && (!best[name].Propagates || !callees[name].Any(c => c != name && IsAnomalous(c)))))
            .OrderBy(c => demoteTarget && c.Name == problem.Target)
            .ThenByDescending(c => c.Frontier)
            .ThenByDescending(c => c.Score)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
    }

    private static HashSet<string> Reachable(string target, ILookup<string, string> callees)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>([target]);
        while (stack.TryPop(out var name))
        {
            if (seen.Add(name))
            {
                foreach (var callee in callees[name])
                {
                    stack.Push(callee);
                }
            }
        }

        return seen;
    }
}
