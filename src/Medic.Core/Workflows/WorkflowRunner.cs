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
/// When the host stops (its token is cancelled), the steps in flight stay recorded as running and
/// the run is left for <see cref="RunRecovery"/> at the next start.
/// </summary>
public sealed partial class WorkflowRunner(
    ActionProviders providers,
    IRunStore runs,
    KillSwitch killSwitch,
    RunCancellations cancellations,
    IAuditLog audit,
    IBus bus,
    TimeProvider clock,
    IBusMonitor? monitor = null)
{
    /// <summary>How long a step may take when the playbook does not say.</summary>
    public static readonly TimeSpan DefaultStepTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The longest wait between two attempts of a step.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Steps of one run in flight at once.</summary>
    public const int MaxParallelSteps = 4;

    /// <summary>The start of the log line of a failed step whose fallbacks handled the failure.</summary>
    public const string HandledByFallback = "handled by fallback";

    /// <summary>Runs <paramref name="playbook"/> for <paramref name="decision"/> against <paramref name="context"/>.</summary>
    public async Task<Run> RunAsync(Decision decision, Playbook playbook, IReadOnlyDictionary<string, object?> context, CancellationToken cancellationToken)
    {
        var run = Execution.NewRun(decision, playbook, Now);
        using var registration = cancellations.Register(run.Id, decision.Id);
        using var execution = new Execution(this, run, playbook, context, cancellationToken);
        await runs.SaveAsync(run, cancellationToken);
        await bus.PublishAsync(new RunStarted(run), cancellationToken);
        return await DriveAsync(execution, registration, cancellationToken);
    }

    /// <summary>
    /// Continues a run that was in flight when Medic stopped: finished steps keep their outcome and
    /// outputs, the step that was in flight is attempted again with the same idempotency key (the
    /// caller has checked that it is idempotent), and the rest runs as usual.
    /// </summary>
    public async Task<Run> ResumeAsync(Run run, Playbook playbook, IReadOnlyDictionary<string, object?> context, CancellationToken cancellationToken)
    {
        run = run with { Owner = RunOwner.Current };
        using var registration = cancellations.Register(run.Id, run.DecisionId);
        using var execution = new Execution(this, run, playbook, context, cancellationToken);
        await runs.SaveAsync(run, cancellationToken);
        await audit.AppendAsync("medic", "run.resumed", run.Id, new { run.IncidentId, run.PlaybookId, InFlight = run.Steps.Where(s => s.State == StepState.Running).Select(s => s.Name) }, cancellationToken);
        return await DriveAsync(execution, registration, cancellationToken);
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
        using var execution = new Execution(this, Execution.NewRun(decision, playbook, Now), playbook, new Dictionary<string, object?>(), cancellationToken);
        return await FinishAsync(execution, RunState.Blocked, reason);
    }

    /// <summary>Records what would run, rendered against the context, and runs nothing.</summary>
    public async Task<Run> DryRunAsync(Decision decision, Playbook playbook, IReadOnlyDictionary<string, object?> context, CancellationToken cancellationToken)
    {
        using var execution = new Execution(this, Execution.NewRun(decision, playbook, Now), playbook, context, cancellationToken);
        foreach (var preview in PlaybookPreview.Of(playbook, context))
        {
            var note = preview.Gated ? "dry run: its condition fails, it would be skipped" : preview.Fallback ? "dry run: would run only if the step naming it failed" : "dry run: would run";
            execution.Put(execution.Step(preview.Name) with { State = StepState.Skipped, Params = PlainTree.ToJson(preview.Rendered), Log = [note], Error = preview.Error });
        }

        return await FinishAsync(execution, RunState.DryRun, "dry run: nothing was executed");
    }

    /// <summary>Schedules the steps whose dependencies are done, side by side, until all ran or the run stops.</summary>
    private async Task<Run> DriveAsync(Execution execution, RunCancellations.Registration registration, CancellationToken hostStopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(hostStopping, registration.Token);
        var running = new Dictionary<Task<bool>, string>();
        string? failed = null;
        string? stop = null;
        var leftInFlight = false;
        while (true)
        {
            if (stop is null && failed is null && !linked.IsCancellationRequested)
            {
                stop = await ScheduleAsync(execution, running, linked.Token);
            }

            if (running.Count == 0)
            {
                break;
            }

            var done = await Task.WhenAny(running.Keys);
            var step = running[done];
            running.Remove(done);
            try
            {
                if (!await done && !registration.Token.IsCancellationRequested)
                {
                    failed ??= step;
                }
            }
            catch (OperationCanceledException) when (hostStopping.IsCancellationRequested)
            {
                leftInFlight = true;
            }
        }

        if (leftInFlight)
        {
            // The host is stopping: what was in flight stays recorded as running, for recovery.
            throw new OperationCanceledException(hostStopping);
        }

        return registration.Token.IsCancellationRequested ? await FinishAsync(execution, RunState.Cancelled, $"cancelled: {registration.Reason}")
            : stop is not null ? await FinishAsync(execution, RunState.Blocked, stop)
            : failed is not null ? await FinishAsync(execution, RunState.Failed, $"step '{failed}' failed: {execution.Step(failed).Error}")
            : execution.AllDone ? await FinishAsync(execution, RunState.Succeeded, null)
            : await FinishAsync(execution, RunState.Failed, "steps left that could not run");
    }

    /// <summary>
    /// Starts every step that can start, up to <see cref="MaxParallelSteps"/>, until nothing more
    /// can: a step skipped because a dependency failed can make its own dependents ready. Returns
    /// why the run must stop (a kill switch), or null.
    /// </summary>
    private async Task<string?> ScheduleAsync(Execution execution, Dictionary<Task<bool>, string> running, CancellationToken cancellationToken)
    {
        for (var progressed = true; progressed;)
        {
            progressed = false;
            foreach (var name in execution.Ready())
            {
                // A step that already failed for good (it can finish at once) stops the run: start nothing more.
                if (running.Count >= MaxParallelSteps || execution.FailedForGood)
                {
                    return null;
                }

                if (execution.UnmetDependency(name) is { } unmet)
                {
                    await execution.SetAsync(execution.Step(name) with { State = StepState.Skipped, Error = $"skipped: '{unmet}' did not succeed" });
                    progressed = true;
                    continue;
                }

                if (await BlockedAsync(execution.Playbook.Id) is { } reason)
                {
                    return reason;
                }

                execution.Start(name);
                running[execution.RunWithFallbacksAsync(name, cancellationToken)] = name;
                progressed = true;
            }
        }

        return null;
    }

    private async Task<string?> BlockedAsync(string playbookId)
    {
        if ((await killSwitch.GetAsync(CancellationToken.None)).Engaged)
        {
            return "kill switch turned on: remaining steps not run";
        }

        return (await killSwitch.GetAsync(playbookId, CancellationToken.None)).Engaged ? $"kill switch of {playbookId} turned on: remaining steps not run" : null;
    }

    /// <summary>Records how the run ended. Always completes: an outcome is never left unsaved because a token fired.</summary>
    private async Task<Run> FinishAsync(Execution execution, RunState state, string? error)
    {
        var run = execution.Finish(state, Now, error);
        await runs.SaveAsync(run, CancellationToken.None);
        await audit.AppendAsync("medic", $"run.{Humanize.Words(state).Replace(' ', '_')}", run.Id, new { run.IncidentId, run.PlaybookId, run.Error }, CancellationToken.None);
        return run;
    }
}
