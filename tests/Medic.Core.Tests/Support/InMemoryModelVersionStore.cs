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

    public Task<IReadOnlyList<ModelVersion>> ListAsync(string model, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ModelVersion>>([.. Enumerable.Reverse(_versions).Where(v => v.Model == model).Take(limit)]);

    public Task<ModelVersion?> LatestSwappedAsync(string model, CancellationToken cancellationToken) =>
        Task.FromResult(Enumerable.Reverse(_versions).FirstOrDefault(v => v.Model == model && v.Swapped));
}
