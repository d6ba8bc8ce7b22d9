using Medic.Core.Bus;
using Medic.Core.Detection.Streaming;
using Medic.Core.Signals;
using Medic.Core.Stages;
using Medic.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Medic.Core.Detection;

/// <summary>
/// Detect (metrics): turns samples into anomaly signals, one per anomaly onset. Series of a
/// Holt-Winters or ARIMA metric group are judged by that group's streaming model, series in no
/// group by the robust z-score.
/// </summary>
public sealed partial class DetectionStage(IBus bus, DetectionOptions options, ILogger<DetectionStage> logger) : ITimedStage
{
    /// <summary>The Holt-Winters model's name in signals.</summary>
    public const string HoltWintersModel = "holt_winters";

    /// <summary>The ARIMA model's name in signals.</summary>
    public const string ArimaModel = "arima";

    private readonly RobustZScoreDetector _detector = new(options);
    private readonly StreamingGroups _groups = new(options.Groups, options.MaxSeries);
    private long _reportedRejections;

    /// <inheritdoc />
    public string Name => "detect";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } = [typeof(SampleBatch)];

    /// <inheritdoc />
    public TimeSpan TickInterval => TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    public async ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        if (message is not SampleBatch batch)
        {
            return;
        }

        foreach (var sample in batch.Samples)
        {
            var onset = _groups.TryObserve(sample, out var group, out var verdict)
                ? Opened(sample, group, verdict)
                : _groups.GroupOf(sample.Series) is { Model: DetectionModel.None } ? null : _detector.Observe(sample);
            if (onset is { } opened)
            {
                await bus.PublishAsync(ToSignal(opened), cancellationToken);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask OnTickAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var evicted = _detector.EvictIdle(now) + _groups.EvictIdle(now - options.IdleTimeout);
        if (evicted > 0)
        {
            LogEvicted(evicted, _detector.SeriesCount);
        }

        var rejected = _detector.RejectedSamples + _groups.Rejected;
        if (rejected > _reportedRejections)
        {
            LogCardinalityCap(options.MaxSeries, rejected - _reportedRejections);
            _reportedRejections = rejected;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The onset a streaming verdict opened, if its metric's rule counts it (direction, floors).</summary>
    private AnomalyOnset? Opened(in Sample sample, MetricGroup group, Verdict verdict)
    {
        if (verdict.Change != SignalChange.Opened)
        {
            return null;
        }

        var rule = options.Rules.GetValueOrDefault(sample.Series.Name) ?? options.DefaultRule ?? new MetricRule("MetricAnomaly", Direction.Both);
        var up = verdict.Direction(sample.Value) > 0;
        var counts = rule.Direction switch { Direction.Up => up, Direction.Down => !up, _ => true }
            && (!up || sample.Value >= rule.MinValue)
            && Math.Abs(sample.Value - verdict.Expected) >= rule.MinRelativeChange * Math.Abs(verdict.Expected);
        if (!counts)
        {
            return null;
        }

        LogOpened(group.Name, sample.Series);
        return new AnomalyOnset(
            sample.Series, rule, DateTimeOffset.FromUnixTimeMilliseconds(verdict.OnsetAt), sample.Value, verdict.Expected, verdict.Lower, verdict.Upper,
            verdict.Score, verdict.Confidence, group.Model == DetectionModel.Arima ? ArimaModel : HoltWintersModel);
    }

    private static Signal ToSignal(AnomalyOnset onset)
    {
        var entity = Entity.FromSeries(onset.Series);
        var direction = onset.Value > onset.Expected ? "above" : "below";
        return new Signal
        {
            Id = Guid.CreateVersion7().ToString("n"),
            Source = SignalSources.Metrics,
            Type = onset.Rule.AnomalyType,
            Entity = entity,
            Score = onset.Score,
            Confidence = onset.Confidence,
            ObservedAt = onset.At,
            Summary =
                $"{onset.Series.Name} of {entity} is {Humanize.Value(onset.Series.Name, onset.Value)}, {direction} the expected {Humanize.Value(onset.Series.Name, onset.Expected)} (band {Humanize.Value(onset.Series.Name, onset.BandLow)} to {Humanize.Value(onset.Series.Name, onset.BandHigh)})",
            Metric = onset.Series.ToString(),
            Value = onset.Value,
            Expected = onset.Expected,
            BandLow = onset.BandLow,
            BandHigh = onset.BandHigh,
            Model = onset.Model,
        };
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Metric group {Group}: {Series} opened an anomaly")]
    private partial void LogOpened(string group, SeriesKey series);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Forgot {Count} idle series; {Remaining} tracked")]
    private partial void LogEvicted(int count, int remaining);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Series cap of {Cap} reached: ignored {Count} samples of new series. Raise Detection:MaxSeries or drop high-cardinality labels at the source.")]
    private partial void LogCardinalityCap(int cap, long count);
}
