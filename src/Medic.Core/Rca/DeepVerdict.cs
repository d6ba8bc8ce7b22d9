namespace Medic.Core.Rca;

/// <summary>The deep tier's ranking of an incident's candidates (<c>kind/name</c>), most likely cause first, and what it learned from.</summary>
/// <param name="Ranked">Candidates, most likely first.</param>
/// <param name="From">The start of the history it learned from.</param>
/// <param name="To">The end of it.</param>
/// <param name="Variables">How many series entered the causal graph.</param>
public sealed record DeepVerdict(IReadOnlyList<string> Ranked, DateTimeOffset From, DateTimeOffset To, int Variables);
