using Medic.Core.Detection.Streaming;
using Medic.Core.Telemetry;
using Medic.Core.Telemetry.Storage;

namespace Medic.Core.Detection;

/// <summary>How the series of a metric group are modelled.</summary>
public enum DetectionModel
{
    /// <summary>Median and MAD of a rolling window: no season; the default for series in no group.</summary>
    RobustZScore,

    /// <summary>Holt-Winters with a damped trend and a season, updated online (<see cref="HoltWintersDetector"/>).</summary>
    HoltWinters,

    /// <summary>Not judged at all.</summary>
    None,
}

/// <summary>
/// Series chosen by label matchers (a PromQL selector) and how they are judged: the model, its
/// season, its sensitivity and the minimum duration of an anomaly. The first group a series
/// matches is its group.
/// </summary>
/// <param name="Name">The group's name, for logs and signals.</param>
/// <param name="Matchers">Every one must match.</param>
/// <param name="Model">The model.</param>
/// <param name="Streaming">Season, sensitivity and durations of a <see cref="DetectionModel.HoltWinters"/> group.</param>
public sealed record MetricGroup(string Name, IReadOnlyList<LabelMatcher> Matchers, DetectionModel Model, StreamingOptions Streaming)
{
    /// <summary>Whether <paramref name="series"/> belongs to the group.</summary>
    public bool Matches(SeriesKey series) => Matchers.All(m => m.Matches(series));
}
