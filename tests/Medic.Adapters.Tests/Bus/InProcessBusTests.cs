using Medic.Adapters.Bus;
using Medic.Core.Bus;
using Microsoft.Extensions.Time.Testing;

namespace Medic.Adapters.Tests.Bus;

public sealed class InProcessBusTests
{
    [Fact]
    public async Task A_message_reaches_every_subscriber_of_its_topic_and_no_other()
    {
        var bus = new InProcessBus(new InProcessBusOptions());
        var a = bus.Subscribe("a", [typeof(Ping)]);
        var b = bus.Subscribe("b", [typeof(Ping), typeof(Pong)]);
        var c = bus.Subscribe("c", [typeof(Pong)]);

        await bus.PublishAsync(new Ping(1));

        Assert.True(a.TryReceive(out var atA) && atA is Ping { N: 1 });
        Assert.True(b.TryReceive(out var atB) && atB is Ping { N: 1 });
        Assert.False(c.TryReceive(out _));
    }

    [Fact]
    public async Task A_full_inbox_makes_the_publisher_wait_instead_of_dropping()
    {
        var bus = new InProcessBus(new InProcessBusOptions { InboxCapacity = 1 });
        var inbox = bus.Subscribe("slow", [typeof(Ping)]);
        await bus.PublishAsync(new Ping(1));

        var second = bus.PublishAsync(new Ping(2)).AsTask();
        await Task.Delay(50);
        Assert.False(second.IsCompleted);

        Assert.True(inbox.TryReceive(out var first) && first is Ping { N: 1 });
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(inbox.TryReceive(out var next) && next is Ping { N: 2 });
    }

    [Fact]
    public async Task The_bus_is_idle_only_when_every_delivered_message_is_done()
    {
        var bus = new InProcessBus(new InProcessBusOptions());
        var inbox = bus.Subscribe("s", [typeof(Ping)]);
        await bus.PublishAsync(new Ping(1));
        var idle = bus.WaitForIdleAsync(CancellationToken.None);

        Assert.Equal(1, bus.InFlight);
        Assert.False(idle.IsCompleted);
        Assert.True(inbox.TryReceive(out var message));
        inbox.Done(message);
        await idle.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, bus.InFlight);
    }

    [Fact]
    public async Task Work_that_waits_for_time_leaves_the_bus_idle_until_its_timer_fires()
    {
        var bus = new InProcessBus(new InProcessBusOptions());
        var clock = new FakeTimeProvider();
        var inbox = bus.Subscribe("s", [typeof(Ping)]);
        await bus.PublishAsync(new Ping(1));
        Assert.True(inbox.TryReceive(out var message));

        // The handler waits for a retry's backoff: nothing else is in flight, so a driver may move the clock on.
        var backoff = bus.DelayAsync(TimeSpan.FromSeconds(5), clock, CancellationToken.None);
        await bus.WaitForIdleAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, bus.InFlight);

        // From the moment the timer fires, the handler is busy again, before it goes on.
        clock.Advance(TimeSpan.FromSeconds(5));
        var idle = bus.WaitForIdleAsync(CancellationToken.None);
        Assert.False(idle.IsCompleted);
        await backoff.WaitAsync(TimeSpan.FromSeconds(10));
        inbox.Done(message);
        await idle.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Publishing_to_a_closed_inbox_fails_loudly()
    {
        var bus = new InProcessBus(new InProcessBusOptions());
        var inbox = bus.Subscribe("s", [typeof(Ping)]);
        inbox.Close();

        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => bus.PublishAsync(new Ping(1)).AsTask());
        Assert.Equal(0, bus.InFlight);
    }

    [Fact]
    public void Two_subscribers_may_not_share_a_name()
    {
        var bus = new InProcessBus(new InProcessBusOptions());
        bus.Subscribe("s", [typeof(Ping)]);
        Assert.Throws<InvalidOperationException>(() => bus.Subscribe("s", [typeof(Pong)]));
    }

    private sealed record Ping(int N) : IMessage;

    private sealed record Pong : IMessage;
}
