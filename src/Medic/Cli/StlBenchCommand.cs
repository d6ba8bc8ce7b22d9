using System.CommandLine;
using System.Text.Json.Nodes;
using Medic.Bench;

namespace Medic.Cli;

/// <summary><c>medic bench stl</c>: offline STL beside statsmodels' on the same series.</summary>
internal static class StlBenchCommand
{
    public static Command Create()
    {
        var points = new Option<int>("--points") { Description = "Length of the series.", DefaultValueFactory = _ => 10_000 };
        var period = new Option<int>("--period") { Description = "Season length in values.", DefaultValueFactory = _ => 288 };
        var robust = new Option<bool>("--robust") { Description = "The robust variant (outer robustness iterations).", DefaultValueFactory = _ => true };
        var runs = new Option<int>("--runs") { Description = "Runs of each implementation; the median is reported.", DefaultValueFactory = _ => 5 };
        var json = new Option<string?>("--json") { Description = "Also write {\"points\",\"period\",\"medic_ms\",\"statsmodels_ms\",\"speedup\",\"max_difference\"} to this file." };
        var command = new Command("stl", $"Time Medic's STL and statsmodels' STL ({StlBenchmark.Python}) on the same series, side by side.") { points, period, robust, runs, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var (n, p, r) = (result.GetValue(points), result.GetValue(period), result.GetValue(runs));
            if (p < 2 || n < 2 * p || r < 1)
            {
                await Console.Error.WriteLineAsync("medic bench stl: --period must be at least 2, --points at least two periods, --runs at least 1");
                return 1;
            }

            var report = await StlBenchmark.RunAsync(n, p, result.GetValue(robust), r, line => Console.Error.WriteLine(line), cancellationToken);
            await Console.Out.WriteLineAsync($"medic        {report.MedicMs,10:0.00} ms   STL of {report.Points:N0} points, period {report.Period} (median of {r})");
            var speedup = report.StatsmodelsMs / report.MedicMs;
            await Console.Out.WriteLineAsync(report.StatsmodelsMs is { } theirs
                ? $"statsmodels  {theirs,10:0.00} ms   {speedup:0.0}× slower; largest difference between the two {report.MaxDifference:0.###e+0}"
                : "statsmodels  not available: apt-get install python3-statsmodels to compare");
            if (result.GetValue(json) is { } path)
            {
                var figures = new JsonObject
                {
                    ["points"] = report.Points,
                    ["period"] = report.Period,
                    ["medic_ms"] = Math.Round(report.MedicMs, 3),
                    ["statsmodels_ms"] = report.StatsmodelsMs is { } s ? Math.Round(s, 3) : null,
                    ["speedup"] = speedup is { } x ? Math.Round(x, 2) : null,
                    ["max_difference"] = report.MaxDifference,
                };
                await File.WriteAllTextAsync(path, figures.ToJsonString() + "\n", cancellationToken);
            }

            return 0;
        });
        return command;
    }
}
