using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Medic.Core;
using Medic.Core.Decisions;
using Medic.Core.Notifications;

namespace Medic.Adapters.Notifications;

/// <summary>
/// The <c>slack</c> channel: Block Kit messages through an incoming webhook or the Web API
/// (<c>chat.postMessage</c>), and approval requests with Approve and Reject buttons, whose
/// callbacks <see cref="SlackSignature"/> verifies.
/// </summary>
public sealed class SlackNotifier(SlackOptions options, HttpClient http) : INotifier, IApprovalNotifier
{
    /// <summary>The action id of the Approve button.</summary>
    public const string ApproveAction = "medic_approve";

    /// <summary>The action id of the Reject button.</summary>
    public const string RejectAction = "medic_reject";

    /// <inheritdoc />
    public string Channel => "slack";

    /// <inheritdoc />
    public Task<string?> SendAsync(NotificationRequested notification, CancellationToken cancellationToken)
    {
        var icon = notification.Kind switch { NotificationKinds.Page => ":rotating_light:", NotificationKinds.Resolve => ":white_check_mark:", _ => ":stethoscope:" };
        var blocks = new JsonArray(
            Section($"{icon} {Escape(notification.Text)}"),
            new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(Markdown($"Medic · incident `{notification.IncidentId}` · {notification.Kind}")) });
        return PostAsync(notification.Text, blocks, cancellationToken);
    }

    /// <inheritdoc />
    public Task<string?> RequestApprovalAsync(Decision decision, CancellationToken cancellationToken)
    {
        if (options.Token is null)
        {
            return Task.FromResult<string?>(null);
        }

        var root = decision.RootCause;
        var text = $"Approval needed: playbook {decision.PlaybookId} at {decision.Level} for incident {decision.IncidentId}";
        var fields = new JsonArray(
            Markdown($"*Root cause*\n{Escape(root is null ? "unknown" : $"{root.Entity} ({root.FaultKind})")}"),
            Markdown($"*Confidence*\n{(root is null ? "-" : Humanize.Percent(root.Confidence))}"),
            Markdown($"*Approvers*\n{Escape(decision.Approvers.Count == 0 ? "any operator" : string.Join(", ", decision.Approvers))}"),
            Markdown($"*Expires*\n{decision.ExpiresAt?.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "-"}"));
        var blocks = new JsonArray(
            new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Medic asks for approval" } },
            Section($"*{Escape(decision.PlaybookId ?? "")}* at *{decision.Level}* for incident `{decision.IncidentId}`\n{Escape(decision.Reason)}{(root is { Story.Length: > 0 } ? $"\n>{Escape(root.Story)}" : "")}"),
            new JsonObject { ["type"] = "section", ["fields"] = fields },
            new JsonObject
            {
                ["type"] = "actions",
                ["block_id"] = "medic_approval",
                ["elements"] = new JsonArray(
                    Button("Approve", ApproveAction, "primary", decision.Id),
                    Button("Reject", RejectAction, "danger", decision.Id)),
            });
        return PostAsync(text, blocks, cancellationToken);
    }

    private async Task<string?> PostAsync(string text, JsonArray blocks, CancellationToken cancellationToken)
    {
        try
        {
            if (options.Token is { } token)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"{options.ApiUrl.TrimEnd('/')}/chat.postMessage")
                {
                    Content = JsonContent.Create(new JsonObject { ["channel"] = options.Channel, ["text"] = text, ["blocks"] = blocks }),
                };
                request.Headers.Authorization = new("Bearer", token);
                using var response = await http.SendAsync(request, cancellationToken);
                var answer = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
                return response.IsSuccessStatusCode && answer?["ok"]?.GetValue<bool>() == true ? null : $"Slack answered {(int)response.StatusCode}: {answer?["error"]}";
            }

            if (options.WebhookUrl is { } url)
            {
                using var response = await http.PostAsJsonAsync(url, new JsonObject { ["text"] = text, ["blocks"] = blocks }, cancellationToken);
                return response.IsSuccessStatusCode ? null : $"Slack answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}";
            }

            return "Slack is not configured: set notifiers.slack.webhook_url, or token and channel";
        }
        catch (HttpRequestException e)
        {
            return $"cannot reach Slack: {e.Message}";
        }
    }

    private static JsonObject Section(string markdown) => new() { ["type"] = "section", ["text"] = Markdown(markdown) };

    private static JsonObject Markdown(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    private static JsonObject Button(string label, string action, string style, string value) => new()
    {
        ["type"] = "button",
        ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = label },
        ["style"] = style,
        ["action_id"] = action,
        ["value"] = value,
    };

    /// <summary>Escapes the three characters Slack's mrkdwn treats as control characters.</summary>
    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
