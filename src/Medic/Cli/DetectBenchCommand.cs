using System.CommandLine;
using System.Text.Json.Nodes;
using Medic.Bench;

namespace Medic.Cli;

/// <summary><c>medic bench detect</c>: the default streaming detector's speed and memory on synthetic seasonal series.</summary>
internal static class DetectBenchCommand
{
    public static Command Create()
    {
        var series = new Option<int>("--series") { Description = "Series fed, one value each per step.", DefaultValueFactory = _ => 100_000 };
        var points = new Option<int>("--points") { Description = "Values per series (the first two days of 288 steps are warm-up, not timed).", DefaultValueFactory = _ => 2_000 };
        var json = new Option<string?>("--json") { Description = "Also write {\"series\",\"samples_per_s\",\"bytes_per_series\",\"allocations_per_sample\"} to this file." };
        var command = new Command("detect", "Feed synthetic daily-seasonal series through the default streaming detector on one thread; report samples/s at steady state, bytes of state per series and bytes allocated per sample.") { series, points, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var (n, p) = (result.GetValue(series), result.GetValue(points));
            if (n < 1 || p < 2)
            {
                await Console.Error.WriteLineAsync("medic bench detect: --series must be at least 1 and --points at least 2");
                return 1;
            }

            var report = DetectBenchmark.Run(n, p, line => Console.Error.WriteLine(line));
            await Console.Out.WriteLineAsync($"samples/s     {report.SamplesPerSecond,14:N0}   one thread, steady state ({report.Samples:N0} samples in {report.Elapsed.TotalSeconds:0.00} s)");
            await Console.Out.WriteLineAsync($"state         {report.BytesPerSeries,14:N0}   bytes per series (Holt-Winters, a season of 288)");
            await Console.Out.WriteLineAsync($"allocations   {report.AllocationsPerSample,14:0.####}   bytes per sample ({report.AllocatedBytes:N0} bytes in all)");
            await Console.Out.WriteLineAsync($"signals       {report.Signals,14:N0}   opened on the noise (sensitivity 4, at least 3 values)");
            if (result.GetValue(json) is { } path)
            {
                var figures = new JsonObject
                {
                    ["series"] = report.Series,
                    ["samples_per_s"] = Math.Round(report.SamplesPerSecond),
                    ["bytes_per_series"] = Math.Round(report.BytesPerSeries, 1),
                    ["allocations_per_sample"] = report.AllocationsPerSample,
                };
                await File.WriteAllTextAsync(path, figures.ToJsonString() + "\n", cancellationToken);
            }

            return 0;
        });
        return command;
    }
}
