using System.Diagnostics;
using System.Globalization;
using Medic.Core.Detection.Decomposition;

namespace Medic.Bench;

/// <summary>What <c>medic bench stl</c> measured: medians of several runs of each implementation on the same series.</summary>
/// <param name="Points">Length of the series.</param>
/// <param name="Period">Season length.</param>
/// <param name="MedicMs">Median time of Medic's decomposition.</param>
/// <param name="StatsmodelsMs">Median time of statsmodels' fit; null when statsmodels is not available.</param>
/// <param name="MaxDifference">Largest difference between the two decompositions' components, or null.</param>
internal sealed record StlBenchResult(int Points, int Period, double MedicMs, double? StatsmodelsMs, double? MaxDifference);

/// <summary>
/// Offline STL timed side by side with statsmodels' <c>STL</c> (Debian's <c>/usr/bin/python3</c>):
/// the same series, the same parameters, each timed in its own process around the fit alone.
/// </summary>
internal static class StlBenchmark
{
    public const string Python = "/usr/bin/python3";

    private const string Script = """
        import sys, time, statistics
        import numpy as np
        from statsmodels.tsa.seasonal import STL
        period, robust, runs = int(sys.argv[1]), sys.argv[2] == "1", int(sys.argv[3])
        y = np.array([float(v) for v in sys.stdin.read().split()])
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            res = STL(y, period=period, robust=robust).fit()
            times.append((time.perf_counter() - start) * 1000)
        print(statistics.median(times))
        for name in ("seasonal", "trend"):
            print(" ".join(repr(float(v)) for v in np.asarray(getattr(res, name))))
        """;

    public static async Task<StlBenchResult> RunAsync(int points, int period, bool robust, int runs, Action<string> progress, CancellationToken cancellationToken)
    {
        var y = Series(points, period);
        var options = new StlOptions { Period = period, Robust = robust };
        progress($"medic: {runs} runs of STL on {points:N0} points, period {period}{(robust ? ", robust" : "")}");
        Stl.Decompose(y, options);
        var times = new List<double>();
        StlResult ours = null!;
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            ours = Stl.Decompose(y, options);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        var medic = Median(times);
        if (!File.Exists(Python))
        {
            progress($"statsmodels: {Python} is missing (apt-get install python3-statsmodels); timing Medic alone");
            return new StlBenchResult(points, period, medic, null, null);
        }

        progress($"statsmodels: {runs} runs on the same series");
        var start = new ProcessStartInfo(Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", Script, $"{period}", robust ? "1" : "0", $"{runs}" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardInput.WriteAsync(string.Join(' ', y.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        process.StandardInput.Close();
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            progress($"statsmodels: not available ({(await error).Trim().Split('\n').Last()}); apt-get install python3-statsmodels; timing Medic alone");
            return new StlBenchResult(points, period, medic, null, null);
        }

        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var theirs = lines.Skip(1).Select(l => l.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var difference = Math.Max(
            ours.Seasonal.Zip(theirs[0], (a, b) => Math.Abs(a - b)).Max(),
            ours.Trend.Zip(theirs[1], (a, b) => Math.Abs(a - b)).Max());
        return new StlBenchResult(points, period, medic, double.Parse(lines[0], CultureInfo.InvariantCulture), difference);
    }

    /// <summary>A daily season, a weekly one, a trend, noise and a few outliers: what a request rate looks like.</summary>
    private static double[] Series(int points, int period)
    {
        var random = new Random(1);
        var y = Enumerable.Range(0, points)
            .Select(i => 100 + (30 * Math.Sin(2 * Math.PI * i / period)) + (10 * Math.Sin(2 * Math.PI * i / (7.0 * period))) + (0.002 * i) + (5 * random.NextDouble()))
            .ToArray();
        for (var k = 0; k < points / 500; k++)
        {
            y[random.Next(points)] += 80;
        }

        return y;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }
}
