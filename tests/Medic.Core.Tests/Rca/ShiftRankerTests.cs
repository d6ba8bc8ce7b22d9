using Medic.Core.Rca.Shift;

namespace Medic.Core.Tests.Rca;

public sealed class ShiftRankerTests
{
    private static readonly double[] Quiet = [8, 9, 10, 11, 12];

    private static MetricWindow Metric(string candidate, double[] incident, double[]? before = null, ShiftDirection direction = ShiftDirection.Either) =>
        new(candidate, $"{candidate} latency", Quiet, incident) { PreOnset = before ?? [], Direction = direction };

    [Fact]
    public void The_score_counts_baseline_spreads_from_the_median_in_the_direction_that_counts()
    {
        // Median 10, interquartile range 2: a peak of 20 is five spreads up.
        Assert.Equal(5, ShiftScorer.Score(Metric("a", [20, 12])), 6);
        Assert.Equal(0, ShiftScorer.Score(Metric("a", [20, 12], direction: ShiftDirection.Down)));
        Assert.Equal(2.5, ShiftScorer.Score(Metric("a", [5, 10], direction: ShiftDirection.Down)), 6);
    }

    [Fact]
    public void A_level_already_reached_before_onset_is_not_news()
    {
        var drifted = Metric("a", [20, 21], before: [19, 20]);

        Assert.Equal(0.5, ShiftScorer.Score(drifted), 6);
    }

    [Fact]
    public void Missing_samples_are_skipped_and_a_flat_baseline_gets_a_floor_not_a_zero_spread()
    {
        var flat = new MetricWindow("a", "memory", [100, 100, 100, double.NaN], [double.NaN, 102]);

        Assert.Equal(2, ShiftScorer.Score(flat), 6); // spread floored at 1% of the level
    }

    [Fact]
    public void Down_the_calls_the_anomalous_candidate_whose_callees_are_quiet_comes_first()
    {
        // frontend → api → db; the database is the one that broke, the others only wait on it louder.
        var problem = new RcaProblem([Metric("frontend", [90]), Metric("api", [80]), Metric("db", [40]), Metric("cache", [12])])
        {
            Calls = [("frontend", "api"), ("api", "db"), ("api", "cache")],
            Target = "frontend",
        };

        var ranked = ShiftRanker.Rank(problem);

        Assert.Equal(["db", "api", "cache", "frontend"], ranked.Select(c => c.Name));
        Assert.True(ranked[0].Frontier);
    }

    [Fact]
    public void A_saturated_cpu_is_the_candidate_s_own_trouble_even_when_a_callee_is_slow_too()
    {
        // api's CPU is pinned, which also slows db's replies a little: api is no mere caller waiting on db.
        var cpu = new MetricWindow("api", "api cpu", Quiet, [90]) { Propagates = false };
        var problem = new RcaProblem([cpu, Metric("db", [40])]) { Calls = [("api", "db")] };

        var ranked = ShiftRanker.Rank(problem);

        Assert.Equal(["api", "db"], ranked.Select(c => c.Name));
        Assert.True(ranked[0].Frontier);
        Assert.False(ShiftRanker.Rank(problem with { Metrics = [cpu with { Propagates = true }, Metric("db", [40])] })[0].Name == "api");
    }

    [Fact]
    public void Without_a_call_graph_the_largest_shift_leads()
    {
        var ranked = ShiftRanker.Rank(new RcaProblem([Metric("a", [30]), Metric("b", [80]), Metric("b", [12])]));

        Assert.Equal(["b", "a"], ranked.Select(c => c.Name));
        Assert.Equal(35, ranked[0].Score, 6);
    }
}
