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

    /// <summary>ARIMA fitted on a window of each series, refitted as it goes (<see cref="ArimaDetector"/>): for groups of few series.</summary>
    Arima,

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
/// <param name="Streaming">Season, sensitivity and durations of a streaming model's group.</param>
public sealed record MetricGroup(string Name, IReadOnlyList<LabelMatcher> Matchers, DetectionModel Model, StreamingOptions Streaming)
{
    /// <summary>
    /// Whether each series' season is found from its own first values (the autocorrelation at an
    /// hour, a day and a week at its step, else its strongest peak) instead of <see cref="StreamingOptions.Period"/>.
    /// </summary>
    public bool AutoPeriod { get; init; }

    /// <summary>The orders of an <see cref="DetectionModel.Arima"/> group. Default ARIMA(1,0,1), with a seasonal difference when the group has a season.</summary>
    public ArimaOrder? Arima { get; init; }

    /// <summary>The orders an ARIMA series of this group is fitted with.</summary>
    public ArimaOrder ArimaOrder => Arima ?? new ArimaOrder(1, 0, 1, Streaming.Period > 1 ? 1 : 0, Streaming.Period > 1 ? Streaming.Period : 0);

    /// <summary>Whether <paramref name="series"/> belongs to the group.</summary>
    public bool Matches(SeriesKey series) => Matchers.All(m => m.Matches(series));
}
