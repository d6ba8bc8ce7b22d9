namespace Medic.Core.Audit;

/// <summary>
/// One entry of the tamper-evident audit log. <see cref="Hash"/> covers the entry and the previous
/// entry's hash, so changing or removing any entry breaks every hash after it.
/// </summary>
/// <param name="Sequence">Position in the log, from 1.</param>
/// <param name="At">When it happened.</param>
/// <param name="Actor">Who did it: a person, or <c>medic</c> for the system itself.</param>
/// <param name="Action">What was done: <c>decision.made</c>, <c>action.executed</c>, <c>killswitch.set</c>, ...</param>
/// <param name="Subject">What it was done to (an incident, decision or run id).</param>
/// <param name="DataJson">Details, as JSON.</param>
/// <param name="PreviousHash">The previous entry's hash (64 zeros for the first entry).</param>
/// <param name="Hash">SHA-256 over this entry and <paramref name="PreviousHash"/>, in hex.</param>
public sealed record AuditEntry(
    long Sequence,
    DateTimeOffset At,
    string Actor,
    string Action,
    string Subject,
    string DataJson,
    string PreviousHash,
    string Hash);
