using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Medic.Testing;
using Medic.Tests.Support;

namespace Medic.Tests.Workflows;

/// <summary>
/// A real crash: <c>medic run</c> is killed (SIGKILL) while a step's HTTP call is in flight, then
/// <c>medic serve</c> starts on the same database. The loopback receiver plays an idempotent API
/// (it acts once per Idempotency-Key) and records every call, so the test sees exactly what was
/// done, how often, and under which key.
/// </summary>
public sealed partial class CrashRecoveryTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<string> _effects = [];
    private LoopbackReceiver _api = null!;

    public async Task InitializeAsync()
    {
        _api = await LoopbackReceiver.StartAsync();
        _api.Respond = async request =>
        {
            lock (_effects)
            {
                _effects.Add($"{request.Path} {request.Header("Idempotency-Key")}");
            }

            // The first restart hangs until the test has killed the process that sent it.
            if (request.Path == "/restart" && _api.Requests.Count(r => r.Path == "/restart") == 1)
            {
                await _release.Task;
            }

            return new Reply(200);
        };
        await File.WriteAllTextAsync(_dir.File("medic.yaml"), $"""
            data: {_dir.File("medic.db")}
            playbooks:
              directory: {_dir.Path}
            actions:
              http:
                allow: [127.0.0.1]
            notifiers:
              webhooks:
                - name: oncall
                  url: {_api.Url("/page")}
            policy:
              page_channel: oncall
            """);
        await File.WriteAllTextAsync(_dir.File("event.json"), """{"anomaly": {"type": "PodOOMKilled"}, "service": {"name": "cart"}}""");
    }

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        await _api.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task An_idempotent_step_in_flight_is_resumed_with_the_same_key_and_acts_once()
    {
        var runId = await CrashMidStepAsync(idempotent: true);

        var (serve, http) = await ServeAsync();
        using var stop = serve;
        using var client = http;
        var run = await FinishedRunAsync(http, runId);

        Assert.Equal("succeeded", run["state"]!.GetValue<string>());
        var restarts = _api.Requests.Where(r => r.Path == "/restart").ToList();
        Assert.Equal(2, restarts.Count);
        Assert.Equal($"{runId}:restart:1", restarts[0].Header("Idempotency-Key"));
        Assert.Equal(restarts[0].Header("Idempotency-Key"), restarts[1].Header("Idempotency-Key"));
        Assert.Single(_effects, e => e.StartsWith("/restart ", StringComparison.Ordinal));
        Assert.Single(_api.Requests, r => r.Path == "/announce");
        Assert.Contains("resumed attempt 1 after a restart", run["steps"]![0]!["log"]!.AsArray().Select(l => l!.GetValue<string>()));
    }

    [Fact]
    public async Task A_step_in_flight_that_is_not_idempotent_is_never_repeated_and_the_run_is_escalated()
    {
        var runId = await CrashMidStepAsync(idempotent: false);

        var (serve, http) = await ServeAsync();
        using var stop = serve;
        using var client = http;
        var run = await FinishedRunAsync(http, runId);

        Assert.Equal("interrupted", run["state"]!.GetValue<string>());
        Assert.Equal(["interrupted", "cancelled"], run["steps"]!.AsArray().Select(s => s!["state"]!.GetValue<string>()));
        Assert.Single(_api.Requests, r => r.Path == "/restart");
        Assert.DoesNotContain(_api.Requests, r => r.Path == "/announce");
        var page = (await WaitForAsync(() => _api.Requests.FirstOrDefault(r => r.Path == "/page")))!;
        Assert.Equal("page", page.Json["kind"]!.GetValue<string>());
        Assert.Contains("step 'restart' (http) was in flight", page.Json["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var incident = await http.GetFromJsonAsync<JsonObject>($"/api/v1/incidents/{run["incident_id"]}");
        Assert.Equal("escalated", incident!["incident"]!["state"]!.GetValue<string>());
    }

    /// <summary>Starts <c>medic run</c>, waits until its first step's call is in flight, and kills it.</summary>
    private async Task<string> CrashMidStepAsync(bool idempotent)
    {
        var playbook = _dir.File("crash.yaml");
        await File.WriteAllTextAsync(playbook, $$$"""
            playbook_id: crash-{{{(idempotent ? "idempotent" : "unsafe")}}}
            trigger: {exists: anomaly.type}
            actions:
              - name: restart
                type: http
                idempotent: {{{(idempotent ? "true" : "false")}}}
                params: {url: "{{{_api.Url("/restart")}}}", body: {service: "{{ service.name }}"}}
              - name: announce
                type: http
                params: {url: "{{{_api.Url("/announce")}}}"}
            """);
        using var run = RunningMedic.Start("run", playbook, "--event", _dir.File("event.json"), "--config", _dir.File("medic.yaml"));
        var started = await run.WaitForLineAsync(" started: ");
        await _api.WaitForAsync(1);
        run.Kill();
        _release.TrySetResult();
        return RunId().Match(started).Groups["id"].Value;
    }

    /// <summary>Starts <c>medic serve</c> on the same configuration and data; returns it and a client for its API.</summary>
    private async Task<(RunningMedic Serve, HttpClient Http)> ServeAsync()
    {
        var serve = RunningMedic.Start("serve", "--config", _dir.File("medic.yaml"), "--urls", "http://127.0.0.1:0");
        var listening = await serve.WaitForLineAsync("listening on ");
        return (serve, new HttpClient { BaseAddress = new Uri(Listening().Match(listening).Groups["url"].Value) });
    }

    private static async Task<JsonObject> FinishedRunAsync(HttpClient http, string runId) =>
        (await WaitForAsync(async () =>
        {
            var run = await http.GetFromJsonAsync<JsonObject>($"/api/v1/runs/{runId}");
            return run!["state"]!.GetValue<string>() == "running" ? null : run;
        }))!;

    private static Task<T?> WaitForAsync<T>(Func<T?> probe) => WaitForAsync(() => Task.FromResult(probe()));

    private static async Task<T?> WaitForAsync<T>(Func<Task<T?>> probe)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("gave up waiting (a hang guard, not a timing assertion)");
    }

    [GeneratedRegex(@"run (?<id>[0-9a-f]{32}) started")]
    private static partial Regex RunId();

    [GeneratedRegex(@"listening on (?<url>http://[^\s,]+)")]
    private static partial Regex Listening();
}
