using Medic.Core.Detection.Offline;

namespace Medic.Core.Tests.Detection;

public sealed class OfflineDetectionTests
{
    [Fact]
    public void A_spike_in_a_seasonal_series_is_the_one_anomaly_with_the_season_found()
    {
        var random = new Random(1);
        var values = Enumerable.Range(0, 24 * 30).Select(i => 50 + (10 * Math.Sin(2 * Math.PI * i / 24)) + random.NextDouble()).ToArray();
        for (var i = 400; i < 404; i++)
        {
            values[i] += 15;
        }

        var result = OfflineDetection.Detect(values, minimumDuration: 3);

        Assert.Equal(24, result.Period);
        var anomaly = Assert.Single(result.Anomalies);
        Assert.InRange(anomaly.Peak, 400, 403);
        Assert.Equal(1, anomaly.Direction);
        Assert.True(result.Upper[401] < values[401] && result.Lower[401] < result.Expected[401]);
    }

    [Fact]
    public void A_series_without_a_season_is_judged_against_its_running_median()
    {
        var random = new Random(2);
        var values = Enumerable.Range(0, 500).Select(_ => 10 + random.NextDouble()).ToArray();
        values[250] = 2;

        var result = OfflineDetection.Detect(values, period: 0);

        Assert.Equal(0, result.Period);
        var anomaly = Assert.Single(result.Anomalies);
        Assert.Equal(250, anomaly.Peak);
        Assert.Equal(-1, anomaly.Direction);
    }
}
