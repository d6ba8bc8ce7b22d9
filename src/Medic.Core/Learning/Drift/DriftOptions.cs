namespace Medic.Core.Learning.Drift;

/// <summary>When a model counts as drifted, and how it is refit then.</summary>
/// <param name="MinPointsAnHour">Scores an hour needs, in the reference day and when judged.</param>
/// <param name="RecentPoints">Latest points a drifted model is refit and validated on (an hour at a ten-second step).</param>
/// <param name="Psi">Population stability index at or above which the scores moved (0.25: a marked shift).</param>
/// <param name="PValue">Kolmogorov-Smirnov p-value below which the move is not chance.</param>
/// <param name="HeldBack">Share of the recent points kept out of a refit to validate it on.</param>
public sealed record DriftOptions(
    int MinPointsAnHour = 120,
    int RecentPoints = 360,
    double Psi = 0.25,
    double PValue = 0.001,
    double HeldBack = 0.25);
