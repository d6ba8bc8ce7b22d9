namespace Medic.Core.Rca.Shift;

/// <summary>What metric-based root-cause ranking gets to see of one incident.</summary>
/// <param name="Metrics">Every metric, attributed to the candidate it is evidence for.</param>
public sealed record RcaProblem(IReadOnlyList<MetricWindow> Metrics)
{
    /// <summary>Who calls whom, when known (caller, callee): faults travel from callee to caller.</summary>
    public IReadOnlyList<(string Caller, string Callee)> Calls { get; init; } = [];

    /// <summary>
    /// The entity whose objective was violated, when known: the cause is sought among what it
    /// calls, directly or not, and itself.
    /// </summary>
    public string? Target { get; init; }

    /// <summary>
    /// The smallest spread a baseline may have, as a fraction of its level (see <see cref="ShiftScorer"/>).
    /// Raise it when baselines are short and noisy: ten per-minute samples understate the spread.
    /// </summary>
    public double RelativeFloor { get; init; } = ShiftScorer.DefaultRelativeFloor;
}

/// <summary>A candidate root cause with its score and the metric that moved most.</summary>
/// <param name="Name">The candidate.</param>
/// <param name="Score">Its largest shift score.</param>
/// <param name="Metric">The metric with that score.</param>
/// <param name="Frontier">Anomalous with no anomalous callee: where the trouble stops spreading.</param>
public sealed record RankedCandidate(string Name, double Score, string Metric, bool Frontier);
