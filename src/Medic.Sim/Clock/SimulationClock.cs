namespace Medic.Sim.Clock;

/// <summary>
/// A clock that moves only when the simulator advances it, so simulated hours pass in seconds and
/// every stage (windows, timers, deadlines) sees the same simulated time. Timers fire, in due
/// order, on the thread that advances the clock (with <see cref="DeferTimers"/>, on the one that
/// fires them).
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

    /// <summary>
    /// When set, <see cref="Advance"/> only moves time, and the timers that came due fire at
    /// <see cref="FireDue"/> or <see cref="FireNext"/>: a host can let the data of a moment be
    /// handled before that moment's timers (stage ticks) look at it, the same way on every run.
    /// </summary>
    public bool DeferTimers { get; set; }

    /// <summary>Moves time forward and, unless <see cref="DeferTimers"/>, fires the timers that came due.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (_lock)
        {
            _now += by;
        }

        if (!DeferTimers)
        {
            FireDue();
        }
    }

    /// <summary>Fires the timers that have come due, in due order.</summary>
    public void FireDue()
    {
        while (FireNext())
        {
        }
    }

    /// <summary>
    /// Fires the earliest timer that has come due (of timers due together, the first made), if
    /// any: a host can let each timer's work settle before the next fires.
    /// </summary>
    public bool FireNext()
    {
        SimulationTimer? next;
        lock (_lock)
        {
            next = _timers.Where(t => t.Due <= _now).MinBy(t => t.Due);
            if (next is null)
            {
                return false;
            }

            if (!next.Rearm(_now))
            {
                _timers.Remove(next);
            }
        }

        next.Fire();
        return true;
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
