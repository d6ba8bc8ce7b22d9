namespace Medic.Sim.Clock;

/// <summary>A timer on a <see cref="SimulationClock"/>.</summary>
internal sealed class SimulationTimer(SimulationClock clock, TimerCallback callback, object? state) : ITimer
{
    private TimeSpan _period = Timeout.InfiniteTimeSpan;

    public DateTimeOffset Due { get; set; }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        _period = period;
        clock.Schedule(this, dueTime == Timeout.InfiniteTimeSpan ? null : clock.Now + dueTime);
        return true;
    }

    /// <summary>Called under the clock's lock when the timer fires: schedules the next period; false for a one-shot timer.</summary>
    public bool Rearm(DateTimeOffset now)
    {
        if (_period <= TimeSpan.Zero || _period == Timeout.InfiniteTimeSpan)
        {
            return false;
        }

        Due = now + _period;
        return true;
    }

    public void Fire() => callback(state);

    public void Dispose() => clock.Unschedule(this);

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
