using Medic.Core.Incidents;

namespace Medic.Core.Storage;

/// <summary>Incidents and their timelines.</summary>
public interface IIncidentStore
{
    /// <summary>Stores a new incident.</summary>
    Task CreateAsync(Incident incident, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the stored incident atomically and returns the result;
    /// null when there is no such incident.
    /// </summary>
    Task<Incident?> UpdateAsync(string id, Func<Incident, Incident> change, CancellationToken cancellationToken);

    /// <summary>The incident, or null.</summary>
    Task<Incident?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Incidents, newest first; only active ones when <paramref name="activeOnly"/>.</summary>
    Task<IReadOnlyList<Incident>> ListAsync(bool activeOnly, int limit, CancellationToken cancellationToken);

    /// <summary>Appends to an incident's timeline.</summary>
    Task AppendTimelineAsync(TimelineEntry entry, CancellationToken cancellationToken);

    /// <summary>An incident's timeline, oldest first.</summary>
    Task<IReadOnlyList<TimelineEntry>> GetTimelineAsync(string incidentId, CancellationToken cancellationToken);
}
