using System.Globalization;
using System.Text.Json;
using Medic.Core.Bus;
using Medic.Core.Incidents;
using Medic.Core.Json;
using Medic.Core.Stages;
using Medic.Core.Storage;
using Medic.Core.Topology;

namespace Medic.Core.Rca;

/// <summary>
/// Diagnose: ranks root-cause hypotheses for incidents that changed, once they have settled and
/// while no fix is running, and publishes the diagnosis when the leading hypothesis is new or changed.
/// </summary>
public sealed class DiagnosisStage(
    IBus bus,
    IIncidentStore incidents,
    ISignalStore signals,
    IChangeStore changes,
    ITopology topology,
    DiagnosisOptions options,
    TimeProvider clock) : ITimedStage
{
    private readonly HashSet<string> _dirty = [];

    /// <inheritdoc />
    public string Name => "diagnose";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } = [typeof(IncidentChanged)];

    /// <inheritdoc />
    public TimeSpan TickInterval => TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        if (message is IncidentChanged changed)
        {
            _dirty.Add(changed.IncidentId);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask OnTickAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var id in _dirty.ToList())
        {
            var incident = await incidents.GetAsync(id, cancellationToken);
            // While a fix runs, its own effects (drained pods landing on another node, say) are not a new diagnosis.
            if (incident is null || !incident.IsActive || incident.State == IncidentState.Remediating)
            {
                _dirty.Remove(id);
                continue;
            }

            if (now - incident.OpenedAt >= options.SettleTime)
            {
                _dirty.Remove(id);
                await DiagnoseAsync(incident, cancellationToken);
            }
        }
    }

    private async Task DiagnoseAsync(Incident incident, CancellationToken cancellationToken)
    {
        var evidence = await signals.ListByIncidentAsync(incident.Id, cancellationToken);
        if (evidence.Count == 0)
        {
            return;
        }

        var recentChanges = await changes.ListAsync(incident.OpenedAt - options.ChangeLookback, incident.LastSignalAt, cancellationToken);
        var hypotheses = EvidenceRanker.Rank(evidence, recentChanges, topology, options);
        var top = hypotheses[0];
        var now = clock.GetUtcNow();
        if (incident.RootCause?.Entity != top.Entity || incident.RootCause.FaultKind != top.FaultKind)
        {
            await incidents.UpdateAsync(
                incident.Id,
                i => i with { RootCause = top, State = i.State == IncidentState.Open ? IncidentState.Diagnosed : i.State, UpdatedAt = now },
                cancellationToken);
            await incidents.AppendTimelineAsync(
                new TimelineEntry(incident.Id, now, Name, "diagnosis", string.Create(CultureInfo.InvariantCulture, $"root cause: {top.Entity} ({top.FaultKind}), confidence {top.Confidence * 100:0}%{(top.Story.Length > 0 ? ": " + top.Story : "")}"))
                {
                    DataJson = JsonSerializer.Serialize(hypotheses, MedicJson.Options),
                },
                cancellationToken);
        }

        // Published on every re-diagnosis, not only when the leader changes: new evidence on the same
        // suspect (an OOM kill after a memory climb, say) can make a playbook match that did not before.
        await bus.PublishAsync(new DiagnosisReady(incident.Id, hypotheses, now), cancellationToken);
    }
}
