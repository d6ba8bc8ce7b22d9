using MathNet.Numerics.Statistics;

namespace Medic.Core.Rca.Shift;

/// <summary>
/// Robust distribution-shift scoring (as in BARO): how many baseline spreads (the interquartile
/// range) the incident's most extreme value lies from the baseline median. The spread is floored
/// at a fraction of the level, so a metric that was flat before the incident does not turn
/// measurement noise into a huge score, and a scale change (bytes or megabytes) changes nothing.
/// </summary>
public static class ShiftScorer
{
    /// <summary>The smallest spread, as a fraction of the baseline median's magnitude. Default 0.01.</summary>
    public const double DefaultRelativeFloor = 0.01;

    /// <summary>
    /// The score of <paramref name="window"/>: 0 when the incident stays within the baseline, larger the
    /// further it strays in the direction that counts. NaN values are skipped; fewer than two baseline
    /// values or no incident value scores 0.
    /// </summary>
    public static double Score(MetricWindow window, double relativeFloor = DefaultRelativeFloor)
    {
        ArgumentNullException.ThrowIfNull(window);
        var baseline = Finite(window.Baseline);
        var incident = Finite(window.Incident);
        if (baseline.Length < 2 || incident.Length == 0)
        {
            return 0;
        }

        Array.Sort(baseline);
        var median = SortedArrayStatistics.QuantileCustom(baseline, 0.5, QuantileDefinition.R7);
        var spread = Math.Max(SortedArrayStatistics.QuantileCustom(baseline, 0.75, QuantileDefinition.R7) - SortedArrayStatistics.QuantileCustom(baseline, 0.25, QuantileDefinition.R7), relativeFloor * Math.Abs(median));
        if (spread <= 0)
        {
            // Flat at zero before: any move is news, but scores stay finite for what ranks on them.
            spread = 1e-9;
        }

        // What was already this far out just before onset is not news: measure from the worse of the
        // baseline median and the pre-onset extreme, in the direction that counts.
        var pre = Finite(window.PreOnset);
        var up = incident.Max() - (pre.Length > 0 ? Math.Max(median, pre.Max()) : median);
        var down = (pre.Length > 0 ? Math.Min(median, pre.Min()) : median) - incident.Min();
        var shift = window.Direction switch
        {
            ShiftDirection.Up => up,
            ShiftDirection.Down => down,
            _ => Math.Max(up, down),
        };
        return Math.Max(0, shift / spread);
    }

    private static double[] Finite(double[] values) => values.Where(double.IsFinite).ToArray();
}
