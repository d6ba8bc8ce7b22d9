using Medic.Core.Bus;
using Medic.Core.Signals;
using Medic.Core.Stages;
using Medic.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Medic.Core.Detection;

/// <summary>Detect (metrics): turns samples into anomaly signals, one per anomaly onset.</summary>
public sealed partial class DetectionStage(IBus bus, DetectionOptions options, ILogger<DetectionStage> logger) : ITimedStage
{
    private readonly RobustZScoreDetector _detector = new(options);
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
            if (_detector.Observe(sample) is { } onset)
            {
                await bus.PublishAsync(ToSignal(onset), cancellationToken);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask OnTickAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var evicted = _detector.EvictIdle(now);
        if (evicted > 0)
        {
            LogEvicted(evicted, _detector.SeriesCount);
        }

        if (_detector.RejectedSamples > _reportedRejections)
        {
            LogCardinalityCap(options.MaxSeries, _detector.RejectedSamples - _reportedRejections);
            _reportedRejections = _detector.RejectedSamples;
        }

        return ValueTask.CompletedTask;
    }

    private Signal ToSignal(AnomalyOnset onset)
    {
        var entity = Entity.FromSeries(onset.Series);
        var direction = onset.ZScore > 0 ? "above" : "below";
        return new Signal
        {
            Id = Guid.CreateVersion7().ToString("n"),
            Source = SignalSources.Metrics,
            Type = onset.Rule.AnomalyType,
            Entity = entity,
            Score = onset.Score(options.Threshold),
            Confidence = onset.Confidence(options.Threshold),
            ObservedAt = onset.At,
            Summary =
                $"{onset.Series.Name} of {entity} is {Humanize.Value(onset.Series.Name, onset.Value)}, {direction} the expected {Humanize.Value(onset.Series.Name, onset.Expected)} (band {Humanize.Value(onset.Series.Name, onset.BandLow)} to {Humanize.Value(onset.Series.Name, onset.BandHigh)})",
            Metric = onset.Series.ToString(),
            Value = onset.Value,
            Expected = onset.Expected,
            BandLow = onset.BandLow,
            BandHigh = onset.BandHigh,
        };
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Forgot {Count} idle series; {Remaining} tracked")]
    private partial void LogEvicted(int count, int remaining);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Series cap of {Cap} reached: ignored {Count} samples of new series. Raise Detection:MaxSeries or drop high-cardinality labels at the source.")]
    private partial void LogCardinalityCap(int cap, long count);
}
