namespace Medic.Core.Policy;

/// <summary>A kill switch: when engaged, nothing is executed and everything is still recorded.</summary>
/// <param name="Engaged">Whether it is on.</param>
/// <param name="By">Who set it last.</param>
/// <param name="Reason">Why.</param>
/// <param name="Since">When it was set last.</param>
public sealed record KillSwitchState(bool Engaged, string? By, string? Reason, DateTimeOffset? Since)
{
    /// <summary>Off, never set.</summary>
    public static KillSwitchState Off { get; } = new(false, null, null, null);

    /// <summary>What holds it: <c>api</c> (set through the API or CLI), <c>environment</c> or <c>file</c>.</summary>
    public string Source { get; init; } = "api";
}
