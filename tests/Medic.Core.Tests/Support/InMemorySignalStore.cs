using Medic.Core.Changes;
using Medic.Core.Signals;
using Medic.Core.Storage;

namespace Medic.Core.Tests.Support;

internal sealed class InMemorySignalStore : ISignalStore, IChangeStore
{
    private readonly List<(Signal Signal, string IncidentId)> _signals = [];
    private readonly List<ChangeEvent> _changes = [];

    public Task AddAsync(Signal signal, string incidentId, CancellationToken cancellationToken)
    {
        _signals.Add((signal, incidentId));
        return Task.CompletedTask;
    }

    public Task MoveAsync(IReadOnlyCollection<string> signalIds, string incidentId, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _signals.Count; i++)
        {
            if (signalIds.Contains(_signals[i].Signal.Id))
            {
                _signals[i] = (_signals[i].Signal, incidentId);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Signal>> ListByIncidentAsync(string incidentId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Signal>>(_signals.Where(s => s.IncidentId == incidentId).Select(s => s.Signal).ToList());

    public Task AddAsync(ChangeEvent change, CancellationToken cancellationToken)
    {
        _changes.Add(change);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ChangeEvent>> ListAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ChangeEvent>>(_changes.Where(c => c.At >= from && c.At <= to).ToList());
}
