using Medic.Core.Telemetry;

namespace Medic.Core.Detection;

/// <summary>The moment a series became abnormal, with what was expected instead.</summary>
/// <param name="Series">The series.</param>
/// <param name="Rule">How its metric is judged (the anomaly type it raises).</param>
/// <param name="At">When the abnormal run began.</param>
/// <param name="Value">The value that opened the anomaly.</param>
/// <param name="Expected">What the model expected.</param>
/// <param name="BandLow">The band's lower edge.</param>
/// <param name="BandHigh">The band's upper edge.</param>
/// <param name="Score">How abnormal, in [0,1): 0.5 at the band's edge.</param>
/// <param name="Confidence">How sure, in [0,1].</param>
/// <param name="Model">The model that raised it.</param>
public readonly record struct AnomalyOnset(
    SeriesKey Series,
    MetricRule Rule,
    DateTimeOffset At,
    double Value,
    double Expected,
    double BandLow,
    double BandHigh,
    double Score,
    double Confidence,
    string Model);
