using BenchmarkDotNet.Attributes;
using Medic.Core.Rca;
using Medic.Core.Rca.Causal;
using Medic.Core.Rca.Shift;
using Medic.Core.Signals;
using Medic.Core.Telemetry;
using Medic.Core.Topology;

namespace Medic.Benchmarks.Rca;

/// <summary>
/// Diagnosis of an incident touching 50 services × 6 metrics over 60 minutes at a 15 s step (240
/// samples a series: 45 minutes of baseline, 15 of incident), with a call graph of 50 services and a
/// fault planted in one of them that spreads to its callers. The fast tier (shift scores and the
/// traversal) must answer well under a second; the deep tier (PC over the 30 most shifted
/// candidates and the random walk) within ten. The live path is measured too: the evidence ranker
/// over one signal per anomalous series, and the deep tier from samples as they arrived (gridding
/// included).
/// </summary>
[MemoryDiagnoser]
public class DiagnosisBenchmarks
{
    private const int Services = 50, MetricsPerService = 6, Baseline = 180, Incident = 60;
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(15);
    private readonly DiagnosisOptions _options = new();
    private RcaProblem _problem = new([]);
    private List<Signal> _signals = [];
    private LearnedTopology _topology = new();
    private RecentSamples _recent = new([], TimeSpan.Zero);

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
        Live(calls, metrics);
    }

    /// <summary>The same incident as the live pipeline sees it: samples on the bus, one signal per series that moved.</summary>
    private void Live(List<(string Caller, string Callee)> calls, List<MetricWindow> metrics)
    {
        string[] names = ["service_latency_p99_seconds", "service_error_ratio", "service_request_rate", "container_cpu_usage_cores", "container_memory_working_set_bytes", "service_latency_p50_seconds"];
        _topology = new LearnedTopology();
        _topology.Learn(new SampleBatch([.. calls.Select(c => new Sample(SeriesKey.Of("service_client_request_rate", "service", c.Caller, "peer_service", c.Callee), Start, 1))]));
        _recent = new RecentSamples(names, TimeSpan.FromHours(2));
        var samples = new List<Sample>();
        _signals = [];
        foreach (var metric in metrics)
        {
            var series = SeriesKey.Of(names[int.Parse(metric.Metric["metric-".Length..], System.Globalization.CultureInfo.InvariantCulture)], "service", metric.Candidate);
            var values = metric.Baseline.Concat(metric.Incident).ToArray();
            samples.AddRange(values.Select((v, i) => new Sample(series, Start + (i * Step), v)));
            var shift = ShiftScorer.Score(metric);
            if (shift > 3)
            {
                _signals.Add(new Signal
                {
                    Id = $"{series}",
                    Source = SignalSources.Metrics,
                    Type = "HighLatency",
                    Entity = Entity.FromSeries(series),
                    Score = Math.Min(1, shift / 20),
                    Confidence = 0.9,
                    ObservedAt = Start + (Baseline * Step),
                    Summary = $"{series} moved",
                    Metric = series.ToString(),
                    Value = metric.Incident.Max(),
                    Direction = "up",
                    Labels = series.Labels.Append(KeyValuePair.Create("__name__", series.Name)).ToDictionary(StringComparer.Ordinal),
                });
            }
        }

        _recent.Record(new SampleBatch(samples));
    }

    [Benchmark]
    public string FastTier() => ShiftRanker.Rank(_problem)[0].Name;

    [Benchmark]
    public string DeepTier() => PcRanker.Rank(_problem)[0];

    [Benchmark]
    public string LiveFastTier() => EvidenceRanker.Rank(_signals, [], _topology, _options)[0].Entity.Name;

    [Benchmark]
    public string LiveDeepTier()
    {
        var onset = Start + (Baseline * Step);
        var now = onset + (Incident * Step);
        return Medic.Core.Rca.DeepTier.Rank(Medic.Core.Rca.DeepTier.Problem(_recent, _topology, onset, now, _options), onset - _options.DeepLookback, now).Ranked[0];
    }
}
