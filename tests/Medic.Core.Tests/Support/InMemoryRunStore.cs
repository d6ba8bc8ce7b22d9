using Medic.Core.Storage;
using Medic.Core.Workflows;

namespace Medic.Core.Tests.Support;

/// <summary>A run store that remembers every save, to check what was persisted when.</summary>
internal sealed class InMemoryRunStore : IRunStore
{
    public List<Run> Saves { get; } = [];

    public Task SaveAsync(Run run, CancellationToken cancellationToken)
    {
        Saves.Add(run);
        return Task.CompletedTask;
    }

    public Task<Run?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(Saves.LastOrDefault(r => r.Id == id));

    public Task<IReadOnlyList<Run>> ListRecentAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Run>>(Latest().Where(r => r.StartedAt >= since || r.State == RunState.Running).ToList());

    public Task<IReadOnlyList<Run>> ListByIncidentAsync(string incidentId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Run>>(Latest().Where(r => r.IncidentId == incidentId).ToList());

    private IEnumerable<Run> Latest() => Saves.GroupBy(r => r.Id).Select(g => g.Last());
}
