using System.Globalization;
using Medic.Core.Detection.Decomposition;
using Medic.Core.Tests.Support;

namespace Medic.Core.Tests.Detection;

/// <summary>STL against statsmodels' <c>STL</c> on the same series and parameters, and on series with known structure.</summary>
public sealed class StlTests
{
    private const string Reference = """
        import sys, json
        import numpy as np
        from statsmodels.tsa.seasonal import STL
        case = json.loads(sys.stdin.read())
        y = np.array(case.pop("y"), dtype=float)
        res = STL(y, **case).fit()
        for name in ("seasonal", "trend", "resid", "weights"):
            print(" ".join(repr(float(v)) for v in np.asarray(getattr(res, name))))
        """;

    public static TheoryData<string, int, int, bool, int, int, int, int, int> Cases => new()
    {
        // name, length, period, robust, seasonal, seasonal degree, trend degree, jump, seed
        { "hourly, robust, with outliers", 24 * 30, 24, true, 7, 1, 1, 1, 1 },
        { "monthly, not robust", 12 * 20, 12, false, 13, 1, 1, 1, 2 },
        { "daily at 5 minutes, robust", 288 * 8, 288, true, 7, 1, 1, 1, 3 },
        { "constant fits, with jumps", 7 * 60, 7, true, 9, 0, 0, 3, 4 },
        { "short, with jumps", 50, 6, false, 7, 1, 1, 2, 5 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Agrees_with_statsmodels_to_1e_6(string name, int length, int period, bool robust, int seasonal, int degree, int trendDegree, int jump, int seed)
    {
        var y = Series(length, period, seed);
        var options = new StlOptions { Period = period, Seasonal = seasonal, Robust = robust, SeasonalDegree = degree, TrendDegree = trendDegree, LowPassDegree = degree, SeasonalJump = jump, TrendJump = jump, LowPassJump = jump };

        var ours = Stl.Decompose(y, options);
        var input = $$"""{"y": [{{string.Join(",", y.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}}], "period": {{period}}, "seasonal": {{seasonal}}, "robust": {{(robust ? "true" : "false")}}, "seasonal_deg": {{degree}}, "trend_deg": {{trendDegree}}, "low_pass_deg": {{degree}}, "seasonal_jump": {{jump}}, "trend_jump": {{jump}}, "low_pass_jump": {{jump}}}""";
        var theirs = (await DebianPython.RunAsync(Reference, input))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();

        foreach (var (component, ourValues, theirValues) in new[] { ("seasonal", ours.Seasonal, theirs[0]), ("trend", ours.Trend, theirs[1]), ("resid", ours.Residual, theirs[2]), ("weights", ours.Weights, theirs[3]) })
        {
            Assert.Equal(theirValues.Length, ourValues.Length);
            var worst = ourValues.Zip(theirValues, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= 1e-6, $"{name}: {component} differs by up to {worst}");
        }
    }

    [Fact]
    public void Separates_a_season_a_trend_and_an_outlier_that_the_robust_fit_leaves_in_the_residual()
    {
        var random = new Random(7);
        var y = Enumerable.Range(0, 24 * 20).Select(i => (0.05 * i) + (3 * Math.Sin(2 * Math.PI * i / 24)) + (0.1 * (random.NextDouble() - 0.5))).ToArray();
        y[300] += 40;

        var result = Stl.Decompose(y, new StlOptions { Period = 24, Robust = true });

        Assert.True(result.Residual[300] > 35, $"residual {result.Residual[300]}");
        Assert.Equal(0, result.Weights[300]);
        Assert.InRange(result.Trend[200] - (0.05 * 200), -0.2, 0.2);
        Assert.InRange(result.Seasonal[24 * 10 + 6], 2.7, 3.3);
        Assert.True(result.Residual.Where((_, i) => i != 300).Max(Math.Abs) < 0.5);
    }

    [Fact]
    public void Options_that_do_not_suit_the_series_are_refused_with_the_reason()
    {
        var problem = Assert.Throws<ArgumentException>(() => Stl.Decompose(new double[30], new StlOptions { Period = 24 }));
        Assert.Contains("STL needs at least two periods (48)", problem.Message, StringComparison.Ordinal);
        Assert.Contains("seasonal must be an odd integer", Assert.Throws<ArgumentException>(() => Stl.Decompose(new double[100], new StlOptions { Period = 12, Seasonal = 8 })).Message, StringComparison.Ordinal);
    }

    /// <summary>A season, a slow trend, noise and a few outliers.</summary>
    private static double[] Series(int length, int period, int seed)
    {
        var random = new Random(seed);
        var y = Enumerable.Range(0, length)
            .Select(i => (10 * Math.Sin(2 * Math.PI * i / period)) + (0.01 * i) + (5 * Math.Sin(2 * Math.PI * i / (length / 1.5))) + random.NextDouble())
            .ToArray();
        for (var k = 0; k < length / 100; k++)
        {
            y[random.Next(length)] += 30 * (random.NextDouble() - 0.5);
        }

        return y;
    }
}
