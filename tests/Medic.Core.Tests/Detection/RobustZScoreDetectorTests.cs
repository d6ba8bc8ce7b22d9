using Medic.Core.Detection;
using Medic.Core.Telemetry;

namespace Medic.Core.Tests.Detection;

public sealed class RobustZScoreDetectorTests
{
    private static readonly SeriesKey Latency = SeriesKey.Of("service_latency_p99_seconds", "service", "cart");
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Noisy_but_stationary_series_raises_no_anomaly()
    {
        var detector = new RobustZScoreDetector(new DetectionOptions());
        var random = new Random(7);
        var onsets = Enumerable.Range(0, 2000).Count(i => detector.Observe(At(i, 0.1 + (0.005 * Noise(random)))) is not null);
        Assert.Equal(0, onsets);
    }

    [Fact]
    public void Level_shift_opens_one_anomaly_after_two_abnormal_samples()
    {
        var detector = Warm(new RobustZScoreDetector(new DetectionOptions()), 0.1);
        Assert.Null(detector.Observe(At(100, 0.4)));
        var onset = detector.Observe(At(101, 0.4));

        Assert.NotNull(onset);
        Assert.Equal("HighLatency", onset.Value.Rule.AnomalyType);
        Assert.InRange(onset.Value.Expected, 0.099, 0.101);
        Assert.True(onset.Value.BandLow < 0.1 && onset.Value.BandHigh < 0.4);
        Assert.True(onset.Value.Score > 0.5);
        Assert.Null(detector.Observe(At(102, 0.4)));
    }

    [Fact]
    public void A_single_outlier_is_not_an_anomaly()
    {
        var detector = Warm(new RobustZScoreDetector(new DetectionOptions()), 0.1);
        Assert.Null(detector.Observe(At(100, 0.9)));
        Assert.Null(detector.Observe(At(101, 0.1)));
    }

    [Fact]
    public void An_anomaly_fires_again_only_after_the_series_was_normal_for_the_clear_count()
    {
        var detector = Warm(new RobustZScoreDetector(new DetectionOptions()), 0.1);
        detector.Observe(At(100, 0.5));
        Assert.NotNull(detector.Observe(At(101, 0.5)));
        for (var i = 102; i < 105; i++)
        {
            Assert.Null(detector.Observe(At(i, 0.1)));
        }

        Assert.Null(detector.Observe(At(105, 0.5)));
        Assert.NotNull(detector.Observe(At(106, 0.5)));
    }

    [Fact]
    public void Drop_of_an_up_only_metric_is_not_an_anomaly()
    {
        var detector = Warm(new RobustZScoreDetector(new DetectionOptions()), 0.1);
        Assert.Null(detector.Observe(At(100, 0.01)));
        Assert.Null(detector.Observe(At(101, 0.01)));
    }

    [Fact]
    public void Error_ratio_below_the_practical_floor_is_not_an_anomaly_however_unusual()
    {
        var errors = SeriesKey.Of("service_error_ratio", "service", "cart");
        var detector = new RobustZScoreDetector(new DetectionOptions());
        for (var i = 0; i < 60; i++)
        {
            detector.Observe(new Sample(errors, T0.AddSeconds(10 * i), 0.001 + (i % 2 * 0.0001)));
        }

        Assert.Null(detector.Observe(new Sample(errors, T0.AddSeconds(600), 0.015)));
        Assert.Null(detector.Observe(new Sample(errors, T0.AddSeconds(610), 0.015)));
        detector.Observe(new Sample(errors, T0.AddSeconds(620), 0.2));
        Assert.NotNull(detector.Observe(new Sample(errors, T0.AddSeconds(630), 0.2)));
    }

    [Fact]
    public void Series_beyond_the_cap_are_counted_and_ignored()
    {
        var detector = new RobustZScoreDetector(new DetectionOptions { MaxSeries = 2 });
        for (var i = 0; i < 3; i++)
        {
            detector.Observe(new Sample(SeriesKey.Of("service_latency_p99_seconds", "service", $"s{i}"), T0, 1));
        }

        Assert.Equal(2, detector.SeriesCount);
        Assert.Equal(1, detector.RejectedSamples);
    }

    [Fact]
    public void Quiet_series_are_forgotten_after_the_idle_timeout()
    {
        var detector = new RobustZScoreDetector(new DetectionOptions { IdleTimeout = TimeSpan.FromMinutes(5) });
        detector.Observe(At(0, 1));
        Assert.Equal(0, detector.EvictIdle(T0.AddMinutes(4)));
        Assert.Equal(1, detector.EvictIdle(T0.AddMinutes(6)));
        Assert.Equal(0, detector.SeriesCount);
    }

    [Fact]
    public void Metrics_without_a_rule_are_ignored_when_there_is_no_default_rule()
    {
        var detector = new RobustZScoreDetector(new DetectionOptions { DefaultRule = null });
        detector.Observe(new Sample(SeriesKey.Of("something_else"), T0, 1));
        Assert.Equal(0, detector.SeriesCount);
    }

    [Fact]
    public void Coming_back_to_the_level_before_a_long_anomaly_is_a_recovery_not_an_anomaly()
    {
        var hitRatio = SeriesKey.Of("cache_hit_ratio", "service", "redis");
        var detector = new RobustZScoreDetector(new DetectionOptions());
        var random = new Random(3);
        Sample Hit(int i, double level) => new(hitRatio, T0.AddSeconds(10 * i), level + (0.01 * Noise(random)));
        var onsets = new List<AnomalyOnset>();
        void Feed(int from, int to, double level) => onsets.AddRange(Enumerable.Range(from, to - from).Select(i => detector.Observe(Hit(i, level))).OfType<AnomalyOnset>());

        Feed(0, 100, 0.92);
        Feed(100, 280, 0.05); // The cache fails for half an hour: the baseline learns the low level.
        Assert.Single(onsets);
        Assert.Equal(Direction.Down, onsets[0].Value < onsets[0].Expected ? Direction.Down : Direction.Up);

        Feed(280, 400, 0.92); // Fixed: back where it was.
        Assert.Single(onsets);

        Feed(400, 600, 0.05); // Failing again is news.
        Assert.Equal(2, onsets.Count);
    }

    [Fact]
    public void A_level_not_held_while_normal_is_still_an_anomaly_after_an_anomaly_the_other_way()
    {
        var depth = SeriesKey.Of("queue_depth", "service", "orders");
        var detector = new RobustZScoreDetector(new DetectionOptions());
        var random = new Random(5);
        var onsets = Enumerable.Range(0, 300)
            .Select(i => detector.Observe(new Sample(depth, T0.AddSeconds(10 * i), (i < 100 ? 100 : i < 250 ? 20 : 900) * (1 + (0.02 * Noise(random))))))
            .OfType<AnomalyOnset>()
            .ToList();

        Assert.Equal(2, onsets.Count);
        Assert.True(onsets[1].Value > 800);
    }

    private static RobustZScoreDetector Warm(RobustZScoreDetector detector, double level)
    {
        var random = new Random(1);
        for (var i = 0; i < 100; i++)
        {
            Assert.Null(detector.Observe(At(i, level * (1 + (0.02 * Noise(random))))));
        }

        return detector;
    }

    private static Sample At(int i, double value) => new(Latency, T0.AddSeconds(10 * i), value);

    private static double Noise(Random random) => (random.NextDouble() * 2) - 1;
}
