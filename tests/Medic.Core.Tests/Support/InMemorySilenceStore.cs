using Medic.Core.Incidents.Silences;
using Medic.Core.Storage;

namespace Medic.Core.Tests.Support;

internal sealed class InMemorySilenceStore : ISilenceStore
{
    private readonly Dictionary<string, Silence> _silences = [];

    public Task SaveAsync(Silence silence, CancellationToken cancellationToken)
    {
        _silences[silence.Id] = silence;
        return Task.CompletedTask;
    }

    public Task<Silence?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_silences.GetValueOrDefault(id));

    public Task<IReadOnlyList<Silence>> ListAsync(DateTimeOffset? endingAfter, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Silence>>([.. _silences.Values.Where(s => endingAfter is null || s.EndsAt > endingAfter)]);
}
