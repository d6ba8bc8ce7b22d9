using BenchmarkDotNet.Attributes;
using Medic.Core.Detection.Streaming;

namespace Medic.Benchmarks.Detection;

/// <summary>
/// The streaming Holt-Winters detector in steady state (every series past its two-day warm-up,
/// a season of 288): one round scores one value of every series. Reported per round; divide by
/// <see cref="Series"/> for one value.
/// </summary>
[MemoryDiagnoser]
public class HoltWintersBenchmarks
{
    private HoltWintersDetector _detector = null!;
    private double[] _cycle = [];
    private double[] _level = [];
    private int _step;

    [Params(1_000, 100_000)]
    public int Series { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = new StreamingOptions();
        _detector = new HoltWintersDetector(options, Series);
        var random = new Random(1);
        _cycle = [.. Enumerable.Range(0, options.Period).Select(i => 20 * Math.Sin(2 * Math.PI * i / options.Period))];
        _level = [.. Enumerable.Range(0, Series).Select(_ => 50 + (100 * random.NextDouble()))];
        for (var s = 0; s < Series; s++)
        {
            _detector.Add();
        }

        for (var t = 0; t < options.WarmUp + 10; t++)
        {
            ObserveRound();
        }
    }

    [Benchmark]
    public double ObserveRound()
    {
        var phase = _step++ % _cycle.Length;
        var total = 0.0;
        for (var s = 0; s < _level.Length; s++)
        {
            total += _detector.Observe(s, _level[s] + _cycle[(phase + s) % _cycle.Length] + ((s & 7) * 0.01), _step).Score;
        }

        return total;
    }
}
