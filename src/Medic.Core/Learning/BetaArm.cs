namespace Medic.Core.Learning;

/// <summary>
/// What Medic believes of one playbook's chance to fix incidents of one signature: a Beta posterior
/// over its success rate (successes and failures seen, plus the prior's pseudo-counts).
/// </summary>
/// <param name="Alpha">Successes, plus the prior's.</param>
/// <param name="Beta">Failures, plus the prior's.</param>
/// <param name="Pulls">Outcomes seen.</param>
public sealed record BetaArm(double Alpha, double Beta, int Pulls)
{
    /// <summary>The expected success rate.</summary>
    public double Mean => Alpha / (Alpha + Beta);

    /// <summary>A draw from the posterior (Thompson sampling).</summary>
    public double Sample(Random random) => MathNet.Numerics.Distributions.Beta.Sample(random, Alpha, Beta);

    /// <summary>The posterior after an outcome: <paramref name="reward"/> in [0,1] counts as that much success; <paramref name="weight"/> counts it more than once (harm).</summary>
    public BetaArm Update(double reward, double weight = 1)
    {
        var r = Math.Clamp(reward, 0, 1);
        return new BetaArm(Alpha + (weight * r), Beta + (weight * (1 - r)), Pulls + 1);
    }
}
