using Medic.Core.Changes;
using Medic.Core.Logs;
using Medic.Core.Logs.Clustering;
using Medic.Core.Logs.Mining;
using Medic.Core.Logs.Signals;
using Medic.Core.Signals;
using Medic.Core.Tests.Support;
using Medic.Testing;

namespace Medic.Core.Tests.Logs;

public sealed class LogSignalStageTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
    private readonly RecordingBus _bus = new();
    private readonly InMemoryLogTemplateStore _store = new();
    private readonly LogSignalOptions _options = new()
    {
        LearningPeriod = TimeSpan.FromMinutes(10),
        MinBaselineWindows = 5,
        Windows = new PatternHistoryOptions { MinHistory = 10, ReclusterEvery = 5, Recent = 3 },
        Sessions = new PatternHistoryOptions { MinHistory = 30, ReclusterEvery = 20, Recent = 5 },
        SessionPattern = @"blk_\d+",
    };

    [Fact]
    public async Task A_new_template_is_a_signal_after_learning_and_a_stronger_one_right_after_a_change()
    {
        var stage = Stage();
        await SendAsync(stage, Minute(0, "cart", "order placed for customer 1"));
        await SendAsync(stage, Minute(1, "cart", "payment declined for order 1"));
        Assert.Empty(Signals("NewLogTemplate"));

        await SendAsync(stage, Minute(20, "cart", "inventory lookup timed out"));
        await stage.HandleAsync(Change("cart", T0.AddMinutes(25)), CancellationToken.None);
        await SendAsync(stage, Minute(27, "cart", "null reference in checkout handler"));

        var signals = Signals("NewLogTemplate");
        Assert.Equal(2, signals.Count);
        Assert.Equal((0.5, "cart"), (signals[0].Score, signals[0].Entity.Name));
        Assert.Equal(0.85, signals[1].Score);
        Assert.EndsWith("(2 min after: deploy cart 1.4.2)", signals[1].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rare_template_whose_rate_spikes_is_a_signal()
    {
        var stage = Stage();
        for (var minute = 0; minute < 20; minute++)
        {
            await SendAsync(stage, Background(minute, "api"));
            if (minute % 5 == 0)
            {
                await SendAsync(stage, Minute(minute, "api", "cache miss for key 7"));
            }
        }

        await SendAsync(stage, [.. Enumerable.Range(0, 12).Select(i => Minute(20, "api", $"cache miss for key {i}"))]);
        await SendAsync(stage, Background(21, "api"));

        var spike = Assert.Single(Signals("LogTemplateSpike"));
        Assert.StartsWith("api: 12 \"cache miss for key <*>\" in a minute, usually 0.2", spike.Summary, StringComparison.Ordinal);
        Assert.Equal(T0.AddMinutes(21), spike.ObservedAt);
    }

    [Fact]
    public async Task A_burst_of_error_lines_is_a_signal()
    {
        var stage = Stage();
        for (var minute = 0; minute < 15; minute++)
        {
            await SendAsync(stage, [.. Background(minute, "api"), Minute(minute, "api", "upstream reset by peer") with { Level = "ERROR" }]);
        }

        await SendAsync(stage, [.. Enumerable.Range(0, 30).Select(i => Minute(15, "api", "upstream reset by peer") with { Level = "error" })]);
        await stage.OnTickAsync(T0.AddMinutes(17), CancellationToken.None);

        var burst = Assert.Single(Signals("LogErrorBurst"));
        Assert.StartsWith("api: 30 error lines in a minute, usually 1", burst.Summary, StringComparison.Ordinal);
        Assert.InRange(burst.Score, 0.6, 1);
    }

    [Fact]
    public async Task A_burst_that_lasts_is_one_signal_and_a_burst_after_a_quiet_spell_another()
    {
        var stage = Stage();
        for (var minute = 0; minute < 15; minute++)
        {
            await SendAsync(stage, [.. Background(minute, "api"), Minute(minute, "api", "upstream reset by peer") with { Level = "ERROR" }]);
        }

        LogRecord[] Burst(int minute) => [.. Background(minute, "api"), .. Enumerable.Range(0, 60).Select(i => Minute(minute, "api", "upstream reset by peer") with { Level = "ERROR" })];
        for (var minute = 15; minute < 20; minute++)
        {
            await SendAsync(stage, Burst(minute));
        }

        for (var minute = 20; minute < 27; minute++)
        {
            await SendAsync(stage, Background(minute, "api"));
        }

        await SendAsync(stage, Burst(27));
        await stage.OnTickAsync(T0.AddMinutes(29), CancellationToken.None);

        Assert.Equal([T0.AddMinutes(16), T0.AddMinutes(28)], Signals("LogErrorBurst").Select(s => s.ObservedAt));
    }

    [Fact]
    public async Task A_window_unlike_the_usual_mix_is_a_pattern_shift()
    {
        var stage = Stage();
        for (var minute = 0; minute < 30; minute++)
        {
            await SendAsync(stage, Background(minute, "api"));
        }

        Assert.Empty(Signals("LogPatternShift"));
        await SendAsync(stage, [.. Enumerable.Range(0, 20).Select(i => Minute(30, "api", $"replica {i} lost quorum, stepping down"))]);
        await SendAsync(stage, Background(31, "api"));

        var shift = Assert.Single(Signals("LogPatternShift"));
        Assert.Contains("unlike any usual one", shift.Summary, StringComparison.Ordinal);
        Assert.Contains("20× replica <*> lost quorum, stepping down", shift.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_that_runs_unlike_the_others_is_a_signal_when_it_ends()
    {
        var stage = Stage();
        for (var block = 0; block < 60; block++)
        {
            var minute = block / 6;
            await SendAsync(stage, [
                Minute(minute, "hdfs", $"Receiving block blk_{block} src: /10.0.0.1:50010"),
                Minute(minute, "hdfs", $"Received block blk_{block} of size 67108864"),
                Minute(minute, "hdfs", $"PacketResponder 1 for block blk_{block} terminating"),
            ]);
            await stage.OnTickAsync(T0.AddMinutes(minute + 3), CancellationToken.None);
        }

        Assert.Empty(Signals("LogSessionAnomaly"));
        await SendAsync(stage, [
            Minute(20, "hdfs", "Receiving block blk_999 src: /10.0.0.1:50010"),
            Minute(20, "hdfs", "Exception in receiveBlock for block blk_999 java.io.IOException: Connection reset"),
            Minute(20, "hdfs", "writeBlock blk_999 received exception java.io.IOException: Connection reset"),
        ]);
        await stage.OnTickAsync(T0.AddMinutes(25), CancellationToken.None);
        Assert.Empty(Signals("LogSessionAnomaly")); // the service's own clock has not moved on: the session may go on

        await stage.OnTickAsync(T0.AddMinutes(31), CancellationToken.None);
        var anomaly = Assert.Single(Signals("LogSessionAnomaly"));
        Assert.StartsWith("hdfs: session blk_999 ran unlike the others", anomaly.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_saved_state_costs_that_service_its_ids_not_the_stage_its_signals()
    {
        _store.States["cart"] = "{ not json";
        var stage = Stage();
        await SendAsync(stage, Minute(0, "cart", "order 1 placed"));
        await SendAsync(stage, Minute(20, "cart", "order 2 refunded by support"));

        Assert.Single(Signals("NewLogTemplate"));
    }

    [Fact]
    public async Task A_window_of_a_few_lines_is_too_few_to_judge_its_mix()
    {
        var stage = Stage();
        for (var minute = 0; minute < 30; minute++)
        {
            await SendAsync(stage, Background(minute, "api"));
        }

        await SendAsync(stage, [Minute(30, "api", "health check ok in 1 ms"), Minute(30, "api", "GET /api/items/1 served in 4 ms")]);
        await SendAsync(stage, Background(31, "api"));

        Assert.Empty(Signals("LogPatternShift"));
    }

    [Fact]
    public async Task Lines_stamped_in_the_future_are_taken_as_written_now()
    {
        var stage = Stage();
        await SendAsync(stage, Minute(0, "cart", "order 1 placed"));
        await SendAsync(stage, new LogRecord(DateTimeOffset.MaxValue, "cart", "clock of this host is broken"));
        for (var minute = 1; minute < 30; minute++)
        {
            await SendAsync(stage, Background(minute, "cart"));
        }

        // Windows keep closing: the future line did not push the open window out of reach.
        await SendAsync(stage, [.. Enumerable.Range(0, 20).Select(i => Minute(30, "cart", $"replica {i} lost quorum, stepping down"))]);
        await stage.OnTickAsync(T0.AddMinutes(32), CancellationToken.None);
        Assert.NotEmpty(Signals("LogPatternShift"));
    }

    [Fact]
    public async Task Templates_are_saved_on_the_tick_and_a_restarted_stage_keeps_their_ids()
    {
        var stage = Stage();
        await SendAsync(stage, Minute(0, "cart", "order 1 placed"));
        await stage.OnTickAsync(T0.AddMinutes(2), CancellationToken.None);
        Assert.True(_store.States.ContainsKey("cart"));

        var restarted = Stage();
        await SendAsync(restarted, Minute(30, "cart", "order 2 placed"));

        Assert.Empty(Signals("NewLogTemplate"));
    }

    private LogSignalStage Stage() => new(new TemplateMiner(), _store, _bus, _options, new FixedClock(T0.AddMinutes(30)), Microsoft.Extensions.Logging.Abstractions.NullLogger<LogSignalStage>.Instance);

    /// <summary>A clock near the test's log times, so they are neither in the future nor too late.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private List<Signal> Signals(string type) => _bus.Messages.OfType<Signal>().Where(s => s.Type == type).ToList();

    private static LogRecord Minute(int minute, string service, string message) => new(T0.AddMinutes(minute).AddSeconds(1), service, message);

    private static LogRecord[] Background(int minute, string service) =>
        [.. Enumerable.Range(0, 15).Select(i => Minute(minute, service, $"GET /api/items/{i} served in {i + 3} ms")), .. Enumerable.Range(0, 5).Select(i => Minute(minute, service, $"health check ok in {i} ms"))];

    private static ChangeEvent Change(string service, DateTimeOffset at) => new()
    {
        Id = "c1",
        Kind = "deploy",
        Service = service,
        At = at,
        Actor = "ci",
        Description = $"deploy {service} 1.4.2",
    };

    private static Task SendAsync(LogSignalStage stage, params LogRecord[] records) => stage.HandleAsync(new LogBatch(records), CancellationToken.None).AsTask();
}
