using Medic.Core.Rca.Causal;
using Medic.Core.Rca.Shift;

namespace Medic.Core.Tests.Rca.Causal;

public sealed class GrangerRankerTests
{
    /// <summary>db drives api a step later, api drives frontend a step later; at onset db slows down. search is unrelated noise.</summary>
    private static RcaProblem Chain(bool withCalls)
    {
        var random = new Random(5);
        const int Baseline = 120, Incident = 40;
        var db = new double[Baseline + Incident];
        var api = new double[db.Length];
        var frontend = new double[db.Length];
        var search = new double[db.Length];
        for (var t = 0; t < db.Length; t++)
        {
            db[t] = (t > 0 ? 0.6 * db[t - 1] : 0) + random.NextDouble() + (t >= Baseline ? 3 : 0);
            api[t] = (t > 0 ? 1.2 * db[t - 1] : 0) + (0.3 * random.NextDouble());
            frontend[t] = (t > 0 ? 1.5 * api[t - 1] : 0) + (0.3 * random.NextDouble());
            search[t] = random.NextDouble();
        }

        MetricWindow Window(string name, double[] values) => new(name, name + " latency", values[..Baseline], values[Baseline..]);
        return new RcaProblem([Window("frontend", frontend), Window("api", api), Window("db", db), Window("search", search)])
        {
            Calls = withCalls ? [("frontend", "api"), ("api", "db"), ("frontend", "search")] : [],
        };
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // every pair tested
    public void The_service_whose_past_drives_the_others_is_ranked_first(bool withCalls)
    {
        var ranked = GrangerRanker.Rank(Chain(withCalls));

        Assert.Equal("db", ranked[0]);
        Assert.Equal(["api", "db", "frontend", "search"], ranked.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Windows_too_short_for_five_lags_try_fewer_rather_than_nothing()
    {
        var full = Chain(withCalls: true);
        var short_ = full with { Metrics = [.. full.Metrics.Select(m => m with { Baseline = m.Baseline[^14..], Incident = m.Incident[..6] })] };

        Assert.Equal(4, GrangerRanker.Rank(short_).Count);
    }
}
