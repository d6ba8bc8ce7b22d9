using Medic.Adapters.Bus;
using Medic.Adapters.Hosting;
using Medic.Adapters.Storage.Sqlite;
using Medic.Core.Bus;
using Medic.Core.Changes;
using Medic.Core.Stages;
using Medic.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Medic.Adapters.Tests.Hosting;

public sealed class StageServiceTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly SqliteDatabase _db;

    public StageServiceTests() => _db = new SqliteDatabase(new SqliteOptions { Path = _dir.File("medic.db") });

    public void Dispose()
    {
        _db.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Messages_are_handled_one_at_a_time_in_order()
    {
        var bus = new InProcessBus(new InProcessBusOptions());
        var stage = new RecordingStage();
        using var service = Host(stage, bus);
        await service.StartAsync(CancellationToken.None);
        for (var i = 0; i < 20; i++)
        {
            await bus.PublishAsync(Change(i));
        }

        await bus.WaitForIdleAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"c{i}"), stage.Handled);
        Assert.Equal(1, stage.MaxConcurrency);
    }

    [Fact]
    public async Task Shutdown_finishes_the_message_in_hand_persists_the_rest_and_the_next_start_handles_them_first()
    {
        var bus = new InProcessBus(new InProcessBusOptions());
        var slow = new RecordingStage { Delay = TimeSpan.FromMilliseconds(200) };
        using (var first = Host(slow, bus, drain: TimeSpan.Zero))
        {
            await first.StartAsync(CancellationToken.None);
            for (var i = 0; i < 5; i++)
            {
                await bus.PublishAsync(Change(i));
            }

            await slow.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await first.StopAsync(CancellationToken.None);
        }

        Assert.Equal(["c0"], slow.Handled);

        var next = new RecordingStage();
        using var second = Host(next, new InProcessBus(new InProcessBusOptions()));
        await second.StartAsync(CancellationToken.None);
        await next.Count(4).WaitAsync(TimeSpan.FromSeconds(10));
        await second.StopAsync(CancellationToken.None);

        Assert.Equal(["c1", "c2", "c3", "c4"], next.Handled);
    }

    [Fact]
    public async Task A_failing_message_is_logged_and_the_stage_goes_on()
    {
        var bus = new InProcessBus(new InProcessBusOptions());
        var stage = new RecordingStage { FailOn = "c1" };
        using var service = Host(stage, bus);
        await service.StartAsync(CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            await bus.PublishAsync(Change(i));
        }

        await bus.WaitForIdleAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(["c0", "c2"], stage.Handled);
    }

    [Fact]
    public async Task Timed_stages_get_ticks_from_the_injected_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var bus = new InProcessBus(new InProcessBusOptions());
        var stage = new RecordingStage();
        using var service = new StageService(stage, bus, new SqlitePendingMessageStore(_db), clock, new StageHostOptions(), NullLogger<StageService>.Instance);
        await service.StartAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(30));
        await stage.Ticked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(clock.GetUtcNow(), stage.LastTick);
    }

    private StageService Host(IStage stage, InProcessBus bus, TimeSpan? drain = null) =>
        new(stage, bus, new SqlitePendingMessageStore(_db), TimeProvider.System, new StageHostOptions { DrainTimeout = drain ?? TimeSpan.FromSeconds(5) }, NullLogger<StageService>.Instance);

    private static ChangeEvent Change(int i) => new()
    {
        Id = $"c{i}",
        Kind = ChangeKinds.Deploy,
        Service = "cart",
        At = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        Actor = "ci",
        Description = "deploy",
    };

    private sealed class RecordingStage : ITimedStage
    {
        private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
        private int _running;

        public List<string> Handled { get; } = [];

        public TimeSpan Delay { get; init; }

        public string? FailOn { get; init; }

        public int MaxConcurrency { get; private set; }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Ticked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DateTimeOffset LastTick { get; private set; }

        public string Name => "recorder";

        public IReadOnlyCollection<Type> Consumes { get; } = [typeof(ChangeEvent)];

        public TimeSpan TickInterval => TimeSpan.FromSeconds(30);

        public Task Count(int count)
        {
            lock (_waiters)
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((count, done));
                Check();
                return done.Task;
            }
        }

        public async ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
        {
            MaxConcurrency = Math.Max(MaxConcurrency, Interlocked.Increment(ref _running));
            Started.TrySetResult();
            try
            {
                var change = (ChangeEvent)message;
                if (change.Id == FailOn)
                {
                    throw new InvalidOperationException("bad message");
                }

                await Task.Delay(Delay, CancellationToken.None);
                lock (_waiters)
                {
                    Handled.Add(change.Id);
                    Check();
                }
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }

        public ValueTask OnTickAsync(DateTimeOffset now, CancellationToken cancellationToken)
        {
            LastTick = now;
            Ticked.TrySetResult();
            return ValueTask.CompletedTask;
        }

        private void Check()
        {
            foreach (var (count, done) in _waiters.Where(w => Handled.Count >= w.Count))
            {
                done.TrySetResult();
            }
        }
    }
}
