using MathNet.Numerics.Distributions;
using Medic.Core.Rca.Causal;
using Xunit.Abstractions;

namespace Medic.Core.Tests.Rca.Causal;

/// <summary>Granger causality on planted lagged influences and on independent series.</summary>
public sealed class GrangerTestTests(ITestOutputHelper output)
{
    private static readonly GrangerOptions Defaults = new();

    [Fact]
    public void A_planted_lag_two_influence_is_found_in_its_direction_and_not_back()
    {
        var random = new Random(1);
        var x = Noise(500, random);
        var y = Lagged(x, 2, 0.6, random);

        var forward = GrangerTest.Test(x, y, Defaults);
        var backward = GrangerTest.Test(y, x, Defaults);

        output.WriteLine($"x→y: lag {forward.Lag}, F {forward.FStatistic:0.0}, p {forward.PValue:E2}; y→x: lag {backward.Lag}, F {backward.FStatistic:0.00}, p {backward.PValue:0.000}");
        Assert.True(forward.PValue < 0.01, $"x→y p {forward.PValue}");
        Assert.True(forward.Causes(0.01));
        Assert.Equal(0, forward.Differences);
        Assert.Equal(2, forward.Lag);
        Assert.False(backward.Causes(0.01), $"y→x p {backward.PValue}");
    }

    [Fact]
    public void Aic_finds_the_planted_influence_too_at_a_lag_of_at_least_two()
    {
        var random = new Random(2);
        var x = Noise(500, random);
        var y = Lagged(x, 2, 0.6, random);

        var result = GrangerTest.Test(x, y, new GrangerOptions { Criterion = LagCriterion.Aic });

        Assert.True(result.Lag >= 2, $"lag {result.Lag}");
        Assert.True(result.Causes(0.01), $"p {result.PValue}");
    }

    [Fact]
    public void A_random_walk_cause_is_differenced_once_and_its_influence_still_found()
    {
        var random = new Random(3);
        var walk = new double[400];
        for (var t = 1; t < walk.Length; t++)
        {
            walk[t] = walk[t - 1] + Normal.Sample(random, 0, 1);
        }

        var y = Lagged(walk, 2, 0.6, random);

        var forward = GrangerTest.Test(walk, y, Defaults);
        var backward = GrangerTest.Test(y, walk, Defaults);

        output.WriteLine($"walk→y: {forward}; y→walk: {backward}");
        Assert.Equal(1, forward.Differences);
        Assert.True(forward.PValue < 0.01, $"walk→y p {forward.PValue}");
        Assert.False(backward.Causes(0.01), $"y→walk p {backward.PValue}");
    }

    [Fact]
    public void Independent_ar1_pairs_are_found_causal_at_about_the_nominal_rate()
    {
        // 400 pairs: at a true rate of 0.05 the count is Binomial(400, 0.05), sd 4.4 around 20;
        // 0.02..0.09 is about −3.4 to +3.7 sd.
        var random = new Random(4);
        var rejections = 0;
        for (var pair = 0; pair < 400; pair++)
        {
            var x = Ar1(300, 0.5, random);
            var y = Ar1(300, 0.5, random);
            rejections += GrangerTest.Test(x, y, Defaults).Causes(0.05) ? 1 : 0;
        }

        var rate = rejections / 400.0;
        output.WriteLine($"false positive rate at α = 0.05: {rate:0.000} ({rejections} of 400)");
        Assert.InRange(rate, 0.02, 0.09);
    }

    [Fact]
    public void Dickey_fuller_calls_about_5_percent_of_random_walks_stationary_and_every_ar1()
    {
        var random = new Random(7);
        var walks = 0;
        var autoregressions = 0;
        for (var i = 0; i < 400; i++)
        {
            var steps = Noise(300, random);
            var walk = new double[300];
            for (var t = 1; t < walk.Length; t++)
            {
                walk[t] = walk[t - 1] + steps[t];
            }

            walks += AugmentedDickeyFuller.LooksStationary(walk) ? 1 : 0;
            autoregressions += AugmentedDickeyFuller.LooksStationary(Ar1(300, 0.5, random)) ? 1 : 0;
        }

        output.WriteLine($"random walks called stationary: {walks / 400.0:0.000}; AR(1) with φ = 0.5: {autoregressions / 400.0:0.000}");
        Assert.InRange(walks / 400.0, 0.02, 0.09);
        Assert.Equal(400, autoregressions);
    }

    [Fact]
    public void A_constant_series_causes_nothing_and_nothing_causes_it()
    {
        var x = Noise(100, new Random(5));
        var constant = Enumerable.Repeat(42.0, 100).ToArray();
        var ramp = Enumerable.Range(0, 100).Select(t => 0.1 * t).ToArray();

        Assert.Equal(new GrangerResult(0, 0, 1, 0), GrangerTest.Test(constant, x, Defaults));
        Assert.Equal(new GrangerResult(0, 0, 1, 0), GrangerTest.Test(x, constant, Defaults));

        // A ramp is not stationary; differenced once it is constant (up to rounding).
        Assert.Equal(new GrangerResult(0, 0, 1, 1), GrangerTest.Test(ramp, x, Defaults));
    }

    [Fact]
    public void Series_too_short_unequal_or_not_finite_are_rejected_with_the_reason()
    {
        var random = new Random(6);
        var options = new GrangerOptions { MaxLag = 5 };

        Assert.Equal(28, options.MinimumLength);
        Assert.Contains("at least 28 samples", Assert.Throws<ArgumentException>(() => GrangerTest.Test(Noise(27, random), Noise(27, random), options)).Message, StringComparison.Ordinal);
        Assert.Contains("same number of samples", Assert.Throws<ArgumentException>(() => GrangerTest.Test(Noise(40, random), Noise(41, random), options)).Message, StringComparison.Ordinal);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => GrangerTest.Test([.. Noise(39, random), double.NaN], Noise(40, random), options)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => GrangerTest.Test(Noise(40, random), Noise(40, random), new GrangerOptions { MaxLag = 0 }));

        var shortest = GrangerTest.Test(Noise(28, random), Noise(28, random), options);
        Assert.InRange(shortest.PValue, 0, 1);
    }

    private static double[] Noise(int length, Random random) => [.. Enumerable.Range(0, length).Select(_ => Normal.Sample(random, 0, 1))];

    /// <summary>yₜ = weight·xₜ₋lag + N(0, 1).</summary>
    private static double[] Lagged(double[] x, int lag, double weight, Random random) =>
        [.. Enumerable.Range(0, x.Length).Select(t => (t >= lag ? weight * x[t - lag] : 0) + Normal.Sample(random, 0, 1))];

    /// <summary>xₜ = φ·xₜ₋₁ + N(0, 1), after a burn-in so it starts from its stationary distribution.</summary>
    private static double[] Ar1(int length, double phi, Random random)
    {
        var series = new double[length + 100];
        for (var t = 1; t < series.Length; t++)
        {
            series[t] = (phi * series[t - 1]) + Normal.Sample(random, 0, 1);
        }

        return series[100..];
    }
}
