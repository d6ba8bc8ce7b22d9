using BenchmarkDotNet.Attributes;
using Medic.Core.Rca.Causal;
using Medic.Core.Rca.Shift;

namespace Medic.Benchmarks.Rca;

/// <summary>
/// Diagnosis of an incident touching 50 services × 6 metrics over 60 minutes at a 15 s step (240
/// samples a series: 45 minutes of baseline, 15 of incident), with a call graph of 50 services and a
/// fault planted in one of them that spreads to its callers. The fast tier (shift scores and the
/// traversal) must answer well under a second; the deep tier (PC over the 30 most shifted
/// candidates and the random walk) within ten.
/// </summary>
[MemoryDiagnoser]
public class DiagnosisBenchmarks
{
    private const int Services = 50, MetricsPerService = 6, Baseline = 180, Incident = 60;
    private RcaProblem _problem = new([]);

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        // Each service calls up to three later ones: a DAG from svc-0 (the entry) down.
        var calls = Enumerable.Range(0, Services - 1)
            .SelectMany(s => Enumerable.Range(0, random.Next(1, 4)).Select(_ => ($"svc-{s}", $"svc-{random.Next(s + 1, Services)}")))
            .Distinct()
            .ToList();
        const int root = 37;
        var affected = new HashSet<string>(StringComparer.Ordinal) { $"svc-{root}" };
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (caller, callee) in calls)
            {
                changed |= affected.Contains(callee) && affected.Add(caller);
            }
        }

        var metrics = new List<MetricWindow>();
        for (var s = 0; s < Services; s++)
        {
            var name = $"svc-{s}";
            for (var m = 0; m < MetricsPerService; m++)
            {
                var level = 10 + (10 * random.NextDouble());
                var shift = name == $"svc-{root}" ? 8.0 : affected.Contains(name) ? 3.0 : 0.0;
                double Sample(bool during) => level + random.NextDouble() + (during && m == 0 ? shift : 0);
                metrics.Add(new MetricWindow(name, $"metric-{m}", [.. Enumerable.Range(0, Baseline).Select(_ => Sample(false))], [.. Enumerable.Range(0, Incident).Select(_ => Sample(true))]));
            }
        }

        _problem = new RcaProblem(metrics) { Calls = calls, Target = "svc-0" };
    }

    [Benchmark]
    public string FastTier() => ShiftRanker.Rank(_problem)[0].Name;

    [Benchmark]
    public string DeepTier() => PcRanker.Rank(_problem)[0];
}
