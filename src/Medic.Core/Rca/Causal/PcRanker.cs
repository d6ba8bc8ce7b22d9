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
        var chosen = CandidateVariables.Choose(problem, MaxVariables, PcAlgorithm.MinimumSamples);
        if (chosen.Count < 2)
        {
            return [.. chosen.Select(c => c.Candidate)];
        }

        var index = chosen.Select((c, i) => (c.Candidate, i)).ToDictionary(p => p.Candidate, p => p.i, StringComparer.Ordinal);
        var knowledge = new BackgroundKnowledge();
        foreach (var (caller, callee) in problem.Calls)
        {
            if (caller != callee && index.TryGetValue(caller, out var from) && index.TryGetValue(callee, out var to))
            {
                knowledge.Forbid(from, to);
            }
        }

        var graph = PcAlgorithm.Discover([.. chosen.Select(c => c.Series)], options ?? new PcOptions(), knowledge);
        return CandidateVariables.ByVisits(chosen, graph);
    }
}
