using Medic.Core.Bus;
using Medic.Core.Signals;
using Medic.Core.Stages;
using Medic.Core.Storage;
using Medic.Core.Topology;

namespace Medic.Core.Incidents;

/// <summary>
/// Correlate: groups signals into incidents. A signal joins the newest active incident that is
/// related to it (same service or node, a caller or callee of one of its services, a service on
/// one of its nodes) and saw a signal within the window; otherwise it opens a new incident.
/// </summary>
public sealed class CorrelationStage(
    IBus bus,
    IIncidentStore incidents,
    ISignalStore signals,
    ITopology topology,
    CorrelationOptions options,
    TimeProvider clock) : IStage
{
    private readonly Dictionary<string, Incident> _active = [];
    private bool _loaded;

    /// <inheritdoc />
    public string Name => "correlate";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } = [typeof(Signal)];

    /// <inheritdoc />
    public async ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        if (!_loaded)
        {
            foreach (var incident in await incidents.ListAsync(activeOnly: true, limit: 10_000, cancellationToken))
            {
                _active[incident.Id] = incident;
            }

            _loaded = true;
        }

        if (message is Signal signal)
        {
            await CorrelateAsync(signal, cancellationToken);
        }
    }

    private async Task CorrelateAsync(Signal signal, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var match = await FindMatchAsync(signal, cancellationToken);

        Incident incident;
        bool opened;
        if (match is null)
        {
            incident = new Incident
            {
                Id = Guid.CreateVersion7().ToString("n"),
                State = IncidentState.Open,
                Title = $"{signal.Type} on {signal.Entity}",
                OpenedAt = signal.ObservedAt,
                UpdatedAt = now,
                LastSignalAt = signal.ObservedAt,
            }.With(signal, now);
            await incidents.CreateAsync(incident, cancellationToken);
            opened = true;
        }
        else
        {
            incident = await incidents.UpdateAsync(match.Id, i => i.With(signal, now), cancellationToken) ?? match.With(signal, now);
            opened = false;
        }

        _active[incident.Id] = incident;
        await signals.AddAsync(signal, incident.Id, cancellationToken);
        await incidents.AppendTimelineAsync(new TimelineEntry(incident.Id, signal.ObservedAt, Name, "signal", signal.Summary), cancellationToken);
        await bus.PublishAsync(new IncidentChanged(incident.Id, opened), cancellationToken);
    }

    /// <summary>
    /// The newest related incident within the window. Other stages close incidents; the store is
    /// asked before a cached incident is reused, so a closed one is never reopened.
    /// </summary>
    private async Task<Incident?> FindMatchAsync(Signal signal, CancellationToken cancellationToken)
    {
        foreach (var stale in _active.Values.Where(i => signal.ObservedAt - i.LastSignalAt > options.Window).Select(i => i.Id).ToList())
        {
            _active.Remove(stale);
        }

        while (_active.Values
            .Where(i => IsRelated(signal.Entity, i))
            .MaxBy(i => i.LastSignalAt) is { } candidate)
        {
            if (await incidents.GetAsync(candidate.Id, cancellationToken) is { IsActive: true } fresh)
            {
                return fresh;
            }

            _active.Remove(candidate.Id);
        }

        return null;
    }

    private bool IsRelated(Entity entity, Incident incident)
    {
        if (entity.Service is { } service)
        {
            return incident.Services.Contains(service)
                || topology.Callers(service).Concat(topology.Callees(service)).Any(incident.Services.Contains)
                || (entity.Node is { } node && incident.Nodes.Contains(node))
                || incident.Nodes.Any(n => topology.ServicesOnNode(n).Contains(service));
        }

        return entity.Kind == EntityKinds.Node
            && (incident.Nodes.Contains(entity.Name) || topology.ServicesOnNode(entity.Name).Any(incident.Services.Contains));
    }
}
