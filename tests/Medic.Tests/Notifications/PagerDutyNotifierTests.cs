using System.Text.Json.Nodes;
using Medic.Adapters.Notifications;
using Medic.Core.Bus;
using Medic.Core.Incidents;
using Medic.Core.Notifications;
using Medic.Testing;
using Medic.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Medic.Tests.Notifications;

/// <summary>
/// PagerDuty Events API v2: trigger, acknowledge and resolve with one dedup key per incident. A
/// loopback receiver plays PagerDuty (202 and its JSON answer) and checks every event against the
/// documented format.
/// </summary>
public sealed class PagerDutyNotifierTests : IAsyncLifetime
{
    private const string RoutingKey = "R0UTINGKEY0123456789ABCDEFGHIJKL";
    private static readonly HashSet<string> TopLevel = ["routing_key", "event_action", "dedup_key", "payload", "images", "links", "client", "client_url"];
    private static readonly HashSet<string> PayloadFields = ["summary", "source", "severity", "timestamp", "component", "group", "class", "custom_details"];
    private readonly HttpClient _http = new();
    private LoopbackReceiver _pagerDuty = null!;

    public async Task InitializeAsync()
    {
        _pagerDuty = await LoopbackReceiver.StartAsync();
        _pagerDuty.Respond = r => Task.FromResult(new Reply(202, $$"""{"status":"success","message":"Event processed","dedup_key":"{{r.Json["dedup_key"]}}"}"""));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _pagerDuty.DisposeAsync();
    }

    [Fact]
    public async Task A_page_is_a_trigger_event_in_the_documented_format()
    {
        var error = await Notifier().SendAsync(new NotificationRequested("pagerduty", "run of k8s-pod-oom-restart-v1 failed: cart still OOMKilled", "inc-7") { Kind = NotificationKinds.Page }, CancellationToken.None);

        Assert.Null(error);
        var request = Assert.Single(_pagerDuty.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v2/enqueue", request.Path);
        var trigger = AssertEventsV2(request.Json);
        Assert.Equal("trigger", trigger["event_action"]!.GetValue<string>());
        Assert.Equal("medic-inc-7", trigger["dedup_key"]!.GetValue<string>());
        Assert.Equal("run of k8s-pod-oom-restart-v1 failed: cart still OOMKilled", trigger["payload"]!["summary"]!.GetValue<string>());
        Assert.Equal("critical", trigger["payload"]!["severity"]!.GetValue<string>());
        Assert.Equal("medic", trigger["payload"]!["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task Acknowledge_and_resolve_name_the_same_alert_by_its_dedup_key()
    {
        var notifier = Notifier();
        await notifier.SendAsync(new NotificationRequested("pagerduty", "page", "inc-8") { Kind = NotificationKinds.Page }, CancellationToken.None);
        await notifier.SendAsync(new NotificationRequested("pagerduty", "on it", "inc-8") { Kind = NotificationKinds.Acknowledge }, CancellationToken.None);
        await notifier.SendAsync(new NotificationRequested("pagerduty", "fixed", "inc-8") { Kind = NotificationKinds.Resolve }, CancellationToken.None);

        var events = _pagerDuty.Requests.Select(r => AssertEventsV2(r.Json)).ToList();
        Assert.Equal(["trigger", "acknowledge", "resolve"], events.Select(e => e["event_action"]!.GetValue<string>()));
        Assert.All(events, e => Assert.Equal("medic-inc-8", e["dedup_key"]!.GetValue<string>()));
        Assert.Null(events[2]["payload"]);
    }

    [Fact]
    public async Task Information_does_not_page()
    {
        Assert.Equal(
            "PagerDuty takes kind page, acknowledge or resolve, not info: information is not paged",
            await Notifier().SendAsync(new NotificationRequested("pagerduty", "fyi", "inc-9"), CancellationToken.None));

        Assert.Empty(_pagerDuty.Requests);
    }

    [Fact]
    public async Task A_refused_event_is_reported_with_PagerDuty_s_answer()
    {
        _pagerDuty.Respond = _ => Task.FromResult(new Reply(400, """{"status":"invalid event","message":"Event object is invalid","errors":["Length of 'routing_key' is incorrect (should be 32 characters)"]}"""));

        var error = await Notifier().SendAsync(new NotificationRequested("pagerduty", "page", "inc-10") { Kind = NotificationKinds.Page }, CancellationToken.None);

        Assert.StartsWith("PagerDuty answered 400: ", error, StringComparison.Ordinal);
        Assert.Contains("routing_key", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_paged_incident_that_resolves_resolves_its_PagerDuty_alert()
    {
        await using var server = await TestServer.StartAsync(configure: o => o.PagerDuty = new PagerDutyOptions { RoutingKey = RoutingKey, EventsUrl = _pagerDuty.Url("/v2/enqueue").ToString() });
        await server.PendingDecisionAsync("inc-11", []);
        await server.App.Services.GetRequiredService<IBus>().PublishAsync(new NotificationRequested("pagerduty", "needs a person", "inc-11") { Kind = NotificationKinds.Page });
        await _pagerDuty.WaitForAsync(1);

        await server.App.Services.GetRequiredService<IncidentLifecycle>().TransitionAsync("inc-11", IncidentState.Resolved, "verify", "error rate back to normal", CancellationToken.None);

        var events = (await _pagerDuty.WaitForAsync(2)).Select(r => AssertEventsV2(r.Json)).ToList();
        Assert.Equal(["trigger", "resolve"], events.Select(e => e["event_action"]!.GetValue<string>()));
        Assert.All(events, e => Assert.Equal("medic-inc-11", e["dedup_key"]!.GetValue<string>()));
    }

    /// <summary>The rules of https://developer.pagerduty.com/docs/events-api-v2/trigger-events/ and the acknowledge/resolve pages.</summary>
    private static JsonObject AssertEventsV2(JsonObject body)
    {
        Assert.Subset(TopLevel, body.Select(p => p.Key).ToHashSet());
        Assert.Equal(RoutingKey, body["routing_key"]!.GetValue<string>());
        var action = body["event_action"]!.GetValue<string>();
        Assert.Contains(action, new[] { "trigger", "acknowledge", "resolve" });
        Assert.InRange(body["dedup_key"]!.GetValue<string>().Length, 1, 255);
        if (action == "trigger")
        {
            var payload = body["payload"]!.AsObject();
            Assert.Subset(PayloadFields, payload.Select(p => p.Key).ToHashSet());
            Assert.InRange(payload["summary"]!.GetValue<string>().Length, 1, 1024);
            Assert.False(string.IsNullOrEmpty(payload["source"]!.GetValue<string>()));
            Assert.Contains(payload["severity"]!.GetValue<string>(), new[] { "critical", "error", "warning", "info" });
        }

        return body;
    }

    private PagerDutyNotifier Notifier() => new(new PagerDutyOptions { RoutingKey = RoutingKey, EventsUrl = _pagerDuty.Url("/v2/enqueue").ToString() }, _http);
}
