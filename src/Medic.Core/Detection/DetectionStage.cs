using System.Collections.Concurrent;
using Medic.Core.Bus;
using Medic.Core.Detection.Multivariate;
using Medic.Core.Detection.Streaming;
using Medic.Core.Learning;
using Medic.Core.Learning.Drift;
using Medic.Core.Signals;
using Medic.Core.Stages;
using Medic.Core.Storage;
using Medic.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Medic.Core.Detection;

/// <summary>
/// Detect (metrics): turns samples into anomaly signals, one per anomaly onset. Series of a
/// Holt-Winters or ARIMA metric group are judged by that group's streaming model, series in no
/// group by the robust z-score. What the detectors have learnt is saved every few minutes and when
/// the service stops, and taken up at the next start, so a restart does not relearn every series.
/// A service's forest that drifted is refit, validated and perhaps swapped, and so is every forest
/// when the training job asks (at the next tick); each refit is recorded.
/// </summary>
public sealed partial class DetectionStage(
    IBus bus, DetectionOptions options, ILogger<DetectionStage> logger, IDetectorStateStore? store = null, ModelRecords? models = null, IModelVersionStore? versions = null)
    : ITimedStage, IDetectorTrainer, IAsyncDisposable
{
    /// <summary>How long a single series' anomaly keeps its service's points from counting as known normal for the forests' validation.</summary>
    public static readonly TimeSpan AbnormalSpan = TimeSpan.FromMinutes(15);

    /// <summary>How often the detectors' state is saved while running.</summary>
    public static readonly TimeSpan SaveInterval = TimeSpan.FromMinutes(5);

    /// <summary>The Holt-Winters model's name in signals.</summary>
    public const string HoltWintersModel = "holt_winters";

    /// <summary>The ARIMA model's name in signals.</summary>
    public const string ArimaModel = "arima";

    /// <summary>The multivariate model's name in signals.</summary>
    public const string IsolationForestModel = "isolation_forest";

    /// <summary>The signal type of a service whose metrics are abnormal together.</summary>
    public const string MultivariateType = "MultivariateAnomaly";

    private readonly RobustZScoreDetector _detector = new(options);
    private readonly StreamingGroups _groups = new(options.Groups, options.MaxSeries);
    private readonly ServiceVectors? _vectors = options.Multivariate is { Metrics.Count: >= 2 } multivariate ? new ServiceVectors(multivariate, options.MaxSeries) : null;
    private readonly ConcurrentQueue<(DateTimeOffset From, TaskCompletionSource<IReadOnlyList<ModelVersion>> Done)> _trainings = new();
    private long _reportedRejections;
    private bool _loaded;
    private DateTimeOffset _lastSave = DateTimeOffset.MinValue;

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

        await LoadAsync(cancellationToken);
        foreach (var sample in batch.Samples)
        {
            var onset = _groups.TryObserve(sample, out var group, out var verdict)
                ? Opened(sample, group, verdict)
                : _groups.GroupOf(sample.Series) is { Model: DetectionModel.None } ? null : _detector.Observe(sample);
            if (onset is { } opened)
            {
                if (opened.Series[Labels.Service] is { } service)
                {
                    _vectors?.MarkAbnormal(service, opened.At + AbnormalSpan);
                }

                await bus.PublishAsync(ToSignal(opened), cancellationToken);
            }

            if (_vectors?.Observe(sample) is not { } together)
            {
                continue;
            }

            if (options.Multivariate!.Shadow)
            {
                models?.Add(new ShadowAlarm(IsolationForestModel, together.Service, together.At));
            }
            else
            {
                await bus.PublishAsync(ToSignal(together, options.Multivariate), cancellationToken);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask OnTickAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        var evicted = _detector.EvictIdle(now) + _groups.EvictIdle(now - options.IdleTimeout) + (_vectors?.EvictIdle(now - options.IdleTimeout) ?? 0);
        if (evicted > 0)
        {
            LogEvicted(evicted, _detector.SeriesCount);
        }

        // The training job's requests are answered here, on the stage's own thread, and always answered: with the refits or the failure.
        var requests = new List<(DateTimeOffset From, TaskCompletionSource<IReadOnlyList<ModelVersion>> Done)>();
        while (_trainings.TryDequeue(out var request))
        {
            requests.Add(request);
        }

        try
        {
            var trained = requests.Select(r => _vectors!.Retrain(r.From, now)).ToList();
            await RecordRefitsAsync(cancellationToken);
            foreach (var (request, refits) in requests.Zip(trained))
            {
                request.Done.TrySetResult(refits);
            }
        }
        catch (Exception failure)
        {
            requests.ForEach(r => r.Done.TrySetException(failure));
            throw;
        }

        var rejected = _detector.RejectedSamples + _groups.Rejected;
        if (rejected > _reportedRejections)
        {
            LogCardinalityCap(options.MaxSeries, rejected - _reportedRejections);
            _reportedRejections = rejected;
        }

        if (store is not null && now - _lastSave >= SaveInterval)
        {
            await store.SaveAsync(Checkpoint(), cancellationToken);
            _lastSave = now;
        }
    }

    /// <summary>Logs, keeps and stores the forests' refits since the last tick (drift and training).</summary>
    private async Task RecordRefitsAsync(CancellationToken cancellationToken)
    {
        if (_vectors?.TakeVersions() is not { Count: > 0 } refits)
        {
            return;
        }

        foreach (var refit in refits)
        {
            LogRefit(refit.Model, refit.Key, refit.Reason, refit.Validation!.CurrentFalseAlarms, refit.Validation.CandidateFalseAlarms, refit.Validation.Normal, refit.Swapped ? "took over" : "was kept out");
        }

        models?.Add(refits);
        if (versions is not null)
        {
            await versions.AddAsync(refits, cancellationToken);
        }
    }

    /// <inheritdoc />
    public bool RetrainWaiting => !_trainings.IsEmpty;

    /// <summary>Refits every service's forest on its points since <paramref name="from"/> at the next tick; none without forests.</summary>
    public async Task<IReadOnlyList<ModelVersion>> RetrainAsync(DateTimeOffset from, CancellationToken cancellationToken)
    {
        if (_vectors is null)
        {
            return [];
        }

        var done = new TaskCompletionSource<IReadOnlyList<ModelVersion>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _trainings.Enqueue((from, done));
        return await done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Saves what the detectors have learnt when the service stops; training requests still waiting are cancelled.</summary>
    public async ValueTask DisposeAsync()
    {
        while (_trainings.TryDequeue(out var request))
        {
            request.Done.TrySetCanceled();
        }

        if (store is not null && _loaded)
        {
            await store.SaveAsync(Checkpoint(), CancellationToken.None);
        }
    }

    /// <summary>Every detector's state: later values score bit for bit the same after <see cref="Restore"/>.</summary>
    public byte[] Checkpoint()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(DetectorCheckpoint.Magic);
            writer.Write(DetectorCheckpoint.Version);
            _detector.Save(writer);
            _groups.Save(writer);
        }

        return stream.ToArray();
    }

    /// <summary>Takes up a <see cref="Checkpoint"/>; the metric groups' part only if they have not changed since. False when it is not one.</summary>
    public bool Restore(byte[] checkpoint)
    {
        using var reader = new BinaryReader(new MemoryStream(checkpoint));
        if (checkpoint.Length < 8 || reader.ReadInt32() != DetectorCheckpoint.Magic || reader.ReadInt32() != DetectorCheckpoint.Version)
        {
            return false;
        }

        _detector.Restore(reader);
        if (!_groups.Restore(reader))
        {
            LogGroupsChanged();
        }

        return true;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_loaded || store is null)
        {
            _loaded = true;
            return;
        }

        _loaded = true;
        if (await store.LoadAsync(cancellationToken) is not { } saved)
        {
            return;
        }

        try
        {
            if (Restore(saved))
            {
                LogRestored(_detector.SeriesCount + _groups.Count);
            }
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException or ArgumentException)
        {
            // A damaged checkpoint costs a relearning, never the stage.
            LogUnreadable(e.Message);
            _detector.Clear();
            _groups.Clear();
        }
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

    private static Signal ToSignal(MultivariateOnset onset, MultivariateOptions multivariate) => new()
    {
        Id = Guid.CreateVersion7().ToString("n"),
        Source = SignalSources.Metrics,
        Type = MultivariateType,
        Entity = new Entity(EntityKinds.Service, onset.Service) { Service = onset.Service, Namespace = onset.Namespace },
        Score = onset.Score,
        Confidence = Math.Clamp((onset.Score - 0.5) * 2, 0, 1),
        ObservedAt = onset.At,
        Summary = $"{string.Join(", ", multivariate.Metrics.Select((m, i) => $"{m} {Humanize.Value(m, onset.Point[i])}"))} of service/{onset.Service} are together unlike its recent past (isolation score {onset.Score:0.00})",
        Model = IsolationForestModel,
        Labels = onset.Namespace is null ? new Dictionary<string, string> { ["service"] = onset.Service } : new Dictionary<string, string> { ["service"] = onset.Service, ["namespace"] = onset.Namespace },
    };

    private static Signal ToSignal(AnomalyOnset onset)
    {
        var entity = Entity.FromSeries(onset.Series);
        var up = onset.Value > onset.Expected;
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
                $"{onset.Series.Name} of {entity} is {Humanize.Value(onset.Series.Name, onset.Value)}, {(up ? "above" : "below")} the expected {Humanize.Value(onset.Series.Name, onset.Expected)} (band {Humanize.Value(onset.Series.Name, onset.BandLow)} to {Humanize.Value(onset.Series.Name, onset.BandHigh)})",
            Metric = onset.Series.ToString(),
            Value = onset.Value,
            Expected = onset.Expected,
            BandLow = onset.BandLow,
            BandHigh = onset.BandHigh,
            Direction = up ? "up" : "down",
            Model = onset.Model,
            Labels = onset.Series.Labels.Append(KeyValuePair.Create("__name__", onset.Series.Name)).ToDictionary(StringComparer.Ordinal),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Model} of {Key} refit ({Reason}); on held-back points the one in use raised {Current} false alarms, the candidate {Candidate}, of {Normal} known normal; the candidate {Outcome}")]
    private partial void LogRefit(string model, string key, string reason, int current, int candidate, int normal, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Detectors restored: {Count} series continue where they left off")]
    private partial void LogRestored(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "The metric groups changed since the detectors were saved: their series start afresh")]
    private partial void LogGroupsChanged();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The saved detector state cannot be read ({Reason}); every series starts afresh")]
    private partial void LogUnreadable(string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Metric group {Group}: {Series} opened an anomaly")]
    private partial void LogOpened(string group, SeriesKey series);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Forgot {Count} idle series; {Remaining} tracked")]
    private partial void LogEvicted(int count, int remaining);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Series cap of {Cap} reached: ignored {Count} samples of new series. Raise Detection:MaxSeries or drop high-cardinality labels at the source.")]
    private partial void LogCardinalityCap(int cap, long count);
}
