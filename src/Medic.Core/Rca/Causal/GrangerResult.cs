namespace Medic.Core.Rca.Causal;

/// <summary>The outcome of a Granger test of whether one series helps predict another.</summary>
/// <param name="Lag">The lag chosen: how many past samples of each series the models used (0 when nothing was tested).</param>
/// <param name="FStatistic">((RSS_restricted − RSS_unrestricted)/lag) / (RSS_unrestricted/(n − 2·lag − 1)).</param>
/// <param name="PValue">The probability of an F at least as large if the cause's past added nothing, from F(lag, n − 2·lag − 1).</param>
/// <param name="Differences">How many times both series were differenced before testing.</param>
public sealed record GrangerResult(int Lag, double FStatistic, double PValue, int Differences)
{
    /// <summary>Whether the cause Granger-causes the effect at significance level <paramref name="alpha"/>.</summary>
    public bool Causes(double alpha) => PValue < alpha;

    /// <summary>The result when there is nothing to test (a constant series): no causality.</summary>
    internal static GrangerResult Nothing(int differences) => new(0, 0, 1, differences);
}
