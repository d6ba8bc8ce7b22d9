using Medic.Core.Signals;

namespace Medic.Core.Incidents.Silences;

/// <summary>
/// Mutes matching signals for a while: they are recorded but open or join no incident. All
/// matchers must hold. Ends at <see cref="EndsAt"/>, or earlier when expired by hand.
/// </summary>
public sealed record Silence
{
    /// <summary>Unique id.</summary>
    public required string Id { get; init; }

    /// <summary>The conditions a signal must all meet to be muted.</summary>
    public required IReadOnlyList<LabelMatcher> Matchers { get; init; }

    /// <summary>Who created it.</summary>
    public required string CreatedBy { get; init; }

    /// <summary>Why: what is being worked on.</summary>
    public required string Comment { get; init; }

    /// <summary>When it starts muting.</summary>
    public required DateTimeOffset StartsAt { get; init; }

    /// <summary>When it stops muting.</summary>
    public required DateTimeOffset EndsAt { get; init; }

    /// <summary>Whether it mutes at <paramref name="now"/>.</summary>
    public bool IsActiveAt(DateTimeOffset now) => StartsAt <= now && now < EndsAt;

    /// <summary>Whether it mutes this signal at <paramref name="now"/>.</summary>
    public bool Mutes(Signal signal, DateTimeOffset now) => IsActiveAt(now) && Matchers.All(m => m.Matches(signal));
}
