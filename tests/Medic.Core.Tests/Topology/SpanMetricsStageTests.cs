using Medic.Core.Telemetry;
using Medic.Core.Traces;
using Medic.Testing;

namespace Medic.Core.Tests.Topology;

public sealed class SpanMetricsStageTests
{
    [Fact]
    public async Task Each_window_of_served_spans_becomes_a_rate_an_error_ratio_and_a_p99_and_silence_becomes_a_zero_rate()
    {
        var bus = new RecordingBus();
        var stage = new SpanMetricsStage(bus);
        var start = new DateTimeOffset(2026, 1, 5, 3, 0, 0, TimeSpan.Zero);
        var spans = Enumerable.Range(0, 240).Select(i => new SpanRecord("t", $"s{i}", "p", "cart", "GET /cart", i % 20 == 0 ? "client" : "server", start.AddSeconds(i * 0.125), start.AddSeconds(i * 0.125).AddMilliseconds(i % 80 == 7 ? 900 : 30), Error: i % 6 == 1)
        {
            Resource = new Dictionary<string, string> { ["namespace"] = "shop" },
        }).ToList();
        await stage.HandleAsync(new SpanBatch(spans), CancellationToken.None);

        await stage.OnTickAsync(start.AddSeconds(30), CancellationToken.None);
        Assert.Empty(bus.Messages);

        await stage.OnTickAsync(start.AddSeconds(45), CancellationToken.None);
        var samples = bus.Messages.OfType<SampleBatch>().Single().Samples.ToDictionary(s => s.Series.ToString(), s => s.Value);
        Assert.Equal(228 / 30.0, samples["span_request_rate{namespace=\"shop\",service=\"cart\"}"], 6);
        Assert.Equal(40 / 228.0, samples["span_error_ratio{namespace=\"shop\",service=\"cart\"}"], 6);
        Assert.InRange(samples["span_latency_p99_seconds{namespace=\"shop\",service=\"cart\"}"], 0.9, 0.9 * 1.42);

        // Nothing more comes: the next windows say so.
        bus.Clear();
        await stage.OnTickAsync(start.AddSeconds(75), CancellationToken.None);
        Assert.Equal(0, Assert.Single(bus.Messages.OfType<SampleBatch>().Single().Samples).Value);

        // A window of a few spans gives a rate and nothing else: its ratio and p99 would be noise.
        bus.Clear();
        await stage.HandleAsync(new SpanBatch([.. spans.Take(10).Select(p => p with { Start = start.AddSeconds(90), End = start.AddSeconds(90.1) })]), CancellationToken.None);
        await stage.OnTickAsync(start.AddSeconds(135), CancellationToken.None);
        Assert.Equal(["span_request_rate"], bus.Messages.OfType<SampleBatch>().SelectMany(b => b.Samples).Where(s => s.Value > 0).Select(s => s.Series.Name).Distinct());

        // A span of a window already published is left out and counted.
        await stage.HandleAsync(new SpanBatch([spans[1]]), CancellationToken.None);
        Assert.Equal(1, stage.Late);
    }
}
