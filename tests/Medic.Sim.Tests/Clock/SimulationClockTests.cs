using Medic.Sim.Clock;

namespace Medic.Sim.Tests.Clock;

public sealed class SimulationClockTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Time_moves_only_when_advanced()
    {
        var clock = new SimulationClock(T0);
        Assert.Equal(T0, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(T0.AddMinutes(5), clock.GetUtcNow());
    }

    [Fact]
    public void Timers_fire_in_due_order_and_periodic_ones_again()
    {
        var clock = new SimulationClock(T0);
        var fired = new List<string>();
        using var late = clock.CreateTimer(_ => fired.Add("late"), null, TimeSpan.FromSeconds(20), Timeout.InfiniteTimeSpan);
        using var tick = clock.CreateTimer(_ => fired.Add("tick"), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));

        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(fired);
        clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(["tick", "late"], fired);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(["tick", "late", "tick"], fired);
    }

    [Fact]
    public void Deferred_timers_wait_for_the_host_and_fire_one_at_a_time_in_due_order()
    {
        var clock = new SimulationClock(T0) { DeferTimers = true };
        var fired = new List<string>();
        using var late = clock.CreateTimer(_ => fired.Add("late"), null, TimeSpan.FromSeconds(20), Timeout.InfiniteTimeSpan);
        using var tick = clock.CreateTimer(_ => fired.Add("tick"), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));

        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Empty(fired);
        Assert.True(clock.FireNext());
        Assert.Equal(["tick"], fired);
        Assert.True(clock.FireNext());
        Assert.Equal(["tick", "late"], fired);
        Assert.False(clock.FireNext());
    }

    [Fact]
    public void A_disposed_timer_does_not_fire()
    {
        var clock = new SimulationClock(T0);
        var fired = 0;
        var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        timer.Dispose();
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, fired);
    }

    [Fact]
    public async Task Delays_and_cancellation_timeouts_follow_simulated_time()
    {
        var clock = new SimulationClock(T0);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10), clock);
        var delay = Task.Delay(TimeSpan.FromMinutes(1), clock);

        clock.Advance(TimeSpan.FromMinutes(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(timeout.IsCancellationRequested);
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.True(timeout.IsCancellationRequested);
    }
}
