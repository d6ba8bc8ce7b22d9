using System.Text.Json;
using Medic.Core;
using Medic.Core.Decisions;
using Medic.Core.Incidents;
using Medic.Core.Json;
using Medic.Core.Storage;
using Medic.Core.Verification;
using Medic.Core.Workflows;
using Medic.Sim.Faults;

namespace Medic.Demo;

/// <summary>Builds the report from what the store recorded, fault by fault.</summary>
internal sealed class DemoReportBuilder(IIncidentStore incidents, IDecisionStore decisions, IRunStore runs)
{
    /// <summary>
    /// The incident a fault caused: the first incident opened after the injection (and before
    /// <paramref name="openedBefore"/>, the end of the fault's turn, so a later fault's incident is
    /// not credited to it) that involves the true root cause (a signal on it, or a diagnosis naming it).
    /// </summary>
    public async Task<Incident?> FindIncidentAsync(InjectedFault fault, DateTimeOffset? openedBefore, CancellationToken cancellationToken) =>
        (await incidents.ListAsync(activeOnly: false, limit: 10_000, cancellationToken))
            .Where(i => i.OpenedAt >= fault.InjectedAt && (openedBefore is null || i.OpenedAt < openedBefore) && Involves(i, fault.Truth))
            .MinBy(i => i.OpenedAt);

    public async Task<DemoIncident> BuildAsync(InjectedFault fault, DateTimeOffset? openedBefore, CancellationToken cancellationToken)
    {
        var truth = fault.Truth;
        var entry = new DemoIncident { Fault = fault.Kind, Service = truth.Name, RootCause = $"{truth.Kind}/{truth.Name}" };
        if (await FindIncidentAsync(fault, openedBefore, cancellationToken) is not { } incident)
        {
            return entry with { NotHealedBecause = "not detected" };
        }

        var decision = (await decisions.ListByIncidentAsync(incident.Id, cancellationToken)).LastOrDefault(d => d.PlaybookId is not null);
        var allRuns = await runs.ListByIncidentAsync(incident.Id, cancellationToken);
        var run = allRuns.Count > 0 ? allRuns[^1] : null;
        var outcome = (await incidents.GetTimelineAsync(incident.Id, cancellationToken))
            .Where(e => e.Kind == "verification" && e.DataJson is not null)
            .Select(e => JsonSerializer.Deserialize<Outcome>(e.DataJson!, MedicJson.Options))
            .LastOrDefault();
        var top = incident.RootCause;
        var recovered = outcome?.Kind == OutcomeKind.Recovered;
        return entry with
        {
            IncidentId = incident.Id,
            DetectedAfterS = Seconds(incident.OpenedAt - fault.InjectedAt),
            Diagnosis = top is null ? null : $"{top.Entity} ({top.FaultKind}, confidence {Humanize.Percent(top.Confidence)})",
            RootCauseCorrect = top is not null && (truth.Kind == "service" ? top.Entity.Service == truth.Name : top.Entity.Kind == truth.Kind && top.Entity.Name == truth.Name),
            Playbook = decision?.PlaybookId,
            AutomationLevel = decision?.Level.ToString(),
            Actions = run?.Steps.Select(Describe).ToList() ?? [],
            Recovered = recovered,
            TimeToRecoverS = recovered && outcome!.RecoveredAt is { } back ? Seconds(back - fault.InjectedAt) : null,
            NotHealedBecause = recovered ? null : WhyNot(incident, decision, run, outcome),
        };
    }

    private static bool Involves(Incident incident, GroundTruth truth) => truth.Kind switch
    {
        "node" => incident.Nodes.Contains(truth.Name) || incident.RootCause?.Entity.Name == truth.Name,
        "service" => incident.Services.Contains(truth.Name),
        _ => incident.Services.Intersect(truth.Affected).Any(),
    };

    private static string Describe(StepRecord step)
    {
        var p = step.Params;
        var target = p is null ? "" : $" {p["verb"]} {p["resource"]} {(p["namespace"] is null ? "" : $"{p["namespace"]}/")}{p["name"]}";
        return $"{step.Name}:{target} ({step.State.ToString().ToLowerInvariant()})";
    }

    private static string WhyNot(Incident incident, Decision? decision, Run? run, Outcome? outcome) =>
        outcome is not null ? $"verification: {outcome.Kind}: {outcome.Reason}"
        : run is { State: not RunState.Succeeded } ? $"run {run.State.ToString().ToLowerInvariant()}: {run.Error}"
        : decision is null ? $"no playbook chosen (incident {incident.State.ToString().ToLowerInvariant()})"
        : decision.Status != DecisionStatus.Approved ? $"decision {decision.Status}: {decision.Reason}"
        : "still being verified when the demo ended";

    private static double Seconds(TimeSpan span) => Math.Round(span.TotalSeconds, 1);
}
