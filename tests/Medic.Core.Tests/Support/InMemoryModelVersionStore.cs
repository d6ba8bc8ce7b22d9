using Medic.Core.Learning.Drift;
using Medic.Core.Storage;

namespace Medic.Core.Tests.Support;

internal sealed class InMemoryModelVersionStore : IModelVersionStore
{
    private readonly List<ModelVersion> _versions = [];

    public Task AddAsync(IReadOnlyList<ModelVersion> versions, CancellationToken cancellationToken)
    {
        _versions.AddRange(versions);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ModelVersion>> ListAsync(int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ModelVersion>>([.. Enumerable.Reverse(_versions).Take(limit)]);
}
