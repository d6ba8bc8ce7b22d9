using Medic.Core.Decisions;
using Medic.Core.Storage;

namespace Medic.Core.Tests.Support;

internal sealed class InMemoryDecisionStore : IDecisionStore
{
    private readonly List<Decision> _decisions = [];

    public Task SaveAsync(Decision decision, CancellationToken cancellationToken)
    {
        _decisions.RemoveAll(d => d.Id == decision.Id);
        _decisions.Add(decision);
        return Task.CompletedTask;
    }

    public Task<Decision?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_decisions.FirstOrDefault(d => d.Id == id));

    public Task<IReadOnlyList<Decision>> ListByIncidentAsync(string incidentId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Decision>>(_decisions.Where(d => d.IncidentId == incidentId).OrderBy(d => d.CreatedAt).ToList());

    public Task<IReadOnlyList<Decision>> ListAwaitingApprovalAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Decision>>(_decisions.Where(d => d.Status == DecisionStatus.AwaitingApproval).ToList());
}
