using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Medic.Core.Detection;
using Medic.Core.Detection.Offline;
using Medic.Detect;
using Spectre.Console;

namespace Medic.Cli;

/// <summary><c>medic detect FILE.csv</c>: offline detection on a timestamp,value CSV, with an SVG of what was found.</summary>
internal static class DetectCommand
{

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "A CSV of timestamp,value rows (a header line is optional)." };
        var period = new Option<int?>("--period") { Description = "The season in values (e.g. 288 for a day at 5 minutes); when not given, an hour, a day or a week at the series' step if the autocorrelation says so, else the autocorrelation's strongest peak; 0 for none." };
        var sensitivity = new Option<double>("--sensitivity") { Description = "Robust standard deviations of the residual at which a value is abnormal.", DefaultValueFactory = _ => 4 };
        var duration = new Option<int>("--min-duration") { Description = "Abnormal values (without a calm of 10 between them) an anomaly needs.", DefaultValueFactory = _ => 3 };
        var plot = new Option<string?>("--plot") { Description = "Also draw the series, its expected band and the anomalies to this SVG file." };
        var json = new Option<string?>("--json") { Description = "Also write the anomalies as JSON to this file." };
        var command = new Command("detect", "Find the anomalies of a whole series in a CSV: robust STL when it has a season, else a running median; residuals judged against their median and MAD.") { file, period, sensitivity, duration, plot, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(file)!;
            DateTimeOffset[] times;
            double[] values;
            try
            {
                (times, values) = SeriesCsv.Read(path);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"medic detect: {e.Message}");
                return 1;
            }

            if (result.GetValue(period) is < 0 or 1)
            {
                await Console.Error.WriteLineAsync("medic detect: --period must be 0 (no season) or at least 2");
                return 1;
            }

            var step = times.Length > 1 ? times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).Order().ElementAt((times.Length - 1) / 2) : 0;
            var found = OfflineDetection.Detect(values, result.GetValue(period), result.GetValue(sensitivity), Math.Max(1, result.GetValue(duration)), PeriodFinder.NaturalCandidates(step));
            var table = new Table()
                .Title($"{Path.GetFileName(path)}: {values.Length:N0} values, {(found.Period > 0 ? $"season of {found.Period} values" : "no season")}, {found.Anomalies.Count} anomalies")
                .AddColumns("from", "to", "peak", "value", "expected", "score", "direction");
            foreach (var anomaly in found.Anomalies)
            {
                table.AddRow(
                    $"{times[anomaly.Start]:yyyy-MM-dd HH:mm}",
                    $"{times[anomaly.End]:yyyy-MM-dd HH:mm}",
                    $"{times[anomaly.Peak]:yyyy-MM-dd HH:mm}",
                    values[anomaly.Peak].ToString("G6", CultureInfo.InvariantCulture),
                    found.Expected[anomaly.Peak].ToString("G6", CultureInfo.InvariantCulture),
                    $"{anomaly.Score:0.00}",
                    anomaly.Direction > 0 ? "up" : "down");
            }

            AnsiConsole.Write(table);
            if (result.GetValue(plot) is { } svg)
            {
                await File.WriteAllTextAsync(svg, SvgPlot.Render($"{Path.GetFileName(path)} ({(found.Period > 0 ? $"season {found.Period}" : "no season")})", times, values, found), cancellationToken);
                await Console.Error.WriteLineAsync($"plot written to {svg}");
            }

            if (result.GetValue(json) is { } output)
            {
                var report = new JsonObject
                {
                    ["file"] = Path.GetFileName(path),
                    ["values"] = values.Length,
                    ["period"] = found.Period,
                    ["anomalies"] = new JsonArray([.. found.Anomalies.Select(a => (JsonNode)new JsonObject
                    {
                        ["from"] = times[a.Start].ToString("O", CultureInfo.InvariantCulture),
                        ["to"] = times[a.End].ToString("O", CultureInfo.InvariantCulture),
                        ["peak"] = times[a.Peak].ToString("O", CultureInfo.InvariantCulture),
                        ["value"] = values[a.Peak],
                        ["expected"] = found.Expected[a.Peak],
                        ["lower"] = found.Lower[a.Peak],
                        ["upper"] = found.Upper[a.Peak],
                        ["score"] = Math.Round(a.Score, 4),
                        ["direction"] = a.Direction > 0 ? "up" : "down",
                    })]),
                };
                await File.WriteAllTextAsync(output, report.ToJsonString() + "\n", cancellationToken);
            }

            return 0;
        });
        return command;
    }
}
