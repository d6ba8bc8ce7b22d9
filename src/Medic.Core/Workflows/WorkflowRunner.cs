using Medic.Core.Audit;
using Medic.Core.Bus;
using Medic.Core.Decisions;
using Medic.Core.Json;
using Medic.Core.Playbooks;
using Medic.Core.Policy;
using Medic.Core.Storage;

namespace Medic.Core.Workflows;

/// <summary>
/// Runs a playbook's steps in order through the action providers. The run is persisted before
/// and after every step; the kill switch is checked before every step; a step's output is
/// available to later steps as <c>outputs['step-name']</c>; the first failure stops the run.
/// </summary>
public sealed class WorkflowRunner(
    ActionProviders providers,
    IRunStore runs,
    KillSwitch killSwitch,
    IAuditLog audit,
    IBus bus,
    TimeProvider clock)
{
    /// <summary>How long a step may take when the playbook does not say.</summary>
    public static readonly TimeSpan DefaultStepTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Runs <paramref name="playbook"/> for <paramref name="decision"/> against <paramref name="context"/>.</summary>
    public async Task<Run> RunAsync(Decision decision, Playbook playbook, IReadOnlyDictionary<string, object?> context, CancellationToken cancellationToken)
    {
        var run = NewRun(decision, playbook);
        await runs.SaveAsync(run, cancellationToken);

        var outputs = new Dictionary<string, object?>(StringComparer.Ordinal);
        var model = new Dictionary<string, object?>(context, StringComparer.Ordinal) { ["playbook_id"] = playbook.Id, ["outputs"] = outputs };
        for (var i = 0; i < playbook.Actions.Count; i++)
        {
            if ((await killSwitch.GetAsync(cancellationToken)).Engaged)
            {
                return await FinishAsync(run, i, RunState.Blocked, "kill switch turned on: remaining steps not run", cancellationToken);
            }

            var step = await RunStepAsync(run, playbook.Actions[i], model, cancellationToken);
            run = WithStep(run, i, step);
            await runs.SaveAsync(run, cancellationToken);
            await bus.PublishAsync(new StepFinished(run.Id, run.IncidentId, step), cancellationToken);
            if (step.State == StepState.Failed)
            {
                return await FinishAsync(run, i + 1, RunState.Failed, $"step '{step.Name}' failed: {step.Error}", cancellationToken);
            }

            outputs[step.Name] = PlainTree.FromJson(step.Output);
        }

        return await FinishAsync(run, playbook.Actions.Count, RunState.Succeeded, null, cancellationToken);
    }

    /// <summary>Records a run that was stopped before its first step.</summary>
    public Task<Run> BlockAsync(Decision decision, Playbook playbook, string reason, CancellationToken cancellationToken) =>
        FinishAsync(NewRun(decision, playbook), 0, RunState.Blocked, reason, cancellationToken);

    private Run NewRun(Decision decision, Playbook playbook) => new()
    {
        Id = Guid.CreateVersion7().ToString("n"),
        DecisionId = decision.Id,
        IncidentId = decision.IncidentId,
        PlaybookId = playbook.Id,
        State = RunState.Running,
        StartedAt = clock.GetUtcNow(),
        Steps = playbook.Actions.Select(s => new StepRecord { Name = s.Name, Type = s.Type }).ToList(),
    };

    private async Task<StepRecord> RunStepAsync(Run run, PlaybookStep step, Dictionary<string, object?> model, CancellationToken cancellationToken)
    {
        var record = new StepRecord { Name = step.Name, Type = step.Type, StartedAt = clock.GetUtcNow() };
        if (step.Condition is { } condition && !condition.Evaluate(model))
        {
            return record with { State = StepState.Skipped, FinishedAt = clock.GetUtcNow(), Error = "condition did not hold" };
        }

        IReadOnlyDictionary<string, object?> parameters;
        try
        {
            parameters = (IReadOnlyDictionary<string, object?>)TemplateRenderer.RenderTree(step.Params, model)!;
        }
        catch (TemplateException e)
        {
            return record with { State = StepState.Failed, FinishedAt = clock.GetUtcNow(), Error = e.Message };
        }

        if (providers.Find(step.Type) is not { } provider)
        {
            return record with { State = StepState.Failed, FinishedAt = clock.GetUtcNow(), Error = $"no provider for action type '{step.Type}'" };
        }

        // One attempt per step for now; the key still names the attempt so retries can reuse the scheme.
        record = record with { State = StepState.Running, IdempotencyKey = $"{run.Id}:{step.Name}:1", Params = PlainTree.ToJson(parameters) };
        await runs.SaveAsync(WithStep(run, run.Steps.ToList().FindIndex(s => s.Name == step.Name), record), cancellationToken);

        using var timeout = new CancellationTokenSource(step.Timeout ?? DefaultStepTimeout, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        ActionResult result;
        try
        {
            result = await provider.ExecuteAsync(new ActionRequest(run.Id, step.Name, record.IdempotencyKey, parameters), linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            result = ActionResult.Transient($"timed out after {step.Timeout ?? DefaultStepTimeout}");
        }

        await audit.AppendAsync("medic", result.Succeeded ? "action.executed" : "action.failed", run.Id, new { Step = step.Name, step.Type, Params = record.Params, result.Error, result.Log }, cancellationToken);
        return record with
        {
            State = result.Succeeded ? StepState.Succeeded : StepState.Failed,
            FinishedAt = clock.GetUtcNow(),
            Output = result.Output,
            Error = result.Error,
            Log = result.Log,
        };
    }

    private async Task<Run> FinishAsync(Run run, int firstNotRun, RunState state, string? error, CancellationToken cancellationToken)
    {
        var steps = run.Steps.Select((s, i) => i >= firstNotRun && s.State == StepState.Pending ? s with { State = StepState.Cancelled } : s).ToList();
        run = run with { State = state, FinishedAt = clock.GetUtcNow(), Steps = steps, Error = error };
        await runs.SaveAsync(run, cancellationToken);
        await audit.AppendAsync("medic", $"run.{state.ToString().ToLowerInvariant()}", run.Id, new { run.IncidentId, run.PlaybookId, run.Error }, cancellationToken);
        return run;
    }

    private static Run WithStep(Run run, int index, StepRecord step)
    {
        var steps = run.Steps.ToList();
        steps[index] = step;
        return run with { Steps = steps };
    }
}
