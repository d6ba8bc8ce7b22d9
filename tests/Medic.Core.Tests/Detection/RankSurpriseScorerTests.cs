using Medic.Core.Detection;
using Medic.Core.Detection.Models;

namespace Medic.Core.Tests.Detection;

/// <summary>The NAB default scorer on series with known anomalies: each is one alarm, at its onset, above anything the normal part scores.</summary>
public sealed class RankSurpriseScorerTests
{
    private const int Length = 3_000;
    private const int Onset = 2_000;

    [Fact]
    public void A_spike_scores_above_everything_else()
    {
        var series = Noise(1).ToArray();
        series[Onset] += 8;

        AssertAlarmAtOnset(series, Onset);
    }

    [Fact]
    public void A_level_shift_alarms_once_at_its_onset_not_for_as_long_as_it_lasts()
    {
        var series = Noise(2).Select((v, i) => i >= Onset ? v + 3 : v).ToArray();

        var scores = AssertAlarmAtOnset(series, Onset);

        // The recent mean takes 5 values to move all the way: alarms while it grows, then none as strong for the rest of the shift.
        var strongest = Surprise(scores.Max());
        Assert.All(scores.Index().Where(s => s.Index > Onset + 5), s => Assert.True(Surprise(s.Item) < strongest / 2, $"{s.Index}: {s.Item}"));
    }

    [Fact]
    public void A_level_shift_is_found_after_spikes_that_moved_the_recent_mean_further()
    {
        // Early spikes of 30 move the mean of 5 by 6, twice what the lasting shift of 3 does later; the median of 5 they do not move.
        var series = Noise(5).Select((v, i) => v + (i < 1_200 && i % 100 == 50 ? 30 : 0) + (i >= Onset ? 3 : 0)).ToArray();
        var scores = Scores(series);

        var normal = scores[1_300..Onset].Max();
        var shift = scores[Onset..(Onset + 10)].Max();
        Assert.True(shift > normal, $"the shift scored {shift} in its first ten values, the noise after the spikes up to {normal}");
    }

    [Fact]
    public void A_break_in_a_daily_pattern_is_found_though_every_value_stays_within_the_usual_range()
    {
        // A daily sine (288 steps of 5 minutes) that stops rising for half a day: no value is unusual on its own.
        var random = new Random(3);
        var series = Enumerable.Range(0, Length).Select(i => (i is >= Onset and < Onset + 144 ? 0 : 10 * Math.Sin(2 * Math.PI * i / 288)) + (0.2 * Normal(random))).ToArray();

        AssertAlarmAtOnset(series, Onset, tolerance: 72);
    }

    [Fact]
    public void The_season_is_found_from_the_autocorrelation()
    {
        var random = new Random(4);
        var daily = Enumerable.Range(0, 1_000).Select(i => Math.Sin(2 * Math.PI * i / 288) + (0.3 * Normal(random))).ToArray();
        var noise = Enumerable.Range(0, 1_000).Select(_ => Normal(random)).ToArray();

        Assert.InRange(PeriodFinder.Find(daily, 4, 500), 282, 294);
        Assert.Equal(0, PeriodFinder.Find(noise, 4, 500));
        Assert.Equal(0, PeriodFinder.Find(new double[1_000], 4, 500));

        // A smooth season under noise: the correlation dips a few lags in, and the next bump is not a season.
        var smooth = Noise(6).Take(450).Select((v, i) => (3 * Math.Sin(2 * Math.PI * i / 150)) + v).ToArray();
        Assert.InRange(PeriodFinder.Find(smooth, 4, 225), 143, 157);
    }

    [Theory]
    [InlineData(3.0, 150)] // the season explains 82% of the variance: the value a season ago is the better forecast
    [InlineData(1.0, 0)] // 33%: the level is the better forecast, and the seasonal difference would only add noise
    public void A_season_is_watched_only_when_it_forecasts_better_than_the_level(double amplitude, int expected)
    {
        var noise = Noise(6).ToArray();
        var scorer = new RankSurpriseScorer(baseline: 450, history: 8_000, local: 5, quiet: 112, warmUp: 450);
        for (var i = 0; i < 500; i++)
        {
            scorer.Observe((amplitude * Math.Sin(2 * Math.PI * i / 150)) + noise[i]);
        }

        Assert.InRange(scorer.Period, expected - (expected / 20), expected + (expected / 20));
    }

    private static double[] AssertAlarmAtOnset(double[] series, int onset, int tolerance = 5)
    {
        var scores = Scores(series);

        var top = Array.IndexOf(scores, scores.Max());
        Assert.InRange(top, onset, onset + tolerance);
        Assert.All(scores, s => Assert.InRange(s, 0, 1));
        return scores;
    }

    /// <summary>The scores of a fresh scorer over <paramref name="series"/>, as the NAB runner sets it up for a file of 3,000 values.</summary>
    private static double[] Scores(double[] series)
    {
        var scorer = new RankSurpriseScorer(baseline: 450, history: 8_000, local: 5, quiet: 112, warmUp: 450);
        return [.. series.Select(scorer.Observe)];
    }

    /// <summary>The -log10 p-value a score stands for.</summary>
    private static double Surprise(double score) => score / (1 - score);

    private static IEnumerable<double> Noise(int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Length).Select(_ => Normal(random));
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
