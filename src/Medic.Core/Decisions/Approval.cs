namespace Medic.Core.Decisions;

/// <summary>One person's approval of a decision.</summary>
/// <param name="By">Who approved.</param>
/// <param name="At">When.</param>
/// <param name="Note">What they said.</param>
public sealed record Approval(string By, DateTimeOffset At, string? Note);
