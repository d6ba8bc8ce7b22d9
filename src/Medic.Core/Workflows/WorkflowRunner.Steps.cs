using Medic.Core.Json;
using Medic.Core.Playbooks;

namespace Medic.Core.Workflows;

public sealed partial class WorkflowRunner
{
    private DateTimeOffset Now => clock.GetUtcNow();

    private Task SaveRunAsync(Run run, CancellationToken cancellationToken) => runs.SaveAsync(run, cancellationToken);

    private ValueTask AnnounceAsync(Run run, StepRecord step) =>
        bus.PublishAsync(new StepFinished(run.Id, run.IncidentId, step), CancellationToken.None);

    /// <summary>
    /// One step: condition, rendering, then attempts until success, a permanent failure, or no
    /// retries left. A step found in flight (a resumed run) continues with its recorded attempt,
    /// key and attempt time, so the provider can recognise what it already did. When the host
    /// stops, the step stays recorded as running and the cancellation propagates.
    /// </summary>
    private async Task<StepRecord> RunStepAsync(Execution execution, PlaybookStep step, CancellationToken cancellationToken)
    {
        var model = execution.Model();
        var record = execution.Step(step.Name);
        var resumed = record.State == StepState.Running ? record : null;
        record = record with { StartedAt = record.StartedAt ?? clock.GetUtcNow() };
        if (resumed is null && step.Condition is { } condition)
        {
            var reasons = new List<string>();
            if (!condition.Explain(model, reasons))
            {
                return record with { State = StepState.Skipped, FinishedAt = clock.GetUtcNow(), Error = $"condition did not hold: {string.Join("; ", reasons.Where(r => r.StartsWith("fails", StringComparison.Ordinal)))}" };
            }
        }

        IReadOnlyDictionary<string, object?> parameters;
        try
        {
            parameters = resumed?.Params is { } recorded
                ? (IReadOnlyDictionary<string, object?>)PlainTree.FromJson(recorded)!
                : (IReadOnlyDictionary<string, object?>)TemplateRenderer.RenderTree(step.Params, model)!;
        }
        catch (TemplateException e)
        {
            return record with { State = StepState.Failed, FinishedAt = clock.GetUtcNow(), Error = e.Message };
        }

        if (providers.Find(step.Type) is not { } provider)
        {
            return record with { State = StepState.Failed, FinishedAt = clock.GetUtcNow(), Error = $"no provider for action type '{step.Type}'" };
        }

        var log = new List<string>(resumed is null ? [] : [$"resumed attempt {resumed.Attempt} after a restart"]);
        for (var attempt = resumed?.Attempt ?? 1; ; attempt++)
        {
            var again = resumed is not null && attempt == resumed.Attempt;
            record = record with
            {
                State = StepState.Running,
                Attempt = attempt,
                AttemptStartedAt = again ? resumed!.AttemptStartedAt : clock.GetUtcNow(),
                IdempotencyKey = $"{execution.Run.Id}:{step.Name}:{attempt}",
                Params = PlainTree.ToJson(parameters),
            };
            await execution.SetAsync(record);
            ActionResult result;
            try
            {
                result = await AttemptAsync(provider, step, record, execution.Run, parameters, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !execution.HostStopping.IsCancellationRequested)
            {
                return record with { State = StepState.Cancelled, FinishedAt = clock.GetUtcNow(), Error = "cancelled while in flight", Log = log };
            }

            log.AddRange(result.Log);
            await audit.AppendAsync("medic", result.Succeeded ? "action.executed" : "action.failed", execution.Run.Id, new { Step = step.Name, step.Type, Attempt = attempt, Key = record.IdempotencyKey, Params = record.Params, result.Error, result.Log }, CancellationToken.None);
            if (result.Succeeded || !result.Retryable || attempt > step.Retries)
            {
                return record with
                {
                    State = result.Succeeded ? StepState.Succeeded : StepState.Failed,
                    FinishedAt = clock.GetUtcNow(),
                    Output = result.Output,
                    Error = result.Error is null || attempt == 1 ? result.Error : $"{result.Error} (after {attempt} attempts)",
                    Log = log,
                };
            }

            var wait = Backoff(attempt);
            log.Add($"attempt {attempt} failed ({result.Error}); retrying in {wait.TotalSeconds:0.#}s");
            try
            {
                // Through the bus when there is one: a simulation then moves its clock on while the step waits.
                await (monitor?.DelayAsync(wait, clock, cancellationToken) ?? Task.Delay(wait, clock, cancellationToken));
            }
            catch (OperationCanceledException) when (!execution.HostStopping.IsCancellationRequested)
            {
                return record with { State = StepState.Cancelled, FinishedAt = clock.GetUtcNow(), Error = "cancelled while waiting to retry", Log = log };
            }
        }
    }

    /// <summary>
    /// One call of the provider, under the step's timeout. A provider that throws (a bug, or an
    /// error it did not expect) fails the attempt instead of the run. A timed-out attempt may have
    /// acted, so it is retried only when the step is idempotent.
    /// </summary>
    private async Task<ActionResult> AttemptAsync(IActionProvider provider, PlaybookStep step, StepRecord record, Run run, IReadOnlyDictionary<string, object?> parameters, CancellationToken cancellationToken)
    {
        var limit = step.Timeout ?? DefaultStepTimeout;
        using var timeout = new CancellationTokenSource(limit, clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var request = new ActionRequest(run.Id, step.Name, record.IdempotencyKey!, parameters) { RequestedAt = record.AttemptStartedAt ?? clock.GetUtcNow(), IncidentId = run.IncidentId };
            return await provider.ExecuteAsync(request, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return step.Idempotent
                ? ActionResult.Transient($"timed out after {limit}")
                : ActionResult.Fail($"timed out after {limit}; not retried, as the step is not idempotent and may have acted");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return e is IOException or HttpRequestException or TimeoutException or OperationCanceledException
                ? ActionResult.Transient($"{step.Type} failed: {e.Message}")
                : ActionResult.Fail($"{step.Type} failed unexpectedly: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Exponential backoff with jitter: 1s, 2s, 4s, ... up to <see cref="MaxBackoff"/>, each scaled by a random factor in [0.5, 1).</summary>
    private static TimeSpan Backoff(int attempt)
    {
        var exponential = Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, attempt - 1));
#pragma warning disable CA5394 // Jitter spreads retries out; it protects nothing.
        return TimeSpan.FromSeconds(exponential * (0.5 + (Random.Shared.NextDouble() / 2)));
#pragma warning restore CA5394
    }
}
