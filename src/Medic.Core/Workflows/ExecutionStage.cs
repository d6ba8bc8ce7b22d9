using Medic.Core.Bus;
using Medic.Core.Decisions;
using Medic.Core.Incidents;
using Medic.Core.Json;
using Medic.Core.Notifications;
using Medic.Core.Playbooks;
using Medic.Core.Policy;
using Medic.Core.Stages;
using Medic.Core.Storage;

namespace Medic.Core.Workflows;

/// <summary>
/// Execute: runs the playbook of an approved decision, exactly as it was when decided, then sends
/// its notifications. A succeeded run goes to verification; a failed or blocked one is escalated.
/// </summary>
public sealed class ExecutionStage(
    IBus bus,
    IDecisionStore decisions,
    IRunStore runs,
    IIncidentStore incidents,
    WorkflowRunner runner,
    KillSwitch killSwitch,
    IncidentLifecycle lifecycle,
    TimeProvider clock) : IStage
{
    /// <inheritdoc />
    public string Name => "execute";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } = [typeof(ExecutionRequested)];

    /// <inheritdoc />
    public async ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        if (message is not ExecutionRequested request
            || await decisions.GetAsync(request.DecisionId, cancellationToken) is not { Status: DecisionStatus.Approved or DecisionStatus.DryRun, PlaybookText: { } text } decision)
        {
            return;
        }

        // A request delivered twice (after a restart, say) must not run the playbook twice.
        if ((await runs.ListByIncidentAsync(decision.IncidentId, cancellationToken)).Any(r => r.DecisionId == decision.Id))
        {
            return;
        }

        var (playbook, errors) = PlaybookLoader.Parse(text, decision.PlaybookId ?? "decision");
        if (playbook is null)
        {
            await lifecycle.TransitionAsync(decision.IncidentId, IncidentState.Escalated, Name, $"the approved playbook no longer parses: {string.Join("; ", errors)}", cancellationToken);
            return;
        }

        var context = (IReadOnlyDictionary<string, object?>)PlainTree.FromJson(decision.Context)!;
        var run = decision.Status == DecisionStatus.DryRun
            ? await runner.DryRunAsync(decision, playbook, context, cancellationToken)
            : (await killSwitch.GetAsync(cancellationToken)).Engaged || (await killSwitch.GetAsync(playbook.Id, cancellationToken)).Engaged
                ? await runner.BlockAsync(decision, playbook, "kill switch is on: recorded, nothing executed", cancellationToken)
                : await runner.RunAsync(decision, playbook, context, cancellationToken);

        await TellTimelineAsync(run, cancellationToken);
        if (run.State == RunState.Succeeded)
        {
            await NotifyAsync(playbook, context, run, cancellationToken);
            await bus.PublishAsync(new RunFinished(run), cancellationToken);
            return;
        }

        var why = run.State == RunState.DryRun
            ? $"dry run of {playbook.Id}: what would have run is recorded; over to people"
            : $"run of {playbook.Id} {Humanize.Words(run.State)}: {run.Error}";
        await lifecycle.TransitionAsync(run.IncidentId, IncidentState.Escalated, Name, why, cancellationToken);
        await bus.PublishAsync(new RunFinished(run), cancellationToken);
    }

    private async Task TellTimelineAsync(Run run, CancellationToken cancellationToken)
    {
        foreach (var step in run.Steps)
        {
            var detail = step.Log.Count > 0 ? $" — {string.Join("; ", step.Log)}" : step.Error is null ? "" : $" — {step.Error}";
            await incidents.AppendTimelineAsync(new TimelineEntry(run.IncidentId, step.FinishedAt ?? clock.GetUtcNow(), Name, "action", $"{step.Name} ({step.Type}): {step.State.ToString().ToLowerInvariant()}{detail}"), cancellationToken);
        }

        await incidents.AppendTimelineAsync(new TimelineEntry(run.IncidentId, clock.GetUtcNow(), Name, "run", $"run {run.Id} of {run.PlaybookId}: {run.State.ToString().ToLowerInvariant()}" + (run.Error is null ? "" : $" ({run.Error})")), cancellationToken);
    }

    private async Task NotifyAsync(Playbook playbook, IReadOnlyDictionary<string, object?> context, Run run, CancellationToken cancellationToken)
    {
        var model = new Dictionary<string, object?>(context, StringComparer.Ordinal)
        {
            ["playbook_id"] = playbook.Id,
            ["run_id"] = run.Id,
            ["outputs"] = run.Steps.ToDictionary(s => s.Name, s => PlainTree.FromJson(s.Output), StringComparer.Ordinal),
        };
        foreach (var spec in playbook.Notify)
        {
            string text;
            try
            {
                text = TemplateRenderer.Render(spec.Template, model);
            }
            catch (TemplateException e)
            {
                text = $"Playbook {playbook.Id} ran for incident {run.IncidentId} (notification template failed: {e.Message})";
            }

            await bus.PublishAsync(new NotificationRequested(spec.Channel, text, run.IncidentId), cancellationToken);
        }
    }
}
