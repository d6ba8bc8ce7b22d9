using System.CommandLine;
using Medic.Core.Logs;
using Medic.Core.Logs.Parsing;
using nietras.SeparatedValues;
using Spectre.Console;

namespace Medic.Cli;

/// <summary><c>medic logs parse FILE</c>: the templates of a log file, with their counts.</summary>
internal static class LogsCommand
{
    public static Command Create() => new("logs", "Work with log files.") { Parse() };

    private static Command Parse()
    {
        var file = new Argument<string>("file") { Description = "The log file." };
        var format = new Option<string?>("--format") { Description = "The line layout, e.g. \"<Date> <Time> <Level> <Component>: <Content>\"; the message is <Content>. Default: the whole line is the message." };
        var masks = new Option<string[]>("--mask") { Description = "A regular expression whose matches are variables, applied before Medic's own masking; repeat for several.", AllowMultipleArgumentsPerToken = true };
        var delimiters = new Option<string?>("--delimiters") { Description = "Characters that separate tokens besides whitespace, e.g. \",;\"." };
        var output = new Option<string?>("--out") { Description = "Also write the templates to this CSV file (EventId,EventTemplate,Occurrences)." };
        var command = new Command("parse", "Mine the templates of a log file and print them with their counts, most frequent first.") { file, format, masks, delimiters, output };
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(file)!;
            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"medic logs parse: no file {path}");
                return 1;
            }

            LogFormat? layout;
            RegexMasker masker;
            try
            {
                layout = result.GetValue(format) is { } text ? LogFormat.Parse(text) : null;
                masker = new RegexMasker(result.GetValue(masks) ?? []);
            }
            catch (FormatException e)
            {
                await Console.Error.WriteLineAsync($"medic logs parse: {e.Message}");
                return 1;
            }

            var parser = new LogParser(new LogParserOptions { Delimiters = result.GetValue(delimiters) });
            var (lines, skipped) = await MineAsync(parser, path, layout, masker, cancellationToken);
            var templates = parser.Templates
                .SelectMany(t => t.Variants().Select((v, i) => (Id: t.Variants().Count == 1 ? $"T{t.Id}" : $"T{t.Id}.{i + 1}", v.Text, v.Count)))
                .OrderByDescending(t => t.Count)
                .ThenBy(t => t.Id, StringComparer.Ordinal)
                .ToList();
            foreach (var (id, text, count) in templates)
            {
                await Console.Out.WriteLineAsync($"{count,10:N0}  {id,-8} {text}");
            }

            await Console.Error.WriteLineAsync($"{lines:N0} line(s), {templates.Count:N0} template(s)" + (skipped > 0 ? $"; {skipped:N0} line(s) did not fit the format and were skipped" : ""));
            if (result.GetValue(output) is { } csv)
            {
                await using var writer = Sep.New(',').Writer(o => o with { Escape = true }).ToFile(csv);
                foreach (var (id, text, count) in templates)
                {
                    await using var row = writer.NewRow(cancellationToken);
                    row["EventId"].Set(id);
                    row["EventTemplate"].Set(text);
                    row["Occurrences"].Format(count);
                }
            }

            return 0;
        });
        return command;
    }

    private static async Task<(long Lines, long Skipped)> MineAsync(LogParser parser, string path, LogFormat? layout, RegexMasker masker, CancellationToken cancellationToken)
    {
        long lines = 0;
        long skipped = 0;
        await AnsiConsole.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .StartAsync(async progress =>
            {
                await using var stream = File.OpenRead(path);
                using var reader = new StreamReader(stream);
                var task = progress.AddTask(Path.GetFileName(path), maxValue: Math.Max(1, stream.Length));
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    lines++;
                    if (layout is null)
                    {
                        parser.Add(masker.Mask(line));
                    }
                    else if (layout.Content(line) is { } content)
                    {
                        parser.Add(masker.Mask(content));
                    }
                    else
                    {
                        skipped++;
                    }

                    if (lines % 10_000 == 0)
                    {
                        task.Value = stream.Position;
                    }
                }

                task.Value = task.MaxValue;
            });
        return (lines, skipped);
    }
}
