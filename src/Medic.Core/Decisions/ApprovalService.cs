using Medic.Core.Audit;
using Medic.Core.Bus;
using Medic.Core.Incidents;
using Medic.Core.Notifications;
using Medic.Core.Policy;
using Medic.Core.Storage;
using Medic.Core.Workflows;

namespace Medic.Core.Decisions;

/// <summary>
/// Approves, rejects and expires decisions that wait for people. Only the listed approvers may
/// approve (any operator when none are listed), never the person who asked for the run, and a
/// decision that needs two approvals needs two different people. One lock serialises every
/// change, so an approval and an expiry can never both win.
/// </summary>
public sealed class ApprovalService(
    IDecisionStore decisions,
    IIncidentStore incidents,
    IncidentLifecycle lifecycle,
    IAuditLog audit,
    IBus bus,
    PolicyOptions policy,
    IRunStore runs,
    RunCancellations cancellations,
    TimeProvider clock) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    /// <summary>Approves the decision <paramref name="id"/> (a decision id, or an incident id for its waiting decision).</summary>
    public async Task<ApprovalResult> ApproveAsync(string id, string by, string? note, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var (pending, problem) = await FindPendingAsync(id, cancellationToken);
            if (pending is null)
            {
                return problem!;
            }

            if (pending.RequestedBy == by)
            {
                return new ApprovalResult(ApprovalOutcome.Forbidden, $"'{by}' asked for this run and may not approve it; another approver must", pending);
            }

            if (pending.Approvers.Count > 0 && !pending.Approvers.Contains(by, StringComparer.Ordinal))
            {
                return new ApprovalResult(ApprovalOutcome.Forbidden, $"'{by}' may not approve playbook {pending.PlaybookId}; approvers: {string.Join(", ", pending.Approvers)}", pending);
            }

            if (pending.Approvals.Any(a => a.By == by))
            {
                return new ApprovalResult(ApprovalOutcome.Conflict, $"'{by}' has already approved; {pending.ApprovalsRequired - pending.Approvals.Count} more approval(s) from someone else are needed", pending);
            }

            var now = clock.GetUtcNow();
            var approvals = pending.Approvals.Append(new Approval(by, now, note)).ToList();
            if (approvals.Count < Math.Max(1, pending.ApprovalsRequired))
            {
                var partial = pending with { Approvals = approvals };
                await RecordAsync(partial, by, "approval.partial", $"approved by {by} ({approvals.Count} of {pending.ApprovalsRequired}); waiting for a second, different approver", cancellationToken);
                return new ApprovalResult(ApprovalOutcome.Done, $"approval {approvals.Count} of {pending.ApprovalsRequired} recorded; another approver is needed", partial);
            }

            var approved = pending with { Status = DecisionStatus.Approved, Approvals = approvals, DecidedBy = by, DecidedAt = now, Note = note };
            await RecordAsync(approved, by, "approval.granted", $"approved by {string.Join(" and ", approvals.Select(a => a.By))}" + (note is null ? "" : $": {note}"), cancellationToken);
            await bus.PublishAsync(new ExecutionRequested(approved.Id), cancellationToken);
            return new ApprovalResult(ApprovalOutcome.Done, $"approved; running playbook {approved.PlaybookId}", approved);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Rejects the decision <paramref name="id"/> (a decision id, or an incident id) and escalates the incident.</summary>
    public async Task<ApprovalResult> RejectAsync(string id, string by, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new ApprovalResult(ApprovalOutcome.Invalid, "a rejection needs a reason: say why, so the next person (and Medic's learning) knows");
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            var (pending, problem) = await FindPendingAsync(id, cancellationToken);
            if (pending is null)
            {
                return problem!;
            }

            if (pending.Approvers.Count > 0 && !pending.Approvers.Contains(by, StringComparer.Ordinal) && pending.RequestedBy != by)
            {
                return new ApprovalResult(ApprovalOutcome.Forbidden, $"'{by}' may not reject playbook {pending.PlaybookId}; approvers: {string.Join(", ", pending.Approvers)}", pending);
            }

            var rejected = pending with { Status = DecisionStatus.Rejected, DecidedBy = by, DecidedAt = clock.GetUtcNow(), Note = reason };
            await RecordAsync(rejected, by, "approval.rejected", $"rejected by {by}: {reason}", cancellationToken);
            await lifecycle.TransitionAsync(pending.IncidentId, IncidentState.Escalated, "approve", $"playbook {pending.PlaybookId} rejected by {by}; over to people", cancellationToken);
            return new ApprovalResult(ApprovalOutcome.Done, "rejected; the incident is escalated", rejected);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Withdraws an approval: the decision can no longer run, and its run, when in flight, is
    /// cancelled before its next step (the step in flight is stopped). Anyone who approved it,
    /// may approve it, or asked for it may withdraw it.
    /// </summary>
    public async Task<ApprovalResult> WithdrawAsync(string id, string by, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new ApprovalResult(ApprovalOutcome.Invalid, "withdrawing an approval needs a reason: say why");
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (await decisions.GetAsync(id, cancellationToken) is not { } decision)
            {
                return new ApprovalResult(ApprovalOutcome.NotFound, $"no decision '{id}'");
            }

            if (decision.Status != DecisionStatus.Approved)
            {
                return new ApprovalResult(ApprovalOutcome.Conflict, $"the decision is {decision.Status}, not approved: there is nothing to withdraw", decision);
            }

            var allowed = decision.Approvals.Any(a => a.By == by) || decision.Approvers.Contains(by, StringComparer.Ordinal) || decision.RequestedBy == by || decision.Approvers.Count == 0;
            if (!allowed)
            {
                return new ApprovalResult(ApprovalOutcome.Forbidden, $"'{by}' neither approved nor may approve playbook {decision.PlaybookId}; approvers: {string.Join(", ", decision.Approvers)}", decision);
            }

            var run = (await runs.ListByIncidentAsync(decision.IncidentId, cancellationToken)).LastOrDefault(r => r.DecisionId == decision.Id);
            if (run is { State: not RunState.Running })
            {
                return new ApprovalResult(ApprovalOutcome.Conflict, $"its run {run.Id} already finished ({run.State}); nothing left to stop", decision);
            }

            var withdrawn = decision with { Status = DecisionStatus.Withdrawn, DecidedBy = by, DecidedAt = clock.GetUtcNow(), Note = reason };
            await RecordAsync(withdrawn, by, "approval.withdrawn", $"approval withdrawn by {by}: {reason}", cancellationToken);
            if (cancellations.CancelDecision(decision.Id, $"approval withdrawn by {by}: {reason}") && run is not null)
            {
                return new ApprovalResult(ApprovalOutcome.Done, $"withdrawn; run {run.Id} is being cancelled", withdrawn);
            }

            await lifecycle.TransitionAsync(decision.IncidentId, IncidentState.Escalated, "approve", $"approval of {decision.PlaybookId} withdrawn by {by} before it ran; over to people", cancellationToken);
            return new ApprovalResult(ApprovalOutcome.Done, "withdrawn before its run started; the incident is escalated", withdrawn);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Expires approval requests past their deadline: they escalate and page, they never run.</summary>
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
                    await RecordAsync(expired, "medic", "approval.expired", "approval request expired unanswered", cancellationToken);
                    await lifecycle.TransitionAsync(pending.IncidentId, IncidentState.Escalated, "approve", "nobody approved in time; over to people", cancellationToken);
                    await bus.PublishAsync(new NotificationRequested(policy.PageChannel, $"Approval for playbook {pending.PlaybookId} on incident {pending.IncidentId} expired unanswered; the incident needs a person.", pending.IncidentId) { Kind = NotificationKinds.Page }, cancellationToken);
                }
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<(Decision? Pending, ApprovalResult? Problem)> FindPendingAsync(string id, CancellationToken cancellationToken)
    {
        var decision = await decisions.GetAsync(id, cancellationToken);
        if (decision is null)
        {
            if (await incidents.GetAsync(id, cancellationToken) is null)
            {
                return (null, new ApprovalResult(ApprovalOutcome.NotFound, $"no decision or incident '{id}'"));
            }

            var all = await decisions.ListByIncidentAsync(id, cancellationToken);
            decision = all.LastOrDefault(d => d.PlaybookId is not null);
            if (decision is null)
            {
                return (null, new ApprovalResult(ApprovalOutcome.NotFound, $"incident '{id}' has no decision waiting for approval"));
            }
        }

        if (decision.Status != DecisionStatus.AwaitingApproval)
        {
            return (null, new ApprovalResult(ApprovalOutcome.Conflict, $"the decision on incident '{decision.IncidentId}' is {decision.Status}, not awaiting approval", decision));
        }

        if (decision.ExpiresAt is { } expires && expires <= clock.GetUtcNow())
        {
            return (null, new ApprovalResult(ApprovalOutcome.Conflict, $"the approval request expired at {expires:O}", decision));
        }

        return (decision, null);
    }

    private async Task RecordAsync(Decision decision, string actor, string action, string message, CancellationToken cancellationToken)
    {
        await decisions.SaveAsync(decision, cancellationToken);
        await audit.AppendAsync(actor, action, decision.Id, new { decision.IncidentId, decision.PlaybookId, decision.Note, Approvals = decision.Approvals.Select(a => a.By) }, cancellationToken);
        await incidents.AppendTimelineAsync(new TimelineEntry(decision.IncidentId, clock.GetUtcNow(), "approve", "approval", message), cancellationToken);
        await bus.PublishAsync(new DecisionMade(decision), cancellationToken);
    }
}
