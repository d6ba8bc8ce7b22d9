namespace Medic.Core.Rca.Shift;

/// <summary>Which way a metric's change counts as abnormal.</summary>
public enum ShiftDirection
{
    /// <summary>Either way (CPU, memory, traffic).</summary>
    Either,

    /// <summary>Only a rise (latency, errors).</summary>
    Up,

    /// <summary>Only a fall (availability, success rate).</summary>
    Down,
}

/// <summary>
/// One metric attributed to a candidate root cause, with its values in a fault-free baseline and
/// during the incident. Missing samples are NaN.
/// </summary>
/// <param name="Candidate">The entity the metric is evidence for (a service, a node, a dependency).</param>
/// <param name="Metric">The metric's name, for the explanation.</param>
/// <param name="Baseline">Values from a fault-free window before the incident.</param>
/// <param name="Incident">Values from onset on.</param>
public sealed record MetricWindow(string Candidate, string Metric, double[] Baseline, double[] Incident)
{
    /// <summary>
    /// Values just before onset, when known: a level that was already this abnormal before the
    /// incident began (drift since the baseline, a neighbour's earlier trouble) is not its cause.
    /// </summary>
    public double[] PreOnset { get; init; } = [];

    /// <summary>Which way counts. Default either.</summary>
    public ShiftDirection Direction { get; init; } = ShiftDirection.Either;

    /// <summary>
    /// Whether trouble in this metric can be a callee's trouble passed up the calls (latency, errors:
    /// yes, the default) or only the candidate's own (its CPU or memory saturating).
    /// </summary>
    public bool Propagates { get; init; } = true;
}
