using Medic.Core.Telemetry;
using Medic.Core.Tests.Support;

namespace Medic.Core.Tests.Telemetry;

public sealed class RecentSamplesTests
{
    private static readonly SeriesKey Latency = SeriesKey.Of("service_latency_p99_seconds", "service", "cart");

    [Fact]
    public void Keeps_only_the_chosen_metrics_finite_values_and_the_span_behind_the_newest_sample()
    {
        var recent = new RecentSamples(["service_latency_p99_seconds"], TimeSpan.FromMinutes(2));
        var kept = recent.Record(new SampleBatch(
        [
            new Sample(Latency, Some.Start, 1),
            new Sample(SeriesKey.Of("service_request_rate", "service", "cart"), Some.Start, 5),
            new Sample(Latency, Some.Start.AddMinutes(1), double.NaN),
            new Sample(Latency, Some.Start.AddMinutes(3), 3),
        ]));

        Assert.Equal([1, 3], kept.Select(s => s.Value));
        var (series, history) = Assert.Single(recent.Series);
        Assert.Equal(Latency, series);
        Assert.Equal([3.0], history.Select(h => h.Value)); // the sample of Start is more than two minutes behind
    }

    [Fact]
    public void The_grid_averages_each_step_and_leaves_empty_steps_NaN()
    {
        var recent = new RecentSamples(["service_latency_p99_seconds"], TimeSpan.FromHours(1));
        recent.Record(new SampleBatch(
        [
            new Sample(Latency, Some.Start, 1),
            new Sample(Latency, Some.Start.AddSeconds(10), 3),
            new Sample(Latency, Some.Start.AddSeconds(40), 7),
        ]));

        var grid = recent.Grid(Latency, Some.Start, Some.Start.AddSeconds(60), TimeSpan.FromSeconds(15));

        Assert.Equal(4, grid.Length);
        Assert.Equal(2, grid[0]);
        Assert.True(double.IsNaN(grid[1]));
        Assert.Equal(7, grid[2]);
        Assert.True(double.IsNaN(grid[3]));
    }
}
