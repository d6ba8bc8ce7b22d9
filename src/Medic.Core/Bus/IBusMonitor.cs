namespace Medic.Core.Bus;

/// <summary>Lets a driver (the demo, a test) wait until every published message was handled.</summary>
public interface IBusMonitor
{
    /// <summary>Messages published but not yet handled by every subscriber.</summary>
    long InFlight { get; }

    /// <summary>Completes when <see cref="InFlight"/> reaches zero.</summary>
    Task WaitForIdleAsync(CancellationToken cancellationToken);
}
