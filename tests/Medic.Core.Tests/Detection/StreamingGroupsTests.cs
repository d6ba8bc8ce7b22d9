using Medic.Core.Detection;
using Medic.Core.Detection.Streaming;
using Medic.Core.Telemetry;
using Medic.Core.Telemetry.Storage;

namespace Medic.Core.Tests.Detection;

public sealed class StreamingGroupsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_group_with_automatic_seasons_finds_each_series_own_and_then_judges_it()
    {
        var group = new MetricGroup("auto", LabelMatcher.ParseSelector("requests_per_second"), DetectionModel.HoltWinters, new StreamingOptions()) { AutoPeriod = true };
        var groups = new StreamingGroups([group], maxSeries: 100);
        var daily = SeriesKey.Of("requests_per_second", "service", "cart");
        var hourly = SeriesKey.Of("requests_per_second", "service", "batch");
        var flat = SeriesKey.Of("requests_per_second", "service", "idle");
        var random = new Random(1);
        var opened = new List<int>();

        for (var i = 0; i < 288 * 5; i++)
        {
            var at = T0.AddMinutes(5 * i);
            var spike = i is >= (288 * 4) + 100 and < (288 * 4) + 105 ? 60 : 0;
            Assert.True(groups.TryObserve(new Sample(daily, at, 100 + (30 * Math.Sin(2 * Math.PI * i / 288)) + random.NextDouble() + spike), out _, out var verdict));
            groups.TryObserve(new Sample(hourly, at, 50 + (10 * Math.Sin(2 * Math.PI * i / 12)) + random.NextDouble()), out _, out _);
            groups.TryObserve(new Sample(flat, at, 7 + random.NextDouble()), out _, out _);
            if (verdict.Change == SignalChange.Opened)
            {
                opened.Add(i);
            }
        }

        Assert.Equal(288, groups.SeasonOf(daily));
        Assert.Equal(12, groups.SeasonOf(hourly));
        Assert.Equal(1, groups.SeasonOf(flat));
        Assert.InRange(Assert.Single(opened), (288 * 4) + 100, (288 * 4) + 104);
    }
}
