using Medic.Core.Decisions;

namespace Medic.Core.Storage;

/// <summary>Decisions: which playbook, at which automation level, and their approvals.</summary>
public interface IDecisionStore
{
    /// <summary>Inserts or replaces a decision.</summary>
    Task SaveAsync(Decision decision, CancellationToken cancellationToken);

    /// <summary>The decision, or null.</summary>
    Task<Decision?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>An incident's decisions, oldest first.</summary>
    Task<IReadOnlyList<Decision>> ListByIncidentAsync(string incidentId, CancellationToken cancellationToken);

    /// <summary>Decisions waiting for approval.</summary>
    Task<IReadOnlyList<Decision>> ListAwaitingApprovalAsync(CancellationToken cancellationToken);
}
