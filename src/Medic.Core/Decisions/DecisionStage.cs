using Medic.Core.Bus;
using Medic.Core.Incidents;
using Medic.Core.Notifications;
using Medic.Core.Policy;
using Medic.Core.Rca;
using Medic.Core.Stages;
using Medic.Core.Storage;

namespace Medic.Core.Decisions;

/// <summary>
/// Decide: for each new diagnosis of an incident that has no decision in force, asks the
/// decision maker. With no match, the incident waits for more evidence, then is escalated.
/// Also expires approval requests (which escalates and pages).
/// </summary>
public sealed class DecisionStage(
    IBus bus,
    DecisionMaker maker,
    IIncidentStore incidents,
    IDecisionStore decisions,
    ApprovalService approvals,
    IncidentLifecycle lifecycle,
    PolicyOptions policy,
    TimeProvider clock) : ITimedStage
{
    private readonly Dictionary<string, DateTimeOffset> _unmatchedSince = [];

    /// <inheritdoc />
    public string Name => "decide";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } = [typeof(DiagnosisReady)];

    /// <inheritdoc />
    public TimeSpan TickInterval => TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public async ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        if (message is not DiagnosisReady { Hypotheses.Count: > 0 } diagnosed
            || await incidents.GetAsync(diagnosed.IncidentId, cancellationToken) is not { IsActive: true } incident)
        {
            return;
        }

        var earlier = await decisions.ListByIncidentAsync(incident.Id, cancellationToken);
        if (earlier.Any(d => d.Status is DecisionStatus.AwaitingApproval or DecisionStatus.Approved or DecisionStatus.DryRun))
        {
            return;
        }

        var top = diagnosed.Hypotheses[0];
        foreach (var shadow in await maker.ShadowAsync(incident, top, cancellationToken))
        {
            // Once per incident and shadow playbook: what it would have done the first time it matched.
            if (!earlier.Any(d => d.Status == DecisionStatus.Shadow && d.PlaybookId == shadow.PlaybookId))
            {
                await maker.RecordAsync(shadow, cancellationToken);
            }
        }

        var decision = await maker.DecideAsync(incident, top, requestedBy: null, playbookId: null, cancellationToken);
        if (decision.Status != DecisionStatus.NoMatch)
        {
            _unmatchedSince.Remove(incident.Id);
            await maker.RecordAsync(decision, cancellationToken);
            return;
        }

        _unmatchedSince.TryAdd(incident.Id, clock.GetUtcNow());
        // Say it once per suspect, not at every new signal.
        if (earlier.Count == 0 || earlier[^1] is not { Status: DecisionStatus.NoMatch } last || last.RootCause?.Entity != top.Entity)
        {
            await maker.RecordAsync(decision with { Reason = $"{decision.Reason}; waiting for more evidence, escalating after {policy.EscalateAfter.TotalMinutes:0} minutes" }, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask OnTickAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await approvals.ExpireAsync(cancellationToken);
        foreach (var (incidentId, since) in _unmatchedSince.ToList())
        {
            if (now - since < policy.EscalateAfter)
            {
                continue;
            }

            _unmatchedSince.Remove(incidentId);
            var reason = $"no playbook matched within {policy.EscalateAfter.TotalMinutes:0} minutes; over to people";
            await lifecycle.TransitionAsync(incidentId, IncidentState.Escalated, Name, reason, cancellationToken);
            await bus.PublishAsync(new NotificationRequested(policy.PageChannel, $"Incident {incidentId} escalated: {reason}", incidentId), cancellationToken);
        }
    }
}
