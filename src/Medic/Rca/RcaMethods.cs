using Medic.Core.Rca.Causal;
using Medic.Core.Rca.Shift;

namespace Medic.Rca;

/// <summary>The ranking methods <c>medic rca</c> can run; each turns a case's evidence into candidates, most likely first.</summary>
internal static class RcaMethods
{
    public const string Default = "medic";

    public static IReadOnlyDictionary<string, Func<RcaProblem, IReadOnlyList<string>>> All { get; } =
        new Dictionary<string, Func<RcaProblem, IReadOnlyList<string>>>(StringComparer.Ordinal)
        {
            // The fast tier: shift scores, discounted by the pre-onset level, re-ranked along the call graph.
            ["medic"] = problem => Names(ShiftRanker.Rank(problem)),

            // The deep tier: the PC algorithm's causal graph, ranked by a random walk personalised by the shift scores.
            ["pc"] = problem => PcRanker.Rank(problem),

            // Granger causality along the calls (or between every pair), ranked by the same walk.
            ["granger"] = problem => GrangerRanker.Rank(problem),

            // BARO as published: each candidate's largest median/IQR shift, nothing else.
            ["baro"] = problem => Names(ShiftRanker.Rank(new RcaProblem([.. problem.Metrics.Select(m => m with { PreOnset = [], Direction = ShiftDirection.Either })]))),
        };

    private static string[] Names(IReadOnlyList<RankedCandidate> ranked) => [.. ranked.Select(c => c.Name)];
}
