using Medic.Core.Incidents.Silences;

namespace Medic.Core.Storage;

/// <summary>Silences, kept after they end so that their history can be shown.</summary>
public interface ISilenceStore
{
    /// <summary>Stores a silence, or replaces the one with its id.</summary>
    Task SaveAsync(Silence silence, CancellationToken cancellationToken);

    /// <summary>The silence, or null.</summary>
    Task<Silence?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Silences that end after <paramref name="endingAfter"/> (all when null), the newest first.</summary>
    Task<IReadOnlyList<Silence>> ListAsync(DateTimeOffset? endingAfter, CancellationToken cancellationToken);
}
