using Medic.Core.Learning.Drift;

namespace Medic.Core.Learning;

/// <summary>How far back <c>medic train</c> looks.</summary>
public static class TrainingSince
{
    /// <summary>Without <c>--since</c>: the last 30 days.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromDays(30);

    /// <summary>At most a year.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(365);
}

/// <summary>What one training run did.</summary>
/// <param name="Since">The start of the history it learnt from.</param>
/// <param name="Versions">The model versions it wrote, whether or not they took over.</param>
/// <param name="Notes">What it could not do and why, for the person who ran it.</param>
/// <param name="Precision">Each detector's precision from the operators' feedback given in the same window.</param>
public sealed record TrainingReport(DateTimeOffset Since, IReadOnlyList<ModelVersion> Versions, IReadOnlyList<string> Notes, IReadOnlyList<DetectorPrecision> Precision);
