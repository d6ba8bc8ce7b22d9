using Medic.Core.Learning.Drift;

namespace Medic.Core.Storage;

/// <summary>Every refit of a detector's model and whether it took over, for the record and for <c>GET /api/v1/learning/models</c>.</summary>
public interface IModelVersionStore
{
    /// <summary>Records versions, in order.</summary>
    Task AddAsync(IReadOnlyList<ModelVersion> versions, CancellationToken cancellationToken);

    /// <summary>The latest versions, newest first.</summary>
    Task<IReadOnlyList<ModelVersion>> ListAsync(int limit, CancellationToken cancellationToken);

    /// <summary>The latest versions of one kind of model, newest first.</summary>
    Task<IReadOnlyList<ModelVersion>> ListAsync(string model, int limit, CancellationToken cancellationToken);

    /// <summary>The latest version of <paramref name="model"/> that took over, or null when none did.</summary>
    Task<ModelVersion?> LatestSwappedAsync(string model, CancellationToken cancellationToken);
}
