using Medic.Adapters.Actions;
using Medic.Core.Workflows;

namespace Medic.Adapters.Tests.Actions;

/// <summary>Circuit breakers and bulkheads per target: one failing dependency cannot stall the others.</summary>
public sealed class ResilientActionProviderTests
{
    [Fact]
    public async Task A_target_that_keeps_failing_is_refused_at_once_while_other_targets_still_work()
    {
        var inner = new CountingProvider(r => r.Params["name"] as string == "cart" ? ActionResult.Transient("503 from the API") : ActionResult.Ok(null));
        var provider = new ResilientActionProvider(inner, new ActionResilienceOptions { MinimumThroughput = 4, FailureRatio = 0.5 }, TimeProvider.System);

        for (var i = 0; i < 4; i++)
        {
            await provider.ExecuteAsync(Request("cart"), CancellationToken.None);
        }

        var refused = await provider.ExecuteAsync(Request("cart"), CancellationToken.None);
        var other = await provider.ExecuteAsync(Request("payment"), CancellationToken.None);

        Assert.Equal(5, inner.Calls);
        Assert.True(refused.Retryable);
        Assert.StartsWith("kubernetes_api_call on deployment/shop/cart is failing repeatedly: its circuit is open", refused.Error, StringComparison.Ordinal);
        Assert.True(other.Succeeded);
    }

    [Fact]
    public async Task A_permanent_failure_does_not_open_the_circuit()
    {
        var inner = new CountingProvider(_ => ActionResult.Fail("404 not found"));
        var provider = new ResilientActionProvider(inner, new ActionResilienceOptions { MinimumThroughput = 2 }, TimeProvider.System);

        for (var i = 0; i < 6; i++)
        {
            await provider.ExecuteAsync(Request("cart"), CancellationToken.None);
        }

        Assert.Equal(6, inner.Calls);
    }

    [Fact]
    public async Task Calls_beyond_the_bulkhead_and_its_queue_are_refused_rather_than_piling_up()
    {
        var gate = new TaskCompletionSource<ActionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var inner = new CountingProvider(_ => ActionResult.Ok(null)) { Wait = gate.Task };
        var provider = new ResilientActionProvider(inner, new ActionResilienceOptions { MaxConcurrentPerTarget = 1, QueuePerTarget = 1 }, TimeProvider.System);

        var first = provider.ExecuteAsync(Request("cart"), CancellationToken.None);
        var queued = provider.ExecuteAsync(Request("cart"), CancellationToken.None);
        var refused = await provider.ExecuteAsync(Request("cart"), CancellationToken.None);
        gate.SetResult(ActionResult.Ok(null));

        Assert.StartsWith("too many kubernetes_api_call actions on deployment/shop/cart at once", refused.Error, StringComparison.Ordinal);
        Assert.True((await first).Succeeded);
        Assert.True((await queued).Succeeded);
    }

    private static ActionRequest Request(string name) =>
        new("run1", "restart", "run1:restart:1", new Dictionary<string, object?> { ["resource"] = "deployment", ["namespace"] = "shop", ["name"] = name });

    private sealed class CountingProvider(Func<ActionRequest, ActionResult> answer) : IActionProvider
    {
        private int _calls;

        public string Type => "kubernetes_api_call";

        public int Calls => _calls;

        public Task<ActionResult>? Wait { get; init; }

        public async Task<ActionResult> ExecuteAsync(ActionRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            if (Wait is not null)
            {
                await Wait;
            }

            return answer(request);
        }
    }
}
