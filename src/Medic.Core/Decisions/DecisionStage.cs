using System.Globalization;
using Medic.Core.Audit;
using Medic.Core.Bus;
using Medic.Core.Incidents;
using Medic.Core.Json;
using Medic.Core.Playbooks;
using Medic.Core.Policy;
using Medic.Core.Rca;
using Medic.Core.Signals;
using Medic.Core.Stages;
using Medic.Core.Storage;

namespace Medic.Core.Decisions;

/// <summary>
/// Decide: matches the playbooks against each signal of the suspected root cause, applies the
/// policy rails and records the decision. L2/L3 decisions request execution at once; L1 decisions
/// wait for approval. With no match, the incident waits for more evidence, then is escalated.
/// </summary>
public sealed class DecisionStage(
    IBus bus,
    PlaybookCatalog playbooks,
    IIncidentStore incidents,
    ISignalStore signals,
    IChangeStore changes,
    IDecisionStore decisions,
    IServiceCatalog services,
    KillSwitch killSwitch,
    ApprovalService approvals,
    IncidentLifecycle lifecycle,
    IAuditLog audit,
    PolicyOptions policy,
    DiagnosisOptions diagnosis,
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
        if (earlier.Any(d => d.Status is DecisionStatus.AwaitingApproval or DecisionStatus.Approved))
        {
            return;
        }

        var top = diagnosed.Hypotheses[0];
        var match = await MatchAsync(incident, top, cancellationToken);
        if (match is null)
        {
            await RecordNoMatchAsync(incident, top, earlier, cancellationToken);
            return;
        }

        _unmatchedSince.Remove(incident.Id);
        var (playbook, context) = match.Value;
        var verdict = PolicyEngine.Evaluate(playbook, top.Confidence, (await killSwitch.GetAsync(cancellationToken)).Engaged, policy);
        var now = clock.GetUtcNow();
        var decision = new Decision
        {
            Id = Guid.CreateVersion7().ToString("n"),
            IncidentId = incident.Id,
            CreatedAt = now,
            Status = verdict.Status,
            Level = verdict.Level,
            Reason = verdict.Reason,
            RootCause = top,
            PlaybookId = playbook.Id,
            PlaybookVersion = playbook.Version,
            PlaybookText = playbook.Text,
            Context = PlainTree.ToJson(context)!.AsObject(),
            Approvers = playbook.Safety.Approvers,
            ExpiresAt = verdict.Status == DecisionStatus.AwaitingApproval ? now + policy.ApprovalTimeout : null,
            DecidedBy = verdict.Status == DecisionStatus.Approved ? "medic" : null,
            DecidedAt = verdict.Status == DecisionStatus.Approved ? now : null,
        };
        await decisions.SaveAsync(decision, cancellationToken);
        await audit.AppendAsync("medic", $"decision.{verdict.Status.ToString().ToLowerInvariant()}", decision.Id, new { decision.IncidentId, decision.PlaybookId, decision.PlaybookVersion, Level = decision.Level.ToString(), decision.Reason }, cancellationToken);
        await incidents.AppendTimelineAsync(new TimelineEntry(incident.Id, now, Name, "decision", $"playbook {playbook.Id} at {verdict.Level}: {verdict.Reason}"), cancellationToken);
        if (verdict.Status != DecisionStatus.Blocked)
        {
            await lifecycle.TransitionAsync(incident.Id, IncidentState.Remediating, Name, $"playbook {playbook.Id} chosen", cancellationToken);
        }

        await bus.PublishAsync(new DecisionMade(decision), cancellationToken);
        if (decision.Status == DecisionStatus.Approved)
        {
            await bus.PublishAsync(new ExecutionRequested(decision.Id), cancellationToken);
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
            await lifecycle.TransitionAsync(incidentId, IncidentState.Escalated, Name, string.Create(CultureInfo.InvariantCulture, $"no playbook matched within {policy.EscalateAfter.TotalMinutes:0} minutes; over to people"), cancellationToken);
        }
    }

    /// <summary>The first playbook (by priority) whose trigger holds for a signal of the suspect, strongest signal first.</summary>
    private async Task<(Playbook Playbook, Dictionary<string, object?> Context)?> MatchAsync(Incident incident, Hypothesis top, CancellationToken cancellationToken)
    {
        var suspect = (top.Entity.Kind, top.Entity.Name);
        var evidence = (await signals.ListByIncidentAsync(incident.Id, cancellationToken))
            .Where(s => s.Entity.Candidate == suspect)
            .OrderByDescending(s => s.Source == SignalSources.Kubernetes)
            .ThenByDescending(s => s.Score)
            .ToList();
        var change = top.Entity.Service is { } name
            ? (await changes.ListAsync(incident.OpenedAt - diagnosis.ChangeLookback, incident.LastSignalAt, cancellationToken)).LastOrDefault(c => c.Service == name)
            : null;
        var service = top.Entity.Service is { } svc ? await services.GetAsync(svc, cancellationToken) : null;

        foreach (var playbook in playbooks.Playbooks)
        {
            foreach (var signal in evidence)
            {
                var context = DecisionContext.Build(incident, top, signal, change, service);
                if (playbook.Trigger.Evaluate(context))
                {
                    return (playbook, context);
                }
            }
        }

        return null;
    }

    private async Task RecordNoMatchAsync(Incident incident, Hypothesis top, IReadOnlyList<Decision> earlier, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        _unmatchedSince.TryAdd(incident.Id, now);
        var reason = $"no playbook matches {top.Entity} ({top.FaultKind}); waiting for more evidence, escalating after {policy.EscalateAfter.TotalMinutes.ToString("0", CultureInfo.InvariantCulture)} minutes";
        if (earlier.Count > 0 && earlier[^1] is { Status: DecisionStatus.NoMatch } last && last.RootCause?.Entity == top.Entity)
        {
            return;
        }

        var decision = new Decision
        {
            Id = Guid.CreateVersion7().ToString("n"),
            IncidentId = incident.Id,
            CreatedAt = now,
            Status = DecisionStatus.NoMatch,
            Level = policy.DefaultLevel,
            Reason = reason,
            RootCause = top,
        };
        await decisions.SaveAsync(decision, cancellationToken);
        await incidents.AppendTimelineAsync(new TimelineEntry(incident.Id, now, Name, "decision", reason), cancellationToken);
        await bus.PublishAsync(new DecisionMade(decision), cancellationToken);
    }
}
