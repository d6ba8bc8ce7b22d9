using BenchmarkDotNet.Attributes;
using Medic.Core.Detection;
using Medic.Core.Telemetry;

namespace Medic.Benchmarks.Detection;

/// <summary>
/// The per-sample cost of metric detection in steady state: every series already has a full
/// window, and a round of samples (one per series) is scored. Reported per round; divide by
/// <see cref="Series"/> for the cost of one sample.
/// </summary>
[MemoryDiagnoser]
public class DetectorBenchmarks
{
    private RobustZScoreDetector _detector = null!;
    private Sample[] _round = [];
    private DateTimeOffset _at;

    [Params(1_000, 10_000)]
    public int Series { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _detector = new RobustZScoreDetector(new DetectionOptions());
        var keys = Enumerable.Range(0, Series)
            .Select(i => SeriesKey.Of("service_latency_p99_seconds", "namespace", "shop", "service", $"svc-{i % 50}", "pod", $"pod-{i}"))
            .ToArray();
        var random = new Random(1);
        _at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        _round = keys.Select(k => new Sample(k, _at, 0.1 + (0.01 * random.NextDouble()))).ToArray();
        for (var i = 0; i < DetectionDefaults.WindowSize; i++)
        {
            ObserveRound();
        }
    }

    [Benchmark]
    public int ObserveRound()
    {
        _at = _at.AddSeconds(10);
        var onsets = 0;
        for (var i = 0; i < _round.Length; i++)
        {
            _round[i] = _round[i] with { Timestamp = _at };
            if (_detector.Observe(_round[i]) is not null)
            {
                onsets++;
            }
        }

        return onsets;
    }
}
