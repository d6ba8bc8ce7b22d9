namespace Medic.Core.Bus;

/// <summary>Lets a driver (the demo, a test) wait until every published message was handled.</summary>
public interface IBusMonitor
{
    /// <summary>Messages published but not yet handled by every subscriber.</summary>
    long InFlight { get; }

    /// <summary>Completes when <see cref="InFlight"/> reaches zero, or all that is in flight waits for time to pass.</summary>
    Task WaitForIdleAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Waits <paramref name="delay"/> on <paramref name="clock"/> while handling a message (a retry's
    /// backoff). Meanwhile the bus counts as idle when nothing else is in flight, so a driver with a
    /// simulated clock moves it on instead of waiting for work that waits for it; the wait stops
    /// counting the moment its timer fires, before the handler goes on.
    /// </summary>
    Task DelayAsync(TimeSpan delay, TimeProvider clock, CancellationToken cancellationToken);
}
