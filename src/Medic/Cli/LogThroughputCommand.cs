using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Medic.Core.Logs.Parsing;

namespace Medic.Cli;

/// <summary><c>medic bench logs --file FILE</c>: how many lines a second one thread turns into templates.</summary>
internal static class LogThroughputCommand
{
    public static Command Create()
    {
        var file = new Option<string>("--file") { Description = "A log file; each line is parsed whole (no header format).", Required = true };
        var json = new Option<string?>("--json") { Description = "Also write {\"lines_per_s\": N} to this file." };
        var noMemory = new Option<bool>("--no-memory") { Description = "Do not remember masked messages: every line goes through the tree search." };
        var command = new Command("logs", "Single-thread log parsing throughput, in lines per second (the file is read into memory first).") { file, json, noMemory };
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(file)!;
            if (!File.Exists(path))
            {
                await Console.Error.WriteLineAsync($"medic bench logs: no file {path}");
                return 1;
            }

            var lines = await File.ReadAllLinesAsync(path, cancellationToken);
            if (lines.Length == 0)
            {
                await Console.Error.WriteLineAsync($"medic bench logs: {path} is empty");
                return 1;
            }

            // Warm up on a slice with a throw-away parser, so the timing is of compiled code.
            var remember = result.GetValue(noMemory) ? 0 : new LogParserOptions().RememberedMessages;
            Parse(lines.AsSpan(0, Math.Min(lines.Length, 50_000)), remember);
            var watch = Stopwatch.StartNew();
            var parser = Parse(lines, remember);
            watch.Stop();
            var perSecond = lines.Length / watch.Elapsed.TotalSeconds;
            await Console.Out.WriteLineAsync(
                $"{lines.Length:N0} lines in {watch.Elapsed.TotalSeconds:0.000} s: {perSecond:N0} lines/s on one thread; " +
                $"{parser.Templates.Count:N0} templates, {(double)parser.Repeats / lines.Length:P2} of lines repeated a masked message seen before");
            if (result.GetValue(json) is { } output)
            {
                await File.WriteAllTextAsync(output, new JsonObject { ["lines_per_s"] = Math.Round(perSecond) }.ToJsonString() + "\n", cancellationToken);
            }

            return 0;
        });
        return command;
    }

    private static LogParser Parse(ReadOnlySpan<string> lines, int remember)
    {
        var parser = new LogParser(new LogParserOptions { RememberedMessages = remember });
        foreach (var line in lines)
        {
            parser.Add(line);
        }

        return parser;
    }
}
