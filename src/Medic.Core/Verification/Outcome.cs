namespace Medic.Core.Verification;

/// <summary>The verified outcome of a run: the reward the learning loop sees.</summary>
/// <param name="IncidentId">The incident.</param>
/// <param name="RunId">The run.</param>
/// <param name="PlaybookId">The playbook that ran.</param>
/// <param name="Kind">What happened.</param>
/// <param name="VerifiedAt">When verification concluded.</param>
/// <param name="RecoveredAt">When the SLO series came back (start of the final healthy streak), if they did.</param>
/// <param name="Reason">Why, in one line.</param>
public sealed record Outcome(string IncidentId, string RunId, string PlaybookId, OutcomeKind Kind, DateTimeOffset VerifiedAt, DateTimeOffset? RecoveredAt, string Reason);
