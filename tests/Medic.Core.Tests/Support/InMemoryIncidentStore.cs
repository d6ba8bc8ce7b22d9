using Medic.Core.Incidents;
using Medic.Core.Storage;

namespace Medic.Core.Tests.Support;

internal sealed class InMemoryIncidentStore : IIncidentStore
{
    private readonly Dictionary<string, Incident> _incidents = [];

    public List<TimelineEntry> Timeline { get; } = [];

    public Task CreateAsync(Incident incident, CancellationToken cancellationToken)
    {
        _incidents[incident.Id] = incident;
        return Task.CompletedTask;
    }

    public Task<Incident?> UpdateAsync(string id, Func<Incident, Incident> change, CancellationToken cancellationToken)
    {
        if (!_incidents.TryGetValue(id, out var incident))
        {
            return Task.FromResult<Incident?>(null);
        }

        _incidents[id] = change(incident);
        return Task.FromResult<Incident?>(_incidents[id]);
    }

    public Task<Incident?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_incidents.GetValueOrDefault(id));

    public Task<IReadOnlyList<Incident>> ListAsync(bool activeOnly, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Incident>>(_incidents.Values.Where(i => !activeOnly || i.IsActive).Take(limit).ToList());

    public Task AppendTimelineAsync(TimelineEntry entry, CancellationToken cancellationToken)
    {
        Timeline.Add(entry);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<TimelineEntry>> GetTimelineAsync(string incidentId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TimelineEntry>>(Timeline.Where(t => t.IncidentId == incidentId).ToList());
}
