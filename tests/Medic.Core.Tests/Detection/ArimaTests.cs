using Medic.Core.Detection.Streaming;

namespace Medic.Core.Tests.Detection;

/// <summary>ARIMA fitted by conditional least squares, and as a streaming one-step forecaster.</summary>
public sealed class ArimaTests
{
    [Fact]
    public void Conditional_least_squares_recovers_an_arma_1_1()
    {
        var y = Arma(new Random(1), 3_000, phi: 0.6, theta: 0.3, sigma: 1);

        var model = ArimaModel.Fit(y, new ArimaOrder(1, 0, 1))!;

        Assert.InRange(model.Ar[0], 0.52, 0.68);
        Assert.InRange(model.Ma[0], 0.22, 0.38);
        Assert.InRange(model.Sigma, 0.95, 1.05);
    }

    [Fact]
    public void Differencing_and_seasonal_differencing_give_one_step_errors_the_size_of_the_noise()
    {
        // A random walk with drift under a season of 24: ARIMA(1,1,0) with a seasonal difference.
        var random = new Random(2);
        var walk = 0.0;
        var noise = Arma(random, 2_000, phi: 0.5, theta: 0, sigma: 0.5);
        var y = Enumerable.Range(0, 2_000).Select(i => (walk += 0.01) + (5 * Math.Sin(2 * Math.PI * i / 24)) + noise[i]).ToArray();

        var model = ArimaModel.Fit(y, new ArimaOrder(1, 1, 0, SeasonalD: 1, Period: 24))!;

        Assert.InRange(model.Sigma, 0.5, 1.0);
        Assert.Null(ArimaModel.Fit(y.AsSpan(0, 30), new ArimaOrder(1, 1, 0, SeasonalD: 1, Period: 24)));
    }

    [Fact]
    public void Streaming_it_flags_a_spike_once_with_a_band_around_the_forecast_and_stays_quiet_on_the_noise()
    {
        var y = Arma(new Random(3), 3_000, phi: 0.7, theta: 0.2, sigma: 1).Select(v => v + 50).ToArray();
        for (var i = 2_000; i < 2_004; i++)
        {
            y[i] += 12;
        }

        var detector = new ArimaDetector(new ArimaOrder(1, 0, 1), new StreamingOptions { Period = 1 }, window: 500, refitEvery: 100);
        var verdicts = y.Select((v, i) => detector.Observe(v, i)).ToList();

        var opened = verdicts.Index().Where(v => v.Item.Change == SignalChange.Opened).ToList();
        var (at, verdict) = Assert.Single(opened);
        Assert.Equal(2_000, verdict.OnsetAt);
        Assert.InRange(at, 2_000, 2_003);
        Assert.True(verdict.Lower < verdict.Expected && verdict.Expected < verdict.Upper && y[at] > verdict.Upper);
        Assert.NotNull(detector.Model);
    }

    private static double[] Arma(Random random, int length, double phi, double theta, double sigma)
    {
        var y = new double[length];
        double previous = 0, previousError = 0;
        for (var t = 0; t < length; t++)
        {
            var error = sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            y[t] = (phi * previous) + error + (theta * previousError);
            (previous, previousError) = (y[t], error);
        }

        return y;
    }
}
