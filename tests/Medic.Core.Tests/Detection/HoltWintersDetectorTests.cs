using Medic.Core.Detection.Streaming;

namespace Medic.Core.Tests.Detection;

/// <summary>The streaming Holt-Winters detector on daily-seasonal series with known anomalies.</summary>
public sealed class HoltWintersDetectorTests
{
    private const int Period = 288;
    private const int Onset = 5 * Period;
    private static readonly StreamingOptions Options = new() { Period = Period };

    [Fact]
    public void Pure_seasonal_noise_opens_no_signal()
    {
        var (signals, _) = Run(Series(1, 10 * Period));

        Assert.Empty(signals);
    }

    [Fact]
    public void A_spike_burst_opens_one_signal_at_its_onset_with_direction_expected_value_and_band()
    {
        var series = Series(2, 8 * Period);
        for (var i = Onset; i < Onset + 5; i++)
        {
            series[i] += 30;
        }

        var (signals, verdicts) = Run(series);

        var (at, verdict) = Assert.Single(signals);
        Assert.Equal(Onset, at - verdict.Onset);
        Assert.Equal(1, verdict.Direction(series[at]));
        Assert.True(verdict.Score > 0.9, $"score {verdict.Score}");
        Assert.True(verdict.Confidence > 0.9);
        Assert.InRange(verdict.Expected, Clean(at) - 3, Clean(at) + 3);
        Assert.True(verdict.Lower < verdict.Expected && verdict.Expected < verdict.Upper);
        Assert.Contains(verdicts.Skip(Onset + 5), v => v.Change == SignalChange.Closed);
    }

    [Fact]
    public void A_level_shift_that_lasts_is_one_signal_not_one_per_value()
    {
        var series = Series(3, 10 * Period).Select((v, i) => i >= Onset ? v - 25 : v).ToArray();

        var (signals, _) = Run(series);

        var (at, verdict) = Assert.Single(signals);
        Assert.InRange(at - verdict.Onset, Onset, Onset + 3);
        Assert.Equal(-1, verdict.Direction(series[at]));
    }

    [Fact]
    public void A_break_in_the_daily_pattern_is_found_though_every_value_stays_in_the_usual_range()
    {
        // The cycle stops for half a day at its mean: every value is one the series takes each day.
        var series = Series(4, 8 * Period);
        for (var i = Onset; i < Onset + (Period / 2); i++)
        {
            series[i] = 100 + (series[i] - Clean(i));
        }

        var (signals, _) = Run(series);

        Assert.NotEmpty(signals);
        Assert.InRange(signals[0].At, Onset, Onset + (Period / 4));
    }

    [Fact]
    public void A_trend_change_is_found()
    {
        var series = Series(5, 10 * Period).Select((v, i) => i >= Onset ? v + (0.2 * (i - Onset)) : v).ToArray();

        var (signals, _) = Run(series);

        Assert.NotEmpty(signals);
        Assert.InRange(signals[0].At, Onset, Onset + Period);
    }

    [Fact]
    public void A_flapping_series_opens_one_signal_not_fifty()
    {
        var series = Series(6, 8 * Period);
        for (var i = Onset; i < Onset + 200; i++)
        {
            series[i] += i % 2 == 0 ? 40 : 0;
        }

        var (signals, _) = Run(series);

        Assert.Single(signals);
    }

    [Fact]
    public void After_a_restore_every_score_is_bit_identical_to_an_uninterrupted_run()
    {
        var first = Series(7, 6 * Period);
        var second = Series(8, 6 * Period);
        second[Onset] += 50;
        var whole = new HoltWintersDetector(Options);
        var split = new HoltWintersDetector(Options);
        int[] handles = [whole.Add(), whole.Add()];
        Assert.Equal(handles, new[] { split.Add(), split.Add() });

        var half = 4 * Period;
        for (var i = 0; i < half; i++)
        {
            whole.Observe(0, first[i]);
            whole.Observe(1, second[i]);
            split.Observe(0, first[i]);
            split.Observe(1, second[i]);
        }

        using var saved = new MemoryStream();
        split.Save(saved);
        saved.Position = 0;
        var restored = HoltWintersDetector.Restore(saved, Options);

        for (var i = half; i < first.Length; i++)
        {
            Assert.Equal(whole.Observe(0, first[i]), restored.Observe(0, first[i]));
            Assert.Equal(whole.Observe(1, second[i]), restored.Observe(1, second[i]));
        }

        Assert.Throws<InvalidDataException>(() => HoltWintersDetector.Restore(new MemoryStream(saved.ToArray()), Options with { Period = 24 }));
    }

    [Fact]
    public void A_released_handle_is_reused_and_starts_afresh()
    {
        var detector = new HoltWintersDetector(Options, capacity: 1);
        var a = detector.Add();
        var b = detector.Add();
        foreach (var v in Series(9, 3 * Period))
        {
            detector.Observe(a, v);
        }

        detector.Release(a);

        Assert.Equal(a, detector.Add());
        Assert.Equal(0, detector.Observe(a, 5).Confidence);
        Assert.NotEqual(a, b);
        Assert.Equal(2, detector.Count);
    }

    /// <summary>A daily cycle around 100 with noise.</summary>
    private static double[] Series(int seed, int length)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(i => Clean(i) + (2 * (random.NextDouble() - 0.5)))];
    }

    private static double Clean(int i) => 100 + (20 * Math.Sin(2 * Math.PI * i / Period));

    private static (List<(int At, Verdict Verdict)> Signals, List<Verdict> Verdicts) Run(double[] series)
    {
        var detector = new HoltWintersDetector(Options);
        var handle = detector.Add();
        var verdicts = series.Select(v => detector.Observe(handle, v)).ToList();
        return ([.. verdicts.Index().Where(v => v.Item.Change == SignalChange.Opened).Select(v => (v.Index, v.Item))], verdicts);
    }
}
