using Medic.Core.Telemetry;

namespace Medic.Core.Detection;

/// <summary>The moment a series became abnormal, with what was expected instead.</summary>
public readonly record struct AnomalyOnset(
    SeriesKey Series,
    MetricRule Rule,
    DateTimeOffset At,
    double Value,
    double Expected,
    double BandLow,
    double BandHigh,
    double ZScore)
{
    /// <summary>How abnormal, in [0,1): |z| / (|z| + threshold); 0.5 at the threshold.</summary>
    public double Score(double threshold) => Math.Abs(ZScore) / (Math.Abs(ZScore) + threshold);

    /// <summary>How sure, in [0,1): 1 − e^(−|z|/threshold); 0.63 at the threshold, 0.95 at three times it.</summary>
    public double Confidence(double threshold) => 1 - Math.Exp(-Math.Abs(ZScore) / threshold);
}
