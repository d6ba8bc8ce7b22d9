using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Medic.Adapters.Actions.Http;
using Medic.Core.Bus;
using Medic.Core.Decisions;
using Medic.Core.Policy;
using Medic.Core.Storage;
using Medic.Testing;
using Medic.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Medic.Tests.Apis;

/// <summary>Stopping a run in flight: cancelling it, or withdrawing the approval it runs on.</summary>
public sealed class RunsApiTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoopbackReceiver _api = null!;
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _api = await LoopbackReceiver.StartAsync();
        _api.Respond = async _ =>
        {
            await _release.Task;
            return new Reply(200);
        };
        _server = await TestServer.StartAsync(configure: o => o.Http = new HttpActionOptions { Allow = ["127.0.0.1"] });
    }

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        await _server.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task Withdrawing_the_approval_cancels_the_step_in_flight_and_escalates()
    {
        var (decision, runId) = await RunInFlightAsync("inc-w");

        using var withdrawn = await _server.Http.PostAsJsonAsync($"/api/v1/decisions/{decision}/withdraw", new { by = "alice", reason = "wrong service" });

        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        var run = await FinishedAsync(runId);
        Assert.Equal("cancelled", run["state"]!.GetValue<string>());
        Assert.Equal("cancelled: approval withdrawn by alice: wrong service", run["error"]!.GetValue<string>());
        Assert.Equal(["cancelled", "cancelled"], run["steps"]!.AsArray().Select(s => s!["state"]!.GetValue<string>()));
        Assert.Single(_api.Requests);
        Assert.Equal("escalated", await IncidentStateAsync("inc-w", "escalated"));
        Assert.Equal("withdrawn", (await _server.GetJsonAsync($"/api/v1/decisions/{decision}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancelling_a_run_needs_a_name_and_a_reason_and_stops_it()
    {
        var (_, runId) = await RunInFlightAsync("inc-c");

        using var anonymous = await _server.Http.PostAsJsonAsync($"/api/v1/runs/{runId}/cancel", new { reason = "x" });
        using var unknown = await _server.Http.PostAsJsonAsync("/api/v1/runs/nope/cancel", new { by = "bob", reason = "x" });
        using var cancelled = await _server.Http.PostAsJsonAsync($"/api/v1/runs/{runId}/cancel", new { by = "bob", reason = "maintenance window over" });

        Assert.Equal(HttpStatusCode.BadRequest, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, cancelled.StatusCode);
        var run = await FinishedAsync(runId);
        Assert.Equal("cancelled: by bob: maintenance window over", run["error"]!.GetValue<string>());
        using var again = await _server.Http.PostAsJsonAsync($"/api/v1/runs/{runId}/cancel", new { by = "bob", reason = "again" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    /// <summary>An approved decision whose run is in flight: its first step's HTTP call hangs until released.</summary>
    private async Task<(string Decision, string Run)> RunInFlightAsync(string incidentId)
    {
        var services = _server.App.Services;
        await _server.IncidentAsync(incidentId);
        var decision = new Decision
        {
            Id = "d-" + incidentId,
            IncidentId = incidentId,
            CreatedAt = T0,
            Status = DecisionStatus.Approved,
            Level = AutomationLevel.L1,
            Reason = "approved",
            PlaybookId = "slow-hook",
            PlaybookText = $"""
                playbook_id: slow-hook
                trigger: {"{"}exists: a{"}"}
                actions:
                  - {"{"}name: call, type: http, params: {"{"}url: "{_api.Url("/slow")}"{"}"}{"}"}
                  - {"{"}name: after, type: http, params: {"{"}url: "{_api.Url("/after")}"{"}"}{"}"}
                """,
            Approvals = [new Approval("alice", T0, null)],
            Context = [],
        };
        await services.GetRequiredService<IDecisionStore>().SaveAsync(decision, CancellationToken.None);
        await services.GetRequiredService<IBus>().PublishAsync(new ExecutionRequested(decision.Id));
        await _api.WaitForAsync(1);
        var runs = await services.GetRequiredService<IRunStore>().ListByIncidentAsync(incidentId, CancellationToken.None);
        return (decision.Id, runs[0].Id);
    }

    /// <summary>The incident's state once it is <paramref name="expected"/> (the incident stage records it after the run ends), or as it is after 30 s.</summary>
    private async Task<string> IncidentStateAsync(string incidentId, string expected)
    {
        var state = "";
        for (var i = 0; i < 600 && state != expected; i++)
        {
            state = (await _server.GetJsonAsync($"/api/v1/incidents/{incidentId}"))["incident"]!["state"]!.GetValue<string>();
            if (state != expected)
            {
                await Task.Delay(50);
            }
        }

        return state;
    }

    private async Task<JsonObject> FinishedAsync(string runId)
    {
        for (var i = 0; i < 600; i++)
        {
            var run = await _server.GetJsonAsync($"/api/v1/runs/{runId}");
            if (run["state"]!.GetValue<string>() != "running")
            {
                return run;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the run never finished (a hang guard)");
    }
}
