using System.Diagnostics;
using Medic.Core.Playbooks;
using Medic.Core.Storage;
using Spectre.Console;

namespace Medic.Demo;

/// <summary>
/// Runs the whole loop against the simulated estate: warms the detectors up on normal traffic,
/// injects each fault in turn and lets Medic detect, diagnose, decide, (get approval,) act and
/// verify, then reports fault by fault.
/// </summary>
public sealed class DemoRunner(DemoOptions options, IAnsiConsole console)
{
    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(10);

    /// <summary>Runs the demo; returns the report (also when not every fault was healed).</summary>
    public async Task<DemoReport> RunAsync(CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        await using var medic = await SimulatedMedic.StartAsync(options, console, cancellationToken);
        var narrator = medic.Narrator;
        var report = new DemoReportBuilder(medic.Services.GetRequiredService<IIncidentStore>(), medic.Services.GetRequiredService<IDecisionStore>(), medic.Services.GetRequiredService<IRunStore>());
        var catalog = medic.Services.GetRequiredService<PlaybookRepository>();
        narrator.Say("medic", "white", $"console on {medic.Address} (the API under /api/v1, e.g. /api/v1/incidents); {catalog.Playbooks.Count} playbook(s) from {options.PlaybooksDirectory}: {string.Join(", ", catalog.Playbooks.Select(p => p.Id))}");
        foreach (var error in catalog.Errors)
        {
            narrator.Say("playbook", "red", $"rejected: {error}");
        }

        narrator.Say("estate", "white", $"{medic.Simulator.Estate.Services.Count} services, {medic.Simulator.Cluster.Pods().Count} pods on {medic.Simulator.Estate.Nodes.Count} nodes; warming up on {options.WarmUp.TotalMinutes:0} simulated minutes of normal traffic");
        for (var i = 0; i < options.WarmUp / ScrapeInterval; i++)
        {
            await medic.StepAsync(TimeSpan.Zero, cancellationToken);
        }

        foreach (var kind in options.Faults)
        {
            if (wall.Elapsed >= options.Duration)
            {
                narrator.Say("demo", "red", $"out of time (--duration {options.Duration.TotalSeconds:0}s): {kind} not injected");
                break;
            }

            var fault = medic.Simulator.Inject(kind);
            narrator.Say("inject", "red", $"{kind}: {fault.Description}");
            DateTimeOffset? closedAt = null;
            var last = kind == options.Faults[^1];
            while (wall.Elapsed < options.Duration && medic.Clock.GetUtcNow() - fault.InjectedAt < options.FaultTimeout)
            {
                await medic.StepAsync(options.TickDelay, cancellationToken);
                if (closedAt is null && await report.FindIncidentAsync(fault, openedBefore: null, cancellationToken) is { IsActive: false })
                {
                    closedAt = medic.Clock.GetUtcNow();
                }

                if (closedAt is { } closed && (last || medic.Clock.GetUtcNow() - closed >= options.CoolDown))
                {
                    break;
                }
            }
        }

        await medic.Services.GetRequiredService<DemoApprover>().DrainAsync();
        await medic.Monitor.WaitForIdleAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        var entries = new List<DemoIncident>();
        var faults = medic.Simulator.Injected;
        for (var i = 0; i < faults.Count; i++)
        {
            // A fault's turn ends when the next one is injected.
            entries.Add(await report.BuildAsync(faults[i], i + 1 < faults.Count ? faults[i + 1].InjectedAt : null, cancellationToken));
        }

        return new DemoReport(entries);
    }
}
