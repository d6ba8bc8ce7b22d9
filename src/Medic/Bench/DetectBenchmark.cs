using System.Diagnostics;
using Medic.Core.Detection.Streaming;

namespace Medic.Bench;

/// <summary>What <c>medic bench detect</c> measured at steady state (every series past its warm-up).</summary>
/// <param name="Series">Series fed.</param>
/// <param name="Samples">Samples timed.</param>
/// <param name="Elapsed">Time of the timed samples.</param>
/// <param name="BytesPerSeries">Heap the detector holds per series, measured.</param>
/// <param name="AllocatedBytes">Bytes allocated while the timed samples were judged.</param>
/// <param name="Signals">Signals opened in the timed part.</param>
internal sealed record DetectBenchResult(int Series, long Samples, TimeSpan Elapsed, double BytesPerSeries, long AllocatedBytes, long Signals)
{
    public double SamplesPerSecond => Samples / Elapsed.TotalSeconds;

    public double AllocationsPerSample => (double)AllocatedBytes / Samples;
}

/// <summary>
/// Synthetic seasonal series (a daily cycle of 288 five-minute steps, each series with its own
/// phase, level and noise) through the default streaming detector on one thread, one round of
/// every series per step, as values arrive from a scrape.
/// </summary>
internal static class DetectBenchmark
{
    public static DetectBenchResult Run(int series, int points, Action<string> progress)
    {
        var options = new StreamingOptions();
        var period = options.Period;
        var cycle = Enumerable.Range(0, period).Select(i => Math.Sin(2 * Math.PI * i / period)).ToArray();
        var random = new Random(1);
        var level = Enumerable.Range(0, series).Select(_ => 50 + (100 * random.NextDouble())).ToArray();
        var amplitude = Enumerable.Range(0, series).Select(i => level[i] * 0.3 * random.NextDouble()).ToArray();
        var offset = Enumerable.Range(0, series).Select(_ => random.Next(period)).ToArray();
        var noise = new Xorshift(7);

        var empty = Heap();
        var detector = new HoltWintersDetector(options, series);
        for (var s = 0; s < series; s++)
        {
            detector.Add();
        }

        var bytesPerSeries = (double)(Heap() - empty) / series;
        var warmUp = Math.Min(options.WarmUp, points / 2);
        long samples = 0, signals = 0, allocated = 0;
        var watch = new Stopwatch();
        var checksum = 0.0;
        for (var t = 0; t < points; t++)
        {
            if (t == warmUp)
            {
                allocated = GC.GetAllocatedBytesForCurrentThread();
                watch.Start();
            }

            for (var s = 0; s < series; s++)
            {
                var value = level[s] + (amplitude[s] * cycle[(t + offset[s]) % period]) + (level[s] * 0.02 * noise.Next());
                var verdict = detector.Observe(s, value);
                checksum += verdict.Score;
                signals += verdict.Change == SignalChange.Opened ? 1 : 0;
            }

            if (t >= warmUp)
            {
                samples += series;
            }

            if ((t + 1) % Math.Max(1, points / 10) == 0)
            {
                // What the progress line allocates is the benchmark's, not the detector's.
                var before = GC.GetAllocatedBytesForCurrentThread();
                progress($"{t + 1:N0} of {points:N0} points of {series:N0} series{(t >= warmUp ? $", {samples / watch.Elapsed.TotalSeconds:N0} samples/s" : " (warming up)")}");
                allocated += t >= warmUp ? GC.GetAllocatedBytesForCurrentThread() - before : 0;
            }
        }

        watch.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        GC.KeepAlive(checksum);
        return new DetectBenchResult(series, samples, watch.Elapsed, bytesPerSeries, allocated, signals);
    }

    private static long Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Cheap uniform noise in [-1, 1), so the generator does not dominate what is timed.</summary>
    private struct Xorshift(ulong seed)
    {
        private ulong _state = seed;

        public double Next()
        {
            _state ^= _state << 13;
            _state ^= _state >> 7;
            _state ^= _state << 17;
            return ((_state >> 11) * (1.0 / (1UL << 53)) * 2) - 1;
        }
    }
}
