namespace Medic.Core.Policy;

/// <summary>The kill switch: when engaged, nothing is executed and everything is still recorded.</summary>
/// <param name="Engaged">Whether it is on.</param>
/// <param name="By">Who set it last.</param>
/// <param name="Reason">Why.</param>
/// <param name="Since">When it was set last.</param>
public sealed record KillSwitchState(bool Engaged, string? By, string? Reason, DateTimeOffset? Since);
