namespace Medic.Sim.Clock;

/// <summary>
/// A clock that moves only when the simulator advances it, so simulated hours pass in seconds and
/// every stage (windows, timers, deadlines) sees the same simulated time. Timers fire, in due
/// order, on the thread that advances the clock.
/// </summary>
public sealed class SimulationClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<SimulationTimer> _timers = [];
    private DateTimeOffset _now = start;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    /// <inheritdoc />
    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SimulationTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves time forward and fires the timers that came due, each at most once.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        List<SimulationTimer> due;
        lock (_lock)
        {
            _now += by;
            due = _timers.Where(t => t.Due <= _now).OrderBy(t => t.Due).ToList();
            foreach (var timer in due)
            {
                if (!timer.Rearm(_now))
                {
                    _timers.Remove(timer);
                }
            }
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    internal void Schedule(SimulationTimer timer, DateTimeOffset? due)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
            if (due is { } at)
            {
                timer.Due = at;
                _timers.Add(timer);
            }
        }
    }

    internal DateTimeOffset Now => GetUtcNow();

    internal void Unschedule(SimulationTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }
}
