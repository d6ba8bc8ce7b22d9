using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Medic.Bench.Nab;
using Spectre.Console;

namespace Medic.Cli;

/// <summary><c>medic bench nab</c>: a detector over a NAB corpus, scored as NAB scores.</summary>
internal static class NabBenchCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "A corpus laid out as NAB's: data/<category>/<file>.csv, labels/combined_windows.json, profiles.json.", Required = true };
        var detector = new Option<string>("--detector") { Description = "The detector to run.", DefaultValueFactory = _ => NabDetectors.Default };
        detector.AcceptOnlyFromAmong([.. NabDetectors.All.Keys]);
        var json = new Option<string?>("--json") { Description = "Also write {\"detector\",\"files\",\"scores\":{\"standard\",\"reward_low_FP_rate\",\"reward_low_FN_rate\"}} to this file." };
        var output = new Option<string?>("--scores") { Description = "Also write each file's scores to this folder, as NAB's results files: <category>/<detector>_<file>.csv with timestamp,value,anomaly_score." };
        var files = new Option<bool>("--files") { Description = "Also print each file's standard-profile score and counts." };
        var command = new Command("nab", "Run a detector over a Numenta Anomaly Benchmark corpus and score it as NAB does (one threshold per profile, optimised on the corpus).") { data, detector, json, files, output };
        command.SetAction(async (result, cancellationToken) =>
        {
            NabCorpus corpus;
            try
            {
                corpus = NabCorpus.Load(result.GetValue(data)!);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or System.Text.Json.JsonException)
            {
                await Console.Error.WriteLineAsync($"medic bench nab: {e.Message}");
                return 1;
            }

            var name = result.GetValue(detector)!;
            await Console.Error.WriteLineAsync($"running {name} over {corpus.Files.Count} files ({corpus.Files.Sum(f => f.Values.Length):N0} rows)");
            var results = NabDetectors.Run(corpus, name);
            var scores = NabScorer.Score(results, corpus.Profiles);
            if (result.GetValue(output) is { } folder)
            {
                foreach (var file in results)
                {
                    var written = Path.Combine(folder, Path.GetDirectoryName(file.File.Name)!, $"{name}_{Path.GetFileName(file.File.Name)}");
                    Directory.CreateDirectory(Path.GetDirectoryName(written)!);
                    await File.WriteAllLinesAsync(
                        written,
                        ["timestamp,value,anomaly_score", .. file.Scores.Select((s, i) => string.Create(CultureInfo.InvariantCulture, $"{file.File.Timestamps[i]:yyyy-MM-dd HH:mm:ss},{file.File.Values[i]},{s}"))],
                        cancellationToken);
                }
            }

            if (result.GetValue(files))
            {
                PrintFiles(scores[0]);
            }

            Print(name, scores);
            if (result.GetValue(json) is { } path)
            {
                var report = new JsonObject
                {
                    ["detector"] = name,
                    ["files"] = corpus.Files.Count,
                    ["scores"] = new JsonObject(scores.Select(s => KeyValuePair.Create(s.Profile, (JsonNode?)Math.Round(s.Normalized, 3)))),
                };
                await File.WriteAllTextAsync(path, report.ToJsonString() + "\n", cancellationToken);
            }

            return 0;
        });
        return command;
    }

    private static void PrintFiles(NabProfileScore standard)
    {
        var table = new Table().Title($"{standard.Profile}, threshold {standard.Threshold:0.######}").AddColumns("file", "score", "TP", "FP", "FN");
        foreach (var file in standard.Files)
        {
            table.AddRow(file.File, $"{file.Score:0.###}", $"{file.TruePositives:N0}", $"{file.FalsePositives:N0}", $"{file.FalseNegatives:N0}");
        }

        AnsiConsole.Write(table);
    }

    private static void Print(string detector, IReadOnlyList<NabProfileScore> scores)
    {
        var table = new Table().Title($"NAB scores of {detector}").AddColumns("profile", "threshold", "raw", "score", "TP", "FP", "FN");
        foreach (var score in scores)
        {
            table.AddRow(
                score.Profile,
                $"{score.Threshold:0.######}",
                $"{score.Raw:0.###}",
                $"[bold]{score.Normalized:0.0}[/]",
                $"{score.Files.Sum(f => f.TruePositives):N0}",
                $"{score.Files.Sum(f => f.FalsePositives):N0}",
                $"{score.Files.Sum(f => f.FalseNegatives):N0}");
        }

        AnsiConsole.Write(table);
    }
}
