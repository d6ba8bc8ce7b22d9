using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Medic.Adapters.Notifications;
using Medic.Core.Bus;
using Medic.Core.Decisions;
using Medic.Core.Notifications;
using Medic.Core.Storage;
using Medic.Testing;
using Medic.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Medic.Tests.Notifications;

/// <summary>
/// Slack: Block Kit messages through an incoming webhook, approval requests with buttons through the
/// Web API, and the buttons' callbacks, which Medic accepts only when signed with the signing secret
/// and fresh. A loopback receiver plays Slack and checks the payloads against Slack's documented limits.
/// </summary>
public sealed class SlackNotifierTests : IAsyncLifetime
{
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private LoopbackReceiver _slack = null!;
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _slack = await LoopbackReceiver.StartAsync();
        _server = await TestServer.StartAsync(configure: o => o.Slack = new SlackOptions
        {
            Token = "xoxb-test",
            Channel = "C0SRE",
            ApiUrl = _slack.Url("/api").ToString(),
            SigningSecret = Secret,
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task A_message_through_an_incoming_webhook_is_valid_Block_Kit()
    {
        using var http = new HttpClient();
        var notifier = new SlackNotifier(new SlackOptions { WebhookUrl = _slack.Url("/services/T000/B000/XXX").ToString() }, http);

        var error = await notifier.SendAsync(new NotificationRequested("slack", "Restarted *cart* <after> OOM & more", "inc-1") { Kind = NotificationKinds.Page }, CancellationToken.None);

        Assert.Null(error);
        var request = Assert.Single(_slack.Requests);
        Assert.Equal("/services/T000/B000/XXX", request.Path);
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        var payload = request.Json;
        Assert.Equal("Restarted *cart* <after> OOM & more", payload["text"]!.GetValue<string>());
        AssertBlockKit(payload["blocks"]!.AsArray());
        Assert.Contains("Restarted *cart* &lt;after&gt; OOM &amp; more", payload["blocks"]![0]!["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_approval_request_goes_through_the_Web_API_with_Approve_and_Reject_buttons()
    {
        var decision = await PendingAsync("inc-approve", ["alice"]);

        var request = (await _slack.WaitForAsync(1))[0];

        Assert.Equal("/api/chat.postMessage", request.Path);
        Assert.Equal("Bearer xoxb-test", request.Header("Authorization"));
        var payload = request.Json;
        Assert.Equal("C0SRE", payload["channel"]!.GetValue<string>());
        var blocks = payload["blocks"]!.AsArray();
        AssertBlockKit(blocks);
        var buttons = blocks.Single(b => b!["type"]!.GetValue<string>() == "actions")!["elements"]!.AsArray();
        Assert.Equal(["medic_approve", "medic_reject"], buttons.Select(b => b!["action_id"]!.GetValue<string>()));
        Assert.Equal(["primary", "danger"], buttons.Select(b => b!["style"]!.GetValue<string>()));
        Assert.All(buttons, b => Assert.Equal(decision, b!["value"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_signed_fresh_callback_approves_as_the_Slack_user_and_replies_to_them()
    {
        var decision = await PendingAsync("inc-click", ["alice"]);
        var body = Callback("medic_approve", decision, "alice");

        using var response = await PostCallbackAsync(body, Now(), SlackSignature.Sign(Secret, Now(), body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await Decisions().GetAsync(decision, CancellationToken.None);
        Assert.Equal(DecisionStatus.Approved, stored!.Status);
        Assert.Equal("alice", stored.DecidedBy);
        var reply = (await _slack.WaitForAsync(2)).Single(r => r.Path == "/respond/1");
        Assert.Equal("ephemeral", reply.Json["response_type"]!.GetValue<string>());
        Assert.StartsWith("alice: approved", reply.Json["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_callback_from_someone_who_may_not_approve_changes_nothing()
    {
        var decision = await PendingAsync("inc-mallory", ["alice"]);
        var body = Callback("medic_approve", decision, "mallory");

        using var response = await PostCallbackAsync(body, Now(), SlackSignature.Sign(Secret, Now(), body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(DecisionStatus.AwaitingApproval, (await Decisions().GetAsync(decision, CancellationToken.None))!.Status);
        Assert.Contains("mallory could not approve", (await response.Content.ReadFromJsonAsync<JsonObject>())!["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_callback_with_a_bad_signature_is_refused()
    {
        var decision = await PendingAsync("inc-forged", ["alice"]);
        var body = Callback("medic_approve", decision, "alice");

        using var forged = await PostCallbackAsync(body, Now(), SlackSignature.Sign("not-the-secret", Now(), body));
        using var tampered = await PostCallbackAsync(body.Replace("alice", "alicf", StringComparison.Ordinal), Now(), SlackSignature.Sign(Secret, Now(), body));
        using var unsigned = await PostCallbackAsync(body, Now(), null);

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Contains("signature does not match", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(DecisionStatus.AwaitingApproval, (await Decisions().GetAsync(decision, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task A_callback_with_a_stale_timestamp_is_refused_even_when_correctly_signed()
    {
        var decision = await PendingAsync("inc-replay", ["alice"]);
        var body = Callback("medic_approve", decision, "alice");
        var stale = TimeProvider.System.GetUtcNow().AddMinutes(-6).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        using var response = await PostCallbackAsync(body, stale, SlackSignature.Sign(Secret, stale, body));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("too old", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(DecisionStatus.AwaitingApproval, (await Decisions().GetAsync(decision, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task With_a_user_map_only_mapped_people_of_the_configured_workspace_can_answer()
    {
        var slack = _server.App.Services.GetRequiredService<SlackOptions>();
        slack.TeamId = "T0";
        slack.Users = new Dictionary<string, string> { ["U0ALICE"] = "alice" };
        var decision = await PendingAsync("inc-map", ["alice"]);

        var stranger = Callback("medic_approve", decision, "bob");
        var otherTeam = Callback("medic_approve", decision, "alice").Replace("%22T0%22", "%22T9%22", StringComparison.Ordinal);
        using var refusedUser = await PostCallbackAsync(stranger, Now(), SlackSignature.Sign(Secret, Now(), stranger));
        using var refusedTeam = await PostCallbackAsync(otherTeam, Now(), SlackSignature.Sign(Secret, Now(), otherTeam));
        Assert.Equal(HttpStatusCode.Forbidden, refusedUser.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refusedTeam.StatusCode);
        Assert.Equal(DecisionStatus.AwaitingApproval, (await Decisions().GetAsync(decision, CancellationToken.None))!.Status);

        var alice = Callback("medic_approve", decision, "alice").Replace("%22alice%22", "%22renamed%22", StringComparison.Ordinal);
        using var approved = await PostCallbackAsync(alice, Now(), SlackSignature.Sign(Secret, Now(), alice));

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("alice", (await Decisions().GetAsync(decision, CancellationToken.None))!.DecidedBy);
    }

    [Fact]
    public async Task A_timestamp_beyond_any_date_is_refused_not_a_server_error()
    {
        var body = Callback("medic_approve", "d", "alice");

        using var response = await PostCallbackAsync(body, "99999999999999999", SlackSignature.Sign(Secret, "99999999999999999", body));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Reject_in_Slack_rejects_with_a_reason_on_record()
    {
        var decision = await PendingAsync("inc-reject", ["alice"]);
        var body = Callback("medic_reject", decision, "alice");

        using var response = await PostCallbackAsync(body, Now(), SlackSignature.Sign(Secret, Now(), body));

        var stored = await Decisions().GetAsync(decision, CancellationToken.None);
        Assert.Equal(DecisionStatus.Rejected, stored!.Status);
        Assert.Equal("rejected in Slack", stored.Note);
    }

    /// <summary>Slack's documented Block Kit rules for the blocks Medic uses.</summary>
    private static void AssertBlockKit(JsonArray blocks)
    {
        Assert.InRange(blocks.Count, 1, 50);
        foreach (var block in blocks.Select(b => b!.AsObject()))
        {
            switch (block["type"]!.GetValue<string>())
            {
                case "section":
                    Assert.True(block["text"] is not null || block["fields"] is not null, "a section needs text or fields");
                    if (block["text"] is { } text)
                    {
                        Assert.Equal("mrkdwn", text["type"]!.GetValue<string>());
                        Assert.InRange(text["text"]!.GetValue<string>().Length, 1, 3000);
                    }

                    if (block["fields"] is JsonArray fields)
                    {
                        Assert.InRange(fields.Count, 1, 10);
                        Assert.All(fields, f => Assert.InRange(f!["text"]!.GetValue<string>().Length, 1, 2000));
                    }

                    break;
                case "header":
                    Assert.Equal("plain_text", block["text"]!["type"]!.GetValue<string>());
                    Assert.InRange(block["text"]!["text"]!.GetValue<string>().Length, 1, 150);
                    break;
                case "context":
                    Assert.InRange(block["elements"]!.AsArray().Count, 1, 10);
                    break;
                case "actions":
                    Assert.InRange(block["elements"]!.AsArray().Count, 1, 25);
                    foreach (var button in block["elements"]!.AsArray())
                    {
                        Assert.Equal("button", button!["type"]!.GetValue<string>());
                        Assert.Equal("plain_text", button["text"]!["type"]!.GetValue<string>());
                        Assert.InRange(button["text"]!["text"]!.GetValue<string>().Length, 1, 75);
                        Assert.InRange(button["action_id"]!.GetValue<string>().Length, 1, 255);
                        Assert.InRange(button["value"]!.GetValue<string>().Length, 1, 2000);
                    }

                    break;
                case var other:
                    Assert.Fail($"unexpected block type {other}");
                    break;
            }
        }
    }

    private static string Now() => TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private string Callback(string action, string decision, string user)
    {
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = "U0" + user.ToUpperInvariant(), ["username"] = user, ["name"] = user, ["team_id"] = "T0" },
            ["api_app_id"] = "A0MEDIC",
            ["container"] = new JsonObject { ["type"] = "message", ["channel_id"] = "C0SRE" },
            ["response_url"] = _slack.Url("/respond/1").ToString(),
            ["actions"] = new JsonArray(new JsonObject
            {
                ["type"] = "button",
                ["action_id"] = action,
                ["block_id"] = "medic_approval",
                ["value"] = decision,
                ["action_ts"] = "1700000000.000100",
            }),
        };
        return "payload=" + Uri.EscapeDataString(payload.ToJsonString());
    }

    private async Task<HttpResponseMessage> PostCallbackAsync(string body, string timestamp, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/slack/interactions")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        if (signature is not null)
        {
            request.Headers.Add("X-Slack-Signature", signature);
        }

        return await _server.Http.SendAsync(request);
    }

    /// <summary>A decision waiting for approval, announced as the decision stage would, so Slack is asked.</summary>
    private async Task<string> PendingAsync(string incident, IReadOnlyList<string> approvers)
    {
        var id = await _server.PendingDecisionAsync(incident, approvers);
        await _server.App.Services.GetRequiredService<IBus>().PublishAsync(new DecisionMade((await Decisions().GetAsync(id, CancellationToken.None))!));
        return id;
    }

    private IDecisionStore Decisions() => _server.App.Services.GetRequiredService<IDecisionStore>();
}
