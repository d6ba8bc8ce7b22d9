using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Medic.Core.Json;
using Medic.Demo;
using Spectre.Console;

namespace Medic.Cli;

/// <summary><c>medic demo</c>: the whole loop against the simulated estate, with a report at the end.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var duration = new Option<int>("--duration") { Description = "Upper bound on the demo's run time, in seconds.", DefaultValueFactory = _ => 150 };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulator: the same seed injects the same faults on the same targets.", DefaultValueFactory = _ => 1 };
        var urls = CommonOptions.Urls();
        var json = new Option<string?>("--json") { Description = "Write the report as JSON to this file." };
        var interactive = new Option<bool>("--interactive") { Description = "Ask at the terminal before each L1 action instead of approving after a pause." };
        var playbooks = CommonOptions.Playbooks();
        var data = CommonOptions.Data(Path.Combine("data", "demo.db"));
        data.Description = "The demo's database; it is recreated at every run.";
        var command = new Command("demo", "Run the whole self-healing loop on a simulated estate: inject faults, detect, diagnose, decide, act, verify.")
        {
            duration, seed, urls, json, interactive, playbooks, data,
        };
        duration.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--duration must be at least 1 second.");
            }
        });
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new DemoOptions
            {
                Duration = TimeSpan.FromSeconds(result.GetValue(duration)),
                Seed = result.GetValue(seed),
                Urls = result.GetValue(urls)!,
                JsonPath = result.GetValue(json),
                Interactive = result.GetValue(interactive),
                PlaybooksDirectory = result.GetValue(playbooks)!,
                DataPath = result.GetValue(data)!,
            };
            var console = AnsiConsole.Console;
            if (Console.IsOutputRedirected)
            {
                // Lines go to a file or a CI log: do not wrap them at 80 columns.
                console.Profile.Width = 400;
            }

            DemoReport report;
            try
            {
                report = await new DemoRunner(options, console).RunAsync(cancellationToken);
            }
            catch (IOException e) when (IsAddressInUse(e) && result.GetResult(urls) is null or { Implicit: true })
            {
                // The default port is taken: the demo needs no particular port, so take a free one.
                console.MarkupLine($"[yellow]{Markup.Escape(options.Urls)} is in use; listening on a free port instead (pass --urls to choose one)[/]");
                options.Urls = "http://127.0.0.1:0";
                report = await new DemoRunner(options, console).RunAsync(cancellationToken);
            }
            catch (IOException e) when (IsAddressInUse(e))
            {
                await Console.Error.WriteLineAsync($"medic demo: cannot listen on {options.Urls}: {e.Message} Pass --urls http://127.0.0.1:PORT with a free port.");
                return 1;
            }

            Print(console, report);
            if (options.JsonPath is { } path)
            {
                await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, MedicJson.Options) + "\n", cancellationToken);
                console.MarkupLine($"report written to [bold]{Markup.Escape(path)}[/]");
            }

            return 0;
        });
        return command;
    }

    private static bool IsAddressInUse(IOException e) =>
        e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase);

    private static void Print(IAnsiConsole console, DemoReport report)
    {
        var table = new Table().Title("Medic demo: fault by fault (times in simulated seconds from injection)");
        foreach (var column in new[] { "fault", "root cause", "detected", "diagnosis", "correct", "playbook", "level", "actions", "recovered", "TTR" })
        {
            table.AddColumn(column);
        }

        foreach (var i in report.Incidents)
        {
            table.AddRow(
                Markup.Escape(i.Fault),
                Markup.Escape(i.RootCause),
                i.DetectedAfterS is { } d ? d.ToString("0", CultureInfo.InvariantCulture) + "s" : "-",
                Markup.Escape(i.Diagnosis ?? "-"),
                i.RootCauseCorrect ? "[green]yes[/]" : "[red]no[/]",
                Markup.Escape(i.Playbook ?? "-"),
                i.AutomationLevel ?? "-",
                Markup.Escape(string.Join("\n", i.Actions)),
                i.Recovered ? "[green]yes[/]" : "[red]no[/]",
                i.TimeToRecoverS is { } t ? t.ToString("0", CultureInfo.InvariantCulture) + "s" : "-");
        }

        console.Write(table);
        var healed = report.Incidents.Count(i => i.Recovered);
        console.MarkupLine($"healed {healed} of {report.Incidents.Count} injected fault(s)");
        foreach (var i in report.Incidents.Where(i => !i.Recovered))
        {
            console.MarkupLine($"[red]not healed[/]: {Markup.Escape(i.Fault)} on {Markup.Escape(i.RootCause)}: {Markup.Escape(i.NotHealedBecause ?? "unknown")}");
        }
    }
}
