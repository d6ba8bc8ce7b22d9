using Medic.Core.Bus;
using Medic.Core.Storage;

namespace Medic.Core.Incidents;

/// <summary>Moves incidents through their lifecycle: stores the state, tells the timeline and the bus.</summary>
public sealed class IncidentLifecycle(IIncidentStore incidents, IBus bus, TimeProvider clock)
{
    /// <summary>Sets the incident's state (no-op when it is already closed); returns the updated incident.</summary>
    public async Task<Incident?> TransitionAsync(string incidentId, IncidentState state, string stage, string message, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var closing = state is IncidentState.Resolved or IncidentState.Escalated;
        var changed = false;
        var incident = await incidents.UpdateAsync(
            incidentId,
            i =>
            {
                if (!i.IsActive || i.State == state)
                {
                    return i;
                }

                changed = true;
                return i with { State = state, UpdatedAt = now, ClosedAt = closing ? now : null };
            },
            cancellationToken);
        if (incident is null || !changed)
        {
            return incident;
        }

        await incidents.AppendTimelineAsync(new TimelineEntry(incidentId, now, stage, "state", $"{state.ToString().ToLowerInvariant()}: {message}"), cancellationToken);
        await bus.PublishAsync(new IncidentStateChanged(incidentId, state, message), cancellationToken);
        return incident;
    }
}
