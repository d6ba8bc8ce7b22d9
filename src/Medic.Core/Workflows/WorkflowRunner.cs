using Medic.Core.Audit;
using Medic.Core.Bus;
using Medic.Core.Decisions;
using Medic.Core.Json;
using Medic.Core.Playbooks;
using Medic.Core.Policy;
using Medic.Core.Storage;

namespace Medic.Core.Workflows;

/// <summary>
/// Runs a playbook's steps as a DAG through the action providers: a step starts once the steps it
/// depends on are done, independent steps run side by side. A step is skipped when its condition
/// fails, retried with exponential backoff and jitter when its failure is retryable, and, when it
/// fails for good, its <c>on_failure</c> fallbacks run; an unhandled failure stops the run. The
/// kill switches are checked before every step, a person can cancel the run, and the run is
/// persisted before and after every step, so a restart can resume it (<see cref="ResumeAsync"/>).
/// </summary>
public sealed partial class WorkflowRunner(
    ActionProviders providers,
    IRunStore runs,
    KillSwitch killSwitch,
    RunCancellations cancellations,
    IAuditLog audit,
    IBus bus,
    TimeProvider clock)
{
    /// <summary>How long a step may take when the playbook does not say.</summary>
    public static readonly TimeSpan DefaultStepTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The longest wait between two attempts of a step.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Steps of one run in flight at once.</summary>
    public const int MaxParallelSteps = 4;

    /// <summary>Runs <paramref name="playbook"/> for <paramref name="decision"/> against <paramref name="context"/>.</summary>
    public async Task<Run> RunAsync(Decision decision, Playbook playbook, IReadOnlyDictionary<string, object?> context, CancellationToken cancellationToken)
    {
        using var execution = new Execution(this, Execution.NewRun(decision, playbook, Now), playbook, context);
        await runs.SaveAsync(execution.Run, cancellationToken);
        await bus.PublishAsync(new RunStarted(execution.Run), cancellationToken);
        return await DriveAsync(execution, cancellationToken);
    }

    /// <summary>
    /// Continues a run that was in flight when Medic stopped: finished steps keep their outcome and
    /// outputs, the step that was in flight is attempted again with the same idempotency key (the
    /// caller has checked that it is idempotent), and the rest runs as usual.
    /// </summary>
    public async Task<Run> ResumeAsync(Run run, Playbook playbook, IReadOnlyDictionary<string, object?> context, CancellationToken cancellationToken)
    {
        using var execution = new Execution(this, run, playbook, context);
        await audit.AppendAsync("medic", "run.resumed", run.Id, new { run.IncidentId, run.PlaybookId, InFlight = run.Steps.Where(s => s.State == StepState.Running).Select(s => s.Name) }, cancellationToken);
        return await DriveAsync(execution, cancellationToken);
    }

    /// <summary>
    /// Marks a run found in flight after a restart as interrupted: its steps in flight become
    /// interrupted (their outcome is unknown) and nothing more of it runs.
    /// </summary>
    public async Task<Run> InterruptAsync(Run run, Playbook? playbook, string reason, CancellationToken cancellationToken)
    {
        var now = Now;
        var stopped = run with
        {
            State = RunState.Interrupted,
            FinishedAt = now,
            Error = reason,
            Steps = run.Steps.Select(s => s.State switch
            {
                StepState.Running => s with { State = StepState.Interrupted, FinishedAt = now, Error = "in flight when Medic stopped; outcome unknown" },
                StepState.Pending when playbook?.FallbackSteps.Contains(s.Name) != true => s with { State = StepState.Cancelled },
                _ => s,
            }).ToList(),
        };
        await runs.SaveAsync(stopped, cancellationToken);
        await audit.AppendAsync("medic", "run.interrupted", run.Id, new { run.IncidentId, run.PlaybookId, Error = reason }, cancellationToken);
        return stopped;
    }

    /// <summary>Records a run that was stopped before its first step.</summary>
    public async Task<Run> BlockAsync(Decision decision, Playbook playbook, string reason, CancellationToken cancellationToken)
    {
        using var execution = new Execution(this, Execution.NewRun(decision, playbook, Now), playbook, new Dictionary<string, object?>());
        return await FinishAsync(execution, RunState.Blocked, reason, cancellationToken);
    }

    /// <summary>Records what would run, rendered against the context, and runs nothing.</summary>
    public async Task<Run> DryRunAsync(Decision decision, Playbook playbook, IReadOnlyDictionary<string, object?> context, CancellationToken cancellationToken)
    {
        using var execution = new Execution(this, Execution.NewRun(decision, playbook, Now), playbook, context);
        foreach (var preview in PlaybookPreview.Of(playbook, context))
        {
            var note = preview.Gated ? "dry run: its condition fails, it would be skipped" : preview.Fallback ? "dry run: would run only if the step naming it failed" : "dry run: would run";
            execution.Put(execution.Step(preview.Name) with { State = StepState.Skipped, Params = PlainTree.ToJson(preview.Rendered), Log = [note], Error = preview.Error });
        }

        return await FinishAsync(execution, RunState.DryRun, "dry run: nothing was executed", cancellationToken);
    }

    /// <summary>Schedules the steps whose dependencies are done, side by side, until all ran or the run stops.</summary>
    private async Task<Run> DriveAsync(Execution execution, CancellationToken cancellationToken)
    {
        using var registration = cancellations.Register(execution.Run.Id);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, registration.Token);
        var running = new Dictionary<Task<bool>, string>();
        var failed = (string?)null;
        string? stop = null;
        while (true)
        {
            stop ??= registration.Token.IsCancellationRequested ? $"cancelled: {cancellations.Reason(execution.Run.Id)}" : null;
            if (stop is null && failed is null)
            {
                foreach (var name in execution.Ready().Take(MaxParallelSteps - running.Count))
                {
                    if (execution.UnmetDependency(name) is { } unmet)
                    {
                        await execution.SetAsync(execution.Step(name) with { State = StepState.Skipped, Error = $"skipped: '{unmet}' did not succeed" }, cancellationToken);
                        continue;
                    }

                    if (await BlockedAsync(execution.Playbook.Id, cancellationToken) is { } reason)
                    {
                        stop = reason;
                        break;
                    }

                    execution.Start(name);
                    running[execution.RunWithFallbacksAsync(name, linked.Token)] = name;
                }
            }

            if (running.Count == 0)
            {
                break;
            }

            var done = await Task.WhenAny(running.Keys);
            var step = running[done];
            running.Remove(done);
            if (!await done && !registration.Token.IsCancellationRequested)
            {
                failed ??= step;
            }
        }

        if (registration.Token.IsCancellationRequested)
        {
            return await FinishAsync(execution, RunState.Cancelled, $"cancelled: {cancellations.Reason(execution.Run.Id)}", cancellationToken);
        }

        return stop is not null ? await FinishAsync(execution, RunState.Blocked, stop, cancellationToken)
            : failed is not null ? await FinishAsync(execution, RunState.Failed, $"step '{failed}' failed: {execution.Step(failed).Error}", cancellationToken)
            : await FinishAsync(execution, execution.AllDone ? RunState.Succeeded : RunState.Failed, execution.AllDone ? null : "steps left that could not run", cancellationToken);
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
        var run = execution.Finish(state, Now, error);
        await runs.SaveAsync(run, cancellationToken);
        await audit.AppendAsync("medic", $"run.{Humanize.Words(state).Replace(' ', '_')}", run.Id, new { run.IncidentId, run.PlaybookId, run.Error }, cancellationToken);
        return run;
    }
}
