using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Medic.Core.Workflows;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;

namespace Medic.Adapters.Actions;

/// <summary>
/// Wraps an action provider with a bulkhead and a circuit breaker per target (a Kubernetes object,
/// a host, a program, a channel), so one failing or slow dependency cannot stall the executor: calls
/// to a target that keeps failing are refused at once, as retryable failures, until it recovers.
/// </summary>
public sealed class ResilientActionProvider(IActionProvider inner, ActionResilienceOptions options, TimeProvider clock) : IActionProvider, IDisposable
{
    private readonly ConcurrentDictionary<string, ResiliencePipeline<ActionResult>> _pipelines = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public string Type => inner.Type;

    /// <inheritdoc />
    public async Task<ActionResult> ExecuteAsync(ActionRequest request, CancellationToken cancellationToken)
    {
        var target = Target(request.Params);
        var pipeline = _pipelines.GetOrAdd(target, _ => Build());
        try
        {
            return await pipeline.ExecuteAsync(async token => await inner.ExecuteAsync(request, token), cancellationToken);
        }
        catch (BrokenCircuitException)
        {
            return ActionResult.Transient($"{Type} on {target} is failing repeatedly: its circuit is open, calls resume after {options.BreakDuration.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)}s");
        }
        catch (RateLimiterRejectedException)
        {
            return ActionResult.Transient($"too many {Type} actions on {target} at once (at most {options.MaxConcurrentPerTarget}, {options.QueuePerTarget} waiting)");
        }
    }

    /// <inheritdoc />
    public IEnumerable<string> CheckParameters(IReadOnlyDictionary<string, object?> parameters) => inner.CheckParameters(parameters);

    /// <inheritdoc />
    public void Dispose() => (inner as IDisposable)?.Dispose();

    /// <summary>What the call acts on: the thing a failure is about.</summary>
    internal static string Target(IReadOnlyDictionary<string, object?> parameters)
    {
        string? Text(string key) => parameters.GetValueOrDefault(key) as string;
        if (Text("url") is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return uri.IdnHost;
        }

        if (parameters.GetValueOrDefault("command") is IReadOnlyList<object?> { Count: > 0 } command)
        {
            return command[0] as string ?? "";
        }

        return Text("playbook") ?? Text("channel") ?? string.Join('/', new[] { Text("resource"), Text("namespace"), Text("name") }.Where(p => p is not null));
    }

    private ResiliencePipeline<ActionResult> Build() => new ResiliencePipelineBuilder<ActionResult> { TimeProvider = clock }
        .AddConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = options.MaxConcurrentPerTarget, QueueLimit = options.QueuePerTarget })
        .AddCircuitBreaker(new CircuitBreakerStrategyOptions<ActionResult>
        {
            FailureRatio = options.FailureRatio,
            MinimumThroughput = options.MinimumThroughput,
            SamplingDuration = options.SamplingDuration,
            BreakDuration = options.BreakDuration,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null || args.Outcome.Result is { Succeeded: false, Retryable: true }),
        })
        .Build();
}
