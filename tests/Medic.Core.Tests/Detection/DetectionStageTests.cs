using Medic.Core.Detection;
using Medic.Core.Detection.Streaming;
using Medic.Core.Learning.Drift;
using Medic.Core.Signals;
using Medic.Core.Telemetry;
using Medic.Core.Telemetry.Storage;
using Medic.Core.Tests.Support;
using Medic.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medic.Core.Tests.Detection;

/// <summary>The detection stage routes each series to its metric group's model.</summary>
public sealed class DetectionStageTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly SeriesKey Latency = SeriesKey.Of("service_latency_p99_seconds", "service", "cart", "namespace", "shop");
    private static readonly SeriesKey Batch = SeriesKey.Of("job_duration_seconds", "service", "batch", "namespace", "shop");

    [Fact]
    public async Task A_holt_winters_group_raises_the_signal_with_its_onset_band_and_model_and_a_none_group_is_ignored()
    {
        var bus = new RecordingBus();
        var options = new DetectionOptions
        {
            Groups =
            [
                new MetricGroup("latency", LabelMatcher.ParseSelector("service_latency_p99_seconds{namespace=\"shop\"}"), DetectionModel.HoltWinters, new StreamingOptions { Period = 24 }),
                new MetricGroup("batch", LabelMatcher.ParseSelector("job_duration_seconds"), DetectionModel.None, new StreamingOptions()),
            ],
        };
        var stage = new DetectionStage(bus, options, NullLogger<DetectionStage>.Instance);
        var random = new Random(1);

        for (var i = 0; i < 24 * 8; i++)
        {
            var spike = i is >= 150 and < 155 ? 2.0 : 0;
            var value = 0.2 + (0.05 * Math.Sin(2 * Math.PI * i / 24)) + (0.005 * random.NextDouble()) + spike;
            await stage.HandleAsync(new SampleBatch([new Sample(Latency, T0.AddMinutes(i), value), new Sample(Batch, T0.AddMinutes(i), i == 150 ? 1e6 : 5)]), CancellationToken.None);
        }

        var signal = Assert.Single(bus.Messages.OfType<Signal>());
        Assert.Equal(DetectionStage.HoltWintersModel, signal.Model);
        Assert.Equal(T0.AddMinutes(150), signal.ObservedAt);
        Assert.Equal("HighLatency", signal.Type);
        Assert.True(signal.Value > signal.BandHigh && signal.BandLow < signal.Expected && signal.Expected < signal.BandHigh);
        Assert.InRange(signal.Score, 0.5, 1);
        Assert.Contains("above the expected", signal.Summary, StringComparison.Ordinal);
        Assert.Equal("up", signal.Direction);
    }

    [Fact]
    public async Task An_arima_group_raises_its_signals_with_its_model()
    {
        var bus = new RecordingBus();
        var options = new DetectionOptions
        {
            Groups = [new MetricGroup("queues", LabelMatcher.ParseSelector("service_latency_p99_seconds"), DetectionModel.Arima, new StreamingOptions { Period = 1 })],
        };
        var stage = new DetectionStage(bus, options, NullLogger<DetectionStage>.Instance);
        var random = new Random(2);

        for (var i = 0; i < 900; i++)
        {
            var value = 0.2 + (0.01 * random.NextDouble()) + (i is >= 800 and < 805 ? 1.0 : 0);
            await stage.HandleAsync(new SampleBatch([new Sample(Latency, T0.AddMinutes(i), value)]), CancellationToken.None);
        }

        var signal = Assert.Single(bus.Messages.OfType<Signal>());
        Assert.Equal(DetectionStage.ArimaModel, signal.Model);
        Assert.Equal(T0.AddMinutes(800), signal.ObservedAt);
    }

    [Fact]
    public async Task After_a_restore_the_detectors_continue_bit_for_bit_as_an_uninterrupted_run()
    {
        var options = new DetectionOptions
        {
            Groups =
            [
                new MetricGroup("latency", LabelMatcher.ParseSelector("service_latency_p99_seconds"), DetectionModel.HoltWinters, new StreamingOptions { Period = 24 }),
                new MetricGroup("queues", LabelMatcher.ParseSelector("queue_depth"), DetectionModel.Arima, new StreamingOptions { Period = 24 }),
            ],
        };
        var queue = SeriesKey.Of("queue_depth", "service", "orders");
        var errors = SeriesKey.Of("service_error_ratio", "service", "cart");
        var random = new Random(3);
        var batches = Enumerable.Range(0, 24 * 40).Select(i => new SampleBatch(
        [
            new Sample(Latency, T0.AddMinutes(i), 0.2 + (0.05 * Math.Sin(2 * Math.PI * i / 24)) + (0.01 * random.NextDouble()) + (i % 300 >= 295 ? 1 : 0)),
            new Sample(queue, T0.AddMinutes(i), 100 + (20 * Math.Sin(2 * Math.PI * i / 24)) + (3 * random.NextDouble()) + (i % 400 >= 395 ? 80 : 0)),
            new Sample(errors, T0.AddMinutes(i), 0.01 + (0.002 * random.NextDouble()) + (i % 350 >= 345 ? 0.2 : 0)),
        ])).ToList();
        var (uninterruptedBus, restoredBus) = (new RecordingBus(), new RecordingBus());
        var uninterrupted = new DetectionStage(uninterruptedBus, options, NullLogger<DetectionStage>.Instance);
        var half = batches.Count / 2;
        foreach (var batch in batches.Take(half))
        {
            await uninterrupted.HandleAsync(batch, CancellationToken.None);
        }

        var restored = new DetectionStage(restoredBus, options, NullLogger<DetectionStage>.Instance);
        Assert.True(restored.Restore(uninterrupted.Checkpoint()));
        uninterruptedBus.Clear();
        foreach (var batch in batches.Skip(half))
        {
            await uninterrupted.HandleAsync(batch, CancellationToken.None);
            await restored.HandleAsync(batch, CancellationToken.None);
        }

        Assert.Equal(uninterrupted.Checkpoint(), restored.Checkpoint());

        // Labels compare by content: a record compares its dictionary by reference.
        var noLabels = new Dictionary<string, string>();
        (Signal Signal, string Labels) Comparable(Signal s) => (s with { Id = "", Labels = noLabels }, string.Join(',', s.Labels.OrderBy(l => l.Key, StringComparer.Ordinal)));
        var expected = uninterruptedBus.Messages.OfType<Signal>().Select(Comparable).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, restoredBus.Messages.OfType<Signal>().Select(Comparable));
        Assert.Contains(expected, s => s.Signal.Model == DetectionStage.ArimaModel);
        Assert.Contains(expected, s => s.Signal.Model == DetectionStage.HoltWintersModel);
        Assert.Contains(expected, s => s.Signal.Model == RobustZScoreDetector.Model);
    }

    [Fact]
    public void A_checkpoint_from_other_groups_restores_only_the_default_detector_and_garbage_is_refused()
    {
        var before = new DetectionStage(new RecordingBus(), new DetectionOptions(), NullLogger<DetectionStage>.Instance);
        var changed = new DetectionOptions { Groups = [new MetricGroup("x", LabelMatcher.ParseSelector("x"), DetectionModel.HoltWinters, new StreamingOptions())] };

        Assert.True(new DetectionStage(new RecordingBus(), changed, NullLogger<DetectionStage>.Instance).Restore(before.Checkpoint()));
        Assert.False(before.Restore([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    }

    [Fact]
    public async Task A_services_metrics_abnormal_together_raise_one_multivariate_signal()
    {
        var bus = new RecordingBus();
        var options = new DetectionOptions { Multivariate = new(["rate", "latency", "errors"], RetrainEvery: 256), DefaultRule = null, Rules = new Dictionary<string, MetricRule>() };
        await FeedBrokenCartAsync(new DetectionStage(bus, options, NullLogger<DetectionStage>.Instance));

        var signal = Assert.Single(bus.Messages.OfType<Signal>());
        Assert.Equal(DetectionStage.MultivariateType, signal.Type);
        Assert.Equal(DetectionStage.IsolationForestModel, signal.Model);
        Assert.Equal("service/cart", signal.Entity.ToString());
        Assert.InRange(signal.ObservedAt, T0.AddMinutes(1_500), T0.AddMinutes(1_503));
        Assert.Contains("of service/cart are together unlike its recent past", signal.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_in_shadow_raises_no_signal_but_counts_what_it_would_have_raised()
    {
        var bus = new RecordingBus();
        var records = new ModelRecords();
        var options = new DetectionOptions { Multivariate = new(["rate", "latency", "errors"], RetrainEvery: 256) { Shadow = true }, DefaultRule = null, Rules = new Dictionary<string, MetricRule>() };
        await FeedBrokenCartAsync(new DetectionStage(bus, options, NullLogger<DetectionStage>.Instance, models: records));

        Assert.Empty(bus.Messages.OfType<Signal>());
        var alarm = Assert.Single(records.ShadowAlarms);
        Assert.Equal((DetectionStage.IsolationForestModel, "cart"), (alarm.Model, alarm.Key));
        Assert.InRange(alarm.At, T0.AddMinutes(1_500), T0.AddMinutes(1_503));
    }

    [Fact]
    public async Task The_training_job_s_refit_of_the_forests_happens_at_the_next_tick_and_is_recorded()
    {
        var (records, versions) = (new ModelRecords(), new InMemoryModelVersionStore());
        var options = new DetectionOptions { Multivariate = new(["rate", "latency", "errors"], RetrainEvery: 256), DefaultRule = null, Rules = new Dictionary<string, MetricRule>() };
        var stage = new DetectionStage(new RecordingBus(), options, NullLogger<DetectionStage>.Instance, models: records, versions: versions);
        await FeedBrokenCartAsync(stage);

        var training = stage.RetrainAsync(T0.AddMinutes(1_000), CancellationToken.None);
        Assert.False(training.IsCompleted); // the stage's own thread refits, at its tick
        await stage.OnTickAsync(T0.AddMinutes(1_600), CancellationToken.None);

        var refit = Assert.Single(await training);
        Assert.Equal((DetectionStage.IsolationForestModel, "cart", "train", 450), (refit.Model, refit.Key, refit.Reason, refit.TrainedOn));
        Assert.Equal(150, refit.Validation!.Normal); // the latest quarter of the 600 points since, held back
        Assert.Same(refit, Assert.Single(await versions.ListAsync(10, CancellationToken.None)));
        Assert.Same(refit, Assert.Single(records.Versions));
        Assert.Empty(await new DetectionStage(new RecordingBus(), new DetectionOptions(), NullLogger<DetectionStage>.Instance).RetrainAsync(T0, CancellationToken.None));
    }

    private static async Task FeedBrokenCartAsync(DetectionStage stage)
    {
        var random = new Random(5);

        for (var i = 0; i < 1_600; i++)
        {
            // Latency and errors follow the load; at 1,500 errors climb while the load falls: together they are far off what was usual.
            var load = 100 + (20 * Math.Sin(2 * Math.PI * i / 200)) + random.NextDouble();
            var broken = i is >= 1_500 and < 1_520;
            var at = T0.AddMinutes(i);
            await stage.HandleAsync(new SampleBatch(
            [
                new Sample(SeriesKey.Of("latency", "service", "cart"), at, (0.002 * load) + (0.01 * random.NextDouble())),
                new Sample(SeriesKey.Of("errors", "service", "cart"), at, broken ? 0.06 : (0.0003 * load) + (0.002 * random.NextDouble())),
                new Sample(SeriesKey.Of("rate", "service", "cart"), at, broken ? 85 : load),
            ]), CancellationToken.None);
        }
    }
}
