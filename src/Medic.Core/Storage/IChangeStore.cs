using Medic.Core.Changes;

namespace Medic.Core.Storage;

/// <summary>Change events (deploys, config changes, ...).</summary>
public interface IChangeStore
{
    /// <summary>Stores a change; storing the same id twice keeps the first.</summary>
    Task AddAsync(ChangeEvent change, CancellationToken cancellationToken);

    /// <summary>Changes in [<paramref name="from"/>, <paramref name="to"/>], oldest first.</summary>
    Task<IReadOnlyList<ChangeEvent>> ListAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
