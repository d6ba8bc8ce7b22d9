namespace Medic.Core.Stages;

/// <summary>
/// A stage that also acts on the passing of time (windows closing, approvals expiring).
/// Ticks come from the injected <see cref="TimeProvider"/> and arrive in the same sequence
/// as messages, so the stage's state still needs no locks.
/// </summary>
public interface ITimedStage : IStage
{
    /// <summary>How often the stage wants a tick.</summary>
    TimeSpan TickInterval { get; }

    /// <summary>Called at most every <see cref="TickInterval"/>.</summary>
    ValueTask OnTickAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
