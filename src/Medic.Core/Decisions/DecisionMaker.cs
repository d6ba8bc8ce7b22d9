using System.Text.Json;
using Medic.Core.Audit;
using Medic.Core.Bus;
using Medic.Core.Incidents;
using Medic.Core.Json;
using Medic.Core.Learning;
using Medic.Core.Playbooks;
using Medic.Core.Policy;
using Medic.Core.Rca;
using Medic.Core.Signals;
using Medic.Core.Storage;

namespace Medic.Core.Decisions;

/// <summary>
/// Makes a decision for an incident: matches every playbook against each signal of the suspect,
/// takes the best match, holds it to the policy, and records the decision with every playbook's
/// reasons and every rail's reason, in the store, the timeline and the audit log.
/// </summary>
public sealed class DecisionMaker(
    IBus bus,
    PlaybookRepository playbooks,
    IIncidentStore incidents,
    ISignalStore signals,
    IChangeStore changes,
    IDecisionStore decisions,
    IServiceCatalog services,
    KillSwitch killSwitch,
    PolicyEngine policy,
    ActivityLedger activity,
    IncidentLifecycle lifecycle,
    IAuditLog audit,
    DiagnosisOptions diagnosis,
    PlaybookLearner learner,
    TimeProvider clock)
{
    /// <summary>Decides for <paramref name="incident"/> with root cause <paramref name="top"/>.</summary>
    /// <param name="incident">The incident.</param>
    /// <param name="top">The leading hypothesis.</param>
    /// <param name="requestedBy">The person asking for a run, when a person does; null when Medic decides on its own.</param>
    /// <param name="playbookId">Consider only this playbook (a person asking for a particular one); null considers all.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<Decision> DecideAsync(Incident incident, Hypothesis top, string? requestedBy, string? playbookId, CancellationToken cancellationToken)
    {
        var (contexts, service) = await ContextsAsync(incident, top, cancellationToken);
        // Shadow playbooks decide beside these (ShadowAsync); they are never chosen to act.
        var inForce = playbooks.Playbooks.Where(p => !p.Safety.Shadow).ToList();
        var candidates = playbookId is null ? inForce : inForce.Where(p => p.Id == playbookId).ToList();
        var results = PlaybookMatcher.Match(candidates, contexts);
        var now = clock.GetUtcNow();
        var winner = results.FirstOrDefault(r => r.Match.Matched);
        if (winner is null)
        {
            return new Decision
            {
                Id = Guid.CreateVersion7().ToString("n"),
                IncidentId = incident.Id,
                CreatedAt = now,
                Status = DecisionStatus.NoMatch,
                Level = policy.Options.DefaultLevel,
                Reason = playbookId is not null && candidates.Count == 0
                    ? playbooks.Playbooks.Any(p => p.Id == playbookId) ? $"playbook '{playbookId}' is in shadow mode: it decides beside the others and never acts" : $"no playbook '{playbookId}' is loaded"
                    : $"no playbook matches {top.Entity} ({top.FaultKind})",
                RootCause = top,
                Matches = results.Select(r => r.Match).ToList(),
                RequestedBy = requestedBy,
            };
        }

        var target = new PolicyTarget(top.Entity.Service, top.Entity.Namespace ?? service?.Namespace, top.Entity.Kind == EntityKinds.Node ? top.Entity.Name : null);
        async Task<PolicyVerdict> VerdictAsync(PlaybookMatcher.Result candidate) => policy.Evaluate(new PolicyInput(
            candidate.Playbook,
            target,
            top.Confidence,
            await killSwitch.GetAsync(cancellationToken),
            await killSwitch.GetAsync(candidate.Playbook.Id, cancellationToken),
            await activity.ForAsync(target, candidate.Playbook.Id, cancellationToken))
        {
            RequestedBy = requestedBy,
            Replicas = service?.Replicas,
            StepParams = PlaybookPreview.Of(candidate.Playbook, candidate.Context!).ToDictionary(s => s.Name, s => s.Rendered, StringComparer.Ordinal),
        });

        // Several playbooks match: the learner picks (a person asking for one gets that one).
        LearnedChoice? learned = null;
        if (learner.Options.Enabled && playbookId is null)
        {
            var matched = results.Where(r => r.Match.Matched).ToList();
            var choices = new List<(string, bool)>();
            foreach (var candidate in matched)
            {
                choices.Add((candidate.Playbook.Id, matched.Count > 1 && await MayExploreAsync(candidate)));
            }

            learned = await learner.ChooseAsync(PlaybookLearner.SignatureOf(top, service), choices, cancellationToken);
            winner = matched.First(r => r.Playbook.Id == learned.PlaybookId);
        }

        // Trying a playbook to learn how it does is for what policy lets run on its own, within the risk ceiling.
        async Task<bool> MayExploreAsync(PlaybookMatcher.Result candidate) =>
            policy.RiskOf(candidate.Playbook) <= learner.Options.RiskCeiling
            && await VerdictAsync(candidate) is { Status: DecisionStatus.Approved, Level: >= AutomationLevel.L2 };

        var playbook = winner.Playbook;
        var context = winner.Context!;
        var verdict = await VerdictAsync(winner);
        return new Decision
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
            PlaybookRevision = playbook.Revision,
            PlaybookText = playbook.Text,
            Context = PlainTree.ToJson(context)!.AsObject(),
            Matches = results.Select(r => r.Match).ToList(),
            Verdict = verdict,
            Target = target,
            RequestedBy = requestedBy,
            ApprovalsRequired = verdict.ApprovalsRequired,
            Approvers = verdict.Approvers,
            ExpiresAt = verdict.Status == DecisionStatus.AwaitingApproval ? now + policy.Options.ApprovalTimeout : null,
            DecidedBy = verdict.Status is DecisionStatus.Approved or DecisionStatus.DryRun ? "medic" : null,
            DecidedAt = verdict.Status is DecisionStatus.Approved or DecisionStatus.DryRun ? now : null,
            Learning = learned,
        };
    }

    /// <summary>
    /// What each shadow playbook that matches would decide for <paramref name="incident"/>: the playbook, its
    /// rendered steps' context and the verdict policy would give it, with status <see cref="DecisionStatus.Shadow"/>.
    /// </summary>
    public async Task<IReadOnlyList<Decision>> ShadowAsync(Incident incident, Hypothesis top, CancellationToken cancellationToken)
    {
        var shadows = playbooks.Playbooks.Where(p => p.Safety.Shadow).ToList();
        if (shadows.Count == 0)
        {
            return [];
        }

        var (contexts, service) = await ContextsAsync(incident, top, cancellationToken);
        var target = new PolicyTarget(top.Entity.Service, top.Entity.Namespace ?? service?.Namespace, top.Entity.Kind == EntityKinds.Node ? top.Entity.Name : null);
        var now = clock.GetUtcNow();
        var decided = new List<Decision>();
        foreach (var match in PlaybookMatcher.Match(shadows, contexts).Where(r => r.Match.Matched))
        {
            var verdict = policy.Evaluate(new PolicyInput(match.Playbook, target, top.Confidence, await killSwitch.GetAsync(cancellationToken), await killSwitch.GetAsync(match.Playbook.Id, cancellationToken), await activity.ForAsync(target, match.Playbook.Id, cancellationToken))
            {
                Replicas = service?.Replicas,
                StepParams = PlaybookPreview.Of(match.Playbook, match.Context!).ToDictionary(s => s.Name, s => s.Rendered, StringComparer.Ordinal),
            });
            decided.Add(new Decision
            {
                Id = Guid.CreateVersion7().ToString("n"),
                IncidentId = incident.Id,
                CreatedAt = now,
                Status = DecisionStatus.Shadow,
                Level = verdict.Level,
                Reason = $"shadow: would be {Humanize.Words(verdict.Status)} at {verdict.Level} ({verdict.Reason}); nothing executes",
                RootCause = top,
                PlaybookId = match.Playbook.Id,
                PlaybookVersion = match.Playbook.Version,
                PlaybookRevision = match.Playbook.Revision,
                PlaybookText = match.Playbook.Text,
                Context = PlainTree.ToJson(match.Context)!.AsObject(),
                Matches = [match.Match],
                Verdict = verdict,
                Target = target,
            });
        }

        return decided;
    }

    /// <summary>Stores, audits and announces a decision; requests execution when it may run now (a shadow decision never).</summary>
    public async Task RecordAsync(Decision decision, CancellationToken cancellationToken)
    {
        await decisions.SaveAsync(decision, cancellationToken);
        await audit.AppendAsync(
            decision.RequestedBy ?? "medic",
            $"decision.{Humanize.Words(decision.Status).Replace(' ', '_')}",
            decision.Id,
            new
            {
                decision.IncidentId,
                decision.PlaybookId,
                decision.PlaybookVersion,
                decision.PlaybookRevision,
                Level = decision.Level.ToString(),
                decision.Reason,
                Rails = decision.Verdict?.Reasons ?? [],
                Matches = decision.Matches.Select(m => new { m.PlaybookId, m.Version, m.Matched, m.Reasons }),
            },
            cancellationToken);
        var line = decision.PlaybookId is null
            ? decision.Reason
            : $"playbook {decision.PlaybookId} at {decision.Level}: {decision.Reason}{(decision.Learning is { Ranking.Count: > 1 } learning ? $"; {learning.Describe()}" : "")}";
        await incidents.AppendTimelineAsync(
            new TimelineEntry(decision.IncidentId, decision.CreatedAt, "decide", "decision", line) { DataJson = JsonSerializer.Serialize(new { decision.Matches, Rails = decision.Verdict?.Gates }, MedicJson.Options) },
            cancellationToken);
        if (decision.Status is DecisionStatus.AwaitingApproval or DecisionStatus.Approved)
        {
            await lifecycle.TransitionAsync(decision.IncidentId, IncidentState.Remediating, "decide", $"playbook {decision.PlaybookId} chosen", cancellationToken);
        }

        await bus.PublishAsync(new DecisionMade(decision), cancellationToken);
        if (decision.Status is DecisionStatus.Approved or DecisionStatus.DryRun)
        {
            await bus.PublishAsync(new ExecutionRequested(decision.Id), cancellationToken);
        }
    }

    /// <summary>The contexts to match: one per signal of the suspect, Kubernetes events first, then by score.</summary>
    private async Task<(IReadOnlyList<(string?, IReadOnlyDictionary<string, object?>)> Contexts, ServiceInfo? Service)> ContextsAsync(Incident incident, Hypothesis top, CancellationToken cancellationToken)
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
        var contexts = evidence
            .Select(s => ((string?)s.Id, (IReadOnlyDictionary<string, object?>)DecisionContext.Build(incident, top, s, change, service, policy.Options.Environment)))
            .ToList();
        return (contexts, service);
    }
}
