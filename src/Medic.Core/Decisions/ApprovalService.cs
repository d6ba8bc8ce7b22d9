using Medic.Core.Audit;
using Medic.Core.Bus;
using Medic.Core.Incidents;
using Medic.Core.Storage;

namespace Medic.Core.Decisions;

/// <summary>
/// Approves, rejects and expires L1 decisions. One lock serialises them, so an approval and an
/// expiry can never both win.
/// </summary>
public sealed class ApprovalService(
    IDecisionStore decisions,
    IIncidentStore incidents,
    IncidentLifecycle lifecycle,
    IAuditLog audit,
    IBus bus,
    TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    /// <summary>Approves the decision waiting on <paramref name="incidentId"/> and requests its execution.</summary>
    public async Task<ApprovalResult> ApproveAsync(string incidentId, string by, string? note, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var (pending, problem) = await FindPendingAsync(incidentId, cancellationToken);
            if (pending is null)
            {
                return problem!;
            }

            if (pending.Approvers.Count > 0 && !pending.Approvers.Contains(by, StringComparer.Ordinal))
            {
                return new ApprovalResult(ApprovalOutcome.Forbidden, $"'{by}' may not approve playbook {pending.PlaybookId}; approvers: {string.Join(", ", pending.Approvers)}", pending);
            }

            var approved = pending with { Status = DecisionStatus.Approved, DecidedBy = by, DecidedAt = clock.GetUtcNow(), Note = note };
            await RecordAsync(approved, "approval.granted", $"approved by {by}" + (note is null ? "" : $": {note}"), cancellationToken);
            await bus.PublishAsync(new ExecutionRequested(approved.Id), cancellationToken);
            return new ApprovalResult(ApprovalOutcome.Done, $"approved; running playbook {approved.PlaybookId}", approved);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Rejects the decision waiting on <paramref name="incidentId"/> and escalates the incident.</summary>
    public async Task<ApprovalResult> RejectAsync(string incidentId, string by, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new ApprovalResult(ApprovalOutcome.Invalid, "a rejection needs a reason: say why, so the next person (and Medic's learning) knows");
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            var (pending, problem) = await FindPendingAsync(incidentId, cancellationToken);
            if (pending is null)
            {
                return problem!;
            }

            var rejected = pending with { Status = DecisionStatus.Rejected, DecidedBy = by, DecidedAt = clock.GetUtcNow(), Note = reason };
            await RecordAsync(rejected, "approval.rejected", $"rejected by {by}: {reason}", cancellationToken);
            await lifecycle.TransitionAsync(incidentId, IncidentState.Escalated, "approve", $"playbook {pending.PlaybookId} rejected by {by}; over to people", cancellationToken);
            return new ApprovalResult(ApprovalOutcome.Done, "rejected; the incident is escalated", rejected);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Expires approval requests past their deadline and escalates their incidents.</summary>
    public async Task ExpireAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            foreach (var pending in await decisions.ListAwaitingApprovalAsync(cancellationToken))
            {
                if (pending.ExpiresAt is { } expires && expires <= now)
                {
                    var expired = pending with { Status = DecisionStatus.Expired, DecidedBy = "medic", DecidedAt = now };
                    await RecordAsync(expired, "approval.expired", "approval request expired unanswered", cancellationToken);
                    await lifecycle.TransitionAsync(pending.IncidentId, IncidentState.Escalated, "approve", "nobody approved in time; over to people", cancellationToken);
                }
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<(Decision? Pending, ApprovalResult? Problem)> FindPendingAsync(string incidentId, CancellationToken cancellationToken)
    {
        if (await incidents.GetAsync(incidentId, cancellationToken) is null)
        {
            return (null, new ApprovalResult(ApprovalOutcome.NotFound, $"no incident '{incidentId}'"));
        }

        var latest = (await decisions.ListByIncidentAsync(incidentId, cancellationToken)).LastOrDefault(d => d.PlaybookId is not null);
        if (latest is null)
        {
            return (null, new ApprovalResult(ApprovalOutcome.NotFound, $"incident '{incidentId}' has no decision waiting for approval"));
        }

        if (latest.Status != DecisionStatus.AwaitingApproval)
        {
            return (null, new ApprovalResult(ApprovalOutcome.Conflict, $"the decision on incident '{incidentId}' is {latest.Status}, not awaiting approval", latest));
        }

        if (latest.ExpiresAt is { } expires && expires <= clock.GetUtcNow())
        {
            return (null, new ApprovalResult(ApprovalOutcome.Conflict, $"the approval request expired at {expires:O}", latest));
        }

        return (latest, null);
    }

    private async Task RecordAsync(Decision decision, string action, string message, CancellationToken cancellationToken)
    {
        await decisions.SaveAsync(decision, cancellationToken);
        await audit.AppendAsync(decision.DecidedBy ?? "medic", action, decision.Id, new { decision.IncidentId, decision.PlaybookId, decision.Note }, cancellationToken);
        await incidents.AppendTimelineAsync(new TimelineEntry(decision.IncidentId, clock.GetUtcNow(), "approve", "approval", message), cancellationToken);
        await bus.PublishAsync(new DecisionMade(decision), cancellationToken);
    }
}
