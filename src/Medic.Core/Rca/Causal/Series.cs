namespace Medic.Core.Rca.Causal;

/// <summary>Checks on a series shared by the tests of causality.</summary>
internal static class Series
{
    // Differencing and centring lose precision relative to the original magnitude, never more
    // than a few ulps of it; a spread below this fraction of the scale is rounding, not signal.
    private const double RelativeSpread = 1e-12;

    /// <summary>Whether every value is the same, up to rounding at the series' own magnitude.</summary>
    public static bool IsConstant(double[] values) => IsConstant(values, MaxAbsolute(values));

    /// <summary>Whether every value is the same, up to rounding at <paramref name="scale"/> (the magnitude of the series it was derived from).</summary>
    public static bool IsConstant(double[] values, double scale)
    {
        if (values.Length == 0)
        {
            return true;
        }

        var (min, max) = (values.Min(), values.Max());
        return max - min <= RelativeSpread * scale;
    }

    public static double MaxAbsolute(double[] values) => values.Length == 0 ? 0 : values.Max(Math.Abs);
}
