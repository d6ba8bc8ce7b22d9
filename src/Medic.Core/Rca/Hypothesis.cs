using System.Text.Json.Serialization;
using Medic.Core.Signals;

namespace Medic.Core.Rca;

/// <summary>A candidate root cause with how sure Medic is and why.</summary>
/// <param name="Entity">The suspected entity (a service or a node).</param>
/// <param name="FaultKind">What is probably wrong with it: <c>oom</c>, <c>bad-deploy</c>, <c>resource-saturation</c>, ...</param>
/// <param name="Score">The ranking score (higher is more likely); only comparable within one diagnosis.</param>
/// <param name="Confidence">Probability-like confidence in [0,1].</param>
/// <param name="Evidence">Why, one line each.</param>
public sealed record Hypothesis(Entity Entity, string FaultKind, double Score, double Confidence, IReadOnlyList<string> Evidence)
{
    /// <summary>One sentence to check it by: what moved first and when, the change before it, the new log template, who depends on it.</summary>
    public string Story { get; init; } = "";

    /// <summary>The ranker's own confidence when <see cref="Confidence"/> is calibrated (<see cref="CalibrationInUse"/>); null when it is not.</summary>
    public double? Uncalibrated { get; init; }

    /// <summary>The ranker's own confidence, what calibrations are fitted on.</summary>
    [JsonIgnore]
    public double RankerConfidence => Uncalibrated ?? Confidence;
}
