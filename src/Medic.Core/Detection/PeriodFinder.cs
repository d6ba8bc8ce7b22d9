namespace Medic.Core.Detection;

/// <summary>Finds a series' season (in steps) from its autocorrelation.</summary>
public static class PeriodFinder
{
    /// <summary>An hour, a day and a week, in seconds: the seasons operational series have.</summary>
    private static readonly double[] NaturalSeasons = [3_600, 86_400, 604_800];

    /// <summary>An hour, a day and a week in values, for a series one value every <paramref name="stepSeconds"/> (those that are whole numbers).</summary>
    public static int[] NaturalCandidates(double stepSeconds) =>
        stepSeconds > 0
            ? [.. NaturalSeasons.Select(s => s / stepSeconds).Where(c => Math.Abs(c - Math.Round(c)) < 1e-9).Select(c => (int)Math.Round(c))]
            : [];

    /// <summary>
    /// The lag in [<paramref name="shortest"/>, <paramref name="longest"/>] where the
    /// autocorrelation has its highest local peak, if that peak is at least
    /// <paramref name="minimumCorrelation"/>; 0 when the series has no clear season.
    /// </summary>
    public static int Find(ReadOnlySpan<double> values, int shortest, int longest, double minimumCorrelation = 0.3)
    {
        longest = Math.Min(longest, values.Length / 2);
        if (longest < shortest + 1)
        {
            return 0;
        }

        var mean = 0.0;
        foreach (var v in values)
        {
            mean += v;
        }

        mean /= values.Length;
        var variance = 0.0;
        foreach (var v in values)
        {
            variance += (v - mean) * (v - mean);
        }

        if (variance <= 0)
        {
            return 0;
        }

        // Each lag's correlation over the pairs it has, so long lags are not damped by having fewer.
        var correlations = new double[longest + 2];
        for (var lag = 1; lag <= longest + 1 && lag < values.Length; lag++)
        {
            var sum = 0.0;
            for (var i = lag; i < values.Length; i++)
            {
                sum += (values[i] - mean) * (values[i - lag] - mean);
            }

            correlations[lag] = sum / (values.Length - lag) / (variance / values.Length);
        }

        // A season is a peak after the correlation of neighbouring values has died away: search from
        // where it first falls below the correlation a season needs (not from its first dip, which
        // noise puts a few lags in on a smooth series and makes a "season" of the next bump).
        var from = 1;
        while (from < longest && correlations[from] >= minimumCorrelation)
        {
            from++;
        }

        var (best, bestCorrelation) = (0, minimumCorrelation);
        for (var lag = Math.Max(shortest, from + 1); lag <= longest; lag++)
        {
            var peak = correlations[lag] >= correlations[lag - 1] && correlations[lag] >= correlations[lag + 1];
            if (peak && correlations[lag] > bestCorrelation)
            {
                (best, bestCorrelation) = (lag, correlations[lag]);
            }
        }

        return best;
    }

    /// <summary>
    /// Of <paramref name="candidates"/> (e.g. an hour, a day and a week at the series' step), the
    /// one whose autocorrelation is highest, if at least <paramref name="minimumCorrelation"/>;
    /// else whatever <see cref="Find"/> finds over all lags.
    /// </summary>
    public static int Best(ReadOnlySpan<double> values, IEnumerable<int> candidates, double minimumCorrelation = 0.3)
    {
        var (best, bestCorrelation) = (0, minimumCorrelation);
        foreach (var lag in candidates)
        {
            if (lag >= 2 && lag <= values.Length / 2 && Autocorrelation(values, lag) is var correlation && correlation > bestCorrelation)
            {
                (best, bestCorrelation) = (lag, correlation);
            }
        }

        return best > 0 ? best : Find(values, 4, values.Length / 3, minimumCorrelation);
    }

    /// <summary>The correlation of the series with itself <paramref name="lag"/> values later, over the pairs it has.</summary>
    public static double Autocorrelation(ReadOnlySpan<double> values, int lag)
    {
        var mean = 0.0;
        foreach (var v in values)
        {
            mean += v;
        }

        mean /= values.Length;
        double variance = 0, sum = 0;
        for (var i = 0; i < values.Length; i++)
        {
            variance += (values[i] - mean) * (values[i] - mean);
            if (i >= lag)
            {
                sum += (values[i] - mean) * (values[i - lag] - mean);
            }
        }

        return variance > 0 ? sum / (values.Length - lag) / (variance / values.Length) : 0;
    }
}
