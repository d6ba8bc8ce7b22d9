namespace Medic.Core.Learning.Drift;

/// <summary>How far one binned distribution has moved from another: the population stability index and the two-sample Kolmogorov-Smirnov test.</summary>
public static class DistributionShift
{
    /// <summary>
    /// The smallest share a bin counts with, so that an empty bin on one side gives a large but
    /// finite term (the usual guard; without it one empty bin makes the index infinite).
    /// </summary>
    private const double MinShare = 1e-4;

    /// <summary>
    /// Population stability index of <paramref name="actual"/> against <paramref name="expected"/>:
    /// Σ (a − e)·ln(a / e) over the bins' shares. Below 0.1 the populations are alike; above 0.25
    /// they differ markedly (the credit-scoring rule of thumb it comes from).
    /// </summary>
    public static double PopulationStabilityIndex(ReadOnlySpan<long> expected, ReadOnlySpan<long> actual)
    {
        CheckBins(expected, actual);
        double expectedTotal = Sum(expected), actualTotal = Sum(actual);
        if (expectedTotal == 0 || actualTotal == 0)
        {
            return 0;
        }

        var index = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            var e = Math.Max(expected[i] / expectedTotal, MinShare);
            var a = Math.Max(actual[i] / actualTotal, MinShare);
            index += (a - e) * Math.Log(a / e);
        }

        return index;
    }

    /// <summary>
    /// The two-sample Kolmogorov-Smirnov statistic D (the largest gap between the two cumulative
    /// distributions, at bin edges) and its asymptotic p-value (Stephens' correction, as in
    /// Numerical Recipes' <c>kstwo</c>): the chance of a gap this large were both samples from one distribution.
    /// </summary>
    public static (double Statistic, double PValue) KolmogorovSmirnov(ReadOnlySpan<long> first, ReadOnlySpan<long> second)
    {
        CheckBins(first, second);
        double n = Sum(first), m = Sum(second);
        if (n == 0 || m == 0)
        {
            return (0, 1);
        }

        double d = 0, cumulativeFirst = 0, cumulativeSecond = 0;
        for (var i = 0; i < first.Length; i++)
        {
            cumulativeFirst += first[i] / n;
            cumulativeSecond += second[i] / m;
            d = Math.Max(d, Math.Abs(cumulativeFirst - cumulativeSecond));
        }

        var effective = Math.Sqrt(n * m / (n + m));
        return (d, KolmogorovTail((effective + 0.12 + (0.11 / effective)) * d));
    }

    /// <summary>Q(λ) = 2 Σ (−1)^(k−1) e^(−2k²λ²): the Kolmogorov distribution's upper tail.</summary>
    private static double KolmogorovTail(double lambda)
    {
        if (lambda < 0.2)
        {
            return 1;
        }

        double sum = 0, sign = 1;
        for (var k = 1; k <= 100; k++)
        {
            var term = sign * Math.Exp(-2 * k * k * lambda * lambda);
            sum += term;
            if (Math.Abs(term) < 1e-12 * Math.Abs(sum))
            {
                break;
            }

            sign = -sign;
        }

        return Math.Clamp(2 * sum, 0, 1);
    }

    private static long Sum(ReadOnlySpan<long> counts)
    {
        var total = 0L;
        foreach (var count in counts)
        {
            total += count;
        }

        return total;
    }

    private static void CheckBins(ReadOnlySpan<long> first, ReadOnlySpan<long> second)
    {
        if (first.Length != second.Length)
        {
            throw new ArgumentException($"both distributions need the same bins: {first.Length} against {second.Length}");
        }
    }
}
