using System.CommandLine;
using System.Text.Json;
using Medic.Composition;
using Medic.Configuration;
using Medic.Core;
using Medic.Core.Bus;
using Medic.Core.Decisions;
using Medic.Core.Incidents;
using Medic.Core.Json;
using Medic.Core.Playbooks;
using Medic.Core.Policy;
using Medic.Core.Storage;
using Medic.Core.Workflows;

namespace Medic.Cli;

/// <summary>
/// <c>medic run FILE --event EVENT.json [--dry-run]</c>: runs one playbook now, through the same
/// engine and providers as the server, printing each step as it finishes. The run is recorded in
/// the database like any other (a manual incident and decision), so <c>medic serve</c> on the same
/// data resumes or escalates it if this process dies mid-run. The kill switches are honoured.
/// </summary>
internal static class RunCommand
{
    /// <summary>A step's output is printed up to this many characters; the full output is in the run record.</summary>
    private const int MaxOutputShown = 300;

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The playbook file." };
        var eventFile = new Option<string>("--event") { Description = "A JSON file with the context the templates see (anomaly, service, ...).", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Render and print the steps; execute nothing." };
        var data = new Option<string?>("--data") { Description = "The SQLite database file. Default: from the configuration, else data/medic.db." };
        var config = CommonOptions.Config();
        var by = CommonOptions.By();
        var command = new Command("run", "Run one playbook against the configured providers now, printing each step as it goes.")
        {
            file, eventFile, dryRun, data, config, by,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(file)!;
            var (playbook, context, problem) = await ReadAsync(path, result.GetValue(eventFile)!, cancellationToken);
            if (problem is not null)
            {
                await Console.Error.WriteLineAsync(problem);
                return 1;
            }

            var options = new MedicOptions();
            if (CommonOptions.ConfigFile(result.GetValue(config)) is { } configPath && MedicConfig.Apply(configPath, options) is { Count: > 0 } errors)
            {
                await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, errors));
                return 1;
            }

            options.DataPath = result.GetValue(data) ?? options.DataPath;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.DataPath))!);
            await using var services = new ServiceCollection().AddLogging().AddMedic(options).BuildServiceProvider();
            return await RunAsync(services, playbook!, context!, result.GetValue(by)!, result.GetValue(dryRun), cancellationToken);
        });
        return command;
    }

    private static async Task<(Playbook? Playbook, IReadOnlyDictionary<string, object?>? Context, string? Problem)> ReadAsync(string path, string eventPath, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return (null, null, $"medic run: no file {path}");
        }

        var (playbook, errors) = PlaybookLoader.Parse(await File.ReadAllTextAsync(path, cancellationToken), path, MedicServices.ActionTypes);
        if (playbook is null)
        {
            return (null, null, string.Join(Environment.NewLine, errors.Select(e => $"rejected {e}")));
        }

        try
        {
            return (playbook, PlaybookTrial.Context(await File.ReadAllTextAsync(eventPath, cancellationToken)), null);
        }
        catch (Exception e) when (e is JsonException or FormatException or IOException)
        {
            return (null, null, $"medic run: cannot read the event {eventPath}: {e.Message}");
        }
    }

    private static async Task<int> RunAsync(ServiceProvider services, Playbook playbook, IReadOnlyDictionary<string, object?> context, string by, bool dryRun, CancellationToken cancellationToken)
    {
        var killSwitch = services.GetRequiredService<KillSwitch>();
        foreach (var state in new[] { await killSwitch.GetAsync(CancellationToken.None), await killSwitch.GetAsync(playbook.Id, CancellationToken.None) })
        {
            if (state.Engaged && !dryRun)
            {
                await Console.Error.WriteLineAsync($"medic run: the kill switch is on ({state.Reason}); nothing was executed. Use --dry-run to see what would run.");
                return 1;
            }
        }

        var decision = await RecordAsync(services, playbook, context, by, dryRun);
        var cancellations = services.GetRequiredService<RunCancellations>();
        using var stop = cancellationToken.Register(() => cancellations.CancelAll($"stopped from the terminal by {by}"));
        var inbox = services.GetRequiredService<IBus>().Subscribe("medic-run", [typeof(RunStarted), typeof(StepFinished)]);
        var printer = PrintStepsAsync(inbox);
        var runner = services.GetRequiredService<WorkflowRunner>();
        var run = dryRun
            ? await runner.DryRunAsync(decision, playbook, context, CancellationToken.None)
            : await runner.RunAsync(decision, playbook, context, CancellationToken.None);
        inbox.Close();
        await printer;
        if (dryRun)
        {
            await Console.Out.WriteLineAsync($"dry run of {playbook.Id}: nothing is executed");
            foreach (var step in run.Steps)
            {
                await Console.Out.WriteLineAsync($"  {step.Name} ({step.Type}): {(step.Log.Count > 0 ? step.Log[0] : "dry run")} {step.Params?.ToJsonString(MedicJson.Options)}");
            }
        }

        await Console.Out.WriteLineAsync($"run {run.Id}: {Humanize.Words(run.State)}{(run.Error is null || dryRun ? "" : $" ({run.Error})")}");
        var succeeded = run.State == RunState.Succeeded;
        await services.GetRequiredService<IncidentLifecycle>().TransitionAsync(
            run.IncidentId,
            succeeded ? IncidentState.Resolved : IncidentState.Escalated,
            "run",
            succeeded ? $"manual run of {playbook.Id} by {by} succeeded (not verified)" : $"manual run of {playbook.Id} by {by}: {Humanize.Words(run.State)}",
            CancellationToken.None);
        return run.State is RunState.Succeeded or RunState.DryRun ? 0 : 1;
    }

    /// <summary>A manual incident and an approved decision, so the run is recorded and recoverable like any other.</summary>
    private static async Task<Decision> RecordAsync(ServiceProvider services, Playbook playbook, IReadOnlyDictionary<string, object?> context, string by, bool dryRun)
    {
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var incident = new Incident
        {
            Id = Guid.CreateVersion7().ToString("n"),
            State = IncidentState.Remediating,
            Title = $"manual run of {playbook.Id} by {by}",
            OpenedAt = now,
            UpdatedAt = now,
            LastSignalAt = now,
        };
        await services.GetRequiredService<IIncidentStore>().CreateAsync(incident, CancellationToken.None);
        var decision = new Decision
        {
            Id = Guid.CreateVersion7().ToString("n"),
            IncidentId = incident.Id,
            CreatedAt = now,
            Status = dryRun ? DecisionStatus.DryRun : DecisionStatus.Approved,
            Level = AutomationLevel.L1,
            Reason = $"run from the command line by {by}",
            PlaybookId = playbook.Id,
            PlaybookVersion = playbook.Version,
            PlaybookText = playbook.Text,
            RequestedBy = by,
            Approvals = [new Approval(by, now, "medic run")],
            DecidedBy = by,
            DecidedAt = now,
            Context = PlainTree.ToJson(context) as System.Text.Json.Nodes.JsonObject,
        };
        await services.GetRequiredService<IDecisionStore>().SaveAsync(decision, CancellationToken.None);
        return decision;
    }

    private static async Task PrintStepsAsync(IInbox inbox)
    {
        while (await inbox.WaitToReceiveAsync(CancellationToken.None))
        {
            while (inbox.TryReceive(out var message))
            {
                if (message is RunStarted { Run: var run })
                {
                    await Console.Out.WriteLineAsync($"run {run.Id} started: {run.PlaybookId} for incident {run.IncidentId}");
                }
                else if (message is StepFinished { Step: var step })
                {
                    var detail = step.Error ?? string.Join("; ", step.Log);
                    var output = step.Output?.ToJsonString(MedicJson.Options) is { } json ? $"\n    output: {(json.Length > MaxOutputShown ? json[..MaxOutputShown] + "…" : json)}" : "";
                    await Console.Out.WriteLineAsync($"  {step.Name} ({step.Type}): {Humanize.Words(step.State)}{(detail.Length > 0 ? $" — {detail}" : "")}{output}");
                }

                inbox.Done(message);
            }
        }
    }
}
