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
/// its notifications. A succeeded run goes to verification; any other is escalated, and a run that
/// failed, was blocked or was interrupted pages the on-call. After a restart it resumes the runs
/// that were in flight, or marks them interrupted when that is not safe (<see cref="RunRecovery"/>).
/// </summary>
public sealed class ExecutionStage(
    IBus bus,
    IDecisionStore decisions,
    IRunStore runs,
    IIncidentStore incidents,
    WorkflowRunner runner,
    KillSwitch killSwitch,
    IncidentLifecycle lifecycle,
    PolicyOptions policy,
    TimeProvider clock) : IStage
{
    /// <inheritdoc />
    public string Name => "execute";

    /// <inheritdoc />
    public IReadOnlyCollection<Type> Consumes { get; } = [typeof(ExecutionRequested), typeof(RunResumeRequested)];

    /// <inheritdoc />
    public async ValueTask HandleAsync(IMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case ExecutionRequested request:
                await ExecuteAsync(request.DecisionId, cancellationToken);
                break;
            case RunResumeRequested resume:
                await ResumeAsync(resume.RunId, cancellationToken);
                break;
        }
    }

    private async Task ExecuteAsync(string decisionId, CancellationToken cancellationToken)
    {
        if (await decisions.GetAsync(decisionId, cancellationToken) is not { Status: DecisionStatus.Approved or DecisionStatus.DryRun, PlaybookText: { } text } decision)
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
        await FinishAsync(run, playbook, context, cancellationToken);
    }

    private async Task ResumeAsync(string runId, CancellationToken cancellationToken)
    {
        if (await runs.GetAsync(runId, cancellationToken) is not { State: RunState.Running } run)
        {
            return;
        }

        var decision = await decisions.GetAsync(run.DecisionId, cancellationToken);
        var playbook = decision?.PlaybookText is { } text ? PlaybookLoader.Parse(text, run.PlaybookId).Playbook : null;
        var context = (IReadOnlyDictionary<string, object?>)(PlainTree.FromJson(decision?.Context) ?? new Dictionary<string, object?>());
        await incidents.AppendTimelineAsync(new TimelineEntry(run.IncidentId, clock.GetUtcNow(), Name, "run", $"run {run.Id} of {run.PlaybookId} was in flight when Medic stopped"), cancellationToken);
        run = decision?.Status == DecisionStatus.Withdrawn
            ? await runner.InterruptAsync(run, playbook, $"approval withdrawn by {decision.DecidedBy} while Medic was down: {decision.Note}", cancellationToken)
            : RunRecovery.CannotResume(run, playbook) is { } reason
                ? await runner.InterruptAsync(run, playbook, reason, cancellationToken)
                : await runner.ResumeAsync(run, playbook!, context, cancellationToken);
        await FinishAsync(run, playbook, context, cancellationToken);
    }

    private async Task FinishAsync(Run run, Playbook? playbook, IReadOnlyDictionary<string, object?> context, CancellationToken cancellationToken)
    {
        await TellTimelineAsync(run, cancellationToken);
        if (run.State == RunState.Succeeded && playbook is not null)
        {
            await NotifyAsync(playbook, context, run, cancellationToken);
            await bus.PublishAsync(new RunFinished(run), cancellationToken);
            return;
        }

        var why = run.State == RunState.DryRun
            ? $"dry run of {run.PlaybookId}: what would have run is recorded; over to people"
            : $"run of {run.PlaybookId} {Humanize.Words(run.State)}: {run.Error}";
        await lifecycle.TransitionAsync(run.IncidentId, IncidentState.Escalated, Name, why, cancellationToken);
        if (run.State is RunState.Failed or RunState.Blocked or RunState.Interrupted)
        {
            await bus.PublishAsync(new NotificationRequested(policy.PageChannel, $"Incident {run.IncidentId} needs a person: {why}", run.IncidentId) { Kind = NotificationKinds.Page }, cancellationToken);
        }

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
