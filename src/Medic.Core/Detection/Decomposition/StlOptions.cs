namespace Medic.Core.Detection.Decomposition;

/// <summary>
/// The parameters of an STL decomposition, named and defaulted as in Cleveland et al. (1990) and
/// statsmodels' <c>STL</c>: smoother lengths are odd; the trend length defaults to the smallest odd
/// integer ≥ 1.5·period / (1 − 1.5/seasonal), the low-pass length to the smallest odd integer
/// above the period.
/// </summary>
public sealed record StlOptions
{
    /// <summary>Values in one season (at least 2).</summary>
    public required int Period { get; init; }

    /// <summary>Length of the seasonal smoother (odd, at least 3).</summary>
    public int Seasonal { get; init; } = 7;

    /// <summary>Length of the trend smoother (odd, above the period); null for the default.</summary>
    public int? Trend { get; init; }

    /// <summary>Length of the low-pass filter (odd, above the period); null for the default.</summary>
    public int? LowPass { get; init; }

    /// <summary>Degree of the seasonal LOESS: 0 (constant) or 1 (line).</summary>
    public int SeasonalDegree { get; init; } = 1;

    /// <summary>Degree of the trend LOESS.</summary>
    public int TrendDegree { get; init; } = 1;

    /// <summary>Degree of the low-pass LOESS.</summary>
    public int LowPassDegree { get; init; } = 1;

    /// <summary>Whether outliers are down-weighted (bisquare weights on the residuals), so they stay in the residual.</summary>
    public bool Robust { get; init; }

    /// <summary>The seasonal LOESS is estimated every this many points, linearly interpolated between.</summary>
    public int SeasonalJump { get; init; } = 1;

    /// <summary>As <see cref="SeasonalJump"/>, for the trend.</summary>
    public int TrendJump { get; init; } = 1;

    /// <summary>As <see cref="SeasonalJump"/>, for the low-pass filter.</summary>
    public int LowPassJump { get; init; } = 1;

    /// <summary>Passes of the inner loop; null: 2 when robust, else 5.</summary>
    public int? InnerIterations { get; init; }

    /// <summary>Robustness iterations; null: 15 when robust, else 0.</summary>
    public int? OuterIterations { get; init; }

    internal int TrendLength => Trend ?? Odd((int)Math.Ceiling(1.5 * Period / (1 - (1.5 / Seasonal))));

    internal int LowPassLength => LowPass ?? Odd(Period + 1);

    internal int Inner => InnerIterations ?? (Robust ? 2 : 5);

    internal int Outer => OuterIterations ?? (Robust ? 15 : 0);

    /// <summary>What is wrong with these options for a series of <paramref name="length"/> values, or null.</summary>
    public string? Problem(int length) =>
        Period < 2 ? $"period must be at least 2, not {Period}"
        : Seasonal < 3 || Seasonal % 2 == 0 ? $"seasonal must be an odd integer of at least 3, not {Seasonal}"
        : TrendLength < 3 || TrendLength % 2 == 0 || TrendLength <= Period ? $"trend must be an odd integer of at least 3 and above the period, not {TrendLength}"
        : LowPassLength < 3 || LowPassLength % 2 == 0 || LowPassLength <= Period ? $"low_pass must be an odd integer of at least 3 and above the period, not {LowPassLength}"
        : SeasonalDegree is not (0 or 1) || TrendDegree is not (0 or 1) || LowPassDegree is not (0 or 1) ? "degrees must be 0 or 1"
        : SeasonalJump < 1 || TrendJump < 1 || LowPassJump < 1 ? "jumps must be at least 1"
        : length < 2 * Period ? $"the series has {length} values; STL needs at least two periods ({2 * Period})"
        : null;

    private static int Odd(int value) => value % 2 == 0 ? value + 1 : value;
}
