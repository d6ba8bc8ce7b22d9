namespace Medic.Core.Learning;

/// <summary>A decision as it was logged: the signature, the playbook chosen, the probability it had of being chosen, the reward it earned.</summary>
/// <param name="Signature">The incident's signature.</param>
/// <param name="PlaybookId">The playbook that ran.</param>
/// <param name="Propensity">The probability the logging policy chose it.</param>
/// <param name="Reward">What verification made of it, in [0,1].</param>
/// <param name="At">When it was verified.</param>
public sealed record LoggedDecision(string Signature, string PlaybookId, double Propensity, double Reward, DateTimeOffset? At = null);

/// <summary>
/// What a candidate policy would have earned on decisions another policy made, before it is allowed
/// to act: inverse propensity scoring, each logged reward weighted by how much likelier the candidate
/// is to have made that choice.
/// </summary>
public static class OffPolicyEvaluation
{
    /// <summary>
    /// The IPS estimate of <paramref name="candidate"/>'s mean reward: the mean over the log of
    /// π(a | x) / p(a | x) · r. Unbiased when the logged propensities are right and never zero.
    /// </summary>
    /// <param name="log">The logged decisions.</param>
    /// <param name="candidate">The probability the candidate picks a playbook for a signature.</param>
    public static double InversePropensity(IReadOnlyList<LoggedDecision> log, Func<string, string, double> candidate)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(candidate);
        return log.Count == 0 ? 0 : log.Sum(d => Weight(d, candidate) * d.Reward) / log.Count;
    }

    /// <summary>
    /// The self-normalised estimate: Σ w·r / Σ w. Slightly biased, far less variable when a few
    /// logged choices were unlikely.
    /// </summary>
    public static double SelfNormalized(IReadOnlyList<LoggedDecision> log, Func<string, string, double> candidate)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(candidate);
        var weights = log.Sum(d => Weight(d, candidate));
        return weights == 0 ? 0 : log.Sum(d => Weight(d, candidate) * d.Reward) / weights;
    }

    private static double Weight(LoggedDecision decision, Func<string, string, double> candidate) =>
        decision.Propensity > 0
            ? candidate(decision.Signature, decision.PlaybookId) / decision.Propensity
            : throw new ArgumentException($"the decision for {decision.Signature} logged a propensity of {decision.Propensity}: IPS needs the probability it had, above zero", nameof(decision));
}
