using Medic.Core.Detection.Multivariate;
using Medic.Core.Learning.Drift;
using Medic.Core.Telemetry;

namespace Medic.Core.Tests.Learning;

/// <summary>Drift: distribution shift measures, the watch over a model's scores, and a forest refit, validated and swapped.</summary>
public sealed class DriftTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_population_stability_index_sums_share_differences_times_their_log_ratio()
    {
        // Shares 0.1/0.2/0.3/0.4 against 0.4/0.3/0.2/0.1: 2·(0.3·ln 4 + 0.1·ln 1.5) = 0.91287.
        Assert.Equal(0.91287, DistributionShift.PopulationStabilityIndex([10, 20, 30, 40], [40, 30, 20, 10]), 5);
        Assert.Equal(0, DistributionShift.PopulationStabilityIndex([10, 20, 30, 40], [20, 40, 60, 80]), 12);
        Assert.Throws<ArgumentException>(() => DistributionShift.PopulationStabilityIndex([1, 2], [1, 2, 3]));
    }

    [Fact]
    public void The_kolmogorov_smirnov_test_agrees_with_scipy()
    {
        // scipy.stats.ks_2samp on the same samples (values 0 to 3 repeated by the counts), method='asymp':
        // D = 0.4, p = 9.86e-8; and D = 0.01, p ≈ 1. Ours adds Stephens' small-sample correction, so p is close, not equal.
        var (d, p) = DistributionShift.KolmogorovSmirnov([10, 20, 30, 40], [40, 30, 20, 10]);
        Assert.Equal(0.4, d, 12);
        Assert.InRange(p, 9.86e-8 / 2, 9.86e-8 * 2);

        (d, p) = DistributionShift.KolmogorovSmirnov([100, 200, 300, 400], [90, 210, 310, 390]);
        Assert.Equal(0.01, d, 12);
        Assert.True(p > 0.99);
    }

    [Fact]
    public void The_watch_compares_the_latest_hour_with_the_same_hour_of_its_first_day_and_flags_a_shift()
    {
        var options = new DriftOptions();
        var watch = new DriftWatch(options, 0.3, 0.8);
        var random = new Random(3);
        var step = TimeSpan.FromSeconds(10);
        var at = T0;

        // Scores that follow the time of day (higher at night) are no drift: each hour is judged against its own.
        double Usual(DateTimeOffset time) => 0.42 + (0.05 * Math.Cos(2 * Math.PI * time.UtcDateTime.TimeOfDay.TotalHours / 24)) + (0.02 * Gaussian(random));
        var readings = new List<DriftReading>();
        for (; at < T0.AddDays(3); at += step)
        {
            if (watch.Observe(Usual(at), at) is { } reading)
            {
                readings.Add(reading);
            }
        }

        // The first day is the reference; the next two are judged hour by hour, each when the next begins.
        Assert.Equal(47, readings.Count);
        Assert.DoesNotContain(readings, r => r.Drifted);

        DriftReading? shifted = null;
        for (var end = at.AddHours(1); at <= end; at += step)
        {
            shifted = watch.Observe(Usual(at) + 0.04, at) ?? shifted;
        }

        Assert.True(shifted is { Drifted: true }, $"the shift was not flagged: {shifted}");
        Assert.True(shifted.Value.Psi >= options.Psi && shifted.Value.KsPValue < options.PValue);

        watch.Reset();
        Assert.Null(watch.Observe(0.5, at));
    }

    [Fact]
    public void A_forest_that_drifts_is_refit_validated_on_held_back_points_and_swapped_only_when_at_least_as_good()
    {
        var drift = new DriftOptions(MinPointsAnHour: 100, RecentPoints: 240);
        var vectors = new ServiceVectors(new MultivariateOptions(["rate", "latency", "errors"], Window: 512, RetrainEvery: 128) { Drift = drift }, maxServices: 10);
        var random = new Random(11);
        var step = TimeSpan.FromSeconds(30);
        var pointsADay = (int)(TimeSpan.FromDays(1) / step);
        var versions = new List<ModelVersion>();

        // A day and a half of one traffic level, then half as much again for good.
        var changeAt = 3 * pointsADay / 2;
        for (var i = 0; i < changeAt + (6 * drift.RecentPoints); i++)
        {
            var at = T0 + (i * step);
            var load = (i < changeAt ? 100 : 150) * (1 + (0.02 * Gaussian(random)));
            vectors.Observe(new Sample(SeriesKey.Of("latency", "service", "cart"), at, 0.2 + (0.0005 * load) + (0.005 * Gaussian(random))));
            vectors.Observe(new Sample(SeriesKey.Of("errors", "service", "cart"), at, 0.002 + (0.0005 * Math.Abs(Gaussian(random)))));
            vectors.Observe(new Sample(SeriesKey.Of("rate", "service", "cart"), at, load));
            if (i == changeAt - 1)
            {
                Assert.Empty(vectors.TakeVersions());
            }

            versions.AddRange(vectors.TakeVersions());
        }

        Assert.NotEmpty(versions);
        Assert.All(versions, v => Assert.Equal(("isolation_forest", "cart", "drift"), (v.Model, v.Key, v.Reason)));
        Assert.All(versions, v => Assert.Equal(v.Validation!.CandidateAtLeastAsGood && v.Validation.Conclusive, v.Swapped));
        var swap = versions.First(v => v.Swapped);
        Assert.Equal(2, swap.Version);
        Assert.True(swap.Drift is { Drifted: true });
        Assert.Equal(drift.RecentPoints - (int)Math.Round(drift.RecentPoints * drift.HeldBack), swap.TrainedOn);
        Assert.True(swap.Validation!.CandidateFalseAlarms <= swap.Validation.CurrentFalseAlarms);
    }

    [Fact]
    public void The_training_job_refits_each_forest_on_its_points_since_a_time_and_swaps_it_when_at_least_as_good()
    {
        // No drift watch and no regrowth after the first: only training can bring the forest up to date.
        var vectors = new ServiceVectors(new MultivariateOptions(["rate", "latency"], Window: 1_024, RetrainEvery: 400), maxServices: 10);
        var random = new Random(5);
        var step = TimeSpan.FromSeconds(30);
        var changeAt = T0 + (400 * step);
        var at = T0;
        for (var i = 0; i < 700; i++, at += step)
        {
            // The forest is grown on 400 points of one traffic level; then the level rises by half for good.
            var load = (at < changeAt ? 100 : 150) * (1 + (0.02 * Gaussian(random)));
            vectors.Observe(new Sample(SeriesKey.Of("latency", "service", "cart"), at, 0.2 + (0.0005 * load) + (0.005 * Gaussian(random))));
            vectors.Observe(new Sample(SeriesKey.Of("rate", "service", "cart"), at, load));
        }

        Assert.Empty(vectors.Retrain(at, at)); // nothing since now: too few points to refit on
        var refit = Assert.Single(vectors.Retrain(changeAt, at));

        Assert.Equal(("isolation_forest", "cart", "train", 2, 225), (refit.Model, refit.Key, refit.Reason, refit.Version, refit.TrainedOn));
        Assert.True(refit.Swapped);
        Assert.Equal(75, refit.Validation!.Normal);
        Assert.True(refit.Validation.CandidateFalseAlarms < refit.Validation.CurrentFalseAlarms, $"{refit.Validation}");
        Assert.Single(vectors.TakeVersions());
    }

    [Fact]
    public void A_candidate_that_would_miss_what_another_detector_found_abnormal_is_not_swapped_in()
    {
        var validation = new ModelValidation(Normal: 60, Abnormal: 10, CurrentFalseAlarms: 5, CandidateFalseAlarms: 0, CurrentCaught: 8, CandidateCaught: 3);
        Assert.False(validation.CandidateAtLeastAsGood);
        Assert.True(validation with { CandidateCaught = 8 } is { CandidateAtLeastAsGood: true });
        Assert.False(validation with { CandidateCaught = 8, CandidateFalseAlarms = 6 } is { CandidateAtLeastAsGood: true });
    }

    [Fact]
    public void A_judgement_on_a_handful_of_known_normal_points_is_inconclusive()
    {
        // A refit during a fault: one known-normal point held back, flagged by both.
        var validation = new ModelValidation(Normal: 1, Abnormal: 0, CurrentFalseAlarms: 1, CandidateFalseAlarms: 1, CurrentCaught: 0, CandidateCaught: 0);
        Assert.False(validation.Conclusive);
        Assert.True(validation with { Normal = ModelValidation.MinimumNormal } is { Conclusive: true });
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
