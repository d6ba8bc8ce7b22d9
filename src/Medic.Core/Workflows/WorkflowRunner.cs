using Medic.Core.Audit;
using Medic.Core.Bus;
using Medic.Core.Decisions;
using Medic.Core.Json;
using Medic.Core.Playbooks;
using Medic.Core.Policy;
using Medic.Core.Storage;

namespace Medic.Core.Workflows;

/// <summary>
/// Runs a playbook's steps through the action providers, in dependency order. A step is skipped
/// when its condition fails, retried with exponential backoff and jitter when its failure is
/// retryable, and, when it fails for good, its <c>on_failure</c> fallbacks run; an unhandled
/// failure stops the run. The kill switches are checked before every step; the run is persisted
/// before and after every step; a step's output is available to later steps as <c>outputs['name']</c>.
/// </summary>
public sealed partial class WorkflowRunner(
    ActionProviders providers,
    IRunStore runs,
    KillSwitch killSwitch,
    IAuditLog audit,
    IBus bus,
    TimeProvider clock)
{
    /// <summary>How long a step may take when the playbook does not say.</summary>
    public static readonly TimeSpan DefaultStepTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The longest wait between two attempts of a step.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Runs <paramref name="playbook"/> for <paramref name="decision"/> against <paramref name="context"/>.</summary>
    public async Task<Run> RunAsync(Decision decision, Playbook playbook, IReadOnlyDictionary<string, object?> context, CancellationToken cancellationToken)
    {
        var execution = new Execution(this, decision, playbook, context);
        await runs.SaveAsync(execution.Run, cancellationToken);
        var dependencies = StepGraph.Dependencies(playbook.Actions);
        foreach (var name in StepGraph.Order(playbook.Actions) ?? [])
        {
            if (await BlockedAsync(playbook.Id, cancellationToken) is { } reason)
            {
                return await FinishAsync(execution, RunState.Blocked, reason, cancellationToken);
            }

            if (dependencies[name].FirstOrDefault(d => execution.Step(d).State is not (StepState.Succeeded or StepState.Skipped) || execution.Failed(d)) is { } unmet)
            {
                await execution.SetAsync(execution.Step(name) with { State = StepState.Skipped, Error = $"skipped: '{unmet}' did not succeed" }, cancellationToken);
                continue;
            }

            if (!await execution.RunWithFallbacksAsync(playbook.Step(name), cancellationToken))
            {
                return await FinishAsync(execution, RunState.Failed, $"step '{name}' failed: {execution.Step(name).Error}", cancellationToken);
            }
        }

        return await FinishAsync(execution, RunState.Succeeded, null, cancellationToken);
    }

    /// <summary>Records a run that was stopped before its first step.</summary>
    public Task<Run> BlockAsync(Decision decision, Playbook playbook, string reason, CancellationToken cancellationToken) =>
        FinishAsync(new Execution(this, decision, playbook, new Dictionary<string, object?>()), RunState.Blocked, reason, cancellationToken);

    /// <summary>Records what would run, rendered against the context, and runs nothing.</summary>
    public async Task<Run> DryRunAsync(Decision decision, Playbook playbook, IReadOnlyDictionary<string, object?> context, CancellationToken cancellationToken)
    {
        var execution = new Execution(this, decision, playbook, context);
        foreach (var preview in PlaybookPreview.Of(playbook, context))
        {
            var note = preview.Gated ? "dry run: its condition fails, it would be skipped" : preview.Fallback ? "dry run: would run only if the step naming it failed" : "dry run: would run";
            execution.Put(execution.Step(preview.Name) with { State = StepState.Skipped, Params = PlainTree.ToJson(preview.Rendered), Log = [note], Error = preview.Error });
        }

        return await FinishAsync(execution, RunState.DryRun, "dry run: nothing was executed", cancellationToken);
    }

    private async Task<string?> BlockedAsync(string playbookId, CancellationToken cancellationToken)
    {
        if ((await killSwitch.GetAsync(cancellationToken)).Engaged)
        {
            return "kill switch turned on: remaining steps not run";
        }

        return (await killSwitch.GetAsync(playbookId, cancellationToken)).Engaged ? $"kill switch of {playbookId} turned on: remaining steps not run" : null;
    }

    private async Task<Run> FinishAsync(Execution execution, RunState state, string? error, CancellationToken cancellationToken)
    {
        var run = execution.Finish(state, clock.GetUtcNow(), error);
        await runs.SaveAsync(run, cancellationToken);
        await audit.AppendAsync("medic", $"run.{Humanize.Words(state).Replace(' ', '_')}", run.Id, new { run.IncidentId, run.PlaybookId, run.Error }, cancellationToken);
        return run;
    }
}
