namespace Medic.Core.Playbooks;

/// <summary>Whether one playbook matched a decision's context, and why or why not.</summary>
/// <param name="PlaybookId">The playbook.</param>
/// <param name="Version">Its version (content hash).</param>
/// <param name="Revision">The repository revision it came from.</param>
/// <param name="Priority">Its priority.</param>
/// <param name="Specificity">How many comparisons its trigger makes.</param>
/// <param name="Matched">Whether its trigger (and condition) held.</param>
/// <param name="Reasons">One line per comparison: what held, what failed and what the context held.</param>
public sealed record PlaybookMatch(string PlaybookId, string Version, string Revision, int Priority, int Specificity, bool Matched, IReadOnlyList<string> Reasons)
{
    /// <summary>The signal whose context it was evaluated on (the one it matched on, or the strongest).</summary>
    public string? SignalId { get; init; }
}
