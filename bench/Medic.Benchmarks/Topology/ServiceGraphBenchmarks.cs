using BenchmarkDotNet.Attributes;
using Medic.Core.Topology;
using Medic.Core.Traces;

namespace Medic.Benchmarks.Topology;

/// <summary>
/// The service graph learning from spans: a batch of 1,000 traces of 5 calls each (10,000 spans,
/// client and server halves arriving in the same batch) across 50 services. Reported per batch;
/// divide by 10,000 for one span.
/// </summary>
[MemoryDiagnoser]
public class ServiceGraphBenchmarks
{
    private const int Traces = 1_000, CallsPerTrace = 5, Services = 50;
    private readonly ServiceGraph _graph = new();
    private List<SpanRecord> _batch = [];
    private int _round;

    [GlobalSetup]
    public void Setup() => _batch = Batch(0);

    [Benchmark]
    public int LearnBatch()
    {
        // Each round is a little later, so that edges stay live and the pending pairs expire as in production.
        _round++;
        var shift = TimeSpan.FromSeconds(_round);
        _graph.Learn(_batch.Select(s => s with { Start = s.Start + shift, End = s.End + shift }));
        return _graph.Callees("svc-0").Count;
    }

    private static List<SpanRecord> Batch(int seed)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var spans = new List<SpanRecord>(Traces * CallsPerTrace * 2);
        for (var t = 0; t < Traces; t++)
        {
            var trace = $"{t:x32}";
            for (var c = 0; c < CallsPerTrace; c++)
            {
                var (from, to) = ($"svc-{random.Next(Services)}", $"svc-{random.Next(Services)}");
                var client = new SpanRecord(trace, $"{(t * 100) + (2 * c):x16}", "", from, "call", "client", start, start.AddMilliseconds(20), random.NextDouble() < 0.01);
                spans.Add(client);
                spans.Add(new SpanRecord(trace, $"{(t * 100) + (2 * c) + 1:x16}", client.SpanId, to, "serve", "server", start, start.AddMilliseconds(18), client.Error));
            }
        }

        return spans;
    }
}
