using Medic.Core.Detection.Decomposition;

namespace Medic.Core.Detection.Offline;

/// <summary>One anomaly found in a whole series: the run of values outside the band.</summary>
/// <param name="Start">Index of the first abnormal value.</param>
/// <param name="End">Index of the last.</param>
/// <param name="Peak">Index of the most abnormal value.</param>
/// <param name="Score">The peak's score: 0.5 at the band's edge, toward 1 far outside.</param>
/// <param name="Direction">+1 above the band, -1 below.</param>
public sealed record OfflineAnomaly(int Start, int End, int Peak, double Score, int Direction);

/// <summary>A whole series judged at once: the expected value and band of every value, and the anomalies.</summary>
/// <param name="Period">The season used (found or given); 0 when the series has none.</param>
/// <param name="Expected">Each value's expected value.</param>
/// <param name="Lower">The band's lower edge at each value.</param>
/// <param name="Upper">The band's upper edge.</param>
/// <param name="Anomalies">The runs of values outside the band.</param>
public sealed record OfflineResult(int Period, double[] Expected, double[] Lower, double[] Upper, IReadOnlyList<OfflineAnomaly> Anomalies);

/// <summary>
/// Detection on a whole series, for backfill and for a look at a CSV: robust STL when the series
/// has a season (found from the autocorrelation unless given), else a running median, and the
/// residuals scored against their median and MAD. Runs of abnormal values become anomalies, split
/// only by a calm of several normal values, as the streaming detector splits them.
/// </summary>
public static class OfflineDetection
{
    private const double MadToSigma = 1.4826;
    private const int Calm = 10;

    /// <summary>Judges the whole of <paramref name="values"/>.</summary>
    /// <param name="values">The series, evenly spaced.</param>
    /// <param name="period">The season in values; null to find it, 0 for none.</param>
    /// <param name="candidates">Seasons to prefer when finding it (an hour, a day, a week at the series' step).</param>
    /// <param name="sensitivity">Robust standard deviations of the residual at which a value is abnormal.</param>
    /// <param name="minimumDuration">Abnormal values a run needs to be an anomaly.</param>
    public static OfflineResult Detect(double[] values, int? period = null, double sensitivity = 4, int minimumDuration = 1, IEnumerable<int>? candidates = null)
    {
        var n = values.Length;
        var season = period ?? PeriodFinder.Best(values.AsSpan(0, Math.Min(n, 20_000)), candidates ?? []);
        if (season >= 2 && n < 2 * season)
        {
            season = 0;
        }

        var expected = season >= 2 ? Decomposed(values, season) : RunningMedian(values, 31);
        var residuals = values.Select((v, i) => v - expected[i]).ToArray();
        var center = Median([.. residuals]);
        var spread = MadToSigma * Median([.. residuals.Select(r => Math.Abs(r - center))]);
        spread = spread > 0 ? spread : Math.Max(1e-9, residuals.Select(r => Math.Abs(r - center)).Average());
        var band = sensitivity * spread;
        var lower = expected.Select(e => e + center - band).ToArray();
        var upper = expected.Select(e => e + center + band).ToArray();

        var anomalies = new List<OfflineAnomaly>();
        int? start = null;
        int last = -1, peak = -1, count = 0;
        for (var i = 0; i <= n; i++)
        {
            var abnormal = i < n && Math.Abs(residuals[i] - center) >= band;
            if (abnormal)
            {
                start ??= i;
                count++;
                last = i;
                peak = peak < 0 || Math.Abs(residuals[i] - center) > Math.Abs(residuals[peak] - center) ? i : peak;
            }
            else if (start is { } s && (i == n || i - last >= Calm))
            {
                if (count >= minimumDuration)
                {
                    var z = (residuals[peak] - center) / spread;
                    anomalies.Add(new OfflineAnomaly(s, last, peak, z * z / ((z * z) + (sensitivity * sensitivity)), Math.Sign(z)));
                }

                (start, peak, count) = (null, -1, 0);
            }
        }

        return new OfflineResult(season >= 2 ? season : 0, [.. expected.Select(e => e + center)], lower, upper, anomalies);
    }

    private static double[] Decomposed(double[] values, int period)
    {
        // A seasonal smoother over 13 seasons rather than STL's usual 7: with 7, a burst of outliers
        // can leave every nearby value of its phase without weight, and the season then takes the
        // burst in, where detection must leave it in the residual.
        var stl = Stl.Decompose(values, new StlOptions { Period = period, Seasonal = 13, Robust = true });
        return [.. stl.Seasonal.Select((s, i) => s + stl.Trend[i])];
    }

    private static double[] RunningMedian(double[] values, int width)
    {
        var half = width / 2;
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var from = Math.Max(0, i - half);
            var to = Math.Min(values.Length, i + half + 1);
            result[i] = Median(values[from..to]);
        }

        return result;
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
