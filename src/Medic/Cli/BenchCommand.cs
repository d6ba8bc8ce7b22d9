using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Medic.Bench;
using Spectre.Console;

namespace Medic.Cli;

/// <summary><c>medic bench</c>: accuracy and speed of the log parser (<c>loghub</c>, <c>logs</c>) and of ingest (<c>ingest</c>).</summary>
internal static class BenchCommand
{
    private static readonly string[] Metrics = ["GA", "FGA", "PA", "FTA"];

    public static Command Create() => new("bench", "Measure Medic against public benchmarks.")
    {
        Loghub(),
        LogThroughputCommand.Create(),
        IngestBenchCommand.Create(),
        NabBenchCommand.Create(),
        StlBenchCommand.Create(),
        DetectBenchCommand.Create(),
        GamedayBenchCommand.Create(),
    };

    private static Command Loghub()
    {
        var data = new Option<string>("--data") { Description = "A Loghub 2k folder: one folder per system with System_2k.log and System_2k.log_structured_corrected.csv, and drain_settings.json.", Required = true };
        var json = new Option<string?>("--json") { Description = "Also write the scores as JSON to this file." };
        var parser = new Option<string>("--parser") { Description = "medic (default), or drain as the reference implementation runs, for comparison.", DefaultValueFactory = _ => "medic" };
        parser.AcceptOnlyFromAmong([.. LoghubBenchmark.Parsers]);
        var command = new Command("loghub", "Parse each system of a Loghub 2k folder and score the templates: GA, FGA, PA and FTA.") { data, json, parser };
        command.SetAction(async (result, cancellationToken) =>
        {
            var folder = result.GetValue(data)!;
            if (!Directory.Exists(folder))
            {
                await Console.Error.WriteLineAsync($"medic bench loghub: no folder {folder}");
                return 1;
            }

            var systems = LoghubSystem.Find(folder);
            if (systems.Count == 0)
            {
                await Console.Error.WriteLineAsync($"medic bench loghub: {folder} has no system folders with System_2k.log and System_2k.log_structured_corrected.csv");
                return 1;
            }

            var scores = new Dictionary<string, Core.Logs.Evaluation.ParsingScores>(StringComparer.Ordinal);
            foreach (var system in systems)
            {
                cancellationToken.ThrowIfCancellationRequested();
                scores[system.Name] = LoghubBenchmark.Score(system, result.GetValue(parser)!);
            }

            var average = new Core.Logs.Evaluation.ParsingScores(
                scores.Values.Average(s => s.GA), scores.Values.Average(s => s.FGA), scores.Values.Average(s => s.PA), scores.Values.Average(s => s.FTA));
            Print(scores, average);
            if (result.GetValue(json) is { } path)
            {
                var report = new JsonObject
                {
                    ["systems"] = new JsonObject(scores.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)Json(s.Value)))),
                    ["average"] = Json(average),
                };
                await File.WriteAllTextAsync(path, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", cancellationToken);
            }

            return 0;
        });
        return command;
    }

    private static void Print(Dictionary<string, Core.Logs.Evaluation.ParsingScores> scores, Core.Logs.Evaluation.ParsingScores average)
    {
        var table = new Table().AddColumn("system");
        foreach (var metric in Metrics)
        {
            table.AddColumn(new TableColumn(metric).RightAligned());
        }

        foreach (var (name, s) in scores)
        {
            table.AddRow([name, .. Values(s)]);
        }

        table.AddRow(["[bold]average[/]", .. Values(average).Select(v => $"[bold]{v}[/]")]);
        AnsiConsole.Write(table);
    }

    private static string[] Values(Core.Logs.Evaluation.ParsingScores s) =>
        [.. new[] { s.GA, s.FGA, s.PA, s.FTA }.Select(v => v.ToString("0.000", CultureInfo.InvariantCulture))];

    private static JsonObject Json(Core.Logs.Evaluation.ParsingScores s) => new()
    {
        ["GA"] = Math.Round(s.GA, 4),
        ["FGA"] = Math.Round(s.FGA, 4),
        ["PA"] = Math.Round(s.PA, 4),
        ["FTA"] = Math.Round(s.FTA, 4),
    };
}
