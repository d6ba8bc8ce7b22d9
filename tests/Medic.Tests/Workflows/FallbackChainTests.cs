using Medic.Adapters.Notifications;
using Medic.Core.Storage;
using Medic.Core.Workflows;
using Medic.Demo;
using Medic.Sim.Faults;
using Medic.Testing;
using Medic.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Medic.Tests.Workflows;

/// <summary>
/// The fallback chain end to end on the simulated estate: an OOM-killing memory leak, a playbook
/// that restarts the deployment, falls back to cordoning and draining the node, and falls back to
/// paging a person, while the simulated API server refuses the first two.
/// </summary>
public sealed class FallbackChainTests(ITestOutputHelper output)
{
    private const string Playbook = """
        playbook_id: oom-restart-drain-page
        trigger: {equals: [{anomaly.type: "PodOOMKilled"}]}
        actions:
          - name: get-pod
            type: kubernetes_api_call
            params: {verb: get, resource: pod, name: "{{ anomaly.entity.pod_name }}", namespace: "{{ anomaly.entity.namespace }}"}
          - name: restart
            type: kubernetes_api_call
            params: {verb: rollout_restart, resource: deployment, name: "{{ outputs['get-pod'].metadata.ownerReferences[0].name }}", namespace: "{{ anomaly.entity.namespace }}"}
            on_failure: drain
          - name: drain
            type: kubernetes_api_call
            params: {verb: drain, resource: node, name: "{{ outputs['get-pod'].spec.nodeName }}"}
            on_failure: page
          - name: page
            type: notify
            params: {channel: oncall, kind: page, text: "restart and drain failed for {{ anomaly.entity.pod_name }}; please take over"}
        """;

    [Fact]
    public async Task When_restart_and_drain_are_refused_the_chain_ends_in_a_page()
    {
        var (run, calls, pages) = await RunChainAsync(Playbook, ("PATCH Deployment", 403), ("EVICT Pod", 403));

        Assert.NotNull(run);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal(
            [("get-pod", StepState.Succeeded), ("restart", StepState.Failed), ("drain", StepState.Failed), ("page", StepState.Succeeded)],
            run.Steps.Select(s => (s.Name, s.State)));
        Assert.Contains("handled by fallback drain", run.Steps[1].Log);
        Assert.Contains(calls, c => c.StartsWith("PATCH Deployment ", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("PATCH Node ", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("EVICT Pod ", StringComparison.Ordinal));
        var page = Assert.Single(pages);
        Assert.Equal("page", page.Json["kind"]!.GetValue<string>());
        Assert.StartsWith("restart and drain failed for ", page.Json["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(run.IncidentId, page.Json["incident_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refused_step_is_retried_after_waits_in_simulated_time_and_its_fallback_runs()
    {
        // The API server is overloaded (503): worth retrying.
        var (run, calls, _) = await RunChainAsync(Playbook.Replace("    on_failure: drain", "    retries: 2\n    on_failure: drain", StringComparison.Ordinal), ("PATCH Deployment", 503));

        Assert.NotNull(run);
        Assert.Equal(("restart", StepState.Failed), (run.Steps[1].Name, run.Steps[1].State));
        Assert.Contains("(after 3 attempts)", run.Steps[1].Error, StringComparison.Ordinal);
        Assert.Equal(3, calls.Count(c => c.StartsWith("PATCH Deployment ", StringComparison.Ordinal)));
        Assert.Equal(("drain", StepState.Succeeded), (run.Steps[2].Name, run.Steps[2].State));
    }

    /// <summary>
    /// Runs <paramref name="playbook"/> on the simulated estate, its API server refusing each call
    /// in <paramref name="refusals"/> with its status, against a memory leak, until the run ends.
    /// </summary>
    private async Task<(Run? Run, IReadOnlyList<string> ApiCalls, IReadOnlyList<ReceivedRequest> Pages)> RunChainAsync(string playbook, params (string Call, int Status)[] refusals)
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("chain.yaml"), playbook);
        await using var oncall = await LoopbackReceiver.StartAsync();
        var options = FastDemo.Options(dir);
        options.PlaybooksDirectory = dir.Path;
        options.ConfigureServer = o => o.Webhooks = [new WebhookNotifierOptions { Name = "oncall", Url = oncall.Url("/page").ToString() }];
        var console = new TestConsole();
        try
        {
            await using var medic = await SimulatedMedic.StartAsync(options, console.Console, CancellationToken.None);
            foreach (var (call, status) in refusals)
            {
                medic.Simulator.Cluster.Refusals[call] = status;
            }

            for (var i = 0; i < 120; i++)
            {
                await medic.StepAsync(TimeSpan.Zero, CancellationToken.None);
            }

            medic.Simulator.Inject(FaultKinds.MemoryLeak);
            var runs = medic.Services.GetRequiredService<IRunStore>();
            Run? run = null;
            for (var i = 0; i < 400 && run is not { State: not RunState.Running }; i++)
            {
                await medic.StepAsync(TimeSpan.Zero, CancellationToken.None);
                var recent = await runs.ListRecentAsync(DateTimeOffset.MinValue, CancellationToken.None);
                run = recent.Count > 0 ? recent[0] : null;
            }

            return (run, medic.Simulator.Cluster.ApiCalls, oncall.Requests);
        }
        finally
        {
            output.WriteLine(console.ToString());
        }
    }
}
