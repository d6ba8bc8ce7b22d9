using System.CommandLine;
using System.Text.Json.Nodes;
using Medic.Rca;
using Spectre.Console;

namespace Medic.Cli;

/// <summary><c>medic rca</c>: a root-cause method over a labelled RCA dataset, scored as the literature scores it.</summary>
internal static class RcaCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "One dataset folder laid out as the RCA benchmark's: rcd-sockshop, petshop or nezha (cases.csv beside the data).", Required = true };
        var method = new Option<string>("--method") { Description = "The ranking method.", DefaultValueFactory = _ => RcaMethods.Default };
        method.AcceptOnlyFromAmong([.. RcaMethods.All.Keys]);
        var json = new Option<string?>("--json") { Description = "Also write {\"dataset\",\"cases\",\"ac_at_1\",\"ac_at_3\",\"avg_at_5\",\"per_fault\",\"per_system\",\"p95_ms\"} to this file." };
        var cases = new Option<bool>("--cases") { Description = "Also print each case's truth and top three." };
        var command = new Command("rca", "Rank root causes for every case of an RCA dataset and report AC@1, AC@3 and Avg@5 at service level, overall, per fault type and per system.") { data, method, json, cases };
        command.SetAction(async (result, cancellationToken) =>
        {
            var folder = Path.TrimEndingDirectorySeparator(result.GetValue(data)!);
            IReadOnlyList<RcaCase> loaded;
            try
            {
                loaded = RcaDatasets.Load(folder);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or FormatException or KeyNotFoundException or ArgumentException)
            {
                await Console.Error.WriteLineAsync($"medic rca: {e.Message}");
                return 1;
            }

            var name = Path.GetFileName(folder);
            var chosen = result.GetValue(method)!;
            await Console.Error.WriteLineAsync($"ranking {loaded.Count} cases of {name} with {chosen}");
            var report = RcaReport.Run(name, loaded, chosen);
            if (result.GetValue(cases))
            {
                PrintCases(report);
            }

            Print(report);
            if (result.GetValue(json) is { } path)
            {
                await File.WriteAllTextAsync(path, Json(report).ToJsonString() + "\n", cancellationToken);
            }

            return 0;
        });
        return command;
    }

    private static JsonObject Json(RcaReport report)
    {
        static JsonObject Scores(RcaScores s, bool withCases) => withCases
            ? new() { ["cases"] = s.Cases, ["ac_at_1"] = Math.Round(s.AcAt1, 4), ["ac_at_3"] = Math.Round(s.AcAt3, 4), ["avg_at_5"] = Math.Round(s.AvgAt5, 4) }
            : new() { ["ac_at_1"] = Math.Round(s.AcAt1, 4), ["ac_at_3"] = Math.Round(s.AcAt3, 4), ["avg_at_5"] = Math.Round(s.AvgAt5, 4) };
        var json = new JsonObject { ["dataset"] = report.Dataset, ["method"] = report.Method };
        foreach (var (key, value) in Scores(report.Overall, withCases: true))
        {
            json[key] = value?.DeepClone();
        }

        json["per_fault"] = new JsonObject(report.PerFault.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)Scores(f.Value, withCases: false))));
        json["per_system"] = new JsonObject(report.PerSystem.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)Scores(s.Value, withCases: true))));
        json["p95_ms"] = Math.Round(report.P95Milliseconds, 3);
        return json;
    }

    private static void Print(RcaReport report)
    {
        var table = new Table().Title($"{report.Method} on {report.Dataset}, ranking p95 {report.P95Milliseconds:0.###} ms").AddColumns("", "cases", "AC@1", "AC@3", "Avg@5");
        void Row(string label, RcaScores s, bool bold = false) => table.AddRow(
            bold ? $"[bold]{Markup.Escape(label)}[/]" : Markup.Escape(label), $"{s.Cases}", $"{s.AcAt1:0.00}", $"{s.AcAt3:0.00}", $"{s.AvgAt5:0.00}");
        Row("all", report.Overall, bold: true);
        if (report.PerSystem.Count > 1)
        {
            foreach (var (system, scores) in report.PerSystem)
            {
                Row($"system {system}", scores);
            }
        }

        foreach (var (fault, scores) in report.PerFault)
        {
            Row($"fault {fault}", scores);
        }

        AnsiConsole.Write(table);
    }

    private static void PrintCases(RcaReport report)
    {
        // One line per case, not a table: entity names are long and a table would wrap them.
        foreach (var (@case, ranking) in report.Rankings)
        {
            var position = ranking.ToList().IndexOf(@case.RootCause);
            Console.WriteLine($"{@case.Id}  {@case.Fault}  truth {@case.RootCause}  rank {(position < 0 ? "-" : position + 1)}  top: {string.Join(", ", ranking.Take(3))}");
        }
    }
}
