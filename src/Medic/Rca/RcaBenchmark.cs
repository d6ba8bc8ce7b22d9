using System.Diagnostics;

namespace Medic.Rca;

/// <summary>One method over every case of a dataset: scores overall, per fault type and per system, and the time each ranking took.</summary>
internal sealed record RcaReport(
    string Dataset,
    string Method,
    RcaScores Overall,
    IReadOnlyDictionary<string, RcaScores> PerFault,
    IReadOnlyDictionary<string, RcaScores> PerSystem,
    double P95Milliseconds,
    IReadOnlyList<(RcaCase Case, IReadOnlyList<string> Ranking)> Rankings)
{
    public static RcaReport Run(string dataset, IReadOnlyList<RcaCase> cases, string method)
    {
        var rank = RcaMethods.All[method];
        var rankings = new List<(RcaCase, IReadOnlyList<string>)>();
        var milliseconds = new List<double>();
        foreach (var @case in cases)
        {
            var started = Stopwatch.GetTimestamp();
            var ranking = rank(@case.Problem);
            milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            rankings.Add((@case, ranking));
        }

        int Position((RcaCase Case, IReadOnlyList<string> Ranking) r) => r.Ranking.ToList().IndexOf(r.Case.RootCause);
        Dictionary<string, RcaScores> By(Func<RcaCase, string> key) => rankings
            .GroupBy(r => key(r.Item1), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => RcaScores.Of([.. g.Select(Position)]), StringComparer.Ordinal);
        milliseconds.Sort();
        var p95 = milliseconds.Count == 0 ? 0 : milliseconds[Math.Min(milliseconds.Count - 1, (int)Math.Ceiling(0.95 * milliseconds.Count) - 1)];
        return new RcaReport(dataset, method, RcaScores.Of([.. rankings.Select(Position)]), By(c => c.Fault), By(c => c.System), p95, rankings);
    }
}
