using Medic.Core.Signals;

namespace Medic.Core.Storage;

/// <summary>Signals, each filed under the incident it joined.</summary>
public interface ISignalStore
{
    /// <summary>Stores a signal under an incident.</summary>
    Task AddAsync(Signal signal, string incidentId, CancellationToken cancellationToken);

    /// <summary>Files signals under another incident (a merge or a split).</summary>
    Task MoveAsync(IReadOnlyCollection<string> signalIds, string incidentId, CancellationToken cancellationToken);

    /// <summary>An incident's signals, oldest first.</summary>
    Task<IReadOnlyList<Signal>> ListByIncidentAsync(string incidentId, CancellationToken cancellationToken);
}
