using System.Globalization;

namespace Medic.Core.Rca.Causal;

/// <summary>Settings of the PC algorithm.</summary>
public sealed class PcOptions
{
    /// <summary>Significance level of each conditional independence test: an edge is removed when p &gt; Alpha. Default 0.05.</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>
    /// The largest conditioning set tried. Larger sets cost tests exponentially and, with a few
    /// thousand samples, rarely remove a true non-edge that smaller ones missed. Default 3.
    /// </summary>
    public int MaxConditioningSetSize { get; init; } = 3;

    /// <summary>
    /// PC-stable (Colombo and Maathuis, 2014): neighbourhoods are fixed at the start of each depth,
    /// so the skeleton does not depend on the order of the variables. Default true.
    /// </summary>
    public bool Stable { get; init; } = true;

    internal void Validate()
    {
        if (!(Alpha > 0 && Alpha < 1))
        {
            throw new ArgumentException($"alpha must be between 0 and 1, not {Alpha.ToString(CultureInfo.InvariantCulture)}", nameof(Alpha));
        }

        if (MaxConditioningSetSize < 0)
        {
            throw new ArgumentException($"the largest conditioning set cannot be negative ({MaxConditioningSetSize.ToString(CultureInfo.InvariantCulture)})", nameof(MaxConditioningSetSize));
        }
    }
}
