using System.ComponentModel.DataAnnotations;

namespace Medic.Core.Detection;

/// <summary>Settings of the metric detection stage. Defaults: <see cref="DetectionDefaults"/>.</summary>
public sealed class DetectionOptions
{
    /// <summary>Samples in the rolling baseline window. Default 60.</summary>
    [Range(8, 10_000)]
    public int WindowSize { get; set; } = DetectionDefaults.WindowSize;

    /// <summary>Samples a series needs before it is judged. Default 20.</summary>
    [Range(4, 10_000)]
    public int MinSamples { get; set; } = DetectionDefaults.MinSamples;

    /// <summary>Robust z-score threshold. Default 6.</summary>
    [Range(1.0, 100.0)]
    public double Threshold { get; set; } = DetectionDefaults.Threshold;

    /// <summary>Consecutive abnormal samples that open an anomaly. Default 2.</summary>
    [Range(1, 100)]
    public int OnsetSamples { get; set; } = DetectionDefaults.OnsetSamples;

    /// <summary>Consecutive normal samples that end an anomaly. Default 3.</summary>
    [Range(1, 100)]
    public int ClearSamples { get; set; } = DetectionDefaults.ClearSamples;

    /// <summary>Hard cap on tracked series. Default 100,000.</summary>
    [Range(1, 100_000_000)]
    public int MaxSeries { get; set; } = DetectionDefaults.MaxSeries;

    /// <summary>A series silent this long is forgotten. Default 30 minutes.</summary>
    public TimeSpan IdleTimeout { get; set; } = DetectionDefaults.IdleTimeout;

    /// <summary>Per-metric rules. Default: <see cref="DetectionDefaults.Rules"/>.</summary>
    public IReadOnlyDictionary<string, MetricRule> Rules { get; set; } = DetectionDefaults.Rules;

    /// <summary>Metric groups, the first a series matches being its group; series in none use the robust z-score. Default: none.</summary>
    public IReadOnlyList<MetricGroup> Groups { get; set; } = [];

    /// <summary>A service's metrics judged together by an isolation forest; null: none. Default: none.</summary>
    public Multivariate.MultivariateOptions? Multivariate { get; set; }

    /// <summary>The rule for other metrics; null ignores them. Default: <see cref="DetectionDefaults.DefaultRule"/>.</summary>
    public MetricRule? DefaultRule { get; set; } = DetectionDefaults.DefaultRule;
}
