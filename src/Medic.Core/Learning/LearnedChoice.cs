using System.Globalization;

namespace Medic.Core.Learning;

/// <summary>Which playbook the learner picked for a signature, how, and with what probability (for off-policy evaluation).</summary>
/// <param name="Signature">The incident's signature.</param>
/// <param name="PlaybookId">The playbook picked.</param>
/// <param name="Propensity">The probability the learner picks it, given what it knew.</param>
/// <param name="Explored">Sampled (Thompson) rather than ranked by expected success.</param>
/// <param name="Ranking">Every candidate with its expected success, best first.</param>
public sealed record LearnedChoice(string Signature, string PlaybookId, double Propensity, bool Explored, IReadOnlyList<RankedPlaybook> Ranking)
{
    /// <summary>One line for the timeline.</summary>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"{(Explored ? $"Thompson sampling chose {PlaybookId} (probability {Propensity:0.00})" : $"ranked by learned success, {PlaybookId} first")} for {Signature}: {string.Join(", ", Ranking.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.PlaybookId} {r.ExpectedSuccess:0.00}")))}");
}

/// <summary>A candidate playbook and its expected success for the signature.</summary>
/// <param name="PlaybookId">The playbook.</param>
/// <param name="ExpectedSuccess">The posterior mean of its success rate.</param>
public sealed record RankedPlaybook(string PlaybookId, double ExpectedSuccess);
